/*
 * lsq_file.h -- internal header of the file binding, the one place where
 * siqun writes a user's file or reads one of unknown kind and size:
 *   lsq_file.c        the rules shared by the others (messages, paths,
 *                     signals, the target, temporaries, putting a file in
 *                     place): this header
 *   lsq_files.c       core.files: kind, check, save, tty_columns
 *   lsq_filetemp.c    core.files.temp: the named temporary that
 *                     siqun.files.save_with hands to a writer (SQLite)
 *   lsq_filestream.c  core.files.open and read: regular files only, read
 *                     in bounded pieces
 * POSIX; on Linux also O_TMPFILE, linkat through /proc/self/fd and
 * renameat2 (RENAME_NOREPLACE), each used only where the headers have it.
 *
 * A failure is described by an lsq_ferr: a short machine-readable code and
 * the text that follows "PATH: " in the message, which names the user's
 * path only, never a temporary.
 */
#ifndef LSQ_FILE_H
#define LSQ_FILE_H

#include <signal.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "lsq.h"

/* Bytes of a temporary's name: "." + at most LSQ_TEMP_BASE bytes of the
   target's name + ".siqun-" + 6 letters + room for "-journal". */
#define LSQ_TEMP_BASE 200
#define LSQ_TEMPNAME (LSQ_TEMP_BASE + 32)
/* Names tried for a temporary before giving up. */
#define LSQ_TEMP_TRIES 100

typedef struct lsq_ferr {
  const char *code; /* "exists", "notregular", "nodir", "toolarge",
                       "changed", or an errno name ("EACCES", "ENOSPC") */
  const char *why;  /* what follows "PATH: " (static text, or buf) */
  char buf[192];
} lsq_ferr;

/* Fills e; both return -1 (the failure value of the callers). */
int lsq_ferr_set(lsq_ferr *e, const char *code, const char *why);
int lsq_ferr_errno(lsq_ferr *e, int err);
/* e for a file of mode m that is not a regular file: "is a FIFO (only
   regular files are <verb>)", code "notregular". */
int lsq_ferr_kind(lsq_ferr *e, mode_t m, const char *verb);
/* e for a missing or unusable directory ("nodir", or the errno's name). */
int lsq_ferr_dir(lsq_ferr *e, int err);
/* The kind of file mode m: its name (kind(): "fifo") or, with phrase, how
   a message says it ("is a FIFO"). */
const char *lsq_kind_of(mode_t m, int phrase);
/* Pushes nil, "PATH: why", code; returns 3. */
int lsq_ferr_push(lua_State *L, const char *path, const lsq_ferr *e);

/* luaL_checklstring for a path: a non-empty string without NUL bytes. */
const char *lsq_checkpath(lua_State *L, int arg);
/* Pushes the directory part of path ("." when there is none, the part up
   to and including the last '/' otherwise); returns the name after it. */
const char *lsq_splitpath(lua_State *L, const char *path);

/* Blocks the signals whose default action ends the process (SIGINT,
   SIGTERM, SIGHUP, SIGQUIT, and SIGXFSZ, which a write past RLIMIT_FSIZE
   raises: blocked, the write fails with EFBIG instead), saving the mask in
   old.  lsq_signals_restore puts old back; a SIGXFSZ left pending by a
   write that failed meanwhile is taken first (the failure is reported
   instead of the process ending), the others then arrive. */
void lsq_signals_block(sigset_t *old);
void lsq_signals_restore(const sigset_t *old);

/* The file a path names: its directory, open, and its name there. */
typedef struct lsq_target {
  int dirfd;        /* -1 when not open */
  const char *base; /* the name in the directory */
  int force;
} lsq_target;

/* Opens the directory dir of base and checks base by lstat: refused when
   it is not a regular file (even with force), or exists without force.
   0, or -1 and e.  lsq_target_close closes what was opened. */
int lsq_target_open(lsq_target *t, const char *dir, const char *base, int force,
                    lsq_ferr *e);
void lsq_target_close(lsq_target *t);

/* Creates a new temporary beside the target (O_CREAT | O_EXCL |
   O_NOFOLLOW, mode 0666 & ~umask), its name in name[LSQ_TEMPNAME]: the
   descriptor, or -1 and e.  Call with the signals blocked. */
int lsq_temp_create(const lsq_target *t, char *name, lsq_ferr *e);
/* ".NAME.siqun-XXXXXX" into out[LSQ_TEMPNAME]: hidden, NAME (base) cut to
   LSQ_TEMP_BASE bytes at a UTF-8 character boundary, six letters from
   seed. */
void lsq_temp_name(char *out, const char *base, unsigned long long seed);
/* A seed no other process or call is likely to have: the time, the
   process, and an address on this call's stack. */
unsigned long long lsq_temp_seed(void);

/* Puts the temporary name (open as fd, whole) in place of the target:
   fsync, then without force link() (never replaces: EEXIST is "exists";
   renameat2 RENAME_NOREPLACE where hard links are not supported) and
   unlink, with force rename() over a regular file, whose permission bits
   the new file takes, or where there is none.  The temporary is gone
   afterwards, whatever happened.  0, or -1 and e. */
int lsq_place_named(const lsq_target *t, int fd, const char *name, lsq_ferr *e);

/* Writes n bytes; 0, or -1 and e. */
int lsq_write_all(int fd, const char *p, size_t n, lsq_ferr *e);

/* What core.files gets from the other two files. */
void lsq_open_filetemp(lua_State *L, int files);
void lsq_open_filestream(lua_State *L, int files);

#endif
