/*
 * sq_cwrite.h -- what the embedding tools write C source with (sq_embed.c:
 * the dataset; sq_embed_lua.c: the Lua layer): their messages, the files
 * they read, string literals and byte arrays, on stdout.  Plain C99, no
 * POSIX: the tools run wherever the build compiler runs.
 */
#ifndef SQ_CWRITE_H
#define SQ_CWRITE_H

#include <stddef.h>

/* "<tool>: <path>: <what>" on stderr; returns 1 (a tool's exit status). */
int sq_cw_failed(const char *tool, const char *what, const char *path);

/* Reads the file at path into a malloc'd buffer of *len bytes and a NUL;
   more than max bytes is an error.  0, or 1 after a message. */
int sq_cw_slurp(const char *tool, const char *path, size_t max, char **data, size_t *len);

/* Writes s as a C string literal (octal escapes outside [A-Za-z0-9._/-]). */
void sq_cw_string(const char *s);

/* A byte array being written: C99 limits string literals (4095 bytes), a
   byte array holds any size.  16 bytes a line; closed by a 0 that n does
   not count, so that text in it can be read as a C string. */
typedef struct sq_cw_bytes {
  size_t n; /* bytes written so far */
} sq_cw_bytes;

void sq_cw_bytes_open(sq_cw_bytes *b, const char *name);
void sq_cw_byte(sq_cw_bytes *b, unsigned char c);
void sq_cw_bytes_close(void);

#endif
