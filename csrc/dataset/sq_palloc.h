/*
 * sq_palloc.h -- allocation for the loader (sq_palloc.c): in the dataset's
 * arena (p, kept) or the scratch one (s, freed when the load ends); each
 * raises "not enough memory" through the loader instead of returning NULL.
 */
#ifndef SQ_PALLOC_H
#define SQ_PALLOC_H

#include <stddef.h>

#include "sq_error.h"

/* n bytes in the dataset's arena. */
void *sq_palloc(sq_loader *ld, size_t n);
/* n bytes in the scratch arena. */
void *sq_salloc(sq_loader *ld, size_t n);
/* n elements of size bytes in the dataset's arena (n * size checked). */
void *sq_parray(sq_loader *ld, size_t n, size_t size);
/* n elements of size bytes in the scratch arena (n * size checked). */
void *sq_sarray(sq_loader *ld, size_t n, size_t size);
/* NUL-terminated copy of (s, len) in the dataset's arena. */
char *sq_pstrdup(sq_loader *ld, const char *s, size_t len);

#endif
