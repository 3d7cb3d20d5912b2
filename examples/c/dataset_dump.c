/*
 * dataset_dump.c -- siqun from C, without Lua: opens the dataset compiled
 * into the library (or the data package in a directory), reads every table
 * (its fields and every cell) and runs the quantity parser over every text
 * cell.
 *
 *   cc -std=c99 dataset_dump.c $(pkg-config --cflags --libs siqun) -o dataset_dump
 *   ./dataset_dump            # the embedded article
 *   ./dataset_dump -v data    # a dataset directory, every cell printed
 *
 * Output, one line each:
 *   dataset <embedded|DIR> tables <n>
 *   source sha256 <hex> bytes <n> codepoints <n>
 *   table <name> rows <n> fields <m> cells <sha256>
 *   quantities <parsed> of <text cells> results <sha256>
 * (-v adds "field ..." and "cell ..." lines).  The cells digest is the
 * SHA-256 of every field (name, type, derived) then every cell in row order,
 * each written as below; a Lua script reading the same dataset through
 * siqun.core can compute it too, which spec/embed_spec.lua does.
 *   null "n;"  string "s<len>:<bytes>;"  integer "i<%lld>;"
 *   number "d<%.17g>;"  boolean "b1;" / "b0;"   and "\n" after each row
 * Exit status: 0, 1 when the dataset cannot be opened, 2 on bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "siqun.h"

/* A growable byte buffer; a failed allocation sets oom and drops the rest. */
typedef struct buf {
  char *p;
  size_t len, cap;
  int oom;
} buf;

static void buf_add(buf *b, const char *s, size_t n) {
  if (b->oom) return;
  if (n > b->cap - b->len) {
    size_t cap = b->cap ? b->cap : 256;
    char *p;
    while (n > cap - b->len) {
      if (cap > ((size_t)-1) / 2) {
        b->oom = 1;
        return;
      }
      cap *= 2;
    }
    p = (char *)realloc(b->p, cap);
    if (p == NULL) {
      b->oom = 1;
      return;
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
}

static void buf_str(buf *b, const char *s) { buf_add(b, s, strlen(s)); }

static void buf_fmt_ll(buf *b, const char *tag, long long v) {
  char tmp[64];
  int n = snprintf(tmp, sizeof tmp, "%s%lld;", tag, v);
  if (n > 0) buf_add(b, tmp, (size_t)n);
}

static void buf_fmt_g(buf *b, const char *tag, double v) {
  char tmp[64];
  int n = snprintf(tmp, sizeof tmp, "%s%.17g;", tag, v);
  if (n > 0) buf_add(b, tmp, (size_t)n);
}

static void buf_lstr(buf *b, const char *s, size_t len) {
  char tmp[32];
  int n = snprintf(tmp, sizeof tmp, "s%zu:", len);
  if (n > 0) buf_add(b, tmp, (size_t)n);
  buf_add(b, s, len);
  buf_add(b, ";", 1);
}

/* "<64 hex digits>" of the SHA-256 of (p, n) into hex[65]. */
static void sha_hex(const char *p, size_t n, char hex[65]) {
  unsigned char d[32];
  size_t i;
  siqun_sha256(p, n, d);
  for (i = 0; i < 32; i++) sprintf(hex + 2 * i, "%02x", d[i]);
  hex[64] = '\0';
}

static void add_value(buf *b, siqun_value v) {
  switch (v.type) {
    case SIQUN_T_STRING: buf_lstr(b, v.as.s.ptr, v.as.s.len); break;
    case SIQUN_T_INTEGER: buf_fmt_ll(b, "i", v.as.i); break;
    case SIQUN_T_NUMBER: buf_fmt_g(b, "d", v.as.n); break;
    case SIQUN_T_BOOLEAN: buf_str(b, v.as.b ? "b1;" : "b0;"); break;
    default: buf_str(b, "n;"); break;
  }
}

static void print_value(siqun_value v) {
  switch (v.type) {
    case SIQUN_T_STRING: printf("%.*s", (int)v.as.s.len, v.as.s.ptr); break;
    case SIQUN_T_INTEGER: printf("%lld", v.as.i); break;
    case SIQUN_T_NUMBER: printf("%.17g", v.as.n); break;
    case SIQUN_T_BOOLEAN: printf("%s", v.as.b ? "true" : "false"); break;
    default: printf("null"); break;
  }
}

/* One parsed quantity, as the digest records it (same fields as the
   siqun.Quantity core.quantity returns). */
static void add_quantity(buf *b, const siqun_quantity *q) {
  buf_str(b, q->kind == SIQUN_Q_DATE ? "date " : "number ");
  buf_str(b, siqun_qualifier_name(q->qualifier));
  if (q->kind == SIQUN_Q_DATE) {
    buf_fmt_ll(b, " y", q->date.year);
    buf_fmt_ll(b, "m", q->date.month);
    buf_fmt_ll(b, "d", q->date.day);
    buf_fmt_ll(b, "-y", q->to.year);
    buf_fmt_ll(b, "m", q->to.month);
    buf_fmt_ll(b, "d", q->to.day);
  } else {
    buf_fmt_g(b, " v", q->value);
    if (q->has_min) buf_fmt_g(b, "min", q->min);
    if (q->has_max) buf_fmt_g(b, "max", q->max);
    buf_str(b, "u");
    buf_lstr(b, q->unit, strlen(q->unit));
  }
  buf_add(b, "\n", 1);
}

static int dump(const siqun_dataset *ds, const char *label, int verbose, buf *cells,
                buf *qs) {
  siqun_source_info src;
  size_t ti, nt = siqun_ntables(ds), ntext = 0, nparsed = 0;
  char hex[65];
  printf("dataset %s tables %zu\n", label, nt);
  siqun_source(ds, &src);
  printf("source sha256 %s bytes %zu codepoints %zu\n", src.sha256, src.bytes,
         src.codepoints);
  qs->len = 0;
  for (ti = 0; ti < nt; ti++) {
    const siqun_table *t = siqun_table_at(ds, ti);
    size_t r, c, nr = siqun_nrows(t), nf = siqun_nfields(t);
    cells->len = 0;
    for (c = 0; c < nf; c++) {
      const char *name = siqun_field_name(t, c), *type = siqun_field_schema_type(t, c);
      buf_lstr(cells, name, strlen(name));
      buf_lstr(cells, type, strlen(type));
      buf_str(cells, siqun_field_derived(t, c) ? "b1;" : "b0;");
      if (verbose)
        printf("field %s.%s %s%s\n", siqun_table_name(t), name, type,
               siqun_field_derived(t, c) ? " derived" : "");
    }
    buf_add(cells, "\n", 1);
    for (r = 0; r < nr; r++) {
      for (c = 0; c < nf; c++) {
        siqun_value v = siqun_cell(t, r, c);
        add_value(cells, v);
        if (verbose) {
          printf("cell %s[%zu].%s = ", siqun_table_name(t), r + 1, siqun_field_name(t, c));
          print_value(v);
          putchar('\n');
        }
        if (v.type == SIQUN_T_STRING) {
          siqun_quantity q;
          ntext++;
          if (siqun_quantity_parse(v.as.s.ptr, v.as.s.len, &q, NULL, 0) == 0) {
            nparsed++;
            buf_lstr(qs, v.as.s.ptr, v.as.s.len);
            add_quantity(qs, &q);
          }
        }
      }
      buf_add(cells, "\n", 1);
    }
    if (cells->oom || qs->oom) return -1;
    sha_hex(cells->p, cells->len, hex);
    printf("table %s rows %zu fields %zu cells %s\n", siqun_table_name(t), nr, nf, hex);
  }
  sha_hex(qs->p ? qs->p : "", qs->len, hex);
  printf("quantities %zu of %zu results %s\n", nparsed, ntext, hex);
  return 0;
}

int main(int argc, char **argv) {
  siqun_dataset *ds = NULL;
  char err[SIQUN_ERRMAX];
  const char *dir = NULL;
  int i, verbose = 0, rc;
  buf cells = {NULL, 0, 0, 0}, qs = {NULL, 0, 0, 0};
  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-v") == 0) {
      verbose = 1;
    } else if (argv[i][0] == '-' || dir != NULL) {
      fprintf(stderr, "usage: %s [-v] [dataset-dir]\n", argv[0]);
      return 2;
    } else {
      dir = argv[i];
    }
  }
  rc = dir ? siqun_open_dir(dir, NULL, NULL, &ds, err, sizeof err)
           : siqun_open_embedded(NULL, NULL, &ds, err, sizeof err);
  if (rc != 0) {
    fprintf(stderr, "dataset_dump: %s\n", err);
    return 1;
  }
  rc = dump(ds, dir ? dir : "embedded", verbose, &cells, &qs);
  siqun_close(ds);
  free(cells.p);
  free(qs.p);
  if (rc != 0) {
    fprintf(stderr, "dataset_dump: out of memory\n");
    return 1;
  }
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "dataset_dump: write error\n");
    return 1;
  }
  return 0;
}
