/*
 * sq_qdec.c -- exact decimals m * 10^e: a numeral's value is kept exact
 * (54.29万 is 542900, not a sum of doubles) and rounded once, to a double,
 * at the end.
 */
#include <stdio.h>
#include <stdlib.h>

#include "sq_qdec.h"

#define U64MAX 18446744073709551615ULL
#define TWO63 9223372036854775808ULL

const unsigned long long sq_qpow10[20] = {
  1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
  10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
  100000000000ULL, 1000000000000ULL, 10000000000000ULL,
  100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
  100000000000000000ULL, 1000000000000000000ULL, 10000000000000000000ULL
};

/* m * 10^k without overflow, k >= 0. */
int sq_qdec_mul10(unsigned long long *m, int k) {
  if (*m == 0) return 0;
  if (k > 19 || *m > U64MAX / sq_qpow10[k]) return -1;
  *m *= sq_qpow10[k];
  return 0;
}

int sq_qdec_scale(sq_dec *a, int k) {
  if (a->m == 0) return 0;
  if (a->e + k > SQ_MAXEXP || a->e + k < -SQ_MAXEXP) return -1;
  a->e += k;
  sq_qdec_norm(a);
  return 0;
}

/* Brings a and b to the same exponent (the smaller one). */
static int align(sq_dec *a, sq_dec *b) {
  if (a->m == 0) a->e = b->e;
  if (b->m == 0) b->e = a->e;
  if (a->e > b->e) {
    if (sq_qdec_mul10(&a->m, a->e - b->e) < 0) return -1;
    a->e = b->e;
  } else if (b->e > a->e) {
    if (sq_qdec_mul10(&b->m, b->e - a->e) < 0) return -1;
    b->e = a->e;
  }
  return 0;
}

int sq_qdec_add(sq_dec *a, sq_dec b) {
  sq_dec x = *a;
  if (b.m == 0) return 0;
  if (x.m == 0) { *a = b; return 0; }
  if (align(&x, &b) < 0) return -1;
  if (x.m > U64MAX - b.m) return -1;
  x.m += b.m;
  sq_qdec_norm(&x);
  *a = x;
  return 0;
}

int sq_qdec_cmp(sq_dec a, sq_dec b) {
  if (a.m == 0 || b.m == 0) return (a.m != 0) - (b.m != 0);
  if (align(&a, &b) < 0) {
    /* the one that could not be scaled down to the other's exponent is larger */
    /* uncovered: the bounds compared come from one expression, exponents close together */
    return a.e > b.e ? 1 : -1;
  }
  return (a.m > b.m) - (a.m < b.m);
}

int sq_qdec_is_int(sq_dec a) {
  sq_qdec_norm(&a);
  return a.e >= 0;
}

int sq_qdec_to_u64(sq_dec a, unsigned long long *out) {
  sq_qdec_norm(&a);
  if (a.e < 0) return -1;
  if (sq_qdec_mul10(&a.m, a.e) < 0) return -1;
  *out = a.m;
  return 0;
}

int sq_qdec_to_ll(sq_dec a, long long *out) {
  unsigned long long u;
  if (sq_qdec_to_u64(a, &u) < 0 || u >= TWO63) return -1;
  *out = (long long)u;
  return 0;
}

int sq_qdec_to_double(sq_dec a, double *out) {
  static const double P10[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };
  unsigned long long u;
  if (a.e == 0) { /* an integer as it is */
    if (a.m > TWO63) return -1;
    *out = (double)a.m;
    return 0;
  }
  sq_qdec_norm(&a);
  if (a.m == 0) { *out = 0.0; return 0; }
  if (a.e >= 0) {
    if (sq_qdec_to_u64(a, &u) < 0 || u > TWO63) return -1;
    *out = (double)u; /* correctly rounded */
    return 0;
  }
  if (a.m < (1ULL << 53) && -a.e <= 22) {
    *out = (double)a.m / P10[-a.e]; /* both exact: one correct rounding */
    return 0;
  }
  {
    char buf[48];
    snprintf(buf, sizeof buf, "%llue%d", a.m, a.e);
    *out = strtod(buf, NULL);
  }
  return 0;
}
