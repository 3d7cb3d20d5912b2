/*
 * sq_qchar.c -- the characters numerals are made of: UTF-8 decoding, the
 * numeral class of a character (from the generated table, and from the
 * reference list it is made from), and runs of numeral characters.
 */
#include "sq_qchar.h"
#define SQ_QTAB_CHARS
#include "sq_qtab.h"

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

size_t sq_qsign(const char *s, size_t len, size_t pos, int *neg) {
  unsigned cp;
  size_t n = sq_qutf8(s, len, pos, &cp);
  if (!n) return 0;
  *neg = cp == 0x8D1F /* 负 */ || cp == '-' || cp == 0x2212 /* − */ || cp == 0xFF0D; /* － */
  return *neg || cp == '+' || cp == 0xFF0B /* ＋ */ ? n : 0;
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
