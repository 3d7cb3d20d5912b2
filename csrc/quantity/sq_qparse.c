/*
 * sq_qparse.c -- siqun_quantity_parse: one quantity expression that is the
 * whole input.  Most expressions are a plain number, alone or with a unit
 * and a qualifier word before it: 七百三十八万, 432.63万, 约360万张.  Two
 * readers take them before the general path (sq_qexpr.c):
 * sq_qwhole_chinese for a Chinese integer that is the whole input (called
 * before anything else is set up), and sq_qparse_fast.  What they accept,
 * the general path gives the same way; build/bench/quantity_c check
 * compares them with the general path alone (sq_qparse_general).  The
 * error message names the character and byte offset where parsing failed.
 */
#include <stdio.h>
#include <string.h>

#include "sq_qchar.h"
#include "sq_qctx.h"
#include "sq_qexpr.h"
#include "sq_qnum_fast.h"
#include "sq_qparse.h"
#include "sq_qparse_fast.h"

/* Length of the longest valid UTF-8 prefix. */
static size_t utf8_valid(const char *s, size_t len) {
  size_t p = 0, n;
  unsigned cp;
  while (p < len && (n = sq_qutf8(s, len, p, &cp)) > 0) p += n;
  return p;
}

/* Number of code points in s[0, pos). */
static size_t count_chars(const char *s, size_t pos) {
  size_t i, n = 0;
  for (i = 0; i < pos; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) n++;
  return n;
}

/* Text of the character at pos for messages ("end of input" at the end). */
static int chr_len(const sq_ctx *c, size_t pos) {
  unsigned cp;
  size_t n = sq_qutf8(c->s, c->len, pos, &cp);
  return n ? (int)n : (pos < c->len ? 1 : 0);
}

/* *out as an exact number v covering [0, len): the fields one by one
   (the unit is "", its other bytes are left as they are). */
static void set_exact(siqun_quantity *out, double v, size_t len) {
  out->kind = SIQUN_Q_NUMBER;
  out->qualifier = SIQUN_EXACT;
  out->value = out->min = out->max = v;
  out->has_min = out->has_max = 1;
  out->unit[0] = '\0';
  out->date.year = out->date.month = out->date.day = 0;
  out->to.year = out->to.month = out->to.day = 0;
  out->start = 0;
  out->stop = len;
}

/* The error why at byte where of s into err, -1; *out cleared. */
static int fail(const char *s, size_t len, size_t where, const char *why,
                siqun_quantity *out, char *err, size_t errsz) {
  char buf[SIQUN_ERRMAX];
  if (where >= len)
    snprintf(buf, sizeof buf, "%s at the end of the input (byte offset %zu)", why,
             where);
  else
    snprintf(buf, sizeof buf, "%s at character %zu (byte offset %zu)", why,
             count_chars(s, where) + 1, where);
  if (err && errsz) sq_qmsg_cut(err, errsz, snprintf(err, errsz, "%s", buf), 0);
  memset(out, 0, sizeof *out);
  return -1;
}

/* After a failed or short parse: sq_qexpr again, with messages, and the
   error it leaves in c (what follows a match that stops short). */
static void explain(sq_ctx *c, siqun_quantity *out) {
  sq_info info;
  int ok;
  c->scan = c->has_err = c->hard = 0;
  c->err_pos = 0;
  ok = sq_qexpr(c, 0, out, &info);
  if (ok && !(c->has_err && c->hard && c->err_pos >= out->stop)) {
    c->has_err = 1;
    c->err_pos = out->stop;
    sq_qmsg_cut(c->msg, sizeof c->msg,
                snprintf(c->msg, sizeof c->msg, "unexpected '%.*s' after '%.*s'",
                         chr_len(c, out->stop), c->s + out->stop, (int)out->stop, c->s),
                1);
  } else if (!c->has_err) {
    c->has_err = 1;
    c->err_pos = 0;
    snprintf(c->msg, sizeof c->msg, "not a quantity");
  }
}

static int parse_general(const char *s, size_t len, siqun_quantity *out, char *err,
                         size_t errsz, int slow) {
  sq_ctx c;
  sq_info info;
  siqun_quantity tmp;
  size_t valid;
  if (!out) out = &tmp;
  if (len == 0 || s == NULL) return fail(s, len, 0, "empty quantity", out, err, errsz);
  valid = utf8_valid(s, len);
  if (valid < len) {
    char buf[SIQUN_ERRMAX];
    snprintf(buf, sizeof buf, "invalid UTF-8 at byte offset %zu", valid);
    if (err && errsz) snprintf(err, errsz, "%s", buf);
    return -1;
  }
  /* first without formatting the messages of the errors met on the way
     (the parse does not depend on them); again with them only when it
     fails */
  sq_qctx_init(&c, s, len, 1, slow);
  if (sq_qexpr(&c, 0, out, &info) && out->stop == len) return 0;
  explain(&c, out);
  return fail(s, len, c.err_pos, c.msg, out, err, errsz);
}

int sq_qparse_rest(const char *s, size_t len, siqun_quantity *out, char *err,
                   size_t errsz) {
  siqun_quantity tmp;
  if (s != NULL && len > 0 && sq_qparse_fast(s, len, out ? out : &tmp)) return 0;
  return parse_general(s, len, out, err, errsz, 0);
}

int siqun_quantity_parse(const char *s, size_t len, siqun_quantity *out,
                         char *err, size_t errsz) {
  unsigned long long m;
  /* a Chinese integer (two thirds of the expressions of the benchmark),
     before any other setup: sq_qparse_rest (a function of its own, so that
     its stack frame is not set up here) tries the other fast path, then
     the general one */
  if (s != NULL && len > 0 && (unsigned char)s[0] >= 0xE0 &&
      sq_qwhole_chinese(s, len, &m)) {
    if (out) set_exact(out, (double)m, len);
    return 0;
  }
  return sq_qparse_rest(s, len, out, err, errsz);
}

int sq_qparse_general(const char *s, size_t len, siqun_quantity *out, char *err,
                      size_t errsz) {
  return parse_general(s, len, out, err, errsz, 1);
}
