/*
 * lsq_filetemp.c -- core.files.temp(path, force): the named temporary that
 * siqun.files.save_with hands to a writer that must write a file itself
 * (SQLite through LuaSQL, which opens a path).  A "siqun.TempFile":
 *   t:path()     where to write: ".NAME.siqun-XXXXXX" beside path (made
 *                empty, O_CREAT | O_EXCL | O_NOFOLLOW, 0666 & ~umask)
 *   t:commit()   puts it in place under save's rules (lsq_place_named:
 *                never over an existing file without force, only over a
 *                regular file with force): true, or nil, message, code
 *   t:discard()  removes it (also __gc and __close)
 * temp() refuses at once what commit would (an existing path without
 * force, one that is not a regular file, a missing directory): nil,
 * message, code, with no file made.
 *
 * From temp() until commit or discard, SIGINT, SIGTERM, SIGHUP, SIGQUIT
 * and SIGXFSZ are blocked, so that no signal ends the process while the
 * temporary exists: it arrives once the temporary is gone (lua.c's SIGINT
 * handler then raises "interrupted!").  Commit and discard also remove
 * the files SQLite keeps beside a database (-journal, -wal, -shm).
 *
 * Why a named temporary and not an O_TMPFILE opened through
 * /proc/self/fd/N (which a SIGKILL could not leave behind): SQLite
 * resolves symbolic links in a database's path, so /proc/self/fd/N
 * becomes "/dir/#123 (deleted)", a file it then creates in the user's
 * directory (tried with SQLite 3.40); and LuaSQL gives no way to hand it
 * a descriptor.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lsq_file.h"

#define TEMP_MT "siqun.TempFile"

enum { T_OPEN = 1, T_DONE = 2 };

typedef struct lsq_temp {
  const lsq_type *type; /* &lsq_temp_type (lsq.h: the type check) */
  int state;      /* T_OPEN: the file exists and the signals are blocked */
  int dirfd, fd;  /* the directory, the temporary (-1: not open) */
  int force;
  size_t base;    /* offset of the target's name in the path (user value 1) */
  sigset_t old;   /* the signal mask before temp() */
  char name[LSQ_TEMPNAME];
  char tmppath[]; /* the directory part of the path, then name */
} lsq_temp;

const lsq_type lsq_temp_type = { TEMP_MT, sizeof(lsq_temp) };

static lsq_temp *check_temp(lua_State *L) {
  return (lsq_temp *)lsq_checkobject(L, 1, &lsq_temp_type);
}

/* Removes the files SQLite may have left beside the temporary, closes
   what is open and restores the signal mask (a write of the writer that
   failed with EFBIG meanwhile has left a SIGXFSZ, which is taken: the
   writer reported the failure). */
static void finish(lsq_temp *t) {
  static const char *const COMPANIONS[] = {"-journal", "-wal", "-shm"};
  char other[LSQ_TEMPNAME + 16];
  size_t i;
  for (i = 0; i < sizeof COMPANIONS / sizeof COMPANIONS[0]; i++) {
    snprintf(other, sizeof other, "%s%s", t->name, COMPANIONS[i]);
    unlinkat(t->dirfd, other, 0);
  }
  close(t->fd);
  close(t->dirfd);
  t->fd = t->dirfd = -1;
  t->state = T_DONE;
  lsq_signals_restore(&t->old);
}

static int discard(lsq_temp *t) {
  if (t->state != T_OPEN) return 0;
  unlinkat(t->dirfd, t->name, 0);
  finish(t);
  return 1;
}

static void push_meta(lua_State *L);

/* temp(path, force) -> TempFile | nil, message, code */
static int l_temp(lua_State *L) {
  const char *path = lsq_checkpath(L, 1), *base, *dir;
  size_t dirlen;
  lsq_temp *t;
  lsq_target tg;
  lsq_ferr e = {NULL, NULL, {0}};
  lua_settop(L, 2);
  base = lsq_splitpath(L, path);
  dir = lua_tolstring(L, 3, &dirlen);
  /* everything that allocates comes before the file exists */
  t = (lsq_temp *)lua_newuserdatauv(L, sizeof *t + dirlen + LSQ_TEMPNAME, 1);
  t->type = &lsq_temp_type;
  t->state = 0;
  t->dirfd = t->fd = -1;
  t->force = lua_toboolean(L, 2);
  t->base = (size_t)(base - path);
  t->name[0] = t->tmppath[0] = '\0';
  push_meta(L);
  lua_setmetatable(L, -2);
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, -2, 1);
  lsq_signals_block(&t->old);
  t->state = T_OPEN;
  if (lsq_target_open(&tg, dir, base, t->force, &e) == 0) t->fd = lsq_temp_create(&tg, t->name, &e);
  if (t->fd < 0) {
    lsq_target_close(&tg);
    t->state = T_DONE;
    lsq_signals_restore(&t->old);
    return lsq_ferr_push(L, path, &e);
  }
  t->dirfd = tg.dirfd;
  if (base == path) dirlen = 0; /* "name": the temporary is "./.name..." */
  memcpy(t->tmppath, dir, dirlen);
  memcpy(t->tmppath + dirlen, t->name, strlen(t->name) + 1); /* (room: LSQ_TEMPNAME) */
  return 1;
}

/* t:path() -> the temporary's path */
static int t_path(lua_State *L) {
  lua_pushstring(L, check_temp(L)->tmppath);
  return 1;
}

/* t:commit() -> true | nil, message, code */
static int t_commit(lua_State *L) {
  lsq_temp *t = check_temp(L);
  const char *path;
  struct stat a, b;
  lsq_target tg;
  lsq_ferr e = {NULL, NULL, {0}};
  int rc;
  lua_getiuservalue(L, 1, 1);
  path = lua_tostring(L, -1);
  if (t->state != T_OPEN) return luaL_error(L, "%s: already committed or discarded", TEMP_MT);
  tg.dirfd = t->dirfd;
  tg.base = path + t->base;
  tg.force = t->force;
  /* the name must still be the file temp() made (the writer may have
     moved it, or put something else there) */
  if (fstat(t->fd, &a) != 0 || fstatat(t->dirfd, t->name, &b, AT_SYMLINK_NOFOLLOW) != 0 || /* GCOVR_EXCL_BR_LINE */
      a.st_dev != b.st_dev || a.st_ino != b.st_ino) { /* GCOVR_EXCL_BR_LINE */
    rc = lsq_ferr_set(&e, "changed", "the new file was moved or replaced while it was written");
    unlinkat(t->dirfd, t->name, 0);
  } else {
    rc = lsq_place_named(&tg, t->fd, t->name, &e);
  }
  finish(t);
  if (rc != 0) return lsq_ferr_push(L, path, &e);
  lua_pushboolean(L, 1);
  return 1;
}

/* t:discard() -> true (nothing to do once committed or discarded) */
static int t_discard(lua_State *L) {
  discard(check_temp(L));
  lua_pushboolean(L, 1);
  return 1;
}

static int t_gc(lua_State *L) {
  discard(check_temp(L));
  return 0;
}

static int t_tostring(lua_State *L) {
  lsq_temp *t = check_temp(L);
  lua_getiuservalue(L, 1, 1);
  lua_pushfstring(L, "%s: %s%s", TEMP_MT, lua_tostring(L, -1),
                  t->state == T_OPEN ? "" : " (done)");
  return 1;
}

/* Pushes the metatable of TEMP_MT, made on first use (opening siqun.core
   makes none of the files' metatables), whole before the registry has it:
   a memory error leaves none there, never half of one. */
static void push_meta(lua_State *L) {
  static const luaL_Reg methods[] = {
    {"path", t_path}, {"commit", t_commit}, {"discard", t_discard}, {NULL, NULL}
  };
  static const luaL_Reg meta[] = {
    {"__gc", t_gc}, {"__close", t_gc}, {"__tostring", t_tostring}, {NULL, NULL}
  };
  if (lua_getfield(L, LUA_REGISTRYINDEX, TEMP_MT) == LUA_TTABLE) return;
  lua_pop(L, 1);
  lua_createtable(L, 0, 6);
  luaL_setfuncs(L, meta, 0);
  luaL_newlib(L, methods);
  lua_setfield(L, -2, "__index");
  lua_pushliteral(L, TEMP_MT);
  lua_setfield(L, -2, "__name");
  lsq_protect(L, TEMP_MT);
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, TEMP_MT);
}

void lsq_open_filetemp(lua_State *L, int files) {
  lua_pushcfunction(L, l_temp);
  lua_setfield(L, files, "temp");
}
