/*
 * sq_qnum_fast.c -- the fast numeral readers: Arabic digits with an
 * optional decimal part and scale (54.29万), and Chinese integers
 * (七百三十八万), in one pass over the bytes with plain integers.
 */
#include <string.h>

#include "sq_qchar.h"
#include "sq_qdec.h"
#include "sq_qnum_fast.h"
#include "sq_qunits.h"

/* sq_qnumeral_fast reads the common numerals in one pass over the bytes,
   with the rules of sq_qnumeral (sq_qnumeral.c) in plain integers: Arabic digits
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

/* Class of the character at p as sq_qlex sees it (SQ_C_NONE at
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
  sq_qdec_norm(&n->v);
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
  f->sec += add * sq_qpow10[val];
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
    *g += f->pend * sq_qpow10[f->after - 1];
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

/* The character at p of a Chinese integer, the ntok-th: 1 when read, 0
   when the numeral ends before it, -1 to give up. */
static inline int fc_char(const sq_ctx *c, fchin *f, size_t p, int ntok) {
  const unsigned char *u = (const unsigned char *)c->s + p;
  const unsigned char *end = (const unsigned char *)c->s + c->len;
  unsigned e, val, e2;
  int uf, nc;
  if (end - u < 3 || (u[0] & 0xF0) != 0xE0 || ((u[1] ^ 0x80u) | (u[2] ^ 0x80u)) >= 0x40)
    return u < end && ISDIGIT(u[0]) ? -1 : 0; /* an Arabic digit next: give up */
  e = sq_qent3(u[0], u[1], u[2]);
  val = e & SQ_Q_VAL;
  switch (SQ_Q_CLS(e)) {
    case SQ_C_DIGIT:
      return fc_digit(f, e, val) ? 1 : -1;
    case SQ_C_UNIT:
      /* 三千米: a unit word after the first digit ends the numeral (no
         unit word of more than one character that starts with 十, 百,
         千 ... goes on with a numeral character: sq_qunits_check) */
      if ((f->st & FS_PEND) && ntok == 1 && end - u > 3) {
        nc = fast_cls(c, p + 3, &e2);
        if ((nc == SQ_C_NONE || nc == SQ_C_OVER) && sq_qunit_match(c, p, &uf) > 3) return -1;
      }
      return fc_unit(f, val) ? 1 : -1;
    case SQ_C_BIG:
      if (val == 4 && fast_cls(c, p + 3, &e2) == SQ_C_BIG) return -1; /* 万万 */
      return fc_big(f, val, ntok > 1) ? 1 : -1;
    case SQ_C_NONE:
      return 0;
    case SQ_C_OVER:
      return fast_cls(c, p + 3, &e2) == SQ_C_BIG ? -1 : 0; /* 三千多万 */
    default: /* full-width digits, 点 */
      return -1;
  }
}

static int fast_chinese(const sq_ctx *c, size_t pos, sq_num *n) {
  fchin f;
  int ntok = 0, k;
  unsigned long long v;
  size_t p = pos;
  fc_init(&f);
  while ((k = fc_char(c, &f, p, ntok)) > 0) {
    p += 3;
    ntok++;
  }
  if (k < 0 || ntok == 0 || !fc_end(&f, &v, ntok > 1)) return 0;
  n->v.m = v;
  n->end = p;
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
