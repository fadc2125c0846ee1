/* gen_typed.c - typed kernels: an expression compiled over unboxed
 * decimals, for the batch kernels (gen_batch.c).
 *
 * An expression of numbers and conditions - inputs, lets, literals, the
 * context words, + - * /, comparisons, and/or/not, if, tiers, min and max -
 * is compiled with its decimals held in 64/128-bit locals (KVal), its
 * inputs and lets read from the columns of a JitColumns row.  It takes
 * only the cases where every operation is value_binary's plain case and
 * raises no finding: every value a plain number, a percentage, a boolean,
 * a quantity in a unit the program names, or a text a literal spells; no
 * division by zero; nothing rounded but the score; no score to clamp.
 * Before anything else it declines (jumps to the kernel's bail block), and
 * that row is scored as if there were no kernel.  Evaluation follows the
 * interpreter's order, and counts its steps and records its branches.
 *
 * Generates, once per object, the kernels' decimal operations:
 *
 *   int tk_add, tk_sub, tk_mul, tk_div(ac, as, bc, bs, &rc, &rs)  1, or 0: decline
 *   int tk_cmp(ac, as, bc, bs)                                     dec_cmp
 *   int tk_score(rc, rs, wc, ws, places, &sc, &ss)  0 <= r <= weight: 1 and the
 *                                                   score rounded to `places`
 */
#include "gen.h"

#if TALLY_HAVE_GCCJIT

#include <stdlib.h>
#include <string.h>

#include "gen_build.h"

/* Is a literal a plain number or percent (no unit, qualifier or flag) or a boolean? */
static bool plain_lit(const TlValue *v)
{
    if (v->kind == TL_BOOL)
        return true;
    return v->kind == TL_NUM && (v->numkind == NUM_PLAIN || v->numkind == NUM_PERCENT) &&
           v->qual == QUAL_NONE && v->flags == 0 &&
           v->mag == 0 && v->unit == NULL;
}

static bool unitless(const Expr *e)
{
    return e->type.kind == TY_BOOL ||
           (e->type.kind == TY_NUM && (e->type.unit == NULL || e->type.unit[0] == 0));
}

/* over's and under's mode word (builtins.c steps()): 0 exact, 1 up, 2 down;
 * -1 for anything else (a mode known only at run time). */
static int steps_mode(const Expr *x)
{
    const char *w = x->kind == E_LIT && x->u.lit.kind == TL_TEXT ? x->u.lit.u.text
                    : x->kind == E_NAME && x->u.name.sym->kind == SYM_CONST ? x->u.name.sym->name
                                                                          : NULL;
    return !w ? -1 : strcmp(w, "exact") == 0 ? 0 : strcmp(w, "up") == 0 ? 1 : strcmp(w, "down") == 0 ? 2 : -1;
}

/* Can the kernel compute e?  `avail` has bit CTX_WEIGHT / CTX_VALUE /
 * CTX_TARGET / CTX_REPORTED set where those words are known (none in a
 * let), and maybe KERNEL_ANY_IS_NUM; *budget bounds the code generated. */
bool gen_kernel_expr_ok(const Expr *e, unsigned avail, int *budget)
{
    if (--*budget < 0)
        return false;
    if (!unitless(e) && !(e->type.kind == TY_ANY && (avail & KERNEL_ANY_IS_NUM)) &&
        !(e->type.kind == TY_NUM && (avail & KERNEL_UNITS)) && !(e->type.kind == TY_TEXT && (avail & KERNEL_TEXT)))
        return false;
    switch (e->kind) {
    case E_LIT:
        if (e->u.lit.kind == TL_TEXT)
            return (avail & KERNEL_TEXT) && e->type.kind == TY_TEXT && e->u.lit.u.text;
        return plain_lit(&e->u.lit) ||
               ((avail & KERNEL_UNITS) && e->u.lit.kind == TL_NUM && e->u.lit.numkind == NUM_QUANTITY &&
                e->u.lit.unit && e->u.lit.qual == QUAL_NONE && e->u.lit.flags == 0);
    case E_NAME: {
        const Sym *s = e->u.name.sym;
        if (avail & KERNEL_IN_METHOD)
            return s->kind == SYM_PARAM || (s->kind == SYM_CONTEXT && (avail & (1u << s->ctx)) != 0);
        switch (s->kind) {
        case SYM_INPUT: {
            /* numbers declared `number` or `percent` (no unit) and yes/no answers */
            const char *t = s->decl->u.input.type_name;
            if (s->type.kind == TY_NUM && s->unit_written)
                return (avail & KERNEL_UNITS) != 0;
            if (s->type.kind == TY_TEXT)
                return (avail & KERNEL_TEXT) != 0;
            return s->type.kind == TY_BOOL ||
                   (s->type.kind == TY_NUM && t &&
                    (strcmp(t, "number") == 0 || strcmp(t, "percent") == 0 || strcmp(t, "%") == 0));
        }
        case SYM_LET:
            return s->type.kind == TY_NUM || s->type.kind == TY_BOOL;
        case SYM_CONTEXT:
            return (avail & (1u << s->ctx)) != 0;
        default:
            return false;
        }
    }
    case E_CALL: {
        const Sym *s = e->u.call.sym;
        int n = e->u.call.nargs;
        if (s->kind == SYM_METHOD) { /* inlined (kmethod): numbers in, a number out */
            const Expr *body = s->decl->u.method.body;
            unsigned inner = avail | KERNEL_ANY_IS_NUM | KERNEL_IN_METHOD;
            if ((avail & KERNEL_IN_METHOD) || n != s->decl->u.method.nparams || n > KERNEL_METHOD_MAX_PARAMS ||
                ktype(e, inner) != TY_NUM || ktype(body, inner) != TY_NUM)
                return false;
            for (int i = 0; i < n; i++)
                if (ktype(e->u.call.args[i], avail) != TY_NUM || !gen_kernel_expr_ok(e->u.call.args[i], avail, budget))
                    return false;
            return gen_kernel_expr_ok(body, inner, budget);
        }
        if (s->kind != SYM_BUILTIN)
            return false;
        switch (s->builtin->id) {
        case BI_MIN:
        case BI_MAX:
            if (n < 1 || n > 16)
                return false;
            break;
        case BI_ABS:
            if (n != 1)
                return false;
            break;
        case BI_DEDUCT:
            if (n < 3 || n > 4)
                return false;
            break;
        case BI_OVER:
        case BI_UNDER: /* a mode word: one the kernel knows */
            if (n < 3 || n > 4 || (n == 4 && steps_mode(e->u.call.args[3]) < 0))
                return false;
            n = 3;
            break;
        case BI_EXEC_RATE:
        case BI_CHANGE_RATE:
            if (n != 2)
                return false;
            break;
        default:
            return false;
        }
        for (int i = 0; i < n; i++)
            if (ktype(e->u.call.args[i], avail) != TY_NUM || !gen_kernel_expr_ok(e->u.call.args[i], avail, budget))
                return false;
        return true;
    }
    case E_UNARY: {
        const Expr *a = e->u.unary.a;
        TypeKind want = e->u.unary.op == OP_NOT ? TY_BOOL : TY_NUM;
        return ktype(a, avail) == want && ktype(e, avail) == want && gen_kernel_expr_ok(a, avail, budget);
    }
    case E_BINARY: {
        Op op = e->u.binary.op;
        const Expr *a = e->u.binary.a, *b = e->u.binary.b;
        if ((avail & KERNEL_TEXT) && (op == OP_EQ || op == OP_NE) && ktype(a, avail) == TY_TEXT &&
            ktype(b, avail) == TY_TEXT)
            return ktype(e, avail) == TY_BOOL && gen_kernel_expr_ok(a, avail, budget) && gen_kernel_expr_ok(b, avail, budget);
        TypeKind want = op == OP_AND || op == OP_OR ? TY_BOOL : TY_NUM;
        TypeKind res = op >= OP_EQ && op <= OP_OR ? TY_BOOL : TY_NUM;
        return ktype(a, avail) == want && ktype(b, avail) == want && ktype(e, avail) == res &&
               gen_kernel_expr_ok(a, avail, budget) && gen_kernel_expr_ok(b, avail, budget);
    }
    case E_IF: {
        const Expr *c = e->u.cond.cond, *t = e->u.cond.then, *f = e->u.cond.els;
        TypeKind k = ktype(e, avail);
        return ktype(c, avail) == TY_BOOL && (k == TY_NUM || k == TY_BOOL) && ktype(t, avail) == k &&
               ktype(f, avail) == k && gen_kernel_expr_ok(c, avail, budget) && gen_kernel_expr_ok(t, avail, budget) &&
               gen_kernel_expr_ok(f, avail, budget);
    }
    case E_TIERS: {
        if (ktype(e, avail) != TY_NUM || ktype(e->u.tiers.subject, avail) != TY_NUM ||
            !gen_kernel_expr_ok(e->u.tiers.subject, avail, budget))
            return false;
        for (int i = 0; i < e->u.tiers.ntiers; i++) {
            const Tier *t = &e->u.tiers.tiers[i];
            if (ktype(t->edge, avail) != TY_NUM || ktype(t->score, avail) != TY_NUM ||
                !gen_kernel_expr_ok(t->edge, avail, budget) || !gen_kernel_expr_ok(t->score, avail, budget))
                return false;
        }
        const Expr *f = e->u.tiers.els;
        return f && ktype(f, avail) == TY_NUM && gen_kernel_expr_ok(f, avail, budget);
    }
    }
    return false;
}

/* `units`: KERNEL_UNITS or 0. */
bool gen_kernel_ok(const Indicator *ind, unsigned units)
{
    const Decl *d = ind->decl;
    const Expr *v = d->u.indicator.value, *t = d->u.indicator.target;
    int budget = KERNEL_MAX_NODES;
    unsigned avail = (1u << CTX_WEIGHT) | units;
    if (!ind->score || ind->score->type.kind != TY_NUM)
        return false;
    if (v && (v->type.kind != TY_NUM || !gen_kernel_expr_ok(v, avail, &budget)))
        return false;
    if (v)
        avail |= 1u << CTX_VALUE;
    if (t && (t->type.kind != TY_NUM || !gen_kernel_expr_ok(t, avail, &budget)))
        return false;
    if (t)
        avail |= 1u << CTX_TARGET;
    return gen_kernel_expr_ok(ind->score, avail, &budget);
}

/* 10^e for 0 <= e <= 18, from the table. */
static gcc_jit_rvalue *pow10_of(Gen *g, gcc_jit_rvalue *e, gcc_jit_location *at)
{
    return rv(gcc_jit_context_new_array_access(g->ctx, at, rv(g->pow10), e));
}

/* a and b aligned to the larger scale, in 128 bits (dec.c aligned()). */
static void kalign(Gen *g, KVal a, KVal b, gcc_jit_rvalue **x, gcc_jit_rvalue **y, gcc_jit_rvalue **s,
                   gcc_jit_location *at)
{
    gcc_jit_rvalue *sa = rv(a.scale), *sb = rv(b.scale);
    gcc_jit_lvalue *m = temp(g, g->t_int, at);
    assign(g, m, sa, at);
    gcc_jit_block *bigger = new_block(g, "b_scale"), *join = new_block(g, "aligned");
    branch(g, cmp(g, GCC_JIT_COMPARISON_GT, sb, sa, at), bigger, join, at);
    g->block = bigger;
    assign(g, m, sb, at);
    jump(g, join, at);
    g->block = join;
    *s = rv(m);
    *x = keep(g, arith(g, GCC_JIT_BINARY_OP_MULT, g->t_i128, i128_of(g, rv(a.coef), at),
                       i128_of(g, pow10_of(g, arith(g, GCC_JIT_BINARY_OP_MINUS, g->t_int, *s, sa, at), at), at), at),
              g->t_i128, at);
    *y = keep(g, arith(g, GCC_JIT_BINARY_OP_MULT, g->t_i128, i128_of(g, rv(b.coef), at),
                       i128_of(g, pow10_of(g, arith(g, GCC_JIT_BINARY_OP_MINUS, g->t_int, *s, sb, at), at), at), at),
              g->t_i128, at);
}

/* n / d rounded half away from zero (dec.c div_round), n and d in 128
 * bits, |d| >= 1; |r| >= |d| - |r| is 2|r| >= |d| without overflow. */
static gcc_jit_rvalue *kdiv_round(Gen *g, gcc_jit_type *t, gcc_jit_rvalue *n, gcc_jit_rvalue *d, gcc_jit_location *at)
{
    gcc_jit_lvalue *q = temp(g, t, at);
    assign(g, q, arith(g, GCC_JIT_BINARY_OP_DIVIDE, t, n, d, at), at);
    gcc_jit_rvalue *r = keep(g, arith(g, GCC_JIT_BINARY_OP_MODULO, t, n, d, at), t, at);
    gcc_jit_rvalue *zero = gcc_jit_context_new_rvalue_from_int(g->ctx, t, 0);
    gcc_jit_rvalue *ar = keep(g, gcc_jit_context_new_unary_op(g->ctx, at, GCC_JIT_UNARY_OP_ABS, t, r), t, at);
    gcc_jit_rvalue *ad = gcc_jit_context_new_unary_op(g->ctx, at, GCC_JIT_UNARY_OP_ABS, t, d);
    gcc_jit_block *up = new_block(g, "round_up"), *join = new_block(g, "rounded");
    branch(g, cmp(g, GCC_JIT_COMPARISON_GE, ar, arith(g, GCC_JIT_BINARY_OP_MINUS, t, ad, ar, at), at), up, join, at);
    g->block = up;
    gcc_jit_rvalue *neg = cmp(g, GCC_JIT_COMPARISON_NE, cmp(g, GCC_JIT_COMPARISON_LT, n, zero, at),
                              cmp(g, GCC_JIT_COMPARISON_LT, d, zero, at), at);
    gcc_jit_block *down = new_block(g, "away_neg"), *upp = new_block(g, "away_pos");
    branch(g, neg, down, upp, at);
    g->block = down;
    gcc_jit_block_add_assignment_op(g->block, at, q, GCC_JIT_BINARY_OP_MINUS, gcc_jit_context_new_rvalue_from_int(g->ctx, t, 1));
    jump(g, join, at);
    g->block = upp;
    gcc_jit_block_add_assignment_op(g->block, at, q, GCC_JIT_BINARY_OP_PLUS, gcc_jit_context_new_rvalue_from_int(g->ctx, t, 1));
    jump(g, join, at);
    g->block = join;
    return rv(q);
}

/* value_binary(op, a, b) for plain numbers: dec_add/sub/mul/div when the
 * result needs no rounding (a quotient: dec_div's first, 10-place attempt). */
static KVal karith_inline(Gen *g, Kernel *k, int op, KVal a, KVal b, gcc_jit_location *at)
{
    KVal r = knum(g, at);
    if (op == OP_ADD || op == OP_SUB) {
        gcc_jit_rvalue *x, *y, *s;
        kalign(g, a, b, &x, &y, &s, at);
        gcc_jit_rvalue *c = keep(g, arith(g, op == OP_ADD ? GCC_JIT_BINARY_OP_PLUS : GCC_JIT_BINARY_OP_MINUS,
                                          g->t_i128, x, y, at), g->t_i128, at);
        require(g, k, fits_int64(g, c, at), at);
        assign(g, r.coef, gcc_jit_context_new_cast(g->ctx, at, c, g->t_i64), at);
        assign(g, r.scale, s, at);
        return r;
    }
    if (op == OP_MUL) {
        gcc_jit_rvalue *p = keep(g, arith(g, GCC_JIT_BINARY_OP_MULT, g->t_i128, i128_of(g, rv(a.coef), at),
                                          i128_of(g, rv(b.coef), at), at), g->t_i128, at);
        gcc_jit_rvalue *s = keep(g, arith(g, GCC_JIT_BINARY_OP_PLUS, g->t_int, rv(a.scale), rv(b.scale), at),
                                 g->t_int, at);
        require(g, k, logic(g, GCC_JIT_BINARY_OP_LOGICAL_AND, cmp(g, GCC_JIT_COMPARISON_LE, s, int_rv(g, DEC_MAX_SCALE), at),
                            fits_int64(g, p, at), at), at);
        assign(g, r.coef, gcc_jit_context_new_cast(g->ctx, at, p, g->t_i64), at);
        assign(g, r.scale, s, at);
        return r;
    }
    /* OP_DIV: a nonzero divisor; a.coef * 10^kk with kk = 10 - sa + sb in
     * 0..18 (else dec_div's other cases: leave it to the helper). */
    gcc_jit_rvalue *kk = keep(g, arith(g, GCC_JIT_BINARY_OP_PLUS, g->t_int,
                                       arith(g, GCC_JIT_BINARY_OP_MINUS, g->t_int, int_rv(g, DEC_DIV_SCALE), rv(a.scale), at),
                                       rv(b.scale), at), g->t_int, at);
    require(g, k, logic(g, GCC_JIT_BINARY_OP_LOGICAL_AND,
                        cmp(g, GCC_JIT_COMPARISON_NE, rv(b.coef), i64_rv(g, 0), at),
                        logic(g, GCC_JIT_BINARY_OP_LOGICAL_AND, cmp(g, GCC_JIT_COMPARISON_GE, kk, int_rv(g, 0), at),
                              cmp(g, GCC_JIT_COMPARISON_LE, kk, int_rv(g, DEC_MAX_SCALE), at), at), at), at);
    gcc_jit_rvalue *n = keep(g, arith(g, GCC_JIT_BINARY_OP_MULT, g->t_i128, i128_of(g, rv(a.coef), at),
                                      i128_of(g, pow10_of(g, kk, at), at), at), g->t_i128, at);
    /* Both in 64 bits (neither INT64_MIN): divide in 64 bits, as fast as C can. */
    gcc_jit_block *small = new_block(g, "div64"), *big = new_block(g, "div128"), *join = new_block(g, "divided");
    gcc_jit_rvalue *n_small = logic(g, GCC_JIT_BINARY_OP_LOGICAL_AND,
                                    cmp(g, GCC_JIT_COMPARISON_GE, n, i128_of(g, i64_rv(g, -INT64_MAX), at), at),
                                    cmp(g, GCC_JIT_COMPARISON_LE, n, i128_of(g, i64_rv(g, INT64_MAX), at), at), at);
    branch(g, logic(g, GCC_JIT_BINARY_OP_LOGICAL_AND, n_small,
                    cmp(g, GCC_JIT_COMPARISON_NE, rv(b.coef), i64_rv(g, INT64_MIN), at), at), small, big, at);
    g->block = small;
    assign(g, r.coef, kdiv_round(g, g->t_i64, gcc_jit_context_new_cast(g->ctx, at, n, g->t_i64), rv(b.coef), at), at);
    jump(g, join, at);
    g->block = big;
    gcc_jit_rvalue *q = keep(g, kdiv_round(g, g->t_i128, n, i128_of(g, rv(b.coef), at), at), g->t_i128, at);
    require(g, k, fits_int64(g, q, at), at);
    assign(g, r.coef, gcc_jit_context_new_cast(g->ctx, at, q, g->t_i64), at);
    jump(g, join, at);
    g->block = join;
    assign(g, r.scale, int_rv(g, DEC_DIV_SCALE), at);
    return r;
}

/* dec_cmp(a, b) as -1, 0, 1. */
static gcc_jit_rvalue *kcmp_inline(Gen *g, KVal a, KVal b, gcc_jit_location *at)
{
    gcc_jit_rvalue *x, *y, *s;
    kalign(g, a, b, &x, &y, &s, at);
    return keep(g, arith(g, GCC_JIT_BINARY_OP_MINUS, g->t_int, as_int(g, cmp(g, GCC_JIT_COMPARISON_GT, x, y, at), at),
                         as_int(g, cmp(g, GCC_JIT_COMPARISON_LT, x, y, at), at), at), g->t_int, at);
}

/* dec_round(a, places): dec.c reduce(), ROUND_HALF_AWAY. */
static KVal kround(Gen *g, KVal a, gcc_jit_rvalue *places, gcc_jit_location *at)
{
    KVal r = knum(g, at);
    kcopy(g, r, a, at);
    gcc_jit_block *round = new_block(g, "round"), *done = new_block(g, "rounded");
    branch(g, cmp(g, GCC_JIT_COMPARISON_GT, rv(a.scale), places, at), round, done, at);
    g->block = round;
    gcc_jit_rvalue *dv = keep(g, pow10_of(g, arith(g, GCC_JIT_BINARY_OP_MINUS, g->t_int, rv(a.scale), places, at), at),
                              g->t_i64, at);
    gcc_jit_rvalue *rem = keep(g, arith(g, GCC_JIT_BINARY_OP_MODULO, g->t_i64, rv(a.coef), dv, at), g->t_i64, at);
    assign(g, r.coef, arith(g, GCC_JIT_BINARY_OP_DIVIDE, g->t_i64, rv(a.coef), dv, at), at);
    assign(g, r.scale, places, at);
    gcc_jit_block *up = new_block(g, "up"), *notup = new_block(g, "not_up"), *down = new_block(g, "down");
    branch(g, cmp(g, GCC_JIT_COMPARISON_GE, rem, arith(g, GCC_JIT_BINARY_OP_MINUS, g->t_i64, dv, rem, at), at), up,
           notup, at);
    g->block = up;
    gcc_jit_block_add_assignment_op(g->block, at, r.coef, GCC_JIT_BINARY_OP_PLUS, i64_rv(g, 1));
    jump(g, done, at);
    g->block = notup;
    branch(g, cmp(g, GCC_JIT_COMPARISON_GE, gcc_jit_context_new_unary_op(g->ctx, at, GCC_JIT_UNARY_OP_MINUS, g->t_i64, rem),
                  arith(g, GCC_JIT_BINARY_OP_PLUS, g->t_i64, dv, rem, at), at),
           down, done, at);
    g->block = down;
    gcc_jit_block_add_assignment_op(g->block, at, r.coef, GCC_JIT_BINARY_OP_MINUS, i64_rv(g, 1));
    jump(g, done, at);
    g->block = done;
    return r;
}

static KVal kparams(Gen *g, gcc_jit_param *c, gcc_jit_param *sc, gcc_jit_location *at)
{
    KVal v = knum(g, at);
    assign(g, v.coef, gcc_jit_param_as_rvalue(c), at);
    assign(g, v.scale, gcc_jit_param_as_rvalue(sc), at);
    return v;
}

void gen_kernel_ops(Gen *g)
{
    gcc_jit_location *at = NULL;
    gcc_jit_type *p_i64 = gcc_jit_type_get_pointer(g->t_i64), *p_int = gcc_jit_type_get_pointer(g->t_int);
    static const char *const names[TK_COUNT] = {"tk_add", "tk_sub", "tk_mul", "tk_div", "tk_cmp", "tk_score"};
    for (int f = 0; f < TK_COUNT; f++) {
        gcc_jit_param *ps[8];
        int np = 0;
        ps[np++] = gcc_jit_context_new_param(g->ctx, at, g->t_i64, "ac");
        ps[np++] = gcc_jit_context_new_param(g->ctx, at, g->t_int, "as");
        ps[np++] = gcc_jit_context_new_param(g->ctx, at, g->t_i64, "bc");
        ps[np++] = gcc_jit_context_new_param(g->ctx, at, g->t_int, "bs");
        if (f == TK_SCORE)
            ps[np++] = gcc_jit_context_new_param(g->ctx, at, g->t_int, "places");
        if (f != TK_CMP) {
            ps[np++] = gcc_jit_context_new_param(g->ctx, at, p_i64, "rc");
            ps[np++] = gcc_jit_context_new_param(g->ctx, at, p_int, "rs");
        }
        gcc_jit_function *fn = gcc_jit_context_new_function(g->ctx, at, GCC_JIT_FUNCTION_INTERNAL, g->t_int,
                                                            names[f], np, ps, 0);
        g->tk_fn[f] = fn;
        g->fn = fn;
        g->pending = 0;
        g->block = gcc_jit_function_new_block(fn, "entry");
        Kernel k;
        memset(&k, 0, sizeof k);
        k.bail = new_block(g, "decline");
        KVal a = kparams(g, ps[0], ps[1], at), b = kparams(g, ps[2], ps[3], at);
        if (f == TK_CMP) {
            /* one scale: the coefficients compared, without aligning in 128 bits */
            gcc_jit_block *same = new_block(g, "same_scale"), *other = new_block(g, "other_scale");
            branch(g, cmp(g, GCC_JIT_COMPARISON_EQ, rv(a.scale), rv(b.scale), at), same, other, at);
            g->block = same;
            ret(g, arith(g, GCC_JIT_BINARY_OP_MINUS, g->t_int,
                         as_int(g, cmp(g, GCC_JIT_COMPARISON_GT, rv(a.coef), rv(b.coef), at), at),
                         as_int(g, cmp(g, GCC_JIT_COMPARISON_LT, rv(a.coef), rv(b.coef), at), at), at),
                at);
            g->block = other;
            ret(g, kcmp_inline(g, a, b, at), at);
        } else {
            KVal r;
            if (f == TK_SCORE) {
                /* eval_finish_score's plain case: b is the weight */
                KVal zero = knum(g, at);
                assign(g, zero.coef, i64_rv(g, 0), at);
                assign(g, zero.scale, int_rv(g, 0), at);
                gcc_jit_rvalue *c0 = kcmp_inline(g, a, zero, at), *cw = kcmp_inline(g, a, b, at);
                require(g, &k, logic(g, GCC_JIT_BINARY_OP_LOGICAL_AND,
                                     cmp(g, GCC_JIT_COMPARISON_GE, c0, int_rv(g, 0), at),
                                     cmp(g, GCC_JIT_COMPARISON_LE, cw, int_rv(g, 0), at), at), at);
                r = kround(g, a, gcc_jit_param_as_rvalue(ps[4]), at);
            } else {
                r = karith_inline(g, &k, f == TK_ADD ? OP_ADD : f == TK_SUB ? OP_SUB : f == TK_MUL ? OP_MUL : OP_DIV,
                                  a, b, at);
            }
            assign(g, gcc_jit_rvalue_dereference(gcc_jit_param_as_rvalue(ps[np - 2]), at), rv(r.coef), at);
            assign(g, gcc_jit_rvalue_dereference(gcc_jit_param_as_rvalue(ps[np - 1]), at), rv(r.scale), at);
            ret(g, int_rv(g, 1), at);
        }
        g->block = k.bail;
        ret(g, int_rv(g, 0), at);
    }
}

static gcc_jit_rvalue *eq(Gen *g, gcc_jit_lvalue *a, gcc_jit_lvalue *b, gcc_jit_location *at)
{
    return cmp(g, GCC_JIT_COMPARISON_EQ, rv(a), rv(b), at);
}

static gcc_jit_rvalue *is_zero(Gen *g, gcc_jit_lvalue *a, gcc_jit_location *at)
{
    return cmp(g, GCC_JIT_COMPARISON_EQ, rv(a), int_rv(g, 0), at);
}

/* r.unit/r.mag := cond ? x's : y's */
static void pick_unit(Gen *g, KVal r, gcc_jit_rvalue *cond, KVal x, KVal y, gcc_jit_location *at)
{
    gcc_jit_rvalue *c = as_int(g, cond, at), *nc = arith(g, GCC_JIT_BINARY_OP_MINUS, g->t_int, int_rv(g, 1), c, at);
    assign(g, r.unit, arith(g, GCC_JIT_BINARY_OP_PLUS, g->t_int, arith(g, GCC_JIT_BINARY_OP_MULT, g->t_int, c, rv(x.unit), at),
                            arith(g, GCC_JIT_BINARY_OP_MULT, g->t_int, nc, rv(y.unit), at), at), at);
    assign(g, r.mag, arith(g, GCC_JIT_BINARY_OP_PLUS, g->t_int, arith(g, GCC_JIT_BINARY_OP_MULT, g->t_int, c, rv(x.mag), at),
                           arith(g, GCC_JIT_BINARY_OP_MULT, g->t_int, nc, rv(y.mag), at), at), at);
}

/* value_binary's units (lang/operators.c), where it raises no finding; otherwise
 * decline.  A quantity's unit is an id, equal ids the same unit: two count
 * words that differ (个, 家), which value_binary lets fit, decline here, as
 * does a quantity next to a plain zero. */
static void kunits(Gen *g, Kernel *k, int op, KVal a, KVal b, KVal r, gcc_jit_location *at)
{
    switch (op) {
    case OP_ADD:
    case OP_SUB: /* same unit (or none); the result takes a's */
        require(g, k, eq(g, a.unit, b.unit, at), at);
        assign(g, r.unit, rv(a.unit), at);
        assign(g, r.mag, rv(a.mag), at);
        break;
    case OP_MUL: /* not both quantities; the quantity's unit and magnitude */
        require(g, k, logic(g, GCC_JIT_BINARY_OP_LOGICAL_OR, is_zero(g, a.unit, at), is_zero(g, b.unit, at), at), at);
        pick_unit(g, r, is_zero(g, b.unit, at), a, b, at);
        break;
    default: /* OP_DIV: a quantity over a number, or over the same unit (a plain ratio) */
        require(g, k, logic(g, GCC_JIT_BINARY_OP_LOGICAL_OR, is_zero(g, b.unit, at), eq(g, a.unit, b.unit, at), at), at);
        pick_unit(g, r, is_zero(g, b.unit, at), a, r, at); /* r: 0 and 0, from knum */
        break;
    }
}

static KVal karith(Gen *g, Kernel *k, int op, KVal a, KVal b, gcc_jit_location *at)
{
    KVal r = knum(g, at);
    kunits(g, k, op, a, b, r, at);
    int f = op == OP_ADD ? TK_ADD : op == OP_SUB ? TK_SUB : op == OP_MUL ? TK_MUL : TK_DIV;
    gcc_jit_rvalue *argv[] = {rv(a.coef), rv(a.scale), rv(b.coef), rv(b.scale),
                              gcc_jit_lvalue_get_address(r.coef, at), gcc_jit_lvalue_get_address(r.scale, at)};
    require(g, k, cmp(g, GCC_JIT_COMPARISON_NE, gcc_jit_context_new_call(g->ctx, at, g->tk_fn[f], 6, argv),
                      int_rv(g, 0), at), at);
    /* value_binary: a sum is a percent if either operand is; a product or
     * quotient of dimensionless numbers is plain */
    if (op == OP_ADD || op == OP_SUB)
        assign(g, r.pct, arith(g, GCC_JIT_BINARY_OP_BITWISE_OR, g->t_int, rv(a.pct), rv(b.pct), at), at);
    return r;
}

/* dec_cmp of a and b, which must have the same unit (or none); else decline. */
static gcc_jit_rvalue *kcmp(Gen *g, Kernel *k, KVal a, KVal b, gcc_jit_location *at)
{
    require(g, k, eq(g, a.unit, b.unit, at), at);
    gcc_jit_rvalue *argv[] = {rv(a.coef), rv(a.scale), rv(b.coef), rv(b.scale)};
    return keep(g, gcc_jit_context_new_call(g->ctx, at, g->tk_fn[TK_CMP], 4, argv), g->t_int, at);
}

/* Can evaluating e record a branch (env.branch: if, tiers, the scoring
 * built-ins, an indicator's formula, a method)?  Lets are followed; the
 * checker has ruled out cycles among them. */
bool gen_may_branch(const Expr *e)
{
    if (!e)
        return false;
    switch (e->kind) {
    case E_LIT:
        return false;
    case E_NAME: {
        const Sym *s = e->u.name.sym;
        if (s->kind == SYM_LET)
            return gen_may_branch(s->decl->u.let.value);
        return s->kind == SYM_INDICATOR || s->kind == SYM_METHOD;
    }
    case E_UNARY:
        return gen_may_branch(e->u.unary.a);
    case E_BINARY:
        return gen_may_branch(e->u.binary.a) || gen_may_branch(e->u.binary.b);
    case E_CALL:
        /* built-ins that record no branch: only their arguments may */
        if (e->u.call.sym->kind == SYM_BUILTIN) {
            switch (e->u.call.sym->builtin->id) {
            case BI_MIN:
            case BI_MAX:
            case BI_ABS:
            case BI_OVER:
            case BI_UNDER:
            case BI_EXEC_RATE:
            case BI_CHANGE_RATE:
                for (int i = 0; i < e->u.call.nargs; i++)
                    if (gen_may_branch(e->u.call.args[i]))
                        return true;
                return false;
            default:
                break;
            }
        }
        return true;
    case E_IF:
    case E_TIERS:
        return true;
    }
    return true;
}

/* Call visit(arg, sym) for each name e reads, in evaluation order, until
 * it returns false; false then. */
bool gen_each_name(const Expr *e, bool (*visit)(void *arg, const Sym *s), void *arg)
{
    if (!e)
        return true;
    switch (e->kind) {
    case E_LIT:
        return true;
    case E_NAME:
        return visit(arg, e->u.name.sym);
    case E_CALL:
        for (int i = 0; i < e->u.call.nargs; i++)
            if (!gen_each_name(e->u.call.args[i], visit, arg))
                return false;
        return true;
    case E_UNARY:
        return gen_each_name(e->u.unary.a, visit, arg);
    case E_BINARY:
        return gen_each_name(e->u.binary.a, visit, arg) && gen_each_name(e->u.binary.b, visit, arg);
    case E_IF:
        return gen_each_name(e->u.cond.cond, visit, arg) && gen_each_name(e->u.cond.then, visit, arg) &&
               gen_each_name(e->u.cond.els, visit, arg);
    case E_TIERS:
        if (!gen_each_name(e->u.tiers.subject, visit, arg))
            return false;
        for (int i = 0; i < e->u.tiers.ntiers; i++)
            if (!gen_each_name(e->u.tiers.tiers[i].edge, visit, arg) || !gen_each_name(e->u.tiers.tiers[i].score, visit, arg))
                return false;
        return gen_each_name(e->u.tiers.els, visit, arg);
    }
    return false;
}

static bool not_let(void *arg, const Sym *s)
{
    (void)arg;
    return s->kind != SYM_LET;
}

/* Does e read a let? */
bool gen_reads_let(const Expr *e)
{
    return !gen_each_name(e, not_let, NULL);
}

static bool context_word(void *arg, const Sym *s)
{
    (void)arg;
    return s->kind == SYM_CONTEXT;
}

/* Does e read nothing but context words (no input, let, parameter...)? */
bool gen_reads_context_only(const Expr *e)
{
    return gen_each_name(e, context_word, NULL);
}

/* cols->f[index], for column `col` (an input, or ninputs + a let; f one
 * of COLF_coef ... COLF_let_steps): the column's base pointer, loaded
 * once, in the entry block. */
gcc_jit_rvalue *gen_col_base(Gen *g, Kernel *k, int col, int f)
{
    int ninputs = k->rows ? CTX_COUNT : g->prog->ninputs;
    /* which of a column's six arrays, and its element type */
    int which;
    enum gcc_jit_types elem;
    switch (f) {
    case COLF_coef: case COLF_let_coef: which = 0; elem = GCC_JIT_TYPE_INT64_T; break;
    case COLF_scale: case COLF_let_scale: which = 1; elem = GCC_JIT_TYPE_INT32_T; break;
    case COLF_tag: case COLF_let_tag: which = 2; elem = GCC_JIT_TYPE_UINT8_T; break;
    case COLF_let_steps: which = 3; elem = GCC_JIT_TYPE_INT32_T; break;
    case COLF_unit: case COLF_let_unit: which = 4; elem = GCC_JIT_TYPE_UINT16_T; break;
    case COLF_text: which = 6; elem = GCC_JIT_TYPE_UINT32_T; break;
    default: which = 5; elem = GCC_JIT_TYPE_INT8_T; break; /* COLF_mag, COLF_let_mag */
    }
    gcc_jit_lvalue **slot = &k->colp[col * COL_ARRAYS + which];
    if (!*slot) {
        gcc_jit_rvalue *table = rv(gcc_jit_rvalue_dereference_field(k->cols, NULL, g->f_cols[f]));
        gcc_jit_rvalue *base = rv(gcc_jit_context_new_array_access(
            g->ctx, NULL, table, int_rv(g, col >= ninputs ? col - ninputs : col)));
        *slot = temp(g, gcc_jit_type_get_pointer(gcc_jit_context_get_type(g->ctx, elem)), NULL);
        gcc_jit_block_add_assignment(k->entry, NULL, *slot, base);
    }
    return rv(*slot);
}

/* The cell of this row in that column. */
gcc_jit_lvalue *gen_col_cell(Gen *g, Kernel *k, int col, int f, gcc_jit_location *at)
{
    return gcc_jit_context_new_array_access(g->ctx, at, gen_col_base(g, k, col, f), k->row);
}

static gcc_jit_rvalue *col_at(Gen *g, Kernel *k, int col, int f, gcc_jit_location *at)
{
    return rv(gen_col_cell(g, k, col, f, at));
}

/* Read column `col` of this row into v, or decline unless its tag is a
 * plain number or percent - or a quantity, where `quantity` says one may
 * come (a yes/no answer for a boolean v). */
static void kcolumn(Gen *g, Kernel *k, int col, KVal v, bool quantity, gcc_jit_location *at)
{
    int ninputs = k->rows ? CTX_COUNT : g->prog->ninputs;
    bool let = col >= ninputs;
    gcc_jit_rvalue *tag = keep(g, as_int(g, col_at(g, k, col, let ? COLF_let_tag : COLF_tag, at), at), g->t_int, at);
    gcc_jit_rvalue *is_a = cmp(g, GCC_JIT_COMPARISON_EQ, tag, int_rv(g, v.is_bool ? JIT_COL_FALSE : JIT_COL_PLAIN), at);
    gcc_jit_rvalue *is_b = cmp(g, GCC_JIT_COMPARISON_EQ, tag, int_rv(g, v.is_bool ? JIT_COL_TRUE : JIT_COL_PERCENT), at);
    gcc_jit_rvalue *ok = logic(g, GCC_JIT_BINARY_OP_LOGICAL_OR, is_a, is_b, at);
    if (!v.is_bool && quantity)
        ok = logic(g, GCC_JIT_BINARY_OP_LOGICAL_OR, ok,
                   cmp(g, GCC_JIT_COMPARISON_EQ, tag, int_rv(g, JIT_COL_QUANTITY), at), at);
    require(g, k, ok, at);
    if (v.is_bool) {
        assign(g, v.b, as_int(g, is_b, at), at);
        return;
    }
    assign(g, v.coef, col_at(g, k, col, let ? COLF_let_coef : COLF_coef, at), at);
    assign(g, v.scale, as_int(g, col_at(g, k, col, let ? COLF_let_scale : COLF_scale, at), at), at);
    assign(g, v.pct, as_int(g, is_b, at), at);
    if (quantity) { /* 0 and 0 for a plain number or percent */
        assign(g, v.unit, as_int(g, col_at(g, k, col, let ? COLF_let_unit : COLF_unit, at), at), at);
        assign(g, v.mag, as_int(g, col_at(g, k, col, let ? COLF_let_mag : COLF_mag, at), at), at);
    }
}

static KVal kname(Gen *g, Kernel *k, const Expr *e, int d, gcc_jit_location *at)
{
    const Sym *s = e->u.name.sym;
    bool is_bool = e->type.kind == TY_BOOL;
    KVal v = is_bool ? kbool(g, at) : knum(g, at);
    switch (s->kind) {
    case SYM_INPUT:
        if (s->type.kind == TY_TEXT) { /* batch kernels only (KERNEL_TEXT) */
            KVal t = ktext(g, at);
            gcc_jit_rvalue *tag = as_int(g, col_at(g, k, s->index, COLF_tag, at), at);
            require(g, k, cmp(g, GCC_JIT_COMPARISON_EQ, tag, int_rv(g, JIT_COL_TEXT), at), at);
            assign(g, t.tid, as_int(g, col_at(g, k, s->index, COLF_text, at), at), at);
            return t;
        }
        kcolumn(g, k, s->index, v, s->unit_written != NULL, at);
        return v;
    case SYM_LET: {
        /* The let's column (batch_lets computed it), and its steps: the
         * interpreter counts them at the first read only, so counting them
         * at every read can only stop a report too early, which the scorer
         * undoes (runtime/score/score.c rescore_if_stopped). */
        int col = g->prog->ninputs + s->index;
        kcolumn(g, k, col, v, true, at);
        gcc_jit_block_add_assignment_op(
            g->block, at, g->step_sink, GCC_JIT_BINARY_OP_PLUS,
            gcc_jit_context_new_cast(g->ctx, at, col_at(g, k, col, COLF_let_steps, at), g->t_long));
        if (d + 1 + g->let_depth[s->index] > g->maxdepth)
            g->maxdepth = d + 1 + g->let_depth[s->index];
        return v;
    }
    case SYM_PARAM: /* inside a method inlined (kmethod): its argument's value */
        kcopy(g, v, k->params[s->index], at);
        return v;
    case SYM_CONTEXT:
        if (k->rows) {
            kcolumn(g, k, s->ctx, v, true, at);
            return v;
        }
        if (s->ctx == CTX_WEIGHT) {
            TlDec w = g->prog->indicators[k->ind].weight;
            assign(g, v.coef, i64_rv(g, w.coef), at);
            assign(g, v.scale, int_rv(g, w.scale), at);
            return v;
        }
        kcopy(g, v, s->ctx == CTX_VALUE ? k->value : k->target, at);
        return v;
    default:
        abort(); /* gen_kernel_ok() admits nothing else */
    }
}

static KVal kminmax(Gen *g, Kernel *k, const Expr *e, int argd, gcc_jit_location *at)
{
    bool is_min = e->u.call.sym->builtin->id == BI_MIN;
    int n = e->u.call.nargs;
    KVal args[16];
    for (int i = 0; i < n; i++)
        args[i] = gen_kexpr(g, k, e->u.call.args[i], argd);
    KVal best = knum(g, at);
    kcopy(g, best, args[0], at);
    for (int i = 1; i < n; i++) {
        gcc_jit_rvalue *c = kcmp(g, k, args[i], best, at);
        gcc_jit_block *take = new_block(g, "take"), *next = new_block(g, "next");
        branch(g, cmp(g, is_min ? GCC_JIT_COMPARISON_LT : GCC_JIT_COMPARISON_GT, c, int_rv(g, 0), at), take, next, at);
        g->block = take;
        kcopy(g, best, args[i], at);
        jump(g, next, at);
        g->block = next;
    }
    return best;
}

static KVal kif(Gen *g, Kernel *k, const Expr *e, int d, gcc_jit_location *at)
{
    KVal c = gen_kexpr(g, k, e->u.cond.cond, d + 1);
    KVal r = e->type.kind == TY_BOOL ? kbool(g, at) : knum(g, at);
    gcc_jit_block *then_b = new_block(g, "then"), *else_b = new_block(g, "else"), *join = new_block(g, "if_done");
    branch(g, cmp(g, GCC_JIT_COMPARISON_NE, rv(c.b), int_rv(g, 0), at), then_b, else_b, at);
    g->block = then_b;
    set_branch(g, JIT_BRANCH_IF_THEN, at);
    kcopy(g, r, gen_kexpr(g, k, e->u.cond.then, d + 1), at);
    jump(g, join, at);
    g->block = else_b;
    set_branch(g, JIT_BRANCH_IF_ELSE, at);
    kcopy(g, r, gen_kexpr(g, k, e->u.cond.els, d + 1), at);
    jump(g, join, at);
    g->block = join;
    return r;
}

static gcc_jit_rvalue *kcompare(Gen *g, int op, gcc_jit_rvalue *c, gcc_jit_location *at)
{
    return cmp(g, jit_cmp(op), c, int_rv(g, 0), at);
}

static KVal ktiers(Gen *g, Kernel *k, const Expr *e, int d, gcc_jit_location *at)
{
    KVal x = gen_kexpr(g, k, e->u.tiers.subject, d + 1);
    KVal r = knum(g, at);
    gcc_jit_block *join = new_block(g, "tiers_done");
    for (int i = 0; i < e->u.tiers.ntiers; i++) {
        const Tier *t = &e->u.tiers.tiers[i];
        gcc_jit_location *tat = loc(g, t->span);
        KVal edge = gen_kexpr(g, k, t->edge, d + 1);
        gcc_jit_block *hit = new_block(g, "tier_hit"), *next = new_block(g, "tier_next");
        branch(g, kcompare(g, t->op, kcmp(g, k, x, edge, tat), tat), hit, next, tat);
        g->block = hit;
        set_branch(g, i < 9 ? JIT_BRANCH_TIER1 + i : JIT_BRANCH_TIER10, tat);
        kcopy(g, r, gen_kexpr(g, k, t->score, d + 1), tat);
        jump(g, join, tat);
        g->block = next;
    }
    set_branch(g, JIT_BRANCH_TIERS_ELSE, at);
    kcopy(g, r, gen_kexpr(g, k, e->u.tiers.els, d + 1), at);
    jump(g, join, at);
    g->block = join;
    return r;
}

/* dec_cmp(a, b), for numbers known to have no unit: inline, not a call of
 * tk_cmp (issue 16: the calls were a third of a row kernel's instructions
 * at -O1, which does not inline them), the coefficients compared where the
 * scales are the same, else aligned in 128 bits as tk_cmp does. */
static gcc_jit_rvalue *ktk_cmp(Gen *g, KVal a, KVal b, gcc_jit_location *at)
{
    gcc_jit_lvalue *r = temp(g, g->t_int, at);
    gcc_jit_block *same = new_block(g, "cmp_same_scale"), *other = new_block(g, "cmp_aligned"),
                  *join = new_block(g, "compared");
    branch(g, cmp(g, GCC_JIT_COMPARISON_EQ, rv(a.scale), rv(b.scale), at), same, other, at);
    g->block = same;
    assign(g, r, arith(g, GCC_JIT_BINARY_OP_MINUS, g->t_int, as_int(g, cmp(g, GCC_JIT_COMPARISON_GT, rv(a.coef), rv(b.coef), at), at),
                       as_int(g, cmp(g, GCC_JIT_COMPARISON_LT, rv(a.coef), rv(b.coef), at), at), at),
           at);
    jump(g, join, at);
    g->block = other;
    assign(g, r, kcmp_inline(g, a, b, at), at);
    jump(g, join, at);
    g->block = join;
    return rv(r);
}

/* check_magnitude's test of positive a and t, without the division (issue
 * 16: tk_div's call and 64-bit division in every row): r = a / t, rounded
 * half away from zero to DEC_DIV_SCALE (10) places as tk_div and dec_div
 * give it, lies in [0.001, 10] when 2A >= (2 x 10^7 - 1) T and 2A < (2 x
 * 10^11 + 1) T, with A = a.coef x 10^(10 - a.scale + t.scale) and T =
 * t.coef, both exact in 128 bits.  An exponent outside 0..18 declines, as
 * tk_div does; a quotient beyond 64 bits, where tk_div declines, is above 10. */
static gcc_jit_rvalue *kratio_within(Gen *g, Kernel *k, KVal a, KVal t, gcc_jit_location *at)
{
    _Static_assert(DEC_DIV_SCALE == 10, "the bounds below are 0.001 and 10 at 10 places");
    gcc_jit_rvalue *e = keep(g, arith(g, GCC_JIT_BINARY_OP_MINUS, g->t_int,
                                      arith(g, GCC_JIT_BINARY_OP_PLUS, g->t_int, int_rv(g, DEC_DIV_SCALE), rv(t.scale), at),
                                      rv(a.scale), at),
                             g->t_int, at);
    require(g, k, logic(g, GCC_JIT_BINARY_OP_LOGICAL_AND, cmp(g, GCC_JIT_COMPARISON_GE, e, int_rv(g, 0), at),
                        cmp(g, GCC_JIT_COMPARISON_LE, e, int_rv(g, 18), at), at),
            at);
    gcc_jit_rvalue *a2 = keep(g, arith(g, GCC_JIT_BINARY_OP_MULT, g->t_i128,
                                       arith(g, GCC_JIT_BINARY_OP_MULT, g->t_i128, i128_of(g, rv(a.coef), at),
                                             i128_of(g, pow10_of(g, e, at), at), at),
                                       gcc_jit_context_new_rvalue_from_int(g->ctx, g->t_i128, 2), at),
                              g->t_i128, at);
    gcc_jit_rvalue *tc = keep(g, i128_of(g, rv(t.coef), at), g->t_i128, at);
    gcc_jit_rvalue *low = arith(g, GCC_JIT_BINARY_OP_MULT, g->t_i128,
                                gcc_jit_context_new_rvalue_from_long(g->ctx, g->t_i128, 2 * 10000000L - 1), tc, at);
    gcc_jit_rvalue *high = arith(g, GCC_JIT_BINARY_OP_MULT, g->t_i128,
                                 gcc_jit_context_new_rvalue_from_long(g->ctx, g->t_i128, 2 * 100000000000L + 1), tc, at);
    return logic(g, GCC_JIT_BINARY_OP_LOGICAL_AND, cmp(g, GCC_JIT_COMPARISON_GE, a2, low, at),
                 cmp(g, GCC_JIT_COMPARISON_LT, a2, high, at), at);
}

/* dec_sign(a) as -1, 0, 1: the coefficient's sign. */
static gcc_jit_rvalue *ksign(Gen *g, KVal a, gcc_jit_location *at)
{
    return keep(g, arith(g, GCC_JIT_BINARY_OP_MINUS, g->t_int,
                         as_int(g, cmp(g, GCC_JIT_COMPARISON_GT, rv(a.coef), i64_rv(g, 0), at), at),
                         as_int(g, cmp(g, GCC_JIT_COMPARISON_LT, rv(a.coef), i64_rv(g, 0), at), at), at),
                g->t_int, at);
}

static KVal kconst(Gen *g, int64_t coef, int scale, gcc_jit_location *at)
{
    KVal v = knum(g, at);
    assign(g, v.coef, i64_rv(g, coef), at);
    assign(g, v.scale, int_rv(g, scale), at);
    return v;
}

/* r := a op b by tk_*, declining where dec.c would round or overflow. */
static void kop(Gen *g, Kernel *k, int f, KVal a, KVal b, KVal r, gcc_jit_location *at)
{
    gcc_jit_rvalue *argv[] = {rv(a.coef), rv(a.scale), rv(b.coef), rv(b.scale),
                              gcc_jit_lvalue_get_address(r.coef, at), gcc_jit_lvalue_get_address(r.scale, at)};
    require(g, k, cmp(g, GCC_JIT_COMPARISON_NE, gcc_jit_context_new_call(g->ctx, at, g->tk_fn[f], 6, argv),
                      int_rv(g, 0), at), at);
}

/* builtins.c scaled_ratio() and recorded(): r := w x num / den, the
 * product first, and the rate num / den recorded; declines where dec.c
 * would take another way (a product or quotient it rounds). */
static void kscaled(Gen *g, Kernel *k, KVal w, KVal num, KVal den, KVal r, gcc_jit_location *at)
{
    KVal p = knum(g, at);
    kop(g, k, TK_MUL, w, num, p, at);
    kop(g, k, TK_DIV, p, den, r, at);
    kop(g, k, TK_DIV, num, den, k->scaled_rate, at);
    kcopy(g, k->scaled_weight, w, at);
    assign(g, k->scaled, int_rv(g, 1), at);
}

/* score_ge or score_le (builtins.c) of a rows rule (jit_row_scoring_call)
 * in the plain case: target, actual and weight plain numbers or
 * percentages (columns.c has made a pair of like quantities plain), and
 * nothing the interpreter would raise a finding for - a target 0 (score_ge)
 * or below 0, a ratio of actual to target outside [0.1%, 1000%], an
 * overshoot above score_ge's threshold, an overflow: those decline. */
static KVal kscoring(Gen *g, Kernel *k, const Expr *e, int d, gcc_jit_location *at)
{
    bool ge = e->u.call.sym->builtin->id == BI_SCORE_GE;
    Expr *const *args = e->u.call.args;
    KVal t = gen_kexpr(g, k, args[0], d + 1), a = gen_kexpr(g, k, args[1], d + 1);
    KVal w = gen_kexpr(g, k, args[2], d + 1);
    bool inverse = false;
    const TlValue *theta = NULL;
    if (e->u.call.nargs > 3) { /* a literal or a mode word: one step */
        const Expr *x = args[3];
        g->pending++;
        if (d + 1 > g->maxdepth)
            g->maxdepth = d + 1;
        if (ge)
            theta = &x->u.lit;
        else
            inverse = strcmp(x->kind == E_LIT ? x->u.lit.u.text : x->u.name.sym->name, "inverse") == 0;
    }
    require(g, k, logic(g, GCC_JIT_BINARY_OP_LOGICAL_AND, is_zero(g, t.unit, at), is_zero(g, a.unit, at), at), at);
    KVal zero = kconst(g, 0, 0, at), r = knum(g, at);
    /* target_actual's check_magnitude: actual / target within [0.1%, 1000%] */
    gcc_jit_rvalue *tsign = ksign(g, t, at), *asign = ksign(g, a, at);
    require(g, k, cmp(g, ge ? GCC_JIT_COMPARISON_GT : GCC_JIT_COMPARISON_GE, tsign, int_rv(g, 0), at), at);
    gcc_jit_block *mag = new_block(g, "magnitude"), *mag_ok = new_block(g, "magnitude_ok");
    branch(g, logic(g, GCC_JIT_BINARY_OP_LOGICAL_AND, cmp(g, GCC_JIT_COMPARISON_GT, tsign, int_rv(g, 0), at),
                    cmp(g, GCC_JIT_COMPARISON_GT, asign, int_rv(g, 0), at), at),
           mag, mag_ok, at);
    g->block = mag;
    require(g, k, kratio_within(g, k, a, t, at), at);
    jump(g, mag_ok, at);
    g->block = mag_ok;
    /* a negative actual counts as 0 */
    KVal act = knum(g, at);
    kcopy(g, act, a, at);
    gcc_jit_block *neg = new_block(g, "actual_negative"), *pos = new_block(g, "actual");
    branch(g, cmp(g, GCC_JIT_COMPARISON_LT, asign, int_rv(g, 0), at), neg, pos, at);
    g->block = neg;
    kcopy(g, act, zero, at);
    jump(g, pos, at);
    g->block = pos;
    gcc_jit_rvalue *c = ktk_cmp(g, act, t, at);
    gcc_jit_block *full = new_block(g, "full_marks"), *part = new_block(g, "partial"), *join = new_block(g, "scored");
    branch(g, cmp(g, ge ? GCC_JIT_COMPARISON_GE : GCC_JIT_COMPARISON_LE, c, int_rv(g, 0), at), full, part, at);
    g->block = full;
    set_branch(g, ge ? JIT_BRANCH_GE_MET : JIT_BRANCH_LE_WITHIN, at);
    if (theta) { /* (A - T) / T above the threshold: F_OVERSHOOT */
        KVal dev = knum(g, at);
        kop(g, k, TK_SUB, act, t, dev, at);
        kop(g, k, TK_DIV, dev, t, dev, at);
        require(g, k, cmp(g, GCC_JIT_COMPARISON_LE,
                          ktk_cmp(g, dev, kconst(g, theta->u.num.coef, theta->u.num.scale, at), at), int_rv(g, 0), at),
                at);
    }
    kcopy(g, r, w, at);
    assign(g, r.pct, int_rv(g, 0), at);
    assign(g, r.unit, int_rv(g, 0), at);
    assign(g, r.mag, int_rv(g, 0), at);
    jump(g, join, at);
    g->block = part;
    if (ge) {
        set_branch(g, JIT_BRANCH_GE_BELOW, at);
        kscaled(g, k, w, act, t, r, at);
        jump(g, join, at);
    } else {
        gcc_jit_block *t0 = new_block(g, "target_zero"), *over = new_block(g, "over");
        branch(g, cmp(g, GCC_JIT_COMPARISON_EQ, tsign, int_rv(g, 0), at), t0, over, at);
        g->block = t0;
        set_branch(g, JIT_BRANCH_LE_ZERO, at);
        kcopy(g, r, zero, at);
        jump(g, join, at);
        g->block = over;
        if (inverse) {
            set_branch(g, JIT_BRANCH_LE_INVERSE, at);
            kscaled(g, k, w, t, act, r, at);
            jump(g, join, at);
        } else {
            KVal twice = knum(g, at);
            kop(g, k, TK_ADD, t, t, twice, at);
            gcc_jit_block *none = new_block(g, "twice_or_more"), *lin = new_block(g, "linear");
            branch(g, cmp(g, GCC_JIT_COMPARISON_GE, ktk_cmp(g, act, twice, at), int_rv(g, 0), at), none, lin, at);
            g->block = none;
            set_branch(g, JIT_BRANCH_LE_TWICE, at);
            kcopy(g, r, zero, at);
            jump(g, join, at);
            g->block = lin;
            KVal left = knum(g, at);
            kop(g, k, TK_SUB, twice, act, left, at);
            set_branch(g, JIT_BRANCH_LE_LINEAR, at);
            kscaled(g, k, w, left, t, r, at);
            jump(g, join, at);
        }
    }
    g->block = join;
    return r;
}

/* x := dec_ceil(x, 0) (up) or dec_floor(x, 0) (dec.c reduce()). */
static void kwhole(Gen *g, KVal x, bool up, gcc_jit_location *at)
{
    gcc_jit_block *cut = new_block(g, "whole"), *done = new_block(g, "whole_done");
    branch(g, cmp(g, GCC_JIT_COMPARISON_GT, rv(x.scale), int_rv(g, 0), at), cut, done, at);
    g->block = cut;
    gcc_jit_rvalue *dv = keep(g, pow10_of(g, rv(x.scale), at), g->t_i64, at);
    gcc_jit_rvalue *rem = keep(g, arith(g, GCC_JIT_BINARY_OP_MODULO, g->t_i64, rv(x.coef), dv, at), g->t_i64, at);
    assign(g, x.coef, arith(g, GCC_JIT_BINARY_OP_DIVIDE, g->t_i64, rv(x.coef), dv, at), at);
    assign(g, x.scale, int_rv(g, 0), at);
    gcc_jit_block *adjust = new_block(g, "whole_adjust");
    branch(g, cmp(g, up ? GCC_JIT_COMPARISON_GT : GCC_JIT_COMPARISON_LT, rem, i64_rv(g, 0), at), adjust, done, at);
    g->block = adjust;
    gcc_jit_block_add_assignment_op(g->block, at, x.coef, up ? GCC_JIT_BINARY_OP_PLUS : GCC_JIT_BINARY_OP_MINUS,
                                    i64_rv(g, 1));
    jump(g, done, at);
    g->block = done;
}

/* abs(x) (builtins.c BI_ABS): x negated when below 0, its kind, unit and
 * magnitude kept; the one value dec_neg cannot negate declines. */
static KVal kabs(Gen *g, Kernel *k, const Expr *e, int argd, gcc_jit_location *at)
{
    KVal a = gen_kexpr(g, k, e->u.call.args[0], argd), r = knum(g, at);
    kcopy(g, r, a, at);
    require(g, k, cmp(g, GCC_JIT_COMPARISON_NE, rv(a.coef), i64_rv(g, INT64_MIN), at), at);
    gcc_jit_block *neg = new_block(g, "abs_negate"), *join = new_block(g, "abs_done");
    branch(g, cmp(g, GCC_JIT_COMPARISON_LT, rv(a.coef), i64_rv(g, 0), at), neg, join, at);
    g->block = neg;
    assign(g, r.coef, gcc_jit_context_new_unary_op(g->ctx, at, GCC_JIT_UNARY_OP_MINUS, g->t_i64, rv(a.coef)), at);
    jump(g, join, at);
    g->block = join;
    return r;
}

/* over(value, standard, step) or under(...) in the exact mode (builtins.c
 * steps()): how many steps value lies above (below) standard, a plain
 * number, 0 when it does not.  value_units_fit's plain case only: all three
 * of one unit or none (a plain 0 beside a quantity, which fits there,
 * declines here); a step at or below 0 (F_DIV_ZERO) and a difference or
 * quotient dec.c would rescale or overflow decline. */
static KVal ksteps(Gen *g, Kernel *k, const Expr *e, int argd, gcc_jit_location *at)
{
    bool over = e->u.call.sym->builtin->id == BI_OVER;
    Expr *const *args = e->u.call.args;
    KVal v = gen_kexpr(g, k, args[0], argd), s = gen_kexpr(g, k, args[1], argd);
    KVal step = gen_kexpr(g, k, args[2], argd);
    int mode = 0;
    if (e->u.call.nargs > 3) { /* the mode word: one step */
        mode = steps_mode(args[3]);
        g->pending++;
        if (argd > g->maxdepth)
            g->maxdepth = argd;
    }
    require(g, k, logic(g, GCC_JIT_BINARY_OP_LOGICAL_AND, eq(g, v.unit, s.unit, at), eq(g, v.unit, step.unit, at), at),
            at);
    KVal diff = knum(g, at), r = kconst(g, 0, 0, at);
    kop(g, k, TK_SUB, over ? v : s, over ? s : v, diff, at);
    gcc_jit_block *some = new_block(g, "steps"), *join = new_block(g, "steps_done");
    branch(g, cmp(g, GCC_JIT_COMPARISON_GT, rv(diff.coef), i64_rv(g, 0), at), some, join, at);
    g->block = some;
    require(g, k, cmp(g, GCC_JIT_COMPARISON_GT, rv(step.coef), i64_rv(g, 0), at), at);
    kop(g, k, TK_DIV, diff, step, r, at);
    if (mode) /* dec_ceil or dec_floor to whole steps */
        kwhole(g, r, mode == 1, at);
    jump(g, join, at);
    g->block = join;
    return r;
}

/* exec_rate(budget, spent) (builtins.c exec_rate()): spent / budget, a
 * percentage, where it raises no finding: both plain (or percentages), or
 * quantities of one unit id (a bare number beside a quantity is
 * F_UNIT_ASSUMED, two count words F_UNIT_WORDS: decline); a ratio below 0.1%
 * or above 1000% of positive figures (check_magnitude) declines; a budget
 * at or below 0 is 100% when nothing was spent, else F_BUDGET_ZERO:
 * decline. */
static KVal kexec_rate(Gen *g, Kernel *k, const Expr *e, int argd, gcc_jit_location *at)
{
    Expr *const *args = e->u.call.args;
    KVal t = gen_kexpr(g, k, args[0], argd), a = gen_kexpr(g, k, args[1], argd);
    require(g, k, eq(g, t.unit, a.unit, at), at);
    KVal r = kconst(g, 1, 0, at);
    gcc_jit_rvalue *tsign = ksign(g, t, at);
    gcc_jit_block *none = new_block(g, "no_budget"), *some = new_block(g, "budget"), *join = new_block(g, "rate_done");
    branch(g, cmp(g, GCC_JIT_COMPARISON_LE, tsign, int_rv(g, 0), at), none, some, at);
    g->block = none;
    require(g, k, cmp(g, GCC_JIT_COMPARISON_EQ, rv(a.coef), i64_rv(g, 0), at), at);
    jump(g, join, at);
    g->block = some;
    kop(g, k, TK_DIV, a, t, r, at);
    gcc_jit_rvalue *wild = logic(g, GCC_JIT_BINARY_OP_LOGICAL_OR,
                                 cmp(g, GCC_JIT_COMPARISON_LT, ktk_cmp(g, r, kconst(g, 1, 3, at), at), int_rv(g, 0), at),
                                 cmp(g, GCC_JIT_COMPARISON_GT, ktk_cmp(g, r, kconst(g, 10, 0, at), at), int_rv(g, 0), at),
                                 at);
    require(g, k, logic(g, GCC_JIT_BINARY_OP_LOGICAL_OR, cmp(g, GCC_JIT_COMPARISON_LE, ksign(g, a, at), int_rv(g, 0), at),
                        gcc_jit_context_new_unary_op(g->ctx, at, GCC_JIT_UNARY_OP_LOGICAL_NEGATE, g->t_bool, wild), at),
            at);
    jump(g, join, at);
    g->block = join;
    assign(g, r.pct, int_rv(g, 1), at);
    return r;
}

/* change_rate(current, previous) (builtins.c): (current - previous) /
 * previous, a percentage; 0% when both are 0; a previous 0 otherwise
 * (F_DIV_ZERO) declines, as do units value_units_fit would question (not
 * one unit id) and a difference or quotient dec.c would rescale. */
static KVal kchange_rate(Gen *g, Kernel *k, const Expr *e, int argd, gcc_jit_location *at)
{
    Expr *const *args = e->u.call.args;
    KVal cur = gen_kexpr(g, k, args[0], argd), prev = gen_kexpr(g, k, args[1], argd);
    require(g, k, eq(g, cur.unit, prev.unit, at), at);
    KVal r = kconst(g, 0, 0, at), diff = knum(g, at);
    gcc_jit_block *zero = new_block(g, "previous_zero"), *some = new_block(g, "previous"),
                  *join = new_block(g, "change_done");
    branch(g, cmp(g, GCC_JIT_COMPARISON_EQ, rv(prev.coef), i64_rv(g, 0), at), zero, some, at);
    g->block = zero;
    require(g, k, cmp(g, GCC_JIT_COMPARISON_EQ, rv(cur.coef), i64_rv(g, 0), at), at);
    jump(g, join, at);
    g->block = some;
    kop(g, k, TK_SUB, cur, prev, diff, at);
    kop(g, k, TK_DIV, diff, prev, r, at);
    jump(g, join, at);
    g->block = join;
    assign(g, r.pct, int_rv(g, 1), at);
    return r;
}

/* deduct(base, per, units[, floor]) (builtins.c deduct()): base - per x
 * units, base's kind, unit and magnitude kept; the floor (0 unless given,
 * a plain number) where it goes below.  Units are not checked there, nor
 * here: the numbers are the values' own.  Records deduct's branch. */
static KVal kdeduct(Gen *g, Kernel *k, const Expr *e, int argd, gcc_jit_location *at)
{
    Expr *const *args = e->u.call.args;
    KVal base = gen_kexpr(g, k, args[0], argd), per = gen_kexpr(g, k, args[1], argd);
    KVal units = gen_kexpr(g, k, args[2], argd);
    KVal floor_ = e->u.call.nargs > 3 ? gen_kexpr(g, k, args[3], argd) : kconst(g, 0, 0, at);
    KVal cut = knum(g, at), r = knum(g, at);
    kop(g, k, TK_MUL, per, units, cut, at);
    kop(g, k, TK_SUB, base, cut, r, at);
    gcc_jit_block *low = new_block(g, "deduct_floor"), *kept = new_block(g, "deducted"),
                  *none = new_block(g, "deduct_none"), *some = new_block(g, "deduct_some"),
                  *join = new_block(g, "deduct_done");
    branch(g, cmp(g, GCC_JIT_COMPARISON_LT, ktk_cmp(g, r, floor_, at), int_rv(g, 0), at), low, kept, at);
    g->block = low;
    set_branch(g, JIT_BRANCH_DEDUCT_FLOOR, at);
    assign(g, r.coef, rv(floor_.coef), at);
    assign(g, r.scale, rv(floor_.scale), at);
    jump(g, join, at);
    g->block = kept;
    assign(g, r.pct, rv(base.pct), at);
    assign(g, r.unit, rv(base.unit), at);
    assign(g, r.mag, rv(base.mag), at);
    branch(g, cmp(g, GCC_JIT_COMPARISON_EQ, rv(cut.coef), i64_rv(g, 0), at), none, some, at);
    g->block = none;
    set_branch(g, JIT_BRANCH_DEDUCT_NONE, at);
    jump(g, join, at);
    g->block = some;
    set_branch(g, JIT_BRANCH_DEDUCTED, at);
    jump(g, join, at);
    g->block = join;
    return r;
}

/* score_exec(budget, spent, weight) (builtins.c) of a rows rule
 * (jit_row_scoring_call) in the plain case: budget and spent plain numbers
 * or percentages (a pair, as for kscoring), weight x rate capped at the
 * weight.  What the interpreter raises a finding for declines: a budget at
 * or below 0 (F_BUDGET_ZERO; nothing spent of none, 100%, declines too),
 * spent / budget below 0.1% (check_magnitude: the rate is never above 100%
 * here), a rate above 100% (F_OVER_EXECUTION), an overflow. */
static KVal kexec(Gen *g, Kernel *k, const Expr *e, int d, gcc_jit_location *at)
{
    Expr *const *args = e->u.call.args;
    KVal t = gen_kexpr(g, k, args[0], d + 1), a = gen_kexpr(g, k, args[1], d + 1);
    KVal w = gen_kexpr(g, k, args[2], d + 1);
    require(g, k, logic(g, GCC_JIT_BINARY_OP_LOGICAL_AND, is_zero(g, t.unit, at), is_zero(g, a.unit, at), at), at);
    require(g, k, cmp(g, GCC_JIT_COMPARISON_GT, ksign(g, t, at), int_rv(g, 0), at), at);
    KVal rate = knum(g, at), r = knum(g, at);
    kop(g, k, TK_DIV, a, t, rate, at);
    gcc_jit_rvalue *c1 = ktk_cmp(g, rate, kconst(g, 1, 0, at), at);
    gcc_jit_rvalue *low = logic(g, GCC_JIT_BINARY_OP_LOGICAL_AND,
                                cmp(g, GCC_JIT_COMPARISON_GT, ksign(g, a, at), int_rv(g, 0), at),
                                cmp(g, GCC_JIT_COMPARISON_LT, ktk_cmp(g, rate, kconst(g, 1, 3, at), at), int_rv(g, 0), at),
                                at);
    require(g, k, logic(g, GCC_JIT_BINARY_OP_LOGICAL_AND, cmp(g, GCC_JIT_COMPARISON_LE, c1, int_rv(g, 0), at),
                        gcc_jit_context_new_unary_op(g->ctx, at, GCC_JIT_UNARY_OP_LOGICAL_NEGATE, g->t_bool, low), at),
            at);
    set_branch(g, JIT_BRANCH_EXEC_RATE, at);
    gcc_jit_block *full = new_block(g, "exec_full"), *part = new_block(g, "exec_part"), *join = new_block(g, "exec_done");
    branch(g, cmp(g, GCC_JIT_COMPARISON_EQ, c1, int_rv(g, 0), at), full, part, at);
    g->block = full;
    assign(g, r.coef, rv(w.coef), at);
    assign(g, r.scale, rv(w.scale), at);
    jump(g, join, at);
    g->block = part;
    kscaled(g, k, w, a, t, r, at);
    jump(g, join, at);
    g->block = join;
    return r;
}

/* score_qual(target, actual, weight, reported[, scheme]) (builtins.c) of a
 * rows rule (jit_row_scoring_call) where columns.c knows the level: it
 * gives target and actual as two text cells only then, the actual's coef
 * the level (BUILTIN_LEVEL_*), the target's 1 where the target is vague.
 * 达成 scores the weight; 部分达成 and 未达成 the self-awarded number, which
 * must lie in the level's band.  Where the interpreter raises a finding
 * the kernel declines - a self-awarded number outside the band
 * (F_QUAL_OUT_OF_BAND: for 达成, below 80% of the weight), no number where
 * a band needs one (F_MISSING_VALUE), a self-awarded cell a kernel cannot
 * read - except a vague target's F_NON_MEASURABLE, which it leaves to the
 * host (JitRowResult.raise, raised as qual_level raises it). */
static KVal kqual(Gen *g, Kernel *k, const Expr *e, int d, gcc_jit_location *at)
{
    Expr *const *args = e->u.call.args;
    int ct = args[0]->u.name.sym->ctx, ca = args[1]->u.name.sym->ctx;
    g->pending += 2; /* the two cells' names */
    if (d + 1 > g->maxdepth)
        g->maxdepth = d + 1;
    require(g, k, cmp(g, GCC_JIT_COMPARISON_EQ, as_int(g, col_at(g, k, ct, COLF_tag, at), at), int_rv(g, JIT_COL_TEXT), at),
            at);
    gcc_jit_rvalue *level = keep(g, as_int(g, col_at(g, k, ca, COLF_coef, at), at), g->t_int, at);
    _Static_assert(JIT_RAISE_VAGUE == 1, "the target's coef is the raise");
    if (k->raise)
        assign(g, k->raise,
               as_int(g, cmp(g, GCC_JIT_COMPARISON_NE, col_at(g, k, ct, COLF_coef, at), i64_rv(g, 0), at), at), at);
    KVal w = gen_kexpr(g, k, args[2], d + 1), r = knum(g, at);
    KVal lo = knum(g, at), hi = knum(g, at), rep = knum(g, at);
    /* the self-awarded score: is_num where it is a number (then rep), else
     * is_text where it is a text or missing (no number: raises nothing for 达成) */
    gcc_jit_rvalue *is_num, *no_num;
    if (args[3]->kind == E_LIT) {
        kcopy(g, rep, gen_kexpr(g, k, args[3], d + 1), at);
        is_num = gcc_jit_context_new_rvalue_from_int(g->ctx, g->t_bool, 1);
        no_num = gcc_jit_context_new_rvalue_from_int(g->ctx, g->t_bool, 0);
    } else { /* the reported cell: one name */
        g->pending++;
        int cr = args[3]->u.name.sym->ctx;
        gcc_jit_rvalue *tag = keep(g, as_int(g, col_at(g, k, cr, COLF_tag, at), at), g->t_int, at);
        is_num = keep(g, logic(g, GCC_JIT_BINARY_OP_LOGICAL_OR,
                               logic(g, GCC_JIT_BINARY_OP_LOGICAL_OR,
                                     cmp(g, GCC_JIT_COMPARISON_EQ, tag, int_rv(g, JIT_COL_PLAIN), at),
                                     cmp(g, GCC_JIT_COMPARISON_EQ, tag, int_rv(g, JIT_COL_PERCENT), at), at),
                               cmp(g, GCC_JIT_COMPARISON_EQ, tag, int_rv(g, JIT_COL_QUANTITY), at), at),
                      g->t_bool, at);
        no_num = keep(g, logic(g, GCC_JIT_BINARY_OP_LOGICAL_OR, cmp(g, GCC_JIT_COMPARISON_EQ, tag, int_rv(g, JIT_COL_TEXT), at),
                               cmp(g, GCC_JIT_COMPARISON_EQ, tag, int_rv(g, JIT_COL_MISSING), at), at),
                      g->t_bool, at);
        gcc_jit_block *num = new_block(g, "qual_awarded_number"), *after = new_block(g, "qual_awarded");
        assign(g, rep.coef, i64_rv(g, 0), at);
        assign(g, rep.scale, int_rv(g, 0), at);
        branch(g, is_num, num, after, at);
        g->block = num;
        assign(g, rep.coef, col_at(g, k, cr, COLF_coef, at), at);
        assign(g, rep.scale, as_int(g, col_at(g, k, cr, COLF_scale, at), at), at);
        jump(g, after, at);
        g->block = after;
    }
    if (e->u.call.nargs > 4) /* the scheme word: one step */
        g->pending++;
    const Expr *sch = e->u.call.nargs > 4 ? args[4] : NULL;
    const char *scheme = !sch ? "cz2020" : sch->kind == E_LIT ? sch->u.lit.u.text : sch->u.name.sym->name;
    KVal top = kconst(g, 8, 1, at), mid = kconst(g, strcmp(scheme, "hubei2020") == 0 ? 5 : 6, 1, at);
    gcc_jit_block *met = new_block(g, "qual_met"), *met_num = new_block(g, "qual_met_awarded"),
                  *other = new_block(g, "qual_other_level"), *partly = new_block(g, "qual_partly"),
                  *not_met = new_block(g, "qual_not_met"), *band = new_block(g, "qual_band"),
                  *join = new_block(g, "qual_done");
    branch(g, cmp(g, GCC_JIT_COMPARISON_EQ, level, int_rv(g, BUILTIN_LEVEL_MET), at), met, other, at);
    /* 达成: the weight; a number awarded must be at least 80% of it, else a text or nothing */
    g->block = met;
    set_branch(g, JIT_BRANCH_QUAL_MET, at);
    assign(g, r.coef, rv(w.coef), at);
    assign(g, r.scale, rv(w.scale), at);
    require(g, k, logic(g, GCC_JIT_BINARY_OP_LOGICAL_OR, is_num, no_num, at), at);
    branch(g, is_num, met_num, join, at);
    g->block = met_num;
    kop(g, k, TK_MUL, w, top, lo, at);
    require(g, k, cmp(g, GCC_JIT_COMPARISON_GE, ktk_cmp(g, rep, lo, at), int_rv(g, 0), at), at);
    jump(g, join, at);
    /* 部分达成 [W x mid, W x 0.8), 未达成 [0, W x mid): the number awarded, in its band */
    g->block = other;
    require(g, k, is_num, at);
    kop(g, k, TK_MUL, w, mid, hi, at);
    branch(g, cmp(g, GCC_JIT_COMPARISON_EQ, level, int_rv(g, BUILTIN_LEVEL_PARTLY), at), partly, not_met, at);
    g->block = partly;
    kcopy(g, lo, hi, at);
    kop(g, k, TK_MUL, w, top, hi, at);
    jump(g, band, at);
    g->block = not_met;
    assign(g, lo.coef, i64_rv(g, 0), at);
    assign(g, lo.scale, int_rv(g, 0), at);
    jump(g, band, at);
    g->block = band;
    require(g, k, logic(g, GCC_JIT_BINARY_OP_LOGICAL_AND,
                        cmp(g, GCC_JIT_COMPARISON_GE, ktk_cmp(g, rep, lo, at), int_rv(g, 0), at),
                        cmp(g, GCC_JIT_COMPARISON_LT, ktk_cmp(g, rep, hi, at), int_rv(g, 0), at), at), at);
    set_branch(g, JIT_BRANCH_QUAL_IN_BAND, at);
    assign(g, r.coef, rv(rep.coef), at);
    assign(g, r.scale, rv(rep.scale), at);
    jump(g, join, at);
    g->block = join;
    return r;
}

/* A call of a method with parameters (eval_call), inlined: the arguments
 * evaluated in order, then the body one level below the call with the
 * parameters bound to them (gen_kernel_expr_ok admits a body that reads
 * only its parameters, context words and literals, and calls no method). */
static KVal kmethod(Gen *g, Kernel *k, const Expr *e, int d, gcc_jit_location *at)
{
    KVal args[KERNEL_METHOD_MAX_PARAMS];
    int n = e->u.call.nargs;
    for (int i = 0; i < n; i++)
        args[i] = gen_kexpr(g, k, e->u.call.args[i], d + 1);
    const KVal *saved = k->params;
    k->params = args;
    KVal r = knum(g, at);
    kcopy(g, r, gen_kexpr(g, k, e->u.call.sym->decl->u.method.body, d + 1), at);
    k->params = saved;
    return r;
}

/* A table row's context word whose cell may hold text or a number. */
static bool cell_word(const Expr *e)
{
    return e->kind == E_NAME && e->u.name.sym->kind == SYM_CONTEXT && e->type.kind == TY_ANY;
}

/* `x = y` or `x != y` of two cells of a table row (cell_word): two texts
 * compare as texts (compare_values: strcmp), by the ids columns.c gives
 * equal texts in a batch of rows; anything else as numbers, declining
 * unless both are (a text beside a number raises E_TYPE: the interpreter
 * says so). */
static KVal kcells_equal(Gen *g, Kernel *k, const Expr *e, int d, gcc_jit_location *at)
{
    const Expr *x = e->u.binary.a, *y = e->u.binary.b;
    int cx = x->u.name.sym->ctx, cy = y->u.name.sym->ctx;
    g->pending += 2; /* the two names */
    if (d + 1 > g->maxdepth)
        g->maxdepth = d + 1;
    KVal r = kbool(g, at);
    gcc_jit_rvalue *tx = as_int(g, col_at(g, k, cx, COLF_tag, at), at), *ty = as_int(g, col_at(g, k, cy, COLF_tag, at), at);
    gcc_jit_block *texts = new_block(g, "texts"), *nums = new_block(g, "numbers"), *join = new_block(g, "compared");
    branch(g, logic(g, GCC_JIT_BINARY_OP_LOGICAL_AND, cmp(g, GCC_JIT_COMPARISON_EQ, tx, int_rv(g, JIT_COL_TEXT), at),
                    cmp(g, GCC_JIT_COMPARISON_EQ, ty, int_rv(g, JIT_COL_TEXT), at), at),
           texts, nums, at);
    g->block = texts;
    assign(g, r.b, as_int(g, cmp(g, e->u.binary.op == OP_EQ ? GCC_JIT_COMPARISON_EQ : GCC_JIT_COMPARISON_NE,
                                 col_at(g, k, cx, COLF_text, at), col_at(g, k, cy, COLF_text, at), at), at), at);
    jump(g, join, at);
    g->block = nums;
    KVal a = knum(g, at), b = knum(g, at);
    kcolumn(g, k, cx, a, true, at);
    kcolumn(g, k, cy, b, true, at);
    assign(g, r.b, as_int(g, kcompare(g, e->u.binary.op, kcmp(g, k, a, b, at), at), at), at);
    jump(g, join, at);
    g->block = join;
    return r;
}

/* One node d levels below the root: one step, as in gen_expr. */
KVal gen_kexpr(Gen *g, Kernel *k, const Expr *e, int d)
{
    gcc_jit_location *at = loc(g, e->span);
    g->pending++;
    if (d > g->maxdepth)
        g->maxdepth = d;
    switch (e->kind) {
    case E_LIT: {
        const TlValue *lit = &e->u.lit;
        if (lit->kind == TL_BOOL) {
            KVal v = kbool(g, at);
            assign(g, v.b, int_rv(g, lit->u.b), at);
            return v;
        }
        if (lit->kind == TL_TEXT) {
            KVal v = ktext(g, at);
            assign(g, v.tid, int_rv(g, jit_name_id(&g->texts, lit->u.text)), at);
            return v;
        }
        KVal v = knum(g, at);
        assign(g, v.coef, i64_rv(g, lit->u.num.coef), at);
        assign(g, v.scale, int_rv(g, lit->u.num.scale), at);
        assign(g, v.pct, int_rv(g, lit->numkind == NUM_PERCENT), at);
        if (lit->numkind == NUM_QUANTITY) {
            int id = jit_name_id(&g->units, lit->unit);
            if (id == 0) /* more units than ids (jit_units_build): never taken */
                require(g, k, cmp(g, GCC_JIT_COMPARISON_NE, int_rv(g, 0), int_rv(g, 0), at), at);
            assign(g, v.unit, int_rv(g, id), at);
            assign(g, v.mag, int_rv(g, lit->mag), at);
        }
        return v;
    }
    case E_NAME:
        return kname(g, k, e, d, at);
    case E_CALL:
        if (e->u.call.sym->kind == SYM_METHOD)
            return kmethod(g, k, e, d, at);
        switch (e->u.call.sym->builtin->id) {
        case BI_SCORE_GE:
        case BI_SCORE_LE:
            return kscoring(g, k, e, d, at);
        case BI_SCORE_EXEC:
            return kexec(g, k, e, d, at);
        case BI_SCORE_QUAL:
            return kqual(g, k, e, d, at);
        case BI_ABS:
            return kabs(g, k, e, d + 1, at);
        case BI_DEDUCT:
            return kdeduct(g, k, e, d + 1, at);
        case BI_OVER:
        case BI_UNDER:
            return ksteps(g, k, e, d + 1, at);
        case BI_EXEC_RATE:
            return kexec_rate(g, k, e, d + 1, at);
        case BI_CHANGE_RATE:
            return kchange_rate(g, k, e, d + 1, at);
        default:
            return kminmax(g, k, e, d + 1, at);
        }
    case E_UNARY: {
        KVal a = gen_kexpr(g, k, e->u.unary.a, d + 1);
        if (e->u.unary.op == OP_NOT) {
            KVal r = kbool(g, at);
            assign(g, r.b, as_int(g, cmp(g, GCC_JIT_COMPARISON_EQ, rv(a.b), int_rv(g, 0), at), at), at);
            return r;
        }
        KVal r = knum(g, at);
        require(g, k, cmp(g, GCC_JIT_COMPARISON_NE, rv(a.coef), i64_rv(g, INT64_MIN), at), at);
        assign(g, r.coef, gcc_jit_context_new_unary_op(g->ctx, at, GCC_JIT_UNARY_OP_MINUS, g->t_i64, rv(a.coef)), at);
        assign(g, r.scale, rv(a.scale), at);
        assign(g, r.pct, rv(a.pct), at);
        assign(g, r.unit, rv(a.unit), at);
        assign(g, r.mag, rv(a.mag), at);
        return r;
    }
    case E_BINARY: {
        int op = e->u.binary.op;
        if (k->rows && (op == OP_EQ || op == OP_NE) && cell_word(e->u.binary.a) && cell_word(e->u.binary.b))
            return kcells_equal(g, k, e, d, at);
        KVal a = gen_kexpr(g, k, e->u.binary.a, d + 1);
        if (op == OP_AND || op == OP_OR) {
            /* the left operand decides when it can; else the right one is the result */
            KVal r = kbool(g, at);
            assign(g, r.b, rv(a.b), at);
            gcc_jit_block *right = new_block(g, "right"), *join = new_block(g, "logic_done");
            gcc_jit_rvalue *decided = cmp(g, GCC_JIT_COMPARISON_EQ, rv(a.b), int_rv(g, op == OP_OR), at);
            branch(g, decided, join, right, at);
            g->block = right;
            kcopy(g, r, gen_kexpr(g, k, e->u.binary.b, d + 1), at);
            jump(g, join, at);
            g->block = join;
            return r;
        }
        KVal b = gen_kexpr(g, k, e->u.binary.b, d + 1);
        if (a.is_text) {
            /* = or != of texts (compare_values): equal ids, equal texts; a text
             * no literal spells (id 0) differs from every literal, but two of
             * them cannot be told apart here: decline */
            KVal r = kbool(g, at);
            require(g, k, logic(g, GCC_JIT_BINARY_OP_LOGICAL_OR, cmp(g, GCC_JIT_COMPARISON_NE, rv(a.tid), int_rv(g, 0), at),
                                cmp(g, GCC_JIT_COMPARISON_NE, rv(b.tid), int_rv(g, 0), at), at), at);
            assign(g, r.b, as_int(g, cmp(g, op == OP_EQ ? GCC_JIT_COMPARISON_EQ : GCC_JIT_COMPARISON_NE, rv(a.tid),
                                         rv(b.tid), at), at), at);
            return r;
        }
        if (op >= OP_EQ && op <= OP_GE) {
            KVal r = kbool(g, at);
            assign(g, r.b, as_int(g, kcompare(g, op, kcmp(g, k, a, b, at), at), at), at);
            return r;
        }
        return karith(g, k, op, a, b, at);
    }
    case E_IF:
        return kif(g, k, e, d, at);
    case E_TIERS:
        return ktiers(g, k, e, d, at);
    }
    abort();
}

#endif /* TALLY_HAVE_GCCJIT */
