/*
 * sq_load.c -- files -> dataset: the load driver (one setjmp, two arenas),
 * reading each CSV into typed cells with the Table Schema checks (header,
 * types, constraints), then unique constraints, primary and foreign keys;
 * siqun_open_files, and sq_open_static for the embedded dataset (its
 * siqun_open_embedded is generated with it).  The siqun rules (spans,
 * derived fields) are in sq_rules.c, directories in sq_dir.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sq_internal.h"

/* ---------------------------------------------------------- errors */

/* Drops an incomplete UTF-8 sequence that vsnprintf's cut left at the end. */
static void trim_utf8(char *s) {
  size_t n = strlen(s), i = n, need;
  unsigned char c;
  while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80 && n - i < 3) i--;
  if (i == 0) return;
  c = (unsigned char)s[i - 1];
  if (c < 0xC0) return;
  need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  if (n - (i - 1) < need) s[i - 1] = '\0';
}

void sq_raise(sq_loader *ld, const char *fmt, ...) {
  if (!ld->oom && ld->err && ld->errsz) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ld->err, ld->errsz, fmt, ap);
    va_end(ap);
    trim_utf8(ld->err);
  }
  longjmp(ld->jb, 1);
}

void sq_desc_raise(sq_loader *ld, const sq_json *at, const char *fmt, ...) {
  char m[SIQUN_ERRMAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(m, sizeof m, fmt, ap);
  va_end(ap);
  trim_utf8(m);
  if (at) sq_raise(ld, SQ_DESCRIPTOR ":%lu: %s", (unsigned long)at->line, m);
  sq_raise(ld, SQ_DESCRIPTOR ": %s", m); /* uncovered: every caller names a value */
}

void sq_raise_oom(sq_loader *ld) {
  if (ld->err && ld->errsz) snprintf(ld->err, ld->errsz, "%s", SQ_NOMEM);
  ld->oom = 1;
  longjmp(ld->jb, 1);
}

const char *sq_quote(char *buf, const char *s, size_t len) {
  size_t n = sq_u8_cut(s, len, SQ_QUOTE_MAX);
  size_t i;
  if (n > SQ_QUOTE_MAX) n = SQ_QUOTE_MAX; /* (it is not: for the compiler) */
  memcpy(buf, s, n);
  /* a NUL would cut the message short, and the other control characters
     reach the user's terminal: each shows as '?' */
  for (i = 0; i < n; i++)
    if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7F) buf[i] = '?';
  if (n < len) memcpy(buf + n, "...", 4);
  else buf[n] = '\0';
  return buf;
}

void *sq_palloc(sq_loader *ld, size_t n) {
  void *p = sq_arena_alloc(&ld->ds->arena, n);
  if (p == NULL) sq_raise_oom(ld);
  return p;
}

void *sq_salloc(sq_loader *ld, size_t n) {
  void *p = sq_arena_alloc(&ld->scratch, n);
  if (p == NULL) sq_raise_oom(ld);
  return p;
}

void *sq_parray(sq_loader *ld, size_t n, size_t size) {
  if (size && n > ((size_t)-1) / 2 / size) sq_raise_oom(ld);
  return sq_palloc(ld, n * size);
}

void *sq_sarray(sq_loader *ld, size_t n, size_t size) {
  if (size && n > ((size_t)-1) / 2 / size) sq_raise_oom(ld);
  return sq_salloc(ld, n * size);
}

char *sq_pstrdup(sq_loader *ld, const char *s, size_t len) {
  char *p = (char *)sq_palloc(ld, len + 1);
  if (len) memcpy(p, s, len);
  p[len] = '\0';
  return p;
}

/* ---------------------------------------------------------- cells */

/* The cell being converted, for messages. */
typedef struct cellctx {
  sq_loader *ld;
  const siqun_table *t;
  const sq_field *f;
  size_t line;
} cellctx;

SQ_NORETURN static void cell_fail(const cellctx *c, const char *what,
                                  const char *s, size_t len) {
  char b[SQ_QUOTE_MAX + 4];
  if (s)
    sq_raise(c->ld, "%s:%lu: field '%s': %s, got '%s'", c->t->path,
             (unsigned long)c->line, c->f->name, what, sq_quote(b, s, len));
  sq_raise(c->ld, "%s:%lu: field '%s': %s", c->t->path, (unsigned long)c->line,
           c->f->name, what);
}

/* What is wrong with the UTF-8 at s[i] (the first byte that is not valid:
   siqun_utf8_valid's answer), for the message. */
static const char *utf8_fault(const char *s, size_t len, size_t i) {
  unsigned char b = (unsigned char)s[i];
  unsigned char n = i + 1 < len ? (unsigned char)s[i + 1] : 0;
  int cont = (n & 0xC0) == 0x80;
  if (b >= 0x80 && b <= 0xBF) return "a continuation byte without a lead byte";
  if (b >= 0xF8) return "a byte that is never in UTF-8";
  if (b == 0xC0 || b == 0xC1 || (b == 0xE0 && cont && n < 0xA0) ||
      (b == 0xF0 && cont && n < 0x90))
    return "an overlong encoding";
  if (b == 0xED && cont && n >= 0xA0) return "a surrogate (U+D800..U+DFFF)";
  if ((b == 0xF4 && cont && n >= 0x90) || (b >= 0xF5 && b <= 0xF7)) return "a code point above U+10FFFF";
  return "a sequence cut short";
}

/* Refuses NUL and the other C0 control characters (and DEL) in a cell:
   they cut C strings short and reach terminals as escape sequences.  Tab,
   and line breaks inside a quoted field, are text. */
static void control_check(const cellctx *c, const char *s, size_t len) {
  size_t i;
  for (i = 0; i < len; i++) {
    unsigned char b = (unsigned char)s[i];
    if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7F) {
      char m[96];
      snprintf(m, sizeof m, "%s (U+%04X) at byte %lu of the field",
               b == 0 ? "NUL byte" : "control character", (unsigned)b, (unsigned long)i + 1);
      cell_fail(c, m, NULL, 0);
    }
  }
}

static int digits(const char *s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return 0;
  return 1;
}

static int num2(const char *s) { return (s[0] - '0') * 10 + (s[1] - '0'); }

static int valid_date(const char *s, size_t len) {
  static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  int y, m, d;
  if (len != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4) || !digits(s + 5, 2) ||
      !digits(s + 8, 2))
    return 0;
  y = num2(s) * 100 + num2(s + 2);
  m = num2(s + 5);
  d = num2(s + 8);
  if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return 0;
  if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))) return 0;
  return 1;
}

/* ISO 8601 date and time: YYYY-MM-DDThh:mm:ss[.fff][Z|(+|-)hh:mm]. */
static int valid_datetime(const char *s, size_t len) {
  size_t i = 19;
  if (len < 19 || !valid_date(s, 10) || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
      !digits(s + 11, 2) || !digits(s + 14, 2) || !digits(s + 17, 2))
    return 0;
  if (num2(s + 11) > 23 || num2(s + 14) > 59 || num2(s + 17) > 60) return 0;
  if (i < len && s[i] == '.') {
    size_t k = ++i;
    while (i < len && s[i] >= '0' && s[i] <= '9') i++;
    if (i == k) return 0;
  }
  if (i == len) return 1;
  if (s[i] == 'Z') return i + 1 == len;
  if ((s[i] == '+' || s[i] == '-') && len - i == 6 && digits(s + i + 1, 2) &&
      s[i + 3] == ':' && digits(s + i + 4, 2))
    return num2(s + i + 1) <= 23 && num2(s + i + 4) <= 59;
  return 0;
}

static int valid_uri(const char *s, size_t len) {
  size_t i = 0;
  if (len == 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) return 0;
  while (i < len && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                     (s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '-' ||
                     s[i] == '.'))
    i++;
  if (i == len || s[i] != ':') return 0;
  for (; i < len; i++)
    if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7F) return 0;
  return 1;
}

static int valid_email(const char *s, size_t len) {
  const char *at = memchr(s, '@', len);
  size_t i;
  if (at == NULL || at == s || at == s + len - 1 || memchr(at + 1, '@', len - (size_t)(at - s) - 1))
    return 0;
  for (i = 0; i < len; i++)
    if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7F) return 0;
  return 1;
}

static int parse_ll(const char *s, size_t len, long long *out) {
  size_t i = 0;
  unsigned long long u = 0, lim;
  int neg = 0;
  if (len && (s[0] == '-' || s[0] == '+')) neg = s[0] == '-', i = 1;
  if (i == len) return -1;
  lim = neg ? (unsigned long long)9223372036854775807LL + 1u
            : (unsigned long long)9223372036854775807LL;
  for (; i < len; i++) {
    unsigned d;
    if (s[i] < '0' || s[i] > '9') return -1;
    d = (unsigned)(s[i] - '0');
    if (u > (lim - d) / 10) return -1;
    u = u * 10 + d;
  }
  if (neg) *out = u == lim ? (-9223372036854775807LL - 1) : -(long long)u;
  else *out = (long long)u;
  return 0;
}

SQ_NORETURN static void bound_fail(const cellctx *c, int max, const char *s, size_t len) {
  char m[64];
  snprintf(m, sizeof m, "expected at %s %.15g", max ? "most" : "least",
           max ? c->f->max : c->f->min);
  cell_fail(c, m, s, len);
}

static int enum_has(const sq_json *e, siqun_value v, const char *s, size_t len) {
  const sq_json *x;
  for (x = e->child; x; x = x->next) {
    long long i;
    switch (v.type) {
      case SIQUN_T_INTEGER:
        if (sq_json_int(x, &i) && i == v.as.i) return 1;
        break;
      case SIQUN_T_NUMBER:
        if (x->type == SQ_J_NUMBER && x->num == v.as.n) return 1;
        break;
      case SIQUN_T_BOOLEAN:
        if ((x->type == SQ_J_TRUE) == (v.as.b != 0) &&
            (x->type == SQ_J_TRUE || x->type == SQ_J_FALSE))
          return 1;
        break;
      default:
        if (x->type == SQ_J_STRING && x->len == len && memcmp(x->s, s, len) == 0) return 1;
    }
  }
  return 0;
}

SQ_NORETURN static void enum_fail(const cellctx *c, const sq_json *e, const char *s, size_t len) {
  char list[200], b[SQ_QUOTE_MAX + 4];
  size_t n = 0;
  const sq_json *x;
  list[0] = '\0';
  for (x = e->child; x && n < sizeof list - 8; x = x->next) {
    int k;
    const char *t = x->type == SQ_J_STRING || x->type == SQ_J_NUMBER ? x->s
                    : x->type == SQ_J_TRUE ? "true" : "false";
    size_t tl = x->type == SQ_J_STRING || x->type == SQ_J_NUMBER ? x->len : strlen(t);
    k = snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "",
                 sq_quote(b, t, tl));
    if (k < 0 || (size_t)k >= sizeof list - n) {
      list[n] = '\0';
      break;
    }
    n += (size_t)k;
  }
  if (x) {
    if (n + 5 < sizeof list) memcpy(list + n, ", ...", 6);
  }
  sq_raise(c->ld, "%s:%lu: field '%s': '%s' is not one of: %s", c->t->path,
           (unsigned long)c->line, c->f->name, sq_quote(b, s, len), list);
}

/* Converts the raw field to the cell's value and checks its constraints. */
static siqun_value convert(const cellctx *c, const sq_csv_field *raw, const sq_json *en) {
  sq_loader *ld = c->ld;
  const sq_field *f = c->f;
  siqun_value v;
  char *s;
  size_t len;
  memset(&v, 0, sizeof v);
  v.type = SIQUN_T_NULL;
  {
    size_t ok = siqun_utf8_valid(raw->p, raw->len);
    if (ok != raw->len) {
      char m[112];
      snprintf(m, sizeof m, "invalid UTF-8 at byte %lu of the field: %s", (unsigned long)ok + 1,
               utf8_fault(raw->p, raw->len, ok));
      cell_fail(c, m, NULL, 0);
    }
  }
  control_check(c, raw->p, raw->len);
  if (raw->len == 0) {
    if (f->required) cell_fail(c, "a value is required", NULL, 0);
    return v;
  }
  /* text types keep their text; the others only need it while converted */
  s = (char *)(f->type == SQ_F_INTEGER || f->type == SQ_F_NUMBER || f->type == SQ_F_BOOLEAN
               ? sq_salloc(ld, raw->len + 1) : sq_palloc(ld, raw->len + 1));
  len = sq_csv_unescape(raw, s);
  s[len] = '\0';
  switch (f->type) {
    case SQ_F_INTEGER:
      if (parse_ll(s, len, &v.as.i) < 0) cell_fail(c, "expected an integer", s, len);
      v.type = SIQUN_T_INTEGER;
      if (f->has_min && (f->imin_ok ? v.as.i < f->imin : (double)v.as.i < f->min))
        bound_fail(c, 0, s, len);
      if (f->has_max && (f->imax_ok ? v.as.i > f->imax : (double)v.as.i > f->max))
        bound_fail(c, 1, s, len);
      break;
    case SQ_F_NUMBER:
      if (sq_strtod(s, len, &v.as.n) < 0) cell_fail(c, "expected a number", s, len);
      v.type = SIQUN_T_NUMBER;
      if (f->has_min && !(v.as.n >= f->min)) bound_fail(c, 0, s, len);
      if (f->has_max && !(v.as.n <= f->max)) bound_fail(c, 1, s, len);
      break;
    case SQ_F_BOOLEAN:
      if (strcmp(s, "true") == 0 || strcmp(s, "True") == 0 || strcmp(s, "TRUE") == 0 ||
          strcmp(s, "1") == 0)
        v.as.b = 1;
      else if (strcmp(s, "false") == 0 || strcmp(s, "False") == 0 ||
               strcmp(s, "FALSE") == 0 || strcmp(s, "0") == 0)
        v.as.b = 0;
      else
        cell_fail(c, "expected a boolean (true or false)", s, len);
      v.type = SIQUN_T_BOOLEAN;
      break;
    case SQ_F_DATE:
      if (!valid_date(s, len)) cell_fail(c, "expected a date (YYYY-MM-DD)", s, len);
      break;
    case SQ_F_DATETIME:
      if (!valid_datetime(s, len))
        cell_fail(c, "expected a datetime (YYYY-MM-DDThh:mm:ss with an optional zone)", s, len);
      break;
    case SQ_F_YEAR:
      if (len != 4 || !digits(s, 4)) cell_fail(c, "expected a year (YYYY)", s, len);
      if (f->has_min && num2(s) * 100 + num2(s + 2) < f->min) bound_fail(c, 0, s, len);
      if (f->has_max && num2(s) * 100 + num2(s + 2) > f->max) bound_fail(c, 1, s, len);
      break;
    default:
      if (f->format == SQ_FMT_URI && !valid_uri(s, len)) cell_fail(c, "expected a URI", s, len);
      if (f->format == SQ_FMT_EMAIL && !valid_email(s, len))
        cell_fail(c, "expected an email address", s, len);
      if (f->has_minlen || f->has_maxlen) {
        size_t n = sq_u8_count(s, len);
        char m[96];
        if (f->has_minlen && n < f->minlen) {
          snprintf(m, sizeof m, "expected at least %lu characters", (unsigned long)f->minlen);
          cell_fail(c, m, s, len);
        }
        if (f->has_maxlen && n > f->maxlen) {
          snprintf(m, sizeof m, "expected at most %lu characters", (unsigned long)f->maxlen);
          cell_fail(c, m, s, len);
        }
      }
      break;
  }
  if (v.type == SIQUN_T_NULL) { /* the text types */
    v.type = SIQUN_T_STRING;
    v.as.s.ptr = s;
    v.as.s.len = len;
  }
  if (en && !enum_has(en, v, s, len)) enum_fail(c, en, s, len);
  return v;
}

/* ---------------------------------------------------------- tables */

SQ_NORETURN static void csv_fail(sq_loader *ld, const siqun_table *t, const sq_csv *r) {
  sq_raise(ld, "%s:%lu: %s", t->path, (unsigned long)r->err_line, r->msg);
}

static void header(sq_loader *ld, siqun_table *t, sq_csv *r, sq_csv_field *fv) {
  size_t nf, i, j;
  char names[SQ_MAX_FIELDS][SQ_MAX_NAME + 1];
  size_t lens[SQ_MAX_FIELDS];
  char b[SQ_QUOTE_MAX + 4];
  int rc = sq_csv_next(r, fv, SQ_MAX_FIELDS, &nf);
  if (rc < 0) csv_fail(ld, t, r);
  if (rc == 0) sq_raise(ld, "%s:1: missing header row", t->path);
  for (i = 0; i < nf; i++) {
    if (siqun_utf8_valid(fv[i].p, fv[i].len) != fv[i].len)
      sq_raise(ld, "%s:%lu: invalid UTF-8 in the header", t->path, (unsigned long)r->rec_line);
    if (fv[i].len > SQ_MAX_NAME)
      sq_raise(ld, "%s:%lu: unknown field '%s'", t->path, (unsigned long)r->rec_line,
               sq_quote(b, fv[i].p, fv[i].len));
    lens[i] = sq_csv_unescape(&fv[i], names[i]);
    names[i][lens[i]] = '\0';
  }
  for (i = 0; i < nf; i++) {
    for (j = 0; j < t->ncsv; j++)
      if (t->fields[j].namelen == lens[i] && memcmp(t->fields[j].name, names[i], lens[i]) == 0)
        break;
    if (j == t->ncsv)
      sq_raise(ld, "%s:%lu: unknown field '%s' (not in the schema of resource '%s')",
               t->path, (unsigned long)r->rec_line, sq_quote(b, names[i], lens[i]), t->name);
  }
  for (j = 0; j < t->ncsv; j++) {
    for (i = 0; i < nf; i++)
      if (t->fields[j].namelen == lens[i] && memcmp(t->fields[j].name, names[i], lens[i]) == 0)
        break;
    if (i == nf)
      sq_raise(ld, "%s:%lu: missing field '%s' (the schema of resource '%s' has it)", t->path,
               (unsigned long)r->rec_line, t->fields[j].name, t->name);
  }
  for (i = 0; i < nf; i++)
    for (j = 0; j < i; j++)
      if (lens[i] == lens[j] && memcmp(names[i], names[j], lens[i]) == 0)
        sq_raise(ld, "%s:%lu: field '%s' appears twice in the header", t->path,
                 (unsigned long)r->rec_line, names[i]);
  for (i = 0; i < nf; i++)
    if (strcmp(t->fields[i].name, names[i]) != 0)
      sq_raise(ld, "%s:%lu: field '%s' is column %lu of the header but column %lu of the "
               "schema", t->path, (unsigned long)r->rec_line, names[i], (unsigned long)i + 1,
               (unsigned long)siqun_field_index(t, names[i], lens[i]) + 1);
}

void sq_load_table(sq_loader *ld, siqun_table *t, sq_tload *tl, const char *data,
                   size_t len) {
  sq_csv r;
  sq_csv_field *fv = (sq_csv_field *)sq_sarray(ld, SQ_MAX_FIELDS, sizeof(sq_csv_field));
  size_t nf, rows = 0, i, c;
  int rc;
  cellctx cc;
  /* pass 1: syntax, field counts, size */
  sq_csv_init(&r, data, len);
  header(ld, t, &r, fv);
  while ((rc = sq_csv_next(&r, fv, SQ_MAX_FIELDS, &nf)) > 0) {
    if (nf != t->ncsv)
      sq_raise(ld, "%s:%lu: expected %lu fields, got %lu", t->path, (unsigned long)r.rec_line,
               (unsigned long)t->ncsv, (unsigned long)nf);
    if (++rows > SQ_MAX_ROWS)
      sq_raise(ld, "%s:%lu: too many rows (a table has at most %lu)", t->path,
               (unsigned long)r.rec_line, (unsigned long)SQ_MAX_ROWS);
    if (rows * t->nfields > SQ_MAX_CELLS)
      sq_raise(ld, "%s:%lu: too many cells (a table has at most %lu: rows times %lu fields, "
               "derived ones included)", t->path, (unsigned long)r.rec_line,
               (unsigned long)SQ_MAX_CELLS, (unsigned long)t->nfields);
  }
  if (rc < 0) csv_fail(ld, t, &r);
  /* pass 2: typed cells */
  t->nrows = rows;
  t->cells = (siqun_value *)sq_parray(ld, rows * t->nfields + 1, sizeof(siqun_value));
  memset(t->cells, 0, (rows * t->nfields + 1) * sizeof(siqun_value));
  tl->lines = (size_t *)sq_sarray(ld, rows + 1, sizeof(size_t));
  sq_csv_init(&r, data, len);
  if (sq_csv_next(&r, fv, SQ_MAX_FIELDS, &nf) != 1) sq_raise(ld, "%s: read error", t->path);
  cc.ld = ld;
  cc.t = t;
  for (i = 0; i < rows; i++) {
    if (sq_csv_next(&r, fv, SQ_MAX_FIELDS, &nf) != 1 || nf != t->ncsv)
      sq_raise(ld, "%s: read error", t->path); /* uncovered: pass 1 read the same */
    tl->lines[i] = r.rec_line;
    cc.line = r.rec_line;
    for (c = 0; c < t->ncsv; c++) {
      cc.f = &t->fields[c];
      t->cells[i * t->nfields + c] = convert(&cc, &fv[c], tl->enums[c]);
    }
  }
}

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

/* ---------------------------------------------------------- driver */

/* The file at path (the provider raises when it cannot give it). */
static const char *get(sq_loader *ld, const char *path, size_t *len) {
  const char *data = NULL;
  *len = 0;
  /* uncovered: both providers (files, directory) raise their own message */
  if (ld->getfile(ld, ld->fud, path, &data, len) < 0 || (data == NULL && *len > 0))
    sq_raise(ld, "%s: cannot read the file", path);
  if (data == NULL) data = "";
  return data;
}

int sq_load_run(sq_loader *ld, siqun_alloc alloc, void *ud, siqun_dataset **out) {
  sq_arena a;
  siqun_dataset *volatile ds = NULL;
  size_t i;
  sq_arena_init(&a, alloc, ud);
  sq_arena_init(&ld->scratch, alloc, ud);
  ld->oom = 0;
  ld->ds = NULL;
  ld->tl = NULL;
  ld->total = 0;
  if (ld->err && ld->errsz) ld->err[0] = '\0';
  ds = (siqun_dataset *)sq_arena_alloc(&a, sizeof *ds);
  if (ds == NULL) {
    sq_arena_release(&a);
    if (ld->err && ld->errsz) snprintf(ld->err, ld->errsz, "%s", SQ_NOMEM);
    return -1;
  }
  memset(ds, 0, sizeof *ds);
  ds->arena = a; /* from now on the dataset's arena is ds->arena */
  ld->ds = ds;
  if (setjmp(ld->jb) != 0) {
    sq_arena a2 = ds->arena; /* ds lives inside its own arena */
    sq_arena_release(&ld->scratch);
    sq_arena_release(&a2);
    return -1;
  }
  {
    size_t len;
    const char *desc = get(ld, SQ_DESCRIPTOR, &len);
    sq_schema_load(ld, sq_json_parse(ld, SQ_DESCRIPTOR, desc, len));
  }
  for (i = 0; i < ds->ntables; i++) {
    size_t len;
    const char *data = get(ld, ds->tables[i].path, &len);
    sq_load_table(ld, &ds->tables[i], &ld->tl[i], data, len);
  }
  sq_keys_check(ld);
  sq_rules_apply(ld);
  sq_arena_release(&ld->scratch);
  ld->tl = NULL;
  *out = ds;
  return 0;
}

/* ---------------------------------------------------------- in memory */

typedef struct memfiles {
  const siqun_file *files;
  size_t n;
} memfiles;

static int mem_get(sq_loader *ld, void *fud, const char *path, const char **data,
                   size_t *len) {
  const memfiles *m = (const memfiles *)fud;
  size_t i;
  for (i = 0; i < m->n; i++) {
    if (strcmp(m->files[i].name, path) == 0) {
      size_t max = strcmp(path, SQ_DESCRIPTOR) == 0 ? SQ_MAX_DESC : SQ_MAX_FILE;
      if (m->files[i].len > max) /* uncovered: 64 MB in memory; siqun_open_dir's
                                    check is the one hostile_spec reaches */
        sq_raise(ld, "%s: file larger than %lu bytes", path, (unsigned long)max);
      *data = m->files[i].data;
      *len = m->files[i].len;
      return 0;
    }
  }
  sq_raise(ld, "%s: no such file in the dataset", path);
}

static void seterr(char *err, size_t errsz, const char *msg) {
  if (err && errsz) snprintf(err, errsz, "%s", msg);
}

int siqun_open_files(const siqun_file *files, size_t nfiles, siqun_alloc alloc,
                     void *ud, siqun_dataset **out, char *err, size_t errsz) {
  sq_loader ld;
  memfiles m;
  size_t i, j;
  if (out == NULL) {
    seterr(err, errsz, "siqun_open_files: out is NULL");
    return -1;
  }
  *out = NULL;
  if (files == NULL && nfiles > 0) {
    seterr(err, errsz, "siqun_open_files: files is NULL");
    return -1;
  }
  if (nfiles > SQ_MAX_FILES) {
    seterr(err, errsz, "siqun_open_files: too many files");
    return -1;
  }
  for (i = 0; i < nfiles; i++) {
    if (files[i].name == NULL || (files[i].data == NULL && files[i].len > 0)) {
      seterr(err, errsz, "siqun_open_files: a file has no name or no data");
      return -1;
    }
    for (j = 0; j < i; j++)
      if (strcmp(files[i].name, files[j].name) == 0) {
        if (err && errsz)
          snprintf(err, errsz, "%.200s: file given twice", files[i].name);
        return -1;
      }
  }
  m.files = files;
  m.n = nfiles;
  memset(&ld, 0, sizeof ld);
  ld.err = err;
  ld.errsz = errsz;
  ld.getfile = mem_get;
  ld.fud = &m;
  return sq_load_run(&ld, alloc, ud, out);
}

int sq_open_static(const siqun_table *tables, size_t ntables,
                   const siqun_source_info *source, siqun_alloc alloc, void *ud,
                   siqun_dataset **out, char *err, size_t errsz) {
  sq_arena a;
  siqun_dataset *ds;
  if (err && errsz) err[0] = '\0';
  if (out == NULL) {
    seterr(err, errsz, "siqun_open_embedded: out is NULL");
    return -1;
  }
  *out = NULL;
  sq_arena_init(&a, alloc, ud);
  ds = (siqun_dataset *)sq_arena_alloc_own(&a, sizeof *ds);
  if (ds == NULL) {
    seterr(err, errsz, SQ_NOMEM);
    return -1;
  }
  memset(ds, 0, sizeof *ds);
  ds->arena = a; /* ds lives inside its own arena, as a loaded one does */
  ds->ntables = ntables;
  /* never written through: a dataset is immutable once opened */
  ds->tables = (siqun_table *)tables;
  ds->source = *source;
  *out = ds;
  return 0;
}

void siqun_close(siqun_dataset *ds) {
  sq_arena a;
  if (ds == NULL) return;
  a = ds->arena; /* ds lives inside its own arena */
  sq_arena_release(&a);
}
