/*
 * sq_qexpr.c -- quantity expressions: an atom (sq_qatom.c) with qualifier
 * words before and after it, or a range of two atoms (sq_qrange.c); the
 * bounds a qualifier gives.  Longest match from the start:
 *
 *   expr   = [prefix] [sign] atom [sep atom] [suffix]
 *   sign   = 负 - − － + ＋  (a minus makes value and bounds negative; a
 *            signed atom takes no range: -3至5 is refused)
 *   prefix = 约 大约 大概 近 将近 接近 超过 逾 高于 不少于 至少 不低于 不超过
 *            至多 不到 不足 低于 ...           (sq_qunits.c)
 *   sep    = 至 到 - ~ ～ —
 *   suffix = 左右 上下 以上 以下 以内
 *
 * Bounds: exact min = max = value; approx none; nearly, at_most and under
 * max = value (exclusive for under); over and at_least min = value
 * (inclusive for at_least: 以上 counts the value itself); range min and max
 * the ends, value = min.
 */
#include <string.h>

#include "sq_qatom.h"
#include "sq_qchar.h"
#include "sq_qctx.h"
#include "sq_qexpr.h"
#include "sq_qforms.h"
#include "sq_qrange.h"
#include "sq_qunits.h"

/* A qualifier word found: its position, byte length and qualifier. */
typedef struct qword_at {
  size_t pos, len;
  siqun_qualifier q;
} qword_at;

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

/* A separator and a second atom after a at *end: 1 when they make a
   range (a combined, *end moved on), 0 otherwise (a unchanged). */
static int read_range(sq_ctx *c, sq_qatom *a, sq_qatom *b, size_t *end) {
  size_t sl;
  sq_qatom r;
  if (a->over || a->within || (sl = sq_qrange_sep(c, *end)) == 0) return 0;
  r = *a; /* sq_qrange_combine changes its arguments even when it fails */
  if (!sq_qforms_read(c, *end + sl, b) || !sq_qrange_combine(c, &r, b, *end)) return 0;
  *a = r;
  *end = a->end;
  return 1;
}

/* The one qualifier of a single value: the words pre and suf, 余/多 and 内
   (all must agree), into *q. */
static int single_qualifier(sq_ctx *c, const qword_at *pre, const sq_qatom *a,
                            const qword_at *suf, siqun_qualifier *q) {
  siqun_qualifier list[4];
  int i, n = 0;
  if (pre->len) list[n++] = pre->q;
  if (a->over) list[n++] = SIQUN_OVER;
  if (a->within) list[n++] = SIQUN_AT_MOST;
  if (suf->len) list[n++] = suf->q;
  for (i = 0; i < n; i++) {
    if (i > 0 && list[i] != list[0]) {
      sq_qfail(c, suf->len ? suf->pos : pre->pos, "conflicting qualifiers (%s and %s)",
               qword(list[0]), qword(list[i]));
      return 0;
    }
    *q = list[i];
  }
  return 1;
}

/* A range takes 约 and 左右 only. */
static int range_qualifier(sq_ctx *c, const qword_at *pre, const qword_at *suf) {
  if ((pre->len && pre->q != SIQUN_APPROX) || (suf->len && suf->q != SIQUN_APPROX)) {
    const qword_at *w = pre->len ? pre : suf;
    sq_qfail(c, w->pos, "'%.*s' cannot qualify a range", (int)w->len, c->s + w->pos);
    return 0;
  }
  return 1;
}

/* A date (or date range) a..b, the expression [pos, end) into *out. */
static int date_out(sq_ctx *c, const qword_at *pre, const sq_qatom *a, const sq_qatom *b,
                    int range, size_t end, siqun_quantity *out, sq_info *info) {
  if (pre->len) {
    sq_qfail(c, pre->pos, "a date takes no qualifier ('%.*s')", (int)pre->len,
             c->s + pre->pos);
    return 0;
  }
  out->kind = SIQUN_Q_DATE;
  out->qualifier = range ? SIQUN_RANGE : SIQUN_EXACT;
  out->date = a->d;
  if (range) out->to = b->d;
  out->start = pre->pos;
  out->stop = end;
  info->arabic = (a->flags & SQ_N_ARABIC) != 0;
  info->signal = 1;
  return 1;
}

/* The value and bounds of a (a range: a..b) under qualifier q into *out. */
static int number_out(sq_ctx *c, const sq_qatom *a, const sq_qatom *b, siqun_qualifier q,
                      siqun_quantity *out) {
  double v;
  if (sq_qatom_value(a, &v) < 0) {
    sq_qfail(c, a->start, "number too large (above 2^63)");
    return 0;
  }
  out->value = v;
  out->qualifier = q;
  if (q == SIQUN_RANGE) {
    double w;
    if (sq_qatom_value(b, &w) < 0) {
      /* uncovered: the upper bound was read by the rules its lower bound passed */
      sq_qfail(c, b->start, "number too large (above 2^63)");
      return 0;
    }
    out->has_min = out->has_max = 1;
    out->min = v;
    out->max = w;
  } else {
    sq_qexpr_bounds(out, q, v);
  }
  out->kind = SIQUN_Q_NUMBER;
  memcpy(out->unit, a->unit, sizeof out->unit);
  return 1;
}

/* A range whose first bound has a sign (-3至5, 负五到负三) is not read
   (nor half of it): 1 with the error set when one follows at end. */
static int signed_range(sq_ctx *c, size_t end) {
  size_t sl = sq_qrange_sep(c, end), n;
  int neg;
  sq_qtok t;
  if (!sl) return 0;
  n = sq_qsign(c->s, c->len, end + sl, &neg);
  t = sq_qlex(c, end + sl + n);
  if (t.cls != SQ_C_ADIGIT && t.cls != SQ_C_DIGIT && t.cls != SQ_C_UNIT) return 0;
  sq_qfail(c, end, "a range with a signed bound is not read");
  c->hard = 1;
  return 1;
}

/* A minus sign before the number: the value and its bounds are negative
   (负三十二: value, min and max -32; 超过-5: min -5). */
static void negate(siqun_quantity *out) {
  double v = -out->value;
  out->has_min = out->has_max = 0;
  out->min = out->max = 0;
  out->value = v;
  sq_qexpr_bounds(out, out->qualifier, v);
}

int sq_qexpr(sq_ctx *c, size_t pos, siqun_quantity *out, sq_info *info) {
  sq_qatom a, b;
  qword_at pre = {0, 0, SIQUN_EXACT}, suf = {0, 0, SIQUN_EXACT};
  siqun_qualifier q = SIQUN_EXACT;
  size_t end, sl;
  int range, neg = 0;
  /* b is read for SIQUN_RANGE only, which only a parsed range gives; set
     anyway, so that no table of qualifiers can make it read garbage
     (clang-analyzer core.uninitialized.Branch) */
  memset(&b, 0, sizeof b);
  memset(out, 0, sizeof *out);
  info->arabic = 0;
  info->signal = 0;
  pre.pos = pos;
  pre.len = sq_qprefix_match(c, pos, &pre.q);
  sl = sq_qsign(c->s, c->len, pos + pre.len, &neg);
  if (!sq_qforms_read(c, pos + pre.len + sl, &a)) {
    if ((pre.len || sl) && (!c->has_err || c->err_pos <= pos + pre.len + sl))
      sq_qfail(c, pos + pre.len + sl, "expected a number after '%.*s'", (int)(pre.len + sl),
               c->s + pos);
    return 0;
  }
  end = a.end;
  if (sl && signed_range(c, end)) return 0;
  range = sl ? 0 : read_range(c, &a, &b, &end);
  if (a.date && sl) {
    sq_qfail(c, pos + pre.len, "a date takes no sign ('%.*s')", (int)sl, c->s + pos + pre.len);
    return 0;
  }
  if (a.date) return date_out(c, &pre, &a, &b, range, end, out, info);
  suf.pos = end;
  suf.len = sq_qsuffix_match(c, end, &suf.q);
  end += suf.len;
  if (range ? !range_qualifier(c, &pre, &suf) : !single_qualifier(c, &pre, &a, &suf, &q))
    return 0;
  if (range) q = SIQUN_RANGE;
  if (!number_out(c, &a, &b, q, out)) return 0;
  if (neg) negate(out);
  out->start = pos;
  out->stop = end;
  info->arabic = (a.flags & SQ_N_ARABIC) != 0;
  info->signal = a.unit[0] || a.percent || a.is_frac || a.over || a.within ||
                 suf.len || (a.flags & SQ_N_BIG) || sl;
  return 1;
}
