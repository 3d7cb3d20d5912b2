/*
 * sq_qatom.h -- one quantity without qualifiers or range (sq_qatom.c): a
 * numeral with its unit, a percentage, a fraction or a date.  Each form
 * is a reader of its own (sq_qcount.c, sq_qratio.c, sq_qdate.c), called
 * from lead_forms and after_forms in sq_qforms.c.
 */
#ifndef SQ_QATOM_H
#define SQ_QATOM_H

#include "sq_qtypes.h"

/* An atom. */
typedef struct sq_qatom {
  int date;
  siqun_date d;
  int level_hi, level_lo; /* 1 year, 2 month, 3 day */
  sq_dec v;
  int is_frac;
  double fval;
  int percent;
  char unit[SQ_MAXUNIT + 1];
  int unit_time;
  int over;
  int within;             /* 内 after a time unit */
  sq_num num;
  unsigned flags;         /* union of the numerals' flags */
  size_t start, end;
} sq_qatom;

/* A form reader, int form(sq_ctx *c, size_t pos, sq_qatom *a), returns
   SQ_QF_NO when the text at pos is not its form (the next form is tried),
   else 1 (read, a->end set) or 0 (an error recorded in c: the atom fails).
   Those that start with a word (百分之, 半) get a cleared atom with
   a->start = pos; those after a numeral get a->num (the numeral at pos),
   a->v and a->flags set from it. */
#define SQ_QF_NO (-1)

/* The value of a as a double (a fraction's own): -1 if above 2^63. */
int sq_qatom_value(const sq_qatom *a, double *v);
/* Sets the unit of a to the n bytes at p (cut at SQ_MAXUNIT). */
void sq_qatom_set_unit(sq_qatom *a, const char *p, size_t n);

#endif
