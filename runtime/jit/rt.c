/* rt.c - the run-time side of compiled code (rt.h): the helpers it calls,
 * and the interpreter's indicator bookkeeping around compiled raw scores
 * and batch results. */
#include "rt.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "lang/builtins.h"
#include "lang/operators.h"

/* Compiled code declares TlValue as a struct with the same members
 * (gen.c make_types); it must have the same size, alignment and layout, hence the
 * same calling convention (on x86-64 both are MEMORY class: passed on the
 * stack, returned through a hidden pointer). */
_Static_assert(sizeof(TlValue) == 32, "TlValue is 32 bytes");
_Static_assert(_Alignof(TlValue) == 8, "TlValue is 8-byte aligned");
_Static_assert(offsetof(TlValue, kind) == 0 && offsetof(TlValue, numkind) == 1 &&
                   offsetof(TlValue, qual) == 2 && offsetof(TlValue, flags) == 3 &&
                   offsetof(TlValue, mag) == 4 && offsetof(TlValue, unit) == 8 &&
                   offsetof(TlValue, u) == 16,
               "TlValue layout as the code generator declares it");
_Static_assert(offsetof(TlDec, coef) == 0 && offsetof(TlDec, scale) == 8 && sizeof(TlDec) == 16,
               "TlDec layout as the code generator declares it");

/* Every field of the structs of abi.h has the size of the type the code
 * generator gives it; the fields come in one order for both. */
#define CHECK_FIELD(S, name, abi)                                                                \
    _Static_assert(sizeof(((S *)0)->name) == sizeof(JIT_ABI_C_##abi),                           \
                   #S "." #name " as the code generator declares it");
#define CHECK_CTX(type, name, dims, abi) CHECK_FIELD(JitCtx, name, abi)
#define CHECK_COLUMNS(type, name, dims, abi) CHECK_FIELD(JitColumns, name, abi)
#define CHECK_ROW_RESULT(type, name, dims, abi) CHECK_FIELD(JitRowResult, name, abi)
#define CHECK_RUNTIME(type, name, dims, abi) CHECK_FIELD(JitRuntime, name, abi)
JIT_CTX_FIELDS(CHECK_CTX)
JIT_COLUMNS_FIELDS(CHECK_COLUMNS)
JIT_ROW_RESULT_FIELDS(CHECK_ROW_RESULT)
JIT_RUNTIME_FIELDS(CHECK_RUNTIME)

const char *const jit_branch_names[JIT_BRANCH_COUNT] = {
    "if: then", "if: else",
    "tier 1", "tier 2", "tier 3", "tier 4", "tier 5", "tier 6", "tier 7", "tier 8", "tier 9",
    "tier 10 or later", "tiers: else",
    "target met: full marks", "below target: weight x actual / target",
    "within target: full marks", "target 0 exceeded: 0", "twice the target or more: 0",
    "over target: linear to 0 at twice the target", "over target: weight x target / actual",
    "nothing to deduct", "deducted", "deducted to the floor (扣完为止)",
    BUILTIN_BRANCH_EXEC_RATE, BUILTIN_BRANCH_QUAL_MET, BUILTIN_BRANCH_QUAL_IN_BAND,
};

/* Helpers ------------------------------------------------------------------ */

void jit_rt_binary(JitCtx *c, int op, const TlValue *a, const TlValue *b, TlValue *out,
                   uint32_t start, uint32_t end)
{
    *out = value_binary(&c->st->env, op, *a, *b, (Span){start, end});
}

void jit_rt_unary(JitCtx *c, int op, const TlValue *a, TlValue *out, uint32_t start, uint32_t end)
{
    *out = value_unary(&c->st->env, op, *a, (Span){start, end});
}

int jit_rt_truth(JitCtx *c, const TlValue *v, uint32_t start, uint32_t end)
{
    return value_truth(&c->st->env, *v, (Span){start, end});
}

void jit_rt_builtin(JitCtx *c, int index, const TlValue *args, int nargs, TlValue *out,
                    uint32_t start, uint32_t end)
{
    *out = builtin_apply(&c->st->env, builtin_at(index), args, nargs, (Span){start, end});
}

void jit_rt_indicator(JitCtx *c, int i, int nest, int depth, TlValue *out)
{
    *out = jit_eval_indicator(c, i, NULL, nest, depth);
}

const JitRuntime jit_runtime = {
    jit_rt_binary, jit_rt_unary, jit_rt_truth, jit_rt_builtin, jit_rt_indicator,
};

/* The interpreter's bookkeeping -------------------------------------------- */

void jit_ctx_init(JitCtx *c, EvalState *st, const JitProgram *jp, const TlValue *consts,
                  const TlValue *none)
{
    memset(c, 0, sizeof *c);
    c->st = st;
    c->jp = jp;
    c->inputs = st->inputs;
    c->lets = st->lets;
    c->let_state = st->let_state;
    c->scores = st->scores;
    c->score_state = st->score_state;
    c->subtotals = st->subtotals;
    c->consts = consts;
    c->none = none;
    c->steps = &st->steps;
    c->stopped = &st->stopped;
    c->branch = &st->env.branch;
    c->branch_names = jit_branch_names;
    c->max_steps = &st->max_steps;
}

/* Step for step eval_indicator(), with the formula's evaluation compiled. */
TlValue jit_eval_indicator(JitCtx *c, int i, ScoreEval *out, int nest, int depth)
{
    EvalState *st = c->st;
    const Indicator *ind = &st->prog->indicators[i];
    if (st->score_state[i] == 2 && !out)
        return st->scores[i];
    if (st->score_state[i] == 1)
        return val_missing();
    st->score_state[i] = 1;
    ScoreEval local;
    ScoreEval *se = out ? out : &local;
    const char *saved = st->env.subject;
    st->env.subject = ind->decl->name;
    se->weight = val_num(ind->weight);
    se->reported = val_missing();
    if (!c->jp->ind[i]) {
        /* No indicator_N (its batch kernel takes the plain cases, and has
         * declined or was not run): the interpreter, at the nesting and
         * call depth compiled code has reached. */
        int nesting = st->nesting, calls = st->depth;
        st->env.subject = saved;
        st->score_state[i] = 0;
        st->nesting = nest;
        st->depth = depth;
        TlValue r = eval_indicator(st, i, out);
        st->nesting = nesting;
        st->depth = calls;
        return r;
    } else {
        const char *outer = eval_score_begin(st);
        se->value = se->target = val_missing();
        TlValue raw = c->jp->ind[i](c, nest, depth, &se->value, &se->target);
        const Expr *formula = ind->score ? ind->score : ind->method_call;
        eval_finish_score(st, raw, formula->span, se);
        eval_score_end(st, outer, se);
    }
    st->env.subject = saved;
    st->scores[i] = se->score;
    st->score_state[i] = 2;
    return se->score;
}

/* *v = a batch kernel's unboxed number as a value (val_num), written in
 * place: a TlValue built on the stack and copied is read back in 16-byte
 * pieces right after being written in 8-byte ones, a store-forwarding stall
 * per copy (perf: half the time of scoring from batch results). */
static inline void box_into(TlValue *v, int64_t coef, int32_t scale, bool pct)
{
    memset(v, 0, sizeof *v);
    v->kind = TL_NUM;
    v->numkind = pct ? NUM_PERCENT : NUM_PLAIN;
    v->u.num.coef = coef;
    v->u.num.scale = scale;
}

/* Part j of a batch result: a quantity where it has a unit. */
static inline void box_part(const JitProgram *jp, TlValue *v, const JitRowResult *pre, int j)
{
    box_into(v, pre->coef[j], pre->scale[j], pre->pct[j]);
    if (pre->unit[j]) {
        v->numkind = NUM_QUANTITY;
        v->unit = jp->units.names[pre->unit[j] - 1];
        v->mag = pre->mag[j];
    }
}

bool jit_eval_indicator_pre(JitCtx *c, int i, ScoreEval *out, const JitRowResult *pre)
{
    EvalState *st = c->st;
    /* A batch result stands for the report's indicator only where the
     * interpreter would evaluate it here: not once the report has reached a
     * limit, and not while the indicator is being evaluated (it names
     * itself). */
    if (!pre || !pre->ok || st->stopped || st->steps > st->max_steps || st->score_state[i] == 1) {
        jit_eval_indicator(c, i, out, 0, 0);
        return false;
    }
    const Indicator *ind = &st->prog->indicators[i];
    box_into(&out->weight, ind->weight.coef, ind->weight.scale, false);
    memset(&out->reported, 0, sizeof out->reported); /* missing */
    memset(&out->value, 0, sizeof out->value);
    memset(&out->target, 0, sizeof out->target);
    if (ind->decl->u.indicator.value)
        box_part(c->jp, &out->value, pre, 0);
    if (ind->decl->u.indicator.target)
        box_part(c->jp, &out->target, pre, 1);
    box_part(c->jp, &out->raw, pre, 2);
    box_into(&out->score, pre->coef[3], pre->scale[3], false);
    out->unverified = NULL; /* a kernel takes only what raises nothing */
    box_into(&st->scores[i], pre->coef[3], pre->scale[3], false);
    out->clamped = false;
    *c->steps += pre->steps;
    if (pre->branch >= 0)
        *c->branch = jit_branch_names[pre->branch];
    st->score_state[i] = 2;
    return true;
}

TlValue jit_eval_row_pre(JitCtx *c, int rule, const Frame *f, const JitRowResult *pre, bool *used)
{
    EvalState *st = c->st;
    *used = pre && pre->ok && !st->stopped && st->steps <= st->max_steps;
    if (!*used)
        return jit_eval_row(c, rule, f);
    TlValue raw;
    box_part(c->jp, &raw, pre, 2);
    *c->steps += pre->steps;
    if (pre->raise == JIT_RAISE_VAGUE) { /* where qual_level raises it: before the score */
        const Expr *e = jit_row_scoring_call(st->prog, rule);
        builtin_qual_raise_vague(&st->env, &f->ctx[e->u.call.args[0]->u.name.sym->ctx], e->span);
    }
    if (pre->branch >= 0)
        *c->branch = jit_branch_names[pre->branch];
    if (pre->scaled) { /* what builtins.c recorded() records */
        EvalEnv *env = &st->env;
        env->scaled = true;
        env->scaled_result = raw;
        env->scaled_weight = (TlDec){pre->coef[0], pre->scale[0]};
        env->scaled_rate = (TlDec){pre->coef[3], pre->scale[3]};
    }
    return raw;
}

static bool context_word_is(const Expr *e, int ctx)
{
    return e->kind == E_NAME && e->u.name.sym->kind == SYM_CONTEXT && (ctx < 0 || (int)e->u.name.sym->ctx == ctx);
}

const Expr *jit_row_scoring_call(const Program *p, int r)
{
    const Expr *m = p->rules[r].method;
    if (m->kind != E_NAME || m->u.name.sym->kind != SYM_METHOD || m->u.name.sym->decl->u.method.nparams != 0)
        return NULL;
    const Expr *e = m->u.name.sym->decl->u.method.body;
    if (e->kind != E_CALL || e->u.call.sym->kind != SYM_BUILTIN)
        return NULL;
    BuiltinId id = e->u.call.sym->builtin->id;
    int n = e->u.call.nargs;
    if ((id != BI_SCORE_GE && id != BI_SCORE_LE && id != BI_SCORE_EXEC && id != BI_SCORE_QUAL) || n < 3 ||
        n > (id == BI_SCORE_QUAL ? 5 : 4) || (id == BI_SCORE_EXEC && n != 3) || (id == BI_SCORE_QUAL && n < 4))
        return NULL;
    const Expr *const *a = (const Expr *const *)e->u.call.args;
    bool pair = (context_word_is(a[0], CTX_TARGET) && context_word_is(a[1], CTX_VALUE)) ||
                (context_word_is(a[0], CTX_VALUE) && context_word_is(a[1], CTX_TARGET));
    bool weight = context_word_is(a[2], -1) || (a[2]->kind == E_LIT && a[2]->u.lit.kind == TL_NUM);
    if (!pair || !weight)
        return NULL;
    if (n == 3)
        return e;
    if (id == BI_SCORE_QUAL) { /* the self-awarded score: a cell or a number; a scheme word */
        if (!context_word_is(a[3], CTX_REPORTED) && !(a[3]->kind == E_LIT && a[3]->u.lit.kind == TL_NUM))
            return NULL;
        if (n == 4)
            return e;
        const char *scheme = a[4]->kind == E_LIT && a[4]->u.lit.kind == TL_TEXT ? a[4]->u.lit.u.text
                             : a[4]->kind == E_NAME && a[4]->u.name.sym->kind == SYM_CONST ? a[4]->u.name.sym->name
                                                                                           : NULL;
        return scheme && (strcmp(scheme, "cz2020") == 0 || strcmp(scheme, "hubei2020") == 0) ? e : NULL;
    }
    if (id == BI_SCORE_GE) /* the overshoot threshold */
        return a[3]->kind == E_LIT && a[3]->u.lit.kind == TL_NUM ? e : NULL;
    const char *mode = a[3]->kind == E_LIT && a[3]->u.lit.kind == TL_TEXT ? a[3]->u.lit.u.text
                       : a[3]->kind == E_NAME && a[3]->u.name.sym->kind == SYM_CONST ? a[3]->u.name.sym->name
                                                                                     : NULL;
    return mode && (strcmp(mode, "linear2x") == 0 || strcmp(mode, "inverse") == 0) ? e : NULL;
}

void jit_batch_run(const JitProgram *jp, const JitColumns *cols, JitRowResult *const *out)
{
    if (jp->batch_lets)
        jp->batch_lets(cols);
    for (int i = 0; i < jp->nind; i++)
        if (jp->batch[i])
            jp->batch[i](cols, out[i]);
}

static TlValue check_part(EvalState *st, int i, int part, const Expr *e, void *arg)
{
    JitCtx *c = arg;
    JitCheckFn fn = c->jp->checks[i * CHECK_PARTS + part];
    (void)st, (void)e;
    return fn(c);
}

int jit_eval_check(JitCtx *c, int i, TlValue *lhs, TlValue *rhs)
{
    return eval_check_with(c->st, i, lhs, rhs, check_part, c);
}

TlValue jit_eval_row(JitCtx *c, int rule, const Frame *f)
{
    return c->jp->rows[rule](c, f->ctx);
}
