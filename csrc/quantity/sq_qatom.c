/*
 * sq_qatom.c -- the atom (sq_qatom.h), the part of a quantity expression
 * before its qualifiers: its value and its unit.  The forms that read one
 * are registered in sq_qforms.c.
 */
#include <string.h>

#include "sq_qatom.h"
#include "sq_qdec.h"

void sq_qatom_set_unit(sq_qatom *a, const char *p, size_t n) {
  if (n > SQ_MAXUNIT) n = SQ_MAXUNIT;
  memcpy(a->unit, p, n);
  a->unit[n] = '\0';
}

int sq_qatom_value(const sq_qatom *a, double *v) {
  if (a->is_frac) { *v = a->fval; return 0; }
  return sq_qdec_to_double(a->v, v);
}
