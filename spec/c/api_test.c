/*
 * api_test.c -- misuse of the public C API (siqun.h): every function with
 * NULL pointers, out-of-range indices, empty and tiny error buffers,
 * duplicate or missing files, and keys of every kind.  Nothing may crash
 * (the build is under ASan+UBSan: make asan runs it) and each answer is the
 * documented one (NULL, 0, -1, SIQUN_T_NULL, a message).
 *
 *   make asan   (mk/check.mk: with the C core and the embedded dataset)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "siqun.h"

static int failures = 0;

#define CHECK(c)                                                              \
  do {                                                                        \
    if (!(c)) {                                                               \
      failures++;                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c);   \
    }                                                                         \
  } while (0)

static void accessors_on_nothing(void) {
  siqun_source_info info;
  size_t cols[4];
  siqun_value v;
  CHECK(siqun_ntables(NULL) == 0);
  CHECK(siqun_table_at(NULL, 0) == NULL);
  CHECK(siqun_table_find(NULL, "figures") == NULL);
  CHECK(siqun_table_name(NULL) == NULL);
  CHECK(siqun_nrows(NULL) == 0);
  CHECK(siqun_nfields(NULL) == 0);
  CHECK(siqun_field_name(NULL, 0) == NULL);
  CHECK(siqun_field_schema_type(NULL, 0) == NULL);
  CHECK(siqun_field_derived(NULL, 0) == 0);
  CHECK(siqun_field_index(NULL, "id", 2) == -1);
  v = siqun_cell(NULL, 0, 0);
  CHECK(v.type == SIQUN_T_NULL);
  CHECK(siqun_find_key(NULL, "x", 1) == -1);
  CHECK(siqun_primary_key(NULL, cols, 4) == 0);
  memset(&info, 'x', sizeof info);
  siqun_source(NULL, &info);
  CHECK(info.sha256[0] == '\0' && info.bytes == 0 && info.codepoints == 0);
  siqun_source(NULL, NULL);
  siqun_close(NULL);
}

static void accessors_out_of_range(const siqun_dataset *ds) {
  const siqun_table *fig = siqun_table_find(ds, "figures");
  const siqun_table *mem = siqun_table_find(ds, "members");
  const siqun_table *meta = siqun_table_find(ds, "meta");
  size_t n = siqun_nfields(fig), cols[4];
  siqun_source_info info;
  CHECK(fig != NULL && mem != NULL && meta != NULL);
  if (!fig || !mem || !meta) return;
  CHECK(siqun_table_at(ds, siqun_ntables(ds)) == NULL);
  CHECK(siqun_table_find(ds, NULL) == NULL);
  CHECK(siqun_table_find(ds, "") == NULL);
  CHECK(siqun_table_find(ds, "figures.csv") == NULL);
  CHECK(siqun_field_name(fig, n) == NULL);
  CHECK(siqun_field_schema_type(fig, n) == NULL);
  CHECK(siqun_field_derived(fig, n) == 0);
  CHECK(siqun_field_derived(fig, n - 1) == 1); /* max, derived */
  CHECK(siqun_field_index(fig, NULL, 0) == -1);
  CHECK(siqun_field_index(fig, "id", 1) == -1); /* a prefix is no name */
  CHECK(siqun_field_index(fig, "idx", 2) == 0);
  CHECK(siqun_cell(fig, siqun_nrows(fig), 0).type == SIQUN_T_NULL);
  CHECK(siqun_cell(fig, 0, n).type == SIQUN_T_NULL);
  CHECK(siqun_cell(fig, (size_t)-1, (size_t)-1).type == SIQUN_T_NULL);
  /* keys: a single-field key, a composite one (not searchable by text) */
  CHECK(siqun_find_key(fig, "sessions", 8) == 0);
  CHECK(siqun_find_key(fig, "sessions", 7) == -1);
  CHECK(siqun_find_key(fig, "", 0) == -1);
  CHECK(siqun_find_key(fig, NULL, 0) == -1);
  CHECK(siqun_find_key(fig, "\xff\xfe", 2) == -1);
  CHECK(siqun_find_key(mem, "san_jian_shi", 12) == -1);
  CHECK(siqun_primary_key(mem, NULL, 0) == 2);
  CHECK(siqun_primary_key(mem, cols, 1) == 2);
  CHECK(siqun_primary_key(mem, cols, 4) == 2);
  CHECK(siqun_primary_key(fig, cols, 0) == 1);
  siqun_source(ds, NULL);
  siqun_source(ds, &info);
  CHECK(strlen(info.sha256) == 64 && info.bytes >= info.codepoints);
  /* integer keys are found by their decimal text */
  {
    const siqun_table *sec = siqun_table_find(ds, "sections");
    CHECK(sec != NULL && siqun_find_key(sec, "1", 1) == 1);
    CHECK(sec != NULL && siqun_find_key(sec, "01", 2) == -1);
    CHECK(sec != NULL && siqun_find_key(sec, "-0", 2) == -1);
  }
}

static char *slurp(const char *dir, const char *name, size_t *len) {
  char path[1024];
  FILE *f;
  char *buf;
  long n;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  f = fopen(path, "rb");
  if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
      fseek(f, 0, SEEK_SET) != 0) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(2);
  }
  buf = (char *)malloc((size_t)n + 1);
  if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) exit(2);
  fclose(f);
  *len = (size_t)n;
  return buf;
}

static const char *const NAMES[] = {
  "datapackage.json", "meta.csv", "sections.csv", "figures.csv", "quotas.csv",
  "glossary.csv", "members.csv", "places.csv", "people.csv", "events.csv"
};
#define NFILES (sizeof NAMES / sizeof NAMES[0])

static void opening(const char *dir) {
  siqun_file files[NFILES + 1];
  siqun_dataset *ds = NULL;
  char err[SIQUN_ERRMAX], tiny[8], longdir[5000];
  size_t i;
  for (i = 0; i < NFILES; i++) {
    files[i].name = NAMES[i];
    files[i].data = slurp(dir, NAMES[i], &files[i].len);
  }
  /* the arguments */
  CHECK(siqun_open_files(files, NFILES, NULL, NULL, NULL, err, sizeof err) == -1);
  CHECK(strstr(err, "out is NULL") != NULL);
  CHECK(siqun_open_files(NULL, 1, NULL, NULL, &ds, err, sizeof err) == -1 && ds == NULL);
  CHECK(strstr(err, "files is NULL") != NULL);
  CHECK(siqun_open_files(files, 100000, NULL, NULL, &ds, err, sizeof err) == -1);
  CHECK(strstr(err, "too many files") != NULL);
  CHECK(siqun_open_files(NULL, 0, NULL, NULL, &ds, err, sizeof err) == -1);
  CHECK(strcmp(err, "datapackage.json: no such file in the dataset") == 0);
  files[NFILES] = files[3];
  CHECK(siqun_open_files(files, NFILES + 1, NULL, NULL, &ds, err, sizeof err) == -1);
  CHECK(strcmp(err, "figures.csv: file given twice") == 0);
  files[NFILES].name = NULL;
  CHECK(siqun_open_files(files, NFILES + 1, NULL, NULL, &ds, err, sizeof err) == -1);
  CHECK(strstr(err, "no name or no data") != NULL);
  files[NFILES].name = "extra.csv";
  files[NFILES].data = NULL;
  files[NFILES].len = 1;
  CHECK(siqun_open_files(files, NFILES + 1, NULL, NULL, &ds, err, sizeof err) == -1);
  CHECK(strstr(err, "no name or no data") != NULL);
  files[NFILES].len = 0; /* an empty file with no data is fine */
  CHECK(siqun_open_files(files, NFILES + 1, NULL, NULL, &ds, err, sizeof err) == 0);
  siqun_close(ds);
  ds = NULL;
  /* no error buffer, a tiny one, errsz 0 */
  CHECK(siqun_open_files(files, 3, NULL, NULL, &ds, NULL, 0) == -1 && ds == NULL);
  CHECK(siqun_open_files(files, 3, NULL, NULL, &ds, tiny, sizeof tiny) == -1);
  CHECK(strlen(tiny) < sizeof tiny);
  tiny[0] = 'x';
  CHECK(siqun_open_files(files, 3, NULL, NULL, &ds, tiny, 0) == -1 && tiny[0] == 'x');
  CHECK(siqun_open_files(NULL, 0, NULL, NULL, NULL, NULL, 0) == -1);
  CHECK(siqun_open_files(files, 100000, NULL, NULL, &ds, NULL, 0) == -1);
  /* directories */
  CHECK(siqun_open_dir(dir, NULL, NULL, NULL, err, sizeof err) == -1);
  CHECK(siqun_open_dir(NULL, NULL, NULL, &ds, err, sizeof err) == -1 && ds == NULL);
  CHECK(strstr(err, "no directory given") != NULL);
  CHECK(siqun_open_dir("", NULL, NULL, &ds, err, sizeof err) == -1);
  memset(longdir, 'd', sizeof longdir - 1);
  longdir[sizeof longdir - 1] = '\0';
  CHECK(siqun_open_dir(longdir, NULL, NULL, &ds, err, sizeof err) == -1);
  CHECK(siqun_open_dir("/nonexistent/siqun", NULL, NULL, &ds, err, sizeof err) == -1);
  CHECK(strstr(err, "No such file or directory") != NULL);
  CHECK(siqun_open_dir("/nonexistent/siqun", NULL, NULL, &ds, NULL, 0) == -1);
  CHECK(siqun_open_dir(NULL, NULL, NULL, NULL, NULL, 0) == -1);
  CHECK(siqun_open_dir("/", NULL, NULL, &ds, err, sizeof err) == -1);
  CHECK(strstr(err, "datapackage.json: cannot open '/") != NULL);
  CHECK(siqun_open_dir(dir, NULL, NULL, &ds, NULL, 0) == 0 && ds != NULL);
  if (ds) accessors_out_of_range(ds);
  siqun_close(ds);
  ds = NULL;
  CHECK(siqun_open_embedded(NULL, NULL, &ds, NULL, 0) == 0 && ds != NULL);
  siqun_close(ds);
  CHECK(siqun_open_embedded(NULL, NULL, NULL, err, sizeof err) == -1);
  /* every size of error buffer, on a message with CJK text: the cut never
     leaves half a character (siqun.h: messages are UTF-8) */
  {
    static const char bad[] = "id,text,label,label_zh,category,section,start,end\n"
                              "s,约,x,读书会场次,meetings,1,23,26\n";
    siqun_file f3 = files[3];
    size_t sz;
    files[3].data = bad;
    files[3].len = sizeof bad - 1;
    for (sz = 1; sz <= 160; sz++) {
      char *small = (char *)malloc(sz);
      if (small == NULL) exit(2);
      CHECK(siqun_open_files(files, NFILES, NULL, NULL, &ds, small, sz) == -1);
      CHECK(strlen(small) < sz && siqun_utf8_valid(small, strlen(small)) == strlen(small));
      free(small);
    }
    files[3] = f3;
  }
  for (i = 0; i < NFILES; i++) free((void *)files[i].data);
}

static void quantities(void) {
  siqun_quantity q;
  char err[SIQUN_ERRMAX];
  size_t pos = 0;
  CHECK(siqun_quantity_parse(NULL, 0, &q, err, sizeof err) == -1);
  CHECK(siqun_quantity_parse(NULL, 5, &q, err, sizeof err) == -1);
  CHECK(siqun_quantity_parse("3", 1, &q, NULL, 0) == 0 && q.value == 3);
  CHECK(siqun_scan_next(NULL, 0, &pos, &q) == 0);
  CHECK(siqun_scan_next("3个", 4, NULL, &q) == 0);
  CHECK(siqun_qualifier_name((siqun_qualifier)99) != NULL);
  CHECK(strcmp(siqun_qualifier_name(SIQUN_EXACT), "exact") == 0);
  CHECK(siqun_utf8_valid(NULL, 0) == 0);
  CHECK(siqun_utf8_valid("a\xff", 2) == 1);
  {
    unsigned char h[32];
    siqun_sha256("", 0, h);
    CHECK(h[0] == 0xe3 && h[31] == 0x55); /* e3b0...b855 */
  }
}

int main(int argc, char **argv) {
  accessors_on_nothing();
  opening(argc > 1 ? argv[1] : "spec/fixtures/valid");
  quantities();
  if (failures) {
    fprintf(stderr, "api_test: %d failure(s)\n", failures);
    return 1;
  }
  printf("api_test: all checks passed\n");
  return 0;
}
