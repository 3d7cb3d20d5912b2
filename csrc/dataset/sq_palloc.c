/*
 * sq_palloc.c -- the loader's allocation: in the dataset's arena or the
 * scratch one, raising "not enough memory" through the loader (so no
 * caller checks for NULL).
 */
#include <string.h>

#include "sq_palloc.h"
#include "sq_types.h"

void *sq_palloc(sq_loader *ld, size_t n) {
  void *p = sq_arena_alloc(&ld->ds->arena, n);
  if (p == NULL) sq_raise_oom(ld);
  return p;
}

void *sq_salloc(sq_loader *ld, size_t n) {
  void *p = sq_arena_alloc(&ld->scratch, n);
  if (p == NULL) sq_raise_oom(ld);
  return p;
}

void *sq_parray(sq_loader *ld, size_t n, size_t size) {
  if (size && n > ((size_t)-1) / 2 / size) sq_raise_oom(ld);
  return sq_palloc(ld, n * size);
}

void *sq_sarray(sq_loader *ld, size_t n, size_t size) {
  if (size && n > ((size_t)-1) / 2 / size) sq_raise_oom(ld);
  return sq_salloc(ld, n * size);
}

char *sq_pstrdup(sq_loader *ld, const char *s, size_t len) {
  char *p = (char *)sq_palloc(ld, len + 1);
  if (len) memcpy(p, s, len);
  p[len] = '\0';
  return p;
}
