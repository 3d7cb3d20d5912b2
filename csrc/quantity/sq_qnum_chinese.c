/*
 * sq_qnum_chinese.c -- the general reader of Chinese and mixed numerals:
 * Chinese digits (simplified, traditional, financial, 两, 零), the units
 * 十百千, the scales 万亿, abbreviated forms (三万五, and with one Arabic
 * digit 3万5, 8千3; a lone leading scale 千三, 万五), a decimal part after
 * 点 (十二点五), 余/多 before a scale (420余万), and Arabic parts (54.29万,
 * 2亿5千万, 3万4000).  One step per character class; each says whether
 * the numeral goes on, stops before the character, or fails.
 */
#include <string.h>

#include "sq_qchar.h"
#include "sq_qctx.h"
#include "sq_qdec.h"
#include "sq_qnum_arabic.h"
#include "sq_qnum_chinese.h"
#include "sq_qunits.h"

/* What a step returns. */
enum { GO, STOP, FAIL };

#define LAST_ZERO (-1)

/* The reader's state. */
typedef struct rd {
  sq_ctx *c;
  sq_num *n;
  size_t start, p;           /* the numeral's start; the next character */
  sq_dec total, wan, sec, pend;
  int has_pend, pend_kind;   /* 1 Chinese digit, 2 Arabic, 3 decimal */
  int pend_liang;
  int pend_after;            /* exponent of the unit just before the digit */
  int last;                  /* class of the previous token (SQ_C_*), -1 zero */
  int last_exp;              /* exponent of the previous unit token */
  int floor;                 /* smallest small unit so far in the section */
  int wan_used, yi_used;
  int only_big;              /* after a decimal or 余/多: only 万/亿 may follow */
  int big_exp, last_big;
  int ntok;
} rd;

/* Stops at a character that cannot follow: the numeral is "hard". */
static int hard(const rd *r) {
  r->n->flags |= SQ_N_HARD;
  return STOP;
}

/* Bytes read so far, for messages ("'%.*s'"). */
#define SOFAR(r) (int)((r)->p - (r)->start), (r)->c->s + (r)->start
/* The character t at r->p, for messages. */
#define TEXT(r, t) (int)(t).len, (r)->c->s + (r)->p

/* The section value with the pending digit added, in *g (at: position
   for messages): -1 on an error. */
static int fold_pend(rd *r, size_t at, sq_dec *g) {
  sq_dec p = r->pend;
  *g = r->sec;
  if (!r->has_pend) return 0;
  if (r->pend_kind == 1 && r->pend_after >= 2) {
    /* abbreviated: 三万五 = 35000, 两百五 = 250 */
    if (r->pend_liang) {
      sq_qfail(r->c, at, "'两' cannot be a trailing digit (write 二)");
      return -1;
    }
    sq_qdec_scale(&p, r->pend_after - 1);
  } else if (r->pend_kind == 1 && r->pend_liang && r->ntok > 1) {
    sq_qfail(r->c, at, "'两' cannot be a units digit (write 二)");
    return -1;
  }
  if (sq_qdec_add(g, p) < 0) {
    /* uncovered: a pending digit and a section below 10^4 cannot overflow */
    sq_qfail(r->c, at, "number too large");
    return -1;
  }
  return 0;
}

static int step_digit(rd *r, sq_qtok t);

/* The value 1-9 of an Arabic number at p that is one ASCII digit alone
   (the Arabic reader stops after it: not 3万5.5, 3万5,000), or 0. */
static int lone_digit(sq_ctx *c, size_t p) {
  sq_num a;
  unsigned char b = (unsigned char)c->s[p];
  if (b < '1' || b > '9') return 0;
  memset(&a, 0, sizeof a);
  return sq_qnum_arabic(c, p, &a) == p + 1 ? b - '0' : 0;
}

/* Nonzero when a number of its own, with a scale, begins at p (the
   2.5万亿 of 1.5万亿2.5万亿): the numeral ends before it, no error. */
static int next_scaled(rd *r, size_t p) {
  sq_num a;
  size_t q;
  memset(&a, 0, sizeof a);
  q = sq_qnum_arabic(r->c, p, &a);
  return q != 0 && sq_qlex(r->c, q).cls == SQ_C_BIG;
}

/* Arabic digits: alone (54.29), or after a scale (3万4000). */
static int step_arabic(rd *r) {
  sq_ctx *c = r->c;
  sq_num a;
  size_t q, p = r->p;
  if (r->last == SQ_C_UNIT || r->last == SQ_C_BIG) {
    int d = lone_digit(c, p);
    if (d > 0) {
      /* 8千3, 3万5, 5万4千6百: one digit after a unit or scale is read
         as the Chinese digit would be (八千三, 三万五) */
      sq_qtok t;
      t.cls = SQ_C_DIGIT;
      t.val = d;
      t.cp = (unsigned char)c->s[p];
      t.len = 1;
      r->n->flags |= SQ_N_ARABIC;
      return step_digit(r, t);
    }
  }
  if (r->last != SQ_C_NONE && r->last != SQ_C_BIG && r->last != LAST_ZERO) {
    if (r->last == SQ_C_UNIT) {
      sq_qfail(c, p, "Arabic digit after '%.*s' in a Chinese numeral", SOFAR(r));
      return hard(r);
    }
    return STOP;
  }
  if (r->only_big) {
    if (next_scaled(r, p)) return STOP;
    sq_qfail(c, p, "digits after '%.*s'", SOFAR(r));
    return hard(r);
  }
  memset(&a, 0, sizeof a);
  q = sq_qnum_arabic(c, p, &a);
  if (q == 0) { r->n->flags |= a.flags; return FAIL; }
  r->n->flags |= a.flags & (SQ_N_ARABIC | SQ_N_HARD | SQ_N_ZERO_LEAD);
  if (r->last != SQ_C_NONE) {
    sq_dec lim = {1, r->last_big};
    if ((a.flags & (SQ_N_DECIMAL | SQ_N_GROUPED) || sq_qdec_cmp(a.v, lim) >= 0) &&
        sq_qlex(c, q).cls == SQ_C_BIG)
      return STOP;
    if (a.flags & (SQ_N_DECIMAL | SQ_N_GROUPED)) {
      sq_qfail(c, p, "only a whole number may follow '%.*s'", SOFAR(r));
      return hard(r);
    }
    if (sq_qdec_cmp(a.v, lim) >= 0) {
      sq_qfail(c, p, "'%.*s' is too large to follow '%.*s'", (int)(q - p), c->s + p,
               SOFAR(r));
      return hard(r);
    }
  }
  r->pend = a.v;
  r->has_pend = 1;
  r->pend_kind = (a.flags & SQ_N_DECIMAL) ? 3 : 2;
  r->pend_liang = 0;
  r->pend_after = 0;
  if (r->last == SQ_C_NONE) {
    r->n->ndigits = a.ndigits;
    r->n->flags |= a.flags & (SQ_N_DECIMAL | SQ_N_GROUPED);
  }
  if (a.flags & SQ_N_DECIMAL) r->only_big = 1;
  r->last = SQ_C_ADIGIT;
  r->ntok++;
  r->p = q;
  return (a.flags & SQ_N_HARD) ? STOP : GO;
}

/* 零: first (零 alone, 零点五), or between the parts of a numeral. */
static int step_zero(rd *r, sq_qtok t) {
  if (r->last == SQ_C_NONE) {
    sq_qtok t2 = sq_qlex(r->c, r->p + t.len);
    r->pend.m = 0;
    r->pend.e = 0;
    r->has_pend = 1;
    r->pend_kind = 1;
    r->pend_after = 0;
    r->last = SQ_C_DIGIT;
    r->ntok++;
    r->p += t.len;
    if (t2.cls == SQ_C_UNIT || t2.cls == SQ_C_BIG) {
      sq_qfail(r->c, r->p, "'%.*s' after a leading '零'", TEXT(r, t2));
      return hard(r);
    }
    return GO;
  }
  r->last = LAST_ZERO;
  r->ntok++;
  r->p += t.len;
  return GO;
}

/* A Chinese digit: waits for its unit (三百) or ends the numeral (十三). */
static int step_digit(rd *r, sq_qtok t) {
  if (r->last == SQ_C_DIGIT || r->last == SQ_C_ADIGIT ||
      (r->last == LAST_ZERO && t.val == 0) || r->only_big) {
    if (r->last == LAST_ZERO && t.val == 0)
      sq_qfail(r->c, r->p, "doubled '零'");
    else
      sq_qfail(r->c, r->p, "digit '%.*s' cannot follow '%.*s'", TEXT(r, t), SOFAR(r));
    return hard(r);
  }
  r->n->flags |= SQ_N_CHINESE;
  if (t.val == 0) return step_zero(r, t);
  r->pend.m = (unsigned)t.val;
  r->pend.e = 0;
  r->has_pend = 1;
  r->pend_kind = 1;
  r->pend_liang = sq_qis_liang(t.cp);
  r->pend_after = (r->last == SQ_C_UNIT || r->last == SQ_C_BIG) ? r->last_exp : 0;
  r->last = SQ_C_DIGIT;
  r->ntok++;
  r->p += t.len;
  return GO;
}

/* Nonzero when t, after a leading 百, 千 or 万, is the digit of an
   abbreviated numeral (千三, 万五): 1-9, not 两. */
static int lone_lead(sq_qtok t) {
  return t.cls == SQ_C_DIGIT && t.val > 0 && !sq_qis_liang(t.cp);
}

/* What the unit t (十百千, exponent u) multiplies, in *add: the pending
   digit, or 1 (十二, 一万零十二; 百余人 before 余). */
static int unit_base(rd *r, sq_qtok t, sq_dec *add) {
  sq_ctx *c = r->c;
  int u = t.val;
  if (r->has_pend && r->last != LAST_ZERO) {
    if (r->pend_kind >= 2 && sq_qdec_cmp(r->pend, (sq_dec){10, 0}) >= 0) {
      sq_qfail(c, r->p, "'%.*s' before '%.*s' (only one digit may precede it)",
               SOFAR(r), TEXT(r, t));
      return hard(r);
    }
    if (r->pend_liang && u == 1) {
      sq_qfail(c, r->p, "'两' cannot be used for the tens (write 二十)");
      return hard(r);
    }
    if (sq_qdec_is_zero(r->pend)) {
      sq_qfail(c, r->p, "'%.*s' after a zero digit", TEXT(r, t));
      return hard(r);
    }
    *add = r->pend;
  } else if (u == 1 && (r->last == SQ_C_NONE || r->last == LAST_ZERO)) {
    add->m = 1; add->e = 0; /* 十二, 一万零十二 */
  } else if (r->last == SQ_C_NONE) {
    /* 百余人, 千余名: a leading 百/千 only before 余 */
    sq_qtok t2 = sq_qlex(c, r->p + t.len);
    if (t2.cls == SQ_C_OVER && u >= 2) {
      add->m = 1; add->e = 0;
      r->n->flags |= SQ_N_NEEDOVER;
    } else if (u >= 2 && lone_lead(t2)) {
      add->m = 1; add->e = 0; /* 千三 = 1300, 百五 = 150 */
    } else {
      sq_qfail(c, r->p, "~'%.*s' without a digit before it", TEXT(r, t));
      return FAIL;
    }
  } else if (r->last == LAST_ZERO) {
    sq_qfail(c, r->p, "'零' before '%.*s'", TEXT(r, t));
    return hard(r);
  } else {
    if (r->last == SQ_C_UNIT && u == r->floor)
      sq_qfail(c, r->p, "repeated unit '%.*s'", TEXT(r, t));
    else if (r->last == SQ_C_UNIT)
      sq_qfail(c, r->p, "unit '%.*s' out of order after '%.*s'", TEXT(r, t), SOFAR(r));
    else
      sq_qfail(c, r->p, "'%.*s' without a digit before it", TEXT(r, t));
    return hard(r);
  }
  return GO;
}

/* After a unit or scale token (class cls, exponent e, len bytes), which
   takes the pending digit: the numeral goes on. */
static int took_unit(rd *r, int cls, int e, unsigned flags, size_t len) {
  r->has_pend = 0;
  r->pend_kind = 0;
  r->pend_liang = 0;
  r->last = cls;
  r->last_exp = e;
  r->ntok++;
  r->n->flags |= SQ_N_CHINESE | flags;
  r->p += len;
  return GO;
}

/* A unit 十百千 (exponent t.val). */
static int step_unit(rd *r, sq_qtok t) {
  sq_ctx *c = r->c;
  int u = t.val, f, k;
  sq_dec add;
  /* 千米, 千克, 百分点: a unit word after a lone digit */
  if (r->ntok == 1 && r->has_pend && r->pend_kind != 0 && sq_qunit_match(c, r->p, &f) > 3)
    return STOP;
  if (r->only_big) {
    sq_qfail(c, r->p, "'%.*s' cannot follow '%.*s'", TEXT(r, t), SOFAR(r));
    return hard(r);
  }
  if ((k = unit_base(r, t, &add)) != GO) return k;
  if (u >= r->floor) {
    if (u == r->floor)
      sq_qfail(c, r->p, "repeated unit '%.*s'", TEXT(r, t));
    else
      sq_qfail(c, r->p, "unit '%.*s' out of order after '%.*s'", TEXT(r, t), SOFAR(r));
    return hard(r);
  }
  if (sq_qdec_scale(&add, u) < 0 || sq_qdec_add(&r->sec, add) < 0) {
    /* uncovered: with 万 and 亿 at most once each, a Chinese numeral stays far below this limit */
    sq_qfail(c, r->p, "number too large");
    return hard(r);
  }
  if (r->pend_kind == 3) r->only_big = 1;
  r->floor = u;
  return took_unit(r, SQ_C_UNIT, u, SQ_N_UNITCH, t.len);
}

/* 万 after the section g. */
static int scale_wan(rd *r, sq_qtok t, sq_dec g) {
  sq_ctx *c = r->c;
  if (r->wan_used) {
    sq_qfail(c, r->p, "repeated unit '%.*s'", TEXT(r, t));
    return hard(r);
  }
  if (sq_qdec_is_zero(g)) {
    sq_qfail(c, r->p, "'%.*s' without a digit before it", TEXT(r, t));
    return hard(r);
  }
  if (r->yi_used && sq_qdec_cmp(g, (sq_dec){10000, 0}) >= 0) {
    sq_qfail(c, r->p, "'%.*s' too large before '%.*s'", SOFAR(r), TEXT(r, t));
    return hard(r);
  }
  if (sq_qdec_scale(&g, 4) < 0) { sq_qfail(c, r->p, "number too large"); return hard(r); }
  r->wan = g;
  r->wan_used = 1;
  if (r->big_exp < 4) r->big_exp = 4;
  return GO;
}

/* 亿 (or 万万) after the section g. */
static int scale_yi(rd *r, sq_qtok t, sq_dec g) {
  sq_ctx *c = r->c;
  sq_dec w = r->wan;
  int e = (r->last == SQ_C_BIG && r->last_exp == 4 && !r->has_pend &&
           sq_qdec_is_zero(r->sec)) ? 12 : 8;
  if (r->yi_used) {
    sq_qfail(c, r->p, "repeated unit '%.*s'", TEXT(r, t));
    return hard(r);
  }
  if (sq_qdec_add(&w, g) < 0 || sq_qdec_is_zero(w)) {
    sq_qfail(c, r->p, "'%.*s' without a digit before it", TEXT(r, t));
    return hard(r);
  }
  if (sq_qdec_scale(&w, 8) < 0 || sq_qdec_add(&r->total, w) < 0) {
    /* uncovered: with 万 and 亿 at most once each, a Chinese numeral stays far below this limit */
    sq_qfail(c, r->p, "number too large");
    return hard(r);
  }
  r->wan.m = 0; r->wan.e = 0;
  r->wan_used = 0;
  r->yi_used = 1;
  if (r->big_exp < e) r->big_exp = e;
  return GO;
}

/* A scale 万 or 亿 (exponent t.val). */
static int step_big(rd *r, sq_qtok t) {
  int b = t.val, k;
  sq_dec g;
  size_t blen = t.len;
  sq_qtok t2 = sq_qlex(r->c, r->p + t.len);
  if (b == 4 && t2.cls == SQ_C_BIG && t2.val == 4) { b = 8; blen += t2.len; } /* 万万 */
  if (r->last == SQ_C_NONE && lone_lead(t2) && t2.val != 1 && blen == t.len) {
    /* 万五 = 15000: one 万 before its abbreviated digit (not 万一, the
       word "in case") */
    r->pend.m = 1; r->pend.e = 0;
    r->has_pend = 1;
    r->pend_kind = 2;
    r->last = SQ_C_ADIGIT;
  }
  if (r->last == SQ_C_NONE) {
    sq_qfail(r->c, r->p, "~'%.*s' without a digit before it", TEXT(r, t));
    return FAIL;
  }
  if (r->last == LAST_ZERO) {
    sq_qfail(r->c, r->p, "dangling '零' before '%.*s'", TEXT(r, t));
    return hard(r);
  }
  if (fold_pend(r, r->p, &g) < 0) return hard(r);
  k = b == 4 ? scale_wan(r, t, g) : scale_yi(r, t, g);
  if (k != GO) return k;
  r->sec.m = 0; r->sec.e = 0;
  r->floor = 4;
  r->last_big = b;
  return took_unit(r, SQ_C_BIG, b, SQ_N_BIG, blen);
}

/* The digits after 点 from q, one by one, into *m and *e: their end, or 0
   when there are too many. */
static size_t point_digits(rd *r, size_t q, unsigned long long *m, int *e) {
  sq_qtok d = sq_qlex(r->c, q);
  int zeros = 0, sig = 0;
  while (d.cls == SQ_C_DIGIT && !sq_qis_liang(d.cp)) {
    if (d.val == 0) {
      zeros++;
    } else {
      for (; zeros >= 0; zeros--) { /* the zeros, then the digit */
        if (sq_qdec_mul10(m, 1) < 0 || ++sig > SQ_MAXSIG) {
          /* uncovered: the fast reader refuses 19+ digit decimals before they get here */
          sq_qfail(r->c, q, "number has more than %d significant digits", SQ_MAXSIG);
          r->n->flags |= SQ_N_HARD;
          return 0;
        }
        (*e)--;
      }
      zeros = 0;
      *m += (unsigned)d.val;
    }
    q += d.len;
    d = sq_qlex(r->c, q);
  }
  return q;
}

/* 点 and the digits after it: 十二点五, 零点五 (a Chinese integer part). */
static int step_point(rd *r, sq_qtok t) {
  sq_ctx *c = r->c;
  sq_qtok d = sq_qlex(c, r->p + t.len);
  size_t q;
  sq_dec ip;
  unsigned long long m;
  int e = 0;
  if (d.cls != SQ_C_DIGIT || sq_qis_liang(d.cp) || r->only_big ||
      !(r->n->flags & SQ_N_CHINESE) || r->pend_kind >= 2 ||
      (r->last != SQ_C_DIGIT && r->last != SQ_C_UNIT && r->last != SQ_C_BIG))
    return STOP;
  if (r->has_pend && r->pend_after >= 2) {
    /* 三万五点五: 35000 or 30005? */
    sq_qfail(c, r->p, "decimal point after the abbreviated '%.*s'", SOFAR(r));
    return hard(r);
  }
  ip = r->sec;
  /* 十二点五: the units digit counts as itself, not abbreviated */
  if ((r->has_pend && sq_qdec_add(&ip, r->pend) < 0) || sq_qdec_to_u64(ip, &m) < 0)
    return STOP;
  q = point_digits(r, r->p + t.len, &m, &e);
  if (q == 0) return FAIL;
  d = sq_qlex(c, q);
  if (d.cls == SQ_C_UNIT || d.cls == SQ_C_DIGIT) {
    sq_qfail(c, q, "'%.*s' after the decimal part", (int)d.len, c->s + q);
    r->n->flags |= SQ_N_HARD;
  }
  r->pend.m = m;
  r->pend.e = e;
  sq_qdec_norm(&r->pend);
  r->sec.m = 0; r->sec.e = 0;
  r->has_pend = 1;
  r->pend_kind = 3;
  r->only_big = 1;
  r->last = SQ_C_ADIGIT; /* no digit may follow */
  r->ntok++;
  r->n->flags |= SQ_N_DECIMAL;
  r->p = q;
  return (r->n->flags & SQ_N_HARD) ? STOP : GO;
}

/* 余/多 between the number and its scale: 420余万, 三千多万. */
static int step_over(rd *r, sq_qtok t) {
  sq_qtok t2 = sq_qlex(r->c, r->p + t.len);
  if (t2.cls == SQ_C_BIG && !(r->n->flags & SQ_N_OVER) &&
      (r->last == SQ_C_UNIT || (r->last == SQ_C_ADIGIT && r->pend_kind == 2))) {
    r->n->flags |= SQ_N_OVER;
    r->only_big = 1;
    r->pend_after = 0;
    r->p += t.len;
    return GO;
  }
  return STOP;
}

/* After the last step: the value and the flags of the numeral. */
static int finish(rd *r) {
  sq_ctx *c = r->c;
  sq_num *n = r->n;
  sq_dec g;
  if (r->last == LAST_ZERO) {
    /* a trailing 零 (零 and 〇 are 3 bytes): leave it out of the numeral */
    size_t zp = r->p - 3;
    sq_qfail(c, zp, "dangling '零' at the end of '%.*s'", (int)(zp + 3 - r->start),
             c->s + r->start);
    n->flags |= SQ_N_HARD;
    r->p = zp;
  }
  if (r->ntok == 0) {
    /* uncovered: callers enter only at a numeral character, which makes a token */
    sq_qfail(c, r->start, "expected a number");
    return 0;
  }
  if (fold_pend(r, r->p, &g) < 0) { n->flags |= SQ_N_HARD; return 0; }
  if (sq_qdec_add(&g, r->wan) < 0 || sq_qdec_add(&g, r->total) < 0) {
    /* uncovered: with 万 and 亿 at most once each, a Chinese numeral stays far below this limit */
    sq_qfail(c, r->start, "number too large");
    n->flags |= SQ_N_HARD;
    return 0;
  }
  n->v = g;
  n->end = r->p;
  n->big_exp = r->big_exp;
  if (r->ntok == 1 && r->last == SQ_C_DIGIT && (n->flags & SQ_N_CHINESE))
    n->flags |= SQ_N_LONE;
  if ((n->flags & SQ_N_CHINESE) && (r->last == SQ_C_UNIT || r->last == SQ_C_BIG))
    n->flags |= SQ_N_ENDUNIT;
  if (n->flags & SQ_N_CHINESE) n->ndigits = 0;
  return 1;
}

int sq_qnum_chinese(sq_ctx *c, size_t pos, sq_num *n) {
  rd r;
  int k = GO;
  memset(&r, 0, sizeof r);
  r.c = c;
  r.n = n;
  r.start = r.p = pos;
  r.last = SQ_C_NONE;
  r.floor = 4;
  while (k == GO) {
    sq_qtok t = sq_qlex(c, r.p);
    switch (t.cls) {
      case SQ_C_ADIGIT: k = step_arabic(&r); break;
      case SQ_C_DIGIT: k = step_digit(&r, t); break;
      case SQ_C_UNIT: k = step_unit(&r, t); break;
      case SQ_C_BIG: k = step_big(&r, t); break;
      case SQ_C_POINT: k = step_point(&r, t); break;
      case SQ_C_OVER: k = step_over(&r, t); break;
      default: k = STOP; break;
    }
  }
  return k == FAIL ? 0 : finish(&r);
}
