/*
 * sq_qforms.c -- the forms of one atom (sq_qatom.h), the part of a
 * quantity expression before its qualifiers (sq_qexpr.c): a form that
 * starts with a word of its own, or a numeral (sq_qnumeral.c) and what
 * follows it.  The one place a form is registered: the forms are tried in
 * the order of lead_forms and after_forms below, each only where the text
 * starts with its words (literal tests the compiler makes cheap); the
 * first that recognises the text decides:
 *
 *   atom = 半 unit [余|多] [内] | 百分之 numeral | 千分之 numeral
 *        | 百余 [unit] | numeral / numeral | numeral / numeral / numeral
 *        | numeral 分之 numeral | numeral "%" | numeral 成
 *        | date | numeral [余|多] [unit [余|多|半] [内]] | numeral 个半 T
 */
#include <string.h>

#include "sq_qatom.h"
#include "sq_qcount.h"
#include "sq_qctx.h"
#include "sq_qdate.h"
#include "sq_qforms.h"
#include "sq_qnumeral.h"
#include "sq_qratio.h"

/* The forms that start with a word of their own, tried before a
   numeral: SQ_QF_NO when none is there. */
static int lead_forms(sq_ctx *c, size_t pos, sq_qatom *a) {
  if (sq_qlit(c, pos, "半")) return sq_qcount_half(c, pos, a);
  if (sq_qlit(c, pos, "百分之") || sq_qlit(c, pos, "千分之")) return sq_qratio_per(c, pos, a);
  return SQ_QF_NO;
}

/* The forms after the numeral a->num, in order, each tried where the text
   after the numeral starts with its words; the first that recognises it
   decides, and sq_qcount, last, takes any numeral. */
static int after_forms(sq_ctx *c, size_t pos, sq_qatom *a) {
  size_t q = a->num.end;
  int r = SQ_QF_NO;
  if (a->num.flags & SQ_N_NEEDOVER)
    r = sq_qcount_hundreds(c, pos, a);
  if (r == SQ_QF_NO && (sq_qlit(c, q, "/") || sq_qlit(c, q, "\xef\xbc\x8f"))) /* ／ */
    r = sq_qratio_slash(c, pos, a);
  if (r == SQ_QF_NO && sq_qlit(c, q, "分之"))
    r = sq_qratio_fen(c, pos, a);
  if (r == SQ_QF_NO && (sq_qlit(c, q, "%") || sq_qlit(c, q, "\xef\xbc\x85"))) /* ％ */
    r = sq_qratio_percent(c, pos, a);
  if (r == SQ_QF_NO && sq_qlit(c, q, "成"))
    r = sq_qratio_cheng(c, pos, a);
  if (r == SQ_QF_NO && sq_qlit(c, q, "-"))
    r = sq_qdate_iso(c, pos, a);
  /* 10日元 is money, never the day 10日 */
  if (r == SQ_QF_NO && (sq_qlit(c, q, "年") || sq_qlit(c, q, "月") ||
                        (sq_qlit(c, q, "日") && !sq_qlit(c, q, "日元"))))
    r = sq_qdate_ymd(c, pos, a);
  return r == SQ_QF_NO ? sq_qcount(c, pos, a) : r;
}

int sq_qforms_read(sq_ctx *c, size_t pos, sq_qatom *a) {
  sq_num n;
  int r;
  memset(a, 0, sizeof *a);
  a->start = pos;
  if ((r = lead_forms(c, pos, a)) != SQ_QF_NO) return r;
  if (!sq_qnumeral(c, pos, &n) || (n.flags & SQ_N_HARD)) return 0;
  a->num = n;
  a->flags = n.flags;
  a->v = n.v;
  if ((n.flags & SQ_N_SEQ) && !sq_qlit(c, n.end, "年")) {
    sq_qfail(c, n.end, "the digit-by-digit numeral '%.*s' must be a year (followed "
             "by 年)", (int)(n.end - pos), c->s + pos);
    return 0;
  }
  return after_forms(c, pos, a);
}
