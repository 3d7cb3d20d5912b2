/*
 * sq_csv.c -- RFC 4180 reader over a memory buffer: comma-separated fields,
 * double-quoted fields with doubled quotes inside, records ended by CRLF or
 * LF (the last one may be unterminated), a leading UTF-8 BOM skipped.  It
 * allocates nothing: fields point into the input.  Line numbers are
 * physical (a quoted field may span lines).
 */
#include <stdio.h>
#include <string.h>

#include "sq_csv.h"
#include "sq_limits.h"

void sq_csv_init(sq_csv *r, const char *s, size_t len) {
  r->s = s;
  r->len = len;
  r->pos = 0;
  if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) r->pos = 3;
  r->line = 1;
  r->rec_line = 1;
  r->err_line = 1;
  r->msg[0] = '\0';
}

static int fail(sq_csv *r, size_t line, const char *msg) {
  r->err_line = line;
  snprintf(r->msg, sizeof r->msg, "%s", msg);
  return -1;
}

int sq_csv_next(sq_csv *r, sq_csv_field *f, size_t maxf, size_t *nf) {
  const char *s = r->s;
  size_t len = r->len, pos = r->pos;
  *nf = 0;
  if (pos >= len) return 0;
  r->rec_line = r->line;
  for (;;) {
    size_t start, end;
    int escaped = 0;
    if (pos < len && s[pos] == '"') {
      size_t open_line = r->line;
      start = ++pos;
      for (;;) {
        const char *q = pos < len ? memchr(s + pos, '"', len - pos) : NULL;
        const char *nl;
        size_t upto = q ? (size_t)(q - s) : len;
        for (nl = memchr(s + pos, '\n', upto - pos); nl;
             nl = memchr(nl + 1, '\n', (size_t)(s + upto - nl - 1)))
          r->line++;
        if (q == NULL) return fail(r, open_line, "bad CSV quoting: unterminated quoted field");
        pos = upto + 1;
        if (pos < len && s[pos] == '"') {
          escaped = 1;
          pos++;
          continue;
        }
        end = upto;
        break;
      }
      if (pos < len && s[pos] != ',' && s[pos] != '\n' &&
          !(s[pos] == '\r' && pos + 1 < len && s[pos + 1] == '\n'))
        return fail(r, r->line, "bad CSV quoting: text after a closing quote");
    } else {
      start = pos;
      while (pos < len && s[pos] != ',' && s[pos] != '\n' && s[pos] != '\r') {
        if (s[pos] == '"')
          return fail(r, r->line, "bad CSV quoting: quote inside an unquoted field");
        if (pos - start > SQ_MAX_CELL) break; /* refused below, without reading on */
        pos++;
      }
      end = pos;
      if (pos < len && s[pos] == '\r' && !(pos + 1 < len && s[pos + 1] == '\n'))
        return fail(r, r->line, "carriage return not followed by a line feed");
    }
    if (end - start > SQ_MAX_CELL) {
      char m[80];
      snprintf(m, sizeof m, "field longer than %lu bytes", (unsigned long)SQ_MAX_CELL);
      return fail(r, r->line, m);
    }
    if (*nf >= maxf) {
      char m[80];
      snprintf(m, sizeof m, "more than %lu fields", (unsigned long)maxf);
      return fail(r, r->line, m);
    }
    f[*nf].p = s + start;
    f[*nf].len = end - start;
    f[*nf].escaped = escaped;
    (*nf)++;
    if (pos >= len) break;
    if (s[pos] == ',') {
      pos++;
      continue;
    }
    /* end of record: CRLF or LF */
    pos += s[pos] == '\r' ? 2 : 1;
    r->line++;
    break;
  }
  r->pos = pos;
  return 1;
}

size_t sq_csv_unescape(const sq_csv_field *f, char *dst) {
  size_t i, n = 0;
  if (!f->escaped) {
    if (f->len) memcpy(dst, f->p, f->len);
    return f->len;
  }
  for (i = 0; i < f->len; i++) {
    dst[n++] = f->p[i];
    if (f->p[i] == '"') i++; /* skip the second quote of a pair */
  }
  return n;
}
