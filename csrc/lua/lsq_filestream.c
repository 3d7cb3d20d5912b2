/*
 * lsq_filestream.c -- reading a user's file of unknown kind and size,
 * without blocking and in bounded memory:
 *   core.files.open(path)         a "siqun.FileStream" on a regular file,
 *                                 or nil, message, code
 *   core.files.read(path [, max]) its whole content, or nil, message, code
 *                                 ("toolarge" when it has more than max
 *                                 bytes: refused before reading)
 *   s:read(n)   up to n bytes (a string); nil at the end; nil, message,
 *               code on an error
 *   s:size()    its size in bytes now
 *   s:close()   (also __gc and __close)
 * A FIFO, a device, a directory or a socket is refused at once: stat()
 * first, so nothing is opened, then the descriptor itself is checked by
 * fstat() after open(O_RDONLY | O_NONBLOCK | O_NOCTTY), so that whatever
 * is put at the path in between can neither block the open (a FIFO with
 * no writer opens at once with O_NONBLOCK) nor be read.  Symbolic links
 * are followed (reading through one is harmless).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lsq_file.h"

#define STREAM_MT "siqun.FileStream"

typedef struct lsq_stream {
  const lsq_type *type; /* &lsq_stream_type (lsq.h: the type check) */
  int fd;               /* -1 once closed */
} lsq_stream;

const lsq_type lsq_stream_type = { STREAM_MT, sizeof(lsq_stream) };

static lsq_stream *check_stream(lua_State *L) {
  return (lsq_stream *)lsq_checkobject(L, 1, &lsq_stream_type);
}

static void stream_close(lsq_stream *s) {
  if (s->fd >= 0) close(s->fd);
  s->fd = -1;
}

static void push_meta(lua_State *L);

/* Opens the file path (argument patharg): pushes the stream and returns
   0, or pushes nothing and returns -1 with e.  st is the descriptor's. */
static int stream_open(lua_State *L, int patharg, const char *path, struct stat *st,
                       lsq_ferr *e) {
  lsq_stream *s;
  int fd;
  if (stat(path, st) != 0) return lsq_ferr_errno(e, errno);
  if (!S_ISREG(st->st_mode)) return lsq_ferr_kind(e, st->st_mode, "read");
  s = (lsq_stream *)lua_newuserdatauv(L, sizeof *s, 1); /* (before the open) */
  s->type = &lsq_stream_type;
  s->fd = -1;
  push_meta(L);
  lua_setmetatable(L, -2);
  lua_pushvalue(L, patharg);
  lua_setiuservalue(L, -2, 1);
  fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) { /* GCOVR_EXCL_BR_LINE */
    /* uncovered by make coverage: a file it may not read, which
       files_spec tries as another user, whose counts are not written */
    lua_pop(L, 1);
    return lsq_ferr_errno(e, errno);
  }
  if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) { /* GCOVR_EXCL_BR_LINE */
    /* uncovered: the path was changed between stat() and open() */
    close(fd);
    lua_pop(L, 1);
    return lsq_ferr_kind(e, st->st_mode, "read");
  }
  s->fd = fd;
  return 0;
}

/* Reads up to n bytes into p: the count (less than n at the end), or -1
   and e. */
static ptrdiff_t read_up_to(int fd, char *p, size_t n, lsq_ferr *e) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(fd, p + got, n - got);
    if (r < 0) { /* GCOVR_EXCL_BR_LINE */
      if (errno == EINTR) continue; /* GCOVR_EXCL_BR_LINE */
      return lsq_ferr_errno(e, errno); /* uncovered: an I/O error */
    }
    if (r == 0) break;
    got += (size_t)r;
  }
  return (ptrdiff_t)got;
}

/* open(path) -> FileStream | nil, message, code */
static int l_open(lua_State *L) {
  const char *path = lsq_checkpath(L, 1);
  struct stat st;
  lsq_ferr e = {NULL, NULL, {0}};
  lua_settop(L, 1);
  if (stream_open(L, 1, path, &st, &e) != 0) return lsq_ferr_push(L, path, &e);
  return 1;
}

static int too_large(lua_State *L, const char *path, long long size, long long max,
                     int grew) {
  lsq_ferr e = {NULL, NULL, {0}};
  if (grew)
    snprintf(e.buf, sizeof e.buf, "grew past the %lld bytes expected", max);
  else
    snprintf(e.buf, sizeof e.buf, "%lld bytes, more than the %lld expected", size, max);
  lsq_ferr_set(&e, "toolarge", e.buf);
  return lsq_ferr_push(L, path, &e);
}

/* read(path [, max]) -> string | nil, message, code */
static int l_read(lua_State *L) {
  const char *path = lsq_checkpath(L, 1);
  lua_Integer max = -1;
  struct stat st;
  lsq_stream *s;
  luaL_Buffer b;
  ptrdiff_t got;
  long long total;
  lsq_ferr e = {NULL, NULL, {0}};
  char *p, piece[4096];
  if (!lua_isnoneornil(L, 2)) {
    max = luaL_checkinteger(L, 2);
    luaL_argcheck(L, max >= 0, 2, "non-negative integer expected");
  }
  lua_settop(L, 2);
  if (stream_open(L, 1, path, &st, &e) != 0) return lsq_ferr_push(L, path, &e);
  s = (lsq_stream *)lua_touserdata(L, 3);
  if (max >= 0 && (long long)st.st_size > (long long)max) {
    stream_close(s);
    return too_large(L, path, (long long)st.st_size, (long long)max, 0);
  }
  /* the size it has, in one piece; then whatever it grew by (a file being
     written; the files of /proc say 0) */
  p = luaL_buffinitsize(L, &b, (size_t)st.st_size);
  got = read_up_to(s->fd, p, (size_t)st.st_size, &e);
  if (got < 0) goto failed; /* GCOVR_EXCL_BR_LINE */
  luaL_pushresultsize(&b, (size_t)got);
  total = (long long)got;
  /* (shorter: it shrank meanwhile) */
  if (got == (ptrdiff_t)st.st_size) { /* GCOVR_EXCL_BR_LINE */
    luaL_buffinit(L, &b);
    for (;;) {
      got = read_up_to(s->fd, piece, sizeof piece, &e);
      if (got < 0) goto failed; /* GCOVR_EXCL_BR_LINE */
      if (got == 0) break;
      total += (long long)got;
      if (max >= 0 && total > (long long)max) {
        lua_settop(L, 3);
        stream_close(s);
        return too_large(L, path, total, (long long)max, 1);
      }
      luaL_addlstring(&b, piece, (size_t)got);
    }
    luaL_pushresult(&b);
    lua_concat(L, 2);
  }
  stream_close(s);
  return 1;
failed: /* uncovered: an I/O error */
  lua_settop(L, 3);
  stream_close(s);
  return lsq_ferr_push(L, path, &e);
}

/* s:read(n) -> string | nil | nil, message, code */
static int s_read(lua_State *L) {
  lsq_stream *s = check_stream(L);
  lua_Integer n = luaL_checkinteger(L, 2);
  luaL_Buffer b;
  struct stat st;
  ptrdiff_t got;
  off_t at;
  lsq_ferr e = {NULL, NULL, {0}};
  char *p;
  luaL_argcheck(L, n > 0, 2, "positive integer expected");
  if (s->fd < 0) return luaL_error(L, "attempt to use a closed %s", STREAM_MT);
  /* no more room than the rest of the file needs (and a little: it may
     grow), so that a large n does not allocate what it cannot fill */
  at = lseek(s->fd, 0, SEEK_CUR);
  if (fstat(s->fd, &st) == 0 && at >= 0) { /* GCOVR_EXCL_BR_LINE */
    lua_Integer left = (lua_Integer)(st.st_size - at) + 4096;
    if (left < n) n = left > 0 ? left : 1;
  }
  lua_settop(L, 2);
  p = luaL_buffinitsize(L, &b, (size_t)n);
  got = read_up_to(s->fd, p, (size_t)n, &e);
  if (got <= 0) {
    lua_settop(L, 2);
    if (got == 0) { /* GCOVR_EXCL_BR_LINE */
      lua_pushnil(L);
      return 1;
    }
    /* uncovered: a read error on a regular file (EIO) */
    lua_getiuservalue(L, 1, 1);
    return lsq_ferr_push(L, lua_tostring(L, -1), &e);
  }
  luaL_pushresultsize(&b, (size_t)got);
  return 1;
}

/* s:size() -> bytes */
static int s_size(lua_State *L) {
  lsq_stream *s = check_stream(L);
  struct stat st;
  if (s->fd < 0) return luaL_error(L, "attempt to use a closed %s", STREAM_MT);
  /* uncovered: fstat fails with EBADF only */
  if (fstat(s->fd, &st) != 0) return luaL_error(L, "fstat: %d", errno); /* GCOVR_EXCL_BR_LINE */
  lua_pushinteger(L, (lua_Integer)st.st_size);
  return 1;
}

/* s:close() -> true */
static int s_close(lua_State *L) {
  stream_close(check_stream(L));
  lua_pushboolean(L, 1);
  return 1;
}

static int s_gc(lua_State *L) {
  stream_close(check_stream(L));
  return 0;
}

static int s_tostring(lua_State *L) {
  lsq_stream *s = check_stream(L);
  lua_getiuservalue(L, 1, 1);
  lua_pushfstring(L, "%s: %s%s", STREAM_MT, lua_tostring(L, -1), s->fd < 0 ? " (closed)" : "");
  return 1;
}

/* Pushes the metatable of STREAM_MT, made on first use (opening siqun.core
   makes none of the files' metatables), whole before the registry has it:
   a memory error leaves none there, never half of one. */
static void push_meta(lua_State *L) {
  static const luaL_Reg methods[] = {
    {"read", s_read}, {"size", s_size}, {"close", s_close}, {NULL, NULL}
  };
  static const luaL_Reg meta[] = {
    {"__gc", s_gc}, {"__close", s_gc}, {"__tostring", s_tostring}, {NULL, NULL}
  };
  if (lua_getfield(L, LUA_REGISTRYINDEX, STREAM_MT) == LUA_TTABLE) return;
  lua_pop(L, 1);
  lua_createtable(L, 0, 6);
  luaL_setfuncs(L, meta, 0);
  luaL_newlib(L, methods);
  lua_setfield(L, -2, "__index");
  lua_pushliteral(L, STREAM_MT);
  lua_setfield(L, -2, "__name");
  lsq_protect(L, STREAM_MT);
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, STREAM_MT);
}

void lsq_open_filestream(lua_State *L, int files) {
  lua_pushcfunction(L, l_open);
  lua_setfield(L, files, "open");
  lua_pushcfunction(L, l_read);
  lua_setfield(L, files, "read");
}
