/*
 * sq_qnum_chinese.h -- the general reader of Chinese and mixed numerals
 * (sq_qnum_chinese.c).
 */
#ifndef SQ_QNUM_CHINESE_H
#define SQ_QNUM_CHINESE_H

#include "sq_qtypes.h"

/* Reads the Chinese, Arabic or mixed numeral at pos (its first character
   a numeral character, not digit by digit) into *n, which is cleared with
   n->start = pos: 1 when it read one, 0 with an error in c. */
int sq_qnum_chinese(sq_ctx *c, size_t pos, sq_num *n);

#endif
