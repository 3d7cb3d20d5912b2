/*
 * sq_qnumeral.h -- reading a numeral (sq_qnumeral.c): the entry point of
 * the numeral readers, and what the quantity forms ask of a numeral.
 */
#ifndef SQ_QNUMERAL_H
#define SQ_QNUMERAL_H

#include "sq_qtypes.h"

/* Parses the numeral at pos.  Returns 1 and fills *n when at least one
   character forms a numeral, 0 otherwise (an error is recorded in c). */
int sq_qnumeral(sq_ctx *c, size_t pos, sq_num *n);
/* Nonzero for a whole number without decimals, scale, 余/多 or groups. */
int sq_qnum_plain_int(const sq_num *n);
/* The value of a plain whole number up to 100000, or -1. */
long sq_qnum_small_int(const sq_num *n);

#endif
