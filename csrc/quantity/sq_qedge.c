/*
 * sq_qedge.c -- the edges of a scan match.  The scanner reports a match
 * only when it covers the whole expression it belongs to: one character
 * back and a short stretch forward decide, so that a scan in pieces
 * (lua/siqun/scan_file.lua, which keeps a few bytes before a piece and
 * cuts only after an ASCII letter, a space or 。，、；！？) sees what a scan
 * of the whole text sees.
 */
#include <string.h>

#include "sq_qchar.h"
#include "sq_qcount.h"
#include "sq_qedge.h"
#include "sq_qunits.h"

unsigned sq_qprev_cp(const char *s, size_t len, size_t pos) {
  size_t q = pos, n;
  unsigned cp;
  while (q > 0 && pos - q < 4) {
    q--;
    if (((unsigned char)s[q] & 0xC0) != 0x80) break;
  }
  if (q == pos) return 0;
  n = sq_qutf8(s, len, q, &cp);
  return n && q + n == pos ? cp : 0;
}

static int ascii_letter(unsigned cp) {
  return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
}

static int ascii_alnum(unsigned cp) {
  return ascii_letter(cp) || (cp >= '0' && cp <= '9');
}

static int cls_of(unsigned cp) {
  int v;
  return sq_qclass(cp, &v);
}

/* A Chinese numeral character or a digit (not 余/多). */
static int numeral_char(unsigned cp) {
  int k = cls_of(cp);
  return k == SQ_C_ADIGIT || k == SQ_C_DIGIT || k == SQ_C_UNIT || k == SQ_C_BIG ||
         k == SQ_C_POINT;
}

/* 负 - − ＋ － (sq_qsign): a sign when what precedes it is no letter, digit or
   numeral character (3-5 is a range, A-1 a code). */
static int sign_at(const char *s, size_t len, size_t p) {
  unsigned pc;
  int neg;
  if (!sq_qsign(s, len, p, &neg)) return 0;
  pc = sq_qprev_cp(s, len, p);
  return !ascii_alnum(pc) && !numeral_char(pc);
}

/* '-' after an ASCII letter: a code (COVID-19, A-1), no range nor sign. */
static int code_dash(const char *s, size_t len, size_t p, unsigned cp) {
  return cp == '-' && ascii_letter(sq_qprev_cp(s, len, p));
}

/* The number at p is the second bound of a range that was not read whole
   (-3至5): a separator before it, a numeral character before that. */
static int after_sep(const sq_ctx *c, size_t p) {
  size_t q = p > 3 ? p - 3 : 0;
  for (; q < p; q++)
    if (sq_qrange_sep(c, q) == p - q) {
      unsigned pc = sq_qprev_cp(c->s, c->len, q);
      return numeral_char(pc) || pc == '%';
    }
  return 0;
}

int sq_qedge_before(const sq_ctx *c, size_t p, size_t from, unsigned cp) {
  const char *s = c->s;
  size_t len = c->len;
  unsigned pc = sq_qprev_cp(s, len, p);
  size_t pl;
  if (pc == 0) return 0;
  pl = pc < 0x80 ? 1 : pc < 0x800 ? 2 : pc < 0x10000 ? 3 : 4;
  /* the common case first: a CJK character that is no numeral, sign,
     separator or 又 */
  if (pc >= 0x80 && pc != 0x53C8 && pc != 0x8D1F && pc != 0x2212 && pc != 0xFF0D &&
      pc != 0xFF0B && !numeral_char(pc) &&
      (pl != 3 || !(sq_qent_at(s, len, p - 3) & SQ_Q_SEP)))
    return 0;
  if (p != from && after_sep(c, p)) return SQ_EDGE_PART;
  /* 三百五十又3分之1: the fraction is the part after 又 of a mixed number,
     which is not read (yet) */
  if (pc == 0x53C8 /* 又 */ && numeral_char(sq_qprev_cp(s, len, p - pl))) return SQ_EDGE_PART;
  if (sign_at(s, len, p - pl)) return SQ_EDGE_SIGN;
  if (code_dash(s, len, p - pl, pc)) return 1;
  if (cls_of(cp) == SQ_C_ADIGIT && cp < 0x80 &&
      (ascii_letter(pc) || pc == '_' || pc == '@' || pc == '%' || pc == '.'))
    return 1; /* sample0123, x@123, %28, .5 */
  /* 5万4千6百: the 6 is inside a numeral the parser refused; a previous
     match may end there (1.5万亿2.5万亿) */
  return p != from && cls_of(cp) == SQ_C_ADIGIT && numeral_char(pc);
}

/* The end of the run of ASCII letters, digits, '_', '@', '%' and '.'
   from p. */
static size_t ascii_run(const char *s, size_t len, size_t p) {
  while (p < len && (ascii_alnum((unsigned char)s[p]) || s[p] == '_' || s[p] == '@' ||
                     s[p] == '%' || s[p] == '.'))
    p++;
  return p;
}

/* After a sum of money (五元, 3块): a numeral and 角, 毛 or 分 go on with it;
   their end, or 0. */
static size_t money_tail(const char *s, size_t len, size_t p) {
  size_t q = p, n;
  unsigned cp;
  while ((n = sq_qutf8(s, len, q, &cp)) && numeral_char(cp)) q += n;
  if (q == p || !(n = sq_qutf8(s, len, q, &cp))) return 0;
  return cp == 0x89D2 /* 角 */ || cp == 0x6BDB /* 毛 */ || cp == 0x5206 /* 分 */ ? q + n : 0;
}

size_t sq_qedge_after(const sq_ctx *c, const siqun_quantity *q, int *part) {
  const char *s = c->s;
  size_t len = c->len;
  unsigned lc = sq_qprev_cp(s, len, q->stop), nc, yc;
  size_t n = sq_qutf8(s, len, q->stop, &nc);
  *part = 0;
  if (!n) return 0;
  if (nc == 0x53C8 /* 又 */ && sq_qutf8(s, len, q->stop + n, &yc) && numeral_char(yc)) {
    *part = 1; /* 两美元又三美分, 三百五十又3分之1: not read (yet) */
    return q->stop + n;
  }
  if (ascii_alnum(lc)) {
    unsigned c2;
    size_t n2 = sq_qutf8(s, len, q->stop + n, &c2);
    if (ascii_alnum(nc) || nc == '_' || nc == '@' ||
        (nc == '.' && n2 && c2 >= '0' && c2 <= '9'))
      return ascii_run(s, len, q->stop); /* 40k, 2e5, 5G, 1.2.3 */
  }
  if (sq_qcount_half_after(c, q->stop)) return q->stop + n; /* 一吨半, 三成半 */
  if (!strcmp(q->unit, "元") || !strcmp(q->unit, "块")) {
    size_t e = money_tail(s, len, q->stop);
    if (e) return e; /* 五元三毛 */
  }
  return 0;
}
