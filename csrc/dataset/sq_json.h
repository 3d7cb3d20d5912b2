/*
 * sq_json.h -- the strict JSON reader of the descriptor (sq_json.c); the
 * tree lives in the loader's scratch arena.
 */
#ifndef SQ_JSON_H
#define SQ_JSON_H

#include <stddef.h>

#include "sq_error.h"

typedef enum sq_jtype {
  SQ_J_NULL, SQ_J_FALSE, SQ_J_TRUE, SQ_J_NUMBER, SQ_J_STRING, SQ_J_ARRAY,
  SQ_J_OBJECT
} sq_jtype;

typedef struct sq_json {
  sq_jtype type;
  size_t line;            /* line of the value in its file */
  const char *s;          /* STRING: unescaped, NUL-terminated; NUMBER: literal */
  size_t len;
  double num;             /* NUMBER */
  const char *key;        /* as a member of an object: its key (NUL-terminated) */
  size_t keylen;
  struct sq_json *child;  /* ARRAY, OBJECT: first element */
  struct sq_json *next;   /* next element of the parent */
  size_t n;               /* ARRAY, OBJECT: number of elements */
} sq_json;

/* Parses (s, len) from file name into the scratch arena; raises on error. */
const sq_json *sq_json_parse(sq_loader *ld, const char *name, const char *s,
                             size_t len);
/* The member key of object o, or NULL. */
const sq_json *sq_json_get(const sq_json *o, const char *key);
/* Nonzero when v is a JSON integer literal (no fraction, no exponent) that
   fits in a long long; then *out is its value. */
int sq_json_int(const sq_json *v, long long *out);
/* Name of a JSON type for messages ("a string", "an object", ...). */
const char *sq_json_typename(const sq_json *v);

#endif
