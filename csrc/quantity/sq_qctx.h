/*
 * sq_qctx.h -- the parsing context (sq_qctx.c): setting it up, literal
 * matching and recording the most advanced error.
 */
#ifndef SQ_QCTX_H
#define SQ_QCTX_H

#include "sq_qtypes.h"

/* A fresh context over s[0, len), with no error. */
static inline void sq_qctx_init(sq_ctx *c, const char *s, size_t len, int scan, int slow) {
  c->s = s;
  c->len = len;
  c->scan = scan;
  c->slow = slow;
  c->has_err = c->hard = 0;
  c->err_pos = 0;
  c->msg[0] = '\0';
}

/* Nonzero if the bytes at pos start with the NUL-terminated lit (byte by
   byte: most calls fail on the first byte). */
static inline int sq_qlit(const sq_ctx *c, size_t pos, const char *lit) {
  const char *p, *end;
  if (pos > c->len) return 0;
  p = c->s + pos;
  end = c->s + c->len;
  for (; *lit; lit++, p++)
    if (p == end || *p != *lit) return 0;
  return 1;
}

/* Records an error at byte pos, printf-style; formats nothing when
   scanning.  A format starting with '~' is a soft error ("expected a
   number"): a specific error anywhere beats it; otherwise the error furthest
   on wins. */
void sq_qfail(sq_ctx *c, size_t pos, const char *fmt, ...)
#if defined(__GNUC__)
  __attribute__((format(printf, 3, 4)))
#endif
  ;

/* After (v)snprintf returned n into msg[size]: when the text was cut, cuts
   it at a character boundary instead (UTF-8), ending in "..." if ellipsis. */
void sq_qmsg_cut(char *msg, size_t size, int n, int ellipsis);

#endif
