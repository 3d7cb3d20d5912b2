/*
 * sq_types.h -- the dataset model every dataset file shares: fields,
 * tables (typed cells, primary key and its index) and the dataset, which
 * owns all of it in one arena.  siqun.h declares these types opaque; only
 * the library (and the generated sq_embedded.c) sees inside.
 */
#ifndef SQ_TYPES_H
#define SQ_TYPES_H

#include <stddef.h>

#include "siqun.h"
#include "sq_alloc.h"

typedef enum sq_ftype {
  SQ_F_STRING, SQ_F_INTEGER, SQ_F_NUMBER, SQ_F_BOOLEAN, SQ_F_DATE,
  SQ_F_DATETIME, SQ_F_YEAR
} sq_ftype;

typedef struct sq_field {
  const char *name;      /* NUL-terminated, in the dataset's arena */
  size_t namelen;
  const char *tname;     /* "string", "integer", ... (static) */
  sq_ftype type;
  int derived;
  /* Table Schema format and constraints */
  int format;            /* SQ_FMT_* */
  int required, unique;
  int has_min, has_max;
  double min, max;
  long long imin, imax;  /* exact bounds for integer fields */
  int imin_ok, imax_ok;  /* imin/imax are exact */
  int has_minlen, has_maxlen;
  size_t minlen, maxlen;
} sq_field;

#define SQ_FMT_DEFAULT 0
#define SQ_FMT_URI 1
#define SQ_FMT_EMAIL 2

/* Open-addressing hash index of the rows of a table on some of its
   columns: slots hold row + 1, 0 when empty. */
typedef struct sq_index {
  size_t *slots;
  size_t cap;            /* a power of two, at least twice the rows */
  const size_t *cols;
  size_t ncols;
} sq_index;

struct siqun_table {
  const char *name;      /* NUL-terminated */
  const char *path;      /* the resource's path, NUL-terminated */
  size_t nrows, nfields;
  size_t ncsv;           /* fields read from the CSV; the rest are derived */
  sq_field *fields;
  siqun_value *cells;    /* nrows * nfields, row after row */
  size_t *pk;            /* primary key columns */
  size_t npk;
  sq_index pkindex;      /* on pk (slots NULL when npk == 0) */
};

struct siqun_dataset {
  sq_arena arena;        /* owns the dataset itself and all it holds */
  size_t ntables;
  siqun_table *tables;
  siqun_source_info source;
};

#endif
