/* jit_rt.c - the run-time side of compiled code: helpers, constants, and
 * the interpreter's indicator bookkeeping around compiled raw scores. */
#include "rt.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "lang/builtins.h"
#include "lang/operators.h"

/* Compiled code declares TlValue as a struct with the same members
 * (jit_gen.c); it must have the same size, alignment and layout, hence the
 * same calling convention (on x86-64 both are MEMORY class: passed on the
 * stack, returned through a hidden pointer). */
_Static_assert(sizeof(TlValue) == 32, "TlValue is 32 bytes");
_Static_assert(_Alignof(TlValue) == 8, "TlValue is 8-byte aligned");
_Static_assert(offsetof(TlValue, kind) == 0 && offsetof(TlValue, numkind) == 1 &&
                   offsetof(TlValue, qual) == 2 && offsetof(TlValue, flags) == 3 &&
                   offsetof(TlValue, mag) == 4 && offsetof(TlValue, unit) == 8 &&
                   offsetof(TlValue, u) == 16,
               "TlValue layout as jit_gen.c declares it");
_Static_assert(offsetof(TlDec, coef) == 0 && offsetof(TlDec, scale) == 8 && sizeof(TlDec) == 16,
               "TlDec layout as jit_gen.c declares it");
_Static_assert(sizeof(JitRuntime) == JIT_RUNTIME_FIELDS * sizeof(void (*)(void)),
               "JitRuntime holds only function pointers");
_Static_assert(sizeof(JitCtx) == 15 * sizeof(void *), "JitCtx holds only pointers");

const char *const jit_branch_names[JIT_BRANCH_COUNT] = {
    "if: then", "if: else",
    "tier 1", "tier 2", "tier 3", "tier 4", "tier 5", "tier 6", "tier 7", "tier 8", "tier 9",
    "tier 10 or later", "tiers: else",
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
        se->value = se->target = val_missing();
        TlValue raw = c->jp->ind[i](c, nest, depth, &se->value, &se->target);
        const Expr *formula = ind->score ? ind->score : ind->method_call;
        eval_finish_score(st, raw, formula->span, se);
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
    if (pre->branch >= 0)
        *c->branch = jit_branch_names[pre->branch];
    return raw;
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

/* Constants ------------------------------------------------------------------ */

typedef struct ConstBuilder {
    TlValue *values;
    const void **keys;
    int len, cap;
} ConstBuilder;

static void const_push(ConstBuilder *b, const void *key, TlValue v)
{
    if (b->len == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 64;
        b->values = xrealloc(b->values, (size_t)b->cap * sizeof *b->values);
        b->keys = xrealloc(b->keys, (size_t)b->cap * sizeof *b->keys);
    }
    b->values[b->len] = v;
    b->keys[b->len] = key;
    b->len++;
}

static void const_walk(ConstBuilder *b, const Expr *e)
{
    if (!e)
        return;
    switch (e->kind) {
    case E_LIT:
        const_push(b, e, e->u.lit);
        return;
    case E_NAME:
        if (e->u.name.sym && e->u.name.sym->kind == SYM_CONST)
            const_push(b, e, val_text(e->u.name.sym->name));
        return;
    case E_CALL:
        for (int i = 0; i < e->u.call.nargs; i++)
            const_walk(b, e->u.call.args[i]);
        return;
    case E_UNARY:
        const_walk(b, e->u.unary.a);
        return;
    case E_BINARY:
        const_walk(b, e->u.binary.a);
        const_walk(b, e->u.binary.b);
        return;
    case E_IF:
        const_walk(b, e->u.cond.cond);
        const_walk(b, e->u.cond.then);
        const_walk(b, e->u.cond.els);
        return;
    case E_TIERS:
        const_walk(b, e->u.tiers.subject);
        for (int i = 0; i < e->u.tiers.ntiers; i++) {
            const_walk(b, e->u.tiers.tiers[i].edge);
            const_walk(b, e->u.tiers.tiers[i].score);
        }
        const_walk(b, e->u.tiers.els);
        return;
    }
}

static int by_key(const void *x, const void *y)
{
    const JitConstKey *a = x, *b = y;
    return a->key < b->key ? -1 : a->key > b->key;
}

void jit_consts_build(const Program *p, bool keyed, JitConsts *out)
{
    ConstBuilder b = {0};
    const_push(&b, NULL, val_missing());
    const_push(&b, NULL, val_bool(false));
    const_push(&b, NULL, val_bool(true));
    for (int i = 0; i < p->nindicators; i++)
        const_push(&b, NULL, val_num(p->indicators[i].weight));
    int first = b.len;
    for (int i = 0; i < p->nlets; i++)
        const_walk(&b, p->lets[i]->decl->u.let.value);
    for (int i = 0; i < p->nmethods; i++)
        const_walk(&b, p->methods[i]->decl->u.method.body);
    for (int i = 0; i < p->nindicators; i++) {
        const Decl *d = p->indicators[i].decl;
        const_walk(&b, d->u.indicator.value);
        const_walk(&b, d->u.indicator.target);
        const_walk(&b, p->indicators[i].score);
        const_walk(&b, p->indicators[i].method_call);
    }
    for (int i = 0; i < p->nrules; i++)
        const_walk(&b, p->rules[i].method);
    for (int i = 0; i < p->nchecks; i++) {
        const_walk(&b, p->checks[i]->u.check.cond);
        const_walk(&b, p->checks[i]->u.check.tolerance);
    }
    memset(out, 0, sizeof *out);
    out->values = b.values;
    out->len = b.len;
    out->nkeyed = keyed ? b.len - first : 0;
    out->order = xmalloc((size_t)(out->nkeyed + 1) * sizeof *out->order);
    for (int i = 0; i < out->nkeyed; i++)
        out->order[i] = (JitConstKey){(uintptr_t)b.keys[first + i], first + i};
    qsort(out->order, (size_t)out->nkeyed, sizeof *out->order, by_key);
    free(b.keys);
}

int jit_consts_slot(const JitConsts *k, const void *e)
{
    uintptr_t key = (uintptr_t)e;
    int lo = 0, hi = k->nkeyed;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (k->order[mid].key == key)
            return k->order[mid].slot;
        if (k->order[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

void jit_consts_free(JitConsts *k)
{
    free(k->values);
    free(k->order);
    memset(k, 0, sizeof *k);
}

static int by_name(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Sort and deduplicate names[0 .. n - 1] into *out. */
static void names_finish(const char **names, int n, JitNames *out)
{
    qsort(names, (size_t)n, sizeof *names, by_name);
    int len = 0;
    for (int i = 0; i < n; i++)
        if (len == 0 || strcmp(names[len - 1], names[i]) != 0)
            names[len++] = names[i];
    out->names = names;
    out->len = len < UINT16_MAX ? len : 0; /* ids are 16 bits; more names: none has an id */
}

void jit_units_build(const Program *p, const JitConsts *consts, JitNames *out)
{
    const char **names = xmalloc(((size_t)p->ninputs + (size_t)consts->len + 1) * sizeof *names);
    int n = 0;
    for (int i = 0; i < p->ninputs; i++)
        if (p->inputs[i]->type.kind == TY_NUM && p->inputs[i]->unit_written && p->inputs[i]->type.unit &&
            p->inputs[i]->type.unit[0])
            names[n++] = p->inputs[i]->type.unit;
    for (int i = 0; i < consts->len; i++)
        if (consts->values[i].kind == TL_NUM && consts->values[i].numkind == NUM_QUANTITY && consts->values[i].unit)
            names[n++] = consts->values[i].unit;
    names_finish(names, n, out);
}

static void mark_inputs(const Program *p, const Expr *e, bool *input, bool *let)
{
    if (!e)
        return;
    switch (e->kind) {
    case E_LIT:
        return;
    case E_NAME: {
        const Sym *s = e->u.name.sym;
        if (s && s->kind == SYM_INPUT)
            input[s->index] = true;
        else if (s && s->kind == SYM_LET && !let[s->index]) {
            let[s->index] = true;
            mark_inputs(p, s->decl->u.let.value, input, let);
        }
        return;
    }
    case E_CALL:
        for (int i = 0; i < e->u.call.nargs; i++)
            mark_inputs(p, e->u.call.args[i], input, let);
        return;
    case E_UNARY:
        mark_inputs(p, e->u.unary.a, input, let);
        return;
    case E_BINARY:
        mark_inputs(p, e->u.binary.a, input, let);
        mark_inputs(p, e->u.binary.b, input, let);
        return;
    case E_IF:
        mark_inputs(p, e->u.cond.cond, input, let);
        mark_inputs(p, e->u.cond.then, input, let);
        mark_inputs(p, e->u.cond.els, input, let);
        return;
    case E_TIERS:
        mark_inputs(p, e->u.tiers.subject, input, let);
        for (int i = 0; i < e->u.tiers.ntiers; i++) {
            mark_inputs(p, e->u.tiers.tiers[i].edge, input, let);
            mark_inputs(p, e->u.tiers.tiers[i].score, input, let);
        }
        mark_inputs(p, e->u.tiers.els, input, let);
        return;
    }
}

void jit_batch_inputs_build(const Program *p, JitProgram *jp)
{
    bool *input = xcalloc((size_t)p->ninputs + 1, sizeof *input);
    bool *let = xcalloc((size_t)p->nlets + 1, sizeof *let);
    for (int i = 0; i < p->nindicators; i++)
        if (jp->batch[i]) {
            const Indicator *ind = &p->indicators[i];
            mark_inputs(p, ind->decl->u.indicator.value, input, let);
            mark_inputs(p, ind->decl->u.indicator.target, input, let);
            mark_inputs(p, ind->score, input, let);
        }
    jp->batch_inputs = xmalloc(((size_t)p->ninputs + 1) * sizeof *jp->batch_inputs);
    jp->nbatch_inputs = 0;
    for (int i = 0; i < p->ninputs; i++)
        if (input[i])
            jp->batch_inputs[jp->nbatch_inputs++] = i;
    free(input);
    free(let);
}

void jit_texts_build(const JitConsts *consts, JitNames *out)
{
    const char **names = xmalloc(((size_t)consts->len + 1) * sizeof *names);
    int n = 0;
    for (int i = 0; i < consts->len; i++)
        if (consts->values[i].kind == TL_TEXT && consts->values[i].u.text)
            names[n++] = consts->values[i].u.text;
    names_finish(names, n, out);
}

int jit_name_id(const JitNames *u, const char *name)
{
    int lo = 0, hi = u->len;
    while (name && lo < hi) {
        int mid = lo + (hi - lo) / 2, c = strcmp(name, u->names[mid]);
        if (c == 0)
            return mid + 1;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

void jit_names_free(JitNames *u)
{
    free(u->names);
    memset(u, 0, sizeof *u);
}

int jit_max_params(const Program *p)
{
    int n = 0;
    for (int i = 0; i < p->nmethods; i++)
        if (p->methods[i]->decl->u.method.nparams > n)
            n = p->methods[i]->decl->u.method.nparams;
    return n;
}
