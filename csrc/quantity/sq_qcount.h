/*
 * sq_qcount.h -- counts: a number and its unit (sq_qcount.c), the forms
 * tried by sq_qatom.c.
 */
#ifndef SQ_QCOUNT_H
#define SQ_QCOUNT_H

#include "sq_qatom.h"

/* 半 and a unit (半年, 半个月): one half.  Starts with a word. */
int sq_qcount_half(sq_ctx *c, size_t pos, sq_qatom *a);
/* A leading 百 or 千 and 余/多 (百余人).  After a numeral. */
int sq_qcount_hundreds(sq_ctx *c, size_t pos, sq_qatom *a);
/* A number, 余/多, a unit, 余/多, 半, 内 (36万余人, 一年半, 5年内): the
   last form, which takes any numeral.  After a numeral. */
int sq_qcount(sq_ctx *c, size_t pos, sq_qatom *a);
/* Nonzero when a 半 at pos would be a trailing half (一年半), not the
   start of a word or of a unit (一年半载, 两个半人). */
int sq_qcount_half_after(const sq_ctx *c, size_t pos);

#endif
