/*
 * sq_qunits.h -- the word tables of the quantity parser (sq_qunits.c):
 * units and measure words, qualifier words, range separators.
 */
#ifndef SQ_QUNITS_H
#define SQ_QUNITS_H

#include "sq_qtypes.h"

/* Longest unit at pos: its byte length (0 if none), SQ_U_* flags in *flags. */
size_t sq_qunit_match(const sq_ctx *c, size_t pos, int *flags);
/* Longest qualifier word before a number at pos: byte length, qualifier. */
size_t sq_qprefix_match(const sq_ctx *c, size_t pos, siqun_qualifier *q);
/* Longest qualifier word after a quantity at pos (以上, 左右 ...). */
size_t sq_qsuffix_match(const sq_ctx *c, size_t pos, siqun_qualifier *q);
/* Range separator at pos (至 到 - ~ ～ — ...): byte length or 0. */
size_t sq_qrange_sep(const sq_ctx *c, size_t pos);
/* Nonzero when the first character of every word of these tables has
   its bit in the character table, which csrc/tools/sq_qtab.lua makes from
   them (for build/bench/quantity_c check). */
int sq_qunits_check(void);

#endif
