/* interp.h - the reference interpreter.
 *
 * It defines what every rule means: the JIT must agree with it bit for bit.
 * Evaluation walks the checked tree.  Lets and indicator scores are
 * evaluated on first use and remembered for the current report.
 */
#ifndef TALLY_INTERP_H
#define TALLY_INTERP_H

#include "builtins.h"
#include "program.h"

typedef struct Frame {
    TlValue ctx[CTX_COUNT];  /* value, target, weight, reported */
    const TlValue *params;   /* method parameters */
} Frame;

typedef struct EvalState {
    const Program *prog;
    EvalEnv env;
    TlValue *inputs;         /* prog->ninputs, bound by the caller */
    TlValue *lets;           /* memo */
    unsigned char *let_state;/* 0 not yet, 1 evaluating, 2 done */
    TlValue *scores;         /* indicator scores (memo) */
    unsigned char *score_state;
    TlValue *subtotals;      /* group subtotals, set by the scorer */
    int depth;               /* method call depth, against runaway recursion */
    int nesting;             /* eval_expr calls in progress: bounds the C stack */
    long steps;              /* eval_expr calls for this report: bounds the time */
    long max_steps;          /* EVAL_MAX_STEPS; the fuzzer lowers it */
    bool stopped;            /* a limit was hit: the rest of this report is missing */
} EvalState;

/* Limits on one report's evaluation, so that no rule file can overflow the
 * stack (lets and methods nest) or run for ever (methods calling each other
 * twice over, 2^64 times).  Real rule files stay far below both. */
#define EVAL_MAX_NESTING 2000
#define EVAL_MAX_STEPS 1000000L

/* Prepare state for a program; storage from `arena`. */
void eval_init(EvalState *st, const Program *prog, Arena *arena);
/* Forget memoised lets and scores (before the next report). */
void eval_reset(EvalState *st);

TlValue eval_expr(EvalState *st, const Expr *e, const Frame *f);
/* Call a `using` method reference (E_NAME or E_CALL naming a method or a
 * built-in) with the context of frame f. */
TlValue eval_method_ref(EvalState *st, const Expr *ref, const Frame *f);
/* Everything about one scored indicator or table row. */
typedef struct ScoreEval {
    TlValue value, target, weight, reported;
    TlValue raw;        /* the formula's result */
    TlValue score;      /* clamped to [0, weight] and rounded: the score; missing
                           when the score cannot be verified */
    bool clamped;       /* clamping changed the value */
    const char *unverified; /* why the score cannot be verified (env.h), or NULL */
} ScoreEval;

/* Score fixed indicator i (memoised: a check may ask for it by name). */
TlValue eval_indicator(EvalState *st, int i, ScoreEval *out);
/* Clamp a formula's result to [0, weight] and round it to the program's
 * score places; fills out->raw, score, clamped and explains clamping.
 * `rule` is the formula or rule that produced raw, for findings. */
void eval_finish_score(EvalState *st, TlValue raw, Span rule, ScoreEval *out);
/* Around the evaluation of one score: eval_score_begin() sets aside why the
 * score being computed around it (if any) cannot be verified and returns it;
 * eval_score_end() takes this score's reason into se (an unverified score
 * is missing) and gives it to the outer one too. */
const char *eval_score_begin(EvalState *st);
void eval_score_end(EvalState *st, const char *outer, ScoreEval *se);
/* Evaluate check i: true, false or missing (-1); for a top-level comparison
 * the two sides are stored in lhs and rhs. */
int eval_check(EvalState *st, int i, TlValue *lhs, TlValue *rhs);
/* The parts of a check: the two sides of a comparison and its tolerance,
 * or the whole condition when it is not a comparison. */
enum { CHECK_LHS, CHECK_RHS, CHECK_TOLERANCE, CHECK_COND, CHECK_PARTS };
/* eval_check with each part evaluated by `part` (compiled code does them;
 * the interpreter's eval_check passes eval_expr), at nesting 0 with no
 * context words. */
typedef TlValue (*CheckPartFn)(EvalState *st, int check, int part, const Expr *e, void *arg);
int eval_check_with(EvalState *st, int i, TlValue *lhs, TlValue *rhs, CheckPartFn part, void *arg);

#endif
