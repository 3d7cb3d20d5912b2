/*
 * cli_alloc_test.c -- the launcher's allocator (csrc/cli/sq_cli_alloc.c),
 * run by `make ctest` under ASan + UBSan: blocks keep their bytes through
 * every resize, never overlap, are aligned as malloc aligns; a freed block
 * is reused for the next block of its class; a block resized within its
 * class, or the region's last one, stays where it is; once the region is
 * used up malloc takes over; and a Lua state on it that makes and drops
 * garbage for a long time reuses what it frees instead of growing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "sq_cli_alloc.h"

static int failures;

#define CHECK(cond)                                                        \
  do {                                                                     \
    if (!(cond)) {                                                         \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      failures++;                                                          \
    }                                                                      \
  } while (0)

static int in_region(const sq_cli_heap *h, const void *p) {
  return (const char *)p >= h->base && (const char *)p < h->end;
}

/* Fills n bytes of p with a pattern of seed; checks it. */
static void fill(void *p, size_t n, unsigned seed) {
  size_t i;
  for (i = 0; i < n; i++) ((unsigned char *)p)[i] = (unsigned char)(seed * 31u + i);
}
static int intact(const void *p, size_t n, unsigned seed) {
  size_t i;
  for (i = 0; i < n; i++)
    if (((const unsigned char *)p)[i] != (unsigned char)(seed * 31u + i)) return 0;
  return 1;
}

static void *al(sq_cli_heap *h, void *p, size_t o, size_t n) {
  return sq_cli_alloc(h, p, o, n);
}

static void test_classes(void) {
  sq_cli_heap h;
  size_t n;
  sq_cli_heap_init(&h);
  CHECK(h.base != NULL);
  for (n = 1; n <= SQ_CLI_SMALL + 64; n++) {
    void *p = al(&h, NULL, 0, n), *q;
    CHECK(p != NULL && (uintptr_t)p % 16 == 0);
    CHECK(in_region(&h, p) == (n <= SQ_CLI_SMALL));
    fill(p, n, (unsigned)n);
    al(&h, p, n, 0);
    q = al(&h, NULL, 0, n); /* the freed block, again */
    CHECK(n > SQ_CLI_SMALL || q == p);
    fill(q, n, (unsigned)n);
    al(&h, q, n, 0);
  }
  free(h.base);
}

static void test_resize(void) {
  sq_cli_heap h;
  char *a, *b, *c;
  sq_cli_heap_init(&h);
  a = (char *)al(&h, NULL, 0, 20);
  b = (char *)al(&h, NULL, 0, 20);
  fill(a, 20, 1);
  fill(b, 20, 2);
  CHECK(al(&h, a, 20, 32) == a);              /* the same class: in place */
  CHECK(intact(a, 20, 1));
  c = (char *)al(&h, b, 20, 200);             /* the last block grows in place */
  CHECK(c == b && intact(c, 20, 2));
  c = (char *)al(&h, a, 32, 100);             /* moves, keeping its bytes */
  CHECK(c != a && in_region(&h, c) && intact(c, 20, 1));
  CHECK(al(&h, NULL, 0, 30) == a);            /* a's old block, reused */
  c = (char *)al(&h, c, 100, 5000);           /* to malloc, keeping its bytes */
  CHECK(!in_region(&h, c) && intact(c, 20, 1));
  c = (char *)al(&h, c, 5000, 9000);          /* malloc's realloc */
  CHECK(intact(c, 20, 1));
  al(&h, c, 9000, 0);
  b = (char *)al(&h, b, 200, 16);             /* the last block shrinks in place */
  CHECK(b != NULL && intact(b, 16, 2));
  al(&h, b, 16, 0);
  /* a block malloc made (before the allocator was set) is given back to it */
  c = (char *)malloc(40);
  fill(c, 40, 3);
  c = (char *)al(&h, c, 40, 80);
  CHECK(c != NULL && !in_region(&h, c) && intact(c, 40, 3));
  al(&h, c, 80, 0);
  /* sq_cli_alloc_keep frees nothing */
  c = (char *)al(&h, NULL, 0, 48);
  CHECK(sq_cli_alloc_keep(&h, c, 48, 0) == NULL);
  CHECK(al(&h, NULL, 0, 48) != c);
  free(h.base);
}

/* A heap whose region could not be made (sq_cli_heap_init when malloc
   fails leaves it empty) hands every block to malloc. */
static void test_no_region(void) {
  sq_cli_heap h;
  char *p;
  memset(&h, 0, sizeof h);
  h.base = h.top = h.end = (char *)&h;
  p = (char *)al(&h, NULL, 0, 24);
  CHECK(p != NULL);
  if (p == NULL) return;
  CHECK(!in_region(&h, p));
  fill(p, 24, 5);
  p = (char *)al(&h, p, 24, 40);
  CHECK(p != NULL);
  if (p == NULL) return;
  CHECK(intact(p, 24, 5));
  al(&h, p, 40, 0);
}

/* Random work on up to 512 live blocks, each checked when resized or
   freed: nothing overlaps, no byte is lost; past the region, malloc. */
static void test_random(void) {
  enum { SLOTS = 512, STEPS = 400000 };
  static void *ptr[SLOTS];
  static size_t size[SLOTS];
  static unsigned seed[SLOTS];
  sq_cli_heap h;
  unsigned long x = 88172645463325252UL;
  size_t outside = 0;
  int step, i;
  sq_cli_heap_init(&h);
  for (step = 0; step < STEPS; step++) {
    size_t n;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    i = (int)(x % SLOTS);
    n = (x >> 16) % 7 == 0 ? (size_t)((x >> 24) % 4000) + 1 : (size_t)((x >> 24) % 300) + 1;
    if (ptr[i] == NULL) {
      ptr[i] = al(&h, NULL, 0, n);
      CHECK(ptr[i] != NULL);
      size[i] = n;
      seed[i] = (unsigned)step;
      fill(ptr[i], n, seed[i]);
    } else if ((x >> 40) % 3 == 0) {
      CHECK(intact(ptr[i], size[i], seed[i]));
      al(&h, ptr[i], size[i], 0);
      ptr[i] = NULL;
    } else {
      void *q;
      CHECK(intact(ptr[i], size[i], seed[i]));
      q = al(&h, ptr[i], size[i], n);
      CHECK(q != NULL);
      CHECK(intact(q, size[i] < n ? size[i] : n, seed[i]));
      ptr[i] = q;
      size[i] = n;
      seed[i] = (unsigned)step;
      fill(q, n, seed[i]);
    }
    if (ptr[i] != NULL && !in_region(&h, ptr[i])) outside++;
  }
  for (i = 0; i < SLOTS; i++)
    if (ptr[i] != NULL) {
      CHECK(intact(ptr[i], size[i], seed[i]));
      al(&h, ptr[i], size[i], 0);
    }
  /* the live set (512 blocks of 150 bytes on average) fits in the region
     many times over: what was freed was used again */
  CHECK((size_t)(h.top - h.base) < SQ_CLI_REGION);
  CHECK(outside > 0); /* (the large blocks) */
  free(h.base);
}

/* Small blocks by the million, kept: the region fills, malloc follows. */
static void test_full(void) {
  sq_cli_heap h;
  void **keep;
  size_t i, n = 200000, outside = 0;
  sq_cli_heap_init(&h);
  keep = (void **)malloc(n * sizeof *keep);
  CHECK(keep != NULL);
  if (keep == NULL) return;
  for (i = 0; i < n; i++) {
    keep[i] = al(&h, NULL, 0, 24);
    CHECK(keep[i] != NULL);
    fill(keep[i], 24, (unsigned)i);
    if (!in_region(&h, keep[i])) outside++;
  }
  CHECK(h.top <= h.end && (size_t)(h.end - h.top) < 32);
  CHECK(outside == n - SQ_CLI_REGION / 32);
  for (i = 0; i < n; i++) {
    CHECK(intact(keep[i], 24, (unsigned)i));
    al(&h, keep[i], 24, 0);
  }
  free(keep);
  free(h.base);
}

/* A Lua state on the allocator: a long loop making garbage (tables,
   strings, closures) reuses the blocks the collector frees; then a live
   set larger than the region goes on in malloc's blocks. */
static void test_lua(void) {
  static const char churn[] =
      "local keep = {}\n"
      "for i = 1, 300000 do\n"
      "  local t = { i, tostring(i), name = 'row' .. i, f = function() return i end }\n"
      "  if i % 1000 == 0 then keep[#keep + 1] = t end\n"
      "end\n"
      "return #keep\n";
  static const char big[] =
      "local s = {}\n"
      "for i = 1, 6000 do s[i] = ('x'):rep(i % 700) .. i end\n"
      "local n = 0\n"
      "for i = 1, 6000 do n = n + #s[i] end\n"
      "return n\n";
  sq_cli_heap h;
  lua_State *L;
  sq_cli_heap_init(&h);
  L = lua_newstate(sq_cli_alloc, &h);
  CHECK(L != NULL);
  if (L == NULL) return;
  luaL_openlibs(L);
  CHECK(luaL_loadstring(L, churn) == 0 && lua_pcall(L, 0, 1, 0) == 0);
  CHECK(lua_tointeger(L, -1) == 300);
  /* about 70 MB of blocks made in all, a few hundred KB live at a time */
  CHECK((size_t)(h.top - h.base) < SQ_CLI_REGION / 2);
  lua_pop(L, 1);
  CHECK(luaL_loadstring(L, big) == 0 && lua_pcall(L, 0, 1, 0) == 0);
  /* 2 MB of strings: beyond the region */
  CHECK(lua_tointeger(L, -1) == 2060293 && h.top + 1024 > h.end);
  lua_close(L);
  free(h.base);
}

int main(void) {
  test_classes();
  test_resize();
  test_no_region();
  test_random();
  test_full();
  test_lua();
  if (failures) {
    fprintf(stderr, "cli_alloc_test: %d failures\n", failures);
    return 1;
  }
  printf("cli_alloc_test: ok\n");
  return 0;
}
