/*
 * sq_quantity_int.h -- declarations shared by the quantity parser files:
 * sq_qnumeral.c (numerals and exact decimals), sq_qunits.c (unit and
 * qualifier word tables), sq_quantity.c (expressions, dates, errors) and
 * sq_scan.c (the scanner).  Nothing here allocates; there is no mutable
 * global state.
 */
#ifndef SQ_QUANTITY_INT_H
#define SQ_QUANTITY_INT_H

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

/* UTF-8: decodes the character at pos; returns its length, 0 if invalid
   (or pos >= len). */
size_t sq_qutf8(const char *s, size_t len, size_t pos, unsigned *cp);
/* Class of code point cp (SQ_C_*), its value in *val. */
int sq_qclass(unsigned cp, int *val);
/* Nonzero if the bytes at pos start with the NUL-terminated lit. */
int sq_qlit(const sq_ctx *c, size_t pos, const char *lit);

/* Records an error at byte pos, printf-style; formats nothing when
   scanning.  A format starting with '~' is a soft error ("expected a
   number"): a specific error anywhere beats it; otherwise the error furthest
   on wins. */
void sq_qfail(sq_ctx *c, size_t pos, const char *fmt, ...)
#if defined(__GNUC__)
  __attribute__((format(printf, 3, 4)))
#endif
  ;

/* After (v)snprintf returned n into msg[size]: when the text was cut, cuts
   it at a character boundary instead (UTF-8), ending in "..." if ellipsis. */
void sq_qmsg_cut(char *msg, size_t size, int n, int ellipsis);

/* Exact decimals. */
int sq_qdec_add(sq_dec *a, sq_dec b);           /* a += b; -1 on overflow */
int sq_qdec_scale(sq_dec *a, int k);            /* a *= 10^k; -1 on overflow */
int sq_qdec_cmp(sq_dec a, sq_dec b);            /* -1, 0, 1 */
int sq_qdec_is_int(sq_dec a);                   /* integral */
int sq_qdec_to_ll(sq_dec a, long long *out);    /* integral and fits, else -1 */
int sq_qdec_to_double(sq_dec a, double *out);   /* -1 if above 2^63 */
int sq_qdec_is_zero(sq_dec a);

/* Parses the numeral at pos.  Returns 1 and fills *n when at least one
   character forms a numeral, 0 otherwise (an error is recorded in c). */
int sq_qnumeral(sq_ctx *c, size_t pos, sq_num *n);
/* End of the run of numeral characters at pos of the same script (Arabic
   digits with inner '.' and ',', or Chinese numeral characters). */
size_t sq_qnumeral_run(const char *s, size_t len, size_t pos);

/* Unit and qualifier tables (sq_qunits.c). */
#define SQ_U_TIME 1   /* time unit: takes 内 (5年内) and 多/余 (一年多) */
/* Longest unit at pos: its byte length (0 if none), flags in *flags. */
size_t sq_qunit_match(const sq_ctx *c, size_t pos, int *flags);
/* Longest qualifier word before a number at pos: byte length, qualifier. */
size_t sq_qprefix_match(const sq_ctx *c, size_t pos, siqun_qualifier *q);
/* Longest qualifier word after a quantity at pos (以上, 左右 ...). */
size_t sq_qsuffix_match(const sq_ctx *c, size_t pos, siqun_qualifier *q);
/* Range separator at pos (至 到 - ~ ～ — ...): byte length or 0. */
size_t sq_qrange_sep(const sq_ctx *c, size_t pos);

/* Information the scanner needs to judge a match (sq_quantity.c). */
typedef struct sq_info {
  int arabic;     /* some number has Arabic digits */
  int signal;     /* unit, date, percent, fraction, scale, qualifier suffix... */
} sq_info;
/* Parses the longest quantity expression starting at pos.  1 on success
   (out->start, out->stop set), 0 on failure with an error in c. */
int sq_qexpr(sq_ctx *c, size_t pos, siqun_quantity *out, sq_info *info);

#endif
