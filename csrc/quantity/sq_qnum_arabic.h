/*
 * sq_qnum_arabic.h -- the general reader of Arabic numbers (sq_qnum_arabic.c).
 */
#ifndef SQ_QNUM_ARABIC_H
#define SQ_QNUM_ARABIC_H

#include "sq_qtypes.h"

/* Reads an Arabic number at pos (digits, ',' groups of three, '.'
   decimals, full-width digits) into *n: its end, or 0 on an error. */
size_t sq_qnum_arabic(sq_ctx *c, size_t pos, sq_num *n);

#endif
