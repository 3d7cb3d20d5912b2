/*
 * quantity_test.c -- C-level checks of siqun_quantity_parse and
 * siqun_scan_next: exact values, error messages, NULL arguments, small error
 * buffers, and invariants on random input (everything the scanner reports
 * parses alone to the same quantity).
 *
 * `make ctest` builds it with the C files of csrc/quantity alone (no
 * dataset, no Lua) under ASan + UBSan and runs it.  -DSQ_FUZZ with
 * clang-14's -fsanitize=fuzzer (libclang-rt-14-dev) and the same files
 * makes it a libFuzzer target.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "siqun.h"

int check_input(const char *s, size_t len);
#ifdef SQ_FUZZ
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
#endif

static int failures = 0;

#define CHECK(cond, ...)                                   \
  do {                                                     \
    if (!(cond)) {                                         \
      fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);      \
      fprintf(stderr, __VA_ARGS__);                        \
      fputc('\n', stderr);                                 \
      failures++;                                          \
    }                                                      \
  } while (0)

static int same_quantity(const siqun_quantity *a, const siqun_quantity *b) {
  if (a->kind != b->kind || a->qualifier != b->qualifier) return 0;
  if (a->kind == SIQUN_Q_DATE)
    return memcmp(&a->date, &b->date, sizeof a->date) == 0 &&
           memcmp(&a->to, &b->to, sizeof a->to) == 0;
  return a->value == b->value && a->has_min == b->has_min &&
         a->has_max == b->has_max && (!a->has_min || a->min == b->min) &&
         (!a->has_max || a->max == b->max) && strcmp(a->unit, b->unit) == 0;
}

/* Invariants on any input; returns the number of matches. */
int check_input(const char *s, size_t len) {
  siqun_quantity q, p;
  char err[SIQUN_ERRMAX];
  size_t pos = 0, last = 0;
  int n = 0;
  if (siqun_quantity_parse(s, len, &q, err, sizeof err) < 0) {
    if (strlen(err) == 0) abort();
  } else if (q.start != 0 || q.stop != len) {
    abort();
  }
  while (siqun_scan_next(s, len, &pos, &q)) {
    if (q.start < last || q.stop <= q.start || q.stop > len || pos != q.stop) abort();
    if (siqun_quantity_parse(s + q.start, q.stop - q.start, &p, err, sizeof err) < 0 ||
        !same_quantity(&q, &p)) {
      fprintf(stderr, "scan and parse disagree on '%.*s' in '%.*s': "
              "%s %.17g '%s' / %s %.17g '%s'\n",
              (int)(q.stop - q.start), s + q.start, (int)len, s,
              siqun_qualifier_name(q.qualifier), q.value, q.unit,
              siqun_qualifier_name(p.qualifier), p.value, p.unit);
      abort();
    }
    last = q.stop;
    n++;
  }
  if (pos != len) abort();
  return n;
}

#ifdef SQ_FUZZ
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
  check_input((const char *)data, size);
  return 0;
}
#else

static void number(const char *s, double value, const char *unit,
                   siqun_qualifier qual) {
  siqun_quantity q;
  char err[SIQUN_ERRMAX];
  int rc = siqun_quantity_parse(s, strlen(s), &q, err, sizeof err);
  CHECK(rc == 0, "%s: %s", s, err);
  if (rc) return;
  CHECK(q.kind == SIQUN_Q_NUMBER, "%s: kind", s);
  CHECK(q.value == value, "%s: value %.17g, expected %.17g", s, q.value, value);
  CHECK(strcmp(q.unit, unit) == 0, "%s: unit '%s', expected '%s'", s, q.unit, unit);
  CHECK(q.qualifier == qual, "%s: qualifier %s", s, siqun_qualifier_name(q.qualifier));
}

static void error(const char *s, size_t len, const char *why) {
  siqun_quantity q;
  char err[SIQUN_ERRMAX];
  int rc = siqun_quantity_parse(s, len, &q, err, sizeof err);
  CHECK(rc == -1, "%s: parsed", s);
  CHECK(strstr(err, why) != NULL, "%s: message '%s' lacks '%s'", s, err, why);
}

int main(void) {
  siqun_quantity q;
  char small[8];
  size_t pos;
  unsigned long x = 1;
  int i;

  number("4.52万", 45200.0, "", SIQUN_EXACT);
  number("54.29万本", 542900.0, "本", SIQUN_EXACT);
  number("0.1", 0.1, "", SIQUN_EXACT);
  number("35.5亿元", 3550000000.0, "元", SIQUN_EXACT);
  number("近50万名", 500000.0, "名", SIQUN_NEARLY);
  number("420余万元", 4200000.0, "元", SIQUN_OVER);
  number("不到10人", 10.0, "人", SIQUN_UNDER);
  number("一万五千亿", 1.5e12, "", SIQUN_EXACT);
  number("9223372036854775808", 9223372036854775808.0, "", SIQUN_EXACT);
  number("1234567890.123456789", 1234567890.123456789, "", SIQUN_EXACT);
  /* 半 (half): exact halves */
  number("半年", 0.5, "年", SIQUN_EXACT);
  number("一年半", 1.5, "年", SIQUN_EXACT);
  number("两个半小时", 2.5, "个小时", SIQUN_EXACT);
  number("近半个月", 0.5, "个月", SIQUN_NEARLY);
  error("半数", strlen("半数"), "must be followed by a unit");
  error("一半", strlen("一半"), "unexpected '半'");
  error("", 0, "empty");
  error("一十百", strlen("一十百"), "out of order");
  error("3\0", 2, "unexpected");
  error("\xe4\xb8", 2, "invalid UTF-8");

  /* NULL out and err, a tiny error buffer */
  CHECK(siqun_quantity_parse("3个", strlen("3个"), NULL, NULL, 0) == 0, "NULL out");
  CHECK(siqun_quantity_parse("x", 1, NULL, small, sizeof small) == -1, "small buffer");
  CHECK(strlen(small) == sizeof small - 1, "truncated message");
  CHECK(siqun_quantity_parse("x", 1, &q, small, 1) == -1 && small[0] == '\0', "errsz 1");
  /* a cut message never ends inside a character: "'两' cannot ..." */
  CHECK(siqun_quantity_parse("两十", strlen("两十"), &q, small, 3) == -1 &&
        strcmp(small, "'") == 0, "cut before an incomplete character: '%s'", small);
  CHECK(siqun_quantity_parse("两十", strlen("两十"), &q, small, 5) == -1 &&
        strcmp(small, "'两") == 0, "cut after a whole character: '%s'", small);

  /* the scanner: NULL out, *pos past the end */
  pos = 0;
  CHECK(siqun_scan_next("共3个", strlen("共3个"), &pos, NULL) == 1 && pos == strlen("共3个"),
        "scan with NULL out");
  pos = 100;
  CHECK(siqun_scan_next("3个", strlen("3个"), &pos, &q) == 0 && pos == strlen("3个"),
        "scan past the end");

  /* the scanner: 半年 is found, 多半, 半岛, 一半 and 上半年 are not */
  {
    static const char *const t = "多半在这半年里到了半岛，一半是上半年。";
    const char *h = strstr(t, "半年");
    pos = 0;
    CHECK(siqun_scan_next(t, strlen(t), &pos, &q) == 1 && q.value == 0.5 &&
          strcmp(q.unit, "年") == 0 && q.start == (size_t)(h - t) &&
          q.stop == (size_t)(h - t) + strlen("半年"),
          "scan 半年: %zu..%zu", q.start, q.stop);
    CHECK(siqun_scan_next(t, strlen(t), &pos, &q) == 0, "scan: only 半年");
  }

  CHECK(strcmp(siqun_qualifier_name(SIQUN_UNDER), "under") == 0, "name");
  CHECK(strcmp(siqun_qualifier_name(SIQUN_RANGE), "range") == 0, "name");

  /* random short inputs from numeral characters */
  {
    static const char *const P[] = {
      "零", "一", "二", "两", "三", "十", "百", "千", "万", "亿", "点", "余", "多",
      "个", "年", "月", "日", "至", "约", "近", "以上", "分之", "成", "%", "-",
      "/", ".", ",", "0", "1", "2", "5", "9", "万元", "不少于", "内", "左右",
      "半", "小时", "天", "斤"
    };
    char buf[256];
    for (i = 0; i < 300000; i++) {
      size_t n = 0;
      int k = 1 + (int)(x % 8);
      while (k-- > 0) {
        const char *w;
        x = x * 6364136223846793005UL + 1442695040888963407UL;
        w = P[(x >> 33) % (sizeof P / sizeof P[0])];
        if (n + strlen(w) >= sizeof buf) break;
        memcpy(buf + n, w, strlen(w));
        n += strlen(w);
      }
      check_input(buf, n);
    }
  }
  if (failures) {
    fprintf(stderr, "%d failures\n", failures);
    return 1;
  }
  printf("quantity_test: ok\n");
  return 0;
}
#endif
