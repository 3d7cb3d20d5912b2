/*
 * sq_utf8.c -- text utilities: strict UTF-8 (no overlong forms, no
 * surrogates, nothing above U+10FFFF), locale-independent number reading
 * and integer formatting.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "siqun.h"
#include "sq_utf8.h"

size_t sq_u8_decode(const char *str, size_t len, unsigned long *cp) {
  const unsigned char *s = (const unsigned char *)str;
  unsigned long c;
  size_t n, i;
  if (len == 0) return 0;
  c = s[0];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    c &= 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    c &= 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    c &= 0x07;
  } else {
    return 0;
  }
  if (len < n) return 0;
  for (i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    c = (c << 6) | (s[i] & 0x3F);
  }
  if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10FFFF ||
      (c >= 0xD800 && c <= 0xDFFF))
    return 0;
  *cp = c;
  return n;
}

size_t siqun_utf8_valid(const char *s, size_t len) {
  size_t pos = 0;
  unsigned long cp;
  if (s == NULL) return 0;
  while (pos < len) {
    size_t n;
    if ((unsigned char)s[pos] < 0x80) {
      pos++;
      continue;
    }
    n = sq_u8_decode(s + pos, len - pos, &cp);
    if (n == 0) break;
    pos += n;
  }
  return pos;
}

size_t sq_u8_count(const char *s, size_t len) {
  size_t i, n = 0;
  for (i = 0; i < len; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) n++;
  return n;
}

size_t sq_u8_cut(const char *s, size_t len, size_t max) {
  if (len <= max) return len;
  while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80) max--;
  return max;
}

/* Table Schema number: [+-]digits[.digits][(e|E)[+-]digits], or NaN, INF,
   -INF.  strtod alone would accept hex, "infinity", leading spaces and the
   locale's decimal point.  The text handed to strtod has no decimal point
   (123.45e6 becomes 12345e4), so the result does not depend on the locale
   and nothing global (localeconv) is read: loads may run on many threads. */
int sq_strtod(const char *s, size_t len, double *out) {
  char buf[96];
  size_t i = 0, n = 0, digits = 0, frac = 0;
  long exp = 0;
  char *end;
  if (len == 3 && memcmp(s, "NaN", 3) == 0) {
    *out = strtod("NAN", NULL);
    return 0;
  }
  if ((len == 3 && memcmp(s, "INF", 3) == 0) ||
      (len == 4 && memcmp(s, "+INF", 4) == 0)) {
    *out = strtod("INF", NULL);
    return 0;
  }
  if (len == 4 && memcmp(s, "-INF", 4) == 0) {
    *out = -strtod("INF", NULL);
    return 0;
  }
  if (len == 0 || len >= 64) return -1;
  if (s[i] == '+' || s[i] == '-') buf[n++] = s[i++];
  while (i < len && s[i] >= '0' && s[i] <= '9') buf[n++] = s[i++], digits++;
  if (i < len && s[i] == '.') {
    i++;
    while (i < len && s[i] >= '0' && s[i] <= '9') buf[n++] = s[i++], digits++, frac++;
  }
  if (digits == 0) return -1;
  if (i < len && (s[i] == 'e' || s[i] == 'E')) {
    size_t e = 0;
    int neg = 0;
    i++;
    if (i < len && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, e++)
      if (exp < 100000) exp = exp * 10 + (s[i] - '0'); /* beyond: 0 or inf anyway */
    if (e == 0) return -1;
    if (neg) exp = -exp;
  }
  if (i != len) return -1;
  exp -= (long)frac;
  snprintf(buf + n, sizeof buf - n, "e%ld", exp);
  errno = 0;
  *out = strtod(buf, &end);
  if (*end != '\0') return -1;
  if (errno == ERANGE && (*out > 1.0 || *out < -1.0)) return -1; /* overflow */
  return 0;
}

size_t sq_lltoa(long long v, char *buf) {
  char tmp[24];
  size_t n = 0, i;
  unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
  do {
    tmp[n++] = (char)('0' + (int)(u % 10));
    u /= 10;
  } while (u);
  i = 0;
  if (v < 0) buf[i++] = '-';
  while (n) buf[i++] = tmp[--n];
  buf[i] = '\0';
  return i;
}
