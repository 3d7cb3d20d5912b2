/*
 * sq_error.c -- raising a loader error (one longjmp to sq_load_run, the
 * message cut at a character boundary) and quoting a user's value in a
 * message.  The bottom of the dataset files: it calls only sq_utf8.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sq_error.h"
#include "sq_utf8.h"

/* Drops an incomplete UTF-8 sequence that vsnprintf's cut left at the end. */
static void trim_utf8(char *s) {
  size_t n = strlen(s), i = n, need;
  unsigned char c;
  while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80 && n - i < 3) i--;
  if (i == 0) return;
  c = (unsigned char)s[i - 1];
  if (c < 0xC0) return;
  need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  if (n - (i - 1) < need) s[i - 1] = '\0';
}

void sq_vformat(char *buf, size_t size, const char *fmt, va_list ap) {
  vsnprintf(buf, size, fmt, ap);
  trim_utf8(buf);
}

void sq_raise(sq_loader *ld, const char *fmt, ...) {
  if (!ld->oom && ld->err && ld->errsz) {
    va_list ap;
    va_start(ap, fmt);
    sq_vformat(ld->err, ld->errsz, fmt, ap);
    va_end(ap);
  }
  longjmp(ld->jb, 1);
}

void sq_raise_oom(sq_loader *ld) {
  if (ld->err && ld->errsz) snprintf(ld->err, ld->errsz, "%s", SQ_NOMEM);
  ld->oom = 1;
  longjmp(ld->jb, 1);
}

const char *sq_quote(char *buf, const char *s, size_t len) {
  size_t n = sq_u8_cut(s, len, SQ_QUOTE_MAX);
  size_t i;
  if (n > SQ_QUOTE_MAX) n = SQ_QUOTE_MAX; /* (it is not: for the compiler) */
  memcpy(buf, s, n);
  /* a NUL would cut the message short, and the other control characters
     reach the user's terminal: each shows as '?' */
  for (i = 0; i < n; i++)
    if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7F) buf[i] = '?';
  if (n < len) memcpy(buf + n, "...", 4);
  else buf[n] = '\0';
  return buf;
}
