/* check.h - the semantic pass, as the compile driver (compile.c) runs it. */
#ifndef TALLY_CHECK_H
#define TALLY_CHECK_H

#include "lang/base/diag.h"
#include "program.h"

/* Give p's parsed tree meaning: resolve every name, type every expression,
 * lay out groups and the table framework, evaluate options, weights and
 * grade bands.  Every error found is appended to diags (p is unusable if
 * there is one); warnings too. */
void check_program(Program *p, DiagList *diags);

#endif
