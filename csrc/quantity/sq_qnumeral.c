/*
 * sq_qnumeral.c -- reading a numeral: the fast readers first
 * (sq_qnum_fast.c), then, by its first characters, a digit-by-digit year
 * (二〇一一, here) or the general reader (sq_qnum_chinese.c, which calls
 * sq_qnum_arabic.c for Arabic digits).  Each reads into an exact decimal
 * (sq_qdec.c).  No allocation.
 */
#include <string.h>

#include "sq_qchar.h"
#include "sq_qctx.h"
#include "sq_qdec.h"
#include "sq_qnum_chinese.h"
#include "sq_qnum_fast.h"
#include "sq_qnumeral.h"

/* Two Chinese digits other than 两 in a row at pos (二〇一一). */
static int seq_start(const sq_ctx *c, size_t pos, sq_qtok t) {
  sq_qtok t2;
  if (t.cls != SQ_C_DIGIT || sq_qis_liang(t.cp)) return 0;
  t2 = sq_qlex(c, pos + t.len);
  return t2.cls == SQ_C_DIGIT && !sq_qis_liang(t2.cp);
}

/* A numeral digit by digit (二〇一一, a year): at most SQ_MAXSEQ digits. */
static int read_seq(sq_ctx *c, size_t pos, sq_num *n) {
  size_t p = pos;
  int k = 0;
  unsigned long long m = 0;
  sq_qtok t = sq_qlex(c, p);
  while (t.cls == SQ_C_DIGIT && !sq_qis_liang(t.cp)) {
    if (k == SQ_MAXSEQ) {
      sq_qfail(c, p, "digit-by-digit numeral longer than %d digits", SQ_MAXSEQ);
      n->flags |= SQ_N_HARD;
      return 0;
    }
    m = m * 10 + (unsigned)t.val;
    k++;
    p += t.len;
    t = sq_qlex(c, p);
  }
  if (t.cls == SQ_C_UNIT || t.cls == SQ_C_BIG || t.cls == SQ_C_DIGIT ||
      t.cls == SQ_C_ADIGIT) {
    sq_qfail(c, p, "'%.*s' cannot follow the digit-by-digit numeral '%.*s'",
            (int)t.len, c->s + p, (int)(p - pos), c->s + pos);
    n->flags |= SQ_N_HARD;
  }
  n->v.m = m;
  n->v.e = 0;
  n->end = p;
  n->ndigits = k;
  n->flags |= SQ_N_CHINESE | SQ_N_SEQ;
  return 1;
}

int sq_qnumeral(sq_ctx *c, size_t pos, sq_num *n) {
  sq_qtok t;
  if (!c->slow && sq_qnumeral_fast(c, pos, n)) return 1;
  memset(n, 0, sizeof *n);
  n->start = pos;
  t = sq_qlex(c, pos);
  if (t.cls == SQ_C_NONE || t.cls == SQ_C_OVER || t.cls == SQ_C_POINT) {
    if (t.len)
      sq_qfail(c, pos, "~expected a number, found '%.*s'", (int)t.len, c->s + pos);
    else
      sq_qfail(c, pos, "~expected a number");
    return 0;
  }
  if (seq_start(c, pos, t)) return read_seq(c, pos, n);
  return sq_qnum_chinese(c, pos, n);
}

int sq_qnum_plain_int(const sq_num *n) {
  return !(n->flags & (SQ_N_DECIMAL | SQ_N_OVER | SQ_N_BIG | SQ_N_GROUPED)) &&
         sq_qdec_is_int(n->v);
}

long sq_qnum_small_int(const sq_num *n) {
  long long v;
  if (!sq_qnum_plain_int(n) || sq_qdec_to_ll(n->v, &v) < 0 || v > 100000) return -1;
  return (long)v;
}
