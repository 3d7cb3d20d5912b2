/*
 * sq_sha256.c -- SHA-256 (FIPS 180-4), one-shot, no allocation.
 */
#include <string.h>

#include "siqun.h"

typedef unsigned long sq_u32; /* at least 32 bits; masked where it matters */

static const sq_u32 K[64] = {
  0x428a2f98UL, 0x71374491UL, 0xb5c0fbcfUL, 0xe9b5dba5UL, 0x3956c25bUL,
  0x59f111f1UL, 0x923f82a4UL, 0xab1c5ed5UL, 0xd807aa98UL, 0x12835b01UL,
  0x243185beUL, 0x550c7dc3UL, 0x72be5d74UL, 0x80deb1feUL, 0x9bdc06a7UL,
  0xc19bf174UL, 0xe49b69c1UL, 0xefbe4786UL, 0x0fc19dc6UL, 0x240ca1ccUL,
  0x2de92c6fUL, 0x4a7484aaUL, 0x5cb0a9dcUL, 0x76f988daUL, 0x983e5152UL,
  0xa831c66dUL, 0xb00327c8UL, 0xbf597fc7UL, 0xc6e00bf3UL, 0xd5a79147UL,
  0x06ca6351UL, 0x14292967UL, 0x27b70a85UL, 0x2e1b2138UL, 0x4d2c6dfcUL,
  0x53380d13UL, 0x650a7354UL, 0x766a0abbUL, 0x81c2c92eUL, 0x92722c85UL,
  0xa2bfe8a1UL, 0xa81a664bUL, 0xc24b8b70UL, 0xc76c51a3UL, 0xd192e819UL,
  0xd6990624UL, 0xf40e3585UL, 0x106aa070UL, 0x19a4c116UL, 0x1e376c08UL,
  0x2748774cUL, 0x34b0bcb5UL, 0x391c0cb3UL, 0x4ed8aa4aUL, 0x5b9cca4fUL,
  0x682e6ff3UL, 0x748f82eeUL, 0x78a5636fUL, 0x84c87814UL, 0x8cc70208UL,
  0x90befffaUL, 0xa4506cebUL, 0xbef9a3f7UL, 0xc67178f2UL
};

#define M32(x) ((x) & 0xffffffffUL)
#define ROR(x, n) M32(((x) >> (n)) | ((x) << (32 - (n))))

static void block(sq_u32 h[8], const unsigned char *p) {
  sq_u32 w[64], a, b, c, d, e, f, g, hh;
  int i;
  for (i = 0; i < 16; i++)
    w[i] = ((sq_u32)p[4 * i] << 24) | ((sq_u32)p[4 * i + 1] << 16) |
           ((sq_u32)p[4 * i + 2] << 8) | (sq_u32)p[4 * i + 3];
  for (i = 16; i < 64; i++) {
    sq_u32 s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
    sq_u32 s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = M32(w[i - 16] + s0 + w[i - 7] + s1);
  }
  a = h[0]; b = h[1]; c = h[2]; d = h[3];
  e = h[4]; f = h[5]; g = h[6]; hh = h[7];
  for (i = 0; i < 64; i++) {
    sq_u32 S1 = ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25);
    sq_u32 ch = (e & f) ^ (M32(~e) & g);
    sq_u32 t1 = M32(hh + S1 + ch + K[i] + w[i]);
    sq_u32 S0 = ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22);
    sq_u32 mj = (a & b) ^ (a & c) ^ (b & c);
    sq_u32 t2 = M32(S0 + mj);
    hh = g; g = f; f = e; e = M32(d + t1);
    d = c; c = b; b = a; a = M32(t1 + t2);
  }
  h[0] = M32(h[0] + a); h[1] = M32(h[1] + b);
  h[2] = M32(h[2] + c); h[3] = M32(h[3] + d);
  h[4] = M32(h[4] + e); h[5] = M32(h[5] + f);
  h[6] = M32(h[6] + g); h[7] = M32(h[7] + hh);
}

void siqun_sha256(const void *data, size_t len, unsigned char out[32]) {
  sq_u32 h[8] = { 0x6a09e667UL, 0xbb67ae85UL, 0x3c6ef372UL, 0xa54ff53aUL,
                  0x510e527fUL, 0x9b05688cUL, 0x1f83d9abUL, 0x5be0cd19UL };
  const unsigned char *p = (const unsigned char *)data;
  unsigned char tail[128];
  size_t rest, n, i;
  unsigned long long bits = (unsigned long long)len * 8u;
  if (p == NULL) len = 0, bits = 0;
  for (rest = len; rest >= 64; rest -= 64, p += 64) block(h, p);
  memset(tail, 0, sizeof tail);
  if (rest) memcpy(tail, p, rest);
  tail[rest] = 0x80;
  n = rest + 1 + 8 <= 64 ? 64 : 128;
  for (i = 0; i < 8; i++) tail[n - 1 - i] = (unsigned char)(bits >> (8 * i));
  block(h, tail);
  if (n == 128) block(h, tail + 64);
  for (i = 0; i < 8; i++) {
    out[4 * i] = (unsigned char)(h[i] >> 24);
    out[4 * i + 1] = (unsigned char)(h[i] >> 16);
    out[4 * i + 2] = (unsigned char)(h[i] >> 8);
    out[4 * i + 3] = (unsigned char)h[i];
  }
}
