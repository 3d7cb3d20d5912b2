/*
 * threads.c -- many lua_States on many threads: 16 POSIX threads, each with
 * its own lua_State set up as examples/host/host.c does (siqun and LPeg
 * linked statically, package.path and package.cpath empty), run the same
 * workload script at the same time (examples/host/work.lua: open the
 * dataset, read every record, parse and scan quantities, run a query and a
 * report when those modules exist).  Each thread hashes the string the
 * script returns with siqun_sha256; the program fails unless all 16
 * digests are identical.
 *
 *   make tsan      # builds everything with -fsanitize=thread and runs it
 *   build/tsan/threads examples/host/work.lua [--race]
 *
 * --race makes every thread also increment one shared counter without a
 * lock: a deliberate data race, which ThreadSanitizer must report (exit
 * status 66), to show that a clean run means something.
 * Exit status: 0 when the digests agree, 1 otherwise or on an error.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "host_state.h"
#include "siqun.h"

#define NTHREADS 16

typedef struct shared {
  const char *script; /* the workload's source, read before any thread starts */
  size_t script_len;
  const char *chunkname;
  pthread_barrier_t start; /* all threads begin their work together */
  int race;                /* --race */
  long counter;            /* touched without a lock under --race only */
} shared;

typedef struct job {
  shared *sh;
  int id;
  int ok;
  size_t out_len;
  char digest[65];
  char err[512];
} job;

static void hex32(const unsigned char d[32], char out[65]) {
  static const char digits[] = "0123456789abcdef";
  int i;
  for (i = 0; i < 32; i++) {
    out[2 * i] = digits[d[i] >> 4];
    out[2 * i + 1] = digits[d[i] & 15];
  }
  out[64] = '\0';
}

/* Protected: sets the state up, runs the workload, hashes its result into
   the job (light userdata at 1). */
static int run_job(lua_State *L) {
  job *j = (job *)lua_touserdata(L, 1);
  unsigned char d[32];
  const char *out;
  size_t len;
  host_openlibs(L); /* as host.c does (host_state.h) */
  if (luaL_loadbufferx(L, j->sh->script, j->sh->script_len, j->sh->chunkname, "t") != LUA_OK)
    return lua_error(L);
  lua_call(L, 0, 1);
  out = lua_tolstring(L, -1, &len);
  if (out == NULL) return luaL_error(L, "the workload returned %s, not a string",
                                     luaL_typename(L, -1));
  siqun_sha256(out, len, d);
  hex32(d, j->digest);
  j->out_len = len;
  return 0;
}

static void *thread_main(void *arg) {
  job *j = (job *)arg;
  lua_State *L;
  int rc = pthread_barrier_wait(&j->sh->start);
  if (rc != 0 && rc != PTHREAD_BARRIER_SERIAL_THREAD) {
    snprintf(j->err, sizeof j->err, "pthread_barrier_wait failed");
    return NULL;
  }
  if (j->sh->race) j->sh->counter++; /* the deliberate race of --race */
  L = luaL_newstate();
  if (L == NULL) {
    snprintf(j->err, sizeof j->err, "cannot create a Lua state: not enough memory");
    return NULL;
  }
  lua_pushcfunction(L, run_job);
  lua_pushlightuserdata(L, j);
  if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    snprintf(j->err, sizeof j->err, "%s", msg ? msg : "(error object is not a string)");
  } else {
    j->ok = 1;
  }
  lua_close(L);
  if (j->sh->race) j->sh->counter++;
  return NULL;
}

/* The whole file at path, NUL-terminated, in a malloc'd buffer; NULL on error. */
static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *p = NULL, *q;
  size_t cap = 0, n = 0, got;
  if (f == NULL) return NULL;
  do {
    if (cap - n < 4096) {
      if (cap > (64u << 20)) goto fail;
      cap = cap ? 2 * cap : 8192;
      q = (char *)realloc(p, cap + 1);
      if (q == NULL) goto fail;
      p = q;
    }
    got = fread(p + n, 1, cap - n, f);
    n += got;
  } while (got > 0);
  if (ferror(f)) goto fail;
  fclose(f);
  p[n] = '\0';
  *len = n;
  return p;
fail:
  fclose(f);
  free(p);
  return NULL;
}

int main(int argc, char **argv) {
  shared sh;
  job jobs[NTHREADS];
  pthread_t tids[NTHREADS];
  char *script;
  int i, started = 0, failures = 0;
  if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "--race") != 0)) {
    fprintf(stderr, "usage: %s workload.lua [--race]\n", argv[0]);
    return 2;
  }
  memset(&sh, 0, sizeof sh);
  script = read_file(argv[1], &sh.script_len);
  if (script == NULL) {
    fprintf(stderr, "%s: cannot read %s\n", argv[0], argv[1]);
    return 1;
  }
  sh.script = script;
  sh.chunkname = "=work.lua";
  sh.race = argc == 3;
  if (pthread_barrier_init(&sh.start, NULL, NTHREADS) != 0) {
    fprintf(stderr, "%s: pthread_barrier_init failed\n", argv[0]);
    free(script);
    return 1;
  }
  memset(jobs, 0, sizeof jobs);
  for (i = 0; i < NTHREADS; i++) {
    jobs[i].sh = &sh;
    jobs[i].id = i + 1;
    if (pthread_create(&tids[i], NULL, thread_main, &jobs[i]) != 0) break;
    started++;
  }
  if (started < NTHREADS) {
    /* The barrier would never open: nothing sensible to do but stop. */
    fprintf(stderr, "%s: could start only %d threads\n", argv[0], started);
    return 1;
  }
  for (i = 0; i < NTHREADS; i++) pthread_join(tids[i], NULL);
  pthread_barrier_destroy(&sh.start);
  free(script);
  for (i = 0; i < NTHREADS; i++) {
    if (!jobs[i].ok) {
      fprintf(stderr, "thread %d: %s\n", jobs[i].id, jobs[i].err);
      failures++;
    } else if (strcmp(jobs[i].digest, jobs[0].digest) != 0 ||
               jobs[i].out_len != jobs[0].out_len) {
      fprintf(stderr, "thread %d: digest %s (%zu bytes) differs from thread 1's %s (%zu bytes)\n",
              jobs[i].id, jobs[i].digest, jobs[i].out_len, jobs[0].digest, jobs[0].out_len);
      failures++;
    }
  }
  if (failures) {
    fprintf(stderr, "%d of %d threads failed or disagreed\n", failures, NTHREADS);
    return 1;
  }
  printf("%d threads, %d lua_States: identical digest %s (%zu bytes)\n", NTHREADS, NTHREADS,
         jobs[0].digest, jobs[0].out_len);
  if (sh.race) printf("counter %ld\n", sh.counter);
  return 0;
}
