/*
 * sq_rules.c -- the siqun format's own rules, applied once every table is
 * loaded and its keys checked: spans inside the source, the fields derived
 * from the descriptor (meta), from quantity expressions (figures, quotas)
 * and from the numeral opening a term (glossary), which must agree with the
 * term's number of members.
 */
#include <string.h>

#include "sq_model.h"
#include "sq_palloc.h"
#include "sq_rules.h"
#include "sq_utf8.h"

static size_t col_of(const siqun_table *t, const char *name) {
  return (size_t)siqun_field_index(t, name, strlen(name));
}

static siqun_value *cell(siqun_table *t, size_t r, size_t c) {
  return &t->cells[r * t->nfields + c];
}

static size_t line_of(sq_loader *ld, const siqun_table *t, size_t r) {
  return ld->tl[t - ld->ds->tables].lines[r];
}

/* ---------------------------------------------------------- spans */

static void span_pair(sq_loader *ld, siqun_table *t, const char *sname, const char *ename) {
  long sc = siqun_field_index(t, sname, strlen(sname));
  long ec = siqun_field_index(t, ename, strlen(ename));
  size_t r, n = ld->ds->source.codepoints;
  if (sc < 0 || ec < 0 || t->fields[sc].type != SQ_F_INTEGER ||
      t->fields[ec].type != SQ_F_INTEGER)
    return;
  for (r = 0; r < t->nrows; r++) {
    siqun_value s = *cell(t, r, (size_t)sc), e = *cell(t, r, (size_t)ec);
    unsigned long line = (unsigned long)line_of(ld, t, r);
    if (s.type == SIQUN_T_NULL || e.type == SIQUN_T_NULL)
      sq_raise(ld, "%s:%lu: field '%s': a span needs both %s and %s", t->path, line,
               s.type == SIQUN_T_NULL ? sname : ename, sname, ename);
    if (s.as.i < 0)
      sq_raise(ld, "%s:%lu: field '%s': span %lld..%lld starts before the source", t->path,
               line, sname, s.as.i, e.as.i);
    if (s.as.i > e.as.i)
      sq_raise(ld, "%s:%lu: field '%s': span %lld..%lld has start > end", t->path, line,
               ename, s.as.i, e.as.i);
    if ((unsigned long long)e.as.i > (unsigned long long)n)
      sq_raise(ld, "%s:%lu: field '%s': span %lld..%lld is past the end of the source "
               "(%lu code points)", t->path, line, ename, s.as.i, e.as.i, (unsigned long)n);
  }
}

/* ---------------------------------------------------------- quantities */

static siqun_value number(double x) {
  siqun_value v;
  memset(&v, 0, sizeof v);
  if (x == x && x >= -9007199254740992.0 && x <= 9007199254740992.0 &&
      (double)(long long)x == x) {
    v.type = SIQUN_T_INTEGER;
    v.as.i = (long long)x;
  } else {
    v.type = SIQUN_T_NUMBER;
    v.as.n = x;
  }
  return v;
}

static siqun_value text(const char *s, size_t len) {
  siqun_value v;
  memset(&v, 0, sizeof v);
  v.type = SIQUN_T_STRING;
  v.as.s.ptr = s;
  v.as.s.len = len;
  return v;
}

/* Fills the five derived fields (from column base) of row r from its text. */
static void quantity(sq_loader *ld, siqun_table *t, size_t r, size_t tc, size_t base) {
  siqun_value tv = *cell(t, r, tc);
  siqun_quantity q;
  char msg[SIQUN_ERRMAX], b[SQ_QUOTE_MAX + 4];
  const char *qn;
  if (tv.type != SIQUN_T_STRING) return; /* null text: null values */
  if (siqun_quantity_parse(tv.as.s.ptr, tv.as.s.len, &q, msg, sizeof msg) < 0)
    sq_raise(ld, "%s:%lu: field 'text': cannot read '%s' as a quantity: %s", t->path,
             (unsigned long)line_of(ld, t, r), sq_quote(b, tv.as.s.ptr, tv.as.s.len), msg);
  if (q.kind != SIQUN_Q_NUMBER)
    sq_raise(ld, "%s:%lu: field 'text': '%s' is a date, not a quantity", t->path,
             (unsigned long)line_of(ld, t, r), sq_quote(b, tv.as.s.ptr, tv.as.s.len));
  *cell(t, r, base) = number(q.value);
  q.unit[sizeof q.unit - 1] = '\0';
  if (q.unit[0]) {
    size_t n = strlen(q.unit);
    *cell(t, r, base + 1) = text(sq_pstrdup(ld, q.unit, n), n);
  }
  qn = siqun_qualifier_name(q.qualifier);
  if (qn) *cell(t, r, base + 2) = text(qn, strlen(qn));
  if (q.has_min) *cell(t, r, base + 3) = number(q.min);
  if (q.has_max) *cell(t, r, base + 4) = number(q.max);
}

static void figures(sq_loader *ld, siqun_table *t) {
  size_t r, tc = col_of(t, "text");
  for (r = 0; r < t->nrows; r++) quantity(ld, t, r, tc, t->ncsv);
}

static void quotas(sq_loader *ld, siqun_table *t, siqun_table *g) {
  size_t r, tc = col_of(t, "text"), ac = col_of(t, "activity");
  size_t termcol = col_of(g, "term"), first;
  sq_index terms;
  sq_index_build(ld, &ld->scratch, &terms, g, &termcol, 1, &first);
  for (r = 0; r < t->nrows; r++) {
    siqun_value a = *cell(t, r, ac);
    if (a.type == SIQUN_T_STRING && a.as.s.len == 7 && memcmp(a.as.s.ptr, "pairing", 7) == 0) {
      siqun_value tv = *cell(t, r, tc);
      char b[SQ_QUOTE_MAX + 4];
      if (tv.type == SIQUN_T_STRING && sq_index_match(&terms, g, t, r, &tc) < 0)
        sq_raise(ld, "%s:%lu: field 'text': '%s' is not a term of the glossary (activity "
                 "'pairing' names a glossary term)", t->path, (unsigned long)line_of(ld, t, r),
                 sq_quote(b, tv.as.s.ptr, tv.as.s.len));
      continue; /* a tier of the pairing scheme: no quantity */
    }
    quantity(ld, t, r, tc, t->ncsv);
  }
}

/* ---------------------------------------------------------- glossary */

/* Byte length of the numeral opening s (一二三四五六七八九十两 or ASCII
   digits), with a following 个; 0 when s does not open with one. */
static size_t numeral_prefix(const char *s, size_t len, size_t *digits_len) {
  static const unsigned long zh[] = { 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D,
                                      0x4E03, 0x516B, 0x4E5D, 0x5341, 0x4E24 };
  size_t pos = 0, k;
  unsigned long cp;
  for (;;) {
    size_t n = sq_u8_decode(s + pos, len - pos, &cp), i;
    int is_num = 0;
    if (n == 0) break;
    if (cp >= '0' && cp <= '9') is_num = 1;
    for (i = 0; i < sizeof zh / sizeof zh[0]; i++)
      if (cp == zh[i]) is_num = 1;
    if (!is_num) break;
    pos += n;
  }
  *digits_len = pos;
  if (pos == 0) return 0;
  k = sq_u8_decode(s + pos, len - pos, &cp);
  if (k && cp == 0x4E2A) pos += k; /* 个 */
  return pos;
}

static void glossary(sq_loader *ld, siqun_table *g, siqun_table *m) {
  size_t termcol = col_of(g, "term"), idcol = col_of(g, "id"), mcol = col_of(m, "term");
  size_t countcol = g->ncsv, r, first;
  size_t *members = (size_t *)sq_sarray(ld, g->nrows + 1, sizeof(size_t));
  sq_index ids;
  memset(members, 0, (g->nrows + 1) * sizeof(size_t));
  if (g->npk == 1 && g->pk[0] == idcol) ids = g->pkindex;
  else sq_index_build(ld, &ld->scratch, &ids, g, &idcol, 1, &first);
  for (r = 0; r < m->nrows; r++) {
    long gr;
    if (cell(m, r, mcol)->type == SIQUN_T_NULL) continue;
    gr = sq_index_match(&ids, g, m, r, &mcol);
    if (gr >= 0) members[gr]++;
  }
  for (r = 0; r < g->nrows; r++) {
    siqun_value tv = *cell(g, r, termcol);
    siqun_quantity q;
    size_t n, dl;
    long long count;
    char b[SQ_QUOTE_MAX + 4];
    if (tv.type != SIQUN_T_STRING) continue;
    n = numeral_prefix(tv.as.s.ptr, tv.as.s.len, &dl);
    if (n == 0) continue;
    if (siqun_quantity_parse(tv.as.s.ptr, n, &q, NULL, 0) < 0 &&
        siqun_quantity_parse(tv.as.s.ptr, dl, &q, NULL, 0) < 0)
      continue; /* digits that do not make a number (三三两两): no count */
    if (q.kind != SIQUN_Q_NUMBER || !(q.value >= 0 && q.value <= 1e6) ||
        (double)(long long)q.value != q.value)
      continue;
    count = (long long)q.value;
    *cell(g, r, countcol) = number(q.value);
    if ((unsigned long long)count != (unsigned long long)members[r])
      sq_raise(ld, "%s:%lu: field 'term': '%s' has numeral %lld but %lu member%s", g->path,
               (unsigned long)line_of(ld, g, r), sq_quote(b, tv.as.s.ptr, tv.as.s.len), count,
               (unsigned long)members[r], members[r] == 1 ? "" : "s");
  }
}

/* ---------------------------------------------------------- all */

void sq_rules_apply(sq_loader *ld) {
  siqun_dataset *ds = ld->ds;
  siqun_table *meta = sq_table_mut(ds, "meta");
  siqun_table *g = sq_table_mut(ds, "glossary");
  size_t i, r;
  for (i = 0; i < ds->ntables; i++) {
    span_pair(ld, &ds->tables[i], "start", "end");
    span_pair(ld, &ds->tables[i], "body_start", "body_end");
  }
  for (r = 0; r < meta->nrows; r++) {
    *cell(meta, r, meta->ncsv) = text(ds->source.sha256, 64);
    *cell(meta, r, meta->ncsv + 1) = number((double)ds->source.bytes);
    *cell(meta, r, meta->ncsv + 2) = number((double)ds->source.codepoints);
  }
  figures(ld, sq_table_mut(ds, "figures"));
  quotas(ld, sq_table_mut(ds, "quotas"), g);
  glossary(ld, g, sq_table_mut(ds, "members"));
}
