/* builtins.h - the built-in functions of the rule language.
 *
 * The scoring built-ins follow docs/policy-sources.md: each is total (it returns a
 * value or missing plus a finding, never divides by zero), and each says in
 * the explanation which branch decided.  The interpreter calls them, and so
 * does JIT-compiled code, through builtin_apply(): one implementation, so
 * both engines agree.
 */
#ifndef TALLY_BUILTINS_H
#define TALLY_BUILTINS_H

#include <stdbool.h>

#include "env.h"
#include "lang/base/diag.h"
#include "lang/base/l10n.h"
#include "lang/base/value.h"

/* The branch score_exec takes: the budget execution rate, which the text
 * output shows beside the amount spent (runtime/output/text.c). */
#define BUILTIN_BRANCH_EXEC_RATE N_("weight x execution rate (capped at 100%)")

/* The branch score_qual takes when the actual is the target's level, 达成. */
#define BUILTIN_BRANCH_QUAL_MET N_("达成: full marks")
/* ... and where a self-awarded score lies in the band of another level. */
#define BUILTIN_BRANCH_QUAL_IN_BAND N_("self-awarded score within its band")

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

/* The decisions a built-in can take when it scores - what it sets
 * env->branch to, error cases (a missing or incomparable cell) aside - for
 * test coverage (coverage.c).  `mode` is the call's mode word, or NULL
 * when it is only known at run time (then every mode's decisions); nargs
 * the number of arguments.  NULL-terminated; NULL for a built-in that
 * decides nothing. */
const char *const *builtin_decisions(BuiltinId id, int nargs, const char *mode);
/* The argument holding a built-in's mode word, or -1. */
int builtin_mode_arg(BuiltinId id);

/* Does score_qual raise F_NON_MEASURABLE for target t (a text of `words
 * vague` without a figure), where it has not been raised for the subject
 * yet?  Row kernels decline such rows (runtime/score/columns.c). */
bool builtin_qual_vague(const Vocab *v, const TlValue *t);

/* What score_qual's level test (qual_level) reads of one text cell, once
 * per distinct text (runtime/score/columns.c): BUILTIN_QW_* bits. */
enum {
    BUILTIN_QW_YES = 1,          /* words yes */
    BUILTIN_QW_NO = 2,           /* words no */
    BUILTIN_QW_ACHIEVED = 4,     /* words achieved */
    BUILTIN_QW_PARTLY = 8,       /* words partly_achieved */
    BUILTIN_QW_NOT = 16,         /* words not_achieved */
    BUILTIN_QW_VAGUE = 32,       /* a target score_qual cannot measure (builtin_qual_vague) */
    BUILTIN_QW_AS_WRITTEN = 64,  /* formatted and stripped of white space, the text is itself:
                                  * two such texts are equal to qual_level only when equal */
};
unsigned builtin_qual_words(const Vocab *v, const TlValue *text);

/* score_qual's level of actual against target, two texts (qual_level),
 * from their words (builtin_qual_words) and whether they are the same
 * text: 0 unknown, else a BUILTIN_LEVEL_*. */
enum { BUILTIN_LEVEL_MET = 1, BUILTIN_LEVEL_PARTLY, BUILTIN_LEVEL_NOT };
int builtin_qual_level(unsigned target_words, unsigned actual_words, bool same);

/* Raise score_qual's F_NON_MEASURABLE for target t, at `at`, as qual_level
 * raises it (once for the subject): where a row kernel took a vague
 * target's row (runtime/jit/rt.c). */
void builtin_qual_raise_vague(EvalEnv *env, const TlValue *t, Span at);

/* Apply a built-in to evaluated arguments.  `at` is the call's span, for
 * findings. */
TlValue builtin_apply(EvalEnv *env, const Builtin *b, const TlValue *args, int nargs,
                      Span at);

#endif
