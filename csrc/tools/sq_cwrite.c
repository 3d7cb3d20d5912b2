/*
 * sq_cwrite.c -- the C source writer of the embedding tools (sq_cwrite.h).
 */
#include "sq_cwrite.h"

#include <stdio.h>
#include <stdlib.h>

int sq_cw_failed(const char *tool, const char *what, const char *path) {
  fprintf(stderr, "%s: %s: %s\n", tool, path, what);
  return 1;
}

/* Closes f, frees buf; 1 after the message what. */
static int slurp_failed(const char *tool, const char *what, const char *path, FILE *f,
                        char *buf) {
  free(buf);
  fclose(f);
  return sq_cw_failed(tool, what, path);
}

int sq_cw_slurp(const char *tool, const char *path, size_t max, char **data, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t n = 0, cap = 0;
  int c;
  if (f == NULL) return sq_cw_failed(tool, "cannot open", path);
  while ((c = getc(f)) != EOF) {
    if (n >= max) return slurp_failed(tool, "file too large", path, f, buf);
    if (n + 1 >= cap) {
      char *nb;
      cap = cap ? 2 * cap : 4096;
      nb = (char *)realloc(buf, cap);
      if (nb == NULL) return slurp_failed(tool, "out of memory", path, f, buf);
      buf = nb;
    }
    buf[n++] = (char)c;
  }
  if (ferror(f)) return slurp_failed(tool, "read error", path, f, buf);
  fclose(f);
  if (buf == NULL) {
    buf = (char *)malloc(1);
    if (buf == NULL) return sq_cw_failed(tool, "out of memory", path);
  }
  buf[n] = '\0';
  *data = buf;
  *len = n;
  return 0;
}

void sq_cw_string(const char *s) {
  putchar('"');
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        c == '.' || c == '_' || c == '-' || c == '/')
      putchar(c);
    else
      printf("\\%03o", c);
  }
  putchar('"');
}

void sq_cw_bytes_open(sq_cw_bytes *b, const char *name) {
  b->n = 0;
  printf("static const unsigned char %s[] = {", name);
}

void sq_cw_byte(sq_cw_bytes *b, unsigned char c) {
  if (b->n % 16 == 0) printf("\n ");
  printf(" %d,", c);
  b->n++;
}

void sq_cw_bytes_close(void) {
  printf("\n  0\n};\n\n");
}
