/*
 * sq_cells.h -- a table's CSV read into typed cells (sq_cells.c).
 */
#ifndef SQ_CELLS_H
#define SQ_CELLS_H

#include <stddef.h>

#include "sq_error.h"
#include "sq_types.h"

/* Reads the CSV (data, len) into table t: header, typed cells, Table
   Schema constraints; the physical line of each row into tl->lines. */
void sq_cells_load(sq_loader *ld, siqun_table *t, sq_tload *tl,
                   const char *data, size_t len);

#endif
