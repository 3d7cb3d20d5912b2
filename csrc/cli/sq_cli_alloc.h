/*
 * sq_cli_alloc.h -- the launcher's allocator (sq_cli_alloc.c): a lua_Alloc
 * for the command's own lua_State that hands out small blocks from one
 * region, fast, and leaves the rest to malloc.
 */
#ifndef SQ_CLI_ALLOC_H
#define SQ_CLI_ALLOC_H

#include <stddef.h>

/* Blocks of up to SQ_CLI_SMALL bytes come from the region, in classes of
   SQ_CLI_GRAIN bytes (a multiple of the alignment malloc gives). */
#define SQ_CLI_GRAIN 16
#define SQ_CLI_SMALL 1024
#define SQ_CLI_NCLASS (SQ_CLI_SMALL / SQ_CLI_GRAIN)

/* The region's size: what memory can hold beyond what malloc alone would
   (blocks freed in the region are reused for blocks of their class only). */
#ifndef SQ_CLI_REGION
#define SQ_CLI_REGION ((size_t)1 << 20)
#endif

typedef struct sq_cli_heap {
  char *base;                         /* the region (empty: malloc only) */
  char *top;                          /* its first byte never handed out */
  char *end;                          /* its end */
  void *free[SQ_CLI_NCLASS + 1];      /* freed blocks by class, as lists */
} sq_cli_heap;

/* Makes h's region (when malloc cannot, an empty one: malloc for all). */
void sq_cli_heap_init(sq_cli_heap *h);

/* The lua_Alloc (ud: a sq_cli_heap).  A block it did not hand out (one
   from realloc before lua_setallocf) is malloc's, and is given to it. */
void *sq_cli_alloc(void *ud, void *ptr, size_t osize, size_t nsize);

/* The same, but freeing gives nothing back (for lua_close at exit: the
   process ends anyway). */
void *sq_cli_alloc_keep(void *ud, void *ptr, size_t osize, size_t nsize);

#endif
