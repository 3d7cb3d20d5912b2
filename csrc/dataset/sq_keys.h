/*
 * sq_keys.h -- unique constraints, primary and foreign keys (sq_keys.c).
 */
#ifndef SQ_KEYS_H
#define SQ_KEYS_H

#include "sq_error.h"

/* Checks unique constraints, primary and foreign keys of every table
   (building each primary key's index), and that no chain of references
   within a table is a cycle. */
void sq_keys_check(sq_loader *ld);

#endif
