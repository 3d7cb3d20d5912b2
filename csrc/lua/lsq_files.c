/*
 * lsq_files.c -- core.files, the one routine that writes a user's file
 * (the rules it shares with the temporary of save_with, lsq_filetemp.c,
 * are in lsq_file.c):
 *
 *   kind(path)               "file", "directory", "fifo", "symlink",
 *                            "character device", "block device", "socket"
 *                            (lstat); nil when nothing is there; nil,
 *                            message, errno name for other errors
 *   check(path, force)       true, or nil, message, code: what save would
 *                            refuse before anything is written (exists,
 *                            notregular, nodir, or a system error)
 *   save(path, data, force [, named])
 *                            writes data (a string, or an array of
 *                            strings) to path: true, or nil, message, code
 *   tty_columns(file)        the width of the terminal a Lua file handle
 *                            writes to, or nil
 *   has_tmpfile(dir)         whether save can use an O_TMPFILE in dir (for
 *                            the specs: where it cannot, a SIGKILL may leave
 *                            a named temporary)
 *
 * save never replaces an existing file without force, even when a second
 * writer creates it at the same moment, and nothing partial is ever seen
 * at path.  The data goes to an unnamed O_TMPFILE in the target's
 * directory, which linkat() gives its name: link never replaces (EEXIST
 * is "exists") and a process killed before that leaves nothing.  Where
 * O_TMPFILE is missing (or named is true), a hidden temporary
 * ".NAME.siqun-XXXXXX" made with O_CREAT | O_EXCL | O_NOFOLLOW is linked
 * and unlinked instead.  With force, only a regular file is replaced, by
 * rename() over it, and the new file takes its permission bits (a symbolic
 * link, dangling or not, a directory, FIFO, device or socket is refused,
 * even with force); a new file gets 0666 & ~umask.  While a named
 * temporary exists (the whole of save, and between naming the O_TMPFILE
 * and renaming it with force) SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGXFSZ
 * are blocked, so that none can end the process and leave it behind; only
 * SIGKILL can, in that window.
 *
 * The data is fsync()ed before it gets its name, so that after a crash of
 * the system the name never points at a file whose blocks were not
 * written (ext4 and XFS may otherwise commit the link or rename before the
 * data).  The directory is not synced: after a crash the new name may be
 * missing, which leaves the old file (or none), and that is allowed.
 *
 * No Lua function that can raise is called while a descriptor is open or
 * the signals are blocked: strings are made before, messages after.
 */
#define _GNU_SOURCE /* O_TMPFILE, renameat2 (Linux); the rest is POSIX */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <pthread.h>

#include <lualib.h>

#include "lsq_file.h"

/* --------------------------------------------------------------- save */

/* Writes argument 2 of save (a string, or n strings in a table: checked
   before, so that nothing here raises). */
static int write_data(lua_State *L, int fd, lua_Integer n, lsq_ferr *e) {
  size_t len;
  const char *s;
  lua_Integer i;
  if (lua_type(L, 2) == LUA_TSTRING) {
    s = lua_tolstring(L, 2, &len);
    return lsq_write_all(fd, s, len, e);
  }
  for (i = 1; i <= n; i++) {
    int rc;
    lua_rawgeti(L, 2, i);
    s = lua_tolstring(L, -1, &len); /* a string (the table keeps it) */
    rc = lsq_write_all(fd, s, len, e);
    lua_pop(L, 1);
    if (rc != 0) return rc; /* GCOVR_EXCL_BR_LINE (see lsq_write_all) */
  }
  return 0;
}

#ifdef O_TMPFILE
/* Links the O_TMPFILE fd as name in dirfd: 0 or an errno.  Through
   /proc/self/fd (any user may); without /proc, AT_EMPTY_PATH (which needs
   CAP_DAC_READ_SEARCH). */
static int link_tmpfile(int fd, int dirfd, const char *name) {
  char proc[48];
  int err;
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  if (linkat(AT_FDCWD, proc, dirfd, name, AT_SYMLINK_FOLLOW) == 0) return 0;
  err = errno;
#ifdef AT_EMPTY_PATH
  /* uncovered: the specs run with /proc mounted */
  if (err == ENOENT && linkat(fd, "", dirfd, name, AT_EMPTY_PATH) == 0) /* GCOVR_EXCL_BR_LINE */
    return 0;
#endif
  return err;
}

/* link_tmpfile's errors that mean "this way does not work here" (no
   /proc, no capability): the caller falls back to a named temporary.
   uncovered: the specs run where the link works */
static int cannot_link(int err) {
  return err == ENOENT || err == EPERM || err == EACCES || /* GCOVR_EXCL_BR_LINE */
         err == EINVAL || err == EOPNOTSUPP || err == ENOSYS; /* GCOVR_EXCL_BR_LINE */
}

/* Puts the O_TMPFILE fd (whole) in place: 0, -1 and e, or 1 when this
   system cannot link it (the caller uses a named temporary instead). */
static int place_tmpfile(const lsq_target *t, int fd, lsq_ferr *e) {
  char name[LSQ_TEMPNAME];
  unsigned long long seed;
  int err = 0, i;
  if (!t->force) {
    if (fsync(fd) != 0) return lsq_ferr_errno(e, errno); /* GCOVR_EXCL_BR_LINE */
    err = link_tmpfile(fd, t->dirfd, t->base);
    if (err == 0) return 0;
    if (err == EEXIST) return lsq_ferr_set(e, "exists", "file exists"); /* GCOVR_EXCL_BR_LINE */
    /* uncovered: see cannot_link */
    return cannot_link(err) ? 1 : lsq_ferr_errno(e, err); /* GCOVR_EXCL_BR_LINE */
  }
  /* force: a name for it, then rename over the target (the only window
     in which a temporary has a name: two system calls) */
  seed = lsq_temp_seed();
  for (i = 0; i < LSQ_TEMP_TRIES; i++) { /* GCOVR_EXCL_BR_LINE */
    lsq_temp_name(name, t->base, seed + (unsigned long long)i);
    err = link_tmpfile(fd, t->dirfd, name);
    if (err != EEXIST) break; /* GCOVR_EXCL_BR_LINE */
  }
  /* uncovered: see cannot_link */
  if (err != 0) return cannot_link(err) ? 1 : lsq_ferr_errno(e, err); /* GCOVR_EXCL_BR_LINE */
  return lsq_place_named(t, fd, name, e);
}

/* O_TMPFILE's errors where the kernel or the filesystem lacks it (procfs,
   in the specs: EOPNOTSUPP; old kernels: EISDIR or EINVAL). */
static int no_tmpfile(int err) {
  return err == EOPNOTSUPP || err == EISDIR || err == EINVAL || err == ENOSYS; /* GCOVR_EXCL_BR_LINE */
}
#endif

/* The body of save, with the target open and the signals blocked. */
static int save_to(lua_State *L, const lsq_target *t, lua_Integer n, int named, lsq_ferr *e) {
  char name[LSQ_TEMPNAME];
  int fd, rc;
#ifdef O_TMPFILE
  if (!named) {
    fd = openat(t->dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
    if (fd >= 0) {
      rc = write_data(L, fd, n, e);
      if (rc == 0) rc = place_tmpfile(t, fd, e); /* GCOVR_EXCL_BR_LINE (see lsq_write_all) */
      close(fd);
      if (rc != 1) return rc; /* GCOVR_EXCL_BR_LINE (1: see cannot_link) */
    } else if (!no_tmpfile(errno)) { /* GCOVR_EXCL_BR_LINE */
      /* uncovered by make coverage: a directory it may not write, which
         files_spec tries as another user, whose counts are not written */
      return lsq_ferr_errno(e, errno);
    }
  }
#else
  (void)named;
#endif
  fd = lsq_temp_create(t, name, e);
  if (fd < 0) return -1;
  rc = write_data(L, fd, n, e);
  if (rc == 0) /* GCOVR_EXCL_BR_LINE (see lsq_write_all) */
    rc = lsq_place_named(t, fd, name, e);
  else
    unlinkat(t->dirfd, name, 0); /* uncovered by make coverage: see lsq_write_all */
  close(fd);
  return rc;
}

/* save(path, data, force [, named]) -> true | nil, message, code */
static int l_save(lua_State *L) {
  const char *path = lsq_checkpath(L, 1), *base;
  int force = lua_toboolean(L, 3), named = lua_toboolean(L, 4), rc;
  lua_Integer n = 0;
  lsq_target t;
  lsq_ferr e = {NULL, NULL, {0}};
  sigset_t old;
  if (lua_type(L, 2) == LUA_TTABLE) {
    for (n = 0;; n++) { /* every item a string, up to the first nil */
      int ty = lua_rawgeti(L, 2, n + 1);
      lua_pop(L, 1);
      if (ty == LUA_TNIL) break;
      if (ty != LUA_TSTRING)
        return luaL_argerror(L, 2, lua_pushfstring(L, "string expected at index %d, got %s",
                                                   (int)(n + 1), lua_typename(L, ty)));
    }
  } else if (lua_type(L, 2) != LUA_TSTRING) {
    return luaL_typeerror(L, 2, "string or table");
  }
  lua_settop(L, 4);
  base = lsq_splitpath(L, path); /* (allocates: before any file is open) */
  luaL_checkstack(L, 4, NULL);
  lsq_signals_block(&old);
  rc = lsq_target_open(&t, lua_tostring(L, 5), base, force, &e);
  if (rc == 0) rc = save_to(L, &t, n, named, &e);
  lsq_target_close(&t);
  lsq_signals_restore(&old);
  if (rc != 0) return lsq_ferr_push(L, path, &e);
  lua_pushboolean(L, 1);
  return 1;
}

/* -------------------------------------------------------- kind, check */

/* kind(path) -> name | nil | nil, message, errno name */
static int l_kind(lua_State *L) {
  const char *path = lsq_checkpath(L, 1);
  struct stat st;
  lsq_ferr e = {NULL, NULL, {0}};
  if (lstat(path, &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      lua_pushnil(L);
      return 1;
    }
    lsq_ferr_errno(&e, errno);
    return lsq_ferr_push(L, path, &e);
  }
  lua_pushstring(L, lsq_kind_of(st.st_mode, 0));
  return 1;
}

/* check(path, force) -> true | nil, message, code: save's refusals, made
   before the caller renders anything.  Existence is judged by lstat, never
   by opening the file. */
static int l_check(lua_State *L) {
  const char *path = lsq_checkpath(L, 1), *base, *dir;
  int force = lua_toboolean(L, 2), rc = 0;
  struct stat st;
  lsq_ferr e = {NULL, NULL, {0}};
  lua_settop(L, 2);
  base = lsq_splitpath(L, path);
  dir = lua_tostring(L, 3);
  if (base[0] == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
    rc = lsq_ferr_set(&e, "notregular", "is a directory (only regular files are replaced)");
  } else if (lstat(path, &st) == 0) {
    if (!S_ISREG(st.st_mode))
      rc = lsq_ferr_kind(&e, st.st_mode, "replaced");
    else if (!force)
      rc = lsq_ferr_set(&e, "exists", "file exists");
  } else if (errno == ENOTDIR) {
    rc = lsq_ferr_dir(&e, ENOTDIR);
  } else if (errno != ENOENT) {
    rc = lsq_ferr_errno(&e, errno);
  }
  if (rc == 0) {
    if (stat(dir, &st) != 0)
      rc = lsq_ferr_dir(&e, errno);
    else if (!S_ISDIR(st.st_mode)) /* GCOVR_EXCL_BR_LINE */
      rc = lsq_ferr_dir(&e, ENOTDIR); /* uncovered: lstat said ENOTDIR first */
    else if (access(dir, W_OK | X_OK) != 0) /* GCOVR_EXCL_BR_LINE */
      rc = lsq_ferr_errno(&e, errno); /* uncovered by make coverage: as another user (files_spec) */
  }
  if (rc != 0) return lsq_ferr_push(L, path, &e);
  lua_pushboolean(L, 1);
  return 1;
}

/* ---------------------------------------------------------- terminal */

/* tty_columns(file) -> columns | nil */
static int l_tty_columns(lua_State *L) {
  FILE *f = lsq_checkfile(L, 1);
  struct winsize ws;
  int fd = f ? fileno(f) : -1;
  /* (a terminal that knows no size: a serial line) */
  if (fd < 0 || !isatty(fd) || ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0) { /* GCOVR_EXCL_BR_LINE */
    lua_pushnil(L);
    return 1;
  }
  lua_pushinteger(L, (lua_Integer)ws.ws_col);
  return 1;
}

/* has_tmpfile(dir) -> boolean */
static int l_has_tmpfile(lua_State *L) {
  const char *dir = lsq_checkpath(L, 1);
  int ok = 0;
#ifdef O_TMPFILE
  int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
  if (fd >= 0) { /* GCOVR_EXCL_BR_LINE (the specs' directory has it, or not) */
    close(fd);
    ok = 1;
  }
#endif
  lua_pushboolean(L, ok);
  return 1;
}

void lsq_open_file(lua_State *L) {
  static const luaL_Reg fns[] = {
    {"kind", l_kind}, {"check", l_check}, {"save", l_save}, {"tty_columns", l_tty_columns},
    {"has_tmpfile", l_has_tmpfile}, {NULL, NULL}
  };
  lua_createtable(L, 0, 8);
  luaL_setfuncs(L, fns, 0);
  lsq_open_filetemp(L, lua_gettop(L));
  lsq_open_filestream(L, lua_gettop(L));
  lua_setfield(L, -2, "files");
}
