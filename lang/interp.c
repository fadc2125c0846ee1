/* interp.c - the reference interpreter: a walk over the checked tree. */
#include "interp.h"

#include <string.h>

#include "coverage.h"
#include "lang/base/l10n.h"
#include "operators.h"

/* Explanation arguments (source text, formatted values) cost work: only with --explain. */
#define EXPLAIN_ST(st, ...)                         \
    do {                                            \
        if ((st)->env.explain)                      \
            explain_add(&(st)->env, __VA_ARGS__);   \
    } while (0)

#define MAX_CALL_DEPTH 64

void eval_init(EvalState *st, const Program *prog, Arena *arena)
{
    memset(st, 0, sizeof *st);
    st->prog = prog;
    st->max_steps = EVAL_MAX_STEPS;
    st->env.src = &prog->src;
    st->env.arena = arena;
    st->env.vocab = &prog->vocab;
    int ni = prog->ninputs + 1, nl = prog->nlets + 1, nind = prog->nindicators + 1;
    st->inputs = arena_alloc(arena, (size_t)ni * sizeof(TlValue));
    st->lets = arena_alloc(arena, (size_t)nl * sizeof(TlValue));
    st->let_state = arena_alloc(arena, (size_t)nl);
    st->scores = arena_alloc(arena, (size_t)nind * sizeof(TlValue));
    st->score_state = arena_alloc(arena, (size_t)nind);
    st->subtotals = arena_alloc(arena, (size_t)(prog->ngroups + 1) * sizeof(TlValue));
}

void eval_reset(EvalState *st)
{
    st->nesting = 0;
    st->steps = 0;
    st->stopped = false;
    memset(st->let_state, 0, (size_t)st->prog->nlets + 1);
    memset(st->score_state, 0, (size_t)st->prog->nindicators + 1);
    for (int i = 0; i <= st->prog->ngroups; i++)
        st->subtotals[i] = val_missing();
}

static const char *src_text(EvalState *st, Span span)
{
    return program_text(st->prog, span, st->env.arena);
}

static TlValue eval_let(EvalState *st, const Sym *s)
{
    int i = s->index;
    if (st->let_state[i] == 2)
        return st->lets[i];
    if (st->let_state[i] == 1)
        return val_missing(); /* unreachable: the checker refuses cycles */
    st->let_state[i] = 1;
    /* A let is evaluated outside any indicator: it sees no context words. */
    Frame none = {{{0}}, NULL};
    TlValue v = eval_expr(st, s->decl->u.let.value, &none);
    st->lets[i] = v;
    st->let_state[i] = 2;
    return v;
}

/* A built-in applied at `site`; when coverage is measured, the decision it
 * took is recorded (and the last decision of the formula is what it was,
 * as without coverage). */
static TlValue apply_builtin(EvalState *st, const Builtin *b, const TlValue *args, int n,
                             const Expr *site)
{
    if (!st->env.cover)
        return builtin_apply(&st->env, b, args, n, site->span);
    const char *before = st->env.branch;
    st->env.branch = NULL;
    TlValue v = builtin_apply(&st->env, b, args, n, site->span);
    if (st->env.branch)
        coverage_branch(st->env.cover, site, st->env.branch);
    else
        st->env.branch = before;
    return v;
}

/* eval_expr(st, e, f) for a literal or a context word, a leaf that
 * eval_node() does not nest into: the same step counted, without the call
 * (issue 16: the arguments of a scoring built-in, three a table row).  False
 * for any other node, and where eval_expr would stop. */
static inline bool eval_leaf(EvalState *st, const Expr *e, const Frame *f, TlValue *out)
{
    if (st->stopped || st->nesting >= EVAL_MAX_NESTING || st->steps >= st->max_steps)
        return false;
    if (e->kind == E_LIT)
        *out = e->u.lit;
    else if (e->kind == E_NAME && e->u.name.sym->kind == SYM_CONTEXT)
        *out = f->ctx[e->u.name.sym->ctx];
    else
        return false;
    st->steps++;
    return true;
}

static TlValue eval_call(EvalState *st, const Expr *e, const Frame *f)
{
    const Sym *s = e->u.call.sym;
    int n = e->u.call.nargs;
    TlValue argv[16], *args = n <= 16 ? argv : arena_alloc(st->env.arena, (size_t)n * sizeof *args);
    for (int i = 0; i < n; i++)
        if (!eval_leaf(st, e->u.call.args[i], f, &args[i]))
            args[i] = eval_expr(st, e->u.call.args[i], f);
    if (s->kind == SYM_BUILTIN)
        return apply_builtin(st, s->builtin, args, n, e);
    /* A user method: same context words, new parameters. */
    if (st->depth >= MAX_CALL_DEPTH) {
        findings_add(st->env.findings, F_OVERFLOW, st->env.subject ? st->env.subject : "",
                     st->env.src, e->span, _("methods call each other more than %d deep"),
                     MAX_CALL_DEPTH);
        st->stopped = true; /* once: the callers would report it again */
        return val_missing();
    }
    if (st->env.cover)
        coverage_method(st->env.cover, s->index);
    Frame inner = *f;
    inner.params = args;
    st->depth++;
    TlValue v = eval_expr(st, s->decl->u.method.body, &inner);
    st->depth--;
    return v;
}

static TlValue eval_tiers(EvalState *st, const Expr *e, const Frame *f)
{
    TlValue x = eval_expr(st, e->u.tiers.subject, f);
    if (x.kind == TL_MISSING)
        return x;
    for (int i = 0; i < e->u.tiers.ntiers; i++) {
        const Tier *t = &e->u.tiers.tiers[i];
        TlValue edge = eval_expr(st, t->edge, f);
        int hit = value_truth(&st->env, value_binary(&st->env, t->op, x, edge, t->span), t->span);
        if (hit < 0)
            return val_missing();
        if (hit) {
            if (st->env.cover)
                coverage_arm(st->env.cover, e, i);
            static const char *const names[] = {"tier 1", "tier 2", "tier 3", "tier 4", "tier 5",
                                                "tier 6", "tier 7", "tier 8", "tier 9"};
            st->env.branch = i < 9 ? names[i] : "tier 10 or later";
            if (st->env.explain) {
                char xb[VAL_BUF], eb[VAL_BUF];
                val_format(&x, xb);
                val_format(&edge, eb);
                explain_add(&st->env, _("tier %d: %s %s %s"), i + 1, xb, op_symbol(t->op), eb);
            }
            return eval_expr(st, t->score, f);
        }
    }
    if (!e->u.tiers.els)
        return val_missing();
    st->env.branch = N_("tiers: else");
    if (st->env.cover)
        coverage_arm(st->env.cover, e, e->u.tiers.ntiers);
    if (st->env.explain) {
        char xb[VAL_BUF];
        val_format(&x, xb);
        explain_add(&st->env, _("tiers: %s matches no edge: else branch"), xb);
    }
    return eval_expr(st, e->u.tiers.els, f);
}

/* Not inlined into eval_expr: called through, it writes straight into eval_expr's
 * return slot; inlined, GCC copied every value through the stack with a
 * byte store followed by a 16-byte load (a store-forwarding stall per node). */
static TlValue eval_node(EvalState *st, const Expr *e, const Frame *f) __attribute__((noinline));

/* Stop evaluating this report when it nests too deep or takes too long: one
 * finding says why, and every value from then on is missing. */
TlValue eval_expr(EvalState *st, const Expr *e, const Frame *f)
{
    if (st->stopped)
        return val_missing();
    if (st->nesting >= EVAL_MAX_NESTING || ++st->steps > st->max_steps) {
        const char *subject = st->env.subject ? st->env.subject : "";
        if (st->nesting >= EVAL_MAX_NESTING)
            findings_add(st->env.findings, F_OVERFLOW, subject, st->env.src, e->span,
                         _("evaluation stopped: lets, indicators and methods nest more than %d "
                         "deep here"), EVAL_MAX_NESTING);
        else
            findings_add(st->env.findings, F_OVERFLOW, subject, st->env.src, e->span,
                         _("evaluation stopped: this report needs more than %ld steps (do methods "
                         "call each other too often?)"), st->max_steps);
        st->stopped = true;
        return val_missing();
    }
    st->nesting++;
    TlValue v = eval_node(st, e, f);
    st->nesting--;
    return v;
}

static TlValue eval_node(EvalState *st, const Expr *e, const Frame *f)
{
    switch (e->kind) {
    case E_LIT:
        return e->u.lit;
    case E_NAME: {
        const Sym *s = e->u.name.sym;
        switch (s->kind) {
        case SYM_INPUT: return st->inputs[s->index];
        case SYM_LET: return eval_let(st, s);
        case SYM_PARAM: return f->params ? f->params[s->index] : val_missing();
        case SYM_CONTEXT: return f->ctx[s->ctx];
        case SYM_INDICATOR: return eval_indicator(st, s->index, NULL);
        case SYM_GROUP: return st->subtotals[s->index];
        case SYM_CONST: return val_text(s->name);
        case SYM_METHOD: {
            if (st->env.cover)
                coverage_method(st->env.cover, s->index);
            Frame inner = *f;
            inner.params = NULL;
            return eval_expr(st, s->decl->u.method.body, &inner);
        }
        case SYM_BUILTIN: return val_missing();
        }
        return val_missing();
    }
    case E_CALL:
        return eval_call(st, e, f);
    case E_UNARY:
        return value_unary(&st->env, e->u.unary.op, eval_expr(st, e->u.unary.a, f), e->span);
    case E_BINARY: {
        Op op = e->u.binary.op;
        TlValue a = eval_expr(st, e->u.binary.a, f);
        if (op == OP_AND || op == OP_OR) {
            int ta = value_truth(&st->env, a, e->u.binary.a->span);
            if (ta == (op == OP_OR))
                return val_bool(ta);
        }
        TlValue b = eval_expr(st, e->u.binary.b, f);
        return value_binary(&st->env, op, a, b, e->span);
    }
    case E_IF: {
        TlValue c = eval_expr(st, e->u.cond.cond, f);
        int t = value_truth(&st->env, c, e->u.cond.cond->span);
        if (t < 0) {
            EXPLAIN_ST(st, "if %s: condition is missing", src_text(st, e->u.cond.cond->span));
            return val_missing();
        }
        st->env.branch = t ? "if: then" : "if: else";
        if (st->env.cover)
            coverage_arm(st->env.cover, e, t ? 0 : 1);
        EXPLAIN_ST(st, "if %s: %s", src_text(st, e->u.cond.cond->span),
                    t ? "true, then-branch" : "false, else-branch");
        return eval_expr(st, t ? e->u.cond.then : e->u.cond.els, f);
    }
    case E_TIERS:
        return eval_tiers(st, e, f);
    }
    return val_missing();
}

TlValue eval_method_ref(EvalState *st, const Expr *ref, const Frame *f)
{
    if (ref->kind == E_CALL)
        return eval_call(st, ref, f);
    const Sym *s = ref->u.name.sym;
    if (s->kind == SYM_BUILTIN) {
        /* `using score_ge`: a built-in named alone takes (target, actual, weight[, reported]). */
        TlValue args[4] = {f->ctx[CTX_TARGET], f->ctx[CTX_VALUE], f->ctx[CTX_WEIGHT],
                           f->ctx[CTX_REPORTED]};
        int n = s->builtin->min_args >= 4 ? 4 : 3;
        return apply_builtin(st, s->builtin, args, n, ref);
    }
    if (st->env.cover)
        coverage_method(st->env.cover, s->index);
    Frame inner = *f;
    inner.params = NULL;
    return eval_expr(st, s->decl->u.method.body, &inner);
}

void eval_finish_score(EvalState *st, TlValue raw, Span rule, ScoreEval *out)
{
    out->raw = raw;
    out->clamped = false;
    if (raw.kind != TL_NUM || out->weight.kind != TL_NUM) {
        if (raw.kind != TL_MISSING && raw.kind != TL_NUM)
            findings_add(st->env.findings, F_TYPE, st->env.subject, st->env.src, rule,
                         _("a score must be a number"));
        out->score = val_missing();
        return;
    }
    TlValue s = raw;
    s.numkind = NUM_PLAIN;
    s.unit = NULL;
    s.mag = 0;
    s.qual = QUAL_NONE;
    s.flags = 0;
    TlDec w = out->weight.u.num, zero = dec_from_int(0);
    /* below 0: the coefficient's sign; above the weight: one scale compared
     * here (issue 16: once a table row, mostly of the weight's scale) */
    int above = s.u.num.scale == w.scale ? s.u.num.coef > w.coef : dec_cmp(s.u.num, w) > 0;
    if (s.u.num.coef < 0 || above) {
        TlDec to = dec_cmp(s.u.num, zero) < 0 ? zero : w;
        char rb[DEC_BUF], tb[DEC_BUF];
        dec_format_trim(s.u.num, 6, rb);
        dec_format_trim(to, 6, tb);
        EXPLAIN_ST(st, "clamped %s to %s (scores lie in [0, weight])", rb, tb);
        findings_add(st->env.findings, F_CLAMPED, st->env.subject, st->env.src, rule,
                     _("the formula gave %s; clamped to %s"), rb, tb);
        s.u.num = to;
        out->clamped = true;
    }
    int places = st->prog->opt.score_places;
    if (s.u.num.scale > (places < 0 ? 0 : places)) /* else dec_round leaves it as it is */
        s.u.num = dec_round(s.u.num, places);
    out->score = s;
}

const char *eval_score_begin(EvalState *st)
{
    const char *outer = st->env.unverified;
    st->env.unverified = NULL;
    return outer;
}

void eval_score_end(EvalState *st, const char *outer, ScoreEval *se)
{
    se->unverified = st->env.unverified;
    if (se->unverified)
        se->score = val_missing();
    st->env.unverified = outer ? outer : se->unverified;
}

TlValue eval_indicator(EvalState *st, int i, ScoreEval *out)
{
    const Indicator *ind = &st->prog->indicators[i];
    if (st->score_state[i] == 2 && !out)
        return st->scores[i];
    if (st->score_state[i] == 1)
        return val_missing(); /* an indicator whose score names itself */
    st->score_state[i] = 1;
    ScoreEval local;
    ScoreEval *se = out ? out : &local;
    memset(se, 0, sizeof *se);
    const char *saved = st->env.subject;
    st->env.subject = ind->decl->name;
    const char *outer = eval_score_begin(st);
    Frame f = {{{0}}, NULL};
    f.ctx[CTX_WEIGHT] = val_num(ind->weight);
    const Decl *d = ind->decl;
    if (d->u.indicator.value)
        f.ctx[CTX_VALUE] = eval_expr(st, d->u.indicator.value, &f);
    if (d->u.indicator.target)
        f.ctx[CTX_TARGET] = eval_expr(st, d->u.indicator.target, &f);
    se->value = f.ctx[CTX_VALUE];
    se->target = f.ctx[CTX_TARGET];
    se->weight = f.ctx[CTX_WEIGHT];
    se->reported = val_missing();
    const Expr *formula = ind->score ? ind->score : ind->method_call;
    TlValue raw = ind->score ? eval_expr(st, ind->score, &f) : eval_method_ref(st, ind->method_call, &f);
    eval_finish_score(st, raw, formula->span, se);
    eval_score_end(st, outer, se);
    st->env.subject = saved;
    st->scores[i] = se->score;
    st->score_state[i] = 2;
    return se->score;
}

/* A part of check i, by the interpreter. */
static TlValue eval_part(EvalState *st, int i, int part, const Expr *e, void *arg)
{
    (void)i, (void)part, (void)arg;
    Frame f = {{{0}}, NULL};
    return eval_expr(st, e, &f);
}

int eval_check(EvalState *st, int i, TlValue *lhs, TlValue *rhs)
{
    return eval_check_with(st, i, lhs, rhs, eval_part, NULL);
}

int eval_check_with(EvalState *st, int i, TlValue *lhs, TlValue *rhs, CheckPartFn part, void *arg)
{
    const Decl *d = st->prog->checks[i];
    const Expr *c = d->u.check.cond;
    *lhs = *rhs = val_missing();
    const char *saved = st->env.subject;
    st->env.subject = d->name;
    int result;
    if (c->kind == E_BINARY && c->u.binary.op >= OP_EQ && c->u.binary.op <= OP_GE) {
        *lhs = part(st, i, CHECK_LHS, c->u.binary.a, arg);
        *rhs = part(st, i, CHECK_RHS, c->u.binary.b, arg);
        if (d->u.check.tolerance && lhs->kind == TL_NUM && rhs->kind == TL_NUM) {
            /* a == b within t  means  |a - b| <= t; a <= b within t  means  a <= b + t. */
            TlValue tol = part(st, i, CHECK_TOLERANCE, d->u.check.tolerance, arg);
            TlValue diff = value_binary(&st->env, OP_SUB, *lhs, *rhs, c->span);
            if (tol.kind != TL_NUM || diff.kind != TL_NUM) {
                result = -1;
            } else {
                /* a OP b within t: compare a - b against t (or -t for > and >=). */
                TlDec dd = diff.u.num, t = tol.u.num, negt;
                if (!dec_neg(t, &negt))
                    negt = t;
                TlDec ad = dec_sign(dd) < 0 ? dec_abs_unchecked(dd) : dd;
                switch (c->u.binary.op) {
                case OP_EQ: result = dec_cmp(ad, t) <= 0; break;
                case OP_NE: result = dec_cmp(ad, t) > 0; break;
                case OP_LT: result = dec_cmp(dd, t) < 0; break;
                case OP_LE: result = dec_cmp(dd, t) <= 0; break;
                case OP_GT: result = dec_cmp(dd, negt) > 0; break;
                default: result = dec_cmp(dd, negt) >= 0; break;
                }
            }
        } else {
            result = value_truth(&st->env, value_binary(&st->env, c->u.binary.op, *lhs, *rhs, c->span),
                                 c->span);
        }
    } else {
        result = value_truth(&st->env, part(st, i, CHECK_COND, c, arg), c->span);
    }
    st->env.subject = saved;
    return result;
}
