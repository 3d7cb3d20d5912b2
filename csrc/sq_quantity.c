/*
 * sq_quantity.c -- quantity expressions: a numeral (sq_qnumeral.c) with its
 * qualifiers, unit, percent and fraction forms, ranges and dates; the
 * public siqun_quantity_parse and siqun_qualifier_name.  No allocation, no
 * mutable global state.
 *
 * Grammar (longest match from the start):
 *   expr  = [prefix] atom [sep atom] [suffix]
 *   prefix = 约 大约 大概 近 将近 接近 超过 逾 高于 不少于 至少 不低于 不超过
 *            至多 不到 不足 低于 ...           (sq_qunits.c)
 *   atom  = 百分之 numeral | numeral "%" | numeral 成 | numeral / numeral
 *         | numeral 分之 numeral | date | numeral [余|多] [unit [余|多] [内]]
 *         | 半 unit [余|多] [内] | numeral 个半 T | numeral timeunit 半 [内]
 *   sep   = 至 到 - ~ ～ —
 *   suffix = 左右 上下 以上 以下 以内
 *
 * Bounds: exact min = max = value; approx none; nearly, at_most and under
 * max = value (exclusive for under); over and at_least min = value
 * (inclusive for at_least: 以上 counts the value itself); range min and max
 * the ends, value = min.  A bare start takes the scale and the unit of the
 * end: 10～20万元 is 100000..200000 元, 两到三万 20000..30000.
 *
 * Year or duration: numeral + 年 is a date (year) when the numeral is a
 * four-digit Arabic integer (2011年) or Chinese digit by digit (二〇一一年),
 * or when a month follows (11年12月).  Otherwise it is a count with unit 年
 * (3年, 一年, 1000多年).  numeral + 月 is a month (3个月 is a duration) and
 * numeral + 日 a day of the month.
 */
#include <stdio.h>
#include <string.h>

#include "sq_quantity_int.h"

#define LIT_PCT "百分之"
#define LIT_PML "千分之"

typedef struct atom {
  int date;
  siqun_date d;
  int level_hi, level_lo; /* 1 year, 2 month, 3 day */
  sq_dec v;
  int is_frac;
  double fval;
  int percent;
  char unit[SQ_MAXUNIT + 1];
  int unit_time;
  int over;
  int within;             /* 内 after a time unit */
  sq_num num;
  unsigned flags;         /* union of the numerals' flags */
  size_t start, end;
} atom;

const char *siqun_qualifier_name(siqun_qualifier q) {
  switch (q) {
    case SIQUN_EXACT: return "exact";
    case SIQUN_APPROX: return "approx";
    case SIQUN_NEARLY: return "nearly";
    case SIQUN_OVER: return "over";
    case SIQUN_AT_LEAST: return "at_least";
    case SIQUN_AT_MOST: return "at_most";
    case SIQUN_UNDER: return "under";
    case SIQUN_RANGE: return "range";
  }
  return "unknown";
}

/* Text of the character at pos for messages ("end of input" at the end). */
static int chr_len(const sq_ctx *c, size_t pos) {
  unsigned cp;
  size_t n = sq_qutf8(c->s, c->len, pos, &cp);
  return n ? (int)n : (pos < c->len ? 1 : 0);
}

static void set_unit(atom *a, const char *p, size_t n) {
  if (n > SQ_MAXUNIT) n = SQ_MAXUNIT;
  memcpy(a->unit, p, n);
  a->unit[n] = '\0';
}

static int is_plain_int(const sq_num *n) {
  return !(n->flags & (SQ_N_DECIMAL | SQ_N_OVER | SQ_N_BIG | SQ_N_GROUPED)) &&
         sq_qdec_is_int(n->v);
}

/* Small integer value of a numeral, or -1. */
static long small_int(const sq_num *n) {
  long long v;
  if (!is_plain_int(n) || sq_qdec_to_ll(n->v, &v) < 0 || v > 100000) return -1;
  return (long)v;
}

static int days_in(int year, int month) {
  static const int D[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && year != 0 &&
      !((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
    return 28;
  return month >= 1 && month <= 12 ? D[month] : 31;
}

/* numeral + 日 or 号 at pos (a day of the month): end or 0. */
static size_t read_day(sq_ctx *c, size_t pos, atom *a, int after_month) {
  sq_num n;
  long v;
  size_t q;
  if (!sq_qnumeral(c, pos, &n) || (n.flags & (SQ_N_HARD | SQ_N_SEQ | SQ_N_NEEDOVER)))
    return 0;
  q = n.end;
  if (!sq_qlit(c, q, "日") && !(after_month && sq_qlit(c, q, "号"))) return 0;
  v = small_int(&n);
  if (v < 1 || v > days_in(a->d.year, a->d.month)) {
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
static size_t read_month(sq_ctx *c, size_t pos, atom *a) {
  sq_num n;
  long v;
  size_t q, r;
  if (!sq_qnumeral(c, pos, &n) || (n.flags & (SQ_N_HARD | SQ_N_SEQ | SQ_N_NEEDOVER)))
    return 0;
  q = n.end;
  if (!sq_qlit(c, q, "月")) return 0;
  v = small_int(&n);
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

/* A four-digit Arabic number or a Chinese digit-by-digit one: a year. */
static int year_like(const sq_num *n) {
  if (n->flags & SQ_N_SEQ) return 1;
  return (n->flags & SQ_N_ARABIC) && !(n->flags & SQ_N_CHINESE) &&
         n->ndigits == 4 && !(n->flags & SQ_N_ZERO_LEAD) && is_plain_int(n);
}

static void make_date(atom *a) {
  a->date = 1;
  a->unit[0] = '\0';
}

/* Part of a month or year kept in the text but not in the date: 1月中旬,
   5月底, 12月份, 2011年初.  Returns the end after it. */
static size_t date_tail(const sq_ctx *c, const atom *a, size_t end) {
  static const char *const M[] = {"份", "上旬", "中旬", "下旬", "初", "底", "末"};
  size_t i;
  if (a->level_lo != 1 && a->level_lo != 2) return end;
  /* a month takes all seven, a year only 初, 底, 末 */
  for (i = a->level_lo == 1 ? 4 : 0; i < sizeof M / sizeof M[0]; i++)
    if (sq_qlit(c, end, M[i])) return end + strlen(M[i]);
  return end;
}

/* 2012-07-01 after a four-digit year numeral: end or 0. */
static size_t iso_date(sq_ctx *c, const sq_num *y, atom *a) {
  sq_num m, d;
  size_t q = y->end;
  long mv, dv;
  if (!year_like(y) || (y->flags & SQ_N_SEQ) || !sq_qlit(c, q, "-")) return 0;
  if (!sq_qnumeral(c, q + 1, &m) || (m.flags & SQ_N_CHINESE) || m.ndigits > 2 ||
      !sq_qlit(c, m.end, "-"))
    return 0;
  if (!sq_qnumeral(c, m.end + 1, &d) || (d.flags & SQ_N_CHINESE) || d.ndigits > 2)
    return 0;
  mv = small_int(&m);
  dv = small_int(&d);
  if (mv < 1 || mv > 12) return 0;
  a->d.month = (int)mv;
  if (dv < 1 || dv > days_in(a->d.year, (int)mv)) return 0;
  a->d.day = (int)dv;
  a->level_lo = 3;
  return d.end;
}

/* 半 (half): 半年, 半个月, 半小时, 半斤 (0.5 of a unit); 一年半, 三岁半
   (a whole number, a time unit, then 半); 两个半小时, 三个半月 (个半 and a
   time word, read as 个小时, 个月).  半 before a non-unit (半数, 半岛, 半导体,
   半夜, 半路, 半边天) is no quantity, nor is 一半. */
#define LIT_HALF "半"

/* 个 + T (月 小时 ...) after 个多, 个余 or 个半 at pos: sets the unit 个T and
   returns the length of T, or 0. */
static size_t ge_time(const sq_ctx *c, size_t pos, atom *a) {
  static const char *const T[] = {"月", "小时", "星期", "季度", "工作日"};
  size_t i;
  for (i = 0; i < sizeof T / sizeof T[0]; i++) {
    if (sq_qlit(c, pos, T[i])) {
      char buf[SQ_MAXUNIT + 1];
      snprintf(buf, sizeof buf, "个%s", T[i]);
      set_unit(a, buf, strlen(buf));
      a->unit_time = 1;
      return strlen(T[i]);
    }
  }
  return 0;
}

/* Units that do not take a leading 半 (of ul bytes at pos): 半人马, 半元音,
   半期 (mid-term); 半斤八两 is an idiom. */
static int half_refused(const sq_ctx *c, size_t pos, size_t ul) {
  static const char *const NO[] = {"人", "人次", "元", "元人民币", "年级", "年代",
                                   "倍", "期"};
  size_t i;
  for (i = 0; i < sizeof NO / sizeof NO[0]; i++)
    if (strlen(NO[i]) == ul && memcmp(c->s + pos, NO[i], ul) == 0) return 1;
  return sq_qlit(c, pos, "斤八两");
}

/* A trailing 半 at pos (一年半): not when a unit or a word made with 半
   follows (一年半载, 一天半天, 19年半导体). */
static int half_after(const sq_ctx *c, size_t pos) {
  static const char *const NO[] = {"载", "導", "导", "岛", "島", "夜", "数", "數",
                                   "边", "邊", "球", "径", "徑", "价", "價", "路",
                                   "途", "生", "身", "截", "晌", "壁", "山", "百"};
  size_t i;
  int uf;
  if (!sq_qlit(c, pos, LIT_HALF)) return 0;
  for (i = 0; i < sizeof NO / sizeof NO[0]; i++)
    if (sq_qlit(c, pos + 3, NO[i])) return 0;
  return sq_qunit_match(c, pos + 3, &uf) == 0;
}

/* One atom at pos: 1 on success. */
static int parse_atom(sq_ctx *c, size_t pos, atom *a) {
  sq_num n;
  size_t q;
  int uf, half = 0;
  size_t ul;
  memset(a, 0, sizeof *a);
  a->start = pos;
  /* 半年, 半个月: one half, then a unit must follow */
  if (sq_qlit(c, pos, LIT_HALF)) {
    memset(&n, 0, sizeof n);
    n.v.m = 5;
    n.v.e = -1;
    n.start = pos;
    n.end = pos + 3;
    n.flags = SQ_N_CHINESE | SQ_N_DECIMAL;
    a->num = n;
    a->flags = n.flags;
    a->v = n.v;
    half = 1;
    q = n.end;
    goto unit;
  }
  /* 百分之三十, 千分之五 */
  if (sq_qlit(c, pos, LIT_PCT) || sq_qlit(c, pos, LIT_PML)) {
    int pml = sq_qlit(c, pos, LIT_PML);
    q = pos + strlen(LIT_PCT);
    if (!pml && sq_qlit(c, q, "百") && !sq_qlit(c, q, "百分")) { /* 百分之百 */
      sq_num one;
      memset(&one, 0, sizeof one);
      one.v.m = 100;
      one.flags = SQ_N_CHINESE | SQ_N_UNITCH;
      one.start = q;
      one.end = q + 3;
      n = one;
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
    set_unit(a, pml ? "\xe2\x80\xb0" : "%", pml ? 3 : 1);
    a->end = n.end;
    return 1;
  }
  if (!sq_qnumeral(c, pos, &n)) return 0;
  if (n.flags & SQ_N_HARD) return 0;
  if ((n.flags & SQ_N_NEEDOVER) && !(n.flags & SQ_N_OVER)) {
    /* 百余人: a leading 百 or 千 is a number only with the 余/多 after it */
    if (!sq_qlit(c, n.end, "余") && !sq_qlit(c, n.end, "多") && !sq_qlit(c, n.end, "餘"))
      /* uncovered: sq_qnumeral already refuses a leading 百 or 千 alone ("百人") */
      return 0;
    n.flags &= ~SQ_N_NEEDOVER;
    a->over = 1;
    a->flags = n.flags;
    a->num = n;
    a->v = n.v;
    q = n.end + 3;
    goto unit;
  }
  a->num = n;
  a->flags = n.flags;
  a->v = n.v;
  q = n.end;

  if (n.flags & SQ_N_SEQ) {
    if (!sq_qlit(c, q, "年")) {
      sq_qfail(c, q, "the digit-by-digit numeral '%.*s' must be a year (followed "
              "by 年)", (int)(q - pos), c->s + pos);
      return 0;
    }
  }
  /* fractions: 1/5, 五分之一 */
  if ((sq_qlit(c, q, "/") || sq_qlit(c, q, "\xef\xbc\x8f")) &&
      !(n.flags & SQ_N_CHINESE)) {
    size_t sl = sq_qlit(c, q, "/") ? 1 : 3;
    sq_num d;
    if (sq_qnumeral(c, q + sl, &d) && !(d.flags & (SQ_N_CHINESE | SQ_N_HARD))) {
      double nv, dv;
      if (sq_qlit(c, d.end, "/") && year_like(&n)) {
        /* 2012/7/1 */
        sq_num dd;
        long mv = small_int(&d), dv2;
        if (!sq_qnumeral(c, d.end + 1, &dd) || (dd.flags & (SQ_N_CHINESE | SQ_N_HARD)) ||
            mv < 1 || mv > 12 || (dv2 = small_int(&dd)) < 1 ||
            dv2 > days_in((int)small_int(&n), (int)mv)) {
          sq_qfail(c, q, "malformed date '%.*s'", (int)(d.end - pos), c->s + pos);
          return 0;
        }
        a->d.year = (int)small_int(&n);
        a->d.month = (int)mv;
        a->d.day = (int)dv2;
        a->level_hi = 1;
        a->level_lo = 3;
        make_date(a);
        a->end = dd.end;
        return 1;
      }
      if (!is_plain_int(&n) || !is_plain_int(&d)) {
        sq_qfail(c, q, "a fraction needs whole numbers");
        return 0;
      }
      if (sq_qdec_is_zero(d.v)) {
        sq_qfail(c, q + sl, "zero denominator in '%.*s'", (int)(d.end - pos),
                c->s + pos);
        return 0;
      }
      if (sq_qdec_to_double(n.v, &nv) < 0 || sq_qdec_to_double(d.v, &dv) < 0) {
        /* uncovered: a/b parts over 2^63 have more than 19 digits, refused before */
        sq_qfail(c, pos, "number too large (above 2^63)");
        return 0;
      }
      a->is_frac = 1;
      a->fval = nv / dv;
      a->flags |= d.flags;
      a->end = d.end;
      return 1;
    }
  }
  if (sq_qlit(c, q, "分之")) {
    sq_num num;
    double nv, dv;
    if (!sq_qnumeral(c, q + 6, &num) ||
        (num.flags & (SQ_N_HARD | SQ_N_SEQ | SQ_N_NEEDOVER))) {
      if (!c->has_err || c->err_pos < q + 6)
        sq_qfail(c, q + 6, "expected a numerator after '分之'");
      return 0;
    }
    if (sq_qdec_is_zero(n.v)) {
      sq_qfail(c, pos, "zero denominator in '%.*s'", (int)(num.end - pos),
              c->s + pos);
      return 0;
    }
    if (sq_qdec_to_double(num.v, &nv) < 0 || sq_qdec_to_double(n.v, &dv) < 0) {
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
  /* percentages: 30%, ３０％, 三成 */
  if (sq_qlit(c, q, "%") || sq_qlit(c, q, "\xef\xbc\x85")) {
    a->percent = 1;
    set_unit(a, "%", 1);
    a->end = q + (c->s[q] == '%' ? 1 : 3);
    return 1;
  }
  if (sq_qlit(c, q, "成") && !sq_qlit(c, q, "成不变") &&
      !(n.flags & (SQ_N_BIG | SQ_N_OVER)) &&
      sq_qdec_cmp(n.v, (sq_dec){10, 0}) <= 0 && !sq_qdec_is_zero(n.v)) {
    sq_qdec_scale(&a->v, 1);
    a->percent = 1;
    set_unit(a, "%", 1);
    a->end = q + 3;
    return 1;
  }
  /* dates */
  if (year_like(&n) && !(n.flags & SQ_N_SEQ)) {
    size_t r;
    a->d.year = (int)small_int(&n);
    r = iso_date(c, &n, a);
    if (r) {
      make_date(a);
      a->level_hi = 1;
      a->end = r;
      return 1;
    }
    memset(&a->d, 0, sizeof a->d);
    a->level_lo = 0;
  }
  if (sq_qlit(c, q, "年") && !sq_qlit(c, q, "年代") && !sq_qlit(c, q, "年级")) {
    atom tmp = *a;
    size_t r = read_month(c, q + 3, &tmp);
    if (year_like(&n) || r) {
      long y = small_int(&n);
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
  } else if (sq_qlit(c, q, "月")) {
    size_t r = read_month(c, pos, a);
    if (!r) return 0;
    make_date(a);
    a->level_hi = 2;
    a->end = date_tail(c, a, r);
    return 1;
  } else if (sq_qlit(c, q, "日")) {
    size_t r = read_day(c, pos, a, 0);
    if (!r) return 0;
    make_date(a);
    a->level_hi = 3;
    a->end = r;
    return 1;
  }
  /* a number: 余/多, unit, 余/多 after a time unit, 内 */
  if (n.flags & SQ_N_OVER) a->over = 1;
  if ((sq_qlit(c, q, "余") || sq_qlit(c, q, "多") || sq_qlit(c, q, "餘")) &&
      !a->over &&
      ((n.flags & SQ_N_ENDUNIT) ||
       (!(n.flags & SQ_N_CHINESE) && !(n.flags & SQ_N_DECIMAL)))) {
    a->over = 1;
    q += 3;
  }
unit:
  if (sq_qlit(c, q, "个") && !a->over &&
      (sq_qlit(c, q + 3, "多") || sq_qlit(c, q + 3, "余"))) {
    size_t tl = ge_time(c, q + 6, a);
    if (tl) {
      a->over = 1;
      q += 6 + tl;
    }
  } else if (sq_qlit(c, q, "个") && !a->over && !half && small_int(&a->num) >= 0 &&
             sq_qlit(c, q + 3, LIT_HALF)) {
    /* 两个半小时, 三个半月 */
    size_t tl = ge_time(c, q + 6, a);
    if (tl) {
      sq_qdec_add(&a->v, (sq_dec){5, -1}); /* small: cannot overflow */
      q += 6 + tl;
    }
  }
  if (half && (ul = sq_qunit_match(c, q, &uf)) > 0 && half_refused(c, q, ul)) {
    sq_qfail(c, pos, "'半%.*s' is not a quantity", (int)ul, c->s + q);
    return 0;
  }
  if (!a->unit[0] && (ul = sq_qunit_match(c, q, &uf)) > 0) {
    set_unit(a, c->s + q, ul);
    a->unit_time = (uf & SQ_U_TIME) != 0;
    q += ul;
    if (a->unit_time && !a->over &&
        (sq_qlit(c, q, "多") || sq_qlit(c, q, "余") || sq_qlit(c, q, "餘"))) {
      a->over = 1;
      q += 3;
    }
    /* 一年半, 三岁半: a whole number of a time unit and a half */
    if (a->unit_time && !a->over && !half && small_int(&a->num) >= 0 &&
        half_after(c, q)) {
      sq_qdec_add(&a->v, (sq_dec){5, -1});
      q += 3;
    }
    if (sq_qlit(c, q, "整") && strcmp(a->unit, "元") == 0) q += 3;
    if (a->unit_time && sq_qlit(c, q, "内")) {
      a->within = 1;
      q += 3;
    }
  }
  if (half && !a->unit[0]) {
    sq_qfail(c, pos + 3, "'半' must be followed by a unit (as in 半年, 半个月)");
    return 0;
  }
  a->end = q;
  return 1;
}

static int atom_value(const atom *a, double *v) {
  if (a->is_frac) { *v = a->fval; return 0; }
  return sq_qdec_to_double(a->v, v);
}

static int atom_cmp(const atom *a, const atom *b) {
  if (a->is_frac || b->is_frac) {
    double x, y;
    if (atom_value(a, &x) < 0) x = 1e300; /* above 2^63: larger than any fraction */
    if (atom_value(b, &y) < 0) y = 1e300;
    return (x > y) - (x < y);
  }
  return sq_qdec_cmp(a->v, b->v);
}

static int date_cmp(siqun_date x, siqun_date y) {
  if (x.year != y.year) return x.year < y.year ? -1 : 1;
  if (x.month != y.month) return x.month < y.month ? -1 : 1;
  if (x.day != y.day) return x.day < y.day ? -1 : 1;
  return 0;
}

static int set_level(siqun_date *d, int level, long v) {
  if (level == 1 && v >= 0 && v <= 9999) d->year = (int)v;
  else if (level == 2 && v >= 1 && v <= 12) d->month = (int)v;
  else if (level == 3 && v >= 1 && v <= 31) d->day = (int)v;
  else return -1;
  return 0;
}

/* Combines a and b into a range in a; 1 on success. */
static int combine_range(sq_ctx *c, atom *a, atom *b, size_t seppos) {
  if (a->over || b->over || a->within || b->within) {
    sq_qfail(c, seppos, "余/多/内 inside a range");
    return 0;
  }
  if (a->date || b->date) {
    siqun_date from, to;
    if (!a->date) {
      /* 2019至2021年, 18至19日: a bare number takes b's leading field */
      long v = small_int(&a->num);
      if (a->unit[0] || a->percent || a->is_frac || v < 0) goto mixed;
      memset(&from, 0, sizeof from);
      if (set_level(&from, b->level_hi, v) < 0) goto mixed;
      to = b->d;
    } else if (!b->date) {
      /* 6月18日至19: a bare number takes a's last field */
      long v = small_int(&b->num);
      if (b->unit[0] || b->percent || b->is_frac || v < 0) goto mixed;
      from = a->d;
      to = a->d;
      if (set_level(&to, a->level_lo, v) < 0) goto mixed;
    } else {
      if (b->level_hi < a->level_hi || b->level_hi > a->level_lo) {
        sq_qfail(c, seppos, "the end of a date range must continue its start "
                "(as in 6月18日至19日)");
        return 0;
      }
      from = a->d;
      to = b->d;
      /* the end inherits the fields it leaves out: 6月18日至19日 */
      if (b->level_hi > 1) to.year = from.year;
      if (b->level_hi > 2) to.month = from.month;
    }
    if (date_cmp(from, to) >= 0) {
      sq_qfail(c, seppos, "date range does not end after it starts");
      return 0;
    }
    a->d = from;
    a->end = b->end;
    a->flags |= b->flags;
    a->date = 1;
    b->d = to; /* the end, read back by sq_qexpr */
    return 1;
  mixed:
    sq_qfail(c, seppos, "a range cannot mix a date and a number");
    return 0;
  }
  if (a->percent != b->percent) {
    if (!a->percent && !a->unit[0]) { a->percent = 1; set_unit(a, b->unit, strlen(b->unit)); }
    else if (!b->percent && !b->unit[0]) { b->percent = 1; set_unit(b, a->unit, strlen(a->unit)); }
    else {
      sq_qfail(c, seppos, "range ends have different units");
      return 0;
    }
  }
  /* the scale of the end applies to a bare start: 10～20万 = 100000..200000 */
  if (!a->is_frac && !b->is_frac && !a->unit[0] && b->num.big_exp > 0 &&
      a->num.big_exp == 0 && !a->percent) {
    sq_dec s = a->v;
    if (sq_qdec_scale(&s, b->num.big_exp) == 0 && sq_qdec_cmp(s, b->v) <= 0)
      a->v = s;
  }
  if (!a->unit[0]) set_unit(a, b->unit, strlen(b->unit));
  else if (!b->unit[0]) set_unit(b, a->unit, strlen(a->unit));
  if (strcmp(a->unit, b->unit) != 0) {
    sq_qfail(c, seppos, "range ends have different units ('%s' and '%s')",
            a->unit, b->unit);
    return 0;
  }
  if (atom_cmp(a, b) > 0) {
    sq_qfail(c, seppos, "range start is larger than its end");
    return 0;
  }
  a->unit_time = b->unit_time;
  a->end = b->end;
  a->flags |= b->flags;
  return 1;
}

static const char *qword(siqun_qualifier q) {
  switch (q) {
    case SIQUN_APPROX: return "约/左右";
    case SIQUN_NEARLY: return "近";
    case SIQUN_OVER: return "余/多/超过";
    case SIQUN_AT_LEAST: return "不少于/以上";
    case SIQUN_AT_MOST: return "不超过/以下/内";
    case SIQUN_UNDER: return "不到/不足";
    /* uncovered: only the enum's values are passed by the library */
    default: return "";
  }
}

/* The bounds a qualifier gives a single value v, into out (whose has_min
   and has_max are clear); a range sets its own.  under (不到, 不足, 低于)
   shares the representation of at_most: the bound max = value is exclusive
   there, and the qualifier tells which. */
static void set_bounds(siqun_quantity *out, siqun_qualifier q, double v) {
  switch (q) {
    case SIQUN_EXACT:
      out->has_min = out->has_max = 1;
      out->min = out->max = v;
      break;
    case SIQUN_NEARLY: case SIQUN_AT_MOST: case SIQUN_UNDER:
      out->has_max = 1;
      out->max = v;
      break;
    case SIQUN_OVER: case SIQUN_AT_LEAST:
      out->has_min = 1;
      out->min = v;
      break;
    default: /* approx: no bounds */
      break;
  }
}

int sq_qexpr(sq_ctx *c, size_t pos, siqun_quantity *out, sq_info *info) {
  atom a, b;
  siqun_qualifier qp = SIQUN_EXACT, qs = SIQUN_EXACT, q = SIQUN_EXACT;
  size_t p = pos, plen, end, sl;
  int range = 0, nq = 0;
  siqun_qualifier qs_list[4];
  int i;
  /* b is read for SIQUN_RANGE only, which only a parsed range gives; set
     anyway, so that no table of qualifiers can make it read garbage
     (clang-analyzer core.uninitialized.Branch) */
  memset(&b, 0, sizeof b);
  memset(out, 0, sizeof *out);
  info->arabic = 0;
  info->signal = 0;
  plen = sq_qprefix_match(c, p, &qp);
  p += plen;
  if (!parse_atom(c, p, &a)) {
    if (plen && (!c->has_err || c->err_pos <= p))
      sq_qfail(c, p, "expected a number after '%.*s'", (int)plen, c->s + pos);
    return 0;
  }
  end = a.end;
  if (!a.over && !a.within && (sl = sq_qrange_sep(c, end)) > 0) {
    atom r = a; /* combine_range changes its arguments even when it fails */
    if (parse_atom(c, end + sl, &b) && combine_range(c, &r, &b, end)) {
      a = r;
      range = 1;
      end = a.end;
    }
  }
  if (a.date) {
    if (plen) {
      sq_qfail(c, pos, "a date takes no qualifier ('%.*s')", (int)plen, c->s + pos);
      return 0;
    }
    out->kind = SIQUN_Q_DATE;
    out->qualifier = range ? SIQUN_RANGE : SIQUN_EXACT;
    out->date = a.d;
    if (range) out->to = b.d;
    out->start = pos;
    out->stop = end;
    info->arabic = (a.flags & SQ_N_ARABIC) != 0;
    info->signal = 1;
    return 1;
  }
  sl = sq_qsuffix_match(c, end, &qs);
  end += sl;
  if (range) {
    if ((plen && qp != SIQUN_APPROX) || (sl && qs != SIQUN_APPROX)) {
      sq_qfail(c, plen ? pos : end - sl, "'%.*s' cannot qualify a range",
              plen ? (int)plen : (int)sl, c->s + (plen ? pos : end - sl));
      return 0;
    }
    q = SIQUN_RANGE;
  } else {
    if (plen) qs_list[nq++] = qp;
    if (a.over) qs_list[nq++] = SIQUN_OVER;
    if (a.within) qs_list[nq++] = SIQUN_AT_MOST;
    if (sl) qs_list[nq++] = qs;
    for (i = 0; i < nq; i++) {
      if (i > 0 && qs_list[i] != qs_list[0]) {
        sq_qfail(c, sl ? end - sl : pos, "conflicting qualifiers (%s and %s)",
                qword(qs_list[0]), qword(qs_list[i]));
        return 0;
      }
      q = qs_list[i];
    }
  }
  {
    double v;
    if (atom_value(&a, &v) < 0) {
      sq_qfail(c, a.start, "number too large (above 2^63)");
      return 0;
    }
    out->value = v;
    out->qualifier = q;
    if (q == SIQUN_RANGE) {
      double w;
      if (atom_value(&b, &w) < 0) {
        /* uncovered: the upper bound was read by the rules its lower bound passed */
        sq_qfail(c, b.start, "number too large (above 2^63)");
        return 0;
      }
      out->has_min = out->has_max = 1;
      out->min = v;
      out->max = w;
    } else {
      set_bounds(out, q, v);
    }
  }
  out->kind = SIQUN_Q_NUMBER;
  memcpy(out->unit, a.unit, sizeof out->unit);
  out->start = pos;
  out->stop = end;
  info->arabic = (a.flags & SQ_N_ARABIC) != 0;
  info->signal = a.unit[0] || a.percent || a.is_frac || a.over || a.within ||
                 sl || (a.flags & SQ_N_BIG);
  return 1;
}

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

/* ------------------------------------------------------------ fast path

   Most expressions are a plain number, alone or with a unit and a
   qualifier word before it: 七百三十八万, 432.63万, 约360万张.  Two readers
   take them before the general path: sq_qwhole_chinese for a Chinese
   integer that is the whole input (called before anything else is set
   up), and fast_simple for [qualifier] number [unit].  What they accept,
   the general path gives the same way; build/bench/quantity_c check
   compares them with the general path alone (sq_qparse_general). */

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

/* The date that year numeral y (year_like) and 年 begin, when it is the
   whole input: 2012年, 2012年7月, 2012年7月1日 (or 1号), with numerals that
   sq_qnumeral_fast reads.  parse_atom reads these the same way (the year,
   then read_month and read_day); anything else after 年 (年初, 7月份, a
   month or day out of range, a numeral that needs the general reader) is
   left to the general path. */
static int fast_date(const sq_ctx *c, const sq_num *y, siqun_quantity *out) {
  siqun_date d;
  sq_num n;
  size_t q = y->end + 3;
  long v;
  d.year = (int)small_int(y);
  d.month = d.day = 0;
  if (q < c->len) {
    if (!sq_qnumeral_fast(c, q, &n) || !sq_qlit(c, n.end, "月")) return 0;
    v = small_int(&n);
    if (v < 1 || v > 12) return 0;
    d.month = (int)v;
    q = n.end + 3;
    if (q < c->len) {
      if (!sq_qnumeral_fast(c, q, &n) ||
          !(sq_qlit(c, n.end, "日") || sq_qlit(c, n.end, "号")))
        return 0;
      v = small_int(&n);
      if (v < 1 || v > days_in(d.year, d.month)) return 0;
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

/* [qualifier] number [unit], the whole of s[0, len): 54.29万, 360万张,
   1479支, 约360万张, 不少于1个月, 36万余人, 3年; percentages and fractions
   (30%, 三成, 百分之三十, 1/5, 五分之一); and the dates that a four-digit
   year begins (fast_date).  The numerals are ones that sq_qnumeral_fast
   reads, and parse_atom reads them the same way (sq_qnumeral tries the
   fast reader first); then what follows is taken in parse_atom's order
   (/, 分之, %, 成, dates, 余 and 多, the unit), each form only when it ends
   the input.  月 and 日 (dates), 年 before more text after a number that is
   not year-like, 百分之百 and every other form are left to the general
   path; 半, 个多 and 个半 end in no unit word at the end of the input.  No
   range separator nor qualifier can follow at the end, and no qualifier
   word starts with a numeral character. */
static int fast_simple(const char *s, size_t len, siqun_quantity *out) {
  sq_ctx c;
  sq_num n, d;
  siqun_qualifier qp = SIQUN_EXACT;
  size_t p = 0, q, ul = 0;
  const char *us = s; /* the unit: ul bytes at us */
  int uf;
  double v, nv, dv;
  c.s = s;
  c.len = len;
  c.scan = 1;
  c.slow = c.has_err = c.hard = 0;
  c.err_pos = 0;
  c.msg[0] = '\0';
  if (sq_qent_at(s, len, 0) & SQ_Q_PREFIX) p = sq_qprefix_match(&c, 0, &qp);
  if (sq_qlit(&c, p, LIT_PCT) || sq_qlit(&c, p, LIT_PML)) {
    /* 百分之三十, 千分之五 (百分之百 is left to the general path) */
    int pml = sq_qlit(&c, p, LIT_PML);
    q = p + strlen(LIT_PCT);
    if ((!pml && sq_qlit(&c, q, "百")) || !sq_qnumeral_fast(&c, q, &n) || n.end != len ||
        sq_qdec_to_double(n.v, &v) < 0)
      return 0;
    us = pml ? "\xe2\x80\xb0" : "%";
    ul = pml ? 3 : 1;
    goto have_v;
  }
  if (!sq_qnumeral_fast(&c, p, &n)) return 0;
  q = n.end;
  if (q < len) {
    unsigned e = sq_qent_at(s, len, q);
    if (s[q] == '%' || sq_qlit(&c, q, "\xef\xbc\x85")) {
      /* 30%, 12.5% */
      if (q + (s[q] == '%' ? 1 : 3) != len || sq_qdec_to_double(n.v, &v) < 0) return 0;
      us = "%";
      ul = 1;
      goto have_v;
    }
    if ((s[q] == '/' || sq_qlit(&c, q, "\xef\xbc\x8f")) && !(n.flags & SQ_N_CHINESE)) {
      /* 1/5: whole numbers, the end of the input after the denominator */
      if (!sq_qnumeral_fast(&c, q + (s[q] == '/' ? 1 : 3), &d) ||
          (d.flags & SQ_N_CHINESE) || d.end != len || !is_plain_int(&n) ||
          !is_plain_int(&d) || sq_qdec_is_zero(d.v) || sq_qdec_to_double(n.v, &nv) < 0 ||
          sq_qdec_to_double(d.v, &dv) < 0)
        return 0;
      v = nv / dv;
      goto have_v;
    }
    if (sq_qlit(&c, q, "分之")) {
      /* 五分之一: n is the denominator */
      if (!sq_qnumeral_fast(&c, q + 6, &d) || d.end != len || sq_qdec_is_zero(n.v) ||
          sq_qdec_to_double(d.v, &nv) < 0 || sq_qdec_to_double(n.v, &dv) < 0)
        return 0;
      v = nv / dv;
      goto have_v;
    }
    if (sq_qlit(&c, q, "成")) {
      /* 三成: tenths, as a percentage */
      sq_dec t = n.v;
      if (len - q != 3 || (n.flags & SQ_N_BIG) || sq_qdec_cmp(n.v, (sq_dec){10, 0}) > 0 ||
          sq_qdec_is_zero(n.v) || sq_qdec_scale(&t, 1) < 0 || sq_qdec_to_double(t, &v) < 0)
        return 0;
      us = "%";
      ul = 1;
      goto have_v;
    }
    if (SQ_Q_CLS(e) == SQ_C_OVER) {
      /* 1万多个, 十多个, 36万余人: as parse_atom takes 余 and 多 after a
         numeral; then a unit (any: the dates are looked for before) */
      if (!(n.flags & SQ_N_ENDUNIT) && (n.flags & (SQ_N_CHINESE | SQ_N_DECIMAL))) return 0;
      if (p > 0 && qp != SIQUN_OVER) return 0; /* conflicting qualifiers */
      qp = SIQUN_OVER;
      q += 3;
      e = q < len ? sq_qent_at(s, len, q) : 0;
    } else if (sq_qlit(&c, q, "年")) {
      /* 2012年7月1日: a date (which takes no qualifier); 3年, 五年: a
         count of years when nothing follows 年 */
      if (year_like(&n)) return p == 0 && fast_date(&c, &n, out);
      if (len - q != 3) return 0;
    } else if (sq_qlit(&c, q, "月") || sq_qlit(&c, q, "日")) {
      return 0;
    }
    if (q < len) {
      if (!(e & SQ_Q_UNIT)) return 0;
      ul = sq_qunit_match(&c, q, &uf);
      if (ul == 0 || q + ul != len || ul > SQ_MAXUNIT) return 0;
      us = s + q;
    }
  }
  if (sq_qdec_to_double(n.v, &v) < 0) return 0;
have_v:
  out->kind = SIQUN_Q_NUMBER;
  out->qualifier = qp;
  out->value = v;
  out->has_min = out->has_max = 0;
  out->min = out->max = 0;
  set_bounds(out, qp, v); /* (no prefix word gives a range) */
  memcpy(out->unit, us, ul);
  out->unit[ul] = '\0';
  out->date.year = out->date.month = out->date.day = 0;
  out->to.year = out->to.month = out->to.day = 0;
  out->start = 0;
  out->stop = len;
  return 1;
}

static int parse_general(const char *s, size_t len, siqun_quantity *out, char *err,
                         size_t errsz, int slow);

int sq_qparse_rest(const char *s, size_t len, siqun_quantity *out, char *err,
                   size_t errsz) {
  siqun_quantity tmp;
  if (s != NULL && len > 0 && fast_simple(s, len, out ? out : &tmp)) return 0;
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

static int parse_general(const char *s, size_t len, siqun_quantity *out, char *err,
                         size_t errsz, int slow) {
  sq_ctx c;
  sq_info info;
  siqun_quantity tmp;
  size_t valid, where;
  const char *why;
  char buf[SIQUN_ERRMAX];
  int ok;
  c.s = s;
  c.len = len;
  c.scan = c.has_err = c.hard = 0;
  c.slow = slow;
  c.err_pos = 0;
  c.msg[0] = '\0';
  if (!out) out = &tmp;
  if (len == 0 || s == NULL) {
    why = "empty quantity";
    where = 0;
    goto fail;
  }
  valid = utf8_valid(s, len);
  if (valid < len) {
    snprintf(buf, sizeof buf, "invalid UTF-8 at byte offset %zu", valid);
    if (err && errsz) snprintf(err, errsz, "%s", buf);
    return -1;
  }
  /* first without formatting the messages of the errors met on the way
     (the parse does not depend on them); again with them only when it
     fails */
  c.scan = 1;
  ok = sq_qexpr(&c, 0, out, &info);
  if (ok && out->stop == len) return 0;
  c.scan = c.has_err = c.hard = 0;
  c.err_pos = 0;
  ok = sq_qexpr(&c, 0, out, &info);
  if (ok && !(c.has_err && c.hard && c.err_pos >= out->stop)) {
    c.has_err = 1;
    c.err_pos = out->stop;
    sq_qmsg_cut(c.msg, sizeof c.msg,
                snprintf(c.msg, sizeof c.msg, "unexpected '%.*s' after '%.*s'",
                         chr_len(&c, out->stop), s + out->stop, (int)out->stop, s),
                1);
  } else if (!c.has_err) {
    c.has_err = 1;
    c.err_pos = 0;
    snprintf(c.msg, sizeof c.msg, "not a quantity");
  }
  why = c.msg;
  where = c.err_pos;
fail:
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
