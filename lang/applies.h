/* applies.h - the years a version of the rules applies to (`applies`),
 * as the checker reads them (check.c). */
#ifndef TALLY_APPLIES_H
#define TALLY_APPLIES_H

#include "lang/base/diag.h"
#include "program.h"

/* A year is a whole number in this range. */
#define APPLIES_MIN_YEAR 1000
#define APPLIES_MAX_YEAR 9999

/* Read the `applies` declaration d into p (applies_from, applies_to): years
 * written as whole numbers, the first not after the last; a second one is
 * an error.  Errors go to diags. */
void applies_check(Program *p, Decl *d, DiagList *diags);

#endif
