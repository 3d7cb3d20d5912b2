/*
 * sq_qnum_fast.h -- the fast readers of the common numerals (sq_qnum_fast.c),
 * tried before the general ones.
 */
#ifndef SQ_QNUM_FAST_H
#define SQ_QNUM_FAST_H

#include "sq_qtypes.h"

/* The fast reader of the common numerals that sq_qnumeral tries first
   (unless c->slow): 1 when it read one (the same as sq_qnumeral would),
   0 to leave it to sq_qnumeral.  Records no error. */
int sq_qnumeral_fast(const sq_ctx *c, size_t pos, sq_num *n);
/* 1 when the whole of (s, len) is a Chinese integer that
   sq_qnumeral_fast reads to its end (七百三十八万, 两千零八), its value in
   *v; 0 otherwise.  Needs no context. */
int sq_qwhole_chinese(const char *s, size_t len, unsigned long long *v);

#endif
