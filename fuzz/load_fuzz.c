/*
 * load_fuzz.c -- libFuzzer harness of the dataset loader through
 * siqun_open_files.  The files start as the valid fixture
 * (spec/fixtures/valid, read at start-up; SIQUN_FUZZ_FIXTURE names another
 * directory); the input then edits that set.  The input is a sequence of
 * parts separated by the two bytes FF FE (never in UTF-8); the first byte
 * of a part picks a file (its value modulo the number of names below) and
 * the rest of the part replaces that file's content; a first byte with the
 * high bit set removes the file instead.  So every seed in
 * fuzz/corpus/load is one byte and a file of the fixture, or a few.
 *
 * For an input whose size is a multiple of four, the same set is then
 * written to a directory of its own (made at start-up under $TMPDIR) and
 * opened from there with siqun_open_dir, so that the directory reader
 * (paths, links, sizes) is fuzzed too.
 *
 * Invariants, for both: a refusal has a message and leaves no dataset and
 * no block allocated; an opened dataset can be read entirely (every cell,
 * every primary key found again) and closing it frees every block.
 *
 *   make fuzz   (or: build/fuzz/load_fuzz fuzz/corpus/load)
 */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "siqun.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static const char *const NAMES[] = {
  "datapackage.json", "meta.csv", "sections.csv", "figures.csv", "quotas.csv",
  "glossary.csv", "members.csv", "places.csv", "people.csv", "events.csv",
  "extra.csv", "sub/extra.csv"
};
#define NNAMES (sizeof NAMES / sizeof NAMES[0])

static char *base[NNAMES];
static char workdir[512]; /* the directory the input's files are written to */
static size_t base_len[NNAMES];

static void check(int ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "load_fuzz: invariant broken: %s\n", what);
    abort();
  }
}

typedef struct counting {
  long long live;
} counting;

static void *count_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  counting *c = (counting *)ud;
  void *p;
  if (nsize == 0) {
    if (ptr) c->live -= (long long)osize;
    free(ptr);
    return NULL;
  }
  p = realloc(ptr, nsize);
  if (p) c->live += (long long)nsize - (ptr ? (long long)osize : 0);
  return p;
}

/* Removes workdir at exit. */
static void remove_workdir(void) {
  size_t i;
  char path[600];
  for (i = 0; i < NNAMES; i++) {
    snprintf(path, sizeof path, "%s/%s", workdir, NAMES[i]);
    unlink(path);
  }
  snprintf(path, sizeof path, "%s/sub", workdir);
  rmdir(path);
  rmdir(workdir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  const char *dir = getenv("SIQUN_FUZZ_FIXTURE");
  size_t i;
  (void)argc;
  (void)argv;
  if (dir == NULL) dir = "spec/fixtures/valid";
  for (i = 0; i < NNAMES; i++) {
    char path[1024];
    FILE *f;
    long n;
    snprintf(path, sizeof path, "%s/%s", dir, NAMES[i]);
    f = fopen(path, "rb");
    if (f == NULL) continue; /* extra.csv: absent unless the input adds it */
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
      fclose(f);
      continue;
    }
    base[i] = (char *)malloc((size_t)n + 1);
    if (base[i] == NULL || fread(base[i], 1, (size_t)n, f) != (size_t)n) {
      fprintf(stderr, "load_fuzz: cannot read %s\n", path);
      exit(2);
    }
    base_len[i] = (size_t)n;
    fclose(f);
  }
  {
    const char *tmp = getenv("TMPDIR");
    char sub[600];
    snprintf(workdir, sizeof workdir, "%s/siqun-load-fuzz-XXXXXX", tmp ? tmp : "/tmp");
    if (mkdtemp(workdir) == NULL) {
      fprintf(stderr, "load_fuzz: cannot make a directory under %s\n", tmp ? tmp : "/tmp");
      exit(2);
    }
    snprintf(sub, sizeof sub, "%s/sub", workdir);
    if (mkdir(sub, 0700) != 0) exit(2);
    atexit(remove_workdir);
  }
  if (base[0] == NULL) {
    fprintf(stderr, "load_fuzz: no %s/datapackage.json (run from the repository root "
            "or set SIQUN_FUZZ_FIXTURE)\n", dir);
    exit(2);
  }
  return 0;
}

/* Reads everything an opened dataset holds. */
static void walk(const siqun_dataset *ds) {
  size_t i, n = siqun_ntables(ds);
  siqun_source_info info;
  siqun_source(ds, &info);
  check(strlen(info.sha256) == 64, "source hash");
  check(siqun_table_at(ds, n) == NULL, "table past the end");
  for (i = 0; i < n; i++) {
    const siqun_table *t = siqun_table_at(ds, i);
    size_t r, c, rows = siqun_nrows(t), nf = siqun_nfields(t), pk[8], npk;
    const char *name = siqun_table_name(t);
    check(t != NULL && name != NULL && siqun_table_find(ds, name) == t, "table by name");
    check(siqun_field_name(t, nf) == NULL, "field past the end");
    npk = siqun_primary_key(t, pk, 8);
    for (c = 0; c < nf; c++) {
      const char *fname = siqun_field_name(t, c);
      check(fname != NULL && siqun_field_schema_type(t, c) != NULL, "field");
      check(siqun_field_index(t, fname, strlen(fname)) == (long)c, "field index");
    }
    for (r = 0; r < rows; r++) {
      for (c = 0; c < nf; c++) {
        siqun_value v = siqun_cell(t, r, c);
        if (v.type == SIQUN_T_STRING)
          check(v.as.s.ptr != NULL && siqun_utf8_valid(v.as.s.ptr, v.as.s.len) == v.as.s.len,
                "a string cell is valid UTF-8");
      }
      if (npk == 1) {
        siqun_value k = siqun_cell(t, r, pk[0]);
        if (k.type == SIQUN_T_STRING)
          check(siqun_find_key(t, k.as.s.ptr, k.as.s.len) == (long)r, "primary key lookup");
      }
    }
    check(siqun_cell(t, rows, 0).type == SIQUN_T_NULL, "row past the end");
  }
}

/* Opens the files (in memory, or written to workdir when from_dir) and
   checks the invariants. */
static void open_and_check(const siqun_file *files, size_t nfiles, int from_dir) {
  siqun_dataset *ds = NULL;
  counting c = { 0 };
  char err[SIQUN_ERRMAX];
  int rc;
  err[0] = '\0';
  if (from_dir) {
    size_t i, j;
    for (i = 0; i < NNAMES; i++) { /* the files of the previous input go */
      char path[600];
      snprintf(path, sizeof path, "%s/%s", workdir, NAMES[i]);
      unlink(path);
    }
    for (j = 0; j < nfiles; j++) {
      char path[600];
      FILE *f;
      snprintf(path, sizeof path, "%s/%s", workdir, files[j].name);
      f = fopen(path, "wb");
      if (f == NULL || fwrite(files[j].data, 1, files[j].len, f) != files[j].len) {
        fprintf(stderr, "load_fuzz: cannot write %s\n", path);
        abort();
      }
      fclose(f);
    }
    rc = siqun_open_dir(workdir, count_alloc, &c, &ds, err, sizeof err);
  } else {
    rc = siqun_open_files(files, nfiles, count_alloc, &c, &ds, err, sizeof err);
  }
  if (rc == 0) {
    check(ds != NULL, "a dataset on success");
    walk(ds);
    siqun_close(ds);
  } else {
    check(rc == -1 && ds == NULL, "no dataset on failure");
    check(err[0] != '\0' && strlen(err) < sizeof err, "a message on failure");
    check(siqun_utf8_valid(err, strlen(err)) == strlen(err), "the message is UTF-8");
  }
  check(c.live == 0, "every block freed");
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
  siqun_file files[NNAMES];
  const char *content[NNAMES];
  size_t len[NNAMES], i, nfiles = 0, pos = 0;
  int present[NNAMES];
  for (i = 0; i < NNAMES; i++) {
    content[i] = base[i];
    len[i] = base_len[i];
    present[i] = base[i] != NULL;
  }
  while (pos < size) {
    size_t end = pos, k;
    while (end < size && !(data[end] == 0xFF && end + 1 < size && data[end + 1] == 0xFE)) end++;
    k = data[pos] % NNAMES;
    if (data[pos] & 0x80) {
      present[k] = 0;
    } else {
      present[k] = 1;
      content[k] = (const char *)data + pos + 1;
      len[k] = end - pos - 1;
    }
    pos = end + 2;
  }
  for (i = 0; i < NNAMES; i++) {
    if (!present[i]) continue;
    files[nfiles].name = NAMES[i];
    files[nfiles].data = content[i] ? content[i] : "";
    files[nfiles].len = len[i];
    nfiles++;
  }
  open_and_check(files, nfiles, 0);
  /* writing files is slow: the directory for one input in four (by size,
     so that the fuzzer can steer an input either way) */
  if (size % 4 == 0) open_and_check(files, nfiles, 1);
  return 0;
}
