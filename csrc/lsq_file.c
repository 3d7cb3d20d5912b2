/*
 * lsq_file.c -- core.files, the one routine that writes a user's file, and
 * the rules the temporary of save_with (lsq_filetemp.c) shares with it:
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

/* ----------------------------------------------------------- messages */

static const struct {
  int err;
  const char *name;
} ERRNAMES[] = {
  {EACCES, "EACCES"}, {EPERM, "EPERM"}, {EROFS, "EROFS"}, {ENOSPC, "ENOSPC"},
#ifdef EDQUOT
  {EDQUOT, "EDQUOT"},
#endif
  {EIO, "EIO"}, {EFBIG, "EFBIG"}, {ENAMETOOLONG, "ENAMETOOLONG"}, {ELOOP, "ELOOP"},
  {EISDIR, "EISDIR"}, {ENOTDIR, "ENOTDIR"}, {ENOENT, "ENOENT"}, {EEXIST, "EEXIST"},
  {EBUSY, "EBUSY"}, {EXDEV, "EXDEV"}, {EMFILE, "EMFILE"}, {ENFILE, "ENFILE"},
  {ENOMEM, "ENOMEM"}, {EINVAL, "EINVAL"}, {ETXTBSY, "ETXTBSY"}, {EAGAIN, "EAGAIN"},
  {EINTR, "EINTR"}, {EMLINK, "EMLINK"}, {ENXIO, "ENXIO"}, {ENODEV, "ENODEV"},
  {EOPNOTSUPP, "EOPNOTSUPP"},
#ifdef ESTALE
  {ESTALE, "ESTALE"},
#endif
};

int lsq_ferr_set(lsq_ferr *e, const char *code, const char *why) {
  e->code = code;
  e->why = why;
  return -1;
}

int lsq_ferr_errno(lsq_ferr *e, int err) {
  size_t i;
  e->code = "error"; /* (an errno not listed: never met by the specs) */
  for (i = 0; i < sizeof ERRNAMES / sizeof ERRNAMES[0]; i++) { /* GCOVR_EXCL_BR_LINE */
    if (ERRNAMES[i].err == err) {
      e->code = ERRNAMES[i].name;
      break;
    }
  }
  /* (strerror is not thread-safe everywhere; the GNU strerror_r returns
     its text, which may not be in buf) */
#if defined(__GLIBC__)
  e->why = strerror_r(err, e->buf, sizeof e->buf);
#else
  if (strerror_r(err, e->buf, sizeof e->buf) != 0) /* GCOVR_EXCL_BR_LINE */
    snprintf(e->buf, sizeof e->buf, "error %d", err);
  e->why = e->buf;
#endif
  return -1;
}

/* The kind of file mode m: its name (kind()) and how a message says it. */
static const char *kind_of(mode_t m, int phrase) {
  if (S_ISREG(m)) return "file"; /* (only its name is asked for) */
  if (S_ISDIR(m)) return phrase ? "is a directory" : "directory";
  if (S_ISLNK(m)) return phrase ? "is a symbolic link" : "symlink";
  if (S_ISFIFO(m)) return phrase ? "is a FIFO" : "fifo";
  if (S_ISCHR(m)) return phrase ? "is a character device" : "character device";
  if (S_ISBLK(m)) return phrase ? "is a block device" : "block device";
  if (S_ISSOCK(m)) return phrase ? "is a socket" : "socket";
  /* uncovered: POSIX has no other kind of file (Solaris doors, say) */
  return phrase ? "is not a regular file" : "other"; /* GCOVR_EXCL_BR_LINE */
}

int lsq_ferr_kind(lsq_ferr *e, mode_t m, const char *verb) {
  snprintf(e->buf, sizeof e->buf, "%s (only regular files are %s)", kind_of(m, 1), verb);
  return lsq_ferr_set(e, "notregular", e->buf);
}

int lsq_ferr_push(lua_State *L, const char *path, const lsq_ferr *e) {
  luaL_pushfail(L);
  lua_pushfstring(L, "%s: %s", path, e->why);
  lua_pushstring(L, e->code);
  return 3;
}

/* -------------------------------------------------------------- paths */

const char *lsq_checkpath(lua_State *L, int arg) {
  size_t len;
  const char *p;
  if (lua_type(L, arg) != LUA_TSTRING) luaL_typeerror(L, arg, "string");
  p = lua_tolstring(L, arg, &len);
  if (len == 0) luaL_argerror(L, arg, "path expected, got an empty string");
  if (strlen(p) != len) luaL_argerror(L, arg, "path expected, got a string with a NUL byte");
  return p;
}

const char *lsq_splitpath(lua_State *L, const char *path) {
  const char *slash = strrchr(path, '/');
  if (slash == NULL) {
    lua_pushliteral(L, ".");
    return path;
  }
  lua_pushlstring(L, path, (size_t)(slash - path) + 1);
  return slash + 1;
}

/* ------------------------------------------------------------ signals */

static void signal_set(sigset_t *s) {
  sigemptyset(s);
  sigaddset(s, SIGINT);
  sigaddset(s, SIGTERM);
  sigaddset(s, SIGHUP);
  sigaddset(s, SIGQUIT);
  sigaddset(s, SIGXFSZ);
}

void lsq_signals_block(sigset_t *old) {
  sigset_t s;
  signal_set(&s);
  pthread_sigmask(SIG_BLOCK, &s, old);
}

void lsq_signals_restore(const sigset_t *old) {
  sigset_t pending, x;
  /* (a SIGXFSZ the caller had blocked is the caller's) */
  if (!sigismember(old, SIGXFSZ) && sigpending(&pending) == 0 && /* GCOVR_EXCL_BR_LINE */
      sigismember(&pending, SIGXFSZ)) {
    /* uncovered by make coverage: see lsq_write_all */
    struct timespec zero = {0, 0};
    sigemptyset(&x);
    sigaddset(&x, SIGXFSZ);
    (void)sigtimedwait(&x, NULL, &zero);
  }
  pthread_sigmask(SIG_SETMASK, old, NULL);
}

/* ------------------------------------------------------------- target */

#ifdef O_PATH
#define DIR_FLAGS (O_PATH | O_DIRECTORY | O_CLOEXEC) /* a -wx directory too */
#else
#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_CLOEXEC)
#endif

static int dir_error(lsq_ferr *e, int err) {
  if (err == ENOENT || err == ENOTDIR) return lsq_ferr_set(e, "nodir", "no such directory");
  return lsq_ferr_errno(e, err);
}

int lsq_target_open(lsq_target *t, const char *dir, const char *base, int force,
                    lsq_ferr *e) {
  struct stat st;
  t->dirfd = -1;
  t->base = base;
  t->force = force;
  if (base[0] == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
    return lsq_ferr_set(e, "notregular", "is a directory (only regular files are replaced)");
  t->dirfd = open(dir, DIR_FLAGS);
  if (t->dirfd < 0) return dir_error(e, errno);
  if (fstatat(t->dirfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
    if (!S_ISREG(st.st_mode)) return lsq_ferr_kind(e, st.st_mode, "replaced");
    if (!force) return lsq_ferr_set(e, "exists", "file exists");
  } else if (errno != ENOENT) {
    return lsq_ferr_errno(e, errno);
  }
  return 0;
}

void lsq_target_close(lsq_target *t) {
  if (t->dirfd >= 0) close(t->dirfd);
  t->dirfd = -1;
}

/* ------------------------------------------------------- temporaries */

/* ".NAME.siqun-XXXXXX": hidden, NAME cut to LSQ_TEMP_BASE bytes at a
   UTF-8 character boundary, six letters from seed. */
static void temp_name(char *out, const char *base, unsigned long long seed) {
  static const char L36[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  size_t n = strlen(base), i;
  if (n > LSQ_TEMP_BASE) {
    n = LSQ_TEMP_BASE;
    while (n > 0 && ((unsigned char)base[n] & 0xC0) == 0x80) n--; /* GCOVR_EXCL_BR_LINE */
  }
  out[0] = '.';
  memcpy(out + 1, base, n);
  memcpy(out + 1 + n, ".siqun-", 7);
  /* splitmix64: distinct seeds give unrelated letters */
  seed += 0x9E3779B97F4A7C15ull;
  seed = (seed ^ (seed >> 30)) * 0xBF58476D1CE4E5B9ull;
  seed = (seed ^ (seed >> 27)) * 0x94D049BB133111EBull;
  seed ^= seed >> 31;
  for (i = 0; i < 6; i++, seed /= 36) out[8 + n + i] = L36[seed % 36];
  out[14 + n] = '\0';
}

/* A seed no other process or call is likely to have: the time, the
   process, and an address on this call's stack. */
static unsigned long long temp_seed(void) {
  struct timespec ts;
  int local = 0;
  unsigned long long s = (unsigned long long)getpid() << 32;
  if (clock_gettime(CLOCK_REALTIME, &ts) == 0) /* GCOVR_EXCL_BR_LINE */
    s ^= (unsigned long long)ts.tv_sec * 1000000007ull + (unsigned long long)ts.tv_nsec;
  return s ^ (unsigned long long)(size_t)&local;
}

#define TEMP_TRIES 100

int lsq_temp_create(const lsq_target *t, char *name, lsq_ferr *e) {
  unsigned long long seed = temp_seed();
  int i;
  for (i = 0; i < TEMP_TRIES; i++) { /* GCOVR_EXCL_BR_LINE */
    int fd;
    temp_name(name, t->base, seed + (unsigned long long)i);
    fd = openat(t->dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd >= 0) return fd;
    if (errno != EEXIST) return lsq_ferr_errno(e, errno); /* GCOVR_EXCL_BR_LINE */
  }
  /* uncovered: a hundred random names all taken */
  return lsq_ferr_errno(e, EEXIST);
}

int lsq_write_all(int fd, const char *p, size_t n, lsq_ferr *e) {
  while (n > 0) {
    ssize_t w = write(fd, p, n > 0x40000000u ? 0x40000000u : n);
    if (w < 0) { /* GCOVR_EXCL_BR_LINE */
      if (errno == EINTR) continue; /* GCOVR_EXCL_BR_LINE */
      /* uncovered by make coverage: a full disk, or the file-size limit
         files_spec sets for a process of its own that loads the plain
         build (the coverage counts, written at its exit, would pass it) */
      return lsq_ferr_errno(e, errno);
    }
    /* uncovered: write(2) never returns 0 on a regular file */
    if (w == 0) return lsq_ferr_errno(e, EIO); /* GCOVR_EXCL_BR_LINE */
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* With force, just before rename: the target must still be a regular
   file (or absent); the new file takes its permission bits. */
static int prepare_replace(const lsq_target *t, int fd, lsq_ferr *e) {
  struct stat st;
  if (fstatat(t->dirfd, t->base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
    if (!S_ISREG(st.st_mode)) return lsq_ferr_kind(e, st.st_mode, "replaced");
    if (fchmod(fd, st.st_mode & 0777) != 0) return lsq_ferr_errno(e, errno); /* GCOVR_EXCL_BR_LINE */
  } else if (errno != ENOENT) { /* GCOVR_EXCL_BR_LINE */
    return lsq_ferr_errno(e, errno); /* uncovered: the directory was readable a moment ago */
  }
  return 0;
}

int lsq_place_named(const lsq_target *t, int fd, const char *name, lsq_ferr *e) {
  int rc = 0, err;
  if (t->force) {
    rc = prepare_replace(t, fd, e);
    if (rc == 0 && fsync(fd) != 0) rc = lsq_ferr_errno(e, errno); /* GCOVR_EXCL_BR_LINE */
    if (rc == 0 && renameat(t->dirfd, name, t->dirfd, t->base) != 0) /* GCOVR_EXCL_BR_LINE */
      rc = lsq_ferr_errno(e, errno); /* uncovered: a race (a directory put there since) */
    if (rc != 0) unlinkat(t->dirfd, name, 0);
    return rc;
  }
  if (fsync(fd) != 0) { /* GCOVR_EXCL_BR_LINE */
    /* uncovered: an I/O error */
    rc = lsq_ferr_errno(e, errno);
    unlinkat(t->dirfd, name, 0);
    return rc;
  }
  if (linkat(t->dirfd, name, t->dirfd, t->base, 0) == 0) {
    unlinkat(t->dirfd, name, 0);
    return 0;
  }
  err = errno;
#ifdef RENAME_NOREPLACE
  /* uncovered: filesystems without hard links (FAT, some FUSE) */
  if (err == EPERM || err == EOPNOTSUPP || err == ENOSYS) { /* GCOVR_EXCL_BR_LINE */
    if (renameat2(t->dirfd, name, t->dirfd, t->base, RENAME_NOREPLACE) == 0) /* GCOVR_EXCL_BR_LINE */
      return 0;
    err = errno;
  }
#endif
  unlinkat(t->dirfd, name, 0);
  if (err == EEXIST) return lsq_ferr_set(e, "exists", "file exists"); /* GCOVR_EXCL_BR_LINE */
  /* uncovered: linking beside the temporary just made fails only when the
     disk or the quota is full */
  return lsq_ferr_errno(e, err);
}

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
  seed = temp_seed();
  for (i = 0; i < TEMP_TRIES; i++) { /* GCOVR_EXCL_BR_LINE */
    temp_name(name, t->base, seed + (unsigned long long)i);
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
  lua_pushstring(L, kind_of(st.st_mode, 0));
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
    rc = dir_error(&e, ENOTDIR);
  } else if (errno != ENOENT) {
    rc = lsq_ferr_errno(&e, errno);
  }
  if (rc == 0) {
    if (stat(dir, &st) != 0)
      rc = dir_error(&e, errno);
    else if (!S_ISDIR(st.st_mode)) /* GCOVR_EXCL_BR_LINE */
      rc = dir_error(&e, ENOTDIR); /* uncovered: lstat said ENOTDIR first */
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

void sq_open_file(lua_State *L) {
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
