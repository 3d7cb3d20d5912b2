/*
 * sq_qparse.h -- siqun_quantity_parse (sq_qparse.c), by its paths.
 */
#ifndef SQ_QPARSE_H
#define SQ_QPARSE_H

#include "sq_qtypes.h"

/* siqun_quantity_parse after sq_qwhole_chinese. */
int sq_qparse_rest(const char *s, size_t len, siqun_quantity *out, char *err,
                   size_t errsz);
/* siqun_quantity_parse without its fast paths: for the differential
   check, build/bench/quantity_c check. */
int sq_qparse_general(const char *s, size_t len, siqun_quantity *out, char *err,
                      size_t errsz);

#endif
