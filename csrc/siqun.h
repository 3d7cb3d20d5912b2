/*
 * siqun.h -- public C API of siqun: the dataset model and the Chinese
 * quantity parser.  No Lua dependency; the Lua binding (siqun.core) is one
 * client of this header among others.
 *
 * Conventions
 *  - Functions that can fail return 0 on success and -1 on failure, writing a
 *    NUL-terminated message of at most errsz bytes to err (err may be NULL).
 *  - All memory is obtained through a lua_Alloc-compatible allocator
 *    (alloc == NULL selects a realloc/free one), so a Lua host can route it
 *    through lua_getallocf and see out-of-memory as "not enough memory".
 *  - A dataset is immutable after it is opened; it may be read from several
 *    threads at once.  There is no global mutable state.
 *  - Strings are UTF-8, not NUL-terminated unless stated: (ptr, len) pairs.
 */
#ifndef SIQUN_H
#define SIQUN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SIQUN_VERSION "0.1.0"
#define SIQUN_ERRMAX 512 /* a buffer this size always holds a whole message */

/* lua_Alloc-compatible allocator: nsize == 0 frees, otherwise (re)allocates. */
typedef void *(*siqun_alloc)(void *ud, void *ptr, size_t osize, size_t nsize);

/* ---------------------------------------------------------------- values */

typedef enum siqun_type {
  SIQUN_T_NULL = 0, /* empty CSV cell, or a derived value that does not apply */
  SIQUN_T_STRING,   /* also Table Schema date, datetime, year stored as text */
  SIQUN_T_INTEGER,
  SIQUN_T_NUMBER,
  SIQUN_T_BOOLEAN
} siqun_type;

typedef struct siqun_value {
  siqun_type type;
  union {
    struct { const char *ptr; size_t len; } s; /* SIQUN_T_STRING */
    long long i;                               /* SIQUN_T_INTEGER */
    double n;                                  /* SIQUN_T_NUMBER */
    int b;                                     /* SIQUN_T_BOOLEAN */
  } as;
} siqun_value;

/* --------------------------------------------------------------- dataset */

typedef struct siqun_dataset siqun_dataset;
typedef struct siqun_table siqun_table;

/* One in-memory file of a dataset: its path relative to the dataset root. */
typedef struct siqun_file {
  const char *name;
  const char *data;
  size_t len;
} siqun_file;

/* Opens a dataset from in-memory files ("datapackage.json" and the CSVs it names). */
int siqun_open_files(const siqun_file *files, size_t nfiles, siqun_alloc alloc,
                     void *ud, siqun_dataset **out, char *err, size_t errsz);
/* Opens the dataset in directory dir (reads datapackage.json and its resources). */
int siqun_open_dir(const char *dir, siqun_alloc alloc, void *ud,
                   siqun_dataset **out, char *err, size_t errsz);
/* Opens the dataset compiled into the library.  It was loaded and checked
   at build time and is static, immutable data: this allocates only a small
   handle (through alloc), which siqun_close frees. */
int siqun_open_embedded(siqun_alloc alloc, void *ud, siqun_dataset **out,
                        char *err, size_t errsz);
/* Frees a dataset and everything it owns; NULL is accepted. */
void siqun_close(siqun_dataset *ds);

/* Number of tables, in descriptor order. */
size_t siqun_ntables(const siqun_dataset *ds);
/* The i-th table (0-based), or NULL when out of range. */
const siqun_table *siqun_table_at(const siqun_dataset *ds, size_t i);
/* The table named name (NUL-terminated), or NULL. */
const siqun_table *siqun_table_find(const siqun_dataset *ds, const char *name);

/* The table's name (NUL-terminated). */
const char *siqun_table_name(const siqun_table *t);
/* Number of data rows. */
size_t siqun_nrows(const siqun_table *t);
/* Number of fields: the CSV's columns followed by the derived ones. */
size_t siqun_nfields(const siqun_table *t);
/* The name of field col (NUL-terminated), or NULL when out of range. */
const char *siqun_field_name(const siqun_table *t, size_t col);
/* The Table Schema type of field col ("string", "integer", "date", ...). */
const char *siqun_field_schema_type(const siqun_table *t, size_t col);
/* Nonzero when field col is derived by the loader rather than read from CSV. */
int siqun_field_derived(const siqun_table *t, size_t col);
/* Index of the field named (name, len), or -1. */
long siqun_field_index(const siqun_table *t, const char *name, size_t len);
/* The value at (row, col); SIQUN_T_NULL when either is out of range. */
siqun_value siqun_cell(const siqun_table *t, size_t row, size_t col);
/* Row whose single-field primary key equals the text (key, len), or -1. */
long siqun_find_key(const siqun_table *t, const char *key, size_t len);
/* Number of primary key fields of t; their columns go to cols[0 .. min(that, max)). */
size_t siqun_primary_key(const siqun_table *t, size_t *cols, size_t max);

/* The source article the spans point into, as the descriptor records it. */
typedef struct siqun_source_info {
  char sha256[65]; /* lowercase hex, NUL-terminated */
  size_t bytes;    /* after removing a BOM and turning CRLF into LF */
  size_t codepoints;
} siqun_source_info;
/* Fills *info from the dataset's descriptor. */
void siqun_source(const siqun_dataset *ds, siqun_source_info *info);

/* ------------------------------------------------------------ utilities */

/* SHA-256 of (data, len) into out[32]. */
void siqun_sha256(const void *data, size_t len, unsigned char out[32]);
/* Byte length of the longest valid UTF-8 prefix of (s, len). */
size_t siqun_utf8_valid(const char *s, size_t len);

/* ------------------------------------------------------------ quantities */

/* What a quantity is (the Lua field `kind`).  The kinds after DATE are
   being introduced (issue 14): until a form sets them, results are NUMBER
   or DATE. */
typedef enum siqun_qkind {
  SIQUN_Q_NUMBER = 0, /* a number with no unit: 二百五十, 3万5 */
  SIQUN_Q_DATE,       /* a calendar date or a range of dates: 2012年7月1日 */
  SIQUN_Q_AMOUNT,     /* a number with a unit or measure word: 35.5亿元, 5人 */
  SIQUN_Q_PERCENT,    /* a share: 30%, 百分之五, 三成, 千分之五 */
  SIQUN_Q_RANGE,      /* two bounds, printed or implied: 3至5万, 两三个, 十几万 */
  SIQUN_Q_PERIOD,     /* a span of the calendar: 20世纪60年代, 四季度, 上半年 */
  SIQUN_Q_ORDINAL,    /* a position, not an amount: 第三, 第21届, 二期 */
  SIQUN_Q_RELATIVE    /* a time counted from now: 3年前, 一百年后 */
} siqun_qkind;

typedef enum siqun_qualifier {
  SIQUN_EXACT = 0, /* as printed */
  SIQUN_APPROX,    /* 约, 大约, 左右 ... (min and max open) */
  SIQUN_NEARLY,    /* 近, 将近, 接近 (max = value) */
  SIQUN_OVER,      /* 余, 多, 超过, 逾 (min = value) */
  SIQUN_AT_LEAST,  /* 不少于, 至少, 以上 (min = value, inclusive) */
  SIQUN_AT_MOST,   /* 不超过, 至多, 以下, 以内 (max = value) */
  SIQUN_UNDER,     /* 不到, 不足, 低于 (max = value, exclusive) */
  SIQUN_RANGE      /* 10～20万, 两到三万 (min, max = the ends) */
} siqun_qualifier;

/* A calendar date as printed; 0 where the text omits a part. */
typedef struct siqun_date { int year, month, day; } siqun_date;

typedef struct siqun_quantity {
  siqun_qkind kind;
  siqun_qualifier qualifier;
  double value;          /* SIQUN_Q_NUMBER: scale folded in (35.5亿 -> 3.55e9) */
  int has_min, has_max;  /* bounds the qualifier implies; 0 where open */
  double min, max;
  char unit[32];         /* unit or measure word as printed, NUL-terminated; "" if none */
  siqun_date date, to;   /* SIQUN_Q_DATE: the date, and the end of a range (to.year == 0 && to.month == 0 && to.day == 0 if none) */
  size_t start, stop;    /* byte offsets in the input: [start, stop) */
} siqun_quantity;

/* Name of a qualifier ("exact", "approx", "nearly", "over", "at_least", ...). */
const char *siqun_qualifier_name(siqun_qualifier q);
/* Parses the whole of (s, len) as one quantity expression. */
int siqun_quantity_parse(const char *s, size_t len, siqun_quantity *out,
                         char *err, size_t errsz);
/* Finds the next quantity in (s, len) at or after *pos; 1 if found (then
   *pos = out->stop), 0 at the end.  Linear, no allocation, skips invalid UTF-8. */
int siqun_scan_next(const char *s, size_t len, size_t *pos, siqun_quantity *out);

#ifdef __cplusplus
}
#endif
#endif /* SIQUN_H */
