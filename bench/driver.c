/*
 * driver.c -- the host of `make bench` (see bench/README.md).
 *
 *   driver SCRIPT.lua [ARG...]
 *
 * runs SCRIPT in a Lua 5.4 state with the standard libraries and a global
 * table `bench` of primitives a benchmark needs and Lua lacks:
 *
 *   bench.clock()            monotonic wall time in seconds (clock_gettime,
 *                            nanosecond resolution), a float
 *   bench.fresh(chunk, n)    runs the benchmark chunk n times, each in a new
 *                            lua_State (luaL_openlibs, our counting
 *                            allocator); returns the seconds spent in the
 *                            timed part summed over the n runs, and the
 *                            checksum string of the last run
 *   bench.mem(chunk)         in one new lua_State: the bytes held after
 *                            chunk.open() minus before (allocator total,
 *                            which includes what C code allocates through
 *                            lua_getallocf, and the Lua heap alone as
 *                            collectgarbage("count") sees it)
 *   bench.spawn(argv, n)     runs the command argv (a list, looked up in
 *                            PATH, stdout and stderr to /dev/null) n times
 *                            one after the other; returns the seconds from
 *                            the first posix_spawn to the last exit
 *   bench.allocated()        bytes the counting allocator of this state holds
 *
 * A benchmark chunk is a Lua file returning a table of three functions:
 *   setup()      loads what the approach needs (require ...)
 *   open()       makes the data (siqun.open(), cjson.decode(...)) and
 *                returns it
 *   read(data)   reads what is measured and returns a checksum string
 * bench.fresh times setup + open + read (not the state's creation, the
 * loading of the chunk file itself, nor lua_close); bench.mem measures
 * open() alone, with a full collection before and after, the data kept.
 */
#define _POSIX_C_SOURCE 200809L

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#if !defined(LUA_VERSION_NUM) || LUA_VERSION_NUM < 504
#error "bench/driver.c needs the Lua 5.4 headers"
#endif

extern char **environ;

/* ------------------------------------------------------------ allocator */

typedef struct counter {
  size_t cur; /* bytes currently allocated */
} counter;

static void *count_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  counter *c = (counter *)ud;
  if (ptr == NULL) osize = 0; /* osize is then a type tag, not a size */
  if (nsize == 0) {
    free(ptr);
    c->cur -= osize;
    return NULL;
  } else {
    void *p = realloc(ptr, nsize);
    if (p == NULL) return NULL;
    c->cur = c->cur - osize + nsize;
    return p;
  }
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---------------------------------------------------------- fresh states */

/* A new state with the standard libraries and our allocator, or NULL. */
static lua_State *new_state(counter *c) {
  lua_State *L;
  c->cur = 0;
  L = lua_newstate(count_alloc, c);
  if (L == NULL) return NULL;
  luaL_openlibs(L);
  return L;
}

/* Loads chunk file path in F and leaves its table on F's stack; on error
   copies the message to H's stack and returns 0. */
static int load_chunk(lua_State *H, lua_State *F, const char *path) {
  if (luaL_loadfile(F, path) != LUA_OK || lua_pcall(F, 0, 1, 0) != LUA_OK) {
    lua_pushfstring(H, "%s", lua_tostring(F, -1));
    return 0;
  }
  if (lua_type(F, -1) != LUA_TTABLE) {
    lua_pushfstring(H, "%s: the chunk must return a table {setup, open, read}", path);
    return 0;
  }
  return 1;
}

/* Calls field name of the table at index t of F with nargs arguments on top
   of the stack, leaving one result; on error copies the message to H. */
static int call_field(lua_State *H, lua_State *F, int t, const char *name, int nargs) {
  if (lua_getfield(F, t, name) != LUA_TFUNCTION) {
    lua_pushfstring(H, "benchmark chunk: '%s' is not a function", name);
    return 0;
  }
  lua_insert(F, -1 - nargs);
  if (lua_pcall(F, nargs, 1, 0) != LUA_OK) {
    lua_pushfstring(H, "benchmark chunk: %s: %s", name, lua_tostring(F, -1));
    return 0;
  }
  return 1;
}

/* The timed part of a run: setup(), open(), read(data) of the chunk's
   table at index t of F, leaving read's result on F's stack.  A function
   of its own (never inlined) so that `make bench-callgrind` counts the
   instructions inside it alone (bench/callgrind.sh, --toggle-collect). */
__attribute__((noinline)) static int run_timed(lua_State *H, lua_State *F, int t) {
  int ok = call_field(H, F, t, "setup", 0);
  if (ok) {
    lua_pop(F, 1);
    ok = call_field(H, F, t, "open", 0);
  }
  if (ok) ok = call_field(H, F, t, "read", 1);
  return ok;
}

/* bench.fresh(chunk, n) -> seconds, checksum */
static int b_fresh(lua_State *H) {
  const char *path = luaL_checkstring(H, 1);
  lua_Integer n = luaL_checkinteger(H, 2), i;
  double total = 0;
  counter c;
  luaL_argcheck(H, n >= 1, 2, "at least one run");
  lua_settop(H, 2);
  lua_pushliteral(H, ""); /* 3: the checksum of the last run */
  for (i = 0; i < n; i++) {
    lua_State *F = new_state(&c);
    double t0;
    int ok, t;
    if (F == NULL) return luaL_error(H, "cannot create a lua_State");
    ok = load_chunk(H, F, path);
    if (ok) {
      t = lua_gettop(F);
      t0 = now();
      ok = run_timed(H, F, t);
      total += now() - t0;
      if (ok && i == n - 1) {
        size_t len;
        const char *s = lua_tolstring(F, -1, &len);
        if (s) {
          lua_pushlstring(H, s, len);
          lua_replace(H, 3);
        }
      }
    }
    lua_close(F);
    if (!ok) return lua_error(H);
  }
  lua_pushnumber(H, total);
  lua_pushvalue(H, 3);
  return 2;
}

/* bench.mem(chunk) -> total bytes, Lua heap bytes (growth from open()) */
static int b_mem(lua_State *H) {
  const char *path = luaL_checkstring(H, 1);
  counter c;
  lua_State *F = new_state(&c);
  size_t m0 = 0, m1 = 0;
  long g0 = 0, g1 = 0;
  int t, ok;
  if (F == NULL) return luaL_error(H, "cannot create a lua_State");
  ok = load_chunk(H, F, path);
  if (ok) {
    t = lua_gettop(F);
    ok = call_field(H, F, t, "setup", 0);
    if (ok) {
      lua_pop(F, 1);
      lua_gc(F, LUA_GCCOLLECT);
      lua_gc(F, LUA_GCCOLLECT);
      m0 = c.cur;
      g0 = (long)lua_gc(F, LUA_GCCOUNT) * 1024 + lua_gc(F, LUA_GCCOUNTB);
      ok = call_field(H, F, t, "open", 0); /* the data stays on F's stack */
      if (ok) {
        lua_gc(F, LUA_GCCOLLECT);
        lua_gc(F, LUA_GCCOLLECT);
        m1 = c.cur;
        g1 = (long)lua_gc(F, LUA_GCCOUNT) * 1024 + lua_gc(F, LUA_GCCOUNTB);
        lua_pushinteger(H, (lua_Integer)m1 - (lua_Integer)m0);
        lua_pushinteger(H, (lua_Integer)g1 - (lua_Integer)g0);
      }
    }
  }
  lua_close(F);
  if (!ok) return lua_error(H);
  return 2;
}

/* -------------------------------------------------------------- spawn */

/* bench.spawn(argv, n) -> seconds */
static int b_spawn(lua_State *H) {
  char *argv[64];
  lua_Integer n, i, argc;
  posix_spawn_file_actions_t fa;
  double t0, t;
  luaL_checktype(H, 1, LUA_TTABLE);
  n = luaL_checkinteger(H, 2);
  argc = (lua_Integer)lua_rawlen(H, 1);
  luaL_argcheck(H, argc >= 1 && argc < 64, 1, "1 to 63 arguments");
  luaL_argcheck(H, n >= 1, 2, "at least one run");
  for (i = 0; i < argc; i++) {
    lua_rawgeti(H, 1, i + 1);
    argv[i] = (char *)luaL_checkstring(H, -1); /* kept alive by the table */
    lua_pop(H, 1);
  }
  argv[argc] = NULL;
  if (posix_spawn_file_actions_init(&fa) != 0 ||
      posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0) != 0 ||
      posix_spawn_file_actions_adddup2(&fa, 1, 2) != 0)
    return luaL_error(H, "posix_spawn_file_actions failed");
  t0 = now();
  for (i = 0; i < n; i++) {
    pid_t pid;
    int status, rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    if (rc != 0) {
      posix_spawn_file_actions_destroy(&fa);
      return luaL_error(H, "cannot run %s: %s", argv[0], strerror(rc));
    }
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      posix_spawn_file_actions_destroy(&fa);
      return luaL_error(H, "%s failed (status %d)", argv[0], status);
    }
  }
  t = now() - t0;
  posix_spawn_file_actions_destroy(&fa);
  lua_pushnumber(H, t);
  return 1;
}

/* --------------------------------------------------------------- misc */

static int b_clock(lua_State *H) {
  lua_pushnumber(H, now());
  return 1;
}

static int b_allocated(lua_State *H) {
  void *ud;
  lua_getallocf(H, &ud);
  lua_pushinteger(H, (lua_Integer)((counter *)ud)->cur);
  return 1;
}

static int traceback(lua_State *L) {
  luaL_traceback(L, L, lua_tostring(L, 1), 1);
  return 1;
}

int main(int argc, char **argv) {
  static const luaL_Reg fns[] = {
    {"clock", b_clock}, {"fresh", b_fresh}, {"mem", b_mem},
    {"spawn", b_spawn}, {"allocated", b_allocated}, {NULL, NULL}
  };
  counter c;
  lua_State *L;
  int i, rc;
  if (argc < 2) {
    fprintf(stderr, "usage: %s SCRIPT.lua [ARG...]\n", argv[0]);
    return 2;
  }
  L = new_state(&c);
  if (L == NULL) {
    fprintf(stderr, "%s: cannot create a lua_State\n", argv[0]);
    return 1;
  }
  luaL_newlib(L, fns);
  lua_setglobal(L, "bench");
  lua_createtable(L, argc, 0); /* arg, as lua5.4 makes it */
  for (i = 0; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - 1);
  }
  lua_setglobal(L, "arg");
  lua_pushcfunction(L, traceback);
  rc = luaL_loadfile(L, argv[1]);
  if (rc == LUA_OK) {
    for (i = 2; i < argc; i++) lua_pushstring(L, argv[i]);
    rc = lua_pcall(L, argc - 2, 0, 1);
  }
  if (rc != LUA_OK) fprintf(stderr, "%s: %s\n", argv[0], lua_tostring(L, -1));
  lua_close(L);
  return rc == LUA_OK ? 0 : 1;
}
