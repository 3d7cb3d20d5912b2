/*
 * lua_oom_test.c -- out of memory through the Lua binding: the n-th
 * allocation of core.open(dir), ds:attach(text), t[i], tostring(r),
 * r:totable() fails (once, and from then on) for n = 1, 2, ... until the
 * call succeeds; each failure must raise exactly "not enough memory" and
 * leave nothing behind once the state is closed.  The allocator is armed
 * and disarmed inside one C call (a Lua-level switch would allocate).
 *
 * `make ctest` builds it with the C core, the binding (csrc/lua) and the
 * embedded dataset and Lua layer under ASan + UBSan, and runs it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

int luaopen_siqun_core(lua_State *L);

static int failures = 0;

typedef struct counting {
  long calls, fail_at;
  int persistent;
  long long live;
} counting;

static void *count_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  counting *c = (counting *)ud;
  void *p;
  if (nsize == 0) {
    if (ptr) c->live -= (long long)osize;
    free(ptr);
    return NULL;
  }
  c->calls++;
  if (c->fail_at > 0 && (c->calls == c->fail_at || (c->persistent && c->calls > c->fail_at)))
    return NULL;
  p = realloc(ptr, nsize);
  if (p) c->live += (long long)nsize - (ptr ? (long long)osize : 0);
  return p;
}

/* Runs the chunk (a function of no argument in the global 'f'), with the
   allocator failing from n on; returns 1 on success. */
static int run(lua_State *L, counting *c, long n, int persistent, const char *what) {
  int rc;
  lua_getglobal(L, "f");
  c->fail_at = c->calls + n;
  c->persistent = persistent;
  rc = lua_pcall(L, 0, 0, 0);
  c->fail_at = 0;
  if (rc == LUA_OK) return 1;
  if (rc != LUA_ERRMEM &&
      !(lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "not enough memory") == 0)) {
    failures++;
    fprintf(stderr, "%s, n=%ld: %s\n", what, n, lua_tostring(L, -1));
  }
  lua_pop(L, 1);
  return 0;
}

static lua_State *prepare(counting *c, const char *what, const char *setup, const char *body) {
  lua_State *L = lua_newstate(count_alloc, c);
  luaL_openlibs(L);
  luaL_requiref(L, "siqun.core", luaopen_siqun_core, 0);
  lua_setglobal(L, "core");
  if (luaL_dostring(L, setup) != LUA_OK || luaL_loadstring(L, body) != LUA_OK) {
    fprintf(stderr, "%s: %s\n", what, lua_tostring(L, -1));
    exit(2);
  }
  lua_setglobal(L, "f");
  return L;
}

/* Persistent: fail from the n-th allocation on, n = 1, 2, ... until the
   call succeeds.  Transient: fail only the n-th, for every allocation the
   call makes (Lua retries its own after a collection; ours must report). */
static void scenario(const char *what, const char *setup, const char *body, int persistent) {
  counting c = { 0, 0, 0, 0 };
  long n, total = 100000, oom = 0;
  if (!persistent) {
    lua_State *L = prepare(&c, what, setup, body);
    long before = c.calls;
    lua_getglobal(L, "f");
    if (lua_pcall(L, 0, 0, 0) != LUA_OK) {
      fprintf(stderr, "%s: %s\n", what, lua_tostring(L, -1));
      exit(2);
    }
    total = c.calls - before;
    lua_close(L);
    c.live = 0;
  }
  for (n = 1; n <= total; n++) {
    lua_State *L = prepare(&c, what, setup, body);
    int ok = run(L, &c, n, persistent, what);
    lua_close(L);
    if (c.live != 0) {
      failures++;
      fprintf(stderr, "%s, n=%ld: %lld bytes left\n", what, n, c.live);
    }
    c.live = 0;
    if (!ok) oom++;
    if (ok && persistent) {
      printf("%s (persistent): succeeded once %ld allocations could be made\n", what, n - 1);
      return;
    }
  }
  if (persistent) {
    failures++;
    fprintf(stderr, "%s: never succeeded\n", what);
  } else {
    printf("%s (transient): %ld allocations, %ld failures reported\n", what, total, oom);
  }
}

int main(void) {
  static const char *const setup =
    "local f = assert(io.open('spec/fixtures/source.txt', 'rb'))\n"
    "SOURCE = f:read('a') f:close()\n"
    "DS = assert(core.open('spec/fixtures/valid'))\n";
  int p;
  for (p = 0; p <= 1; p++) {
    /* out of memory raises: a returned nil, message would fail the check
       on the message ("returned: ...") */
    scenario("core.open(dir)", "",
             "local ds, e = core.open('spec/fixtures/valid')\n"
             "if not ds then error('returned: ' .. e, 0) end", p);
    scenario("core.open()", "",
             "local ds, e = core.open() if not ds then error('returned: ' .. e, 0) end", p);
    scenario("ds:attach", setup,
             "local ok, e = DS:attach(SOURCE) if not ok then error('returned: ' .. e, 0) end\n"
             "assert(DS:table('figures')[1]:source())", p);
    scenario("records", setup,
             "local t = DS:table('members') for i = 1, #t do local r = t[i]\n"
             "  assert(tostring(r)) assert(r:totable()) for k, v in pairs(r) do end\n"
             "  for _, f in ipairs(t:fields()) do assert(r[f.name] == r:totable()[f.name]) end\n"
             "end\n"
             "assert(DS:table('figures'):fields()) assert(DS:tables())", p);
  }
  if (failures) {
    fprintf(stderr, "%d failure(s)\n", failures);
    return 1;
  }
  printf("all checks passed\n");
  return 0;
}
