/*
 * csv_fuzz.c -- libFuzzer harness of the CSV reader (sq_csv.c, internal:
 * sq_csv.h).  The input is one CSV file.  Invariants: the reader ends
 * (every record consumes input), fields lie inside the input, a field is
 * at most SQ_MAX_CELL bytes, at most maxf fields come back, line numbers
 * never decrease, unescaping never writes more than the field's length and
 * undoes exactly the doubled quotes, an error has a message and a line.
 * The same input is read again with a small field limit.
 *
 *   make fuzz   (or: build/fuzz/csv_fuzz fuzz/corpus/csv)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sq_csv.h"
#include "sq_limits.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void check(int ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "csv_fuzz: invariant broken: %s\n", what);
    abort();
  }
}

static void read_all(const char *s, size_t len, size_t maxf, sq_csv_field *f, char *buf) {
  sq_csv r;
  size_t nf, i, records = 0, last_line = 1;
  int rc;
  sq_csv_init(&r, s, len);
  while ((rc = sq_csv_next(&r, f, maxf, &nf)) > 0) {
    size_t before = r.pos;
    check(nf >= 1 && nf <= maxf, "field count");
    check(r.rec_line >= last_line && r.line >= r.rec_line, "line numbers");
    last_line = r.line;
    for (i = 0; i < nf; i++) {
      size_t n, k, quotes = 0;
      check(f[i].p >= s && f[i].p + f[i].len <= s + len, "field inside the input");
      check(f[i].len <= SQ_MAX_CELL, "field length limit");
      for (k = 0; k < f[i].len; k++) quotes += f[i].p[k] == '"';
      check(f[i].escaped || quotes == 0, "quotes only in escaped fields");
      n = sq_csv_unescape(&f[i], buf);
      check(n <= f[i].len && n == f[i].len - quotes / 2, "unescaped length");
    }
    check(++records <= len, "each record consumes input");
    (void)before;
  }
  if (rc < 0) {
    check(r.msg[0] != '\0', "an error has a message");
    check(r.err_line >= 1 && r.err_line <= r.line + 1, "an error has a line");
  } else {
    check(r.pos >= len || len == 0, "the end is the end of input");
  }
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
  static sq_csv_field f[SQ_MAX_FIELDS];
  char *buf = (char *)malloc(size + 1);
  if (buf == NULL) return 0;
  read_all((const char *)data, size, SQ_MAX_FIELDS, f, buf);
  read_all((const char *)data, size, 3, f, buf);
  free(buf);
  return 0;
}
