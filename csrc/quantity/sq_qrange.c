/*
 * sq_qrange.c -- ranges: two numbers (10～20万元: a bare start takes the
 * scale and the unit of the end, 100000..200000 元; 两到三万 20000..30000)
 * or two dates (6月18日至19日: the end inherits the fields it leaves out;
 * 2019至2021年: a bare number takes the other end's field).
 */
#include <string.h>

#include "sq_qctx.h"
#include "sq_qdate.h"
#include "sq_qdec.h"
#include "sq_qnumeral.h"
#include "sq_qrange.h"

/* Orders the values of a and b (fractions as doubles). */
static int atom_cmp(const sq_qatom *a, const sq_qatom *b) {
  if (a->is_frac || b->is_frac) {
    double x, y;
    if (sq_qatom_value(a, &x) < 0) x = 1e300; /* above 2^63: larger than any fraction */
    if (sq_qatom_value(b, &y) < 0) y = 1e300;
    return (x > y) - (x < y);
  }
  return sq_qdec_cmp(a->v, b->v);
}

/* Sets the field of d at level (1 year, 2 month, 3 day) to v: -1 when
   out of range. */
static int set_level(siqun_date *d, int level, long v) {
  if (level == 1 && v >= 0 && v <= 9999) d->year = (int)v;
  else if (level == 2 && v >= 1 && v <= 12) d->month = (int)v;
  else if (level == 3 && v >= 1 && v <= 31) d->day = (int)v;
  else return -1;
  return 0;
}

/* The value of a bare whole number x (no unit, percent or fraction), or -1. */
static long bare(const sq_qatom *x) {
  if (x->unit[0] || x->percent || x->is_frac) return -1;
  return sq_qnum_small_int(&x->num);
}

static int mixed(sq_ctx *c, size_t seppos) {
  sq_qfail(c, seppos, "a range cannot mix a date and a number");
  return 0;
}

/* The ends of a date range (a or b a date) into *from and *to. */
static int date_ends(sq_ctx *c, const sq_qatom *a, const sq_qatom *b, size_t seppos,
                     siqun_date *from, siqun_date *to) {
  if (!a->date) {
    /* 2019至2021年, 18至19日: a bare number takes b's leading field */
    long v = bare(a);
    if (v < 0) return mixed(c, seppos);
    memset(from, 0, sizeof *from);
    if (set_level(from, b->level_hi, v) < 0) return mixed(c, seppos);
    *to = b->d;
  } else if (!b->date) {
    /* 6月18日至19: a bare number takes a's last field */
    long v = bare(b);
    if (v < 0) return mixed(c, seppos);
    *from = a->d;
    *to = a->d;
    if (set_level(to, a->level_lo, v) < 0) return mixed(c, seppos);
  } else {
    if (b->level_hi < a->level_hi || b->level_hi > a->level_lo) {
      sq_qfail(c, seppos, "the end of a date range must continue its start "
              "(as in 6月18日至19日)");
      return 0;
    }
    *from = a->d;
    *to = b->d;
    /* the end inherits the fields it leaves out: 6月18日至19日 */
    if (b->level_hi > 1) to->year = from->year;
    if (b->level_hi > 2) to->month = from->month;
  }
  return 1;
}

static int date_range(sq_ctx *c, sq_qatom *a, sq_qatom *b, size_t seppos) {
  siqun_date from, to;
  if (!date_ends(c, a, b, seppos, &from, &to)) return 0;
  if (sq_qdate_cmp(from, to) >= 0) {
    sq_qfail(c, seppos, "date range does not end after it starts");
    return 0;
  }
  a->d = from;
  a->end = b->end;
  a->flags |= b->flags;
  a->date = 1;
  b->d = to; /* the end, read back by sq_qexpr */
  return 1;
}

static int number_range(sq_ctx *c, sq_qatom *a, sq_qatom *b, size_t seppos) {
  if (a->percent != b->percent) {
    if (!a->percent && !a->unit[0]) { a->percent = 1; sq_qatom_set_unit(a, b->unit, strlen(b->unit)); }
    else if (!b->percent && !b->unit[0]) { b->percent = 1; sq_qatom_set_unit(b, a->unit, strlen(a->unit)); }
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
  if (!a->unit[0]) sq_qatom_set_unit(a, b->unit, strlen(b->unit));
  else if (!b->unit[0]) sq_qatom_set_unit(b, a->unit, strlen(a->unit));
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

int sq_qrange_combine(sq_ctx *c, sq_qatom *a, sq_qatom *b, size_t seppos) {
  if (a->over || b->over || a->within || b->within) {
    sq_qfail(c, seppos, "余/多/内 inside a range");
    return 0;
  }
  if (a->date || b->date) return date_range(c, a, b, seppos);
  return number_range(c, a, b, seppos);
}
