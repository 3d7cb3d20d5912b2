/*
 * sq_keys.c -- the keys of the loaded tables: unique constraints, primary
 * keys (their index is kept in the dataset for siqun_find_key), foreign keys
 * (each reference must name a row; a chain of references within a table
 * must not loop).  Messages give the keys' values and the line of the row.
 */
#include <stdio.h>
#include <string.h>

#include "sq_json.h"
#include "sq_keys.h"
#include "sq_model.h"
#include "sq_palloc.h"
#include "sq_schema.h"

/* ---------------------------------------------------------- keys */

/* "a, b" of the key of row r of t on cols, into buf. */
static const char *key_text(char *buf, size_t size, const siqun_table *t, size_t r,
                            const size_t *cols, size_t n) {
  size_t i, used = 0;
  buf[0] = '\0';
  for (i = 0; i < n && used + 8 < size; i++) {
    char kb[24], qb[SQ_QUOTE_MAX + 4];
    const char *p;
    siqun_value v = t->cells[r * t->nfields + cols[i]];
    size_t len = sq_value_key(v, kb, &p);
    int k;
    if (v.type == SIQUN_T_NUMBER && len && (unsigned char)p[0] == 0xFF)
      snprintf(qb, sizeof qb, "%.15g", v.as.n);
    else
      sq_quote(qb, p, len);
    k = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", qb);
    if (k < 0 || (size_t)k >= size - used) break;
    used += (size_t)k;
  }
  return buf;
}

static const char *field_list(char *buf, size_t size, const siqun_table *t,
                              const size_t *cols, size_t n) {
  size_t i, used = 0;
  buf[0] = '\0';
  for (i = 0; i < n; i++) {
    int k = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", t->fields[cols[i]].name);
    if (k < 0 || (size_t)k >= size - used) break;
    used += (size_t)k;
  }
  return buf;
}

/* Columns named by a foreignKeys "fields" value v (string or array) of the
   JSON object fk. */
static size_t fk_cols(sq_loader *ld, const siqun_table *t, const siqun_table *owner,
                      const sq_json *fk, const sq_json *v, size_t *cols) {
  const sq_json *e;
  size_t n = 0;
  char b[SQ_QUOTE_MAX + 4];
  if (v && v->type == SQ_J_STRING) {
    e = v;
    goto one;
  }
  if (v == NULL || v->type != SQ_J_ARRAY || v->n == 0 || v->n > SQ_MAX_FIELDS)
    sq_desc_raise(ld, v ? v : fk, "resource '%s': foreignKeys: fields must be a field name "
             "or a non-empty array of field names", owner->name);
  for (e = v->child; e; e = e->next) {
    long c;
  one:
    if (e->type != SQ_J_STRING)
      sq_desc_raise(ld, e, "resource '%s': foreignKeys: fields must be field names",
               owner->name);
    c = siqun_field_index(t, e->s, e->len);
    if (c < 0 || (size_t)c >= t->ncsv)
      sq_desc_raise(ld, e, "resource '%s': foreignKeys: resource '%s' has no field '%s'",
               owner->name, t->name, sq_quote(b, e->s, e->len));
    cols[n++] = (size_t)c;
    if (v->type == SQ_J_STRING) break;
  }
  return n;
}

/* The row that row r of t refers to through columns cols (indexed by
   idx, on t itself), or -1 when a column of the reference is null. */
static long fk_next(const sq_index *idx, const siqun_table *t, size_t r, const size_t *cols,
                    size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (t->cells[r * t->nfields + cols[i]].type == SIQUN_T_NULL) return -1;
  return sq_index_match(idx, t, t, r, cols);
}

/* A foreign key of a table to itself (places.parent -> places.id) must not
   make a cycle: following it from any row has to end at a row without a
   reference.  Each row is visited once (0: not yet, 1: on the path being
   followed, 2: ends well).  The message lists the cycle's keys (ucols) from
   the row where it closes, cut to a bounded length. */
static void fk_cycles(sq_loader *ld, const siqun_table *t, const sq_index *idx,
                      const size_t *cols, size_t n, const size_t *ucols, size_t un) {
  unsigned char *state = (unsigned char *)sq_salloc(ld, t->nrows + 1);
  size_t r;
  memset(state, 0, t->nrows + 1);
  for (r = 0; r < t->nrows; r++) {
    size_t cur = r;
    long next;
    while (state[cur] == 0) {
      state[cur] = 1;
      next = fk_next(idx, t, cur, cols, n);
      if (next < 0) break;
      if (state[next] == 1) { /* back on this path: a cycle through next */
        char list[200], kb[160], fb[160];
        size_t used = 0, k = (size_t)next, steps = 0;
        list[0] = '\0';
        do {
          int w = snprintf(list + used, sizeof list - used, "%s'%s'", steps ? " -> " : "",
                           key_text(kb, sizeof kb, t, k, ucols, un));
          if (w < 0 || (size_t)w >= sizeof list - used || ++steps > 8) {
            if (used + 8 < sizeof list) memcpy(list + used, " -> ...", 8);
            break;
          }
          used += (size_t)w;
          k = (size_t)fk_next(idx, t, k, cols, n);
        } while (k != (size_t)next);
        if (k == (size_t)next && used + 8 + SQ_QUOTE_MAX < sizeof list)
          snprintf(list + used, sizeof list - used, " -> '%s'",
                   key_text(kb, sizeof kb, t, k, ucols, un));
        sq_raise(ld, "%s:%lu: field '%s': a cycle of references: %s", t->path,
                 (unsigned long)ld->tl[t - ld->ds->tables].lines[next],
                 field_list(fb, sizeof fb, t, cols, n), list);
      }
      cur = (size_t)next;
    }
    for (cur = r; state[cur] == 1;) { /* the path ends well */
      state[cur] = 2;
      next = fk_next(idx, t, cur, cols, n);
      if (next < 0) break;
      cur = (size_t)next;
    }
  }
}

static void foreign_key(sq_loader *ld, siqun_table *t, sq_tload *tl, const sq_json *fk) {
  const sq_json *ref, *res;
  const siqun_table *u;
  size_t *cols, *ucols, n, un, r;
  sq_index tmp;
  const sq_index *idx;
  char b[SQ_QUOTE_MAX + 4];
  (void)tl;
  if (fk->type != SQ_J_OBJECT)
    sq_desc_raise(ld, fk, "resource '%s': foreignKeys: each must be an object", t->name);
  ref = sq_json_get(fk, "reference");
  if (ref == NULL || ref->type != SQ_J_OBJECT)
    sq_desc_raise(ld, ref ? ref : fk, "resource '%s': foreignKeys: missing reference", t->name);
  res = sq_json_get(ref, "resource");
  if (res == NULL || res->type != SQ_J_STRING)
    sq_desc_raise(ld, res ? res : ref, "resource '%s': foreignKeys: reference.resource must be a "
             "string", t->name);
  u = res->len == 0 ? t : siqun_table_find(ld->ds, res->s);
  if (u == NULL)
    sq_desc_raise(ld, res, "resource '%s': foreignKeys: unknown resource '%s'", t->name,
             sq_quote(b, res->s, res->len));
  cols = (size_t *)sq_sarray(ld, SQ_MAX_FIELDS, sizeof(size_t));
  ucols = (size_t *)sq_sarray(ld, SQ_MAX_FIELDS, sizeof(size_t));
  n = fk_cols(ld, t, t, fk, sq_json_get(fk, "fields"), cols);
  un = fk_cols(ld, u, t, ref, sq_json_get(ref, "fields"), ucols);
  if (n != un)
    sq_desc_raise(ld, fk, "resource '%s': foreignKeys: %lu fields refer to %lu",
             t->name, (unsigned long)n, (unsigned long)un);
  if (u->npk == un && memcmp(u->pk, ucols, un * sizeof(size_t)) == 0) {
    idx = &u->pkindex;
  } else {
    size_t first;
    sq_index_build(ld, &ld->scratch, &tmp, u, ucols, un, &first);
    idx = &tmp;
  }
  for (r = 0; r < t->nrows; r++) {
    size_t i;
    int null = 0;
    for (i = 0; i < n; i++)
      if (t->cells[r * t->nfields + cols[i]].type == SIQUN_T_NULL) null = 1;
    if (null) continue;
    if (sq_index_match(idx, u, t, r, cols) < 0) {
      char kb[160], fb[160], ub[160];
      sq_raise(ld, "%s:%lu: field '%s': no row of '%s' has %s '%s'", t->path,
               (unsigned long)ld->tl[t - ld->ds->tables].lines[r], field_list(fb, sizeof fb, t, cols, n),
               u->name, field_list(ub, sizeof ub, u, ucols, un),
               key_text(kb, sizeof kb, t, r, cols, n));
    }
  }
  /* (a key referring to itself column for column is no chain: skipped) */
  if (u == t && !(n == un && memcmp(cols, ucols, n * sizeof(size_t)) == 0))
    fk_cycles(ld, t, idx, cols, n, ucols, un);
}

void sq_keys_check(sq_loader *ld) {
  siqun_dataset *ds = ld->ds;
  size_t i, c;
  for (i = 0; i < ds->ntables; i++) {
    siqun_table *t = &ds->tables[i];
    sq_tload *tl = &ld->tl[i];
    char kb[160], fb[160];
    for (c = 0; c < t->ncsv; c++) {
      if (t->fields[c].unique && !(t->npk == 1 && t->pk[0] == c)) {
        sq_index tmp;
        size_t first;
        long dup = sq_index_build(ld, &ld->scratch, &tmp, t, &c, 1, &first);
        if (dup >= 0)
          sq_raise(ld, "%s:%lu: field '%s': duplicate value '%s' (also on line %lu)", t->path,
                   (unsigned long)tl->lines[dup], t->fields[c].name,
                   key_text(kb, sizeof kb, t, (size_t)dup, &c, 1),
                   (unsigned long)tl->lines[first]);
      }
    }
    if (t->npk) {
      size_t first;
      long dup = sq_index_build(ld, &ds->arena, &t->pkindex, t, t->pk, t->npk, &first);
      if (dup >= 0)
        sq_raise(ld, "%s:%lu: field '%s': duplicate primary key '%s' (also on line %lu)",
                 t->path, (unsigned long)tl->lines[dup], field_list(fb, sizeof fb, t, t->pk, t->npk),
                 key_text(kb, sizeof kb, t, (size_t)dup, t->pk, t->npk),
                 (unsigned long)tl->lines[first]);
    }
  }
  for (i = 0; i < ds->ntables; i++) {
    const sq_json *fk;
    if (ld->tl[i].fkeys == NULL) continue;
    for (fk = ld->tl[i].fkeys->child; fk; fk = fk->next)
      foreign_key(ld, &ds->tables[i], &ld->tl[i], fk);
  }
}
