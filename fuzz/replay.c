/*
 * replay.c -- a libFuzzer harness run without libFuzzer: every file named
 * on the command line, and every file in each directory named (in name
 * order), goes once through LLVMFuzzerTestOneInput.  `make ctest` links
 * each harness of fuzz/ with this main under gcc's ASan + UBSan and
 * replays fuzz/corpus/<name>, so the seeds -- and the inputs that once
 * broke something, kept there as regress-* files -- are regression tests
 * that need neither clang nor time-bounded fuzzing.
 *
 * Built with -DREPLAY_INIT for a harness that has LLVMFuzzerInitialize.
 * Prints "replay <n> inputs" on success; a broken invariant aborts (the
 * harness's check()) with the file being replayed named first.
 */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
#ifdef REPLAY_INIT
int LLVMFuzzerInitialize(int *argc, char ***argv);
#endif

static void die(const char *what, const char *path) {
  fprintf(stderr, "replay: %s: %s\n", path, what);
  exit(2);
}

/* Replays one file; a file that cannot be read ends the run (status 2). */
static void run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  unsigned char *buf = NULL;
  long n = -1;
  const char *err = NULL;
  if (f == NULL) die("cannot open", path);
  if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
    err = "cannot size";
  /* one byte more, so that an empty file is not a malloc(0) */
  else if ((buf = malloc((size_t)n + 1)) == NULL)
    err = "out of memory";
  else if (fread(buf, 1, (size_t)n, f) != (size_t)n)
    err = "cannot read";
  fclose(f);
  if (err != NULL) {
    free(buf);
    fprintf(stderr, "replay: %s: %s\n", path, err);
    exit(2);
  }
  fprintf(stderr, "replay: %s\n", path); /* named before a crash, if any */
  LLVMFuzzerTestOneInput(buf, (size_t)n);
  free(buf);
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays the regular files of a directory in name order; returns their count. */
static size_t run_dir(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  char **names = NULL;
  size_t n = 0, cap = 0, i, ran = 0;
  if (d == NULL) die("cannot open directory", dir);
  while ((e = readdir(d)) != NULL) {
    char **grown;
    if (e->d_name[0] == '.') continue;
    if (n == cap) {
      cap = cap ? 2 * cap : 64;
      grown = realloc(names, cap * sizeof *names);
      if (grown == NULL) die("out of memory", dir);
      names = grown;
    }
    names[n] = malloc(strlen(dir) + strlen(e->d_name) + 2);
    if (names[n] == NULL) die("out of memory", dir);
    sprintf(names[n], "%s/%s", dir, e->d_name);
    n++;
  }
  closedir(d);
  if (n > 0) qsort(names, n, sizeof *names, by_name);
  for (i = 0; i < n; i++) {
    struct stat st;
    if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
      run_file(names[i]);
      ran++;
    }
    free(names[i]);
  }
  free(names);
  return ran;
}

int main(int argc, char **argv) {
  size_t total = 0;
  int i;
#ifdef REPLAY_INIT
  LLVMFuzzerInitialize(&argc, &argv);
#endif
  for (i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) die("no such file", argv[i]);
    if (S_ISDIR(st.st_mode)) {
      total += run_dir(argv[i]);
    } else {
      run_file(argv[i]);
      total++;
    }
  }
  printf("replay %lu inputs\n", (unsigned long)total);
  return 0;
}
