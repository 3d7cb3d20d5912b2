/*
 * sq_utf8.h -- text utilities (sq_utf8.c): strict UTF-8, locale-independent
 * number reading and integer formatting.  (siqun_utf8_valid is in siqun.h.)
 */
#ifndef SQ_UTF8_H
#define SQ_UTF8_H

#include <stddef.h>

/* Decodes one code point at s[0..len); returns its byte length, 0 if the
   bytes there are not valid UTF-8 (or len == 0). */
size_t sq_u8_decode(const char *s, size_t len, unsigned long *cp);
/* Number of code points of valid UTF-8 (s, len). */
size_t sq_u8_count(const char *s, size_t len);
/* Length of the longest prefix of (s, len) at most max bytes long that ends
   on a character boundary. */
size_t sq_u8_cut(const char *s, size_t len, size_t max);
/* Locale-independent strtod over the whole of (s, len): 0 on success. */
int sq_strtod(const char *s, size_t len, double *out);
/* Decimal text of v into buf (at least 24 bytes); returns its length. */
size_t sq_lltoa(long long v, char *buf);

#endif
