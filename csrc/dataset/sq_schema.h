/*
 * sq_schema.h -- the data package descriptor (sq_schema.c): resources and
 * their Table Schemas, and errors that point at a line of the descriptor.
 */
#ifndef SQ_SCHEMA_H
#define SQ_SCHEMA_H

#include "sq_error.h"
#include "sq_json.h"

/* Reads the descriptor root: fills ld->ds's tables and ld->tl. */
void sq_schema_load(sq_loader *ld, const sq_json *root);
/* sq_raise for the descriptor: "datapackage.json:<line>: <message>", the
   line being that of the JSON value at (no line when at is NULL). */
SQ_NORETURN void sq_desc_raise(sq_loader *ld, const sq_json *at, const char *fmt, ...)
    SQ_PRINTF(3, 4);

#endif
