/* env.h - where evaluation reports: the findings of the report being scored
 * and, with --explain, the explanation lines of the indicator being scored.
 *
 * The operators (operators.h), the built-ins (builtins.h) and the
 * interpreter (interp.h) write here; compiled code reaches it through the
 * same functions.  Nothing else of an evaluation is kept here.
 */
#ifndef TALLY_ENV_H
#define TALLY_ENV_H

#include "finding.h"
#include "lang/base/arena.h"
#include "lang/base/dec.h"
#include "lang/base/diag.h"
#include "lang/base/value.h"
#include "vocab.h"

/* An explanation: lines in evaluation order, each "what: why". */
typedef struct Explain {
    const char **lines;
    int len, cap;
} Explain;

typedef struct EvalEnv {
    FindingList *findings;    /* may be NULL: findings dropped (REPL type probes) */
    const char *subject;      /* indicator or check being evaluated */
    const Source *src;
    Arena *arena;             /* for messages and explanation lines */
    Explain *explain;         /* NULL unless --explain */
    const char *branch;       /* the last decision taken: a static string */
    const Vocab *vocab;       /* the program's words (vocab.h); NULL: the defaults */
    /* Why the score being computed cannot be verified (a level word no list
     * knows, an actual that only restates a threshold, a missing cell...):
     * set by the operators and built-ins, read and cleared by the scorer;
     * NULL when nothing was said. */
    const char *unverified;
    /* The last weight x rate a scoring built-in returned (the rounding-aware
     * audit, runtime/score/score.c): its result, its weight and its rate. */
    bool scaled;
    TlValue scaled_result;
    TlDec scaled_weight, scaled_rate;
    struct Coverage *cover;   /* NULL unless `tally test --coverage`: the arms taken (coverage.h) */
} EvalEnv;

/* Append a line to env->explain (nothing without one). */
void explain_add(EvalEnv *env, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Raise a finding about the current subject at `at` (nothing without a list). */
void env_raise(EvalEnv *env, FindingKind kind, Span at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Say why the current score cannot be verified; the first reason is kept.
 * The text is formatted into env->arena. */
void env_unverified(EvalEnv *env, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A value, or a decimal, as text for a message: one of four rotating
 * buffers per thread, picked by `slot`, valid until that slot is used again. */
const char *env_show(const TlValue *v, int slot);
const char *env_show_dec(TlDec d, int slot);

#endif
