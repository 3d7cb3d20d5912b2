/*
 * sq_qforms.h -- reading one atom (sq_qforms.c): the forms, tried in order.
 */
#ifndef SQ_QFORMS_H
#define SQ_QFORMS_H

#include "sq_qatom.h"

/* One atom at pos into *a: 1 on success (a->end set), 0 with an error in c. */
int sq_qforms_read(sq_ctx *c, size_t pos, sq_qatom *a);

#endif
