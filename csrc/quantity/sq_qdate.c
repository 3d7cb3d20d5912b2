/*
 * sq_qdate.c -- dates: 2012年7月1日 (or 1号), 2012-07-01, 2012/7/1,
 * 二〇一一年, 7月, 5月底, 18日.
 *
 * Year or duration: numeral + 年 is a date (year) when the numeral is a
 * four-digit Arabic integer (2011年) or Chinese digit by digit (二〇一一年),
 * or when a month follows (11年12月).  Otherwise it is a count with unit 年
 * (3年, 一年, 1000多年: sq_qcount.c).  numeral + 月 is a month (3个月 is a
 * duration) and numeral + 日 a day of the month.
 */
#include <string.h>

#include "sq_qctx.h"
#include "sq_qdate.h"
#include "sq_qnumeral.h"

int sq_qdate_days_in(int year, int month) {
  static const int D[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && year != 0 &&
      !((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
    return 28;
  return month >= 1 && month <= 12 ? D[month] : 31;
}

int sq_qdate_cmp(siqun_date x, siqun_date y) {
  if (x.year != y.year) return x.year < y.year ? -1 : 1;
  if (x.month != y.month) return x.month < y.month ? -1 : 1;
  if (x.day != y.day) return x.day < y.day ? -1 : 1;
  return 0;
}

int sq_qdate_year_like(const sq_num *n) {
  if (n->flags & SQ_N_SEQ) return 1;
  return (n->flags & SQ_N_ARABIC) && !(n->flags & SQ_N_CHINESE) &&
         n->ndigits == 4 && !(n->flags & SQ_N_ZERO_LEAD) && sq_qnum_plain_int(n);
}

static void make_date(sq_qatom *a) {
  a->date = 1;
  a->unit[0] = '\0';
}

/* numeral + 日 or 号 at pos (a day of the month): end or 0. */
static size_t read_day(sq_ctx *c, size_t pos, sq_qatom *a, int after_month) {
  sq_num n;
  long v;
  size_t q;
  if (!sq_qnumeral(c, pos, &n) || (n.flags & (SQ_N_HARD | SQ_N_SEQ | SQ_N_NEEDOVER)))
    return 0;
  q = n.end;
  if (!sq_qlit(c, q, "日") && !(after_month && sq_qlit(c, q, "号"))) return 0;
  v = sq_qnum_small_int(&n);
  if (v < 1 || v > sq_qdate_days_in(a->d.year, a->d.month)) {
    sq_qfail(c, pos, "day %.*s out of range for the month", (int)(q - pos),
            c->s + pos);
    return 0;
  }
  a->d.day = (int)v;
  a->flags |= n.flags;
  a->level_lo = 3;
  return q + 3;
}

/* numeral + 月 at pos (not 个月): end or 0; then an optional day. */
static size_t read_month(sq_ctx *c, size_t pos, sq_qatom *a) {
  sq_num n;
  long v;
  size_t q, r;
  if (!sq_qnumeral(c, pos, &n) || (n.flags & (SQ_N_HARD | SQ_N_SEQ | SQ_N_NEEDOVER)))
    return 0;
  q = n.end;
  if (!sq_qlit(c, q, "月")) return 0;
  v = sq_qnum_small_int(&n);
  if (v < 1 || v > 12) {
    sq_qfail(c, pos, "month %.*s out of range", (int)(q - pos), c->s + pos);
    return 0;
  }
  a->d.month = (int)v;
  a->flags |= n.flags;
  a->level_lo = 2;
  q += 3;
  r = read_day(c, q, a, 1);
  return r ? r : q;
}

/* Part of a month or year kept in the text but not in the date: 1月中旬,
   5月底, 12月份, 2011年初.  Returns the end after it. */
static size_t date_tail(const sq_ctx *c, const sq_qatom *a, size_t end) {
  static const char *const M[] = {"份", "上旬", "中旬", "下旬", "初", "底", "末"};
  size_t i;
  if (a->level_lo != 1 && a->level_lo != 2) return end;
  /* a month takes all seven, a year only 初, 底, 末 */
  for (i = a->level_lo == 1 ? 4 : 0; i < sizeof M / sizeof M[0]; i++)
    if (sq_qlit(c, end, M[i])) return end + strlen(M[i]);
  return end;
}

/* -MM-DD after the year numeral y: end or 0. */
static size_t iso_tail(sq_ctx *c, const sq_num *y, sq_qatom *a) {
  sq_num m, d;
  size_t q = y->end;
  long mv, dv;
  if (!sq_qlit(c, q, "-")) return 0;
  if (!sq_qnumeral(c, q + 1, &m) || (m.flags & SQ_N_CHINESE) || m.ndigits > 2 ||
      !sq_qlit(c, m.end, "-"))
    return 0;
  if (!sq_qnumeral(c, m.end + 1, &d) || (d.flags & SQ_N_CHINESE) || d.ndigits > 2)
    return 0;
  mv = sq_qnum_small_int(&m);
  dv = sq_qnum_small_int(&d);
  if (mv < 1 || mv > 12) return 0;
  a->d.month = (int)mv;
  if (dv < 1 || dv > sq_qdate_days_in(a->d.year, (int)mv)) return 0;
  a->d.day = (int)dv;
  a->level_lo = 3;
  return d.end;
}

int sq_qdate_iso(sq_ctx *c, size_t pos, sq_qatom *a) {
  size_t r;
  (void)pos;
  if (!sq_qdate_year_like(&a->num) || (a->num.flags & SQ_N_SEQ)) return SQ_QF_NO;
  a->d.year = (int)sq_qnum_small_int(&a->num);
  r = iso_tail(c, &a->num, a);
  if (r) {
    make_date(a);
    a->level_hi = 1;
    a->end = r;
    return 1;
  }
  memset(&a->d, 0, sizeof a->d);
  a->level_lo = 0;
  return SQ_QF_NO;
}

/* numeral + 年 at q: a year (and a month and day) when year-like or
   followed by a month, else not a date (3年). */
static int year(sq_ctx *c, size_t pos, sq_qatom *a, size_t q) {
  sq_qatom tmp = *a;
  size_t r = read_month(c, q + 3, &tmp);
  long y;
  if (!sq_qdate_year_like(&a->num) && !r) return SQ_QF_NO;
  y = sq_qnum_small_int(&a->num);
  if (y < 0 || y > 9999) {
    sq_qfail(c, pos, "year %.*s out of range", (int)(q - pos), c->s + pos);
    return 0;
  }
  a->d.year = (int)y;
  a->level_hi = 1;
  a->level_lo = 1;
  r = read_month(c, q + 3, a);
  make_date(a);
  a->end = date_tail(c, a, r ? r : q + 3);
  return 1;
}

int sq_qdate_ymd(sq_ctx *c, size_t pos, sq_qatom *a) {
  size_t q = a->num.end, r;
  if (sq_qlit(c, q, "年"))
    return sq_qlit(c, q, "年代") || sq_qlit(c, q, "年级") ? SQ_QF_NO : year(c, pos, a, q);
  if (sq_qlit(c, q, "月")) {
    r = read_month(c, pos, a);
    if (!r) return 0;
    make_date(a);
    a->level_hi = 2;
    a->end = date_tail(c, a, r);
    return 1;
  }
  if (sq_qlit(c, q, "日")) {
    r = read_day(c, pos, a, 0);
    if (!r) return 0;
    make_date(a);
    a->level_hi = 3;
    a->end = r;
    return 1;
  }
  return SQ_QF_NO;
}

int sq_qdate_slash(sq_ctx *c, size_t pos, sq_qatom *a, size_t q, const sq_num *m) {
  sq_num d;
  long y = sq_qnum_small_int(&a->num), mv = sq_qnum_small_int(m), dv;
  if (!sq_qnumeral(c, m->end + 1, &d) || (d.flags & (SQ_N_CHINESE | SQ_N_HARD)) ||
      mv < 1 || mv > 12 || (dv = sq_qnum_small_int(&d)) < 1 ||
      dv > sq_qdate_days_in((int)y, (int)mv)) {
    sq_qfail(c, q, "malformed date '%.*s'", (int)(m->end - pos), c->s + pos);
    return 0;
  }
  a->d.year = (int)y;
  a->d.month = (int)mv;
  a->d.day = (int)dv;
  a->level_hi = 1;
  a->level_lo = 3;
  make_date(a);
  a->end = d.end;
  return 1;
}
