/* jit_rt.h - what JIT-compiled code, its code generator and the scorer share.
 *
 * Compiled code never looks inside an EvalState: every function it exports
 * takes a JitCtx, a plain struct of pointers into the EvalState (its slots
 * for inputs, lets and scores, its step counter) that the code generator
 * mirrors field for field.  Every value operation is a call to a jit_rt_*
 * helper below, which calls the same function the interpreter calls
 * (value_binary, builtin_apply, ...), so both engines agree bit for bit by
 * construction - except the typed fast path (jit_gen.c), which does
 * value_binary's commonest cases inline, exactly as dec.c would, and hands
 * everything else to the helper.  The helpers reach compiled code through a JitRuntime table
 * that the loader hands to the shared object (tally_jit_init): the shared
 * object imports no symbols, so any program linking libtallycore.a can load
 * it, with or without -rdynamic.
 *
 * Limits (EVAL_MAX_NESTING, st->max_steps, 64 method calls deep) are kept
 * exactly: compiled code counts the interpreter's steps, and where the
 * interpreter would stop, compiled code sets *stopped; the scorer then
 * scores that report again with the interpreter (score.c), which raises the
 * finding as it always does.
 */
#ifndef TALLY_JIT_RT_H
#define TALLY_JIT_RT_H

#include <stdbool.h>
#include <stdint.h>

#include "lang/interp.h"
#include "lang/program.h"

typedef struct JitProgram JitProgram;

/* Bump when generated code or any struct below changes shape: it is part of
 * the cache key, so old cache entries are never loaded. */
#define JIT_ABI_VERSION 14

/* Slots of the constant table that every program has. */
enum { JIT_CONST_MISSING, JIT_CONST_FALSE, JIT_CONST_TRUE, JIT_CONST_WEIGHTS };

/* Branch names compiled code records (interp.c's strings). */
enum {
    JIT_BRANCH_IF_THEN,
    JIT_BRANCH_IF_ELSE,
    JIT_BRANCH_TIER1,     /* ... JIT_BRANCH_TIER1 + 8: tier 9 */
    JIT_BRANCH_TIER10 = JIT_BRANCH_TIER1 + 9,
    JIT_BRANCH_TIERS_ELSE,
    JIT_BRANCH_COUNT
};
extern const char *const jit_branch_names[JIT_BRANCH_COUNT];

/* What compiled code sees.  Field order is ABI: jit_gen.c mirrors it. */
typedef struct JitCtx {
    EvalState *st;              /* opaque to compiled code */
    const JitProgram *jp;       /* opaque to compiled code */
    TlValue *inputs;            /* st->inputs */
    TlValue *lets;              /* st->lets: memo */
    unsigned char *let_state;   /* st->let_state: 0 not yet, 1 evaluating, 2 done */
    TlValue *scores;            /* st->scores: memo */
    unsigned char *score_state; /* st->score_state */
    TlValue *subtotals;         /* st->subtotals */
    const TlValue *consts;      /* the program's constant table */
    const TlValue *none;        /* missing values: parameters of a method named alone, a let's context */
    long *steps;                /* &st->steps */
    bool *stopped;              /* &st->stopped: set where the interpreter would stop */
    const char **branch;        /* &st->env.branch */
    const char *const *branch_names; /* jit_branch_names */
    const long *max_steps;      /* &st->max_steps */
} JitCtx;

/* Compiled functions the loader looks up. */
typedef TlValue (*JitIndicatorFn)(JitCtx *c, int nest, int depth, TlValue *value, TlValue *target);
typedef TlValue (*JitRowFn)(JitCtx *c, const TlValue *ctx);
/* A part of a check (interp.h CHECK_*), at nesting 0. */
typedef TlValue (*JitCheckFn)(JitCtx *c);

/* Columnar batch scoring ---------------------------------------------------
 *
 * A batch of reports laid out in columns: per input, the coefficient, scale
 * and tag of every report's bound value (score.c scorer_batch builds them);
 * per let, the same columns, which the compiled batch_lets fills.  Field
 * order is ABI: jit_gen.c mirrors it. */
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
    long n;                 /* rows: reports of the batch */
    int64_t **coef;         /* [input][row] */
    int32_t **scale;
    uint8_t **tag;          /* JIT_COL_* */
    int64_t **let_coef;     /* [let][row], written by batch_lets */
    int32_t **let_scale;
    uint8_t **let_tag;      /* JIT_COL_OTHER: the let's kernel declined this row */
    int32_t **let_steps;    /* the interpreter's steps for the let's body */
    uint16_t **unit;        /* [input][row]: quantities' unit ids, 0 otherwise */
    int8_t **mag;
    uint16_t **let_unit;
    int8_t **let_mag;
    uint32_t **text;        /* [input][row]: text ids, 0 otherwise */
} JitColumns;

/* What a batch kernel computes for one report: value, target, raw score and
 * score, unboxed, or ok = 0 (score that report's indicator as before). */
typedef struct JitRowResult {
    int64_t coef[4];        /* value, target, raw score, score */
    int32_t scale[4];
    int32_t steps;          /* at least the interpreter's steps (lets are counted at every read) */
    uint8_t pct[4];         /* value, target, raw: a percentage */
    int8_t branch;          /* the last branch recorded (JIT_BRANCH_*), -1: none */
    uint8_t ok;
    uint16_t unit[4];       /* value, target, raw: a quantity's unit id, or 0 */
    int8_t mag[4];
} JitRowResult;

/* batch_N: indicator N's score for rows 0 .. cols->n - 1, into out[row]. */
typedef void (*JitBatchFn)(const JitColumns *cols, JitRowResult *out);
/* batch_rows_R is a JitBatchFn too: rows rule R's method over a batch of
 * table rows whose columns 0 .. CTX_COUNT - 1 are the rows' context words
 * (actual, target, weight, reported); it fills coef[2], scale[2] and pct[2]
 * (the raw score), steps, branch and ok. */
/* batch_lets: the let columns the batch kernels read, in dependency order. */
typedef void (*JitBatchLetsFn)(const JitColumns *cols);

/* Helpers compiled code calls: values go in and out by address.  Field
 * order is ABI: jit_gen.c mirrors it. */
typedef struct JitRuntime {
    void (*binary)(JitCtx *c, int op, const TlValue *a, const TlValue *b, TlValue *out,
                   uint32_t start, uint32_t end);
    void (*unary)(JitCtx *c, int op, const TlValue *a, TlValue *out, uint32_t start, uint32_t end);
    int (*truth)(JitCtx *c, const TlValue *v, uint32_t start, uint32_t end);
    void (*builtin)(JitCtx *c, int index, const TlValue *args, int nargs, TlValue *out,
                    uint32_t start, uint32_t end);
    void (*indicator)(JitCtx *c, int i, int nest, int depth, TlValue *out);
} JitRuntime;
#define JIT_RUNTIME_FIELDS 5

extern const JitRuntime jit_runtime;

/* The helpers, exported deliberately (the table above points at them). */
void jit_rt_binary(JitCtx *c, int op, const TlValue *a, const TlValue *b, TlValue *out,
                   uint32_t start, uint32_t end);
void jit_rt_unary(JitCtx *c, int op, const TlValue *a, TlValue *out, uint32_t start, uint32_t end);
int jit_rt_truth(JitCtx *c, const TlValue *v, uint32_t start, uint32_t end);
void jit_rt_builtin(JitCtx *c, int index, const TlValue *args, int nargs, TlValue *out,
                    uint32_t start, uint32_t end);
void jit_rt_indicator(JitCtx *c, int i, int nest, int depth, TlValue *out);

/* The constant table: literals, option words and indicator weights, in one
 * deterministic order, so the code generator (in the compiling child) and
 * the loader (in the parent) build the same table from the same Program. */
typedef struct JitConstKey {
    uintptr_t key;        /* the Expr (literal or option word) */
    int slot;
} JitConstKey;

typedef struct JitConsts {
    TlValue *values;
    int len;
    JitConstKey *order;   /* the keyed slots, sorted by key (code generator only) */
    int nkeyed;
} JitConsts;

/* `keyed`: also the order by key that jit_consts_slot() searches (the code
 * generator's need; the loader only needs the values). */
void jit_consts_build(const Program *p, bool keyed, JitConsts *out);
/* The slot of a literal or option word; -1 if e has none. */
int jit_consts_slot(const JitConsts *k, const void *e);
void jit_consts_free(JitConsts *k);

/* Strings batch kernels know by id, sorted, id = index + 1 (0: none of
 * them).  Built the same way by the code generator and the loader.
 *   units: every unit an input declares or a literal carries.  A quantity
 *          in another unit (a cell written in a count word other than the
 *          declared one) gets no id: the kernels decline it.
 *   texts: every text literal and option word.  A text cell no literal
 *          spells gets 0: unequal to every literal, and two such cells
 *          compared make the kernel decline. */
typedef struct JitNames {
    const char **names;   /* [id - 1], pointers into the Program */
    int len;
} JitNames;

void jit_units_build(const Program *p, const JitConsts *consts, JitNames *out);
/* jp->batch_inputs from jp->batch: the inputs the batch kernels read,
 * directly or through lets, in input order. */
void jit_batch_inputs_build(const Program *p, JitProgram *jp);
void jit_texts_build(const JitConsts *consts, JitNames *out);
/* The id of a name, 0 if it has none. */
int jit_name_id(const JitNames *u, const char *name);
void jit_names_free(JitNames *u);

/* The largest number of parameters of any method (for JitCtx.none). */
int jit_max_params(const Program *p);

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
