/* builtins.h - the built-in functions of the rule language.
 *
 * The scoring built-ins follow DOMAIN.md §3: each is total (it returns a
 * value or missing plus a finding, never divides by zero), and each says in
 * the explanation which branch decided.  The interpreter calls them, and so
 * does JIT-compiled code, through builtin_apply(): one implementation, so
 * both engines agree.
 */
#ifndef TALLY_BUILTINS_H
#define TALLY_BUILTINS_H

#include <stdbool.h>

#include "finding.h"
#include "lang/base/diag.h"
#include "lang/base/value.h"

typedef enum BuiltinId {
    BI_MIN, BI_MAX, BI_CLAMP, BI_ABS, BI_ROUND, BI_CEIL, BI_FLOOR,
    BI_IS_MISSING, BI_DEFAULT, BI_NUM, BI_UNIT, BI_TEXT, BI_QUAL, BI_IS_TEXT,
    BI_RATIO_CAPPED, BI_INVERSE_RATIO, BI_LINEAR_TO_ZERO,
    BI_SCORE_GE, BI_SCORE_LE, BI_SCORE_EQ, BI_SCORE_QUAL, BI_QUAL_LEVEL,
    BI_EXEC_RATE, BI_SCORE_EXEC,
    BI_DEDUCT, BI_OVER, BI_UNDER,
    BI_CHANGE_RATE,
    BI_COUNT
} BuiltinId;

typedef struct Builtin {
    BuiltinId id;
    const char *name;
    int min_args, max_args;   /* max -1: variadic */
    const char *signature;    /* for help and completion: "score_ge(target, actual, weight)" */
    const char *doc;          /* one line */
} Builtin;

const Builtin *builtin_find(const char *name);
const Builtin *builtin_at(int i);   /* NULL past the end: for listing */

/* Words a rule file may pass to built-ins as modes (linear2x, inverse, ...). */
bool builtin_is_mode_word(const char *name);
const char *builtin_mode_word(int i); /* NULL past the end */

/* Where a built-in reports findings and explanations. */
typedef struct BuiltinEnv {
    FindingList *findings;    /* may be NULL: findings dropped (REPL type probes) */
    const char *subject;      /* indicator or check being evaluated */
    const Source *src;
    Arena *arena;             /* for messages and explanation lines */
    struct Explain *explain;  /* NULL unless --explain */
    const char *branch;       /* the last decision taken: a static string */
} BuiltinEnv;

/* An explanation: lines in evaluation order, each "what: why". */
typedef struct Explain {
    const char **lines;
    int len, cap;
} Explain;

void explain_add(BuiltinEnv *env, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Apply a built-in to evaluated arguments.  `at` is the call's span, for
 * findings. */
TlValue builtin_apply(BuiltinEnv *env, const Builtin *b, const TlValue *args, int nargs,
                      Span at);

/* Arithmetic shared by the interpreter and the JIT: units and missing
 * values handled, findings for division by zero, overflow and unit
 * mismatch.  `op` is an Op from ast.h. */
TlValue value_binary(BuiltinEnv *env, int op, TlValue a, TlValue b, Span at);
TlValue value_unary(BuiltinEnv *env, int op, TlValue a, Span at);
/* Truth of a condition: 1 true, 0 false, -1 missing (a finding is raised
 * for a non-boolean). */
int value_truth(BuiltinEnv *env, TlValue v, Span at);

#endif
