/*
 * sq_rules.h -- the siqun format's own rules on the loaded tables
 * (sq_rules.c): spans, derived fields.
 */
#ifndef SQ_RULES_H
#define SQ_RULES_H

#include "sq_error.h"

/* Checks spans and fills the derived fields of every table; raises. */
void sq_rules_apply(sq_loader *ld);

#endif
