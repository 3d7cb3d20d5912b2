/*
 * sq_qunits.c -- the word tables of the quantity parser: units and measure
 * words, qualifier words before and after a number, range separators.
 * Matching is longest-first over small constant tables.
 *
 * The unit table leaves out measure words that mostly occur in ordinary
 * words after 一 (一起, 一定, 一线, 一些, 一点, 一把手, 一度, 一块, 一方面,
 * 一部分, 一对, 进一步, 一国两制), and 分 (十分 = very).  月 and 日 are not
 * units: after a number they make a date (3个月 is a duration).
 */
#include <string.h>

#include "sq_quantity_int.h"

typedef struct word { const char *w; int flags; } word;

static const word UNITS[] = {
  /* time (they take 内 and a trailing 多/余) */
  {"个月", SQ_U_TIME}, {"年", SQ_U_TIME}, {"天", SQ_U_TIME},
  {"周", SQ_U_TIME}, {"周年", SQ_U_TIME}, {"周岁", SQ_U_TIME},
  {"星期", SQ_U_TIME}, {"个星期", SQ_U_TIME}, {"小时", SQ_U_TIME},
  {"个小时", SQ_U_TIME}, {"分钟", SQ_U_TIME}, {"秒", SQ_U_TIME},
  {"秒钟", SQ_U_TIME}, {"岁", SQ_U_TIME}, {"世纪", SQ_U_TIME},
  {"季度", SQ_U_TIME}, {"个季度", SQ_U_TIME}, {"工作日", SQ_U_TIME},
  {"个工作日", SQ_U_TIME}, {"学年", SQ_U_TIME}, {"倍", SQ_U_TIME},
  /* people, things, events */
  {"人次", 0}, {"人", 0}, {"名", 0}, {"位", 0}, {"户", 0}, {"家", 0},
  {"个", 0}, {"本", 0}, {"次", 0}, {"场", 0}, {"条", 0}, {"篇", 0},
  {"支", 0}, {"件", 0}, {"张", 0}, {"套", 0}, {"所", 0}, {"项", 0},
  {"批", 0}, {"册", 0}, {"期", 0}, {"座", 0}, {"辆", 0}, {"台", 0},
  {"种", 0}, {"类", 0}, {"首", 0}, {"幅", 0}, {"份", 0}, {"页", 0},
  {"届", 0}, {"轮", 0}, {"例", 0}, {"架", 0}, {"艘", 0},
  {"枚", 0}, {"颗", 0}, {"棵", 0}, {"株", 0}, {"只", 0}, {"根", 0},
  {"段", 0}, {"句", 0}, {"节", 0}, {"章", 0}, {"集", 0}, {"卷", 0},
  {"门", 0}, {"栋", 0}, {"幢", 0}, {"层", 0}, {"处", 0}, {"组", 0},
  {"遍", 0}, {"趟", 0}, {"宗", 0}, {"笔", 0}, {"篇次", 0}, {"户次", 0},
  {"年级", 0}, {"年代", 0}, {"个百分点", 0}, {"百分点", 0},
  /* money */
  {"元", 0}, {"美元", 0}, {"欧元", 0}, {"日元", 0}, {"港元", 0},
  {"英镑", 0}, {"元人民币", 0},
  /* measures */
  {"公里", 0}, {"千米", 0}, {"米", 0}, {"厘米", 0}, {"毫米", 0},
  {"英里", 0}, {"平方米", 0}, {"平方公里", 0}, {"立方米", 0}, {"公顷", 0},
  {"亩", 0}, {"吨", 0}, {"公斤", 0}, {"千克", 0}, {"克", 0}, {"斤", 0},
  {"千瓦", 0}, {"千瓦时", 0}, {"瓦", 0}, {"度电", 0}
};

/* Qualifier words before a number. */
typedef struct qword { const char *w; siqun_qualifier q; } qword;

static const qword PREFIX[] = {
  {"约", SIQUN_APPROX}, {"大约", SIQUN_APPROX}, {"大概", SIQUN_APPROX},
  {"近", SIQUN_NEARLY}, {"将近", SIQUN_NEARLY}, {"接近", SIQUN_NEARLY},
  {"超过", SIQUN_OVER}, {"逾", SIQUN_OVER}, {"高于", SIQUN_OVER},
  {"多于", SIQUN_OVER}, {"超", SIQUN_OVER},
  {"不少于", SIQUN_AT_LEAST}, {"至少", SIQUN_AT_LEAST},
  {"不低于", SIQUN_AT_LEAST},
  {"不超过", SIQUN_AT_MOST}, {"至多", SIQUN_AT_MOST}, {"最多", SIQUN_AT_MOST},
  {"不多于", SIQUN_AT_MOST}, {"不高于", SIQUN_AT_MOST},
  {"不到", SIQUN_UNDER}, {"不足", SIQUN_UNDER}, {"低于", SIQUN_UNDER},
  {"少于", SIQUN_UNDER}, {"不满", SIQUN_UNDER}
};

/* Qualifier words after a quantity (余 and 多 are read with the number). */
static const qword SUFFIX[] = {
  {"左右", SIQUN_APPROX}, {"上下", SIQUN_APPROX},
  {"以上", SIQUN_AT_LEAST}, {"及以上", SIQUN_AT_LEAST},
  {"以下", SIQUN_AT_MOST}, {"及以下", SIQUN_AT_MOST}, {"以内", SIQUN_AT_MOST}
};

static const char *const SEPS[] = {
  "至", "到", "-", "~", "～", "—", "－", "–", "——", "〜"
};

size_t sq_qunit_match(const sq_ctx *c, size_t pos, int *flags) {
  size_t i, best = 0;
  *flags = 0;
  if (pos >= c->len || (unsigned char)c->s[pos] < 0x80) return 0;
  for (i = 0; i < sizeof UNITS / sizeof UNITS[0]; i++) {
    size_t n;
    if (UNITS[i].w[0] != c->s[pos]) continue;
    n = strlen(UNITS[i].w);
    if (n > best && sq_qlit(c, pos, UNITS[i].w)) {
      best = n;
      *flags = UNITS[i].flags;
    }
  }
  return best;
}

static size_t qmatch(const qword *t, size_t nt, const sq_ctx *c, size_t pos,
                     siqun_qualifier *q) {
  size_t i, best = 0;
  if (pos >= c->len || (unsigned char)c->s[pos] < 0x80) return 0;
  for (i = 0; i < nt; i++) {
    size_t n;
    if (t[i].w[0] != c->s[pos]) continue;
    n = strlen(t[i].w);
    if (n > best && sq_qlit(c, pos, t[i].w)) {
      best = n;
      *q = t[i].q;
    }
  }
  return best;
}

size_t sq_qprefix_match(const sq_ctx *c, size_t pos, siqun_qualifier *q) {
  return qmatch(PREFIX, sizeof PREFIX / sizeof PREFIX[0], c, pos, q);
}

size_t sq_qsuffix_match(const sq_ctx *c, size_t pos, siqun_qualifier *q) {
  return qmatch(SUFFIX, sizeof SUFFIX / sizeof SUFFIX[0], c, pos, q);
}

size_t sq_qrange_sep(const sq_ctx *c, size_t pos) {
  size_t i, best = 0;
  for (i = 0; i < sizeof SEPS / sizeof SEPS[0]; i++) {
    size_t n = strlen(SEPS[i]);
    if (n > best && sq_qlit(c, pos, SEPS[i])) best = n;
  }
  return best;
}
