/*
 * load_c.c -- opening a dataset without Lua, for `make bench-callgrind`:
 * the embedded one (siqun_open_embedded, which only makes a handle on the
 * model compiled in) or a directory (siqun_open_dir: the loader proper,
 * reading, checking and indexing the CSV files), then siqun_close, `runs`
 * times.
 *
 *   load_c [RUNS [DIR]]   prints the tables and rows of the last open
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
    int rc = argc > 2 ? siqun_open_dir(argv[2], NULL, NULL, &ds, err, sizeof err)
                      : siqun_open_embedded(NULL, NULL, &ds, err, sizeof err);
    if (rc < 0) {
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
