/*
 * sq_qctx.c -- the error of the quantity parser's context: the most
 * advanced one met (messages are formatted only when not scanning).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sq_qctx.h"

void sq_qfail(sq_ctx *c, size_t pos, const char *fmt, ...) {
  va_list ap;
  int n;
  int soft = fmt[0] == '~';
  if (soft) fmt++;
  /* a specific error beats a soft one; among equals the furthest wins */
  if (c->has_err && (soft ? (c->hard || c->err_pos > pos)
                          : (c->hard && c->err_pos > pos)))
    return;
  c->has_err = 1;
  c->hard = !soft;
  c->err_pos = pos;
  if (c->scan) return;
  va_start(ap, fmt);
  n = vsnprintf(c->msg, sizeof c->msg, fmt, ap);
  va_end(ap);
  sq_qmsg_cut(c->msg, sizeof c->msg, n, 1);
}

void sq_qmsg_cut(char *msg, size_t size, int n, int ellipsis) {
  size_t cut, j;
  unsigned char lead;
  if (size == 0 || (n >= 0 && (size_t)n < size)) return; /* not cut */
  ellipsis = ellipsis && size > 4;
  cut = ellipsis ? size - 4 : size - 1; /* bytes [0, cut) are kept */
  /* the last character kept: drop it when the cut left it incomplete */
  j = cut;
  while (j > 0 && ((unsigned char)msg[j - 1] & 0xC0) == 0x80) j--;
  if (j > 0) {
    lead = (unsigned char)msg[j - 1];
    if (lead >= 0xC0 && j - 1 + (lead >= 0xF0 ? 4u : lead >= 0xE0 ? 3u : 2u) > cut) cut = j - 1;
  }
  if (ellipsis) memcpy(msg + cut, "...", 4);
  else msg[cut] = '\0';
}
