/*
 * sq_internal.h -- types, limits and functions shared by the dataset files:
 * sq_alloc.c (arenas), sq_utf8.c (UTF-8 and number text), sq_sha256.c,
 * sq_csv.c (RFC 4180 reader), sq_json.c (descriptor reader), sq_schema.c
 * (Table Schema and the siqun rules on the descriptor), sq_load.c (files ->
 * dataset: cells, constraints, keys), sq_rules.c (spans, derived fields),
 * sq_model.c (accessors, key index) and sq_dir.c (files of a directory).
 * Nothing here is visible outside the library.
 *
 * Error handling inside the loader: every function that can fail takes the
 * loader (sq_loader) and raises with sq_raise / sq_raise_oom, which longjmp
 * to siqun_open_files; everything the load allocated lives in two arenas
 * that are then released, so nothing is half-loaded and nothing leaks.
 */
#ifndef SQ_INTERNAL_H
#define SQ_INTERNAL_H

#include <setjmp.h>
#include <stddef.h>

#include "siqun.h"

#if defined(__GNUC__)
#define SQ_NORETURN __attribute__((noreturn))
#define SQ_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SQ_NORETURN
#define SQ_PRINTF(f, a)
#endif

struct sq_json; /* the descriptor's JSON values (below) */

/* ---------------------------------------------------------------- limits */

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
#define SQ_NOMEM "not enough memory"

/* ---------------------------------------------------------------- arenas */

typedef struct sq_block sq_block;

/* Bump allocator over a lua_Alloc-style function; freed all at once. */
typedef struct sq_arena {
  siqun_alloc alloc;
  void *ud;
  sq_block *blocks; /* newest first */
  char *next;       /* free space of the newest block */
  size_t left;
} sq_arena;

/* The allocator used when the caller passes NULL (realloc/free). */
void *sq_default_alloc(void *ud, void *ptr, size_t osize, size_t nsize);
void sq_arena_init(sq_arena *a, siqun_alloc alloc, void *ud);
/* n bytes aligned for any type, or NULL when out of memory. */
void *sq_arena_alloc(sq_arena *a, size_t n);
/* n bytes in a block of their own, exactly that size (a small allocation
   that must not take a whole block), or NULL when out of memory. */
void *sq_arena_alloc_own(sq_arena *a, size_t n);
/* Frees every block; the arena is empty (and reusable) afterwards. */
void sq_arena_release(sq_arena *a);

/* ---------------------------------------------------------------- loader */

/* Load-time state of one table (scratch). */
typedef struct sq_tload sq_tload;

typedef struct sq_loader {
  jmp_buf jb;
  siqun_dataset *ds;   /* being built, in ds->arena */
  sq_arena scratch;    /* freed at the end of the load */
  sq_tload *tl;        /* one per table */
  char *err;
  size_t errsz;
  int oom;
  /* where the files come from */
  int (*getfile)(struct sq_loader *ld, void *fud, const char *path,
                 const char **data, size_t *len);
  void *fud;
  size_t total;        /* bytes read so far */
} sq_loader;

/* Formats the message into ld->err and unwinds to the loader. */
SQ_NORETURN void sq_raise(sq_loader *ld, const char *fmt, ...) SQ_PRINTF(2, 3);
/* sq_raise for the descriptor: "datapackage.json:<line>: <message>", the
   line being that of the JSON value at (no line when at is NULL). */
SQ_NORETURN void sq_desc_raise(sq_loader *ld, const struct sq_json *at, const char *fmt, ...)
    SQ_PRINTF(3, 4);
/* Sets "not enough memory" and unwinds. */
SQ_NORETURN void sq_raise_oom(sq_loader *ld);
/* Allocation in the dataset's arena (p) or the scratch one (s); raise on
   out-of-memory.  sq_?array checks n * size for overflow. */
void *sq_palloc(sq_loader *ld, size_t n);
void *sq_salloc(sq_loader *ld, size_t n);
void *sq_parray(sq_loader *ld, size_t n, size_t size);
void *sq_sarray(sq_loader *ld, size_t n, size_t size);
/* NUL-terminated copy of (s, len) in the dataset's arena. */
char *sq_pstrdup(sq_loader *ld, const char *s, size_t len);
/* Writes into buf (size >= SQ_QUOTE_MAX + 4) the value (s, len) cut at a
   character boundary, with "..." when cut, control characters (NUL
   included) shown as '?'; returns buf. */
const char *sq_quote(char *buf, const char *s, size_t len);

/* ----------------------------------------------------------------- UTF-8 */

/* Decodes one code point at s[0..len); returns its byte length, 0 if the
   bytes there are not valid UTF-8 (or len == 0). */
size_t sq_u8_decode(const char *s, size_t len, unsigned long *cp);
/* Number of code points of valid UTF-8 (s, len). */
size_t sq_u8_count(const char *s, size_t len);
/* Length of the longest prefix of (s, len) at most max bytes long that ends
   on a character boundary. */
size_t sq_u8_cut(const char *s, size_t len, size_t max);
/* Locale-independent strtod over the whole of (s, len): 0 on success. */
int sq_strtod(const char *s, size_t len, double *out);
/* Decimal text of v into buf (at least 24 bytes); returns its length. */
size_t sq_lltoa(long long v, char *buf);

/* ------------------------------------------------------------------- CSV */

typedef struct sq_csv_field {
  const char *p;  /* raw bytes: quotes removed, doubled quotes still doubled */
  size_t len;
  int escaped;    /* contains doubled quotes */
} sq_csv_field;

typedef struct sq_csv {
  const char *s;
  size_t len, pos;
  size_t line;      /* physical line (1-based) where the next record starts */
  size_t rec_line;  /* line of the record last returned */
  size_t err_line;  /* line of the error */
  char msg[80];     /* why the last call failed */
} sq_csv;

/* Starts reading (s, len); skips a UTF-8 BOM. */
void sq_csv_init(sq_csv *r, const char *s, size_t len);
/* Reads one record into f[0..*nf): 1, 0 at the end of input, -1 on error
   (r->msg, r->err_line). */
int sq_csv_next(sq_csv *r, sq_csv_field *f, size_t maxf, size_t *nf);
/* Copies the field's text with doubled quotes undone into dst (room for
   f->len bytes); returns the length written. */
size_t sq_csv_unescape(const sq_csv_field *f, char *dst);

/* ------------------------------------------------------------------ JSON */

typedef enum sq_jtype {
  SQ_J_NULL, SQ_J_FALSE, SQ_J_TRUE, SQ_J_NUMBER, SQ_J_STRING, SQ_J_ARRAY,
  SQ_J_OBJECT
} sq_jtype;

typedef struct sq_json {
  sq_jtype type;
  size_t line;            /* line of the value in its file */
  const char *s;          /* STRING: unescaped, NUL-terminated; NUMBER: literal */
  size_t len;
  double num;             /* NUMBER */
  const char *key;        /* as a member of an object: its key (NUL-terminated) */
  size_t keylen;
  struct sq_json *child;  /* ARRAY, OBJECT: first element */
  struct sq_json *next;   /* next element of the parent */
  size_t n;               /* ARRAY, OBJECT: number of elements */
} sq_json;

/* Parses (s, len) from file name into the scratch arena; raises on error. */
const sq_json *sq_json_parse(sq_loader *ld, const char *name, const char *s,
                             size_t len);
/* The member key of object o, or NULL. */
const sq_json *sq_json_get(const sq_json *o, const char *key);
/* Nonzero when v is a JSON integer literal (no fraction, no exponent) that
   fits in a long long; then *out is its value. */
int sq_json_int(const sq_json *v, long long *out);
/* Name of a JSON type for messages ("a string", "an object", ...). */
const char *sq_json_typename(const sq_json *v);

/* ------------------------------------------------------------ the model */

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

struct sq_tload {
  const sq_json *res;     /* the resource */
  const sq_json *fkeys;   /* schema.foreignKeys or NULL */
  const sq_json **enums;  /* per CSV field: constraints.enum or NULL */
  size_t *lines;          /* per row: physical line of the CSV */
};

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

/* The descriptor (sq_schema.c): fills ld->ds's tables and ld->tl. */
void sq_schema_load(sq_loader *ld, const sq_json *root);
/* Checks a resource path (JSON value at, of resource res): relative, no
   '..', no backslash; raises. */
void sq_schema_check_path(sq_loader *ld, const sq_json *at, const char *res,
                          const char *path, size_t len);
/* The siqun rules on loaded tables (sq_load.c). */
void sq_rules_apply(sq_loader *ld);
/* Reads a CSV into table t (sq_load.c). */
void sq_load_table(sq_loader *ld, siqun_table *t, sq_tload *tl,
                   const char *data, size_t len);
/* Checks unique constraints, primary and foreign keys of every table. */
void sq_keys_check(sq_loader *ld);
/* Runs a load: parses the descriptor got through ld->getfile, then each
   resource; 0 or -1 with the message in err (sq_load.c). */
int sq_load_run(sq_loader *ld, siqun_alloc alloc, void *ud,
                siqun_dataset **out);

/* A dataset whose tables are static, immutable data (the embedded one,
   generated by csrc/tools/sq_embed.c): allocates only the handle, through
   alloc; siqun_close frees it and leaves the tables alone (sq_load.c). */
int sq_open_static(const siqun_table *tables, size_t ntables,
                   const siqun_source_info *source, siqun_alloc alloc, void *ud,
                   siqun_dataset **out, char *err, size_t errsz);

#endif
