/*
 * scan_fuzz.c -- libFuzzer harness of the scanner (siqun_scan_next).  The
 * input is any text (invalid UTF-8 included).  Invariants: the scan ends,
 * matches are in order, non-empty, inside the text and never overlap;
 * every match parses alone (siqun_quantity_parse) to the same quantity.
 *
 *   make fuzz   (or: build/fuzz/scan_fuzz fuzz/corpus/scan)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "siqun.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void check(int ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "scan_fuzz: invariant broken: %s\n", what);
    abort();
  }
}

static int same(const siqun_quantity *a, const siqun_quantity *b) {
  if (a->kind != b->kind || a->qualifier != b->qualifier) return 0;
  if (a->kind == SIQUN_Q_DATE)
    return memcmp(&a->date, &b->date, sizeof a->date) == 0 &&
           memcmp(&a->to, &b->to, sizeof a->to) == 0;
  return (a->value == b->value || (a->value != a->value && b->value != b->value)) &&
         a->has_min == b->has_min && a->has_max == b->has_max &&
         (!a->has_min || a->min == b->min) && (!a->has_max || a->max == b->max) &&
         strcmp(a->unit, b->unit) == 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
  const char *s = (const char *)data;
  size_t pos = 0, last = 0, n = 0;
  siqun_quantity q, p;
  while (siqun_scan_next(s, size, &pos, &q)) {
    check(q.start >= last && q.stop > q.start && q.stop <= size && pos == q.stop,
          "matches in order, inside the text");
    check(siqun_quantity_parse(s + q.start, q.stop - q.start, &p, NULL, 0) == 0 && same(&q, &p),
          "a match parses alone to the same quantity");
    last = q.stop;
    check(++n <= size, "the scan ends");
  }
  check(pos == size, "the scan stops at the end");
  return 0;
}
