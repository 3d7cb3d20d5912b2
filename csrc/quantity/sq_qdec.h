/*
 * sq_qdec.h -- exact decimals m * 10^e (sq_qdec.c): the values of numerals,
 * added and scaled without rounding.
 */
#ifndef SQ_QDEC_H
#define SQ_QDEC_H

#include "sq_qtypes.h"

/* 10^0 .. 10^19. */
extern const unsigned long long sq_qpow10[20];

/* Drops the trailing zeros of a fraction (a zero gets exponent 0). */
static inline void sq_qdec_norm(sq_dec *a) {
  if (a->m == 0) { a->e = 0; return; }
  while (a->e < 0 && a->m % 10 == 0) { a->m /= 10; a->e++; }
}

/* Zero. */
static inline int sq_qdec_is_zero(sq_dec a) { return a.m == 0; }

int sq_qdec_mul10(unsigned long long *m, int k); /* *m *= 10^k (k >= 0); -1 on overflow */
int sq_qdec_add(sq_dec *a, sq_dec b);           /* a += b; -1 on overflow */
int sq_qdec_scale(sq_dec *a, int k);            /* a *= 10^k; -1 on overflow */
int sq_qdec_cmp(sq_dec a, sq_dec b);            /* -1, 0, 1 */
int sq_qdec_is_int(sq_dec a);                   /* integral */
int sq_qdec_to_u64(sq_dec a, unsigned long long *out); /* integral and fits, else -1 */
int sq_qdec_to_ll(sq_dec a, long long *out);    /* integral and fits, else -1 */
int sq_qdec_to_double(sq_dec a, double *out);   /* -1 if above 2^63 */

#endif
