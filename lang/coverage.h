/* coverage.h - what a program's tests exercised (`tally test --coverage`):
 * the fixed indicators a test expects a score of, the methods called, the
 * rows rules that scored a row, and at every decision the branches taken -
 * both arms of each `if`, each tier (and else) of each `tiers`, each
 * decision of a scoring built-in (builtin_decisions).  The interpreter
 * records into it through EvalEnv.cover; compiled code records nothing, so
 * the runner scores with the interpreter when it measures. */
#ifndef TALLY_COVERAGE_H
#define TALLY_COVERAGE_H

#include <stddef.h>

#include "program.h"

typedef struct Coverage Coverage;

/* Find every site of p (lets, methods, indicators, checks, rows rules). */
Coverage *coverage_new(const Program *p);
void coverage_free(Coverage *c);

/* Recording.  An arm of an `if` (0 then, 1 else) or of a `tiers` (its
 * tier's index, ntiers for else). */
void coverage_arm(Coverage *c, const Expr *e, int arm);
/* A scoring built-in, called at `call` (an E_CALL, or the E_NAME of
 * `using score_ge`), decided `branch`. */
void coverage_branch(Coverage *c, const Expr *call, const char *branch);
void coverage_method(Coverage *c, int method);
void coverage_rule(Coverage *c, int rule);
void coverage_indicator(Coverage *c, int indicator);

/* Something no test exercised: where, and what, in words. */
typedef struct CoverageGap {
    Span span;
    const char *what;
} CoverageGap;

/* The items not exercised, in source order (storage in arena); *total is
 * the number of items there are. */
size_t coverage_gaps(const Coverage *c, Arena *arena, CoverageGap **out, size_t *total);

#endif
