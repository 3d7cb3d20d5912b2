/*
 * lsq_file.c -- the rules every file routine of the binding shares
 * (lsq_file.h): messages that name the user's path, path checks, the
 * signals blocked while a temporary exists, the target of a write, named
 * temporaries and putting one in place.  core.files itself is
 * lsq_files.c; the temporary handed to a writer lsq_filetemp.c; reading
 * in bounded pieces lsq_filestream.c.
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

const char *lsq_kind_of(mode_t m, int phrase) {
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
  snprintf(e->buf, sizeof e->buf, "%s (only regular files are %s)", lsq_kind_of(m, 1), verb);
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

int lsq_ferr_dir(lsq_ferr *e, int err) {
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
  if (t->dirfd < 0) return lsq_ferr_dir(e, errno);
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

void lsq_temp_name(char *out, const char *base, unsigned long long seed) {
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

unsigned long long lsq_temp_seed(void) {
  struct timespec ts;
  int local = 0;
  unsigned long long s = (unsigned long long)getpid() << 32;
  if (clock_gettime(CLOCK_REALTIME, &ts) == 0) /* GCOVR_EXCL_BR_LINE */
    s ^= (unsigned long long)ts.tv_sec * 1000000007ull + (unsigned long long)ts.tv_nsec;
  return s ^ (unsigned long long)(size_t)&local;
}

int lsq_temp_create(const lsq_target *t, char *name, lsq_ferr *e) {
  unsigned long long seed = lsq_temp_seed();
  int i;
  for (i = 0; i < LSQ_TEMP_TRIES; i++) { /* GCOVR_EXCL_BR_LINE */
    int fd;
    lsq_temp_name(name, t->base, seed + (unsigned long long)i);
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
