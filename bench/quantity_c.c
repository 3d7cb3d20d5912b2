/*
 * quantity_c.c -- the C side of the quantity benchmark: expressions per
 * second of siqun_quantity_parse alone (no Lua), over the expressions of
 * bench/expressions.txt, with the loop the Lua and JavaScript sides run.
 *
 *   quantity_c FILE          after a warm-up, prints `C rate=<expr/s>
 *                            parsed=<n>/<total>`
 *   quantity_c FILE once     one pass, prints the count (for callgrind,
 *                            `make bench-callgrind`)
 *   quantity_c FILE check    the differential check of the parser's tables
 *                            and fast path (exits 1 on a difference): the
 *                            character table against the reference list for
 *                            every code point, the word tables' marks, and
 *                            siqun_quantity_parse against its general path
 *                            alone (sq_qparse_general) on FILE, on every
 *                            string of up to 4 numeral characters, on
 *                            random longer ones and on random [qualifier]
 *                            numeral [余|多] [unit] [tail] shapes and on
 *                            random dates
 *
 * Linked with the core's objects (build/sq_*.o).
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "siqun.h"

/* Internal symbols of the quantity parser (its headers in csrc/quantity),
   for `check`. */
int sq_qclass(unsigned cp, int *val);
int sq_qclass_ref(unsigned cp, int *val);
int sq_qunits_check(void);
extern const unsigned char sq_qblk[4096];
extern const unsigned short sq_qchr[][64];
int sq_qparse_general(const char *s, size_t len, siqun_quantity *out, char *err,
                      size_t errsz);

#define MAX_EXPR 4096

typedef struct expr {
  const char *s;
  size_t len;
} expr;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One pass: parses every expression, adds up the values. */
static double pass(const expr *e, size_t n, size_t *parsed) {
  double sum = 0;
  size_t i, ok = 0;
  for (i = 0; i < n; i++) {
    siqun_quantity q;
    char err[SIQUN_ERRMAX];
    if (siqun_quantity_parse(e[i].s, e[i].len, &q, err, sizeof err) == 0) {
      ok++;
      if (q.kind == SIQUN_Q_NUMBER) sum += q.value;
    }
  }
  *parsed = ok;
  return sum;
}

/* Passes for about `seconds`; returns expressions per second. */
static double measure(const expr *e, size_t n, double seconds, size_t *parsed, double *sink) {
  size_t passes = 0;
  double t0 = now(), t;
  do {
    *sink += pass(e, n, parsed);
    passes++;
    t = now() - t0;
  } while (t < seconds);
  return (double)(passes * n) / t;
}

/* ------------------------------------------------------------ check */

static int same_q(const siqun_quantity *a, const siqun_quantity *b) {
  return a->kind == b->kind && a->qualifier == b->qualifier &&
         memcmp(&a->value, &b->value, sizeof a->value) == 0 && a->has_min == b->has_min &&
         a->has_max == b->has_max && memcmp(&a->min, &b->min, sizeof a->min) == 0 &&
         memcmp(&a->max, &b->max, sizeof a->max) == 0 && strcmp(a->unit, b->unit) == 0 &&
         memcmp(&a->date, &b->date, sizeof a->date) == 0 &&
         memcmp(&a->to, &b->to, sizeof a->to) == 0 && a->start == b->start && a->stop == b->stop;
}

/* Both paths on (s, len): 0 when they agree. */
static int diff(const char *s, size_t len) {
  siqun_quantity a, b;
  char ea[SIQUN_ERRMAX], eb[SIQUN_ERRMAX];
  int ra = siqun_quantity_parse(s, len, &a, ea, sizeof ea);
  int rb = sq_qparse_general(s, len, &b, eb, sizeof eb);
  if (ra == rb && (ra != 0 || same_q(&a, &b)) && (ra == 0 || strcmp(ea, eb) == 0)) return 0;
  printf("DIFF '%.*s': fast %d %.17g / general %d %.17g (%s)\n", (int)len, s, ra,
         ra == 0 ? a.value : 0.0, rb, rb == 0 ? b.value : 0.0, rb == 0 ? "" : eb);
  return 1;
}

static const char *const ALPHA[] = {
  "一", "二", "三", "四", "五", "六", "七", "八", "九", "零", "〇", "两", "兩", "十", "百",
  "千", "万", "亿", "萬", "億", "拾", "佰", "仟", "壹", "贰", "陆", "0", "1", "2", "5",
  "9", ".", "余", "多", "点", "个", "年", "%", "米", "张", "以上", "分之", "至", "-", ",",
  "．", "３", "月", "日", "半", "成", "约", "元", "日元", "人次", "周年", "分钟", "千米", "以内",
  "内", "整", "不少于", "近", "超过", "％", "张", "年代", "个月"
};
#define NALPHA (sizeof ALPHA / sizeof ALPHA[0])
#define NSMALL 22 /* ALPHA[0, NSMALL): the Chinese integer characters */

/* Appends the string part to buf at *len. */
static void append(char *buf, size_t *len, const char *part) {
  size_t l = strlen(part);
  memcpy(buf + *len, part, l);
  *len += l;
}

/* The state of the differential check: the random generator (xorshift64),
   the counts, and the expression being built. */
typedef struct checker {
  unsigned long long r;
  size_t bad, tried;
  char buf[256];
} checker;

static unsigned long long next_random(checker *c) {
  c->r ^= c->r << 13, c->r ^= c->r >> 7, c->r ^= c->r << 17;
  return c->r;
}

/* Compares the two paths on the len bytes of c->buf. */
static void compare_buf(checker *c, size_t len) {
  c->bad += (size_t)diff(c->buf, len);
  c->tried++;
}

/* The character table against the reference lists it is made from. */
static void check_char_table(checker *c) {
  unsigned cp;
  size_t i, k;
  for (cp = 0; cp <= 0x10FFFF; cp++) {
    int v1, v2, c1 = sq_qclass(cp, &v1), c2 = sq_qclass_ref(cp, &v2);
    if (c1 != c2 || v1 != v2) {
      printf("DIFF class of U+%04X: %d/%d against %d/%d\n", cp, c1, v1, c2, v2);
      c->bad++;
    }
    /* SQ_Q_LIANG (0x1000): 两 and 兩 only */
    if (cp >= 0x800 && cp <= 0xFFFF &&
        ((sq_qchr[sq_qblk[((cp >> 4) & 0xF00u) | 0x80u | ((cp >> 6) & 0x3Fu)]][cp & 0x3Fu] &
          0x1000u) != 0) != (cp == 0x4E24 || cp == 0x5169)) {
      printf("DIFF the mark of 两 on U+%04X\n", cp);
      c->bad++;
    }
  }
  /* the blocks of the overlong encodings (E0 80..9F) and of the
     surrogates (ED A0..BF) are empty; a second byte that is no
     continuation byte has the last row, all SQ_Q_SCAN of class none */
  for (i = 0; i < 4096; i++) {
    unsigned b1 = (unsigned)i & 0xFF;
    int cont = b1 >= 0x80 && b1 <= 0xBF;
    if (cont && ((i >> 8 == 0 && b1 < 0xA0) || (i >> 8 == 0xD && b1 >= 0xA0)) && sq_qblk[i] != 0) {
      printf("DIFF block %lu of the character table is not empty\n", (unsigned long)i);
      c->bad++;
    }
    if (!cont && sq_qblk[i] != sq_qblk[0x0FF]) {
      printf("DIFF block %lu of the character table is not the invalid row\n", (unsigned long)i);
      c->bad++;
    }
  }
  for (k = 0; k < 64; k++) {
    if (sq_qchr[sq_qblk[0x0FF]][k] != 0x80) {
      printf("DIFF the invalid row of the character table is not all SQ_Q_SCAN\n");
      c->bad++;
      break;
    }
  }
  if (!sq_qunits_check()) {
    printf("DIFF the word tables do not agree with the character table (stale? run "
           "csrc/tools/sq_qtab.lua) or with sq_qnumeral_fast\n");
    c->bad++;
  }
}

/* Every string of 1 to 4 characters of the Chinese integer alphabet, of 1
   to 3 of the whole one (numerals and what may follow them). */
static void check_all_short(checker *c) {
  size_t i, k;
  for (k = 1; k <= 4; k++) {
    size_t total = 1, j, m = k <= 3 ? NALPHA : NSMALL;
    for (j = 0; j < k; j++) total *= m;
    for (i = 0; i < total; i++) {
      size_t x = i, len = 0;
      for (j = 0; j < k; j++, x /= m) append(c->buf, &len, ALPHA[x % m]);
      compare_buf(c, len);
    }
  }
}

/* Random strings of 5 to 12 characters, mostly numeral characters. */
static void check_random_numerals(checker *c) {
  size_t i;
  for (i = 0; i < 2000000; i++) {
    size_t len = 0, j, k, m;
    unsigned long long r = next_random(c);
    k = 5 + (size_t)(r % 8);
    m = (r >> 8) % 4 == 0 ? NALPHA : NSMALL;
    for (j = 0; j < k; j++) append(c->buf, &len, ALPHA[(next_random(c) >> 11) % m]);
    compare_buf(c, len);
    if (c->bad > 20) break;
  }
}

/* Random [qualifier] numeral [余|多] [unit] [tail]: the shapes fast_simple
   takes, and their near misses. */
static void check_random_simple(checker *c) {
  static const char *const PRE[] = {"", "", "约", "近", "超过", "不少于", "不到", "至多",
                                    "大约", "逾", "不", "百分之", "千分之", "约百分之"};
  static const char *const UNIT[] = {"", "张", "元", "人次", "个月", "个", "年", "月", "日",
                                     "米", "千米", "日元", "周年", "分钟", "名", "户",
                                     "分", "成", "号", "岁", "小时", "天", "亿元"};
  static const char *const TAIL[] = {"", "", "", "", "多", "余", "半", "内", "以上", "左右",
                                     "整", "至三", "%", "之一", "/5", "/0", "/三", "/12",
                                     "\xef\xbc\x8f" "7", "\xef\xbc\x85", "/5/1"};
  size_t i;
  for (i = 0; i < 1000000 && c->bad <= 20; i++) {
    size_t len = 0, j, nk;
    unsigned long long r = next_random(c);
    append(c->buf, &len, PRE[r % (sizeof PRE / sizeof PRE[0])]);
    nk = 1 + (size_t)((r >> 8) % 6);
    for (j = 0; j < nk; j++) {
      r = next_random(c);
      append(c->buf, &len,
             (r >> 5) % 3 == 0 ? ALPHA[26 + (r >> 11) % 6] : ALPHA[(r >> 11) % NSMALL]);
    }
    r = next_random(c);
    append(c->buf, &len, (r >> 24) % 4 == 0 ? ((r >> 26) % 2 ? "多" : "余") : "");
    append(c->buf, &len, UNIT[r % (sizeof UNIT / sizeof UNIT[0])]);
    append(c->buf, &len, TAIL[(r >> 16) % (sizeof TAIL / sizeof TAIL[0])]);
    compare_buf(c, len);
  }
}

/* Random dates: a year of 3 to 5 digits, 年, [numeral 月 [numeral 日|号]]
   [tail] (fast_date and its near misses). */
static void check_random_dates(checker *c) {
  static const char *const DIG[] = {"0", "1", "2", "3", "6", "9"};
  static const char *const NUM[] = {"1", "2", "3", "9", "0", "十", "十二", "二", "三十",
                                    "三十一", "29", "30", "31", "12", "13", "02", "两",
                                    "1.5", "1万", "〇", "零"};
  static const char *const END2[] = {"日", "号", "日", "月", ""};
  static const char *const TAIL[] = {"", "", "", "", "份", "初", "底", "中旬", "至2013年",
                                     "日", "年", "多"};
  size_t i;
  for (i = 0; i < 500000 && c->bad <= 20; i++) {
    size_t len = 0, j, nd;
    const char *part;
    unsigned long long r = next_random(c);
    nd = 3 + (size_t)(r % 3);
    for (j = 0; j < nd; j++) {
      part = DIG[(r >> (8 + 3 * j)) % 6];
      if (j == 0 && (r >> 40) % 8 != 0) part = (r >> 43) % 2 ? "1" : "2";
      c->buf[len++] = *part;
    }
    append(c->buf, &len, "年");
    r = next_random(c);
    if (r % 4 != 0) {
      append(c->buf, &len, NUM[(r >> 4) % (sizeof NUM / sizeof NUM[0])]);
      append(c->buf, &len, "月");
      if ((r >> 12) % 3 != 0) {
        append(c->buf, &len, NUM[(r >> 16) % (sizeof NUM / sizeof NUM[0])]);
        append(c->buf, &len, END2[(r >> 24) % (sizeof END2 / sizeof END2[0])]);
      }
    }
    append(c->buf, &len, TAIL[(r >> 32) % (sizeof TAIL / sizeof TAIL[0])]);
    compare_buf(c, len);
  }
}

/* The differential check: the character table, then the fast paths of the
   parser against its general path on the list, every short string and
   random ones of the shapes the fast paths take. */
static int check(const expr *e, size_t n) {
  checker c;
  size_t i;
  c.r = 88172645463325252ULL;
  c.bad = c.tried = 0;
  check_char_table(&c);
  for (i = 0; i < n; i++) c.bad += (size_t)diff(e[i].s, e[i].len), c.tried++;
  check_all_short(&c);
  check_random_numerals(&c);
  check_random_simple(&c);
  check_random_dates(&c);
  printf("check: %lu expressions compared, %lu differences\n", (unsigned long)c.tried,
         (unsigned long)c.bad);
  return c.bad == 0 ? 0 : 1;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  static char buf[1 << 20];
  static expr e[MAX_EXPR];
  size_t len, n = 0, parsed = 0;
  char *p, *end;
  FILE *f;
  double sink = 0, rates[5];
  int r;
  if (argc < 2) {
    fprintf(stderr, "usage: %s EXPRESSIONS.txt [once]\n", argv[0]);
    return 2;
  }
  f = fopen(argv[1], "rb");
  if (f == NULL) {
    perror(argv[1]);
    return 1;
  }
  len = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[len] = '\0';
  for (p = buf; p < buf + len && n < MAX_EXPR; p = end + 1) {
    end = strchr(p, '\n');
    if (end == NULL) end = buf + len;
    if (end > p && *p != '#') {
      e[n].s = p;
      e[n].len = (size_t)(end - p);
      n++;
    }
  }
  if (n == 0) {
    fprintf(stderr, "%s: no expressions\n", argv[1]);
    return 1;
  }
  if (argc > 2 && strcmp(argv[2], "once") == 0) {
    sink = pass(e, n, &parsed);
    printf("parsed=%lu/%lu sum=%.17g\n", (unsigned long)parsed, (unsigned long)n, sink);
    return parsed == n ? 0 : 1;
  }
  if (argc > 2 && strcmp(argv[2], "check") == 0) return check(e, n);
  measure(e, n, 0.2, &parsed, &sink); /* warm-up */
  for (r = 0; r < 5; r++) rates[r] = measure(e, n, 0.06, &parsed, &sink);
  qsort(rates, 5, sizeof rates[0], cmp_double);
  printf("C rate=%.0f parsed=%lu/%lu%s\n", rates[2], (unsigned long)parsed, (unsigned long)n,
         sink == -1 ? " " : "");
  return 0;
}
