/*
 * dataset_test.c -- C-level checks of the dataset loader: every allocation
 * failing in turn (once, and from then on) gives "not enough memory", a NULL
 * dataset and no leak; mutated inputs (every byte of every file changed in
 * turn, truncations) never crash; accessors are safe on bad arguments; the
 * error buffer may be small.
 *
 * `make ctest` builds it with the C core (csrc/common, dataset, quantity)
 * and the embedded dataset under ASan + UBSan, small arena blocks
 * (-DSQ_ARENA_BLOCK=256: the arenas allocate far more often), and runs it
 * on spec/fixtures/valid.  -DSQ_FUZZ with clang-14's -fsanitize=fuzzer
 * makes it a libFuzzer target (the same sources).
 * The input's first byte picks the file it replaces; the rest is its content.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "siqun.h"

static int failures = 0;

#define CHECK(c)                                                      \
  do {                                                                \
    if (!(c)) {                                                       \
      failures++;                                                     \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c); \
    }                                                                 \
  } while (0)

/* An allocator that counts live bytes and fails the n-th allocation (once,
   or from then on). */
typedef struct counting {
  long calls, fail_at;
  int persistent;
  long long live;
} counting;

static void *count_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  counting *c = (counting *)ud;
  if (nsize == 0) {
    if (ptr) c->live -= (long long)osize;
    free(ptr);
    return NULL;
  }
  c->calls++;
  if (c->fail_at > 0 && (c->calls == c->fail_at || (c->persistent && c->calls > c->fail_at)))
    return NULL;
  {
    void *p = realloc(ptr, nsize);
    if (p) c->live += (long long)nsize - (ptr ? (long long)osize : 0);
    return p;
  }
}

static const char *const NAMES[] = {
  "datapackage.json", "meta.csv", "sections.csv", "figures.csv", "quotas.csv",
  "glossary.csv", "members.csv", "places.csv", "people.csv", "events.csv"
};
#define NFILES (sizeof NAMES / sizeof NAMES[0])

static char *slurp(const char *dir, const char *name, size_t *len) {
  char path[1024];
  FILE *f;
  char *buf;
  long n;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = (char *)malloc((size_t)n + 1);
  if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) exit(2);
  fclose(f);
  *len = (size_t)n;
  return buf;
}

/* use_dir: 0 siqun_open_files, 1 siqun_open_dir, 2 siqun_open_embedded. */
static void oom(const siqun_file *files, const char *dir, int persistent, int use_dir) {
  static const char *const how[] = { "files", "dir", "embedded" };
  long n;
  for (n = 1;; n++) {
    counting c = { 0, 0, 0, 0 };
    siqun_dataset *ds = (siqun_dataset *)&c; /* must become NULL */
    char err[SIQUN_ERRMAX];
    int rc;
    c.fail_at = n;
    c.persistent = persistent;
    rc = use_dir == 2 ? siqun_open_embedded(count_alloc, &c, &ds, err, sizeof err)
       : use_dir == 1 ? siqun_open_dir(dir, count_alloc, &c, &ds, err, sizeof err)
       : siqun_open_files(files, NFILES, count_alloc, &c, &ds, err, sizeof err);
    if (rc == 0) {
      CHECK(ds != NULL);
      siqun_close(ds);
      CHECK(c.live == 0);
      printf("oom (%s, %s): succeeded once %ld allocations could be made\n",
             how[use_dir], persistent ? "persistent" : "transient", n - 1);
      return;
    }
    CHECK(ds == NULL);
    CHECK(strcmp(err, "not enough memory") == 0);
    if (strcmp(err, "not enough memory") != 0) fprintf(stderr, "  n=%ld: %s\n", n, err);
    CHECK(c.live == 0);
    if (n > 100000) {
      CHECK(!"never succeeded");
      return;
    }
  }
}

/* Every byte of every file changed in turn: no crash, a clean outcome. */
static void mutate(siqun_file *files) {
  static const char repl[] = { '"', ',', '\n', '\r', '\xff', '\xe4', '0', '{', '\\' };
  size_t i, k, r;
  long refused = 0, opened = 0;
  for (i = 0; i < NFILES; i++) {
    char *data = (char *)files[i].data;
    size_t len = files[i].len;
    for (k = 0; k < len; k++) {
      char keep = data[k];
      for (r = 0; r < sizeof repl; r++) {
        siqun_dataset *ds = NULL;
        char err[SIQUN_ERRMAX];
        data[k] = repl[r];
        if (siqun_open_files(files, NFILES, NULL, NULL, &ds, err, sizeof err) == 0) {
          opened++;
          CHECK(ds != NULL);
          siqun_close(ds);
        } else {
          refused++;
          CHECK(ds == NULL);
          CHECK(err[0] != '\0');
          if (siqun_utf8_valid(err, strlen(err)) != strlen(err)) {
            failures++;
            if (failures < 10) fprintf(stderr, "invalid UTF-8 in message: %s\n", err);
          }
        }
      }
      data[k] = keep;
    }
    /* every truncation */
    for (k = 0; k < len; k += (len > 2000 ? 7 : 1)) {
      siqun_dataset *ds = NULL;
      char err[SIQUN_ERRMAX];
      files[i].len = k;
      if (siqun_open_files(files, NFILES, NULL, NULL, &ds, err, sizeof err) == 0) siqun_close(ds);
      else CHECK(ds == NULL);
    }
    files[i].len = len;
  }
  printf("mutations: %ld refused, %ld opened\n", refused, opened);
}

static void accessors(const siqun_file *files) {
  siqun_dataset *ds = NULL;
  const siqun_table *t;
  siqun_value v;
  siqun_source_info info;
  char err[SIQUN_ERRMAX];
  size_t cols[4];
  CHECK(siqun_open_files(files, NFILES, NULL, NULL, &ds, err, sizeof err) == 0);
  CHECK(siqun_ntables(ds) == 9);
  CHECK(siqun_table_at(ds, 9) == NULL);
  CHECK(siqun_table_find(ds, "nope") == NULL);
  CHECK(siqun_table_find(ds, NULL) == NULL);
  t = siqun_table_find(ds, "figures");
  CHECK(t != NULL && siqun_nrows(t) == 3 && siqun_nfields(t) == 13);
  CHECK(strcmp(siqun_table_name(t), "figures") == 0);
  CHECK(siqun_field_name(t, 13) == NULL);
  CHECK(strcmp(siqun_field_schema_type(t, 8), "number") == 0);
  CHECK(siqun_field_derived(t, 8) && !siqun_field_derived(t, 7) && !siqun_field_derived(t, 99));
  CHECK(siqun_field_index(t, "text", 4) == 1);
  CHECK(siqun_field_index(t, "tex", 3) == -1);
  v = siqun_cell(t, 3, 0);
  CHECK(v.type == SIQUN_T_NULL);
  v = siqun_cell(t, 0, 99);
  CHECK(v.type == SIQUN_T_NULL);
  v = siqun_cell(t, 2, 8);
  CHECK(v.type == SIQUN_T_INTEGER && v.as.i == 15000);
  CHECK(siqun_find_key(t, "books", 5) == 2);
  CHECK(siqun_find_key(t, "book", 4) == -1);
  CHECK(siqun_find_key(t, NULL, 0) == -1);
  CHECK(siqun_primary_key(t, cols, 4) == 1 && cols[0] == 0);
  t = siqun_table_find(ds, "sections");
  CHECK(siqun_find_key(t, "2", 1) == 2);
  CHECK(siqun_find_key(t, "02", 2) == -1);
  t = siqun_table_find(ds, "members");
  CHECK(siqun_primary_key(t, cols, 4) == 2 && cols[0] == 0 && cols[1] == 1);
  CHECK(siqun_find_key(t, "san_jian_shi", 12) == -1);
  siqun_source(ds, &info);
  CHECK(strlen(info.sha256) == 64 && info.codepoints == 115);
  CHECK(siqun_ntables(NULL) == 0 && siqun_nrows(NULL) == 0 && siqun_table_name(NULL) == NULL);
  siqun_close(ds);
  siqun_close(NULL);
}

static void messages(siqun_file *files) {
  siqun_dataset *ds = NULL;
  char err[SIQUN_ERRMAX], small[12];
  size_t i;
  const char *keep = files[3].data;
  size_t keeplen = files[3].len;
  /* a multibyte character cut by a small buffer is dropped whole */
  files[3].data = "id,text\n";
  files[3].len = 8;
  CHECK(siqun_open_files(files, NFILES, NULL, NULL, &ds, err, sizeof err) < 0);
  CHECK(strstr(err, "figures.csv:1: missing field 'label'") == err);
  for (i = 1; i <= sizeof small; i++) {
    memset(small, 'x', sizeof small);
    CHECK(siqun_open_files(files, NFILES, NULL, NULL, &ds, small, i) < 0);
    CHECK(memchr(small, '\0', i) != NULL);
  }
  CHECK(siqun_open_files(files, NFILES, NULL, NULL, &ds, NULL, 0) < 0);
  files[3].data = keep;
  files[3].len = keeplen;
  CHECK(siqun_open_files(files, NFILES, NULL, NULL, NULL, err, sizeof err) < 0);
  CHECK(siqun_open_files(NULL, 1, NULL, NULL, &ds, err, sizeof err) < 0);
  CHECK(siqun_open_files(files, 0, NULL, NULL, &ds, err, sizeof err) < 0);
  CHECK(strcmp(err, "datapackage.json: no such file in the dataset") == 0);
  CHECK(siqun_open_dir(NULL, NULL, NULL, &ds, err, sizeof err) < 0 && ds == NULL);
  /* UTF-8 */
  CHECK(siqun_utf8_valid("a\xe4\xb8\x80" "b", 5) == 5);
  CHECK(siqun_utf8_valid("a\xe4\xb8", 3) == 1);
  CHECK(siqun_utf8_valid("\xed\xa0\x80", 3) == 0);     /* surrogate */
  CHECK(siqun_utf8_valid("\xc0\xaf", 2) == 0);         /* overlong */
  CHECK(siqun_utf8_valid("\xf4\x90\x80\x80", 4) == 0); /* above U+10FFFF */
  CHECK(siqun_utf8_valid("\xf0\x9f\x98\x80", 4) == 4);
}

#ifdef SQ_FUZZ
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
  static siqun_file files[NFILES];
  static int loaded = 0;
  siqun_file mine[NFILES];
  siqun_dataset *ds = NULL;
  char err[SIQUN_ERRMAX];
  size_t i, which;
  if (!loaded) {
    for (i = 0; i < NFILES; i++) {
      files[i].name = NAMES[i];
      files[i].data = slurp("spec/fixtures/valid", NAMES[i], &files[i].len);
    }
    loaded = 1;
  }
  if (size == 0) return 0;
  which = data[0] % NFILES;
  memcpy(mine, files, sizeof mine);
  mine[which].data = (const char *)data + 1;
  mine[which].len = size - 1;
  if (siqun_open_files(mine, NFILES, NULL, NULL, &ds, err, sizeof err) == 0) {
    const siqun_table *t = siqun_table_find(ds, "figures");
    size_t r, c;
    for (r = 0; r < siqun_nrows(t); r++)
      for (c = 0; c < siqun_nfields(t); c++) (void)siqun_cell(t, r, c);
    siqun_close(ds);
  } else if (ds != NULL || siqun_utf8_valid(err, strlen(err)) != strlen(err)) {
    abort();
  }
  return 0;
}
#else
int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "spec/fixtures/valid";
  siqun_file files[NFILES];
  size_t i;
  for (i = 0; i < NFILES; i++) {
    files[i].name = NAMES[i];
    files[i].data = slurp(dir, NAMES[i], &files[i].len);
  }
  accessors(files);
  messages(files);
  oom(files, dir, 0, 0);
  oom(files, dir, 1, 0);
  oom(files, dir, 0, 1);
  oom(files, dir, 1, 1);
  oom(files, dir, 0, 2);
  oom(files, dir, 1, 2);
  mutate(files);
  for (i = 0; i < NFILES; i++) free((void *)files[i].data);
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("all checks passed\n");
  return 0;
}
#endif
