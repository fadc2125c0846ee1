/* rt.h - the run-time side of compiled code: what compiled code, the
 * loader and the scorer share.
 *
 * Compiled code never looks inside an EvalState: every function it exports
 * takes a JitCtx, a plain struct of pointers into the EvalState (its slots
 * for inputs, lets and scores, its step counter) that the code generator
 * declares again from the same field list (abi.h).  Every value operation
 * is a call to a jit_rt_* helper below, which calls the same function the
 * interpreter calls (value_binary, builtin_apply, ...), so both engines
 * agree bit for bit by construction - except the typed fast path and the
 * batch kernels (gen_boxed.c, gen_typed.c), which do value_binary's
 * commonest cases inline, exactly as dec.c would, and hand everything else
 * to the helper.  The helpers reach compiled code through a JitRuntime
 * table that the loader hands to the shared object (tally_jit_init): the
 * shared object imports no symbols, so any program linking Tally's
 * libraries can load it, with or without -rdynamic.
 *
 * Limits (EVAL_MAX_NESTING, st->max_steps, 64 method calls deep) are kept
 * exactly: compiled code counts the interpreter's steps, and where the
 * interpreter would stop, compiled code sets *stopped; the scorer then
 * scores that report again with the interpreter (runtime/score/score.c),
 * which raises the finding as it always does.
 */
#ifndef TALLY_JIT_RT_H
#define TALLY_JIT_RT_H

#include <stdbool.h>
#include <stdint.h>

#include "abi.h"
#include "consts.h"
#include "lang/interp.h"
#include "lang/program.h"

/* Bump when generated code or any struct of abi.h changes shape: it is part
 * of the cache key, so old cache entries are never loaded. */
#define JIT_ABI_VERSION 24

/* Branch names compiled code records (interp.c's strings). */
enum {
    JIT_BRANCH_IF_THEN,
    JIT_BRANCH_IF_ELSE,
    JIT_BRANCH_TIER1,     /* ... JIT_BRANCH_TIER1 + 8: tier 9 */
    JIT_BRANCH_TIER10 = JIT_BRANCH_TIER1 + 9,
    JIT_BRANCH_TIERS_ELSE,
    /* the scoring built-ins' (builtins.c), where kernels take them */
    JIT_BRANCH_GE_MET,
    JIT_BRANCH_GE_BELOW,
    JIT_BRANCH_LE_WITHIN,
    JIT_BRANCH_LE_ZERO,
    JIT_BRANCH_LE_TWICE,
    JIT_BRANCH_LE_LINEAR,
    JIT_BRANCH_LE_INVERSE,
    JIT_BRANCH_DEDUCT_NONE,
    JIT_BRANCH_DEDUCTED,
    JIT_BRANCH_DEDUCT_FLOOR,
    JIT_BRANCH_EXEC_RATE,
    JIT_BRANCH_QUAL_MET,
    JIT_BRANCH_QUAL_IN_BAND,
    JIT_BRANCH_COUNT
};

/* Findings a row kernel leaves to the host (JitRowResult.raise), raised by
 * the interpreter's own function where the interpreter raises them, so
 * both engines raise them alike (jit_eval_row_pre). */
enum {
    JIT_RAISE_NONE,
    JIT_RAISE_VAGUE, /* score_qual's F_NON_MEASURABLE for its target (builtin_qual_raise_vague) */
};
extern const char *const jit_branch_names[JIT_BRANCH_COUNT];

/* What compiled code sees of a report being scored (abi.h). */
struct JitCtx {
    JIT_CTX_FIELDS(JIT_ABI_MEMBER)
};

/* Compiled functions the loader looks up. */
typedef TlValue (*JitIndicatorFn)(JitCtx *c, int nest, int depth, TlValue *value, TlValue *target);
typedef TlValue (*JitRowFn)(JitCtx *c, const TlValue *ctx);
/* A part of a check (interp.h CHECK_*), at nesting 0. */
typedef TlValue (*JitCheckFn)(JitCtx *c);

/* Columnar batch scoring ---------------------------------------------------
 *
 * A batch of reports laid out in columns: per input, the coefficient, scale
 * and tag of every report's bound value (runtime/score/columns.c builds
 * them); per let, the same columns, which the compiled batch_lets fills. */
enum {
    JIT_COL_OTHER,   /* anything a kernel does not take: a unit, qualifier, flag, text */
    JIT_COL_MISSING, /* the missing mask: no value */
    JIT_COL_PLAIN,   /* a plain number: coef, scale */
    JIT_COL_PERCENT, /* a percentage: coef, scale as the value holds them */
    JIT_COL_FALSE,   /* a yes/no answer */
    JIT_COL_TRUE,
    JIT_COL_QUANTITY,/* a decimal quantity: coef, scale in the base unit; unit (an id
                        into JitProgram.units) and mag (the magnitude it was written in) */
    JIT_COL_TEXT,    /* text: its id in JitProgram.texts, 0 for a text no literal spells */
};

typedef struct JitColumns {
    JIT_COLUMNS_FIELDS(JIT_ABI_MEMBER)
} JitColumns;

/* What a batch kernel computes for one report: value, target, raw score and
 * score, unboxed, or ok = 0 (score that report's indicator as before). */
typedef struct JitRowResult {
    JIT_ROW_RESULT_FIELDS(JIT_ABI_MEMBER)
} JitRowResult;

/* batch_N: indicator N's score for rows 0 .. cols->n - 1, into out[row]. */
typedef void (*JitBatchFn)(const JitColumns *cols, JitRowResult *out);
/* batch_rows_R is a JitBatchFn too: rows rule R's method over a batch of
 * table rows whose columns 0 .. CTX_COUNT - 1 are the rows' context words
 * (actual, target, weight, reported); it fills coef[2], scale[2] and pct[2]
 * (the raw score), steps, branch and ok. */
/* batch_lets: the let columns the batch kernels read, in dependency order. */
typedef void (*JitBatchLetsFn)(const JitColumns *cols);

/* The helpers compiled code calls (abi.h). */
typedef struct JitRuntime {
    JIT_RUNTIME_FIELDS(JIT_ABI_MEMBER)
} JitRuntime;

extern const JitRuntime jit_runtime;

/* The helpers, exported deliberately (the table above points at them). */
void jit_rt_binary(JitCtx *c, int op, const TlValue *a, const TlValue *b, TlValue *out,
                   uint32_t start, uint32_t end);
void jit_rt_unary(JitCtx *c, int op, const TlValue *a, TlValue *out, uint32_t start, uint32_t end);
int jit_rt_truth(JitCtx *c, const TlValue *v, uint32_t start, uint32_t end);
void jit_rt_builtin(JitCtx *c, int index, const TlValue *args, int nargs, TlValue *out,
                    uint32_t start, uint32_t end);
void jit_rt_indicator(JitCtx *c, int i, int nest, int depth, TlValue *out);

/* Point a JitCtx at an EvalState; `none` must hold at least
 * max(jit_max_params(p), CTX_COUNT) missing values. */
void jit_ctx_init(JitCtx *c, EvalState *st, const JitProgram *jp, const TlValue *consts,
                  const TlValue *none);

/* A loaded shared object: its compiled functions and constant table. */
struct JitProgram {
    void *handle;               /* dlopen() */
    JitIndicatorFn *ind;        /* per fixed indicator: value, target and raw score */
    JitCheckFn *checks;         /* [check * CHECK_PARTS + part], NULL where a check has no such part */
    JitBatchFn *batch;          /* per fixed indicator: its batch kernel, or NULL */
    JitBatchLetsFn batch_lets;  /* NULL when no batch kernel reads a let */
    int nbatch;                 /* indicators with a batch kernel */
    JitBatchFn *batch_rows;     /* per rows rule: its batch kernel over table rows, or NULL */
    int nbatch_rows;            /* rows rules with one */
    JitNames units;
    JitNames texts;
    int *batch_inputs;          /* the inputs batch kernels and their lets read: columns to build */
    int nbatch_inputs;
    int nind;
    JitRowFn *rows;             /* per rows rule: its method reference */
    int nrows;
    JitConsts consts;
    TlValue *none;              /* JitCtx.none */
    int nnone;
    struct JitInfo *info;       /* jit.h */
};

/* eval_indicator(), with the raw score from compiled code. */
TlValue jit_eval_indicator(JitCtx *c, int i, ScoreEval *out, int nest, int depth);
/* The same at the top level (nesting 0), taking a batch kernel's result for
 * this report where it has one (pre->ok) and the limits allow: true if it
 * did.  The score is out->score either way. */
bool jit_eval_indicator_pre(JitCtx *c, int i, ScoreEval *out, const JitRowResult *pre);
/* Run every batch kernel over cols: out[i] (rows) for each indicator i with
 * one; the let columns of cols must have room for cols->n rows. */
/* The call of score_ge, score_le, score_exec or score_qual that rows rule
 * r's method is, where a row kernel takes it: a method named alone,
 * without parameters, whose body is that call with the row's target and
 * actual as its first two arguments (either order), a context word or a
 * number as the weight, and a number (score_ge's overshoot) or
 * linear2x/inverse (score_le) as a fourth (score_exec: none, not its per
 * and step; score_qual: `reported` or a number, then maybe its scheme);
 * NULL otherwise.  The generator and the columns (runtime/score/columns.c, which
 * give such a rule's target and actual as a pair of like numbers) agree
 * through it. */
const Expr *jit_row_scoring_call(const Program *p, int r);

void jit_batch_run(const JitProgram *jp, const JitColumns *cols, JitRowResult *const *out);
/* eval_method_ref() of rows rule `rule` for a table row at the top level,
 * taking a batch kernel's raw score where it has one and the limits allow
 * (*used then), else jit_eval_row(). */
TlValue jit_eval_row_pre(JitCtx *c, int rule, const Frame *f, const JitRowResult *pre, bool *used);
/* eval_check() with the check's parts in compiled code. */
int jit_eval_check(JitCtx *c, int i, TlValue *lhs, TlValue *rhs);
/* eval_method_ref() of rows rule `rule`, in compiled code. */
TlValue jit_eval_row(JitCtx *c, int rule, const Frame *f);

#endif
