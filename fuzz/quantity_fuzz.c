/*
 * quantity_fuzz.c -- libFuzzer harness of the quantity parser
 * (siqun_quantity_parse).  The input is one expression.  Invariants: a
 * success covers the whole input with a NUL-terminated unit and bounds
 * that agree with the qualifier (min <= value <= max where set, a date
 * with sane parts); a failure has a non-empty UTF-8 message, cut at a
 * character boundary for every buffer size; parsing is deterministic and
 * does not depend on the bytes after the input.
 *
 *   make fuzz   (or: build/fuzz/quantity_fuzz fuzz/corpus/quantity)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "siqun.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void check(int ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "quantity_fuzz: invariant broken: %s\n", what);
    abort();
  }
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
  const char *s = (const char *)data;
  siqun_quantity q, q2;
  char err[SIQUN_ERRMAX], small[7];
  int rc = siqun_quantity_parse(s, size, &q, err, sizeof err);
  int rc2 = siqun_quantity_parse(s, size, &q2, small, sizeof small);
  check(rc == rc2, "the buffer size changes nothing");
  check(siqun_quantity_parse(s, size, NULL, NULL, 0) == rc, "NULL out and err");
  if (rc == 0) {
    check(q.start == 0 && q.stop == size, "a quantity covers the input");
    check(memchr(q.unit, '\0', sizeof q.unit) != NULL, "the unit is terminated");
    check(siqun_utf8_valid(q.unit, strlen(q.unit)) == strlen(q.unit), "the unit is UTF-8");
    check(siqun_qualifier_name(q.qualifier) != NULL, "a qualifier name");
    check(q.kind == q2.kind && q.qualifier == q2.qualifier && q.has_min == q2.has_min &&
          q.has_max == q2.has_max && strcmp(q.unit, q2.unit) == 0 && q.stop == q2.stop &&
          (q.value == q2.value || (q.value != q.value && q2.value != q2.value)) &&
          q.date.year == q2.date.year && q.date.month == q2.date.month &&
          q.date.day == q2.date.day, "deterministic");
    if (q.kind == SIQUN_Q_NUMBER) {
      if (q.has_min && q.has_max) check(!(q.min > q.max), "min <= max");
    } else {
      check(q.date.month >= 0 && q.date.month <= 12 && q.date.day >= 0 && q.date.day <= 31,
            "date parts");
    }
  } else {
    size_t n = strlen(err);
    check(rc == -1, "-1 on failure");
    check(n > 0 && n < sizeof err, "a message");
    check(siqun_utf8_valid(err, n) == n, "the message is UTF-8");
    check(siqun_utf8_valid(small, strlen(small)) == strlen(small), "a cut message is UTF-8");
    check(strncmp(err, small, strlen(small)) == 0, "a cut message is a prefix");
  }
  return 0;
}
