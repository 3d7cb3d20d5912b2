/*
 * sq_qparse_fast.h -- the fast path of siqun_quantity_parse
 * (sq_qparse_fast.c).
 */
#ifndef SQ_QPARSE_FAST_H
#define SQ_QPARSE_FAST_H

#include "sq_qtypes.h"

/* [qualifier] number [unit], a percentage, a fraction or a date that is
   the whole of s[0, len) (len > 0), into *out: 1 when read (as the
   general path reads it), 0 to leave it to the general path. */
int sq_qparse_fast(const char *s, size_t len, siqun_quantity *out);

#endif
