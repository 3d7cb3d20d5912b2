/*
 * sq_cli_alloc.c -- the launcher's allocator.  A short command makes a few
 * thousand small blocks (the layer's bytecode loaded: strings, prototypes,
 * tables) and frees few of them; glibc's malloc spends about 150
 * instructions on each of those, carving a fresh heap.  Here a small block
 * (up to SQ_CLI_SMALL bytes, rounded up to a class of SQ_CLI_GRAIN bytes)
 * is the head of its class's list of freed blocks, else the next bytes of
 * one region made at start: a few instructions.  Freed, it goes on its
 * class's list, for the next block of that class; a block that grows or
 * shrinks within its class stays where it is, and so does the region's
 * last block, which grows into the space after it.  Larger blocks, and
 * every block once the region is used up, are malloc's (as are the few
 * blocks Lua made before the allocator was set); a block is known to be
 * the region's by its address.  So memory never holds more than the
 * region (1 MiB) beyond what malloc alone would: a large dataset or a long
 * scan runs on malloc once the region is full, reusing what it frees.
 *
 * Blocks are aligned as malloc aligns them (the region is malloc's, and
 * classes are multiples of 16 bytes).  The lists are kept in the blocks
 * themselves (the first word of a freed block).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sq_cli_alloc.h"

/* The class of a block of n bytes (1 <= n <= SQ_CLI_SMALL) and its size. */
#define CLASS(n) (((n) + SQ_CLI_GRAIN - 1) / SQ_CLI_GRAIN)
#define CLASS_SIZE(c) ((size_t)(c) * SQ_CLI_GRAIN)

void sq_cli_heap_init(sq_cli_heap *h) {
  memset(h, 0, sizeof *h);
  h->base = (char *)malloc(SQ_CLI_REGION);
  if (h->base == NULL) { /* malloc only: an empty region (in h itself) */
    h->base = h->top = h->end = (char *)h;
    return;
  }
  h->top = h->base;
  h->end = h->base + SQ_CLI_REGION;
}

/* True when p is a block of the region. */
static int in_region(const sq_cli_heap *h, const void *p) {
  return (uintptr_t)p - (uintptr_t)h->base < (uintptr_t)(h->top - h->base);
}

/* A new block of n bytes (n >= 1): from the lists or the region when
   small and room is left, else malloc's. */
static void *get(sq_cli_heap *h, size_t n) {
  if (n <= SQ_CLI_SMALL) {
    size_t c = CLASS(n);
    void *p = h->free[c];
    if (p != NULL) {
      h->free[c] = *(void **)p;
      return p;
    }
    if ((size_t)(h->end - h->top) >= CLASS_SIZE(c)) {
      p = h->top;
      h->top += CLASS_SIZE(c);
      return p;
    }
  }
  return malloc(n);
}

/* Puts p, a block of the region of osize bytes, on its class's list (a
   size no block of the region has, which only a caller breaking the
   lua_Alloc contract passes, loses the block rather than a list). */
static void put(sq_cli_heap *h, void *p, size_t osize) {
  size_t c = CLASS(osize);
  if (c > SQ_CLI_NCLASS) return;
  *(void **)p = h->free[c];
  h->free[c] = p;
}

/* p (a block of the region of osize bytes) resized to nsize (>= 1). */
static void *resize(sq_cli_heap *h, char *p, size_t osize, size_t nsize) {
  size_t oc = CLASS(osize);
  void *q;
  if (nsize <= SQ_CLI_SMALL) {
    size_t nc = CLASS(nsize);
    if (nc == oc) return p;
    if (p + CLASS_SIZE(oc) == h->top && (size_t)(h->end - p) >= CLASS_SIZE(nc)) {
      h->top = p + CLASS_SIZE(nc); /* the last block: grows or shrinks in place */
      return p;
    }
  }
  q = get(h, nsize);
  if (q == NULL) return NULL; /* (p stays as it was, as Lua expects) */
  memcpy(q, p, osize < nsize ? osize : nsize);
  put(h, p, osize);
  return q;
}

void *sq_cli_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  sq_cli_heap *h = (sq_cli_heap *)ud;
  if (ptr == NULL) return nsize != 0 ? get(h, nsize) : NULL;
  if (!in_region(h, ptr)) { /* malloc's */
    if (nsize != 0) return realloc(ptr, nsize);
    free(ptr);
    return NULL;
  }
  if (nsize != 0) return resize(h, (char *)ptr, osize, nsize);
  put(h, ptr, osize);
  return NULL;
}

void *sq_cli_alloc_keep(void *ud, void *ptr, size_t osize, size_t nsize) {
  return nsize != 0 ? sq_cli_alloc(ud, ptr, osize, nsize) : NULL;
}
