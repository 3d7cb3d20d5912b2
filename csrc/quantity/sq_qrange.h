/*
 * sq_qrange.h -- ranges of two atoms (sq_qrange.c): 10～20万元, 6月18日至19日.
 */
#ifndef SQ_QRANGE_H
#define SQ_QRANGE_H

#include "sq_qatom.h"

/* Combines a and b (the separator at seppos) into a range in a, b's date
   the end of a date range: 1 on success, 0 with an error in c (a and b
   may then be changed). */
int sq_qrange_combine(sq_ctx *c, sq_qatom *a, sq_qatom *b, size_t seppos);

#endif
