/*
 * sq_model.h -- key text and hash indexes of rows (sq_model.c), which also
 * holds the siqun.h accessors of an opened dataset.
 */
#ifndef SQ_MODEL_H
#define SQ_MODEL_H

#include <stddef.h>

#include "sq_error.h"
#include "sq_types.h"

/* Canonical key text of a value (integers in decimal; integral numbers as
   integers; other numbers as 0xFF and their 8 bytes; booleans true/false):
   sets *p and returns the length.  buf holds at least 24 bytes. */
size_t sq_value_key(siqun_value v, char *buf, const char **p);
/* Builds idx over rows of t on cols in arena a; returns the first row that
   repeats an earlier one's key (rows with a null key column are skipped),
   and that earlier row in *first, or -1 (then idx is complete).  Raises on
   out-of-memory. */
long sq_index_build(sq_loader *ld, sq_arena *a, sq_index *idx,
                    const siqun_table *t, const size_t *cols, size_t ncols,
                    size_t *first);
/* Row of t (indexed by idx) whose key equals that of row r of table u on
   columns ucols (idx->ncols of them), or -1. */
long sq_index_match(const sq_index *idx, const siqun_table *t,
                    const siqun_table *u, size_t r, const size_t *ucols);
/* The table named name of a dataset being loaded, or NULL. */
siqun_table *sq_table_mut(siqun_dataset *ds, const char *name);

#endif
