/*
 * quantity_c.c -- the C side of the quantity benchmark: expressions per
 * second of siqun_quantity_parse alone (no Lua), over the expressions of
 * bench/expressions.txt, with the loop the Lua and JavaScript sides run.
 *
 *   quantity_c FILE          after a warm-up, prints `C rate=<expr/s>
 *                            parsed=<n>/<total>`
 *   quantity_c FILE once     one pass, prints the count (for callgrind,
 *                            `make bench-callgrind`)
 *
 * Linked with the core's objects (build/sq_*.o).
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "siqun.h"

#define MAX_EXPR 4096

typedef struct expr {
  const char *s;
  size_t len;
} expr;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One pass: parses every expression, adds up the values. */
static double pass(const expr *e, size_t n, size_t *parsed) {
  double sum = 0;
  size_t i, ok = 0;
  for (i = 0; i < n; i++) {
    siqun_quantity q;
    char err[SIQUN_ERRMAX];
    if (siqun_quantity_parse(e[i].s, e[i].len, &q, err, sizeof err) == 0) {
      ok++;
      if (q.kind == SIQUN_Q_NUMBER) sum += q.value;
    }
  }
  *parsed = ok;
  return sum;
}

/* Passes for about `seconds`; returns expressions per second. */
static double measure(const expr *e, size_t n, double seconds, size_t *parsed, double *sink) {
  size_t passes = 0;
  double t0 = now(), t;
  do {
    *sink += pass(e, n, parsed);
    passes++;
    t = now() - t0;
  } while (t < seconds);
  return (double)(passes * n) / t;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  static char buf[1 << 20];
  static expr e[MAX_EXPR];
  size_t len, n = 0, parsed = 0;
  char *p, *end;
  FILE *f;
  double sink = 0, rates[5];
  int r;
  if (argc < 2) {
    fprintf(stderr, "usage: %s EXPRESSIONS.txt [once]\n", argv[0]);
    return 2;
  }
  f = fopen(argv[1], "rb");
  if (f == NULL) {
    perror(argv[1]);
    return 1;
  }
  len = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[len] = '\0';
  for (p = buf; p < buf + len && n < MAX_EXPR; p = end + 1) {
    end = strchr(p, '\n');
    if (end == NULL) end = buf + len;
    if (end > p && *p != '#') {
      e[n].s = p;
      e[n].len = (size_t)(end - p);
      n++;
    }
  }
  if (n == 0) {
    fprintf(stderr, "%s: no expressions\n", argv[1]);
    return 1;
  }
  if (argc > 2 && strcmp(argv[2], "once") == 0) {
    sink = pass(e, n, &parsed);
    printf("parsed=%lu/%lu sum=%.17g\n", (unsigned long)parsed, (unsigned long)n, sink);
    return parsed == n ? 0 : 1;
  }
  measure(e, n, 0.2, &parsed, &sink); /* warm-up */
  for (r = 0; r < 5; r++) rates[r] = measure(e, n, 0.06, &parsed, &sink);
  qsort(rates, 5, sizeof rates[0], cmp_double);
  printf("C rate=%.0f parsed=%lu/%lu%s\n", rates[2], (unsigned long)parsed, (unsigned long)n,
         sink == -1 ? " " : "");
  return 0;
}
