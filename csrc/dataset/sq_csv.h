/*
 * sq_csv.h -- the RFC 4180 reader (sq_csv.c) over a memory buffer; it
 * allocates nothing: fields point into the input.
 */
#ifndef SQ_CSV_H
#define SQ_CSV_H

#include <stddef.h>

typedef struct sq_csv_field {
  const char *p;  /* raw bytes: quotes removed, doubled quotes still doubled */
  size_t len;
  int escaped;    /* contains doubled quotes */
} sq_csv_field;

typedef struct sq_csv {
  const char *s;
  size_t len, pos;
  size_t line;      /* physical line (1-based) where the next record starts */
  size_t rec_line;  /* line of the record last returned */
  size_t err_line;  /* line of the error */
  char msg[80];     /* why the last call failed */
} sq_csv;

/* Starts reading (s, len); skips a UTF-8 BOM. */
void sq_csv_init(sq_csv *r, const char *s, size_t len);
/* Reads one record into f[0..*nf): 1, 0 at the end of input, -1 on error
   (r->msg, r->err_line). */
int sq_csv_next(sq_csv *r, sq_csv_field *f, size_t maxf, size_t *nf);
/* Copies the field's text with doubled quotes undone into dst (room for
   f->len bytes); returns the length written. */
size_t sq_csv_unescape(const sq_csv_field *f, char *dst);

#endif
