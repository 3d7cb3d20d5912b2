/*
 * sq_dir.c -- siqun_open_dir: the loader's files read from a directory.
 * The descriptor and each resource are read on demand into the loader's
 * scratch arena.  A file must resolve (symbolic links followed) to a
 * regular file inside the directory, and is bounded in size; the resource
 * path itself has been checked by the schema reader (relative, no '..').
 * A FIFO or device in its place is refused without blocking.  POSIX only.
 */
#define _XOPEN_SOURCE 700 /* realpath, strerror_r (XSI), O_NOFOLLOW */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "sq_load.h"
#include "sq_palloc.h"

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif
#ifndef O_NOFOLLOW
#define O_NOFOLLOW 0
#endif
#ifndef O_NONBLOCK
#define O_NONBLOCK 0
#endif

typedef struct dirctx {
  const char *dir;      /* as given */
  char real[PATH_MAX];  /* its real path */
  size_t reallen;
} dirctx;

/* strerror_r, XSI flavour (we define _XOPEN_SOURCE, not _GNU_SOURCE).
   Coverage: the GCOVR_EXCL_BR_LINE marks below are failures of the system
   that tests cannot cause (an unknown errno, ENOMEM from realpath, fstat or
   read failing on an open regular file, a file changing while read, more
   than SQ_MAX_TOTAL bytes of files, a dataset at the root directory, open
   refused after realpath succeeded, which only a non-root user sees). */
static const char *errtext(int e, char *buf, size_t size) {
  if (strerror_r(e, buf, size) != 0) snprintf(buf, size, "error %d", e); /* GCOVR_EXCL_BR_LINE */
  return buf;
}

static int dir_get(sq_loader *ld, void *fud, const char *path, const char **data,
                   size_t *len) {
  dirctx *d = (dirctx *)fud;
  size_t dl = strlen(d->dir), pl = strlen(path), max, got = 0;
  char *full, real[PATH_MAX], eb[128];
  struct stat st;
  int fd;
  char *buf;
  max = strcmp(path, SQ_DESCRIPTOR) == 0 ? SQ_MAX_DESC : SQ_MAX_FILE;
  full = (char *)sq_salloc(ld, dl + pl + 2);
  memcpy(full, d->dir, dl);
  full[dl] = '/';
  memcpy(full + dl + 1, path, pl + 1);
  if (realpath(full, real) == NULL) {
    int e = errno;
    if (e == ENOMEM) sq_raise_oom(ld); /* GCOVR_EXCL_BR_LINE */
    sq_raise(ld, "%s: cannot open '%s': %s", path, full, errtext(e, eb, sizeof eb));
  }
  if (strncmp(real, d->real, d->reallen) != 0 ||
      (real[d->reallen] != '/' && !(d->reallen == 1 && d->real[0] == '/'))) { /* GCOVR_EXCL_BR_LINE */
    sq_raise(ld, "%s: '%s' leads outside the dataset's directory", path, full);
  }
  /* O_NONBLOCK: opening a FIFO (or a device) named like a resource must
     not block; the regular-file check below then refuses it.  Reads from a
     regular file are not affected. */
  fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) { /* GCOVR_EXCL_BR_LINE */
    /* uncovered: realpath() above has just found the file, so only a
       race or a file its owner cannot read gets here, and the specs run
       as root (which reads everything) */
    int e = errno;
    sq_raise(ld, "%s: cannot open '%s': %s", path, full, errtext(e, eb, sizeof eb));
  }
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) { /* GCOVR_EXCL_BR_LINE */
    close(fd);
    sq_raise(ld, "%s: '%s' is not a regular file", path, full);
  }
  if ((unsigned long long)st.st_size > (unsigned long long)max) {
    close(fd);
    sq_raise(ld, "%s: file larger than %lu bytes", path, (unsigned long)max);
  }
  if ((size_t)st.st_size > SQ_MAX_TOTAL - ld->total) { /* GCOVR_EXCL_BR_LINE */
    /* uncovered: needs more than 256 MB of files on disk, which the specs
       do not write (hostile_spec reaches the 64 MB limit of one file) */
    close(fd);
    sq_raise(ld, "%s: the dataset's files exceed %lu bytes", path, (unsigned long)SQ_MAX_TOTAL);
  }
  /* read at most st_size + 1 bytes: a file that grew is refused */
  buf = (char *)sq_arena_alloc(&ld->scratch, (size_t)st.st_size + 1);
  if (buf == NULL) {
    close(fd);
    sq_raise_oom(ld);
  }
  while (got <= (size_t)st.st_size) {
    ssize_t n = read(fd, buf + got, (size_t)st.st_size + 1 - got);
    if (n < 0) { /* GCOVR_EXCL_BR_LINE */
      /* uncovered: read() of a regular file fails only on an I/O error
         or a signal, which a spec cannot cause */
      int e = errno;
      if (e == EINTR) continue; /* GCOVR_EXCL_BR_LINE */
      close(fd);
      sq_raise(ld, "%s: cannot read '%s': %s", path, full, errtext(e, eb, sizeof eb));
    }
    if (n == 0) break;
    got += (size_t)n;
  }
  close(fd);
  /* uncovered: needs another process writing the file meanwhile */
  if (got != (size_t)st.st_size) /* GCOVR_EXCL_BR_LINE */
    sq_raise(ld, "%s: '%s' changed while being read", path, full);
  ld->total += got;
  *data = buf;
  *len = got;
  return 0;
}

int siqun_open_dir(const char *dir, siqun_alloc alloc, void *ud,
                   siqun_dataset **out, char *err, size_t errsz) {
  sq_loader ld;
  dirctx d;
  int rc;
  if (out == NULL) {
    if (err && errsz) snprintf(err, errsz, "siqun_open_dir: out is NULL");
    return -1;
  }
  *out = NULL;
  if (dir == NULL || dir[0] == '\0' || strlen(dir) > 4096) {
    if (err && errsz) snprintf(err, errsz, "siqun_open_dir: no directory given");
    return -1;
  }
  d.dir = dir;
  if (realpath(dir, d.real) == NULL) {
    char eb[128];
    int e = errno;
    if (err && errsz) {
      if (e == ENOMEM) snprintf(err, errsz, "%s", SQ_NOMEM); /* GCOVR_EXCL_BR_LINE */
      else snprintf(err, errsz, "%.300s: %s", dir, errtext(e, eb, sizeof eb));
    }
    return -1;
  }
  d.reallen = strlen(d.real);
  memset(&ld, 0, sizeof ld);
  ld.err = err;
  ld.errsz = errsz;
  ld.getfile = dir_get;
  ld.fud = &d;
  rc = sq_load_run(&ld, alloc, ud, out);
  return rc;
}
