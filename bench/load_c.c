/*
 * load_c.c -- the loader on the embedded dataset, without Lua: for
 * `make bench-callgrind` (siqun_open_embedded + siqun_close, `runs` times).
 *
 *   load_c [RUNS]    prints the tables and rows of the last open
 *
 * Linked with the core's objects (build/sq_*.o, build/sq_embedded.o).
 */
#include <stdio.h>
#include <stdlib.h>

#include "siqun.h"

int main(int argc, char **argv) {
  long runs = argc > 1 ? atol(argv[1]) : 1, i;
  size_t t, rows = 0, tables = 0;
  char err[SIQUN_ERRMAX];
  for (i = 0; i < runs; i++) {
    siqun_dataset *ds;
    if (siqun_open_embedded(NULL, NULL, &ds, err, sizeof err) < 0) {
      fprintf(stderr, "%s: %s\n", argv[0], err);
      return 1;
    }
    tables = siqun_ntables(ds);
    for (rows = 0, t = 0; t < tables; t++) rows += siqun_nrows(siqun_table_at(ds, t));
    siqun_close(ds);
  }
  printf("tables=%lu rows=%lu\n", (unsigned long)tables, (unsigned long)rows);
  return 0;
}
