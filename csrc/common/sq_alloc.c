/*
 * sq_alloc.c -- arenas over the caller's lua_Alloc-style allocator.  A
 * dataset lives in one arena and is freed at once; the loader's temporary
 * data lives in another, freed when the load ends (or fails).
 */
#include <stdlib.h>
#include <string.h>

#include "sq_alloc.h"

/* Alignment good for any type we store. */
typedef union sq_align {
  long long i;
  double d;
  long double ld;
  void *p;
  void (*f)(void);
} sq_align;

#define SQ_ALIGN (sizeof(sq_align))
#define SQ_ROUND(n) (((n) + SQ_ALIGN - 1) / SQ_ALIGN * SQ_ALIGN)
#ifndef SQ_ARENA_BLOCK
#define SQ_ARENA_BLOCK (64 << 10) /* usual block size (tests build smaller ones) */
#endif
#define SQ_BLOCK ((size_t)SQ_ARENA_BLOCK)

struct sq_block {
  sq_block *next;
  size_t size; /* bytes allocated for the block, header included */
};

#define SQ_HEAD SQ_ROUND(sizeof(sq_block))

/* Under AddressSanitizer (make asan, ctest, fuzz) the free space of each
   block is poisoned and every allocation is followed by a poisoned red zone,
   so that reading or writing past what was asked for is reported even
   inside a block (ASan sees only the blocks otherwise). */
#if defined(__SANITIZE_ADDRESS__)
#define SQ_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SQ_ASAN 1
#endif
#endif
#ifdef SQ_ASAN
#include <sanitizer/asan_interface.h>
#define SQ_REDZONE (2 * SQ_ALIGN)
#define SQ_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define SQ_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define SQ_REDZONE 0
#define SQ_POISON(p, n) ((void)(p), (void)(n))
#define SQ_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

void *sq_default_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  (void)ud;
  (void)osize;
  if (nsize == 0) {
    free(ptr);
    return NULL;
  }
  return realloc(ptr, nsize);
}

void sq_arena_init(sq_arena *a, siqun_alloc alloc, void *ud) {
  a->alloc = alloc ? alloc : sq_default_alloc;
  a->ud = ud;
  a->blocks = NULL;
  a->next = NULL;
  a->left = 0;
}

/* A block of its own for n bytes (asked of them in use), placed behind the
   newest one so that the newest block's free space stays in use. */
static void *own_block(sq_arena *a, size_t n, size_t asked) {
  size_t size = SQ_HEAD + n;
  sq_block *b = (sq_block *)a->alloc(a->ud, NULL, 0, size);
  if (b == NULL) return NULL;
  b->size = size;
  if (a->blocks) {
    b->next = a->blocks->next;
    a->blocks->next = b;
  } else {
    b->next = NULL;
    a->blocks = b;
  }
  SQ_POISON((char *)b + SQ_HEAD + asked, n - asked);
  return (char *)b + SQ_HEAD;
}

void *sq_arena_alloc_own(sq_arena *a, size_t n) {
  size_t asked;
  if (n == 0) n = 1;
  if (n > ((size_t)-1) / 2) return NULL;
  asked = n;
  return own_block(a, SQ_ROUND(n) + SQ_REDZONE, asked);
}

void *sq_arena_alloc(sq_arena *a, size_t n) {
  sq_block *b;
  size_t size, asked;
  char *p;
  if (n == 0) n = 1;
  if (n > ((size_t)-1) / 2) return NULL;
  asked = n;
  n = SQ_ROUND(n) + SQ_REDZONE;
  if (n <= a->left) {
    p = a->next;
    a->next += n;
    a->left -= n;
    SQ_UNPOISON(p, asked);
    return p;
  }
  if (n > SQ_BLOCK / 4) return own_block(a, n, asked);
  size = SQ_BLOCK;
  b = (sq_block *)a->alloc(a->ud, NULL, 0, size);
  if (b == NULL) return NULL;
  b->size = size;
  b->next = a->blocks;
  a->blocks = b;
  p = (char *)b + SQ_HEAD;
  a->next = p + n;
  a->left = size - SQ_HEAD - n;
  SQ_POISON(p + asked, size - SQ_HEAD - asked);
  return p;
}

void sq_arena_release(sq_arena *a) {
  sq_block *b = a->blocks;
  while (b) {
    sq_block *next = b->next;
    SQ_UNPOISON(b, b->size);
    a->alloc(a->ud, b, b->size, 0);
    b = next;
  }
  a->blocks = NULL;
  a->next = NULL;
  a->left = 0;
}
