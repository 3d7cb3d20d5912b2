/*
 * sq_qunits.c -- the word tables of the quantity parser: units and measure
 * words, qualifier words before and after a number, range separators.
 * Matching is longest-first, tried only when the first character is one
 * that some word of the table starts with (a bit of the character table),
 * and then over the words that start with it (a binary search in an index
 * by first character): both are in sq_qtab.h, made from these tables by
 * csrc/tools/sq_qtab.lua -- run it after changing one.
 *
 * The unit table leaves out measure words that mostly occur in ordinary
 * words after 一 (一起, 一定, 一线, 一些, 一点, 一把手, 一度, 一块, 一方面,
 * 一部分, 一对, 进一步, 一国两制), and 分 (十分 = very).  月 and 日 are not
 * units: after a number they make a date (3个月 is a duration).
 */
#include <string.h>

#include "sq_qchar.h"
#include "sq_qctx.h"
#include "sq_qnum_fast.h"
#include "sq_qunits.h"

/* A word, its length and its value: SQ_U_* flags for a unit, a
   siqun_qualifier for a qualifier word. */
typedef struct word { const char *w; size_t len; int v; } word;
#define W(s, v) {(s), sizeof(s) - 1, (int)(v)}

static const word UNITS[] = {
  /* time (they take 内 and a trailing 多/余) */
  W("个月", SQ_U_TIME), W("年", SQ_U_TIME), W("天", SQ_U_TIME),
  W("周", SQ_U_TIME), W("周年", SQ_U_TIME), W("周岁", SQ_U_TIME),
  W("星期", SQ_U_TIME), W("个星期", SQ_U_TIME), W("小时", SQ_U_TIME),
  W("个小时", SQ_U_TIME), W("分钟", SQ_U_TIME), W("秒", SQ_U_TIME),
  W("秒钟", SQ_U_TIME), W("岁", SQ_U_TIME), W("世纪", SQ_U_TIME),
  W("季度", SQ_U_TIME), W("个季度", SQ_U_TIME), W("工作日", SQ_U_TIME),
  W("个工作日", SQ_U_TIME), W("学年", SQ_U_TIME), W("倍", SQ_U_TIME),
  /* people, things, events */
  W("人次", 0), W("人", 0), W("名", 0), W("位", 0), W("户", 0), W("家", 0),
  W("个", 0), W("本", 0), W("次", 0), W("场", 0), W("条", 0), W("篇", 0),
  W("支", 0), W("件", 0), W("张", 0), W("套", 0), W("所", 0), W("项", 0),
  W("批", 0), W("册", 0), W("期", 0), W("座", 0), W("辆", 0), W("台", 0),
  W("种", 0), W("类", 0), W("首", 0), W("幅", 0), W("份", 0), W("页", 0),
  W("届", 0), W("轮", 0), W("例", 0), W("架", 0), W("艘", 0),
  W("枚", 0), W("颗", 0), W("棵", 0), W("株", 0), W("只", 0), W("根", 0),
  W("段", 0), W("句", 0), W("节", 0), W("章", 0), W("集", 0), W("卷", 0),
  W("门", 0), W("栋", 0), W("幢", 0), W("层", 0), W("处", 0), W("组", 0),
  W("遍", 0), W("趟", 0), W("宗", 0), W("笔", 0), W("篇次", 0), W("户次", 0),
  W("年级", 0), W("年代", 0), W("个百分点", 0), W("百分点", 0),
  /* money */
  W("元", 0), W("美元", 0), W("欧元", 0), W("日元", 0), W("港元", 0),
  W("英镑", 0), W("元人民币", 0), W("港币", 0), W("台币", 0), W("新台币", 0),
  W("韩元", 0), W("泰铢", 0),
  /* measures */
  W("公里", 0), W("千米", 0), W("米", 0), W("厘米", 0), W("毫米", 0),
  W("英里", 0), W("平方米", 0), W("平方公里", 0), W("立方米", 0), W("公顷", 0),
  W("亩", 0), W("吨", 0), W("公斤", 0), W("千克", 0), W("克", 0), W("斤", 0),
  W("千瓦", 0), W("千瓦时", 0), W("瓦", 0), W("度电", 0)
};

/* Qualifier words before a number. */
static const word PREFIX[] = {
  W("约", SIQUN_APPROX), W("大约", SIQUN_APPROX), W("大概", SIQUN_APPROX),
  W("近", SIQUN_NEARLY), W("将近", SIQUN_NEARLY), W("接近", SIQUN_NEARLY),
  W("超过", SIQUN_OVER), W("逾", SIQUN_OVER), W("高于", SIQUN_OVER),
  W("多于", SIQUN_OVER), W("超", SIQUN_OVER),
  W("不少于", SIQUN_AT_LEAST), W("至少", SIQUN_AT_LEAST),
  W("不低于", SIQUN_AT_LEAST),
  W("不超过", SIQUN_AT_MOST), W("至多", SIQUN_AT_MOST), W("最多", SIQUN_AT_MOST),
  W("不多于", SIQUN_AT_MOST), W("不高于", SIQUN_AT_MOST),
  W("不到", SIQUN_UNDER), W("不足", SIQUN_UNDER), W("低于", SIQUN_UNDER),
  W("少于", SIQUN_UNDER), W("不满", SIQUN_UNDER)
};

/* Qualifier words after a quantity (余 and 多 are read with the number). */
static const word SUFFIX[] = {
  W("左右", SIQUN_APPROX), W("上下", SIQUN_APPROX),
  W("以上", SIQUN_AT_LEAST), W("及以上", SIQUN_AT_LEAST),
  W("以下", SIQUN_AT_MOST), W("及以下", SIQUN_AT_MOST), W("以内", SIQUN_AT_MOST)
};

static const char *const SEPS[] = {
  "至", "到", "-", "~", "～", "—", "－", "–", "——", "〜"
};

#define SQ_QTAB_WORDS
#include "sq_qtab.h"

/* The generated indexes (sq_qtab.h) are of these tables: run
   csrc/tools/sq_qtab.lua after changing one (a count that differs stops
   the build; build/bench/quantity_c check compares the words). */
typedef char sq_qtab_counts[(sizeof UNITS / sizeof UNITS[0] == SQ_QN_UNITS &&
                             sizeof PREFIX / sizeof PREFIX[0] == SQ_QN_PREFIX &&
                             sizeof SUFFIX / sizeof SUFFIX[0] == SQ_QN_SUFFIX) ? 1 : -1];

/* The longest word of table t at pos (the first of the longest), with
   the character-table bit `bit` and the index of the table (cps: the
   words' first characters, sorted; ix: their words): its length, its
   value in *v (left alone when none). */
static size_t match(const word *t, const unsigned short *cps, const unsigned char *ix,
                    size_t n, unsigned bit, const sq_ctx *c, size_t pos, int *v) {
  const unsigned char *u;
  unsigned cp;
  size_t lo = 0, hi = n, best = 0;
  if (pos >= c->len || !(sq_qent_at(c->s, c->len, pos) & bit)) return 0;
  u = (const unsigned char *)c->s + pos;
  cp = ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (cps[mid] < cp) lo = mid + 1; else hi = mid;
  }
  for (; lo < n && cps[lo] == cp; lo++) {
    const word *w = &t[ix[lo]];
    size_t k;
    if (w->len <= best || c->len - pos < w->len) continue;
    /* the first character is cp: compare the rest */
    for (k = 3; k < w->len && u[k] == (unsigned char)w->w[k]; k++) {}
    if (k == w->len) {
      best = w->len;
      *v = w->v;
    }
  }
  return best;
}

size_t sq_qunit_match(const sq_ctx *c, size_t pos, int *flags) {
  *flags = 0;
  return match(UNITS, SQ_QCP_UNITS, SQ_QIX_UNITS, SQ_QN_UNITS, SQ_Q_UNIT, c, pos, flags);
}

size_t sq_qprefix_match(const sq_ctx *c, size_t pos, siqun_qualifier *q) {
  int v = 0;
  size_t n = match(PREFIX, SQ_QCP_PREFIX, SQ_QIX_PREFIX, SQ_QN_PREFIX, SQ_Q_PREFIX, c, pos, &v);
  if (n) *q = (siqun_qualifier)v;
  return n;
}

size_t sq_qsuffix_match(const sq_ctx *c, size_t pos, siqun_qualifier *q) {
  int v = 0;
  size_t n = match(SUFFIX, SQ_QCP_SUFFIX, SQ_QIX_SUFFIX, SQ_QN_SUFFIX, SQ_Q_SUFFIX, c, pos, &v);
  if (n) *q = (siqun_qualifier)v;
  return n;
}

size_t sq_qrange_sep(const sq_ctx *c, size_t pos) {
  size_t i, best = 0;
  if (pos >= c->len) return 0;
  if ((unsigned char)c->s[pos] < 0x80)
    return c->s[pos] == '-' || c->s[pos] == '~';
  if (!(sq_qent_at(c->s, c->len, pos) & SQ_Q_SEP)) return 0;
  for (i = 0; i < sizeof SEPS / sizeof SEPS[0]; i++) {
    size_t n = strlen(SEPS[i]);
    if (n > best && sq_qlit(c, pos, SEPS[i])) best = n;
  }
  return best;
}

static int marked(const char *w, unsigned bit) {
  const unsigned char *u = (const unsigned char *)w;
  if (u[0] < 0x80) return 1; /* ASCII separators are tested apart */
  return (sq_qent3(u[0], u[1], u[2]) & bit) == bit;
}

/* Index (cps, ix) of the n words of t: each word once, in order. */
static int index_ok(const word *t, const unsigned short *cps, const unsigned char *ix,
                    size_t n) {
  unsigned char seen[256];
  size_t i;
  memset(seen, 0, sizeof seen);
  for (i = 0; i < n; i++) {
    const unsigned char *u = (const unsigned char *)t[ix[i]].w;
    unsigned cp = ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
    if (ix[i] >= n || seen[ix[i]] || cps[i] != cp || (i > 0 && cps[i - 1] > cps[i]) ||
        (i > 0 && cps[i - 1] == cps[i] && ix[i - 1] > ix[i]))
      /* uncovered: only a stale csrc/gen/sq_qtab.h fails this check */
      return 0;
    seen[ix[i]] = 1;
  }
  return 1;
}

int sq_qunits_check(void) {
  size_t i;
  if (!index_ok(UNITS, SQ_QCP_UNITS, SQ_QIX_UNITS, SQ_QN_UNITS) ||
      !index_ok(PREFIX, SQ_QCP_PREFIX, SQ_QIX_PREFIX, SQ_QN_PREFIX) ||
      !index_ok(SUFFIX, SQ_QCP_SUFFIX, SQ_QIX_SUFFIX, SQ_QN_SUFFIX))
    /* uncovered: only a stale csrc/gen/sq_qtab.h fails this check */
    return 0;
  for (i = 0; i < sizeof UNITS / sizeof UNITS[0]; i++) {
    const unsigned char *u = (const unsigned char *)UNITS[i].w;
    if (!marked(UNITS[i].w, SQ_Q_UNIT) || strlen(UNITS[i].w) != UNITS[i].len) return 0;
    /* sq_qnumeral_fast looks for a unit word at 十, 百, 千 ... only before
       a character that is no numeral character (nor 点, nor a digit) */
    if (UNITS[i].len > 3 && SQ_Q_CLS(sq_qent3(u[0], u[1], u[2])) == SQ_C_UNIT) {
      unsigned cls = u[3] < 0x80 ? ((unsigned)u[3] - '0' < 10u ? SQ_C_ADIGIT : SQ_C_NONE)
                                 : SQ_Q_CLS(sq_qent3(u[3], u[4], u[5]));
      if (cls != SQ_C_NONE && cls != SQ_C_OVER) return 0;
    }
  }
  for (i = 0; i < sizeof PREFIX / sizeof PREFIX[0]; i++)
    if (!marked(PREFIX[i].w, SQ_Q_PREFIX | SQ_Q_SCAN) || strlen(PREFIX[i].w) != PREFIX[i].len)
      /* uncovered: only a stale csrc/gen/sq_qtab.h fails this check */
      return 0;
  for (i = 0; i < sizeof SUFFIX / sizeof SUFFIX[0]; i++)
    if (!marked(SUFFIX[i].w, SQ_Q_SUFFIX) || strlen(SUFFIX[i].w) != SUFFIX[i].len) return 0;
  for (i = 0; i < sizeof SEPS / sizeof SEPS[0]; i++)
    if (!marked(SEPS[i], SQ_Q_SEP)) return 0;
  return 1;
}
