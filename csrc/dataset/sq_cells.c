/*
 * sq_cells.c -- one table's CSV into typed cells: the header against the
 * Table Schema's fields, a first pass counting rows (the limits), then each
 * field converted to its type and checked against its constraints (UTF-8,
 * control characters, required, bounds, lengths, formats, enum).  Every
 * error names the file, line and field.
 */
#include <stdio.h>
#include <string.h>

#include "sq_cells.h"
#include "sq_csv.h"
#include "sq_json.h"
#include "sq_palloc.h"
#include "sq_utf8.h"

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

void sq_cells_load(sq_loader *ld, siqun_table *t, sq_tload *tl, const char *data,
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
