/* tests.h - test blocks as the checker reads them (check.c): what a test
 * names must exist.  Running them is `tally test` (runtime/cli/test.c). */
#ifndef TALLY_TESTS_H
#define TALLY_TESTS_H

#include "lang/base/diag.h"
#include "program.h"

/* The cells of a test's table row, in the order of a long CSV's columns. */
enum { TEST_LEVEL1, TEST_LEVEL2, TEST_INDICATOR, TEST_TARGET, TEST_ACTUAL, TEST_WEIGHT,
       TEST_REPORTED, TEST_REASON, TEST_CELLS };

/* Check p->tests (collected by the checker): unique names, a report (rows
 * or figures written inline, or a data file, not both), rows of 7 or 8
 * cells, and expectations that name an indicator, a group, a grade or a
 * finding kind the rules know.  Errors and warnings go to diags. */
void tests_check(Program *p, DiagList *diags);

/* The finding kind whose code is `code` ("E_FULL_MISSED"); false if none. */
bool tests_finding_kind(const char *code, FindingKind *out);

#endif
