/*
 * sq_schema.c -- the data package descriptor: resources and their Table
 * Schemas (field types, formats, constraints, primary keys; foreign keys are
 * kept for sq_keys.c), the siqun.source block, and the siqun format's own
 * demands on the descriptor (the nine resources and their fields; the
 * fields the loader derives).  Anything it does not support is an error
 * that names it, never silently ignored.
 */
#include <stdarg.h>
#include <string.h>

#include "sq_model.h"
#include "sq_palloc.h"
#include "sq_schema.h"

#define DESC SQ_DESCRIPTOR

void sq_desc_raise(sq_loader *ld, const sq_json *at, const char *fmt, ...) {
  char m[SIQUN_ERRMAX];
  va_list ap;
  va_start(ap, fmt);
  sq_vformat(m, sizeof m, fmt, ap);
  va_end(ap);
  if (at) sq_raise(ld, SQ_DESCRIPTOR ":%lu: %s", (unsigned long)at->line, m);
  sq_raise(ld, SQ_DESCRIPTOR ": %s", m); /* uncovered: every caller names a value */
}

/* ------------------------------------------------- the siqun format */

typedef struct sq_need {
  const char *name;
  sq_ftype type;
} sq_need;

#define S SQ_F_STRING
#define I SQ_F_INTEGER
#define DT SQ_F_DATETIME
static const sq_need need_meta[] = {
  {"id", S}, {"title", S}, {"title_en", S}, {"outlet", S}, {"outlet_en", S},
  {"carrier", S}, {"carrier_en", S}, {"url", S}, {"published", DT},
  {"author", S}, {"author_pinyin", S}, {"language", S}, {NULL, S}
};
static const sq_need need_sections[] = {
  {"number", I}, {"heading", S}, {"heading_en", S}, {"theme", S},
  {"theme_zh", S}, {"summary_en", S}, {"summary_zh", S}, {"start", I},
  {"end", I}, {"body_start", I}, {"body_end", I}, {NULL, S}
};
static const sq_need need_figures[] = {
  {"id", S}, {"text", S}, {"label", S}, {"label_zh", S}, {"category", S},
  {"section", I}, {"start", I}, {"end", I}, {NULL, S}
};
static const sq_need need_quotas[] = {
  {"id", S}, {"rank", S}, {"rank_zh", S}, {"activity", S}, {"text", S},
  {"per", S}, {"note", S}, {"section", I}, {"start", I}, {"end", I}, {NULL, S}
};
static const sq_need need_glossary[] = {
  {"id", S}, {"term", S}, {"pinyin", S}, {"en", S}, {"note", S},
  {"section", I}, {"start", I}, {"end", I}, {NULL, S}
};
static const sq_need need_members[] = {
  {"term", S}, {"n", I}, {"text", S}, {"en", S}, {"start", I}, {"end", I},
  {NULL, S}
};
static const sq_need need_places[] = {
  {"id", S}, {"name", S}, {"en", S}, {"kind", S}, {"parent", S},
  {"section", I}, {"start", I}, {"end", I}, {NULL, S}
};
static const sq_need need_people[] = {
  {"id", S}, {"name", S}, {"pinyin", S}, {"role", S}, {"role_zh", S},
  {"place", S}, {"section", I}, {"start", I}, {"end", I}, {NULL, S}
};
static const sq_need need_events[] = {
  {"id", S}, {"date", S}, {"date_end", S}, {"text", S}, {"what", S},
  {"what_zh", S}, {"place", S}, {"section", I}, {"start", I}, {"end", I},
  {NULL, S}
};

/* Fields the loader appends to a table. */
static const sq_need derive_meta[] = {
  {"source_sha256", S}, {"source_bytes", I}, {"source_codepoints", I}, {NULL, S}
};
static const sq_need derive_quantity[] = {
  {"value", SQ_F_NUMBER}, {"unit", S}, {"qualifier", S}, {"min", SQ_F_NUMBER},
  {"max", SQ_F_NUMBER}, {NULL, S}
};
static const sq_need derive_glossary[] = { {"count", I}, {NULL, S} };
#undef S
#undef I
#undef DT

static const struct {
  const char *table;
  const sq_need *need, *derive;
} format[] = {
  {"meta", need_meta, derive_meta},
  {"sections", need_sections, NULL},
  {"figures", need_figures, derive_quantity},
  {"quotas", need_quotas, derive_quantity},
  {"glossary", need_glossary, derive_glossary},
  {"members", need_members, NULL},
  {"places", need_places, NULL},
  {"people", need_people, NULL},
  {"events", need_events, NULL},
};
#define NFORMAT (sizeof format / sizeof format[0])

static const char *const type_names[] = {
  "string", "integer", "number", "boolean", "date", "datetime", "year"
};

/* ---------------------------------------------------------- helpers */

static int streq(const sq_json *v, const char *s) {
  return v && v->type == SQ_J_STRING && strcmp(v->s, s) == 0 &&
         v->len == strlen(s);
}

static int ieq(const char *a, const char *b) {
  for (; *a && *b; a++, b++) {
    char x = *a, y = *b;
    if (x >= 'A' && x <= 'Z') x = (char)(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = (char)(y - 'A' + 'a');
    if (x != y) return 0;
  }
  return *a == *b;
}

/* A quoted rendering of a JSON string for messages. */
static const char *q(char *buf, const sq_json *v) {
  return sq_quote(buf, v->s, v->len);
}

static int is_name(const char *s, size_t len, int strict) {
  size_t i;
  if (len == 0 || len > SQ_MAX_NAME || strlen(s) != len) return 0;
  for (i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (strict) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
            c == '-' || c == '.'))
        return 0;
    } else if (c < 0x20 || c == 0x7F) {
      return 0;
    }
  }
  return 1;
}

/* Checks a resource path (JSON value at, of resource res): relative, no
   '..', no backslash; raises. */
static void check_path(sq_loader *ld, const sq_json *at, const char *res,
                       const char *path, size_t len) {
  char b[SQ_QUOTE_MAX + 4];
  size_t i, seg = 0;
  sq_quote(b, path, len);
  if (len == 0) sq_desc_raise(ld, at, "resource '%s': empty path", res);
  if (len > SQ_MAX_PATH)
    sq_desc_raise(ld, at, "resource '%s': path '%s' is too long", res, b);
  if (memchr(path, '\\', len))
    sq_desc_raise(ld, at, "resource '%s': path '%s' contains a backslash", res, b);
  if (path[0] == '/')
    sq_desc_raise(ld, at, "resource '%s': path '%s' is absolute", res, b);
  for (i = 0; i < len; i++)
    if ((unsigned char)path[i] < 0x20 || path[i] == 0x7F)
      sq_desc_raise(ld, at, "resource '%s': path '%s' contains a control character", res, b);
  for (i = 0; i <= len; i++) {
    if (i == len || path[i] == '/') {
      size_t n = i - seg;
      if (n == 2 && path[seg] == '.' && path[seg + 1] == '.')
        sq_desc_raise(ld, at, "resource '%s': path '%s' is not inside the dataset", res, b);
      if (n == 0 || (n == 1 && path[seg] == '.'))
        sq_desc_raise(ld, at, "resource '%s': path '%s' has an empty or '.' segment", res, b);
      if (seg == 0 && memchr(path, ':', n))
        sq_desc_raise(ld, at, "resource '%s': path '%s' is not inside the dataset "
                 "(remote and drive paths are not supported)", res, b);
      seg = i + 1;
    }
  }
}

/* ---------------------------------------------------------- fields */

static sq_ftype field_type(sq_loader *ld, const char *res, const char *fname,
                           const sq_json *t) {
  char b[SQ_QUOTE_MAX + 4];
  size_t i;
  if (t == NULL) return SQ_F_STRING; /* Table Schema's default */
  if (t->type != SQ_J_STRING)
    sq_desc_raise(ld, t, "resource '%s': field '%s': type must be a string", res, fname);
  for (i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
    if (streq(t, type_names[i])) return (sq_ftype)i;
  sq_desc_raise(ld, t, "resource '%s': field '%s': unsupported type '%s'", res, fname, q(b, t));
}

static int field_format(sq_loader *ld, const char *res, const sq_field *f,
                        const sq_json *v) {
  char b[SQ_QUOTE_MAX + 4];
  if (v == NULL || streq(v, "default")) return SQ_FMT_DEFAULT;
  if (v->type != SQ_J_STRING)
    sq_desc_raise(ld, v, "resource '%s': field '%s': format must be a string", res, f->name);
  if (f->type == SQ_F_STRING && streq(v, "uri")) return SQ_FMT_URI;
  if (f->type == SQ_F_STRING && streq(v, "email")) return SQ_FMT_EMAIL;
  sq_desc_raise(ld, v, "resource '%s': field '%s': unsupported format '%s' for type '%s'",
           res, f->name, q(b, v), f->tname);
}

/* Checks one enum value against the field's type. */
static void enum_value(sq_loader *ld, const char *res, const sq_field *f,
                       const sq_json *v) {
  int ok;
  long long i;
  switch (f->type) {
    case SQ_F_INTEGER: ok = sq_json_int(v, &i); break;
    case SQ_F_NUMBER: ok = v->type == SQ_J_NUMBER; break;
    case SQ_F_BOOLEAN: ok = v->type == SQ_J_TRUE || v->type == SQ_J_FALSE; break;
    default: ok = v->type == SQ_J_STRING; break;
  }
  if (!ok)
    sq_desc_raise(ld, v, "resource '%s': field '%s': enum value is %s, not of type '%s'",
             res, f->name, sq_json_typename(v), f->tname);
}

static void bound(sq_loader *ld, const char *res, sq_field *f, const sq_json *v,
                  int max) {
  const char *what = max ? "maximum" : "minimum";
  long long i;
  if (f->type != SQ_F_INTEGER && f->type != SQ_F_NUMBER && f->type != SQ_F_YEAR)
    sq_desc_raise(ld, v, "resource '%s': field '%s': constraint '%s' is not supported "
             "for type '%s'", res, f->name, what, f->tname);
  if (v->type != SQ_J_NUMBER)
    sq_desc_raise(ld, v, "resource '%s': field '%s': constraint '%s' must be a number",
             res, f->name, what);
  if (max) {
    f->has_max = 1;
    f->max = v->num;
    f->imax_ok = sq_json_int(v, &i);
    f->imax = f->imax_ok ? i : 0;
  } else {
    f->has_min = 1;
    f->min = v->num;
    f->imin_ok = sq_json_int(v, &i);
    f->imin = f->imin_ok ? i : 0;
  }
}

static size_t length(sq_loader *ld, const char *res, const sq_field *f,
                     const sq_json *v, const char *what) {
  long long i;
  if (f->type != SQ_F_STRING)
    sq_desc_raise(ld, v, "resource '%s': field '%s': constraint '%s' is not supported "
             "for type '%s'", res, f->name, what, f->tname);
  if (!sq_json_int(v, &i) || i < 0)
    sq_desc_raise(ld, v, "resource '%s': field '%s': constraint '%s' must be a "
             "non-negative integer", res, f->name, what);
  return (size_t)i;
}

static void constraints(sq_loader *ld, const char *res, sq_field *f,
                        const sq_json *c, const sq_json **enump) {
  const sq_json *k;
  char b[SQ_QUOTE_MAX + 4];
  if (c == NULL) return;
  if (c->type != SQ_J_OBJECT)
    sq_desc_raise(ld, c, "resource '%s': field '%s': constraints must be an object", res, f->name);
  for (k = c->child; k; k = k->next) {
    if (strcmp(k->key, "required") == 0 || strcmp(k->key, "unique") == 0) {
      if (k->type != SQ_J_TRUE && k->type != SQ_J_FALSE)
        sq_desc_raise(ld, k, "resource '%s': field '%s': constraint '%s' must be a boolean",
                 res, f->name, k->key);
      if (k->key[0] == 'r') f->required = k->type == SQ_J_TRUE;
      else f->unique = k->type == SQ_J_TRUE;
    } else if (strcmp(k->key, "enum") == 0) {
      const sq_json *e;
      if (k->type != SQ_J_ARRAY || k->n == 0)
        sq_desc_raise(ld, k, "resource '%s': field '%s': constraint 'enum' must be a "
                 "non-empty array", res, f->name);
      if (k->n > SQ_MAX_ENUM)
        sq_desc_raise(ld, k, "resource '%s': field '%s': constraint 'enum' has more than %d "
                 "values", res, f->name, SQ_MAX_ENUM);
      for (e = k->child; e; e = e->next) enum_value(ld, res, f, e);
      *enump = k;
    } else if (strcmp(k->key, "minimum") == 0) {
      bound(ld, res, f, k, 0);
    } else if (strcmp(k->key, "maximum") == 0) {
      bound(ld, res, f, k, 1);
    } else if (strcmp(k->key, "minLength") == 0) {
      f->has_minlen = 1;
      f->minlen = length(ld, res, f, k, "minLength");
    } else if (strcmp(k->key, "maxLength") == 0) {
      f->has_maxlen = 1;
      f->maxlen = length(ld, res, f, k, "maxLength");
    } else {
      sq_desc_raise(ld, k, "resource '%s': field '%s': unsupported constraint '%s'", res,
               f->name, sq_quote(b, k->key, k->keylen));
    }
  }
}

/* Field properties that change how a cell is read, which we do not do. */
static const char *const unsupported_props[] = {
  "trueValues", "falseValues", "bareNumber", "decimalChar", "groupChar",
  "missingValues", NULL
};

static void field(sq_loader *ld, const char *res, siqun_table *t, size_t col,
                  const sq_json *v, const sq_json **enump) {
  sq_field *f = &t->fields[col];
  const sq_json *name = sq_json_get(v, "name");
  char b[SQ_QUOTE_MAX + 4];
  size_t i;
  if (v->type != SQ_J_OBJECT)
    sq_desc_raise(ld, v, "resource '%s': field %lu is not an object", res, (unsigned long)col + 1);
  if (name == NULL || name->type != SQ_J_STRING)
    sq_desc_raise(ld, v, "resource '%s': field %lu has no name", res, (unsigned long)col + 1);
  if (!is_name(name->s, name->len, 0))
    sq_desc_raise(ld, name, "resource '%s': field name '%s' is empty, too long or has a "
             "control character", res, q(b, name));
  for (i = 0; i < col; i++)
    if (strcmp(t->fields[i].name, name->s) == 0)
      sq_desc_raise(ld, name, "resource '%s': field '%s' is defined twice", res, name->s);
  f->name = sq_pstrdup(ld, name->s, name->len);
  f->namelen = name->len;
  f->type = field_type(ld, res, f->name, sq_json_get(v, "type"));
  f->tname = type_names[f->type];
  f->format = field_format(ld, res, f, sq_json_get(v, "format"));
  for (i = 0; unsupported_props[i]; i++)
    if (sq_json_get(v, unsupported_props[i]))
      sq_desc_raise(ld, sq_json_get(v, unsupported_props[i]), "resource '%s': field '%s': unsupported property '%s'", res,
               f->name, unsupported_props[i]);
  constraints(ld, res, f, sq_json_get(v, "constraints"), enump);
}

/* Column of the field named by JSON string v in t, or raise. */
static size_t column(sq_loader *ld, const char *res, const siqun_table *t,
                     const sq_json *v, const char *what) {
  size_t i;
  char b[SQ_QUOTE_MAX + 4];
  if (v->type != SQ_J_STRING)
    sq_desc_raise(ld, v, "resource '%s': %s must name fields", res, what);
  for (i = 0; i < t->ncsv; i++)
    if (strcmp(t->fields[i].name, v->s) == 0 && t->fields[i].namelen == v->len) return i;
  sq_desc_raise(ld, v, "resource '%s': %s names unknown field '%s'", res, what, q(b, v));
}

static void primary_key(sq_loader *ld, const char *res, siqun_table *t,
                        const sq_json *pk) {
  size_t i, j;
  const sq_json *e;
  if (pk == NULL) return;
  if (pk->type == SQ_J_STRING) {
    t->pk = (size_t *)sq_palloc(ld, sizeof(size_t));
    t->pk[0] = column(ld, res, t, pk, "primaryKey");
    t->npk = 1;
  } else if (pk->type == SQ_J_ARRAY && pk->n > 0 && pk->n <= t->ncsv) {
    t->pk = (size_t *)sq_parray(ld, pk->n, sizeof(size_t));
    for (e = pk->child, i = 0; e; e = e->next, i++) {
      t->pk[i] = column(ld, res, t, e, "primaryKey");
      for (j = 0; j < i; j++)
        if (t->pk[j] == t->pk[i])
          sq_desc_raise(ld, e, "resource '%s': primaryKey names field '%s' twice", res, e->s);
    }
    t->npk = pk->n;
  } else {
    sq_desc_raise(ld, pk, "resource '%s': primaryKey must be a field name or a non-empty "
             "array of field names", res);
  }
  for (i = 0; i < t->npk; i++) t->fields[t->pk[i]].required = 1;
}

static void dialect(sq_loader *ld, const char *res, const sq_json *d) {
  const sq_json *v;
  if (d == NULL) return;
  if (d->type != SQ_J_OBJECT)
    sq_desc_raise(ld, d, "resource '%s': dialect must be an object", res);
  if ((v = sq_json_get(d, "delimiter")) && !streq(v, ","))
    sq_desc_raise(ld, v, "resource '%s': unsupported dialect: delimiter must be ','", res);
  if ((v = sq_json_get(d, "quoteChar")) && !streq(v, "\""))
    sq_desc_raise(ld, v, "resource '%s': unsupported dialect: quoteChar must be '\"'", res);
  if ((v = sq_json_get(d, "doubleQuote")) && v->type != SQ_J_TRUE)
    sq_desc_raise(ld, v, "resource '%s': unsupported dialect: doubleQuote must be true", res);
  if ((v = sq_json_get(d, "header")) && v->type != SQ_J_TRUE)
    sq_desc_raise(ld, v, "resource '%s': unsupported dialect: header must be true", res);
  if ((v = sq_json_get(d, "skipInitialSpace")) && v->type != SQ_J_FALSE)
    sq_desc_raise(ld, v, "resource '%s': unsupported dialect: skipInitialSpace must be false", res);
  if ((v = sq_json_get(d, "escapeChar")))
    sq_desc_raise(ld, v, "resource '%s': unsupported dialect: escapeChar", res);
  if ((v = sq_json_get(d, "commentChar")))
    sq_desc_raise(ld, v, "resource '%s': unsupported dialect: commentChar", res);
  if ((v = sq_json_get(d, "lineTerminator")) && !streq(v, "\n") && !streq(v, "\r\n"))
    sq_desc_raise(ld, v, "resource '%s': unsupported dialect: lineTerminator must be LF or CRLF", res);
}

/* Appends the fields the loader derives for table t (named as in the
   siqun format), after checking the CSV does not define them. */
static void derived(sq_loader *ld, siqun_table *t, const sq_need *d) {
  size_t i, j;
  for (i = 0; d[i].name; i++) {
    sq_field *f = &t->fields[t->nfields++];
    for (j = 0; j < t->ncsv; j++)
      if (strcmp(t->fields[j].name, d[i].name) == 0)
        sq_desc_raise(ld, ld->tl[t - ld->ds->tables].res, "resource '%s': field '%s' is derived by the loader and "
                 "cannot be in the CSV", t->name, d[i].name);
    memset(f, 0, sizeof *f);
    f->name = d[i].name;
    f->namelen = strlen(d[i].name);
    f->type = d[i].type;
    f->tname = type_names[d[i].type];
    f->derived = 1;
  }
}

static size_t nderived(const char *name) {
  size_t i, n = 0;
  for (i = 0; i < NFORMAT; i++)
    if (strcmp(format[i].table, name) == 0 && format[i].derive)
      while (format[i].derive[n].name) n++;
  return n;
}

static void resource(sq_loader *ld, siqun_table *t, sq_tload *tl, const sq_json *r,
                     size_t idx) {
  const sq_json *name = sq_json_get(r, "name"), *path, *schema, *fields, *v, *e;
  char b[SQ_QUOTE_MAX + 4];
  size_t i, nd;
  if (r->type != SQ_J_OBJECT)
    sq_desc_raise(ld, r, "resource %lu is not an object", (unsigned long)idx + 1);
  if (name == NULL || name->type != SQ_J_STRING)
    sq_desc_raise(ld, r, "resource %lu has no name", (unsigned long)idx + 1);
  if (!is_name(name->s, name->len, 1))
    sq_desc_raise(ld, name, "resource name '%s' must be 1 to %d of a-z 0-9 . - _", q(b, name),
             SQ_MAX_NAME);
  for (i = 0; i < idx; i++)
    if (strcmp(ld->ds->tables[i].name, name->s) == 0)
      sq_desc_raise(ld, name, "resource '%s' is defined twice", name->s);
  t->name = sq_pstrdup(ld, name->s, name->len);
  tl->res = r;
  if (sq_json_get(r, "data"))
    sq_desc_raise(ld, sq_json_get(r, "data"), "resource '%s': inline data is not supported", t->name);
  path = sq_json_get(r, "path");
  if (path == NULL)
    sq_desc_raise(ld, r, "resource '%s' has no path", t->name);
  if (path->type != SQ_J_STRING)
    sq_desc_raise(ld, path, "resource '%s': path must be a string", t->name);
  check_path(ld, path, t->name, path->s, path->len);
  t->path = sq_pstrdup(ld, path->s, path->len);
  if ((v = sq_json_get(r, "format")) && !(v->type == SQ_J_STRING && ieq(v->s, "csv")))
    sq_desc_raise(ld, v, "resource '%s': unsupported format (only csv)", t->name);
  if ((v = sq_json_get(r, "encoding")) &&
      !(v->type == SQ_J_STRING && (ieq(v->s, "utf-8") || ieq(v->s, "utf8"))))
    sq_desc_raise(ld, v, "resource '%s': unsupported encoding (only utf-8)", t->name);
  if ((v = sq_json_get(r, "compression")))
    sq_desc_raise(ld, v, "resource '%s': compression is not supported", t->name);
  dialect(ld, t->name, sq_json_get(r, "dialect"));
  schema = sq_json_get(r, "schema");
  if (schema == NULL || schema->type != SQ_J_OBJECT)
    sq_desc_raise(ld, schema ? schema : r, "resource '%s': schema must be an object", t->name);
  fields = sq_json_get(schema, "fields");
  nd = nderived(t->name);
  if (fields == NULL || fields->type != SQ_J_ARRAY || fields->n == 0)
    sq_desc_raise(ld, fields ? fields : schema, "resource '%s': schema.fields must be a non-empty array", t->name);
  if (fields->n + nd > SQ_MAX_FIELDS)
    sq_desc_raise(ld, fields, "resource '%s': more than %d fields", t->name, SQ_MAX_FIELDS);
  t->ncsv = fields->n;
  t->fields = (sq_field *)sq_parray(ld, fields->n + nd, sizeof(sq_field));
  memset(t->fields, 0, (fields->n + nd) * sizeof(sq_field));
  tl->enums = (const sq_json **)sq_sarray(ld, fields->n, sizeof(const sq_json *));
  for (e = fields->child, i = 0; e; e = e->next, i++) {
    tl->enums[i] = NULL;
    t->nfields = i; /* the fields so far, for the duplicate check */
    field(ld, t->name, t, i, e, &tl->enums[i]);
  }
  t->nfields = t->ncsv;
  if ((v = sq_json_get(schema, "missingValues"))) {
    if (!(v->type == SQ_J_ARRAY && v->n == 1 && streq(v->child, "")))
      sq_desc_raise(ld, v, "resource '%s': unsupported missingValues (only [\"\"])", t->name);
  }
  primary_key(ld, t->name, t, sq_json_get(schema, "primaryKey"));
  v = sq_json_get(schema, "foreignKeys");
  if (v && v->type != SQ_J_ARRAY)
    sq_desc_raise(ld, v, "resource '%s': foreignKeys must be an array", t->name);
  if (v && v->n > SQ_MAX_FKEYS)
    sq_desc_raise(ld, v, "resource '%s': more than %d foreign keys", t->name, SQ_MAX_FKEYS);
  tl->fkeys = v;
}

/* The siqun format: the nine resources with at least their fields. */
static void siqun_format(sq_loader *ld, const sq_json *resources) {
  siqun_dataset *ds = ld->ds;
  size_t i, j, k;
  for (i = 0; i < NFORMAT; i++) {
    siqun_table *t = sq_table_mut(ds, format[i].table);
    if (t == NULL)
      sq_desc_raise(ld, resources, "missing resource '%s' (a siqun dataset needs it)", format[i].table);
    if (format[i].derive) derived(ld, t, format[i].derive);
    for (j = 0; format[i].need[j].name; j++) {
      const sq_need *n = &format[i].need[j];
      for (k = 0; k < t->ncsv; k++)
        if (strcmp(t->fields[k].name, n->name) == 0) break;
      if (k == t->ncsv)
        sq_desc_raise(ld, ld->tl[t - ds->tables].res, "resource '%s': missing field '%s' (a siqun dataset needs it)",
                 t->name, n->name);
      if (t->fields[k].type != n->type)
        sq_desc_raise(ld, ld->tl[t - ds->tables].res, "resource '%s': field '%s' must have type '%s', not '%s'",
                 t->name, n->name, type_names[n->type], t->fields[k].tname);
    }
  }
}

static void source(sq_loader *ld, const sq_json *root) {
  const sq_json *sq = sq_json_get(root, "siqun"), *src, *v;
  siqun_source_info *info = &ld->ds->source;
  long long bytes, cps;
  size_t i;
  if (sq == NULL || sq->type != SQ_J_OBJECT)
    sq_desc_raise(ld, sq ? sq : root, "missing object 'siqun' (the source the spans point into)");
  if ((v = sq_json_get(sq, "format")) && !(sq_json_int(v, &bytes) && bytes == 1))
    sq_desc_raise(ld, v, "siqun.format: unsupported version (this library reads format 1)");
  src = sq_json_get(sq, "source");
  if (src == NULL || src->type != SQ_J_OBJECT)
    sq_desc_raise(ld, src ? src : sq, "missing object 'siqun.source'");
  v = sq_json_get(src, "sha256");
  if (v == NULL || v->type != SQ_J_STRING || v->len != 64)
    sq_desc_raise(ld, v ? v : src, "siqun.source.sha256: expected 64 lowercase hexadecimal digits");
  for (i = 0; i < 64; i++) {
    char c = v->s[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      sq_desc_raise(ld, v ? v : src, "siqun.source.sha256: expected 64 lowercase hexadecimal digits");
  }
  memcpy(info->sha256, v->s, 64);
  info->sha256[64] = '\0';
  if (!sq_json_int(sq_json_get(src, "bytes"), &bytes) || bytes < 0)
    sq_desc_raise(ld, sq_json_get(src, "bytes") ? sq_json_get(src, "bytes") : src, "siqun.source.bytes: expected a non-negative integer");
  if (!sq_json_int(sq_json_get(src, "codepoints"), &cps) || cps < 0)
    sq_desc_raise(ld, sq_json_get(src, "codepoints") ? sq_json_get(src, "codepoints") : src, "siqun.source.codepoints: expected a non-negative integer");
  if (cps > bytes || bytes > 4 * cps)
    sq_desc_raise(ld, src, "siqun.source: %lld code points cannot take %lld bytes of UTF-8",
             cps, bytes);
  info->bytes = (size_t)bytes;
  info->codepoints = (size_t)cps;
}

void sq_schema_load(sq_loader *ld, const sq_json *root) {
  const sq_json *res, *r;
  size_t i;
  if (root->type != SQ_J_OBJECT)
    sq_desc_raise(ld, root, "expected an object at the top level, got %s", sq_json_typename(root));
  if ((r = sq_json_get(root, "profile")) && r->type != SQ_J_STRING)
    sq_desc_raise(ld, r, "profile must be a string");
  source(ld, root);
  res = sq_json_get(root, "resources");
  if (res == NULL || res->type != SQ_J_ARRAY || res->n == 0)
    sq_desc_raise(ld, res ? res : root, "resources must be a non-empty array");
  if (res->n > SQ_MAX_TABLES)
    sq_desc_raise(ld, res, "more than %d resources", SQ_MAX_TABLES);
  ld->ds->tables = (siqun_table *)sq_parray(ld, res->n, sizeof(siqun_table));
  memset(ld->ds->tables, 0, res->n * sizeof(siqun_table));
  ld->tl = (sq_tload *)sq_sarray(ld, res->n, sizeof(sq_tload));
  memset(ld->tl, 0, res->n * sizeof(sq_tload));
  for (r = res->child, i = 0; r; r = r->next, i++) {
    ld->ds->ntables = i; /* tables so far, for the duplicate check */
    resource(ld, &ld->ds->tables[i], &ld->tl[i], r, i);
  }
  ld->ds->ntables = res->n;
  siqun_format(ld, res);
}
