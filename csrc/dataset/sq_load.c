/*
 * sq_load.c -- files -> dataset: the load driver (one setjmp, two arenas):
 * the descriptor (sq_schema.c), each table's cells (sq_cells.c), the keys
 * (sq_keys.c), then the siqun rules (sq_rules.c); siqun_open_files, and
 * sq_open_static for the embedded dataset (its siqun_open_embedded is
 * generated with it).  Directories are read by sq_dir.c.  The top of the
 * dataset files: nothing among them calls it but sq_dir.c.
 */
#include <stdio.h>
#include <string.h>

#include "sq_cells.h"
#include "sq_json.h"
#include "sq_keys.h"
#include "sq_load.h"
#include "sq_rules.h"
#include "sq_schema.h"
#include "sq_types.h"

/* ---------------------------------------------------------- driver */

/* The file at path (the provider raises when it cannot give it). */
static const char *get(sq_loader *ld, const char *path, size_t *len) {
  const char *data = NULL;
  *len = 0;
  /* uncovered: both providers (files, directory) raise their own message */
  if (ld->getfile(ld, ld->fud, path, &data, len) < 0 || (data == NULL && *len > 0))
    sq_raise(ld, "%s: cannot read the file", path);
  if (data == NULL) data = "";
  return data;
}

int sq_load_run(sq_loader *ld, siqun_alloc alloc, void *ud, siqun_dataset **out) {
  sq_arena a;
  siqun_dataset *volatile ds = NULL;
  size_t i;
  sq_arena_init(&a, alloc, ud);
  sq_arena_init(&ld->scratch, alloc, ud);
  ld->oom = 0;
  ld->ds = NULL;
  ld->tl = NULL;
  ld->total = 0;
  if (ld->err && ld->errsz) ld->err[0] = '\0';
  ds = (siqun_dataset *)sq_arena_alloc(&a, sizeof *ds);
  if (ds == NULL) {
    sq_arena_release(&a);
    if (ld->err && ld->errsz) snprintf(ld->err, ld->errsz, "%s", SQ_NOMEM);
    return -1;
  }
  memset(ds, 0, sizeof *ds);
  ds->arena = a; /* from now on the dataset's arena is ds->arena */
  ld->ds = ds;
  if (setjmp(ld->jb) != 0) {
    sq_arena a2 = ds->arena; /* ds lives inside its own arena */
    sq_arena_release(&ld->scratch);
    sq_arena_release(&a2);
    return -1;
  }
  {
    size_t len;
    const char *desc = get(ld, SQ_DESCRIPTOR, &len);
    sq_schema_load(ld, sq_json_parse(ld, SQ_DESCRIPTOR, desc, len));
  }
  for (i = 0; i < ds->ntables; i++) {
    size_t len;
    const char *data = get(ld, ds->tables[i].path, &len);
    sq_cells_load(ld, &ds->tables[i], &ld->tl[i], data, len);
  }
  sq_keys_check(ld);
  sq_rules_apply(ld);
  sq_arena_release(&ld->scratch);
  ld->tl = NULL;
  *out = ds;
  return 0;
}

/* ---------------------------------------------------------- in memory */

typedef struct memfiles {
  const siqun_file *files;
  size_t n;
} memfiles;

static int mem_get(sq_loader *ld, void *fud, const char *path, const char **data,
                   size_t *len) {
  const memfiles *m = (const memfiles *)fud;
  size_t i;
  for (i = 0; i < m->n; i++) {
    if (strcmp(m->files[i].name, path) == 0) {
      size_t max = strcmp(path, SQ_DESCRIPTOR) == 0 ? SQ_MAX_DESC : SQ_MAX_FILE;
      if (m->files[i].len > max) /* uncovered: 64 MB in memory; siqun_open_dir's
                                    check is the one hostile_spec reaches */
        sq_raise(ld, "%s: file larger than %lu bytes", path, (unsigned long)max);
      *data = m->files[i].data;
      *len = m->files[i].len;
      return 0;
    }
  }
  sq_raise(ld, "%s: no such file in the dataset", path);
}

static void seterr(char *err, size_t errsz, const char *msg) {
  if (err && errsz) snprintf(err, errsz, "%s", msg);
}

int siqun_open_files(const siqun_file *files, size_t nfiles, siqun_alloc alloc,
                     void *ud, siqun_dataset **out, char *err, size_t errsz) {
  sq_loader ld;
  memfiles m;
  size_t i, j;
  if (out == NULL) {
    seterr(err, errsz, "siqun_open_files: out is NULL");
    return -1;
  }
  *out = NULL;
  if (files == NULL && nfiles > 0) {
    seterr(err, errsz, "siqun_open_files: files is NULL");
    return -1;
  }
  if (nfiles > SQ_MAX_FILES) {
    seterr(err, errsz, "siqun_open_files: too many files");
    return -1;
  }
  for (i = 0; i < nfiles; i++) {
    if (files[i].name == NULL || (files[i].data == NULL && files[i].len > 0)) {
      seterr(err, errsz, "siqun_open_files: a file has no name or no data");
      return -1;
    }
    for (j = 0; j < i; j++)
      if (strcmp(files[i].name, files[j].name) == 0) {
        if (err && errsz)
          snprintf(err, errsz, "%.200s: file given twice", files[i].name);
        return -1;
      }
  }
  m.files = files;
  m.n = nfiles;
  memset(&ld, 0, sizeof ld);
  ld.err = err;
  ld.errsz = errsz;
  ld.getfile = mem_get;
  ld.fud = &m;
  return sq_load_run(&ld, alloc, ud, out);
}

int sq_open_static(const siqun_table *tables, size_t ntables,
                   const siqun_source_info *source, siqun_alloc alloc, void *ud,
                   siqun_dataset **out, char *err, size_t errsz) {
  sq_arena a;
  siqun_dataset *ds;
  if (err && errsz) err[0] = '\0';
  if (out == NULL) {
    seterr(err, errsz, "siqun_open_embedded: out is NULL");
    return -1;
  }
  *out = NULL;
  sq_arena_init(&a, alloc, ud);
  ds = (siqun_dataset *)sq_arena_alloc_own(&a, sizeof *ds);
  if (ds == NULL) {
    seterr(err, errsz, SQ_NOMEM);
    return -1;
  }
  memset(ds, 0, sizeof *ds);
  ds->arena = a; /* ds lives inside its own arena, as a loaded one does */
  ds->ntables = ntables;
  /* never written through: a dataset is immutable once opened */
  ds->tables = (siqun_table *)tables;
  ds->source = *source;
  *out = ds;
  return 0;
}

void siqun_close(siqun_dataset *ds) {
  sq_arena a;
  if (ds == NULL) return;
  a = ds->arena; /* ds lives inside its own arena */
  sq_arena_release(&a);
}
