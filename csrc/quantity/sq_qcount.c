/*
 * sq_qcount.c -- counts: a number with 余 or 多 and a unit or measure word
 * (36万余人, 1000多年, 3个月, 5年内), and the halves: 半年, 半个月, 半小时,
 * 半斤 (0.5 of a unit); 一年半, 三岁半 (a whole number, a time unit, then
 * 半); 两个半小时, 三个半月 (个半 and a time word, read as 个小时, 个月).
 * 半 before a non-unit (半数, 半岛, 半导体, 半夜, 半路, 半边天) is no quantity,
 * nor is 一半.
 */
#include <stdio.h>
#include <string.h>

#include "sq_qcount.h"
#include "sq_qctx.h"
#include "sq_qdec.h"
#include "sq_qnumeral.h"
#include "sq_qunits.h"

#define LIT_HALF "半"

/* 余, 多 or 餘 at q. */
static int over_word(const sq_ctx *c, size_t q) {
  return sq_qlit(c, q, "余") || sq_qlit(c, q, "多") || sq_qlit(c, q, "餘");
}

/* 个 + T (月 小时 ...) after 个多, 个余 or 个半 at pos: sets the unit 个T and
   returns the length of T, or 0. */
static size_t ge_time(const sq_ctx *c, size_t pos, sq_qatom *a) {
  static const char *const T[] = {"月", "小时", "星期", "季度", "工作日"};
  size_t i;
  for (i = 0; i < sizeof T / sizeof T[0]; i++) {
    if (sq_qlit(c, pos, T[i])) {
      char buf[SQ_MAXUNIT + 1];
      snprintf(buf, sizeof buf, "个%s", T[i]);
      sq_qatom_set_unit(a, buf, strlen(buf));
      a->unit_time = 1;
      return strlen(T[i]);
    }
  }
  return 0;
}

/* Units that do not take a leading 半 (of ul bytes at pos): 半人马, 半元音,
   半期 (mid-term); 半斤八两 is an idiom. */
static int half_refused(const sq_ctx *c, size_t pos, size_t ul) {
  static const char *const NO[] = {"人", "人次", "元", "元人民币", "年级", "年代",
                                   "倍", "期"};
  size_t i;
  for (i = 0; i < sizeof NO / sizeof NO[0]; i++)
    if (strlen(NO[i]) == ul && memcmp(c->s + pos, NO[i], ul) == 0) return 1;
  return sq_qlit(c, pos, "斤八两");
}

/* A trailing 半 at pos (一年半): not when a unit or a word made with 半
   follows (一年半载, 一天半天, 19年半导体). */
int sq_qcount_half_after(const sq_ctx *c, size_t pos) {
  static const char *const NO[] = {"载", "導", "导", "岛", "島", "夜", "数", "數",
                                   "边", "邊", "球", "径", "徑", "价", "價", "路",
                                   "途", "生", "身", "截", "晌", "壁", "山", "百"};
  size_t i;
  int uf;
  if (!sq_qlit(c, pos, LIT_HALF)) return 0;
  for (i = 0; i < sizeof NO / sizeof NO[0]; i++)
    if (sq_qlit(c, pos + 3, NO[i])) return 0;
  return sq_qunit_match(c, pos + 3, &uf) == 0;
}

/* 个多 T, 个余 T and 个半 T at q (一个多月, 两个半小时): the end. */
static size_t ge_words(const sq_ctx *c, sq_qatom *a, size_t q, int half) {
  if (sq_qlit(c, q, "个") && !a->over &&
      (sq_qlit(c, q + 3, "多") || sq_qlit(c, q + 3, "余"))) {
    size_t tl = ge_time(c, q + 6, a);
    if (tl) {
      a->over = 1;
      q += 6 + tl;
    }
  } else if (sq_qlit(c, q, "个") && !a->over && !half && sq_qnum_small_int(&a->num) >= 0 &&
             sq_qlit(c, q + 3, LIT_HALF)) {
    /* 两个半小时, 三个半月 */
    size_t tl = ge_time(c, q + 6, a);
    if (tl) {
      sq_qdec_add(&a->v, (sq_dec){5, -1}); /* small: cannot overflow */
      q += 6 + tl;
    }
  }
  return q;
}

/* After a unit at q: 余/多 and 半 after a time unit, 整 after 元, 内
   after a time unit.  The end. */
static size_t after_unit(const sq_ctx *c, sq_qatom *a, size_t q, int half) {
  if (a->unit_time && !a->over && over_word(c, q)) {
    a->over = 1;
    q += 3;
  }
  /* 一年半, 三岁半, 一吨半: a whole number of a unit and a half */
  if (!a->over && !half && sq_qnum_small_int(&a->num) >= 0 && sq_qcount_half_after(c, q)) {
    sq_qdec_add(&a->v, (sq_dec){5, -1});
    q += 3;
  }
  if (sq_qlit(c, q, "整") && strcmp(a->unit, "元") == 0) q += 3;
  if (a->unit_time && sq_qlit(c, q, "内")) {
    a->within = 1;
    q += 3;
  }
  return q;
}

/* The unit and what follows it from q (half: the atom began with 半). */
static int count_tail(sq_ctx *c, size_t pos, sq_qatom *a, size_t q, int half) {
  size_t ul;
  int uf;
  q = ge_words(c, a, q, half);
  if (half && (ul = sq_qunit_match(c, q, &uf)) > 0 && half_refused(c, q, ul)) {
    sq_qfail(c, pos, "'半%.*s' is not a quantity", (int)ul, c->s + q);
    return 0;
  }
  if (!a->unit[0] && (ul = sq_qunit_match(c, q, &uf)) > 0) {
    sq_qatom_set_unit(a, c->s + q, ul);
    a->unit_time = (uf & SQ_U_TIME) != 0;
    q = after_unit(c, a, q + ul, half);
  }
  if (half && !a->unit[0]) {
    sq_qfail(c, pos + 3, "'半' must be followed by a unit (as in 半年, 半个月)");
    return 0;
  }
  a->end = q;
  return 1;
}

int sq_qcount_half(sq_ctx *c, size_t pos, sq_qatom *a) {
  sq_num n;
  if (!sq_qlit(c, pos, LIT_HALF)) return SQ_QF_NO;
  memset(&n, 0, sizeof n);
  n.v.m = 5;
  n.v.e = -1;
  n.start = pos;
  n.end = pos + 3;
  n.flags = SQ_N_CHINESE | SQ_N_DECIMAL;
  a->num = n;
  a->flags = n.flags;
  a->v = n.v;
  return count_tail(c, pos, a, n.end, 1);
}

int sq_qcount_hundreds(sq_ctx *c, size_t pos, sq_qatom *a) {
  if (!(a->num.flags & SQ_N_NEEDOVER) || (a->num.flags & SQ_N_OVER)) return SQ_QF_NO;
  /* 百余人: a leading 百 or 千 is a number only with the 余/多 after it */
  if (!over_word(c, a->num.end))
    /* uncovered: sq_qnumeral already refuses a leading 百 or 千 alone ("百人") */
    return 0;
  a->num.flags &= ~SQ_N_NEEDOVER;
  a->over = 1;
  a->flags = a->num.flags;
  return count_tail(c, pos, a, a->num.end + 3, 0);
}

int sq_qcount(sq_ctx *c, size_t pos, sq_qatom *a) {
  const sq_num *n = &a->num;
  size_t q = n->end;
  if (n->flags & SQ_N_OVER) a->over = 1;
  if (!a->over &&
      ((n->flags & SQ_N_ENDUNIT) ||
       (!(n->flags & SQ_N_CHINESE) && !(n->flags & SQ_N_DECIMAL))) &&
      over_word(c, q)) {
    a->over = 1;
    q += 3;
  }
  return count_tail(c, pos, a, q, 0);
}
