/*
 * sq_json.c -- a small strict JSON reader (RFC 8259) for the data package
 * descriptor: the whole text is one value; strings must be valid UTF-8 and
 * their \u escapes well-formed (surrogates paired); nesting is bounded;
 * an object may not repeat a key.  The tree lives in the loader's scratch
 * arena.
 */
#include <stdio.h>
#include <string.h>

#include "sq_json.h"
#include "sq_palloc.h"
#include "sq_utf8.h"

typedef struct jstate {
  sq_loader *ld;
  const char *name; /* file name for messages */
  const char *s;
  size_t len, pos, line;
  int depth;
} jstate;

SQ_NORETURN static void jfail(jstate *j, const char *what) {
  char near[SQ_QUOTE_MAX + 4];
  size_t n = j->len - j->pos, k;
  const char *p = j->s + j->pos;
  if (j->pos >= j->len)
    sq_raise(j->ld, "%s:%lu: malformed JSON: %s at the end of the text", j->name,
             (unsigned long)j->line, what);
  if (n > 16) n = 16;
  /* the snippet stops at a line break or another control character (a NUL
     would cut the message short) */
  for (k = 0; k < n && (unsigned char)p[k] >= 0x20 && p[k] != 0x7F; k++) {}
  k = siqun_utf8_valid(p, k); /* the snippet: valid UTF-8 only */
  if (k == 0)
    sq_raise(j->ld, "%s:%lu: malformed JSON: %s near byte 0x%02X", j->name,
             (unsigned long)j->line, what, (unsigned)(unsigned char)p[0]);
  sq_quote(near, p, k);
  sq_raise(j->ld, "%s:%lu: malformed JSON: %s near '%s'", j->name,
           (unsigned long)j->line, what, near);
}

static void skip_ws(jstate *j) {
  while (j->pos < j->len) {
    char c = j->s[j->pos];
    if (c == '\n') j->line++;
    else if (c != ' ' && c != '\t' && c != '\r') break;
    j->pos++;
  }
}

static int hex4(const char *p, unsigned long *out) {
  unsigned long v = 0;
  int i;
  for (i = 0; i < 4; i++) {
    char c = p[i];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (unsigned long)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (unsigned long)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (unsigned long)(c - 'A' + 10);
    else return -1;
  }
  *out = v;
  return 0;
}

static size_t put_utf8(char *d, unsigned long cp) {
  if (cp < 0x80) {
    d[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    d[0] = (char)(0xC0 | (cp >> 6));
    d[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    d[0] = (char)(0xE0 | (cp >> 12));
    d[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    d[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  d[0] = (char)(0xF0 | (cp >> 18));
  d[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  d[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  d[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Reads the string at j->pos (on its opening quote): NUL-terminated copy. */
static const char *read_string(jstate *j, size_t *outlen) {
  size_t start = ++j->pos, end, n = 0;
  char *buf;
  /* first pass: find the end and check */
  for (end = start; end < j->len && j->s[end] != '"'; end++) {
    unsigned char c = (unsigned char)j->s[end];
    if (c < 0x20) {
      j->pos = end;
      jfail(j, "control character in a string");
    }
    if (c == '\\') end++;
  }
  if (end >= j->len) jfail(j, "unterminated string");
  buf = (char *)sq_salloc(j->ld, end - start + 1); /* escapes only shrink */
  while (j->pos < end) {
    unsigned char c = (unsigned char)j->s[j->pos];
    if (c == '\\') {
      char e = j->s[j->pos + 1];
      unsigned long cp;
      switch (e) {
        case '"': buf[n++] = '"'; break;
        case '\\': buf[n++] = '\\'; break;
        case '/': buf[n++] = '/'; break;
        case 'b': buf[n++] = '\b'; break;
        case 'f': buf[n++] = '\f'; break;
        case 'n': buf[n++] = '\n'; break;
        case 'r': buf[n++] = '\r'; break;
        case 't': buf[n++] = '\t'; break;
        case 'u':
          if (j->pos + 6 > end || hex4(j->s + j->pos + 2, &cp) < 0)
            jfail(j, "bad \\u escape");
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            unsigned long lo;
            if (j->pos + 12 > end || j->s[j->pos + 6] != '\\' ||
                j->s[j->pos + 7] != 'u' || hex4(j->s + j->pos + 8, &lo) < 0 ||
                lo < 0xDC00 || lo > 0xDFFF)
              jfail(j, "unpaired surrogate in a \\u escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            j->pos += 6;
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            jfail(j, "unpaired surrogate in a \\u escape");
          }
          n += put_utf8(buf + n, cp);
          j->pos += 4;
          break;
        default:
          jfail(j, "bad escape in a string");
      }
      j->pos += 2;
    } else {
      unsigned long cp;
      size_t k = c < 0x80 ? 1 : sq_u8_decode(j->s + j->pos, end - j->pos, &cp);
      if (k == 0) jfail(j, "invalid UTF-8 in a string");
      memcpy(buf + n, j->s + j->pos, k);
      n += k;
      j->pos += k;
    }
  }
  buf[n] = '\0';
  j->pos = end + 1;
  *outlen = n;
  return buf;
}

static void read_number(jstate *j, sq_json *v) {
  size_t start = j->pos, p = j->pos;
  const char *s = j->s;
  if (p < j->len && s[p] == '-') p++;
  if (p < j->len && s[p] == '0') p++;
  else if (p < j->len && s[p] >= '1' && s[p] <= '9')
    while (p < j->len && s[p] >= '0' && s[p] <= '9') p++;
  else jfail(j, "bad number");
  if (p < j->len && s[p] == '.') {
    p++;
    if (!(p < j->len && s[p] >= '0' && s[p] <= '9')) {
      j->pos = p;
      jfail(j, "bad number");
    }
    while (p < j->len && s[p] >= '0' && s[p] <= '9') p++;
  }
  if (p < j->len && (s[p] == 'e' || s[p] == 'E')) {
    p++;
    if (p < j->len && (s[p] == '+' || s[p] == '-')) p++;
    if (!(p < j->len && s[p] >= '0' && s[p] <= '9')) {
      j->pos = p;
      jfail(j, "bad number");
    }
    while (p < j->len && s[p] >= '0' && s[p] <= '9') p++;
  }
  v->type = SQ_J_NUMBER;
  v->s = s + start;
  v->len = p - start;
  if (sq_strtod(v->s, v->len, &v->num) < 0) jfail(j, "number out of range");
  j->pos = p;
}

static int lit(jstate *j, const char *w) {
  size_t n = strlen(w);
  if (j->len - j->pos >= n && memcmp(j->s + j->pos, w, n) == 0) {
    j->pos += n;
    return 1;
  }
  return 0;
}

static sq_json *read_value(jstate *j);

static void read_container(jstate *j, sq_json *v, int object) {
  sq_json **tail = &v->child;
  char close = object ? '}' : ']';
  if (++j->depth > SQ_JSON_DEPTH) jfail(j, "nested too deeply");
  j->pos++;
  skip_ws(j);
  if (j->pos < j->len && j->s[j->pos] == close) {
    j->pos++;
    j->depth--;
    return;
  }
  for (;;) {
    sq_json *item;
    const char *key = NULL;
    size_t keylen = 0;
    skip_ws(j);
    if (v->n >= (object ? SQ_JSON_MAXOBJ : SQ_JSON_MAXARR))
      jfail(j, object ? "too many members in an object" : "too many elements in an array");
    if (object) {
      const sq_json *k;
      if (j->pos >= j->len || j->s[j->pos] != '"') jfail(j, "expected a string key");
      key = read_string(j, &keylen);
      for (k = v->child; k; k = k->next)
        if (k->keylen == keylen && memcmp(k->key, key, keylen) == 0)
          jfail(j, "duplicate key in an object");
      skip_ws(j);
      if (j->pos >= j->len || j->s[j->pos] != ':') jfail(j, "expected ':'");
      j->pos++;
    }
    item = read_value(j);
    item->key = key;
    item->keylen = keylen;
    *tail = item;
    tail = &item->next;
    v->n++;
    skip_ws(j);
    if (j->pos < j->len && j->s[j->pos] == ',') {
      j->pos++;
      continue;
    }
    if (j->pos < j->len && j->s[j->pos] == close) {
      j->pos++;
      break;
    }
    jfail(j, object ? "expected ',' or '}'" : "expected ',' or ']'");
  }
  j->depth--;
}

static sq_json *read_value(jstate *j) {
  sq_json *v = (sq_json *)sq_salloc(j->ld, sizeof *v);
  memset(v, 0, sizeof *v);
  skip_ws(j);
  v->line = j->line;
  if (j->pos >= j->len) jfail(j, "expected a value");
  switch (j->s[j->pos]) {
    case '{': v->type = SQ_J_OBJECT; read_container(j, v, 1); break;
    case '[': v->type = SQ_J_ARRAY; read_container(j, v, 0); break;
    case '"': v->type = SQ_J_STRING; v->s = read_string(j, &v->len); break;
    case 't': if (!lit(j, "true")) jfail(j, "expected a value"); v->type = SQ_J_TRUE; break;
    case 'f': if (!lit(j, "false")) jfail(j, "expected a value"); v->type = SQ_J_FALSE; break;
    case 'n': if (!lit(j, "null")) jfail(j, "expected a value"); v->type = SQ_J_NULL; break;
    default:
      if (j->s[j->pos] == '-' || (j->s[j->pos] >= '0' && j->s[j->pos] <= '9'))
        read_number(j, v);
      else
        jfail(j, "expected a value");
  }
  return v;
}

const sq_json *sq_json_parse(sq_loader *ld, const char *name, const char *s,
                             size_t len) {
  jstate j;
  sq_json *v;
  j.ld = ld;
  j.name = name;
  j.s = s;
  j.len = len;
  j.pos = 0;
  j.line = 1;
  j.depth = 0;
  if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) j.pos = 3;
  v = read_value(&j);
  skip_ws(&j);
  if (j.pos < j.len) jfail(&j, "text after the value");
  return v;
}

const sq_json *sq_json_get(const sq_json *o, const char *key) {
  const sq_json *k;
  size_t n = strlen(key);
  if (o == NULL || o->type != SQ_J_OBJECT) return NULL;
  for (k = o->child; k; k = k->next)
    if (k->keylen == n && memcmp(k->key, key, n) == 0) return k;
  return NULL;
}

int sq_json_int(const sq_json *v, long long *out) {
  size_t i = 0, digits;
  unsigned long long u = 0;
  int neg = 0;
  if (v == NULL || v->type != SQ_J_NUMBER) return 0;
  if (v->s[0] == '-') neg = 1, i = 1;
  digits = v->len - i;
  if (digits == 0 || digits > 18) return 0;
  for (; i < v->len; i++) {
    if (v->s[i] < '0' || v->s[i] > '9') return 0;
    u = u * 10 + (unsigned long long)(v->s[i] - '0');
  }
  *out = neg ? -(long long)u : (long long)u;
  return 1;
}

const char *sq_json_typename(const sq_json *v) {
  if (v == NULL) return "nothing";
  switch (v->type) {
    case SQ_J_NULL: return "null";
    case SQ_J_FALSE: case SQ_J_TRUE: return "a boolean";
    case SQ_J_NUMBER: return "a number";
    case SQ_J_STRING: return "a string";
    case SQ_J_ARRAY: return "an array";
    default: return "an object";
  }
}
