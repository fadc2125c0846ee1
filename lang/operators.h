/* operators.h - the operators of the rule language on values.
 *
 * Arithmetic, comparison and and/or/not over missing values, numbers,
 * percentages and quantities, with the unit rules (docs/language.md): a
 * finding for division by zero, overflow, a unit mismatch or a value of the
 * wrong kind, and missing as the result.  The interpreter and compiled code
 * (runtime/jit/rt.c) call these same functions, so both engines agree.
 */
#ifndef TALLY_OPERATORS_H
#define TALLY_OPERATORS_H

#include <stdbool.h>

#include "env.h"
#include "lang/base/value.h"

/* a op b; `op` is an Op from grammar/ast.h. */
TlValue value_binary(EvalEnv *env, int op, TlValue a, TlValue b, Span at);
/* -a, not a. */
TlValue value_unary(EvalEnv *env, int op, TlValue a, Span at);
/* Truth of a condition: 1 true, 0 false, -1 missing (a finding is raised
 * for a non-boolean). */
int value_truth(EvalEnv *env, TlValue v, Span at);
/* Can numbers a and b be added, subtracted or compared (op says which, for
 * the message)?  The same unit, or two counting words, or both without unit;
 * a zero fits any unit.  Otherwise raises E_UNIT_MISMATCH and says no. */
bool value_units_fit(EvalEnv *env, int op, const TlValue *a, const TlValue *b, Span at);

/* An actual that only restates a threshold (VAL_BOUND) went into a formula:
 * W_THRESHOLD_ONLY once per subject, and the score cannot be verified. */
void value_bound_used(EvalEnv *env, const TlValue *v, Span at);

#endif
