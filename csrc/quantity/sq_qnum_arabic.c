/*
 * sq_qnum_arabic.c -- the general reader of Arabic numbers: digits
 * (full-width too), thousands groups of exactly three after ',', and a
 * decimal part after '.' or '．', into an exact decimal of at most
 * SQ_MAXSIG significant digits.
 */
#include "sq_qchar.h"
#include "sq_qctx.h"
#include "sq_qdec.h"
#include "sq_qnum_arabic.h"

/* The mantissa read so far. */
typedef struct digits {
  unsigned long long m;
  int sig, e;           /* significant digits in m; exponent */
  size_t intdigits;     /* digits of the integer part, leading zeros too */
} digits;

/* The integer digits at pos: their end, or 0 when there are too many. */
static size_t int_part(sq_ctx *c, size_t pos, sq_num *n, digits *d) {
  size_t p = pos;
  sq_qtok t;
  for (;;) {
    t = sq_qlex(c, p);
    if (t.cls != SQ_C_ADIGIT) break;
    if (d->intdigits == 0 && t.val == 0 && sq_qlex(c, p + t.len).cls == SQ_C_ADIGIT)
      n->flags |= SQ_N_ZERO_LEAD;
    if (d->m == 0 && t.val == 0) { /* leading zero */
    } else if (d->sig >= SQ_MAXSIG) {
      sq_qfail(c, p, "number too large (more than %d digits)", SQ_MAXSIG);
      n->flags |= SQ_N_HARD;
      return 0;
    } else {
      d->m = d->m * 10 + (unsigned)t.val;
      d->sig++;
    }
    d->intdigits++;
    p += t.len;
  }
  return p;
}

/* Thousands groups at p: exactly three digits after each ','.  Their end
   (p itself when there are none, or before a bad comma), or 0. */
static size_t groups(sq_ctx *c, size_t pos, size_t p, sq_num *n, digits *d) {
  size_t grp_start = p;
  while (p < c->len && c->s[p] == ',') {
    size_t q = p + 1, k = 0;
    sq_qtok t;
    for (;;) {
      t = sq_qlex(c, q);
      if (t.cls != SQ_C_ADIGIT) break;
      q += t.len;
      k++;
    }
    if (k == 0) break; /* a comma after the number */
    if (k != 3 || (p == grp_start && d->intdigits > 3) ||
        (n->flags & SQ_N_ZERO_LEAD)) {
      sq_qfail(c, p, "malformed thousands group after '%.*s' (groups have "
              "exactly three digits)", (int)(p - pos), c->s + pos);
      if (p != grp_start) n->flags |= SQ_N_HARD;
      /* a single bad comma may be a list separator: stop before it */
      break;
    }
    q = p + 1;
    for (k = 0; k < 3; k++) {
      t = sq_qlex(c, q);
      if (d->sig >= SQ_MAXSIG) {
        /* uncovered: the integer part is checked against SQ_MAXSIG before its groups are read */
        sq_qfail(c, q, "number has more than %d significant digits", SQ_MAXSIG);
        n->flags |= SQ_N_HARD;
        return 0;
      }
      if (d->m != 0 || t.val != 0) { d->m = d->m * 10 + (unsigned)t.val; d->sig++; }
      q += t.len;
      d->intdigits++;
    }
    n->flags |= SQ_N_GROUPED;
    p = q;
    grp_start = (size_t)-1;
  }
  return p;
}

/* The decimal part after the point at p (known to be followed by a
   digit): its end, or 0. */
static size_t fraction(sq_ctx *c, size_t pos, size_t p, sq_num *n, digits *d) {
  int zeros = 0;
  sq_qtok t;
  for (;;) {
    t = sq_qlex(c, p);
    if (t.cls != SQ_C_ADIGIT) break;
    if (t.val == 0) {
      zeros++;
    } else {
      if (d->sig + (d->m ? zeros : 0) >= SQ_MAXSIG) {
        sq_qfail(c, p, "number has more than %d significant digits", SQ_MAXSIG);
        n->flags |= SQ_N_HARD;
        return 0;
      }
      while (zeros > 0) {
        if (d->m) { d->m *= 10; d->sig++; }
        d->e--;
        zeros--;
      }
      d->m = d->m * 10 + (unsigned)t.val;
      if (d->m) d->sig++;
      d->e--;
    }
    p += t.len;
  }
  t = sq_qlex(c, p);
  if ((t.cp == '.' || t.cp == 0xFF0E) && sq_qlex(c, p + t.len).cls == SQ_C_ADIGIT) {
    sq_qfail(c, p, "malformed decimal: second decimal point after '%.*s'",
            (int)(p - pos), c->s + pos);
    n->flags |= SQ_N_HARD;
    return 0;
  }
  n->flags |= SQ_N_DECIMAL;
  return p;
}

size_t sq_qnum_arabic(sq_ctx *c, size_t pos, sq_num *n) {
  digits d = {0, 0, 0, 0};
  size_t p;
  sq_qtok t;
  n->flags |= SQ_N_ARABIC;
  if ((p = int_part(c, pos, n, &d)) == 0 || (p = groups(c, pos, p, n, &d)) == 0)
    return 0;
  t = sq_qlex(c, p);
  if ((t.cp == '.' || t.cp == 0xFF0E) && sq_qlex(c, p + t.len).cls == SQ_C_ADIGIT &&
      (p = fraction(c, pos, p + t.len, n, &d)) == 0)
    return 0;
  n->v.m = d.m;
  n->v.e = d.e;
  sq_qdec_norm(&n->v);
  n->ndigits = (int)d.intdigits;
  return p;
}
