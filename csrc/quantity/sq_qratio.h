/*
 * sq_qratio.h -- percentages and fractions (sq_qratio.c), the forms
 * tried by sq_qatom.c.
 */
#ifndef SQ_QRATIO_H
#define SQ_QRATIO_H

#include "sq_qatom.h"

/* 百分之三十, 千分之五.  Starts with a word. */
int sq_qratio_per(sq_ctx *c, size_t pos, sq_qatom *a);
/* 1/5 (and 2012/7/1, a date: sq_qdate_slash).  After a numeral. */
int sq_qratio_slash(sq_ctx *c, size_t pos, sq_qatom *a);
/* 五分之一.  After a numeral (the denominator). */
int sq_qratio_fen(sq_ctx *c, size_t pos, sq_qatom *a);
/* 30%, ３０％.  After a numeral. */
int sq_qratio_percent(sq_ctx *c, size_t pos, sq_qatom *a);
/* 三成 (tenths, as a percentage).  After a numeral. */
int sq_qratio_cheng(sq_ctx *c, size_t pos, sq_qatom *a);

#endif
