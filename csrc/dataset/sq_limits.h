/*
 * sq_limits.h -- the bounds of a dataset, in one block, and the name of its
 * descriptor.  Every dataset file checks against these.
 */
#ifndef SQ_LIMITS_H
#define SQ_LIMITS_H

#include <stddef.h>

/* A dataset is hostile input: every size is bounded, so that loading one
   takes time and memory linear in its files and at most a few times
   SQ_MAX_TOTAL, and is refused early (before reading, or at the first byte
   past a limit) with a message naming the file, line and limit:
     file      64 MB (checked with stat, before reading)   "file larger than"
     all files 256 MB                                      "the dataset's files exceed"
     field     1 MB (the reader stops there)               "field longer than"
     record    128 fields                                  "more than 128 fields"
     table     1 000 000 rows and 4 194 304 cells, rows times fields with the
               derived ones  ("too many rows", "too many cells": counted in a
               first pass over the CSV, before any cell is converted)
   A table of a million rows of two fields loads in about a second
   (spec/hostile_spec.lua).  Chains of references within a table
   (places.parent) are followed once each: a cycle is refused. */

#define SQ_MAX_FILE   ((size_t)64 << 20)  /* bytes of one file */
#define SQ_MAX_TOTAL  ((size_t)256 << 20) /* bytes of all the files of a dataset */
#define SQ_MAX_DESC   ((size_t)4 << 20)   /* bytes of datapackage.json */
#define SQ_MAX_FILES  1024                /* files given to siqun_open_files */
#define SQ_MAX_TABLES 64                  /* resources of a descriptor */
#define SQ_MAX_FIELDS 128                 /* fields of a table, derived ones included */
#define SQ_MAX_ROWS   1000000             /* data rows of a table */
#define SQ_MAX_CELLS  ((size_t)1 << 22)   /* rows * fields of a table */
#define SQ_MAX_CELL   ((size_t)1 << 20)   /* bytes of one CSV field */
#define SQ_MAX_NAME   64                  /* bytes of a table or field name */
#define SQ_MAX_PATH   1024                /* bytes of a resource path */
#define SQ_MAX_ENUM   1024                /* values of an enum constraint */
#define SQ_MAX_FKEYS  32                  /* foreign keys of a table */
#define SQ_JSON_DEPTH 32                  /* nesting of the descriptor */
#define SQ_JSON_MAXOBJ 256                /* members of a JSON object */
#define SQ_JSON_MAXARR 65536              /* elements of a JSON array */
#define SQ_QUOTE_MAX  48                  /* bytes of a user's value quoted in a message */

#define SQ_DESCRIPTOR "datapackage.json"

#endif
