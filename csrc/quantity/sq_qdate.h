/*
 * sq_qdate.h -- dates (sq_qdate.c): the forms tried by
 * sq_qatom.c, and what the fast path and ranges need of dates.
 */
#ifndef SQ_QDATE_H
#define SQ_QDATE_H

#include "sq_qatom.h"

/* 2012-07-01 after a four-digit year.  After a numeral. */
int sq_qdate_iso(sq_ctx *c, size_t pos, sq_qatom *a);
/* 2011年, 11年12月, 二〇一一年初, 7月1日, 5月底, 18日.  After a numeral. */
int sq_qdate_ymd(sq_ctx *c, size_t pos, sq_qatom *a);
/* 2012/7/1: the year in a->num, the first slash at q, the month in *m. */
int sq_qdate_slash(sq_ctx *c, size_t pos, sq_qatom *a, size_t q, const sq_num *m);
/* A four-digit Arabic number or a Chinese digit-by-digit one: a year. */
int sq_qdate_year_like(const sq_num *n);
/* Days in month of year (year 0: any year, 29 in February). */
int sq_qdate_days_in(int year, int month);
/* Orders two dates: -1, 0, 1. */
int sq_qdate_cmp(siqun_date x, siqun_date y);

#endif
