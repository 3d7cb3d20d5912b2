/*
 * sq_embed.c -- host tool: loads a dataset directory with the library's own
 * loader and writes the parsed model as C source for the library.
 *
 *   sq_embed <root> <file>...   > sq_embedded.c
 *
 * Each file must lie under <root>/; it is named relative to <root> (the
 * descriptor is <root>/datapackage.json).  The files are loaded with
 * siqun_open_files (every check of a user's dataset applies), then the
 * dataset -- tables, fields, cells, primary keys and their hash indexes --
 * is written as const arrays: its strings in one byte array (each followed
 * by a NUL that its length does not count), the cells pointing into it.
 * The output defines siqun_open_embedded, which allocates only the small
 * handle (sq_open_static, sq_load.h): the embedded dataset costs no parsing
 * and no memory at run time, and is shared by every lua_State and thread.
 *
 * The hash indexes depend on the width of size_t: the output refuses to
 * compile (#error) where SIZE_MAX differs from the host's.
 * Built with the library's sources (sq_*.c) and the tools' C writer
 * (sq_cwrite.c) by the host compiler; plain C99, no POSIX.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sq_cwrite.h"
#include "sq_load.h"
#include "sq_types.h"

#define MAX_FILE ((size_t)64 << 20)

static int failed(const char *what, const char *path) {
  return sq_cw_failed("sq_embed", what, path);
}

/* ------------------------------------------------------------ the pool */

/* The string pool is written as it grows: each string's bytes and a NUL.
   Returns where the string starts. */
static size_t pool_add(sq_cw_bytes *p, const char *s, size_t len) {
  size_t at = p->n, i;
  for (i = 0; i < len; i++) sq_cw_byte(p, (unsigned char)s[i]);
  sq_cw_byte(p, 0);
  return at;
}

/* ------------------------------------------------------------ numbers */

static int put_double(double d) {
  if (d != d) return -1;
  if (d > 1.7976931348623157e308) printf("HUGE_VAL");
  else if (d < -1.7976931348623157e308) printf("(-HUGE_VAL)");
  else printf("%.17g", d);
  return 0;
}

static void put_ll(long long v) {
  if (v == (-9223372036854775807LL - 1)) printf("(-9223372036854775807LL - 1)");
  else printf("%lldLL", v);
}

static void put_size(size_t v) {
  printf("%lluu", (unsigned long long)v);
}

/* ------------------------------------------------------------ tables */

/* Offsets in the pool of every string of the dataset, in the order
   emit_tables reads them back. */
typedef struct offsets {
  size_t *at;
  size_t n, cap;
} offsets;

static int push_off(offsets *o, size_t v) {
  if (o->n == o->cap) {
    size_t *na;
    o->cap = o->cap ? 2 * o->cap : 1024;
    na = (size_t *)realloc(o->at, o->cap * sizeof *na);
    if (na == NULL) return -1;
    /* zeroed: clang-tidy's analyzer cannot see that emit_cells reads back
       only what emit_pool wrote (the pool's writer is in sq_cwrite.c) */
    memset(na + o->n, 0, (o->cap - o->n) * sizeof *na);
    o->at = na;
  }
  o->at[o->n++] = v;
  return 0;
}

/* Pass 1: the pool (names, paths, field names, string cells). */
static int emit_pool(const siqun_dataset *ds, offsets *o) {
  sq_cw_bytes p;
  size_t i, f, c;
  sq_cw_bytes_open(&p, "SQ_POOL_BYTES");
  for (i = 0; i < ds->ntables; i++) {
    const siqun_table *t = &ds->tables[i];
    if (push_off(o, pool_add(&p, t->name, strlen(t->name))) ||
        push_off(o, pool_add(&p, t->path, strlen(t->path))))
      return -1;
    for (f = 0; f < t->nfields; f++)
      if (push_off(o, pool_add(&p, t->fields[f].name, t->fields[f].namelen))) return -1;
    for (c = 0; c < t->nrows * t->nfields; c++)
      if (t->cells[c].type == SIQUN_T_STRING &&
          push_off(o, pool_add(&p, t->cells[c].as.s.ptr, t->cells[c].as.s.len)))
        return -1;
  }
  sq_cw_bytes_close();
  printf("#define SQ_POOL ((const char *)SQ_POOL_BYTES)\n\n");
  return 0;
}

static int emit_fields(size_t k, const siqun_table *t, const offsets *o, size_t *next) {
  size_t f;
  printf("static const sq_field SQ_F%lu[] = {\n", (unsigned long)k);
  for (f = 0; f < t->nfields; f++) {
    const sq_field *x = &t->fields[f];
    printf("  { .name = SQ_POOL + ");
    put_size(o->at[(*next)++]);
    printf(", .namelen = ");
    put_size(x->namelen);
    printf(", .tname = ");
    sq_cw_string(x->tname);
    printf(", .type = (sq_ftype)%d, .derived = %d, .format = %d,\n", (int)x->type, x->derived,
           x->format);
    printf("    .required = %d, .unique = %d, .has_min = %d, .has_max = %d, .min = ", x->required,
           x->unique, x->has_min, x->has_max);
    if (put_double(x->min)) return -1;
    printf(", .max = ");
    if (put_double(x->max)) return -1;
    printf(",\n    .imin = ");
    put_ll(x->imin);
    printf(", .imax = ");
    put_ll(x->imax);
    printf(", .imin_ok = %d, .imax_ok = %d, .has_minlen = %d, .has_maxlen = %d,\n", x->imin_ok,
           x->imax_ok, x->has_minlen, x->has_maxlen);
    printf("    .minlen = ");
    put_size(x->minlen);
    printf(", .maxlen = ");
    put_size(x->maxlen);
    printf(" },\n");
  }
  if (t->nfields == 0) printf("  { .name = 0 }\n");
  printf("};\n\n");
  return 0;
}

static int emit_cells(size_t k, const siqun_table *t, const offsets *o, size_t *next) {
  size_t c, n = t->nrows * t->nfields;
  printf("static const siqun_value SQ_C%lu[] = {\n", (unsigned long)k);
  for (c = 0; c < n; c++) {
    siqun_value v = t->cells[c];
    switch (v.type) {
      case SIQUN_T_STRING:
        printf("  { SIQUN_T_STRING, { .s = { SQ_POOL + ");
        put_size(o->at[(*next)++]);
        printf(", ");
        put_size(v.as.s.len);
        printf(" } } },\n");
        break;
      case SIQUN_T_INTEGER:
        printf("  { SIQUN_T_INTEGER, { .i = ");
        put_ll(v.as.i);
        printf(" } },\n");
        break;
      case SIQUN_T_NUMBER:
        printf("  { SIQUN_T_NUMBER, { .n = ");
        if (put_double(v.as.n)) return -1;
        printf(" } },\n");
        break;
      case SIQUN_T_BOOLEAN:
        printf("  { SIQUN_T_BOOLEAN, { .b = %d } },\n", v.as.b ? 1 : 0);
        break;
      default:
        printf("  { SIQUN_T_NULL, { .i = 0 } },\n");
    }
  }
  if (n == 0) printf("  { SIQUN_T_NULL, { .i = 0 } }\n");
  printf("};\n\n");
  return 0;
}

static void emit_sizes(const char *name, size_t k, const size_t *v, size_t n) {
  size_t i;
  printf("static const size_t %s%lu[] = {", name, (unsigned long)k);
  for (i = 0; i < n; i++) {
    if (i % 16 == 0) printf("\n ");
    printf(" ");
    put_size(v[i]);
    printf(",");
  }
  if (n == 0) printf(" 0");
  printf("\n};\n\n");
}

static int emit(const siqun_dataset *ds, const char *root) {
  offsets o = { NULL, 0, 0 };
  size_t i, next = 0;
  int rc = -1;
  printf("/* Generated by csrc/tools/sq_embed.c from %s/: do not edit. */\n", root);
  printf("#include <math.h>\n#include <stdint.h>\n\n#include \"sq_load.h\"\n#include \"sq_types.h\"\n\n");
  printf("#if SIZE_MAX != %lluu\n", (unsigned long long)SIZE_MAX);
  printf("#error \"sq_embedded.c was generated for another width of size_t\"\n#endif\n\n");
  if (emit_pool(ds, &o)) goto done;
  for (i = 0; i < ds->ntables; i++) {
    const siqun_table *t = &ds->tables[i];
    next += 2;
    if (emit_fields(i, t, &o, &next) || emit_cells(i, t, &o, &next)) goto done;
    emit_sizes("SQ_PK", i, t->pk, t->npk);
    if (t->pkindex.slots) {
      emit_sizes("SQ_SLOTS", i, t->pkindex.slots, t->pkindex.cap);
      if (t->pkindex.cols != t->pk) emit_sizes("SQ_ICOLS", i, t->pkindex.cols, t->pkindex.ncols);
    }
  }
  printf("static const siqun_table SQ_TABLES[] = {\n");
  for (i = 0, next = 0; i < ds->ntables; i++) {
    const siqun_table *t = &ds->tables[i];
    unsigned long k = (unsigned long)i;
    printf("  { .name = SQ_POOL + ");
    put_size(o.at[next]);
    printf(", .path = SQ_POOL + ");
    put_size(o.at[next + 1]);
    next += 2 + t->nfields;
    {
      size_t c;
      for (c = 0; c < t->nrows * t->nfields; c++)
        if (t->cells[c].type == SIQUN_T_STRING) next++;
    }
    printf(",\n    .nrows = ");
    put_size(t->nrows);
    printf(", .nfields = ");
    put_size(t->nfields);
    printf(", .ncsv = ");
    put_size(t->ncsv);
    printf(",\n    .fields = (sq_field *)SQ_F%lu, .cells = (siqun_value *)SQ_C%lu,\n", k, k);
    printf("    .pk = (size_t *)SQ_PK%lu, .npk = ", k);
    put_size(t->npk);
    if (t->pkindex.slots) {
      printf(",\n    .pkindex = { (size_t *)SQ_SLOTS%lu, ", k);
      put_size(t->pkindex.cap);
      if (t->pkindex.cols != t->pk) printf(", SQ_ICOLS%lu, ", k);
      else printf(", SQ_PK%lu, ", k);
      put_size(t->pkindex.ncols);
      printf(" }");
    }
    printf(" },\n");
  }
  if (ds->ntables == 0) printf("  { .name = 0 }\n");
  printf("};\n\n");
  printf("static const siqun_source_info SQ_SOURCE = { ");
  sq_cw_string(ds->source.sha256);
  printf(", ");
  put_size(ds->source.bytes);
  printf(", ");
  put_size(ds->source.codepoints);
  printf(" };\n\n");
  printf("int siqun_open_embedded(siqun_alloc alloc, void *ud, siqun_dataset **out,\n"
         "                        char *err, size_t errsz) {\n"
         "  return sq_open_static(SQ_TABLES, %lu, &SQ_SOURCE, alloc, ud, out, err, errsz);\n"
         "}\n", (unsigned long)ds->ntables);
  rc = 0;
done:
  free(o.at);
  return rc;
}

int main(int argc, char **argv) {
  const char *root;
  size_t rl;
  siqun_file *files;
  siqun_dataset *ds = NULL;
  char err[SIQUN_ERRMAX];
  int i, n, rc = 1;
  if (argc < 2) {
    fprintf(stderr, "usage: sq_embed <root> <file>...\n");
    return 2;
  }
  root = argv[1];
  rl = strlen(root);
  while (rl > 1 && root[rl - 1] == '/') rl--;
  n = argc - 2;
  files = (siqun_file *)calloc((size_t)n + 1, sizeof *files);
  if (files == NULL) return failed("out of memory", root);
  for (i = 0; i < n; i++) {
    const char *p = argv[i + 2];
    char *data = NULL;
    size_t len = 0;
    if (strncmp(p, root, rl) != 0 || p[rl] != '/' || p[rl + 1] == '\0') {
      failed("not under the root directory", p);
      goto done;
    }
    if (sq_cw_slurp("sq_embed", p, MAX_FILE, &data, &len)) goto done;
    files[i].name = p + rl + 1;
    files[i].data = data;
    files[i].len = len;
  }
  if (siqun_open_files(files, (size_t)n, NULL, NULL, &ds, err, sizeof err) != 0) {
    fprintf(stderr, "sq_embed: %.*s: %s\n", (int)rl, root, err);
    goto done;
  }
  if (emit(ds, root)) {
    failed("a number is not a number (NaN)", root);
    goto done;
  }
  if (fflush(stdout) != 0 || ferror(stdout)) {
    failed("write error", "stdout");
    goto done;
  }
  rc = 0;
done:
  siqun_close(ds);
  for (i = 0; i < n; i++) free((void *)files[i].data);
  free(files);
  return rc;
}
