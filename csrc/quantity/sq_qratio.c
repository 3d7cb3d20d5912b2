/*
 * sq_qratio.c -- percentages and fractions: 百分之三十, 千分之五, 30%, 三成
 * (a percentage: the value in percent, unit "%" or "‰"), 1/5 and 五分之一
 * (a fraction: its value as a double).
 */
#include <string.h>

#include "sq_qcount.h"
#include "sq_qctx.h"
#include "sq_qdate.h"
#include "sq_qdec.h"
#include "sq_qnumeral.h"
#include "sq_qratio.h"

#define LIT_PCT "百分之"
#define LIT_PML "千分之"

int sq_qratio_per(sq_ctx *c, size_t pos, sq_qatom *a) {
  sq_num n;
  int pml;
  size_t q;
  if (!sq_qlit(c, pos, LIT_PCT) && !sq_qlit(c, pos, LIT_PML)) return SQ_QF_NO;
  pml = sq_qlit(c, pos, LIT_PML);
  q = pos + strlen(LIT_PCT);
  if (!pml && sq_qlit(c, q, "百") && !sq_qlit(c, q, "百分")) { /* 百分之百 */
    memset(&n, 0, sizeof n);
    n.v.m = 100;
    n.flags = SQ_N_CHINESE | SQ_N_UNITCH;
    n.start = q;
    n.end = q + 3;
  } else if (!sq_qnumeral(c, q, &n) ||
             (n.flags & (SQ_N_HARD | SQ_N_SEQ | SQ_N_NEEDOVER))) {
    if (!c->has_err || c->err_pos < q)
      sq_qfail(c, q, "expected a number after '%s'", pml ? LIT_PML : LIT_PCT);
    return 0;
  }
  a->num = n;
  a->flags = n.flags;
  a->v = n.v;
  a->percent = 1;
  sq_qatom_set_unit(a, pml ? "\xe2\x80\xb0" : "%", pml ? 3 : 1);
  a->end = n.end;
  return 1;
}

/* numerator / denominator as a fraction (q: the slash, sl its length). */
static int slash_fraction(sq_ctx *c, size_t pos, sq_qatom *a, size_t q, size_t sl,
                          const sq_num *d) {
  double nv, dv;
  if (!sq_qnum_plain_int(&a->num) || !sq_qnum_plain_int(d)) {
    sq_qfail(c, q, "a fraction needs whole numbers");
    return 0;
  }
  if (sq_qdec_is_zero(d->v)) {
    sq_qfail(c, q + sl, "zero denominator in '%.*s'", (int)(d->end - pos), c->s + pos);
    return 0;
  }
  if (sq_qdec_to_double(a->num.v, &nv) < 0 || sq_qdec_to_double(d->v, &dv) < 0) {
    /* uncovered: a/b parts over 2^63 have more than 19 digits, refused before */
    sq_qfail(c, pos, "number too large (above 2^63)");
    return 0;
  }
  a->is_frac = 1;
  a->fval = nv / dv;
  a->flags |= d->flags;
  a->end = d->end;
  return 1;
}

int sq_qratio_slash(sq_ctx *c, size_t pos, sq_qatom *a) {
  size_t q = a->num.end, sl;
  sq_num d;
  if ((!sq_qlit(c, q, "/") && !sq_qlit(c, q, "\xef\xbc\x8f")) ||
      (a->num.flags & SQ_N_CHINESE))
    return SQ_QF_NO;
  sl = sq_qlit(c, q, "/") ? 1 : 3;
  if (!sq_qnumeral(c, q + sl, &d) || (d.flags & (SQ_N_CHINESE | SQ_N_HARD)))
    return SQ_QF_NO;
  if (sq_qlit(c, d.end, "/") && sq_qdate_year_like(&a->num))
    return sq_qdate_slash(c, pos, a, q, &d); /* 2012/7/1 */
  return slash_fraction(c, pos, a, q, sl, &d);
}

int sq_qratio_fen(sq_ctx *c, size_t pos, sq_qatom *a) {
  size_t q = a->num.end;
  sq_num num;
  double nv, dv;
  if (!sq_qlit(c, q, "分之")) return SQ_QF_NO;
  if (!sq_qnumeral(c, q + 6, &num) ||
      (num.flags & (SQ_N_HARD | SQ_N_SEQ | SQ_N_NEEDOVER))) {
    if (!c->has_err || c->err_pos < q + 6)
      sq_qfail(c, q + 6, "expected a numerator after '分之'");
    return 0;
  }
  if (sq_qdec_is_zero(a->num.v)) {
    sq_qfail(c, pos, "zero denominator in '%.*s'", (int)(num.end - pos), c->s + pos);
    return 0;
  }
  if (sq_qdec_to_double(num.v, &nv) < 0 || sq_qdec_to_double(a->num.v, &dv) < 0) {
    /* uncovered: the parts of a 分之 fraction are short numerals, far below 2^63 */
    sq_qfail(c, pos, "number too large");
    return 0;
  }
  a->is_frac = 1;
  a->fval = nv / dv;
  a->flags |= num.flags;
  a->end = num.end;
  return 1;
}

int sq_qratio_percent(sq_ctx *c, size_t pos, sq_qatom *a) {
  size_t q = a->num.end;
  (void)pos;
  if (!sq_qlit(c, q, "%") && !sq_qlit(c, q, "\xef\xbc\x85")) return SQ_QF_NO;
  a->percent = 1;
  sq_qatom_set_unit(a, "%", 1);
  a->end = q + (c->s[q] == '%' ? 1 : 3);
  return 1;
}

int sq_qratio_cheng(sq_ctx *c, size_t pos, sq_qatom *a) {
  const sq_num *n = &a->num;
  size_t q = n->end;
  (void)pos;
  if (!sq_qlit(c, q, "成") || sq_qlit(c, q, "成不变") ||
      (n->flags & (SQ_N_BIG | SQ_N_OVER)) ||
      sq_qdec_cmp(n->v, (sq_dec){10, 0}) > 0 || sq_qdec_is_zero(n->v))
    return SQ_QF_NO;
  sq_qdec_scale(&a->v, 1);
  a->percent = 1;
  sq_qatom_set_unit(a, "%", 1);
  a->end = q + 3;
  /* 三成半 = 35%: a whole number of tenths and a half (not 一成半数) */
  if (sq_qnum_small_int(n) >= 0 && sq_qcount_half_after(c, a->end) &&
      sq_qdec_cmp(n->v, (sq_dec){10, 0}) < 0) {
    sq_qdec_add(&a->v, (sq_dec){5, 0}); /* small: cannot overflow */
    a->end += 3;
  }
  return 1;
}
