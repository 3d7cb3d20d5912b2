/*
 * sq_alloc.h -- arenas (sq_alloc.c): bump allocation over the caller's
 * lua_Alloc-style function, freed all at once.
 */
#ifndef SQ_ALLOC_H
#define SQ_ALLOC_H

#include <stddef.h>

#include "siqun.h"

typedef struct sq_block sq_block;

/* Bump allocator over a lua_Alloc-style function; freed all at once. */
typedef struct sq_arena {
  siqun_alloc alloc;
  void *ud;
  sq_block *blocks; /* newest first */
  char *next;       /* free space of the newest block */
  size_t left;
} sq_arena;

/* The allocator used when the caller passes NULL (realloc/free). */
void *sq_default_alloc(void *ud, void *ptr, size_t osize, size_t nsize);
/* Makes a an empty arena over alloc (sq_default_alloc when NULL). */
void sq_arena_init(sq_arena *a, siqun_alloc alloc, void *ud);
/* n bytes aligned for any type, or NULL when out of memory. */
void *sq_arena_alloc(sq_arena *a, size_t n);
/* n bytes in a block of their own, exactly that size (a small allocation
   that must not take a whole block), or NULL when out of memory. */
void *sq_arena_alloc_own(sq_arena *a, size_t n);
/* Frees every block; the arena is empty (and reusable) afterwards. */
void sq_arena_release(sq_arena *a);

#endif
