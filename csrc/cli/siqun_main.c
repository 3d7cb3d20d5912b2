/*
 * siqun_main.c -- the installed `siqun` command: a small program that
 * starts Lua and runs require("siqun.cli").main(arg), the commands
 * themselves being Lua (lua/siqun/cli/).  `make install` and LuaRocks
 * install it as PREFIX/bin/siqun (bin/siqun is the same for a checkout).
 *
 * It needs nothing from the environment: siqun's C core and its Lua layer
 * (bytecode, csrc/tools/sq_dump_lua.lua) are linked in, and so are Lua and
 * LPeg when static libraries of them exist (`make` chooses; see the
 * Makefile, "The command").  package.path and package.cpath are the
 * defaults (LUA_PATH_5_x and friends still apply) with PREFIX/share/lua/V
 * and PREFIX/lib/lua/V put first, PREFIX being the parent of the directory
 * of the real executable (/proc/self/exe, symbolic links resolved; else
 * argv[0], searched in PATH when it has no '/'): a LuaRocks tree or
 * `make install` prefix then gives LPeg and the user's modules.
 *
 * Signals (SIGINT, SIGTERM, SIGHUP) are handled as lua.c handles SIGINT:
 * the handler only sets a hook (lua_sethook may be called from a signal
 * handler) that raises the error "interrupted" at the next Lua
 * instruction of the main thread (as in lua.c, a coroutine running then
 * sees it once it yields or ends), so the command unwinds and its cleanup
 * runs (a file being written is removed).  The handlers are installed
 * without SA_RESTART, so a blocking read (scan - on a pipe) fails with
 * EINTR at once, and with SA_RESETHAND, so a second signal kills at once
 * (LuaJIT runs no hook in compiled code).  Once the state is closed, the first signal caught is
 * raised again with its default action: the parent sees death by that
 * signal, as if no handler had been there.
 *
 * A short command is mostly start-up, so the launcher keeps it lean: small
 * blocks come from its own allocator (sq_cli_alloc.c), the collector
 * waits longer while siqun loads (SQ_CLI_START_PAUSE), and at exit the
 * state is closed only when main asks for it (close_state).
 *
 * Exit status: what main returns (0, 1, 2: see siqun.cli), 1 when the
 * command raises or standard output cannot be written.
 */
#define _XOPEN_SOURCE 700 /* realpath (XSI), sigaction, readlink */

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "lsq_compat.h"
#include "sq_cli_alloc.h"
#include "sq_lua_modules.h"

int luaopen_siqun_core(lua_State *L);
#ifdef SQ_CLI_LPEG
int luaopen_lpeg(lua_State *L); /* a static LPeg (Debian: liblua5.4-lpeg.a) */
#endif

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* The directory names of this Lua version under share/lua and lib/lua. */
#if LUA_VERSION_NUM == 501
#define SQ_CLI_LUAV "5.1"
#elif LUA_VERSION_NUM == 502
#define SQ_CLI_LUAV "5.2"
#elif LUA_VERSION_NUM == 503
#define SQ_CLI_LUAV "5.3"
#else
#define SQ_CLI_LUAV "5.4"
#endif

/* The one piece of process-wide state, as in lua.c: a signal handler can
   reach nothing else.  The state is set before the handlers are installed
   and cleared after they are blocked; the handler only reads it. */
static lua_State *volatile sq_cli_state;
static volatile sig_atomic_t sq_cli_signal;

static const int sq_cli_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define SQ_CLI_NSIGNALS (sizeof sq_cli_signals / sizeof sq_cli_signals[0])

/* ---------------------------------------------------------------- signals */

static void interrupted(lua_State *L, lua_Debug *ar) {
  (void)ar;
  lua_sethook(L, NULL, 0, 0);
  lua_pushliteral(L, "interrupted");
  lua_error(L);
}

static void on_signal(int sig) {
  lua_State *L = sq_cli_state;
  if (sq_cli_signal == 0) sq_cli_signal = sig;
  if (L != NULL)
    lua_sethook(L, interrupted, LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT, 1);
}

static void signal_set(sigset_t *set) {
  size_t i;
  sigemptyset(set);
  for (i = 0; i < SQ_CLI_NSIGNALS; i++) sigaddset(set, sq_cli_signals[i]);
}

/* Installs on_signal for each signal not ignored (a command started with
   SIGHUP ignored, under nohup, keeps it ignored). */
static void signals_catch(void) {
  struct sigaction sa, old;
  size_t i;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sa.sa_flags = SA_RESETHAND; /* no SA_RESTART: a blocking read returns */
  signal_set(&sa.sa_mask);
  for (i = 0; i < SQ_CLI_NSIGNALS; i++) {
    if (sigaction(sq_cli_signals[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
      sigaction(sq_cli_signals[i], &sa, NULL);
  }
}

/* Blocks the signals (one that comes now stays pending) and takes L from
   the handler, and the hook of a signal that came after the command's last
   instruction from L: the finalizers lua_close runs are not cut short. */
static void signals_block(lua_State *L, sigset_t *set) {
  signal_set(set);
  sigprocmask(SIG_BLOCK, set, NULL);
  sq_cli_state = NULL;
  lua_sethook(L, NULL, 0, 0);
}

/* Gives each caught signal its default action back and unblocks: the
   first one caught (raised again) and any still pending end the process. */
static void signals_release(const sigset_t *set) {
  size_t i;
  int sig = sq_cli_signal;
  for (i = 0; i < SQ_CLI_NSIGNALS; i++) {
    struct sigaction old;
    if (sigaction(sq_cli_signals[i], NULL, &old) == 0 && old.sa_handler == on_signal)
      signal(sq_cli_signals[i], SIG_DFL);
  }
  if (sig != 0) {
    signal(sig, SIG_DFL);
    raise(sig);
  }
  sigprocmask(SIG_UNBLOCK, set, NULL);
}

/* ----------------------------------------------------------------- prefix */

/* The real path of the executable into buf: /proc/self/exe, else argv0
   (a path, or a name searched in PATH).  0, or -1 when not found. */
static int find_self(const char *argv0, char *buf) {
  const char *path, *end;
#ifndef SQ_CLI_NO_PROC /* (for the spec of the fallback) */
  ssize_t n = readlink("/proc/self/exe", buf, PATH_MAX - 1);
  if (n > 0 && n < PATH_MAX - 1) {
    buf[n] = '\0';
    return 0;
  }
#endif
  if (argv0 == NULL || argv0[0] == '\0') return -1;
  if (strchr(argv0, '/') != NULL) return realpath(argv0, buf) != NULL ? 0 : -1;
  path = getenv("PATH");
  for (; path != NULL; path = *end != '\0' ? end + 1 : NULL) {
    char cand[PATH_MAX];
    struct stat st;
    size_t dlen;
    int w;
    end = strchr(path, ':');
    if (end == NULL) end = path + strlen(path);
    dlen = (size_t)(end - path);
    /* an empty entry is the current directory */
    w = snprintf(cand, sizeof cand, "%.*s%s%s", (int)dlen, path, dlen ? "/" : "", argv0);
    if (w > 0 && (size_t)w < sizeof cand && stat(cand, &st) == 0 && S_ISREG(st.st_mode) &&
        access(cand, X_OK) == 0)
      return realpath(cand, buf) != NULL ? 0 : -1;
  }
  return -1;
}

/* buf (a file's path) cut to its grandparent: /p/bin/siqun -> /p (/bin/x:
   the root, ""); -1 when there is none. */
static int grandparent(char *buf) {
  int k;
  for (k = 0; k < 2; k++) {
    char *slash = strrchr(buf, '/');
    if (slash == NULL) return -1;
    *slash = '\0';
  }
  return 0;
}

/* Puts PREFIX/share/lua/V and PREFIX/lib/lua/V first on the package's
   paths (package table on the top).  A prefix holding ';' or '?' cannot
   be written in a Lua path: it is left out. */
static void set_paths(lua_State *L, const char *argv0) {
  char prefix[PATH_MAX];
  if (find_self(argv0, prefix) != 0 || grandparent(prefix) != 0 || strpbrk(prefix, ";?") != NULL)
    return;
  lua_pushfstring(L, "%s/share/lua/" SQ_CLI_LUAV "/?.lua;%s/share/lua/" SQ_CLI_LUAV "/?/init.lua;",
                  prefix, prefix);
  lua_getfield(L, -2, "path");
  lua_concat(L, 2);
  lua_setfield(L, -2, "path");
  lua_pushfstring(L, "%s/lib/lua/" SQ_CLI_LUAV "/?.so;", prefix);
  lua_getfield(L, -2, "cpath");
  lua_concat(L, 2);
  lua_setfield(L, -2, "cpath");
}

/* ---------------------------------------------------------------- modules */

/* package.preload loader of siqun/init.lua, carried as text (the layer's
   bytecode leaves it out: it is what registers the rest). */
static int load_init(lua_State *L) {
  const sq_lua_module *m = (const sq_lua_module *)lua_touserdata(L, lua_upvalueindex(1));
  lua_settop(L, 2);
  if (luaL_loadbuffer(L, m->src, m->len, m->chunkname) != 0) return lua_error(L);
  lua_insert(L, 1);
  lua_call(L, 2, 1);
  return 1;
}

/* package.preload: siqun.core and siqun (then, through siqun's init, the
   whole layer), and LPeg when it is linked in (package table on top). */
static void preload(lua_State *L) {
  size_t i;
  lua_getfield(L, -1, "preload");
  lua_pushcfunction(L, luaopen_siqun_core);
  lua_setfield(L, -2, "siqun.core");
#ifdef SQ_CLI_LPEG
  lua_pushcfunction(L, luaopen_lpeg);
  lua_setfield(L, -2, "lpeg");
#endif
  for (i = 0; i < sq_lua_nmodules; i++) {
    lua_pushlightuserdata(L, (void *)&sq_lua_modules[i]);
    lua_pushcclosure(L, load_init, 1);
    lua_setfield(L, -2, sq_lua_modules[i].name);
  }
  lua_pop(L, 1);
}

/* ------------------------------------------------------------------- main */

/* Pushes require(name). */
static void push_require(lua_State *L, const char *name) {
  lua_getglobal(L, "require");
  lua_pushstring(L, name);
  lua_call(L, 1, 1);
}

/* The collector's pause while siqun and siqun.cli load (percent): a cycle
   begins when the heap has grown to this much of what the last one left.
   Loading makes almost no garbage, and a short command ends before its
   heap (about 500 KB) has doubled again: its cycles were wasted work
   (0.4 M instructions of the 5 M of a query).  The normal pause is back
   before the command runs, so that the first cycle it sees comes at a few
   hundred KB, and every one after it at the usual pace, whatever the
   size of the data. */
#define SQ_CLI_START_PAUSE 1000

/* In protected mode: (argc, argv) -> main's status, and whether the state
   must be closed (main's second result). */
static int pmain(lua_State *L) {
  int argc = (int)lua_tointeger(L, 1);
  char **argv = (char **)lua_touserdata(L, 2);
  int i, pause;
  pause = lua_gc(L, LUA_GCSETPAUSE, SQ_CLI_START_PAUSE);
  luaL_openlibs(L);
  lua_getglobal(L, "package");
  set_paths(L, argc > 0 ? argv[0] : NULL);
  preload(L);
  lua_pop(L, 1);
  /* arg as lua.c makes it for a script: arg[0] the command, 1..n */
  lua_createtable(L, argc > 0 ? argc - 1 : 0, 1);
  for (i = 0; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i);
  }
  lua_pushvalue(L, -1);
  lua_setglobal(L, "arg");
  push_require(L, "siqun"); /* registers the layer's bytecode in package.preload */
  lua_pop(L, 1);
  push_require(L, "siqun.cli");
  lua_gc(L, LUA_GCSETPAUSE, pause);
  lua_getfield(L, -1, "main");
  lua_pushvalue(L, -3);
  lua_call(L, 1, 2);
  return 2;
}

/* ------------------------------------------------------------------ close */

/* The command's allocator (sq_cli_alloc.c): small blocks from a region
   made at start.  -DSQ_CLI_FREE_ON_EXIT (for valgrind, ASan and
   LeakSanitizer, which must see every block) keeps malloc's for all of
   them, as LuaJIT does (its own allocator is set when the state is made). */
#if !defined(SQ_CLI_FREE_ON_EXIT) && !defined(LUA_JITLIBNAME)
#define SQ_CLI_HEAP 1
#endif

/* At exit the state is closed only when main asks (a user's file ran,
   report --load: its objects' finalizers, __gc, must run) or when an
   error escaped it: siqun's own commands leave nothing a finalizer must
   do (their files are written and closed, their temporaries gone, before
   main returns; exit() flushes every stdio stream), so the process ends
   without walking the state (0.2 M instructions).  Closed, the blocks are
   not given back one by one either (but with LuaJIT).
   -DSQ_CLI_FREE_ON_EXIT always closes, freeing every block (valgrind,
   LeakSanitizer). */
#ifdef SQ_CLI_FREE_ON_EXIT
#define close_state(L, heap, must) ((void)(must), lua_close(L))
#elif defined(SQ_CLI_HEAP)
static void close_state(lua_State *L, sq_cli_heap *heap, int must) {
  if (!must) return;
  lua_setallocf(L, sq_cli_alloc_keep, heap);
  lua_close(L);
}
#else /* LuaJIT: its allocator releases its arena at once */
#define close_state(L, heap, must) ((must) ? lua_close(L) : (void)0)
#endif

/* Writes an error that escaped main (allocating nothing: no protected
   call is running); returns 1. */
static int report(lua_State *L) {
  if (lua_type(L, -1) == LUA_TSTRING)
    fprintf(stderr, "siqun: %s\n", lua_tostring(L, -1));
  else
    fprintf(stderr, "siqun: (error object is a %s value)\n", luaL_typename(L, -1));
  return 1;
}

int main(int argc, char **argv) {
  lua_State *L = luaL_newstate();
#ifdef SQ_CLI_HEAP
  sq_cli_heap heap;
#endif
  sigset_t set;
  int status, err, must_close;
  if (L == NULL) {
    fputs("siqun: cannot create the Lua state: not enough memory\n", stderr);
    return 1;
  }
#ifdef SQ_CLI_HEAP
  /* (the few blocks luaL_newstate made stay malloc's: the heap knows them
     by their address) */
  sq_cli_heap_init(&heap);
  lua_setallocf(L, sq_cli_alloc, &heap);
#endif
  setvbuf(stdout, NULL, _IOFBF, BUFSIZ);
  sq_cli_state = L;
  signals_catch();
  lua_pushcfunction(L, pmain);
  lua_pushinteger(L, argc);
  lua_pushlightuserdata(L, argv);
  if (lua_pcall(L, 2, 2, 0) != 0) {
    status = report(L);
    must_close = 1;
  } else {
    int isnum;
    status = (int)lua_tointegerx(L, -2, &isnum);
    if (!isnum) status = 1;
    must_close = lua_toboolean(L, -1);
  }
  signals_block(L, &set);
  close_state(L, &heap, must_close);
  /* output that could not be written (a full disk) is a failure */
  err = fflush(stdout) != 0 ? errno : 0;
  if ((err != 0 || ferror(stdout)) && status == 0) {
    /* (as siqun.cli says it; a closed pipe is silent, as SIGPIPE would be) */
    if (err != EPIPE) fprintf(stderr, "siqun: write error: %s\n", err != 0 ? strerror(err) : "unknown");
    status = 1;
  }
  signals_release(&set);
  return status;
}
