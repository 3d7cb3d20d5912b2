/*
 * sq_model.c -- read access to an opened dataset (the siqun.h accessors)
 * and the hash index on key columns that the loader builds and
 * siqun_find_key uses.  Everything here is read-only on the dataset, so
 * several threads may call it at once.
 */
#include <string.h>

#include "sq_model.h"
#include "sq_utf8.h"

/* ------------------------------------------------------------ keys */

size_t sq_value_key(siqun_value v, char *buf, const char **p) {
  switch (v.type) {
    case SIQUN_T_STRING:
      *p = v.as.s.ptr;
      return v.as.s.len;
    case SIQUN_T_INTEGER:
      *p = buf;
      return sq_lltoa(v.as.i, buf);
    case SIQUN_T_NUMBER:
      if (v.as.n == v.as.n && v.as.n >= -9.2e18 && v.as.n <= 9.2e18 &&
          (double)(long long)v.as.n == v.as.n) {
        *p = buf;
        return sq_lltoa((long long)v.as.n, buf);
      }
      buf[0] = (char)0xFF; /* never in UTF-8 text: cannot equal a string */
      memcpy(buf + 1, &v.as.n, sizeof v.as.n);
      *p = buf;
      return 1 + sizeof v.as.n;
    case SIQUN_T_BOOLEAN:
      *p = v.as.b ? "true" : "false";
      return strlen(*p);
    default: /* uncovered: a null is never hashed (keys are not null) */
      *p = "";
      return 0;
  }
}

static size_t hash_bytes(size_t h, const char *s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= (size_t)1099511628211ULL; /* FNV-1a (truncated on 32-bit) */
  }
  return h;
}

#define HASH0 ((size_t)14695981039346656037ULL)

static size_t hash_row(const siqun_table *t, size_t r, const size_t *cols, size_t n) {
  size_t h = HASH0, i;
  char buf[24];
  for (i = 0; i < n; i++) {
    const char *p;
    size_t len = sq_value_key(t->cells[r * t->nfields + cols[i]], buf, &p);
    h = hash_bytes(h, p, len);
    h = hash_bytes(h, "\xFE", 1);
  }
  return h;
}

/* Nonzero when row r of t on cols equals row s of u on ucols. */
static int same_key(const siqun_table *t, size_t r, const size_t *cols,
                    const siqun_table *u, size_t s, const size_t *ucols, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    char b1[24], b2[24];
    const char *p1, *p2;
    size_t l1 = sq_value_key(t->cells[r * t->nfields + cols[i]], b1, &p1);
    size_t l2 = sq_value_key(u->cells[s * u->nfields + ucols[i]], b2, &p2);
    if (l1 != l2 || (l1 && memcmp(p1, p2, l1) != 0)) return 0;
  }
  return 1;
}

static int has_null(const siqun_table *t, size_t r, const size_t *cols, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (t->cells[r * t->nfields + cols[i]].type == SIQUN_T_NULL) return 1;
  return 0;
}

long sq_index_build(sq_loader *ld, sq_arena *a, sq_index *idx,
                    const siqun_table *t, const size_t *cols, size_t ncols,
                    size_t *first) {
  size_t cap = 16, r;
  while (cap < 2 * t->nrows + 1) cap *= 2;
  idx->slots = (size_t *)sq_arena_alloc(a, cap * sizeof(size_t));
  if (idx->slots == NULL) sq_raise_oom(ld);
  memset(idx->slots, 0, cap * sizeof(size_t));
  idx->cap = cap;
  idx->cols = cols;
  idx->ncols = ncols;
  for (r = 0; r < t->nrows; r++) {
    size_t h;
    if (has_null(t, r, cols, ncols)) continue;
    h = hash_row(t, r, cols, ncols) & (cap - 1);
    while (idx->slots[h]) {
      size_t s = idx->slots[h] - 1;
      if (same_key(t, s, cols, t, r, cols, ncols)) {
        *first = s;
        return (long)r;
      }
      h = (h + 1) & (cap - 1);
    }
    idx->slots[h] = r + 1;
  }
  return -1;
}

long sq_index_match(const sq_index *idx, const siqun_table *t,
                    const siqun_table *u, size_t r, const size_t *ucols) {
  size_t h;
  if (idx->slots == NULL) return -1;
  h = hash_row(u, r, ucols, idx->ncols) & (idx->cap - 1);
  while (idx->slots[h]) {
    size_t s = idx->slots[h] - 1;
    if (same_key(t, s, idx->cols, u, r, ucols, idx->ncols)) return (long)s;
    h = (h + 1) & (idx->cap - 1);
  }
  return -1;
}

/* --------------------------------------------------------- accessors */

size_t siqun_ntables(const siqun_dataset *ds) {
  return ds ? ds->ntables : 0;
}

const siqun_table *siqun_table_at(const siqun_dataset *ds, size_t i) {
  if (ds == NULL || i >= ds->ntables) return NULL;
  return &ds->tables[i];
}

siqun_table *sq_table_mut(siqun_dataset *ds, const char *name) {
  size_t i;
  if (ds == NULL || name == NULL) return NULL;
  for (i = 0; i < ds->ntables; i++)
    if (ds->tables[i].name && strcmp(ds->tables[i].name, name) == 0) return &ds->tables[i];
  return NULL;
}

const siqun_table *siqun_table_find(const siqun_dataset *ds, const char *name) {
  size_t i;
  if (ds == NULL || name == NULL) return NULL;
  for (i = 0; i < ds->ntables; i++)
    if (ds->tables[i].name && strcmp(ds->tables[i].name, name) == 0) return &ds->tables[i];
  return NULL;
}

const char *siqun_table_name(const siqun_table *t) {
  return t ? t->name : NULL;
}

size_t siqun_nrows(const siqun_table *t) {
  return t ? t->nrows : 0;
}

size_t siqun_nfields(const siqun_table *t) {
  return t ? t->nfields : 0;
}

const char *siqun_field_name(const siqun_table *t, size_t col) {
  if (t == NULL || col >= t->nfields) return NULL;
  return t->fields[col].name;
}

const char *siqun_field_schema_type(const siqun_table *t, size_t col) {
  if (t == NULL || col >= t->nfields) return NULL;
  return t->fields[col].tname;
}

int siqun_field_derived(const siqun_table *t, size_t col) {
  if (t == NULL || col >= t->nfields) return 0;
  return t->fields[col].derived;
}

long siqun_field_index(const siqun_table *t, const char *name, size_t len) {
  size_t i;
  if (t == NULL || name == NULL) return -1;
  for (i = 0; i < t->nfields; i++)
    if (t->fields[i].namelen == len && memcmp(t->fields[i].name, name, len) == 0)
      return (long)i;
  return -1;
}

siqun_value siqun_cell(const siqun_table *t, size_t row, size_t col) {
  siqun_value v;
  if (t == NULL || row >= t->nrows || col >= t->nfields) {
    memset(&v, 0, sizeof v);
    v.type = SIQUN_T_NULL;
    return v;
  }
  return t->cells[row * t->nfields + col];
}

long siqun_find_key(const siqun_table *t, const char *key, size_t len) {
  size_t h, col;
  if (t == NULL || key == NULL || t->npk != 1 || t->pkindex.slots == NULL) return -1;
  col = t->pk[0];
  h = hash_bytes(hash_bytes(HASH0, key, len), "\xFE", 1) & (t->pkindex.cap - 1);
  while (t->pkindex.slots[h]) {
    size_t r = t->pkindex.slots[h] - 1;
    char buf[24];
    const char *p;
    size_t n = sq_value_key(t->cells[r * t->nfields + col], buf, &p);
    if (n == len && (n == 0 || memcmp(p, key, n) == 0)) return (long)r;
    h = (h + 1) & (t->pkindex.cap - 1);
  }
  return -1;
}

size_t siqun_primary_key(const siqun_table *t, size_t *cols, size_t max) {
  size_t i;
  if (t == NULL) return 0;
  for (i = 0; i < t->npk && i < max && cols; i++) cols[i] = t->pk[i];
  return t->npk;
}

void siqun_source(const siqun_dataset *ds, siqun_source_info *info) {
  if (info == NULL) return;
  if (ds == NULL) {
    memset(info, 0, sizeof *info);
    return;
  }
  *info = ds->source;
}
