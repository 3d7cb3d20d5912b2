/*
 * sq_error.h -- the loader's state and its errors (sq_error.c).
 *
 * Every loading function takes the loader (sq_loader) and raises with
 * sq_raise / sq_raise_oom, which longjmp to the one setjmp of sq_load_run
 * (sq_load.c); everything the load allocated lives in two arenas that are
 * then released, so nothing is half-loaded and nothing leaks.
 */
#ifndef SQ_ERROR_H
#define SQ_ERROR_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include "siqun.h"
#include "sq_alloc.h"
#include "sq_limits.h"

#if defined(__GNUC__)
#define SQ_NORETURN __attribute__((noreturn))
#define SQ_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SQ_NORETURN
#define SQ_PRINTF(f, a)
#endif

#define SQ_NOMEM "not enough memory"

struct sq_json; /* a value of the descriptor (sq_json.h) */

/* Load-time state of one table (scratch): filled by the descriptor reader
   (res, fkeys, enums) and the cell reader (lines). */
typedef struct sq_tload {
  const struct sq_json *res;     /* the resource */
  const struct sq_json *fkeys;   /* schema.foreignKeys or NULL */
  const struct sq_json **enums;  /* per CSV field: constraints.enum or NULL */
  size_t *lines;                 /* per row: physical line of the CSV */
} sq_tload;

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
/* Sets "not enough memory" and unwinds. */
SQ_NORETURN void sq_raise_oom(sq_loader *ld);
/* vsnprintf into buf (size > 0), then drops an incomplete UTF-8 sequence
   that the cut left at the end. */
void sq_vformat(char *buf, size_t size, const char *fmt, va_list ap) SQ_PRINTF(3, 0);
/* Writes into buf (size >= SQ_QUOTE_MAX + 4) the value (s, len) cut at a
   character boundary, with "..." when cut, control characters (NUL
   included) shown as '?'; returns buf. */
const char *sq_quote(char *buf, const char *s, size_t len);

#endif
