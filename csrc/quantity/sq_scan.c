/*
 * sq_scan.c -- finds quantities in running text (siqun_scan_next).
 *
 * One left-to-right pass.  A match is tried only where one can start: an
 * Arabic digit; a Chinese digit or 十, unless right after another Chinese
 * numeral character, after 第 (an ordinal) or after the vague 数 and 几
 * (数十万); 百分之, 千分之, 百余, 千余; 半 (半年, 半个月), unless after a
 * numeral character, 个, 上, 下, 前, 后, 大 or 小 (一半, 两个半, 三点半, 多半,
 * 大半, 上半年); or a qualifier word (约, 近, 不少于 ...) followed by what
 * can start a number, so that the qualifier is part of the match.  When a try fails at a
 * numeral, the whole run of numeral characters is skipped: each character
 * is read a bounded number of times, so the pass is linear.  No allocation;
 * invalid UTF-8 bytes are skipped.  An exact filter (a bit of the character
 * table, sq_qtab.h) passes over every other character without decoding it.
 *
 * Arabic numbers always match, except clock times (07:34) and digits glued
 * to ASCII letters, '@', '%', '_' or a leading '.' (40k, 2e5, H7N9, %28,
 * .5).  A match is reported only whole (sq_qedge.c): never 6百 of 5万4千6百,
 * 10000 of 负10000 or 一吨 of 一吨半.  A match
 * made only of Chinese numerals needs something that makes it a quantity: a
 * unit or measure word (三个, 一年), a scale (两万), a date (一月,
 * 二〇一一年), a percent or fraction (三成, 五分之一), 余/多, or a qualifier
 * after it (以上, 左右).  A financial digit (壹, 陆 ...) starts a match only
 * when another numeral character follows, since 陆 and 伍 are also surnames
 * (陆家).  So 老百姓, 一起, 一定, 统一, 万一, 一线, 一些, 四群, 三深入,
 * 十街乡 and 十二五 do not match, while 三个反思 yields 三个 and 一批 yields
 * 1 批 (批 is a measure word).
 */
#include <string.h>

#include "sq_qchar.h"
#include "sq_qctx.h"
#include "sq_qedge.h"
#include "sq_qexpr.h"
#include "sq_qunits.h"

/* 壹贰貳叁參叄肆伍陆陸柒捌玖拾 */
static int financial(unsigned cp) {
  static const unsigned F[] = {0x58F9, 0x8D30, 0x8CB3, 0x53C1, 0x53C3, 0x53C4,
                               0x8086, 0x4F0D, 0x9646, 0x9678, 0x67D2, 0x634C,
                               0x7396, 0x62FE};
  size_t i;
  for (i = 0; i < sizeof F / sizeof F[0]; i++)
    if (F[i] == cp) return 1;
  return 0;
}

/* START_SIGN: a numeral after a sign, the match starts at the sign;
   START_PART: a numeral that is part of an expression not read, passed over. */
enum { NOT_START = 0, START_ARABIC, START_CHINESE, START_WORD, START_SIGN, START_PART };

/* The edge e (sq_qedge_before) as a start kind; ok when there is none. */
static int edge_kind(int e, int ok) {
  return e == SQ_EDGE_SIGN ? START_SIGN : e == SQ_EDGE_PART ? START_PART : e ? NOT_START : ok;
}

/* Past the expression at p, which is not reported (or past its numeral
   characters). */
static size_t pass_over(sq_ctx *c, size_t p, siqun_quantity *out) {
  sq_info info;
  size_t r;
  c->has_err = 0;
  c->hard = 0;
  if (sq_qexpr(c, p, out, &info)) return out->stop;
  r = sq_qnumeral_run(c->s, c->len, p);
  return r > p ? r : p + 1;
}

/* What may start at p (the character cp); from is where the caller began
   (a previous match's end). */
static int start_kind(const sq_ctx *c, size_t p, size_t from, unsigned cp) {
  int v, cls = sq_qclass(cp, &v);
  siqun_qualifier q;
  if (cls == SQ_C_ADIGIT) {
    return edge_kind(sq_qedge_before(c, p, from, cp), START_ARABIC);
  }
  if (cls == SQ_C_DIGIT || (cls == SQ_C_UNIT && v == 1)) {
    unsigned pc = sq_qprev_cp(c->s, c->len, p);
    int pv, pcls = sq_qclass(pc, &pv), e;
    /* 第三 is an ordinal; 数十万, 几百 are vague */
    if (pc == 0x7B2C /* 第 */ || pc == 0x6570 /* 数 */ || pc == 0x51E0 /* 几 */ ||
        pc == 0x6578 /* 數 */ || pc == 0x5E7E /* 幾 */ ||
        pcls == SQ_C_DIGIT || pcls == SQ_C_UNIT || pcls == SQ_C_BIG)
      return NOT_START;
    if ((e = sq_qedge_before(c, p, from, cp)) != 0) return edge_kind(e, NOT_START);
    if (financial(cp)) {
      /* 陆家, 伍家: financial digits are surnames too; alone they start
         nothing (壹万, 陆佰 still do) */
      unsigned nc;
      size_t n = sq_qutf8(c->s, c->len, p + 3, &nc);
      int nv, ncls = n ? sq_qclass(nc, &nv) : SQ_C_NONE;
      if (ncls != SQ_C_DIGIT && ncls != SQ_C_UNIT && ncls != SQ_C_BIG)
        return NOT_START;
    }
    return START_CHINESE;
  }
  if (cp == 0x534A /* 半 */) {
    /* 半年, 半个月: not in 一半, 两个半 (read from the number), 三点半, 多半,
       大半, 小半, 上半年, 下半场, 前半生, 后半夜 */
    static const unsigned NO[] = {0x4E2A /* 个 */, 0x500B /* 個 */, 0x4E0A /* 上 */,
                                  0x4E0B /* 下 */, 0x524D /* 前 */, 0x540E /* 后 */,
                                  0x5F8C /* 後 */, 0x5927 /* 大 */, 0x5C0F /* 小 */};
    unsigned pc = sq_qprev_cp(c->s, c->len, p);
    int pv, pcls = sq_qclass(pc, &pv);
    size_t i;
    if (pcls != SQ_C_NONE) return NOT_START; /* digits, 十百千万亿, 点, 余多 */
    for (i = 0; i < sizeof NO / sizeof NO[0]; i++)
      if (pc == NO[i]) return NOT_START;
    return START_WORD;
  }
  if ((cp == 0x767E /* 百 */ || cp == 0x5343 /* 千 */) &&
      (sq_qlit(c, p, "百分之") || sq_qlit(c, p, "千分之") || sq_qlit(c, p, "百余") ||
       sq_qlit(c, p, "千余")))
    return START_WORD;
  {
    /* a qualifier word (约, 近, 不少于 ...) starts a match only when what
       follows it can start the number (a numeral character, 半; 百分之 and
       千分之 start with one): otherwise sq_qexpr could only fail there */
    size_t pl = sq_qprefix_match(c, p, &q), nn;
    unsigned nc;
    int nv, ncls, neg;
    if (!pl) return NOT_START;
    pl += sq_qsign(c->s, c->len, p + pl, &neg); /* 约-5 */
    nn = sq_qutf8(c->s, c->len, p + pl, &nc);
    ncls = nn ? sq_qclass(nc, &nv) : SQ_C_NONE;
    if (ncls == SQ_C_NONE || ncls == SQ_C_OVER || ncls == SQ_C_POINT)
      return nn && nc == 0x534A /* 半 */ ? START_WORD : NOT_START;
    return START_WORD;
  }
}

/* A clock time (07:34, 9:05:30) at pos, which is not a quantity: its end,
   or 0. */
static size_t clock_time(const char *s, size_t len, size_t pos) {
  size_t p = pos, k = 0;
  int fields = 0;
  while (p < len && s[p] >= '0' && s[p] <= '9' && k < 3) p++, k++;
  if (k == 0 || k > 2) return 0;
  while (fields < 2 && p + 2 < len && s[p] == ':' &&
         s[p + 1] >= '0' && s[p + 1] <= '9' && s[p + 2] >= '0' && s[p + 2] <= '9') {
    p += 3;
    fields++;
  }
  if (fields == 0 || (p < len && s[p] >= '0' && s[p] <= '9')) return 0;
  return p;
}

/* The hot loop: passes over the characters of three bytes that the table
   does not mark SQ_Q_SCAN; stops at anything else (a second byte that is
   no continuation byte has the mark). */
static const unsigned char *skip_plain(const unsigned char *u, const unsigned char *end) {
  const unsigned char *blk = sq_qblk;
  const unsigned short (*chr)[64] = sq_qchr;
  /* four bytes at a time while four are left (the fourth is not looked at,
     but read: compilers make the shifts below one load), then the last
     character */
  if (end - u >= 4) {
    const unsigned char *end4 = end - 3;
    for (; u < end4; u += 3) {
      unsigned long w = (unsigned long)u[0] | (unsigned long)u[1] << 8 |
                        (unsigned long)u[2] << 16 | (unsigned long)u[3] << 24;
      /* a lead byte of three bytes, a continuation byte last */
      if ((w & 0xC000F0ul) != 0x8000E0ul ||
          (chr[blk[((w & 0x0Ful) << 8) | ((w >> 8) & 0xFFul)]][(w >> 16) & 0x3Ful] & SQ_Q_SCAN))
        return u;
    }
  }
  if (end - u < 3) return u;
  for (end -= 2; u < end; u += 3) {
    unsigned b0 = u[0], b2 = u[2];
    if ((b0 & 0xF0) != 0xE0 || (b2 & 0xC0) != 0x80 ||
        (chr[blk[((b0 & 0x0Fu) << 8) | u[1]]][b2 & 0x3Fu] & SQ_Q_SCAN))
      break;
  }
  return u;
}

int siqun_scan_next(const char *s, size_t len, size_t *pos, siqun_quantity *out) {
  sq_ctx c;
  sq_info info;
  siqun_quantity tmp;
  size_t p, from;
  if (pos == NULL) return 0;  /* misuse: nothing to scan from */
  if (s == NULL) len = 0;     /* (and no text is an empty one) */
  p = from = *pos;
  sq_qctx_init(&c, s, len, 1, 0);
  if (!out) out = &tmp;
  while (p < len) {
    const unsigned char *u = (const unsigned char *)s + p;
    const unsigned char *end = (const unsigned char *)s + len;
    unsigned cp;
    size_t n;
    int k;
    /* the filter: start_kind accepts only an ASCII digit or a character of
       three bytes marked SQ_Q_SCAN in the character table (a numeral
       character, 半, 百, 千 or the first of a qualifier word).  Any other
       character is skipped whole; so are three bytes with continuation
       bytes that are no valid character (overlong, surrogate): each of
       them would be skipped alone. */
    for (;;) {
      unsigned b0;
      u = skip_plain(u, end);
      if (u == end) break;
      b0 = u[0];
      if ((b0 & 0xF0) == 0xE0 && end - u >= 3 && ((u[1] ^ 0x80u) | (u[2] ^ 0x80u)) < 0x40)
        break; /* marked */
      if (b0 < 0x80) {
        if (b0 - (unsigned)'0' < 10u) break;
        u++;
        continue;
      }
      if ((b0 & 0xF0) == 0xE0) break; /* cut or invalid: decoded below */
      /* two or four bytes: no start (nor a numeral character) */
      n = sq_qutf8(s, len, (size_t)(u - (const unsigned char *)s), &cp);
      u += n ? n : 1;
    }
    p = (size_t)(u - (const unsigned char *)s);
    if (p >= len) break;
    n = sq_qutf8(s, len, p, &cp);
    if (!n) { p++; continue; }
    k = start_kind(&c, p, from, cp);
    if (k == START_ARABIC) {
      size_t t = clock_time(s, len, p);
      if (t) { p = t; continue; }
    }
    if (k == START_PART) {
      p = pass_over(&c, p, out);
      continue;
    }
    if (k != NOT_START) {
      /* after a sign, the match starts at the sign (-1200, 负三十二) */
      size_t at = k == START_SIGN ? p - (sq_qprev_cp(s, len, p) < 0x80 ? 1 : 3) : p;
      c.has_err = 0;
      c.hard = 0;
      if (sq_qexpr(&c, at, out, &info) && (info.arabic || info.signal)) {
        /* only the whole expression: not 40 of 40k, nor 一吨 of 一吨半 */
        int part;
        size_t past = sq_qedge_after(&c, out, &part);
        if (!past) {
          *pos = out->stop;
          return 1;
        }
        p = part ? pass_over(&c, past, out) : past;
        continue;
      }
      if (k != START_WORD) {
        size_t r = sq_qnumeral_run(s, len, p);
        p = r > p ? r : p + n;
        continue;
      }
    }
    p += n;
  }
  memset(out, 0, sizeof *out);
  *pos = len;
  return 0;
}
