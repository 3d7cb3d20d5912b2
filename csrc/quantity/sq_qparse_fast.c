/*
 * sq_qparse_fast.c -- the fast path of siqun_quantity_parse for
 * [qualifier] number [unit], the whole of s[0, len): 54.29万, 360万张,
 * 1479支, 约360万张, 不少于1个月, 36万余人, 3年; percentages and fractions
 * (30%, 三成, 百分之三十, 1/5, 五分之一); and the dates that a four-digit
 * year begins (fast_date).  The numerals are ones that sq_qnumeral_fast
 * reads, and sq_qforms_read reads them the same way (sq_qnumeral tries the
 * fast reader first); then what follows is taken in the order of its form
 * tables (/, 分之, %, 成, dates, 余 and 多, the unit), each form only when
 * it ends the input.  月 and 日 (dates), 年 before more text after a number
 * that is not year-like, 百分之百 and every other form are left to the
 * general path; 半, 个多 and 个半 end in no unit word at the end of the
 * input.  No range separator nor qualifier can follow at the end, and no
 * qualifier word starts with a numeral character.  What it accepts, the
 * general path gives the same way; build/bench/quantity_c check compares
 * them with the general path alone (sq_qparse_general).
 */
#include <string.h>

#include "sq_qchar.h"
#include "sq_qctx.h"
#include "sq_qdate.h"
#include "sq_qdec.h"
#include "sq_qexpr.h"
#include "sq_qnum_fast.h"
#include "sq_qnumeral.h"
#include "sq_qparse_fast.h"
#include "sq_qunits.h"

#define LIT_PCT "百分之"
#define LIT_PML "千分之"

/* fast_ratio: not a percentage nor a fraction. */
#define NOT_RATIO (-1)

/* What the fast path read: qualifier, value and unit (ul bytes at us). */
typedef struct fast_val {
  siqun_qualifier qp;
  double v;
  const char *us;
  size_t ul;
} fast_val;

/* *out as the number r covering [0, len). */
static void emit(siqun_quantity *out, const fast_val *r, size_t len) {
  out->kind = SIQUN_Q_NUMBER;
  out->qualifier = r->qp;
  out->value = r->v;
  out->has_min = out->has_max = 0;
  out->min = out->max = 0;
  sq_qexpr_bounds(out, r->qp, r->v); /* (no prefix word gives a range) */
  memcpy(out->unit, r->us, r->ul);
  out->unit[r->ul] = '\0';
  out->date.year = out->date.month = out->date.day = 0;
  out->to.year = out->to.month = out->to.day = 0;
  out->start = 0;
  out->stop = len;
}

/* The date that year numeral y (year-like) and 年 begin, when it is the
   whole input: 2012年, 2012年7月, 2012年7月1日 (or 1号), with numerals that
   sq_qnumeral_fast reads.  sq_qdate_ymd reads these the same way (the
   year, then the month and the day); anything else after 年 (年初, 7月份, a
   month or day out of range, a numeral that needs the general reader) is
   left to the general path. */
static int fast_date(const sq_ctx *c, const sq_num *y, siqun_quantity *out) {
  siqun_date d;
  sq_num n;
  size_t q = y->end + 3;
  long v;
  d.year = (int)sq_qnum_small_int(y);
  d.month = d.day = 0;
  if (q < c->len) {
    if (!sq_qnumeral_fast(c, q, &n) || !sq_qlit(c, n.end, "月")) return 0;
    v = sq_qnum_small_int(&n);
    if (v < 1 || v > 12) return 0;
    d.month = (int)v;
    q = n.end + 3;
    if (q < c->len) {
      if (!sq_qnumeral_fast(c, q, &n) ||
          !(sq_qlit(c, n.end, "日") || sq_qlit(c, n.end, "号")))
        return 0;
      v = sq_qnum_small_int(&n);
      if (v < 1 || v > sq_qdate_days_in(d.year, d.month)) return 0;
      d.day = (int)v;
      if (n.end + 3 != c->len) return 0;
    }
  }
  out->kind = SIQUN_Q_DATE;
  out->qualifier = SIQUN_EXACT;
  out->value = out->min = out->max = 0;
  out->has_min = out->has_max = 0;
  out->unit[0] = '\0';
  out->date = d;
  out->to.year = out->to.month = out->to.day = 0;
  out->start = 0;
  out->stop = c->len;
  return 1;
}

/* 百分之三十, 千分之五 at p (百分之百 is left to the general path). */
static int fast_per(const sq_ctx *c, size_t p, fast_val *r) {
  sq_num n;
  int pml = sq_qlit(c, p, LIT_PML);
  size_t q = p + strlen(LIT_PCT);
  if ((!pml && sq_qlit(c, q, "百")) || !sq_qnumeral_fast(c, q, &n) || n.end != c->len ||
      sq_qdec_to_double(n.v, &r->v) < 0)
    return 0;
  r->us = pml ? "\xe2\x80\xb0" : "%";
  r->ul = pml ? 3 : 1;
  return 1;
}

/* %, /, 分之 or 成 after the numeral n at q (< len): 1 (read), 0 (give
   up), NOT_RATIO (none of them). */
static int fast_ratio(const sq_ctx *c, const sq_num *n, size_t q, fast_val *r) {
  const char *s = c->s;
  size_t len = c->len;
  sq_num d;
  double nv, dv;
  if (s[q] == '%' || sq_qlit(c, q, "\xef\xbc\x85")) {
    /* 30%, 12.5% */
    if (q + (s[q] == '%' ? 1 : 3) != len || sq_qdec_to_double(n->v, &r->v) < 0) return 0;
    r->us = "%";
    r->ul = 1;
    return 1;
  }
  if ((s[q] == '/' || sq_qlit(c, q, "\xef\xbc\x8f")) && !(n->flags & SQ_N_CHINESE)) {
    /* 1/5: whole numbers, the end of the input after the denominator */
    if (!sq_qnumeral_fast(c, q + (s[q] == '/' ? 1 : 3), &d) ||
        (d.flags & SQ_N_CHINESE) || d.end != len || !sq_qnum_plain_int(n) ||
        !sq_qnum_plain_int(&d) || sq_qdec_is_zero(d.v) || sq_qdec_to_double(n->v, &nv) < 0 ||
        sq_qdec_to_double(d.v, &dv) < 0)
      return 0;
    r->v = nv / dv;
    return 1;
  }
  if (sq_qlit(c, q, "分之")) {
    /* 五分之一: n is the denominator */
    if (!sq_qnumeral_fast(c, q + 6, &d) || d.end != len || sq_qdec_is_zero(n->v) ||
        sq_qdec_to_double(d.v, &nv) < 0 || sq_qdec_to_double(n->v, &dv) < 0)
      return 0;
    r->v = nv / dv;
    return 1;
  }
  if (sq_qlit(c, q, "成")) {
    /* 三成: tenths, as a percentage */
    sq_dec t = n->v;
    if (len - q != 3 || (n->flags & SQ_N_BIG) || sq_qdec_cmp(n->v, (sq_dec){10, 0}) > 0 ||
        sq_qdec_is_zero(n->v) || sq_qdec_scale(&t, 1) < 0 || sq_qdec_to_double(t, &r->v) < 0)
      return 0;
    r->us = "%";
    r->ul = 1;
    return 1;
  }
  return NOT_RATIO;
}

/* 余/多 and a unit after the numeral n at q (< len; p: after the
   qualifier word): 1 (r->qp and the unit set), 0 (give up). */
static int fast_count(const sq_ctx *c, size_t p, const sq_num *n, size_t q, fast_val *r) {
  size_t len = c->len, ul;
  unsigned e = sq_qent_at(c->s, len, q);
  int uf;
  if (SQ_Q_CLS(e) == SQ_C_OVER) {
    /* 1万多个, 十多个, 36万余人: as sq_qcount takes 余 and 多 after a
       numeral; then a unit (any: the dates are looked for before) */
    if (!(n->flags & SQ_N_ENDUNIT) && (n->flags & (SQ_N_CHINESE | SQ_N_DECIMAL))) return 0;
    if (p > 0 && r->qp != SIQUN_OVER) return 0; /* conflicting qualifiers */
    r->qp = SIQUN_OVER;
    q += 3;
    e = q < len ? sq_qent_at(c->s, len, q) : 0;
  } else if (sq_qlit(c, q, "年")) {
    /* 3年, 五年: a count of years when nothing follows 年 */
    if (len - q != 3) return 0;
  } else if (sq_qlit(c, q, "月") || sq_qlit(c, q, "日")) {
    return 0;
  }
  if (q < len) {
    if (!(e & SQ_Q_UNIT)) return 0;
    ul = sq_qunit_match(c, q, &uf);
    if (ul == 0 || q + ul != len || ul > SQ_MAXUNIT) return 0;
    r->us = c->s + q;
    r->ul = ul;
  }
  return 1;
}

/* What the fast path reads: r filled, or 0 (give up) or 2 (a date, in
   *out). */
static int fast_read(const sq_ctx *c, fast_val *r, siqun_quantity *out) {
  sq_num n;
  size_t p = 0;
  int k;
  if (sq_qent_at(c->s, c->len, 0) & SQ_Q_PREFIX) p = sq_qprefix_match(c, 0, &r->qp);
  if (sq_qlit(c, p, LIT_PCT) || sq_qlit(c, p, LIT_PML)) return fast_per(c, p, r);
  if (!sq_qnumeral_fast(c, p, &n)) return 0;
  if (n.end < c->len) {
    k = fast_ratio(c, &n, n.end, r);
    if (k != NOT_RATIO) return k;
    /* 2012年7月1日: a date (which takes no qualifier) */
    if (sq_qlit(c, n.end, "年") && sq_qdate_year_like(&n))
      return p == 0 && fast_date(c, &n, out) ? 2 : 0;
    if (!fast_count(c, p, &n, n.end, r)) return 0;
  }
  return sq_qdec_to_double(n.v, &r->v) == 0;
}

int sq_qparse_fast(const char *s, size_t len, siqun_quantity *out) {
  sq_ctx c;
  fast_val r = {SIQUN_EXACT, 0, "", 0};
  int k;
  sq_qctx_init(&c, s, len, 1, 0);
  k = fast_read(&c, &r, out);
  if (k == 1) emit(out, &r, len);
  return k != 0;
}
