/*
 * sq_qedge.h -- the edges of a scan match (sq_qedge.c): whether the text
 * just before or just after it goes on with more of the same expression,
 * which the match would cut through (issue 14: never a partial reading).
 */
#ifndef SQ_QEDGE_H
#define SQ_QEDGE_H

#include "sq_qtypes.h"

/* The code point before pos, or 0. */
unsigned sq_qprev_cp(const char *s, size_t len, size_t pos);
/* Nonzero when a match may not start at p (a numeral character cp) because
   of what precedes it: digits glued to ASCII letters, '@', '%', '_' or a
   '.', or, unless p is from (where the caller began, a previous match's
   end), more numeral characters or a range separator after them (the
   5 of -3至5); SQ_EDGE_SIGN when a sign precedes it
   (负, -, −, ＋: the match starts there). */
#define SQ_EDGE_SIGN 2
/* ... SQ_EDGE_PART when a numeral here is part of an expression that
   was not read (the 5 of -3至5, the 3分之1 of 三百五十又3分之1): the scanner
   passes over the whole of it. */
#define SQ_EDGE_PART 3
int sq_qedge_before(const sq_ctx *c, size_t p, size_t from, unsigned cp);
/* 0 when the match q may be reported; else the position after the longer
   expression it is part of (40k, 2e5, 1.2.3, 五元三毛), with *part set
   when an expression starting there belongs to it too (两美元又三美分). */
size_t sq_qedge_after(const sq_ctx *c, const siqun_quantity *q, int *part);

#endif
