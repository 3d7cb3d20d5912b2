/*
 * sq_qnumeral.c -- numerals: Arabic (groups, decimals, full-width digits),
 * Chinese (simplified, traditional, financial, 两, 零, abbreviated 三万五),
 * mixed (54.29万, 2亿5千万, 3万4000) and digit-by-digit (二〇一一), read
 * into exact decimals (mantissa and power of ten).  No allocation.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sq_quantity_int.h"
#define SQ_QTAB_CHARS
#include "sq_qtab.h"

#define U64MAX 18446744073709551615ULL
#define TWO63 9223372036854775808ULL

static const unsigned long long POW10[20] = {
  1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
  10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
  100000000000ULL, 1000000000000ULL, 10000000000000ULL,
  100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
  100000000000000000ULL, 1000000000000000000ULL, 10000000000000000000ULL
};

/* ------------------------------------------------------------ UTF-8 */

size_t sq_qutf8(const char *s, size_t len, size_t pos, unsigned *cp) {
  const unsigned char *p = (const unsigned char *)s + pos;
  size_t n = len > pos ? len - pos : 0;
  unsigned c;
  if (n == 0) return 0;
  c = p[0];
  if (c < 0x80) { *cp = c; return 1; }
  if (c < 0xC2) return 0;
  if (c < 0xE0) {
    if (n < 2 || (p[1] & 0xC0) != 0x80) return 0;
    *cp = ((c & 0x1Fu) << 6) | (p[1] & 0x3Fu);
    return 2;
  }
  if (c < 0xF0) {
    unsigned v;
    if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) return 0;
    v = ((c & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
    if (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return 3;
  }
  if (c < 0xF5) {
    unsigned v;
    if (n < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
        (p[3] & 0xC0) != 0x80)
      return 0;
    v = ((c & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) |
        (p[3] & 0x3Fu);
    if (v < 0x10000 || v > 0x10FFFF) return 0;
    *cp = v;
    return 4;
  }
  return 0;
}


void sq_qfail(sq_ctx *c, size_t pos, const char *fmt, ...) {
  va_list ap;
  int n;
  int soft = fmt[0] == '~';
  if (soft) fmt++;
  /* a specific error beats a soft one; among equals the furthest wins */
  if (c->has_err && (soft ? (c->hard || c->err_pos > pos)
                          : (c->hard && c->err_pos > pos)))
    return;
  c->has_err = 1;
  c->hard = !soft;
  c->err_pos = pos;
  if (c->scan) return;
  va_start(ap, fmt);
  n = vsnprintf(c->msg, sizeof c->msg, fmt, ap);
  va_end(ap);
  sq_qmsg_cut(c->msg, sizeof c->msg, n, 1);
}

void sq_qmsg_cut(char *msg, size_t size, int n, int ellipsis) {
  size_t cut, j;
  unsigned char lead;
  if (size == 0 || (n >= 0 && (size_t)n < size)) return; /* not cut */
  ellipsis = ellipsis && size > 4;
  cut = ellipsis ? size - 4 : size - 1; /* bytes [0, cut) are kept */
  /* the last character kept: drop it when the cut left it incomplete */
  j = cut;
  while (j > 0 && ((unsigned char)msg[j - 1] & 0xC0) == 0x80) j--;
  if (j > 0) {
    lead = (unsigned char)msg[j - 1];
    if (lead >= 0xC0 && j - 1 + (lead >= 0xF0 ? 4u : lead >= 0xE0 ? 3u : 2u) > cut) cut = j - 1;
  }
  if (ellipsis) memcpy(msg + cut, "...", 4);
  else msg[cut] = '\0';
}

/* ----------------------------------------------------- character classes */

typedef struct cmap { unsigned cp; unsigned char cls, val; } cmap;

/* The reference list of the numeral characters, sorted by code point: the
   table of sq_qtab.h (csrc/tools/sq_qtab.lua holds the same list) answers
   sq_qclass; this one answers sq_qclass_ref, for the differential check. */
static const cmap CMAP[] = {
  {0x3007, SQ_C_DIGIT, 0},  /* 〇 */
  {0x4E00, SQ_C_DIGIT, 1},  /* 一 */
  {0x4E03, SQ_C_DIGIT, 7},  /* 七 */
  {0x4E07, SQ_C_BIG, 4},    /* 万 */
  {0x4E09, SQ_C_DIGIT, 3},  /* 三 */
  {0x4E24, SQ_C_DIGIT, 2},  /* 两 */
  {0x4E5D, SQ_C_DIGIT, 9},  /* 九 */
  {0x4E8C, SQ_C_DIGIT, 2},  /* 二 */
  {0x4E94, SQ_C_DIGIT, 5},  /* 五 */
  {0x4EBF, SQ_C_BIG, 8},    /* 亿 */
  {0x4EDF, SQ_C_UNIT, 3},   /* 仟 */
  {0x4F0D, SQ_C_DIGIT, 5},  /* 伍 */
  {0x4F59, SQ_C_OVER, 0},   /* 余 */
  {0x4F70, SQ_C_UNIT, 2},   /* 佰 */
  {0x5104, SQ_C_BIG, 8},    /* 億 */
  {0x5169, SQ_C_DIGIT, 2},  /* 兩 */
  {0x516B, SQ_C_DIGIT, 8},  /* 八 */
  {0x516D, SQ_C_DIGIT, 6},  /* 六 */
  {0x5341, SQ_C_UNIT, 1},   /* 十 */
  {0x5343, SQ_C_UNIT, 3},   /* 千 */
  {0x53C1, SQ_C_DIGIT, 3},  /* 叁 */
  {0x53C3, SQ_C_DIGIT, 3},  /* 參 */
  {0x53C4, SQ_C_DIGIT, 3},  /* 叄 */
  {0x56DB, SQ_C_DIGIT, 4},  /* 四 */
  {0x58F9, SQ_C_DIGIT, 1},  /* 壹 */
  {0x591A, SQ_C_OVER, 0},   /* 多 */
  {0x62FE, SQ_C_UNIT, 1},   /* 拾 */
  {0x634C, SQ_C_DIGIT, 8},  /* 捌 */
  {0x67D2, SQ_C_DIGIT, 7},  /* 柒 */
  {0x70B9, SQ_C_POINT, 0},  /* 点 */
  {0x7396, SQ_C_DIGIT, 9},  /* 玖 */
  {0x767E, SQ_C_UNIT, 2},   /* 百 */
  {0x8086, SQ_C_DIGIT, 4},  /* 肆 */
  {0x842C, SQ_C_BIG, 4},    /* 萬 */
  {0x8CB3, SQ_C_DIGIT, 2},  /* 貳 */
  {0x8D30, SQ_C_DIGIT, 2},  /* 贰 */
  {0x9646, SQ_C_DIGIT, 6},  /* 陆 */
  {0x9678, SQ_C_DIGIT, 6},  /* 陸 */
  {0x96F6, SQ_C_DIGIT, 0},  /* 零 */
  {0x9918, SQ_C_OVER, 0},   /* 餘 */
  {0x9EDE, SQ_C_POINT, 0}   /* 點 */
};

int sq_qclass(unsigned cp, int *val) {
  unsigned e;
  if (cp - '0' < 10u) { *val = (int)(cp - '0'); return SQ_C_ADIGIT; }
  e = sq_qent(cp);
  *val = (int)(e & SQ_Q_VAL);
  return (int)SQ_Q_CLS(e);
}

int sq_qclass_ref(unsigned cp, int *val) {
  size_t lo = 0, hi = sizeof CMAP / sizeof CMAP[0];
  if (cp >= '0' && cp <= '9') { *val = (int)(cp - '0'); return SQ_C_ADIGIT; }
  if (cp >= 0xFF10 && cp <= 0xFF19) { *val = (int)(cp - 0xFF10); return SQ_C_ADIGIT; }
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (CMAP[mid].cp == cp) { *val = CMAP[mid].val; return CMAP[mid].cls; }
    if (CMAP[mid].cp < cp) lo = mid + 1; else hi = mid;
  }
  *val = 0;
  return SQ_C_NONE;
}

static int is_liang(unsigned cp) { return cp == 0x4E24 || cp == 0x5169; }

/* ------------------------------------------------------- exact decimals */

int sq_qdec_is_zero(sq_dec a) { return a.m == 0; }

/* m * 10^k without overflow, k >= 0. */
static int mul_pow10(unsigned long long *m, int k) {
  if (*m == 0) return 0;
  if (k > 19 || *m > U64MAX / POW10[k]) return -1;
  *m *= POW10[k];
  return 0;
}

static void dec_norm(sq_dec *a) {
  if (a->m == 0) { a->e = 0; return; }
  while (a->e < 0 && a->m % 10 == 0) { a->m /= 10; a->e++; }
}

int sq_qdec_scale(sq_dec *a, int k) {
  if (a->m == 0) return 0;
  if (a->e + k > SQ_MAXEXP || a->e + k < -SQ_MAXEXP) return -1;
  a->e += k;
  dec_norm(a);
  return 0;
}

/* Brings a and b to the same exponent (the smaller one). */
static int align(sq_dec *a, sq_dec *b) {
  if (a->m == 0) a->e = b->e;
  if (b->m == 0) b->e = a->e;
  if (a->e > b->e) {
    if (mul_pow10(&a->m, a->e - b->e) < 0) return -1;
    a->e = b->e;
  } else if (b->e > a->e) {
    if (mul_pow10(&b->m, b->e - a->e) < 0) return -1;
    b->e = a->e;
  }
  return 0;
}

int sq_qdec_add(sq_dec *a, sq_dec b) {
  sq_dec x = *a;
  if (b.m == 0) return 0;
  if (x.m == 0) { *a = b; return 0; }
  if (align(&x, &b) < 0) return -1;
  if (x.m > U64MAX - b.m) return -1;
  x.m += b.m;
  dec_norm(&x);
  *a = x;
  return 0;
}

int sq_qdec_cmp(sq_dec a, sq_dec b) {
  if (a.m == 0 || b.m == 0) return (a.m != 0) - (b.m != 0);
  if (align(&a, &b) < 0) {
    /* the one that could not be scaled down to the other's exponent is larger */
    /* uncovered: the bounds compared come from one expression, exponents close together */
    return a.e > b.e ? 1 : -1;
  }
  return (a.m > b.m) - (a.m < b.m);
}

int sq_qdec_is_int(sq_dec a) {
  dec_norm(&a);
  return a.e >= 0;
}

static int dec_to_u64(sq_dec a, unsigned long long *out) {
  dec_norm(&a);
  if (a.e < 0) return -1;
  if (mul_pow10(&a.m, a.e) < 0) return -1;
  *out = a.m;
  return 0;
}

int sq_qdec_to_ll(sq_dec a, long long *out) {
  unsigned long long u;
  if (dec_to_u64(a, &u) < 0 || u >= TWO63) return -1;
  *out = (long long)u;
  return 0;
}

int sq_qdec_to_double(sq_dec a, double *out) {
  static const double P10[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };
  unsigned long long u;
  if (a.e == 0) { /* an integer as it is */
    if (a.m > TWO63) return -1;
    *out = (double)a.m;
    return 0;
  }
  dec_norm(&a);
  if (a.m == 0) { *out = 0.0; return 0; }
  if (a.e >= 0) {
    if (dec_to_u64(a, &u) < 0 || u > TWO63) return -1;
    *out = (double)u; /* correctly rounded */
    return 0;
  }
  if (a.m < (1ULL << 53) && -a.e <= 22) {
    *out = (double)a.m / P10[-a.e]; /* both exact: one correct rounding */
    return 0;
  }
  {
    char buf[48];
    snprintf(buf, sizeof buf, "%llue%d", a.m, a.e);
    *out = strtod(buf, NULL);
  }
  return 0;
}

/* ------------------------------------------------------------- numerals */

typedef struct tok {
  int cls, val;
  unsigned cp;
  size_t len;
} tok;

static tok lex(const sq_ctx *c, size_t pos) {
  tok t;
  if (pos < c->len) {
    const unsigned char *p = (const unsigned char *)c->s + pos;
    unsigned b0 = p[0];
    if (b0 < 0x80) {
      t.cp = b0;
      t.len = 1;
      if (b0 - '0' < 10u) { t.cls = SQ_C_ADIGIT; t.val = (int)(b0 - '0'); }
      else { t.cls = SQ_C_NONE; t.val = 0; }
      return t;
    }
    if (b0 >= 0xE0 && b0 <= 0xEF && c->len - pos >= 3 && (p[1] & 0xC0) == 0x80 &&
        (p[2] & 0xC0) == 0x80) {
      unsigned v = ((b0 & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
      if (v >= 0x800 && (v < 0xD800 || v > 0xDFFF)) {
        unsigned e = sq_qent3(b0, p[1], p[2]);
        t.cp = v;
        t.len = 3;
        t.cls = (int)SQ_Q_CLS(e);
        t.val = (int)(e & SQ_Q_VAL);
        return t;
      }
    }
  }
  t.len = sq_qutf8(c->s, c->len, pos, &t.cp);
  t.cls = t.len ? sq_qclass(t.cp, &t.val) : SQ_C_NONE;
  if (!t.len) t.val = 0, t.cp = 0;
  return t;
}

size_t sq_qnumeral_run(const char *s, size_t len, size_t pos) {
  unsigned cp;
  int v, cls;
  size_t n = sq_qutf8(s, len, pos, &cp);
  if (!n) return pos + 1;
  cls = sq_qclass(cp, &v);
  if (cls == SQ_C_ADIGIT) {
    for (;;) {
      n = sq_qutf8(s, len, pos, &cp);
      if (!n) return pos;
      if (sq_qclass(cp, &v) == SQ_C_ADIGIT) { pos += n; continue; }
      if (cp == '.' || cp == ',' || cp == 0xFF0E) {
        unsigned cp2;
        size_t n2 = sq_qutf8(s, len, pos + n, &cp2);
        if (n2 && sq_qclass(cp2, &v) == SQ_C_ADIGIT) { pos += n; continue; }
      }
      return pos;
    }
  }
  if (cls == SQ_C_NONE || cls == SQ_C_OVER) return pos + n;
  for (;;) {
    n = sq_qutf8(s, len, pos, &cp);
    if (!n) return pos;
    cls = sq_qclass(cp, &v);
    if (cls != SQ_C_DIGIT && cls != SQ_C_UNIT && cls != SQ_C_BIG) return pos;
    pos += n;
  }
}

/* Reads an Arabic number (digits, ',' groups of three, '.' decimals). */
static size_t arabic(sq_ctx *c, size_t pos, sq_num *n) {
  size_t p = pos, intdigits = 0, grp_start;
  int sig = 0, zeros = 0, decimal = 0;
  unsigned long long m = 0;
  int e = 0;
  tok t;
  n->flags |= SQ_N_ARABIC;
  for (;;) {
    t = lex(c, p);
    if (t.cls != SQ_C_ADIGIT) break;
    if (intdigits == 0 && t.val == 0 && lex(c, p + t.len).cls == SQ_C_ADIGIT)
      n->flags |= SQ_N_ZERO_LEAD;
    if (m == 0 && t.val == 0) { /* leading zero */
    } else if (sig >= SQ_MAXSIG) {
      sq_qfail(c, p, "number too large (more than %d digits)", SQ_MAXSIG);
      n->flags |= SQ_N_HARD;
      return 0;
    } else {
      m = m * 10 + (unsigned)t.val;
      sig++;
    }
    intdigits++;
    p += t.len;
  }
  /* thousands groups: exactly three digits after each ',' */
  grp_start = p;
  while (p < c->len && c->s[p] == ',') {
    size_t q = p + 1, k = 0;
    tok d;
    for (;;) {
      d = lex(c, q);
      if (d.cls != SQ_C_ADIGIT) break;
      q += d.len;
      k++;
    }
    if (k == 0) break; /* a comma after the number */
    if (k != 3 || (p == grp_start && intdigits > 3) ||
        (n->flags & SQ_N_ZERO_LEAD)) {
      sq_qfail(c, p, "malformed thousands group after '%.*s' (groups have "
              "exactly three digits)", (int)(p - pos), c->s + pos);
      if (p != grp_start) n->flags |= SQ_N_HARD;
      /* a single bad comma may be a list separator: stop before it */
      break;
    }
    q = p + 1;
    for (k = 0; k < 3; k++) {
      d = lex(c, q);
      if (sig >= SQ_MAXSIG) {
        /* uncovered: the integer part is checked against SQ_MAXSIG before its groups are read */
        sq_qfail(c, q, "number has more than %d significant digits", SQ_MAXSIG);
        n->flags |= SQ_N_HARD;
        return 0;
      }
      if (m != 0 || d.val != 0) { m = m * 10 + (unsigned)d.val; sig++; }
      q += d.len;
      intdigits++;
    }
    n->flags |= SQ_N_GROUPED;
    p = q;
    grp_start = (size_t)-1;
  }
  /* decimals */
  t = lex(c, p);
  if (t.cp == '.' || t.cp == 0xFF0E) {
    tok d = lex(c, p + t.len);
    if (d.cls == SQ_C_ADIGIT) {
      p += t.len;
      decimal = 1;
      for (;;) {
        d = lex(c, p);
        if (d.cls != SQ_C_ADIGIT) break;
        if (d.val == 0) {
          zeros++;
        } else {
          if (sig + (m ? zeros : 0) >= SQ_MAXSIG) {
            sq_qfail(c, p, "number has more than %d significant digits", SQ_MAXSIG);
            n->flags |= SQ_N_HARD;
            return 0;
          }
          while (zeros > 0) {
            if (m) { m *= 10; sig++; }
            e--;
            zeros--;
          }
          m = m * 10 + (unsigned)d.val;
          if (m) sig++;
          e--;
        }
        p += d.len;
      }
      t = lex(c, p);
      if (t.cp == '.' || t.cp == 0xFF0E) {
        tok d2 = lex(c, p + t.len);
        if (d2.cls == SQ_C_ADIGIT) {
          sq_qfail(c, p, "malformed decimal: second decimal point after '%.*s'",
                  (int)(p - pos), c->s + pos);
          n->flags |= SQ_N_HARD;
          return 0;
        }
      }
    }
  }
  n->v.m = m;
  n->v.e = e;
  dec_norm(&n->v);
  if (decimal) n->flags |= SQ_N_DECIMAL;
  n->ndigits = (int)intdigits;
  return p;
}

/* Parser state for Chinese (and mixed) numerals. */
typedef struct nstate {
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
  unsigned flags;
} nstate;

#define LAST_ZERO (-1)

static int fold_pend(sq_ctx *c, nstate *st, size_t pos, sq_dec *g) {
  sq_dec p = st->pend;
  *g = st->sec;
  if (!st->has_pend) return 0;
  if (st->pend_kind == 1 && st->pend_after >= 2) {
    /* abbreviated: 三万五 = 35000, 两百五 = 250 */
    if (st->pend_liang) {
      sq_qfail(c, pos, "'两' cannot be a trailing digit (write 二)");
      return -1;
    }
    sq_qdec_scale(&p, st->pend_after - 1);
  } else if (st->pend_kind == 1 && st->pend_liang && st->ntok > 1) {
    sq_qfail(c, pos, "'两' cannot be a units digit (write 二)");
    return -1;
  }
  if (sq_qdec_add(g, p) < 0) {
    /* uncovered: a pending digit and a section below 10^4 cannot overflow */
    sq_qfail(c, pos, "number too large");
    return -1;
  }
  return 0;
}

static void stop_hard(sq_num *n) { n->flags |= SQ_N_HARD; }

/* A unit word starting with 千/百 (千米, 千克, 百分点) after a lone digit. */
static int unit_word_here(const sq_ctx *c, size_t pos) {
  int f;
  return sq_qunit_match(c, pos, &f) > 3;
}

/* ------------------------------------------------------- fast numerals

   sq_qnumeral_fast reads the common numerals in one pass over the bytes,
   with the rules of sq_qnumeral below in plain integers: Arabic digits
   with an optional decimal part and an optional 万 or 亿 (54.29万, 360万,
   1479), and Chinese integers (七百三十八万, 两千零八, 十二).  It gives up
   (returns 0) on anything else -- a form that is an error or that needs
   more than these rules: 零 first or last, 两 where sq_qnumeral refuses it,
   万万 and 万亿, a unit out of order, 点, 余 or 多 before a scale, Arabic
   next to Chinese digits, thousands groups, leading zeros, full-width
   digits, more than 18 digits, a unit word such as 千米 after a digit --
   and sq_qnumeral then reads the numeral and says why.  It sets no error.
   What it reads, sq_qnumeral reads the same (build/bench/quantity_c check
   compares the two paths). */

#define ISDIGIT(b) ((unsigned)(b) - '0' < 10u)

/* Class of the character at p as sq_qnumeral's lex sees it (SQ_C_NONE at
   the end, for invalid bytes and for characters of 2 or 4 bytes); its
   table entry in *e (0 for ASCII).  Three bytes that are no valid
   character (overlong, surrogate) have entry 0: the table has no
   character in their blocks. */
static inline int fast_cls(const sq_ctx *c, size_t p, unsigned *e) {
  const unsigned char *u = (const unsigned char *)c->s + p;
  *e = 0;
  if (p >= c->len) return SQ_C_NONE;
  if (u[0] < 0x80) return ISDIGIT(u[0]) ? SQ_C_ADIGIT : SQ_C_NONE;
  if ((u[0] & 0xF0) != 0xE0 || c->len - p < 3 || ((u[1] ^ 0x80u) | (u[2] ^ 0x80u)) >= 0x40)
    return SQ_C_NONE;
  *e = sq_qent3(u[0], u[1], u[2]);
  return (int)SQ_Q_CLS(*e);
}

enum { F_NONE, F_DIGIT, F_UNIT, F_BIG, F_ZERO };

static int fast_arabic(const sq_ctx *c, size_t pos, sq_num *n) {
  const unsigned char *s = (const unsigned char *)c->s;
  size_t len = c->len, p = pos, digits = 0, intdigits;
  unsigned long long m = 0;
  int e = 0, cls;
  unsigned ent;
  if (s[p] == '0' && p + 1 < len && ISDIGIT(s[p + 1])) return 0; /* 07 */
  while (p < len && ISDIGIT(s[p])) m = m * 10 + (unsigned)(s[p++] - '0'), digits++;
  intdigits = digits;
  if (p < len && s[p] == ',') return 0;
  if (p < len && s[p] == '.') {
    if (p + 1 >= len || !ISDIGIT(s[p + 1])) return 0;
    p++;
    while (p < len && ISDIGIT(s[p])) m = m * 10 + (unsigned)(s[p++] - '0'), digits++, e--;
    if (p < len && s[p] == '.') return 0;
    n->flags |= SQ_N_DECIMAL;
  }
  if (digits > 18) return 0;
  n->flags |= SQ_N_ARABIC;
  n->v.m = m;
  n->v.e = e;
  dec_norm(&n->v);
  n->ndigits = (int)intdigits;
  cls = fast_cls(c, p, &ent);
  if (cls == SQ_C_BIG) {
    unsigned e2;
    int k = (int)(ent & SQ_Q_VAL);
    if (m == 0 || fast_cls(c, p + 3, &e2) == SQ_C_BIG) return 0;
    if (sq_qdec_scale(&n->v, k) < 0) return 0;
    n->flags |= SQ_N_CHINESE | SQ_N_BIG | SQ_N_ENDUNIT;
    n->ndigits = 0;
    n->big_exp = k;
    p += 3;
    cls = fast_cls(c, p, &ent);
    if (cls == SQ_C_OVER) cls = SQ_C_NONE; /* 1万多个: the numeral ends */
  } else if (cls == SQ_C_OVER) {
    unsigned e2;
    if (fast_cls(c, p + 3, &e2) == SQ_C_BIG) return 0; /* 420余万 */
    cls = SQ_C_NONE;
  }
  if (cls != SQ_C_NONE) return 0; /* a numeral character next */
  /* '．' and a full-width digit would continue the number */
  if (p + 3 <= len && memcmp(s + p, "\xef\xbc\x8e", 3) == 0) return 0;
  n->end = p;
  return 1;
}

/* State bits of a fast Chinese-integer reader. */
#define FS_PEND  1u  /* a digit waits for its unit */
#define FS_LIANG 2u  /* that digit is 两 */
#define FS_WAN   4u  /* 万 in the current 亿 group */
#define FS_YI    8u  /* 亿 seen */
#define FS_ANYW  16u /* 万 seen */
#define FS_UNIT  32u /* 十百千 seen */

/* The state of the fast Chinese-integer readers (fast_chinese and
   sq_qwhole_chinese), which share its steps below: the general reader's
   rules, for the integers they read alone.  Each step returns 0 when the
   character cannot come there (the caller then gives up). */
typedef struct fchin {
  unsigned long long total, wan, sec, pend;
  unsigned st;
  int after, last, last_exp, floor;
} fchin;

static inline void fc_init(fchin *f) {
  f->total = f->wan = f->sec = f->pend = 0;
  f->st = 0;
  f->after = 0;
  f->last = F_NONE;
  f->last_exp = 0;
  f->floor = 4;
}

/* A digit (table entry e, value val). */
static inline int fc_digit(fchin *f, unsigned e, unsigned val) {
  if (f->last == F_DIGIT || (val == 0 && f->last != F_UNIT && f->last != F_BIG)) return 0;
  if (val == 0) {
    f->last = F_ZERO;
    return 1;
  }
  f->pend = val;
  f->st = (f->st & ~FS_LIANG) | FS_PEND | ((e & SQ_Q_LIANG) ? FS_LIANG : 0);
  f->after = f->last == F_NONE || f->last == F_ZERO ? 0 : f->last_exp;
  f->last = F_DIGIT;
  return 1;
}

/* A unit 十 百 千 (val = 1, 2, 3). */
static inline int fc_unit(fchin *f, unsigned val) {
  unsigned long long add;
  if (f->st & FS_PEND) {
    if ((f->st & FS_LIANG) && val == 1) return 0;
    add = f->pend;
  } else if (val == 1 && (f->last == F_NONE || f->last == F_ZERO)) {
    add = 1;
  } else {
    return 0;
  }
  if ((int)val >= f->floor) return 0;
  f->sec += add * POW10[val];
  f->st = (f->st & ~(FS_PEND | FS_LIANG)) | FS_UNIT;
  f->floor = (int)val;
  f->last = F_UNIT;
  f->last_exp = (int)val;
  return 1;
}

/* Adds the pending digit to *g: abbreviated after a unit of two or more
   (三万五 = 35000, 两百五 = 250); 两 only as the first character (many:
   more than one character read). */
static inline int fc_fold(const fchin *f, unsigned long long *g, int many) {
  if (!(f->st & FS_PEND)) return 1;
  if (f->after >= 2) {
    if (f->st & FS_LIANG) return 0;
    *g += f->pend * POW10[f->after - 1];
  } else {
    if ((f->st & FS_LIANG) && many) return 0;
    *g += f->pend;
  }
  return 1;
}

/* A scale 万 亿 (val = 4, 8). */
static inline int fc_big(fchin *f, unsigned val, int many) {
  unsigned long long g = f->sec;
  if (f->last == F_NONE || f->last == F_ZERO) return 0;
  if (!fc_fold(f, &g, many)) return 0;
  if (val == 4) {
    if ((f->st & FS_WAN) || g == 0 || ((f->st & FS_YI) && g >= 10000)) return 0;
    f->wan = g * 10000;
    f->st |= FS_WAN | FS_ANYW;
  } else {
    if ((f->st & FS_YI) || f->wan + g == 0) return 0;
    f->total += (f->wan + g) * 100000000ULL;
    f->wan = 0;
    f->st = (f->st & ~FS_WAN) | FS_YI;
  }
  f->sec = 0;
  f->st &= ~(FS_PEND | FS_LIANG);
  f->floor = 4;
  f->last = F_BIG;
  f->last_exp = (int)val;
  return 1;
}

/* The end of the numeral: its value in *v. */
static inline int fc_end(fchin *f, unsigned long long *v, int many) {
  if (f->last == F_ZERO || !fc_fold(f, &f->sec, many)) return 0;
  *v = f->sec + f->wan + f->total;
  return 1;
}

static int fast_chinese(const sq_ctx *c, size_t pos, sq_num *n) {
  fchin f;
  int ntok = 0;
  unsigned long long v;
  const unsigned char *s = (const unsigned char *)c->s;
  const unsigned char *u = s + pos, *end = s + c->len;
  fc_init(&f);
  for (;; u += 3, ntok++) {
    unsigned e, val;
    if (end - u < 3 || (u[0] & 0xF0) != 0xE0 || ((u[1] ^ 0x80u) | (u[2] ^ 0x80u)) >= 0x40) {
      if (u < end && ISDIGIT(u[0])) return 0; /* an Arabic digit next */
      break;
    }
    e = sq_qent3(u[0], u[1], u[2]);
    val = e & SQ_Q_VAL;
    switch (SQ_Q_CLS(e)) {
      case SQ_C_DIGIT:
        if (!fc_digit(&f, e, val)) return 0;
        break;
      case SQ_C_UNIT:
        /* 三千米: a unit word after the first digit ends the numeral (no
           unit word of more than one character that starts with 十, 百,
           千 ... goes on with a numeral character: sq_qunits_check) */
        if ((f.st & FS_PEND) && ntok == 1 && end - u > 3) {
          unsigned e2;
          int uf, nc = fast_cls(c, (size_t)(u - s) + 3, &e2);
          if ((nc == SQ_C_NONE || nc == SQ_C_OVER) && sq_qunit_match(c, (size_t)(u - s), &uf) > 3)
            return 0;
        }
        if (!fc_unit(&f, val)) return 0;
        break;
      case SQ_C_BIG: {
        unsigned e2;
        if (val == 4 && fast_cls(c, (size_t)(u - s) + 3, &e2) == SQ_C_BIG) return 0; /* 万万 */
        if (!fc_big(&f, val, ntok > 1)) return 0;
        break;
      }
      case SQ_C_NONE:
        goto done;
      case SQ_C_OVER: {
        unsigned e2;
        if (fast_cls(c, (size_t)(u - s) + 3, &e2) == SQ_C_BIG) return 0; /* 三千多万 */
        goto done;
      }
      default: /* full-width digits, 点 */
        return 0;
    }
  }
done:
  if (ntok == 0 || !fc_end(&f, &v, ntok > 1)) return 0;
  n->v.m = v;
  n->end = (size_t)(u - s);
  n->big_exp = (f.st & FS_YI) ? 8 : (f.st & FS_ANYW) ? 4 : 0;
  n->flags = SQ_N_CHINESE | ((f.st & FS_UNIT) ? SQ_N_UNITCH : 0) |
             ((f.st & (FS_YI | FS_ANYW)) ? SQ_N_BIG : 0) |
             (ntok == 1 && f.last == F_DIGIT ? SQ_N_LONE : 0) |
             (f.last == F_UNIT || f.last == F_BIG ? SQ_N_ENDUNIT : 0);
  return 1;
}

/* The whole of s[0, len) as a Chinese integer that fast_chinese reads to
   its end: the same steps, with every character required to be a numeral
   digit, unit or scale (anything else gives up at once), and no sq_num to
   fill.  siqun_quantity_parse calls it first, before any other setup. */
int sq_qwhole_chinese(const char *str, size_t len, unsigned long long *out) {
  const unsigned char *s = (const unsigned char *)str, *u = s, *end = s + len;
  fchin f;
  if (len == 0 || len % 3 != 0) return 0;
  fc_init(&f);
  for (; u != end; u += 3) {
    unsigned e, val, cls;
    /* a lead byte of three and a continuation byte last; the table gives
       class SQ_C_NONE when the middle byte is no continuation byte */
    if ((u[0] & 0xF0) != 0xE0 || (u[2] & 0xC0) != 0x80) return 0;
    e = sq_qent3(u[0], u[1], u[2]);
    val = e & SQ_Q_VAL;
    cls = SQ_Q_CLS(e);
    if (cls == SQ_C_DIGIT) { /* the most frequent: tested first */
      if (!fc_digit(&f, e, val)) return 0;
    } else if (cls == SQ_C_UNIT) {
      if (!fc_unit(&f, val)) return 0;
    } else if (cls == SQ_C_BIG) {
      /* a scale after a scale (万万, 万亿, 亿万) is refused there too */
      if (f.last == F_BIG || !fc_big(&f, val, u - s > 3)) return 0;
    } else { /* 余 多 点, full-width digits, any other character */
      return 0;
    }
  }
  return fc_end(&f, out, len > 3);
}

int sq_qnumeral_fast(const sq_ctx *c, size_t pos, sq_num *n) {
  unsigned e;
  int cls;
  memset(n, 0, sizeof *n);
  n->start = pos;
  cls = fast_cls(c, pos, &e);
  if (cls == SQ_C_ADIGIT && (unsigned char)c->s[pos] < 0x80) return fast_arabic(c, pos, n);
  if (cls == SQ_C_DIGIT || (cls == SQ_C_UNIT && (e & SQ_Q_VAL) == 1)) return fast_chinese(c, pos, n);
  return 0;
}

int sq_qnumeral(sq_ctx *c, size_t pos, sq_num *n) {
  nstate st;
  size_t p = pos;
  tok t;
  if (!c->slow && sq_qnumeral_fast(c, pos, n)) return 1;
  memset(n, 0, sizeof *n);
  memset(&st, 0, sizeof st);
  n->start = pos;
  st.last = SQ_C_NONE;
  st.floor = 4;
  t = lex(c, p);
  if (t.cls == SQ_C_NONE || t.cls == SQ_C_OVER || t.cls == SQ_C_POINT) {
    if (t.len)
      sq_qfail(c, p, "~expected a number, found '%.*s'", (int)t.len, c->s + p);
    else
      sq_qfail(c, p, "~expected a number");
    return 0;
  }
  /* digit-by-digit: two Chinese digits in a row at the start (二〇一一) */
  if (t.cls == SQ_C_DIGIT && !is_liang(t.cp)) {
    tok t2 = lex(c, p + t.len);
    if (t2.cls == SQ_C_DIGIT && !is_liang(t2.cp)) {
      int k = 0;
      unsigned long long m = 0;
      while (t.cls == SQ_C_DIGIT && !is_liang(t.cp)) {
        if (k == SQ_MAXSEQ) {
          sq_qfail(c, p, "digit-by-digit numeral longer than %d digits", SQ_MAXSEQ);
          stop_hard(n);
          return 0;
        }
        m = m * 10 + (unsigned)t.val;
        k++;
        p += t.len;
        t = lex(c, p);
      }
      if (t.cls == SQ_C_UNIT || t.cls == SQ_C_BIG || t.cls == SQ_C_DIGIT ||
          t.cls == SQ_C_ADIGIT) {
        sq_qfail(c, p, "'%.*s' cannot follow the digit-by-digit numeral '%.*s'",
                (int)t.len, c->s + p, (int)(p - pos), c->s + pos);
        stop_hard(n);
      }
      n->v.m = m;
      n->v.e = 0;
      n->end = p;
      n->ndigits = k;
      n->flags |= SQ_N_CHINESE | SQ_N_SEQ;
      return 1;
    }
  }
  for (;;) {
    t = lex(c, p);
    if (t.cls == SQ_C_ADIGIT) {
      sq_num a;
      size_t q;
      if (st.last != SQ_C_NONE && st.last != SQ_C_BIG && st.last != LAST_ZERO) {
        if (st.last == SQ_C_UNIT) {
          sq_qfail(c, p, "Arabic digit after '%.*s' in a Chinese numeral",
                  (int)(p - pos), c->s + pos);
          stop_hard(n);
        }
        break;
      }
      if (st.only_big) {
        sq_qfail(c, p, "digits after '%.*s'", (int)(p - pos), c->s + pos);
        stop_hard(n);
        break;
      }
      memset(&a, 0, sizeof a);
      q = arabic(c, p, &a);
      if (q == 0) { n->flags |= a.flags; return 0; }
      n->flags |= a.flags & (SQ_N_ARABIC | SQ_N_HARD | SQ_N_ZERO_LEAD);
      if (st.last != SQ_C_NONE) {
        sq_dec lim = {1, st.last_big};
        if (a.flags & (SQ_N_DECIMAL | SQ_N_GROUPED)) {
          sq_qfail(c, p, "only a whole number may follow '%.*s'",
                  (int)(p - pos), c->s + pos);
          stop_hard(n);
          break;
        }
        if (sq_qdec_cmp(a.v, lim) >= 0) {
          sq_qfail(c, p, "'%.*s' is too large to follow '%.*s'", (int)(q - p),
                  c->s + p, (int)(p - pos), c->s + pos);
          stop_hard(n);
          break;
        }
      }
      st.pend = a.v;
      st.has_pend = 1;
      st.pend_kind = (a.flags & SQ_N_DECIMAL) ? 3 : 2;
      st.pend_liang = 0;
      st.pend_after = 0;
      if (st.last == SQ_C_NONE) {
        n->ndigits = a.ndigits;
        n->flags |= a.flags & (SQ_N_DECIMAL | SQ_N_GROUPED);
      }
      if (a.flags & SQ_N_DECIMAL) st.only_big = 1;
      st.last = SQ_C_ADIGIT;
      st.ntok++;
      p = q;
      if (a.flags & SQ_N_HARD) break;
      continue;
    }
    if (t.cls == SQ_C_DIGIT) {
      if (st.last == SQ_C_DIGIT || st.last == SQ_C_ADIGIT ||
          (st.last == LAST_ZERO && t.val == 0) || st.only_big) {
        if (st.last == LAST_ZERO && t.val == 0)
          sq_qfail(c, p, "doubled '零'");
        else
          sq_qfail(c, p, "digit '%.*s' cannot follow '%.*s'", (int)t.len,
                  c->s + p, (int)(p - pos), c->s + pos);
        stop_hard(n);
        break;
      }
      n->flags |= SQ_N_CHINESE;
      if (t.val == 0) {
        if (st.last == SQ_C_NONE) {
          /* 零 alone, or 零点五 */
          tok t2 = lex(c, p + t.len);
          st.pend.m = 0;
          st.pend.e = 0;
          st.has_pend = 1;
          st.pend_kind = 1;
          st.pend_after = 0;
          st.last = SQ_C_DIGIT;
          st.ntok++;
          p += t.len;
          if (t2.cls == SQ_C_UNIT || t2.cls == SQ_C_BIG) {
            sq_qfail(c, p, "'%.*s' after a leading '零'", (int)t2.len, c->s + p);
            stop_hard(n);
            break;
          }
          continue;
        }
        st.last = LAST_ZERO;
        st.ntok++;
        p += t.len;
        continue;
      }
      st.pend.m = (unsigned)t.val;
      st.pend.e = 0;
      st.has_pend = 1;
      st.pend_kind = 1;
      st.pend_liang = is_liang(t.cp);
      st.pend_after = (st.last == SQ_C_UNIT || st.last == SQ_C_BIG) ? st.last_exp : 0;
      st.last = SQ_C_DIGIT;
      st.ntok++;
      p += t.len;
      continue;
    }
    if (t.cls == SQ_C_UNIT) {
      int u = t.val;
      sq_dec add;
      /* 千米, 千克, 百分点: a unit word after a lone digit */
      if (st.ntok == 1 && st.has_pend && st.pend_kind != 0 &&
          unit_word_here(c, p))
        break;
      if (st.only_big) {
        sq_qfail(c, p, "'%.*s' cannot follow '%.*s'", (int)t.len, c->s + p,
                (int)(p - pos), c->s + pos);
        stop_hard(n);
        break;
      }
      if (st.has_pend && st.last != LAST_ZERO) {
        if (st.pend_kind >= 2 && sq_qdec_cmp(st.pend, (sq_dec){10, 0}) >= 0) {
          sq_qfail(c, p, "'%.*s' before '%.*s' (only one digit may precede it)",
                  (int)(p - pos), c->s + pos, (int)t.len, c->s + p);
          stop_hard(n);
          break;
        }
        if (st.pend_liang && u == 1) {
          sq_qfail(c, p, "'两' cannot be used for the tens (write 二十)");
          stop_hard(n);
          break;
        }
        if (sq_qdec_is_zero(st.pend)) {
          sq_qfail(c, p, "'%.*s' after a zero digit", (int)t.len, c->s + p);
          stop_hard(n);
          break;
        }
        add = st.pend;
      } else if (u == 1 && (st.last == SQ_C_NONE || st.last == LAST_ZERO)) {
        add.m = 1; add.e = 0; /* 十二, 一万零十二 */
      } else if (st.last == SQ_C_NONE) {
        /* 百余人, 千余名: a leading 百/千 only before 余 */
        tok t2 = lex(c, p + t.len);
        if (t2.cls == SQ_C_OVER && u >= 2) {
          add.m = 1; add.e = 0;
          n->flags |= SQ_N_NEEDOVER;
        } else {
          sq_qfail(c, p, "~'%.*s' without a digit before it", (int)t.len, c->s + p);
          return 0;
        }
      } else if (st.last == LAST_ZERO) {
        sq_qfail(c, p, "'零' before '%.*s'", (int)t.len, c->s + p);
        stop_hard(n);
        break;
      } else {
        if (st.last == SQ_C_UNIT && u == st.floor)
          sq_qfail(c, p, "repeated unit '%.*s'", (int)t.len, c->s + p);
        else if (st.last == SQ_C_UNIT)
          sq_qfail(c, p, "unit '%.*s' out of order after '%.*s'", (int)t.len,
                  c->s + p, (int)(p - pos), c->s + pos);
        else
          sq_qfail(c, p, "'%.*s' without a digit before it", (int)t.len, c->s + p);
        stop_hard(n);
        break;
      }
      if (u >= st.floor) {
        if (u == st.floor)
          sq_qfail(c, p, "repeated unit '%.*s'", (int)t.len, c->s + p);
        else
          sq_qfail(c, p, "unit '%.*s' out of order after '%.*s'", (int)t.len,
                  c->s + p, (int)(p - pos), c->s + pos);
        stop_hard(n);
        break;
      }
      if (sq_qdec_scale(&add, u) < 0 || sq_qdec_add(&st.sec, add) < 0) {
        /* uncovered: with 万 and 亿 at most once each, a Chinese numeral stays far below this limit */
        sq_qfail(c, p, "number too large");
        stop_hard(n);
        break;
      }
      if (st.pend_kind == 3) st.only_big = 1;
      st.has_pend = 0;
      st.pend_kind = 0;
      st.pend_liang = 0;
      st.floor = u;
      st.last = SQ_C_UNIT;
      st.last_exp = u;
      st.ntok++;
      n->flags |= SQ_N_CHINESE | SQ_N_UNITCH;
      p += t.len;
      continue;
    }
    if (t.cls == SQ_C_BIG) {
      int b = t.val;
      sq_dec g;
      size_t blen = t.len;
      tok t2 = lex(c, p + t.len);
      if (b == 4 && t2.cls == SQ_C_BIG && t2.val == 4) { b = 8; blen += t2.len; } /* 万万 */
      if (st.last == SQ_C_NONE) {
        sq_qfail(c, p, "~'%.*s' without a digit before it", (int)t.len, c->s + p);
        return 0;
      }
      if (st.last == LAST_ZERO) {
        sq_qfail(c, p, "dangling '零' before '%.*s'", (int)t.len, c->s + p);
        stop_hard(n);
        break;
      }
      if (fold_pend(c, &st, p, &g) < 0) { stop_hard(n); break; }
      if (b == 4) {
        if (st.wan_used) {
          sq_qfail(c, p, "repeated unit '%.*s'", (int)t.len, c->s + p);
          stop_hard(n);
          break;
        }
        if (sq_qdec_is_zero(g)) {
          sq_qfail(c, p, "'%.*s' without a digit before it", (int)t.len, c->s + p);
          stop_hard(n);
          break;
        }
        if (st.yi_used && sq_qdec_cmp(g, (sq_dec){10000, 0}) >= 0) {
          sq_qfail(c, p, "'%.*s' too large before '%.*s'", (int)(p - pos),
                  c->s + pos, (int)t.len, c->s + p);
          stop_hard(n);
          break;
        }
        if (sq_qdec_scale(&g, 4) < 0) { sq_qfail(c, p, "number too large"); stop_hard(n); break; }
        st.wan = g;
        st.wan_used = 1;
        if (st.big_exp < 4) st.big_exp = 4;
      } else {
        sq_dec w = st.wan;
        int e = (st.last == SQ_C_BIG && st.last_exp == 4 && !st.has_pend &&
                 sq_qdec_is_zero(st.sec)) ? 12 : 8;
        if (st.yi_used) {
          sq_qfail(c, p, "repeated unit '%.*s'", (int)t.len, c->s + p);
          stop_hard(n);
          break;
        }
        if (sq_qdec_add(&w, g) < 0 || sq_qdec_is_zero(w)) {
          sq_qfail(c, p, "'%.*s' without a digit before it", (int)t.len, c->s + p);
          stop_hard(n);
          break;
        }
        if (sq_qdec_scale(&w, 8) < 0 || sq_qdec_add(&st.total, w) < 0) {
          /* uncovered: with 万 and 亿 at most once each, a Chinese numeral stays far below this limit */
          sq_qfail(c, p, "number too large");
          stop_hard(n);
          break;
        }
        st.wan.m = 0; st.wan.e = 0;
        st.wan_used = 0;
        st.yi_used = 1;
        if (st.big_exp < e) st.big_exp = e;
      }
      st.sec.m = 0; st.sec.e = 0;
      st.has_pend = 0;
      st.pend_kind = 0;
      st.pend_liang = 0;
      st.floor = 4;
      st.last = SQ_C_BIG;
      st.last_exp = b;
      st.last_big = b;
      st.ntok++;
      n->flags |= SQ_N_CHINESE | SQ_N_BIG;
      p += blen;
      continue;
    }
    if (t.cls == SQ_C_POINT) {
      /* 十二点五, 零点五: Chinese integer part, then digit by digit */
      tok d = lex(c, p + t.len);
      size_t q;
      sq_dec ip;
      int zeros = 0, sig = 0;
      unsigned long long m;
      int e = 0;
      if (d.cls != SQ_C_DIGIT || is_liang(d.cp) || st.only_big ||
          !(n->flags & SQ_N_CHINESE) || st.pend_kind >= 2 ||
          (st.last != SQ_C_DIGIT && st.last != SQ_C_UNIT && st.last != SQ_C_BIG))
        break;
      if (st.has_pend && st.pend_after >= 2) {
        /* 三万五点五: 35000 or 30005? */
        sq_qfail(c, p, "decimal point after the abbreviated '%.*s'", (int)(p - pos),
                c->s + pos);
        stop_hard(n);
        break;
      }
      ip = st.sec;
      /* 十二点五: the units digit counts as itself, not abbreviated */
      if ((st.has_pend && sq_qdec_add(&ip, st.pend) < 0) || dec_to_u64(ip, &m) < 0)
        break;
      q = p + t.len;
      while (d.cls == SQ_C_DIGIT && !is_liang(d.cp)) {
        if (d.val == 0) {
          zeros++;
        } else {
          while (zeros > 0) {
            if (mul_pow10(&m, 1) < 0 || ++sig > SQ_MAXSIG) goto toolong;
            e--;
            zeros--;
          }
          if (mul_pow10(&m, 1) < 0 || ++sig > SQ_MAXSIG) goto toolong;
          m += (unsigned)d.val;
          e--;
        }
        q += d.len;
        d = lex(c, q);
      }
      if (d.cls == SQ_C_UNIT || d.cls == SQ_C_DIGIT) {
        sq_qfail(c, q, "'%.*s' after the decimal part", (int)d.len, c->s + q);
        stop_hard(n);
      }
      st.pend.m = m;
      st.pend.e = e;
      dec_norm(&st.pend);
      st.sec.m = 0; st.sec.e = 0;
      st.has_pend = 1;
      st.pend_kind = 3;
      st.only_big = 1;
      st.last = SQ_C_ADIGIT; /* no digit may follow */
      st.ntok++;
      n->flags |= SQ_N_DECIMAL;
      p = q;
      if (n->flags & SQ_N_HARD) break;
      continue;
    /* uncovered: the fast reader refuses 19+ digit decimals before they get here */
    toolong:
      sq_qfail(c, q, "number has more than %d significant digits", SQ_MAXSIG);
      stop_hard(n);
      return 0;
    }
    if (t.cls == SQ_C_OVER) {
      /* 420余万, 三千多万: 余/多 between the number and its scale */
      tok t2 = lex(c, p + t.len);
      if (t2.cls == SQ_C_BIG && !(n->flags & SQ_N_OVER) &&
          (st.last == SQ_C_UNIT || (st.last == SQ_C_ADIGIT && st.pend_kind == 2))) {
        n->flags |= SQ_N_OVER;
        st.only_big = 1;
        st.pend_after = 0;
        p += t.len;
        continue;
      }
      break;
    }
    break;
  }
  if (st.last == LAST_ZERO) {
    /* a trailing 零 (零 and 〇 are 3 bytes): leave it out of the numeral */
    size_t zp = p - 3;
    sq_qfail(c, zp, "dangling '零' at the end of '%.*s'", (int)(zp + 3 - pos), c->s + pos);
    stop_hard(n);
    p = zp;
  }
  if (st.ntok == 0) {
    /* uncovered: callers enter only at a numeral character, which makes a token */
    sq_qfail(c, pos, "expected a number");
    return 0;
  }
  {
    sq_dec g;
    if (fold_pend(c, &st, p, &g) < 0) { stop_hard(n); return 0; }
    if (sq_qdec_add(&g, st.wan) < 0 || sq_qdec_add(&g, st.total) < 0) {
      /* uncovered: with 万 and 亿 at most once each, a Chinese numeral stays far below this limit */
      sq_qfail(c, pos, "number too large");
      stop_hard(n);
      return 0;
    }
    n->v = g;
  }
  n->end = p;
  n->big_exp = st.big_exp;
  if (st.ntok == 1 && st.last == SQ_C_DIGIT && (n->flags & SQ_N_CHINESE))
    n->flags |= SQ_N_LONE;
  if ((n->flags & SQ_N_CHINESE) && (st.last == SQ_C_UNIT || st.last == SQ_C_BIG))
    n->flags |= SQ_N_ENDUNIT;
  if (n->flags & SQ_N_CHINESE) n->ndigits = 0;
  return 1;
}
