/*
 * sq_qtypes.h -- the types and limits the quantity parser's files share
 * (LPeg's lptypes.h is the model): exact decimals, the parsing context,
 * numeral character classes, parsed numerals and the bits of the
 * character table.  Declarations only.
 */
#ifndef SQ_QTYPES_H
#define SQ_QTYPES_H

#include <stddef.h>
#include "siqun.h"

/* Limits. */
#define SQ_MAXSIG 19      /* significant decimal digits in a mantissa */
#define SQ_MAXEXP 40      /* |decimal exponent| kept by sq_dec */
#define SQ_MAXSEQ 4       /* digits in a digit-by-digit year (二〇一一) */
#define SQ_MAXUNIT 31     /* bytes of a unit (siqun_quantity.unit - 1) */

/* An exact decimal m * 10^e. */
typedef struct sq_dec {
  unsigned long long m;
  int e;
} sq_dec;

/* Parsing context: the input, the mode and the most advanced error. */
typedef struct sq_ctx {
  const char *s;
  size_t len;
  int scan;          /* nonzero when scanning: no messages are formatted */
  int slow;          /* nonzero: no fast path (the differential check) */
  int has_err;
  int hard;          /* the error is specific (not "expected a number") */
  size_t err_pos;    /* byte offset of the error */
  char msg[200];     /* why, without the position */
} sq_ctx;

/* Classes of the characters numerals are made of. */
enum {
  SQ_C_NONE = 0,
  SQ_C_ADIGIT,  /* 0-9, full-width ０-９ (value) */
  SQ_C_DIGIT,   /* 零〇一二...九, 两兩, financial 壹贰... (value) */
  SQ_C_UNIT,    /* 十拾 百佰 千仟 (value = exponent 1..3) */
  SQ_C_BIG,     /* 万萬 亿億 (value = exponent 4 or 8) */
  SQ_C_POINT,   /* 点點 */
  SQ_C_OVER     /* 余餘 多 */
};

/* Flags of a parsed numeral (sq_num.flags). */
#define SQ_N_ARABIC   0x001u /* contains Arabic digits */
#define SQ_N_CHINESE  0x002u /* contains Chinese numeral characters */
#define SQ_N_DECIMAL  0x004u /* has a fractional part */
#define SQ_N_GROUPED  0x008u /* Arabic with thousands separators */
#define SQ_N_SEQ      0x010u /* Chinese digit by digit (二〇一一) */
#define SQ_N_UNITCH   0x020u /* contains 十百千 */
#define SQ_N_BIG      0x040u /* contains 万 or 亿 */
#define SQ_N_OVER     0x080u /* 余/多 between the number and its scale */
#define SQ_N_LONE     0x100u /* one Chinese digit character alone (三, 两) */
#define SQ_N_ENDUNIT  0x200u /* Chinese, ends with a unit character (十, 百, 万) */
#define SQ_N_HARD     0x400u /* stopped at a numeral character that cannot follow */
#define SQ_N_ZERO_LEAD 0x800u /* Arabic with a leading zero (07) */
#define SQ_N_NEEDOVER 0x1000u /* 百/千 without a digit: valid only before 余/多 */

/* A numeral: its value and what it was made of. */
typedef struct sq_num {
  sq_dec v;
  size_t start, end;  /* bytes [start, end) */
  unsigned flags;
  int ndigits;        /* integer digits of a plain Arabic number, or of a SEQ */
  int big_exp;        /* largest scale folded in: 0, 4, 8 or 12 */
} sq_num;

/* Bits of an entry of the character table (sq_qchar.h): for each
   character of three UTF-8 bytes, its numeral class and value and what
   may start with it. */
#define SQ_Q_VAL    0x000Fu /* value (SQ_C_* classes) */
#define SQ_Q_CLS(e) (((e) >> 4) & 7u) /* class SQ_C_* */
#define SQ_Q_SCAN   0x0080u /* the scanner must look at it (start_kind) */
#define SQ_Q_UNIT   0x0100u /* a unit word starts with it */
#define SQ_Q_PREFIX 0x0200u /* a qualifier word before a number starts with it */
#define SQ_Q_SUFFIX 0x0400u /* a qualifier word after a number starts with it */
#define SQ_Q_SEP    0x0800u /* a range separator starts with it */
#define SQ_Q_LIANG  0x1000u /* 两 or 兩 */

/* Flags of a unit word (sq_qunit_match). */
#define SQ_U_TIME 1   /* time unit: takes 内 (5年内) and 多/余 (一年多) */

#endif
