/*
 * sq_qexpr.h -- quantity expressions (sq_qexpr.c): an atom with its
 * qualifier words, or a range of two atoms.
 */
#ifndef SQ_QEXPR_H
#define SQ_QEXPR_H

#include "sq_qtypes.h"

/* Information the scanner needs to judge a match. */
typedef struct sq_info {
  int arabic;     /* some number has Arabic digits */
  int signal;     /* unit, date, percent, fraction, scale, qualifier suffix... */
} sq_info;

/* Parses the longest quantity expression starting at pos.  1 on success
   (out->start, out->stop set), 0 on failure with an error in c. */
int sq_qexpr(sq_ctx *c, size_t pos, siqun_quantity *out, sq_info *info);
/* The bounds qualifier q gives a single value v, into out (whose has_min
   and has_max are clear); a range sets its own.  under (不到, 不足, 低于)
   shares the representation of at_most: the bound max = value is
   exclusive there, and the qualifier tells which.  (Inline: the fast path
   of siqun_quantity_parse calls it too.) */
static inline void sq_qexpr_bounds(siqun_quantity *out, siqun_qualifier q, double v) {
  switch (q) {
    case SIQUN_EXACT:
      out->has_min = out->has_max = 1;
      out->min = out->max = v;
      break;
    case SIQUN_NEARLY: case SIQUN_AT_MOST: case SIQUN_UNDER:
      out->has_max = 1;
      out->max = v;
      break;
    case SIQUN_OVER: case SIQUN_AT_LEAST:
      out->has_min = 1;
      out->min = v;
      break;
    default: /* approx: no bounds */
      break;
  }
}

#endif
