/* gen_boxed.c - boxed code: the checked tree compiled node for node as the
 * interpreter (lang/interp.c) evaluates it, over TlValue.
 *
 * Generates, for the program:
 *
 *   TlValue let_N(JitCtx *c, int nest, int depth)            eval_let, memoised
 *   TlValue method_N(JitCtx *c, int nest, int depth,
 *                    const TlValue *ctx, const TlValue *params)  a method's body
 *   TlValue indicator_N(JitCtx *c, int nest, int depth,
 *                       TlValue *value, TlValue *target)     eval_indicator up to
 *                                                             eval_finish_score
 *   TlValue rows_N(JitCtx *c, const TlValue *ctx)            eval_method_ref of rows rule N
 *   TlValue check_I_P(JitCtx *c)                             part P of check I
 *   int tl_fast_cmp, tl_fast_addsub, tl_fast_mul             the typed fast path
 *
 * `nest` is the interpreter's st->nesting where the function's expression
 * starts and `depth` its st->depth (method calls): the interpreter's limits
 * are checked at each function's entry, conservatively (see rt.h).  Steps
 * are counted exactly: each node adds one, flushed to *c->steps before
 * anything that may read it (a call of compiled code, a branch, a return).
 *
 * Every expression yields the address of its value (a const TlValue *):
 * the constant table, an input, a context word or parameter, a subtotal,
 * or a local the value was computed into.  None of these changes while the
 * expression that uses it is evaluated, so an address can be used twice
 * (tiers, and/or) and after branches.  Every operation calls a helper from
 * the runtime table (abi.h JitRuntime), which is the interpreter's own
 * function, except the typed fast path: where the checker types both
 * operands as numbers, tl_fast_cmp / tl_fast_addsub / tl_fast_mul
 * (generated once per object) try value_binary's common case first, and
 * min/max compare with tl_fast_cmp.
 */
#include "gen.h"

#if TALLY_HAVE_GCCJIT

#include <stdlib.h>
#include <string.h>

#include "gen_build.h"

static int builtin_index(const Builtin *b)
{
    for (int i = 0; builtin_at(i); i++)
        if (builtin_at(i) == b)
            return i;
    abort();
}

/* A user method's call; beyond MAX_CALL_DEPTH calls deep the interpreter
 * stops (eval_call), so compiled code stops too. */
static gcc_jit_rvalue *call_method(Gen *g, const Sym *m, int nest_offset, gcc_jit_rvalue *args,
                                   bool counts_depth, gcc_jit_location *at)
{
    gcc_jit_lvalue *res = result(g, at);
    flush(g, at);
    if (!counts_depth) {
        gcc_jit_rvalue *argv[] = {g->c, nest_at(g, nest_offset, at), g->depth, g->ctxv, args};
        gcc_jit_block_add_assignment(
            g->block, at, res, gcc_jit_context_new_call(g->ctx, at, g->method_fn[m->index], 5, argv));
        return where(g, res, at);
    }
    gcc_jit_block *deep = new_block(g, "too_deep"), *call = new_block(g, "call"),
                  *join = new_block(g, "called");
    branch(g,
           gcc_jit_context_new_comparison(g->ctx, at, GCC_JIT_COMPARISON_GE, g->depth,
                                          int_rv(g, MAX_CALL_DEPTH)),
           deep, call, at);
    g->block = deep;
    stop_here(g, at);
    gcc_jit_block_add_assignment(g->block, at, res, value_at(konst(g, JIT_CONST_MISSING, at), at));
    jump(g, join, at);
    g->block = call;
    gcc_jit_rvalue *depth = gcc_jit_context_new_binary_op(g->ctx, at, GCC_JIT_BINARY_OP_PLUS,
                                                          g->t_int, g->depth, int_rv(g, 1));
    gcc_jit_rvalue *argv[] = {g->c, nest_at(g, nest_offset, at), depth, g->ctxv, args};
    gcc_jit_block_add_assignment(
        g->block, at, res, gcc_jit_context_new_call(g->ctx, at, g->method_fn[m->index], 5, argv));
    jump(g, join, at);
    g->block = join;
    return where(g, res, at);
}

/* eval_call: arguments at depth argd, a method's body at nest + argd. */
static bool all_num(const Expr *call);
static gcc_jit_lvalue *gen_minmax(Gen *g, bool is_min, gcc_jit_rvalue *args, int n,
                                  gcc_jit_block **join, gcc_jit_location *at);

static gcc_jit_rvalue *gen_call(Gen *g, const Expr *e, int argd)
{
    gcc_jit_location *at = loc(g, e->span);
    const Sym *s = e->u.call.sym;
    int n = e->u.call.nargs;
    gcc_jit_rvalue *args;
    if (n > 0) {
        gcc_jit_type *arr_t = gcc_jit_context_new_array_type(g->ctx, at, g->t_value, n);
        gcc_jit_lvalue *arr = temp(g, arr_t, at);
        for (int i = 0; i < n; i++) {
            gcc_jit_rvalue *v = gen_expr(g, e->u.call.args[i], argd);
            gcc_jit_block_add_assignment(
                g->block, at,
                gcc_jit_context_new_array_access(g->ctx, at, gcc_jit_lvalue_as_rvalue(arr), int_rv(g, i)),
                value_at(v, at));
        }
        args = elem_at(g, gcc_jit_lvalue_as_rvalue(arr), 0, at);
    } else {
        args = ctx_field(g, CTXF_none, at);
    }
    if (s->kind == SYM_BUILTIN) {
        gcc_jit_lvalue *res = result(g, at);
        gcc_jit_block *join = NULL;
        gcc_jit_lvalue *ptr = NULL;
        if ((s->builtin->id == BI_MIN || s->builtin->id == BI_MAX) && g->typed && all_num(e))
            ptr = gen_minmax(g, s->builtin->id == BI_MIN, args, n, &join, at);
        gcc_jit_rvalue *argv[] = {g->c, int_rv(g, builtin_index(s->builtin)), args, int_rv(g, n),
                                  where(g, res, at), u32_rv(g, e->span.start), u32_rv(g, e->span.end)};
        gcc_jit_block_add_eval(g->block, at, rt_call(g, RT_builtin, at, 7, argv));
        if (!ptr)
            return where(g, res, at);
        gcc_jit_block_add_assignment(g->block, at, ptr, where(g, res, at));
        jump(g, join, at);
        g->block = join;
        return gcc_jit_lvalue_as_rvalue(ptr);
    }
    return call_method(g, s, argd, args, true, at);
}

static gcc_jit_rvalue *gen_name(Gen *g, const Expr *e, int d)
{
    gcc_jit_location *at = loc(g, e->span);
    const Sym *s = e->u.name.sym;
    switch (s->kind) {
    case SYM_INPUT:
        return elem_at(g, ctx_field(g, CTXF_inputs, at), s->index, at);
    case SYM_LET: {
        /* The memo is read inline; the let's function runs only the first time. */
        gcc_jit_lvalue *ptr = join_ptr(g, at), *res = result(g, at);
        gcc_jit_block *hit = new_block(g, "let_memo"), *miss = new_block(g, "let_eval"),
                      *join = new_block(g, "let_done");
        gcc_jit_rvalue *state = elem(g, ctx_field(g, CTXF_let_state, at), s->index, at);
        branch(g,
               gcc_jit_context_new_comparison(g->ctx, at, GCC_JIT_COMPARISON_EQ, state,
                                              gcc_jit_context_new_rvalue_from_int(g->ctx, g->t_uchar, 2)),
               hit, miss, at);
        g->block = hit;
        gcc_jit_block_add_assignment(g->block, at, ptr, elem_at(g, ctx_field(g, CTXF_lets, at), s->index, at));
        jump(g, join, at);
        g->block = miss;
        gcc_jit_rvalue *argv[] = {g->c, nest_at(g, d + 1, at), g->depth};
        gcc_jit_block_add_assignment(g->block, at, res,
                                     gcc_jit_context_new_call(g->ctx, at, g->let_fn[s->index], 3, argv));
        gcc_jit_block_add_assignment(g->block, at, ptr, where(g, res, at));
        jump(g, join, at);
        g->block = join;
        return gcc_jit_lvalue_as_rvalue(ptr);
    }
    case SYM_PARAM:
        return elem_at(g, g->params, s->index, at);
    case SYM_CONTEXT:
        return elem_at(g, g->ctxv, s->ctx, at);
    case SYM_INDICATOR: {
        flush(g, at);
        gcc_jit_lvalue *res = result(g, at);
        gcc_jit_rvalue *argv[] = {g->c, int_rv(g, s->index), nest_at(g, d + 1, at), g->depth,
                                  where(g, res, at)};
        gcc_jit_block_add_eval(g->block, at, rt_call(g, RT_indicator, at, 5, argv));
        return where(g, res, at);
    }
    case SYM_GROUP:
        return elem_at(g, ctx_field(g, CTXF_subtotals, at), s->index, at);
    case SYM_CONST:
        return konst(g, jit_consts_slot(&g->consts, e), at);
    case SYM_METHOD:
        return call_method(g, s, d + 1, ctx_field(g, CTXF_none, at), false, at);
    case SYM_BUILTIN:
        return konst(g, JIT_CONST_MISSING, at);
    }
    abort();
}

/* Fields of the value a const TlValue * points at. */
static gcc_jit_rvalue *field_at(Gen *g, gcc_jit_rvalue *ptr, gcc_jit_field *f, gcc_jit_type *as,
                                gcc_jit_location *at)
{
    return gcc_jit_context_new_cast(
        g->ctx, at, gcc_jit_lvalue_as_rvalue(gcc_jit_rvalue_dereference_field(ptr, at, f)), as);
}

static gcc_jit_lvalue *dec_field(Gen *g, gcc_jit_lvalue *v, gcc_jit_field *f, gcc_jit_location *at)
{
    return gcc_jit_lvalue_access_field(gcc_jit_lvalue_access_field(gcc_jit_lvalue_access_field(v, at, g->f_u), at, g->f_num),
                                       at, f);
}

static gcc_jit_rvalue *coef_at(Gen *g, gcc_jit_rvalue *ptr, gcc_jit_location *at)
{
    return gcc_jit_lvalue_as_rvalue(dec_field(g, gcc_jit_rvalue_dereference(ptr, at), g->f_coef, at));
}

static gcc_jit_rvalue *scale_at(Gen *g, gcc_jit_rvalue *ptr, gcc_jit_location *at)
{
    return gcc_jit_context_new_cast(
        g->ctx, at, gcc_jit_lvalue_as_rvalue(dec_field(g, gcc_jit_rvalue_dereference(ptr, at), g->f_scale, at)),
        g->t_int);
}

/* value_truth: a boolean or missing is decided here, anything else (which
 * raises E_TYPE) by the helper. */
static gcc_jit_rvalue *call_truth(Gen *g, gcc_jit_rvalue *v, Span span, gcc_jit_location *at)
{
    gcc_jit_lvalue *t = temp(g, g->t_int, at);
    gcc_jit_block *is_bool = new_block(g, "is_bool"), *not_bool = new_block(g, "not_bool"),
                  *missing = new_block(g, "is_missing"), *other = new_block(g, "truth_call"),
                  *join = new_block(g, "truth_done");
    gcc_jit_rvalue *kind = keep(g, kind_of(g, v, at), g->t_int, at);
    branch(g, cmp(g, GCC_JIT_COMPARISON_EQ, kind, int_rv(g, TL_BOOL), at), is_bool, not_bool, at);
    g->block = is_bool;
    gcc_jit_block_add_assignment(
        g->block, at, t,
        as_int(g, gcc_jit_lvalue_as_rvalue(gcc_jit_lvalue_access_field(
                      gcc_jit_rvalue_dereference_field(v, at, g->f_u), at, g->f_b)), at));
    jump(g, join, at);
    g->block = not_bool;
    branch(g, cmp(g, GCC_JIT_COMPARISON_EQ, kind, int_rv(g, TL_MISSING), at), missing, other, at);
    g->block = missing;
    gcc_jit_block_add_assignment(g->block, at, t, int_rv(g, -1));
    jump(g, join, at);
    g->block = other;
    gcc_jit_rvalue *argv[] = {g->c, v, u32_rv(g, span.start), u32_rv(g, span.end)};
    gcc_jit_block_add_assignment(g->block, at, t, rt_call(g, RT_truth, at, 4, argv));
    jump(g, join, at);
    g->block = join;
    return gcc_jit_lvalue_as_rvalue(t);
}

static void helper_binary(Gen *g, int op, gcc_jit_rvalue *a, gcc_jit_rvalue *b, gcc_jit_lvalue *res,
                          Span span, gcc_jit_location *at)
{
    gcc_jit_rvalue *argv[] = {g->c, int_rv(g, op), a, b, where(g, res, at), u32_rv(g, span.start),
                              u32_rv(g, span.end)};
    gcc_jit_block_add_eval(g->block, at, rt_call(g, RT_binary, at, 7, argv));
}

static bool typed_op(int op)
{
    return op == OP_ADD || op == OP_SUB || op == OP_MUL || (op >= OP_EQ && op <= OP_GE);
}

/* The typed fast path (where the checker types both operands as numbers):
 * value_binary's common cases, inline, bit for bit - both operands numbers,
 * both without unit (or the same unit string), aligned exactly in 128 bits
 * as dec.c does, and the result fits without rounding.  Everything else -
 * missing values, units to compare, overflow, a rescaled sum, a product
 * that needs rounding - goes to the helper, which is value_binary itself.
 * `fast` receives the guard; the caller's block continues in `slow` or,
 * with the aligned operands in *x, *y and the scale in *s, in g->block. */
static void typed_guard(Gen *g, int op, gcc_jit_rvalue *a, gcc_jit_rvalue *b, gcc_jit_block *slow,
                        gcc_jit_rvalue **x, gcc_jit_rvalue **y, gcc_jit_rvalue **s,
                        gcc_jit_rvalue **nka, gcc_jit_rvalue **nkb, gcc_jit_location *at)
{
    gcc_jit_block *nums = new_block(g, "nums"), *fast = new_block(g, "fast");
    gcc_jit_rvalue *both = logic(g, GCC_JIT_BINARY_OP_LOGICAL_AND,
                                 cmp(g, GCC_JIT_COMPARISON_EQ, kind_of(g, a, at), int_rv(g, TL_NUM), at),
                                 cmp(g, GCC_JIT_COMPARISON_EQ, kind_of(g, b, at), int_rv(g, TL_NUM), at), at);
    branch(g, both, nums, slow, at);
    g->block = nums;
    *nka = keep(g, field_at(g, a, g->f_numkind, g->t_int, at), g->t_int, at);
    *nkb = keep(g, field_at(g, b, g->f_numkind, g->t_int, at), g->t_int, at);
    /* a bound (an actual that only restates a threshold) makes value_binary
     * say the score cannot be verified: the helper's path */
    gcc_jit_rvalue *bounds = arith(g, GCC_JIT_BINARY_OP_BITWISE_AND, g->t_int,
                                   arith(g, GCC_JIT_BINARY_OP_BITWISE_OR, g->t_int,
                                         field_at(g, a, g->f_flags, g->t_int, at),
                                         field_at(g, b, g->f_flags, g->t_int, at), at),
                                   int_rv(g, VAL_BOUND), at);
    gcc_jit_rvalue *dimless = logic(g, GCC_JIT_BINARY_OP_LOGICAL_AND,
                                    cmp(g, GCC_JIT_COMPARISON_NE, *nka, int_rv(g, NUM_QUANTITY), at),
                                    cmp(g, GCC_JIT_COMPARISON_NE, *nkb, int_rv(g, NUM_QUANTITY), at), at);
    dimless = logic(g, GCC_JIT_BINARY_OP_LOGICAL_AND, dimless,
                    cmp(g, GCC_JIT_COMPARISON_EQ, bounds, int_rv(g, 0), at), at);
    gcc_jit_rvalue *fits = dimless;
    if (op != OP_MUL) {
        gcc_jit_rvalue *same_unit = logic(
            g, GCC_JIT_BINARY_OP_LOGICAL_AND,
            logic(g, GCC_JIT_BINARY_OP_LOGICAL_AND,
                  cmp(g, GCC_JIT_COMPARISON_EQ, *nka, int_rv(g, NUM_QUANTITY), at),
                  cmp(g, GCC_JIT_COMPARISON_EQ, *nkb, int_rv(g, NUM_QUANTITY), at), at),
            cmp(g, GCC_JIT_COMPARISON_EQ, field_at(g, a, g->f_unit, g->t_cchar_p, at),
                field_at(g, b, g->f_unit, g->t_cchar_p, at), at),
            at);
        same_unit = logic(g, GCC_JIT_BINARY_OP_LOGICAL_AND, same_unit,
                          cmp(g, GCC_JIT_COMPARISON_EQ, bounds, int_rv(g, 0), at), at);
        fits = logic(g, GCC_JIT_BINARY_OP_LOGICAL_OR, dimless, same_unit, at);
    }
    branch(g, fits, fast, slow, at);
    g->block = fast;
    gcc_jit_rvalue *sa = keep(g, scale_at(g, a, at), g->t_int, at);
    gcc_jit_rvalue *sb = keep(g, scale_at(g, b, at), g->t_int, at);
    gcc_jit_rvalue *ca = gcc_jit_context_new_cast(g->ctx, at, coef_at(g, a, at), g->t_i128);
    gcc_jit_rvalue *cb = gcc_jit_context_new_cast(g->ctx, at, coef_at(g, b, at), g->t_i128);
    if (op == OP_MUL) {
        *s = keep(g, arith(g, GCC_JIT_BINARY_OP_PLUS, g->t_int, sa, sb, at), g->t_int, at);
        *x = keep(g, arith(g, GCC_JIT_BINARY_OP_MULT, g->t_i128, ca, cb, at), g->t_i128, at);
        *y = NULL;
        return;
    }
    /* s = max(sa, sb); each coefficient times 10^(s - its scale) */
    gcc_jit_rvalue *gt = as_int(g, cmp(g, GCC_JIT_COMPARISON_GT, sb, sa, at), at);
    *s = keep(g, arith(g, GCC_JIT_BINARY_OP_PLUS, g->t_int, sa,
                       arith(g, GCC_JIT_BINARY_OP_MULT, g->t_int, gt,
                             arith(g, GCC_JIT_BINARY_OP_MINUS, g->t_int, sb, sa, at), at), at),
              g->t_int, at);
    gcc_jit_rvalue *pa = gcc_jit_lvalue_as_rvalue(gcc_jit_context_new_array_access(
        g->ctx, at, gcc_jit_lvalue_as_rvalue(g->pow10), arith(g, GCC_JIT_BINARY_OP_MINUS, g->t_int, *s, sa, at)));
    gcc_jit_rvalue *pb = gcc_jit_lvalue_as_rvalue(gcc_jit_context_new_array_access(
        g->ctx, at, gcc_jit_lvalue_as_rvalue(g->pow10), arith(g, GCC_JIT_BINARY_OP_MINUS, g->t_int, *s, sb, at)));
    *x = keep(g, arith(g, GCC_JIT_BINARY_OP_MULT, g->t_i128, ca, gcc_jit_context_new_cast(g->ctx, at, pa, g->t_i128), at),
              g->t_i128, at);
    *y = keep(g, arith(g, GCC_JIT_BINARY_OP_MULT, g->t_i128, cb, gcc_jit_context_new_cast(g->ctx, at, pb, g->t_i128), at),
              g->t_i128, at);
}

/* The typed fast path lives in three small functions generated once per
 * shared object (the call sites stay small, so compiling stays quick; GCC
 * may inline them at -O2 and above):
 *   int tl_fast_cmp(a, b)             dec_cmp(a, b), or 2: not fast
 *   int tl_fast_addsub(a, b, out, sub) 1 and *out = a + b (or a - b), or 0
 *   int tl_fast_mul(a, b, out)         1 and *out = a * b, or 0 */
void gen_fast_functions(Gen *g)
{
    gcc_jit_location *at = NULL;
    gcc_jit_type *t_u8 = gcc_jit_context_get_type(g->ctx, GCC_JIT_TYPE_UINT8_T);
    for (int f = 0; f < 3; f++) {
        gcc_jit_param *ps[4] = {gcc_jit_context_new_param(g->ctx, NULL, g->t_cvalue_p, "a"),
                                gcc_jit_context_new_param(g->ctx, NULL, g->t_cvalue_p, "b"),
                                gcc_jit_context_new_param(g->ctx, NULL, g->t_value_p, "out"),
                                gcc_jit_context_new_param(g->ctx, NULL, g->t_int, "sub")};
        static const char *const names[] = {"tl_fast_cmp", "tl_fast_addsub", "tl_fast_mul"};
        int np = f == 0 ? 2 : f == 1 ? 4 : 3;
        gcc_jit_function *fn = gcc_jit_context_new_function(g->ctx, NULL, GCC_JIT_FUNCTION_INTERNAL,
                                                            g->t_int, names[f], np, ps, 0);
        g->fast_fn[f] = fn;
        g->fn = fn;
        g->pending = 0;
        gcc_jit_rvalue *a = gcc_jit_param_as_rvalue(ps[0]), *b = gcc_jit_param_as_rvalue(ps[1]);
        g->block = gcc_jit_function_new_block(fn, "entry");
        gcc_jit_block *slow = new_block(g, "slow");
        gcc_jit_rvalue *x, *y, *sc, *nka, *nkb;
        int op = f == 0 ? OP_LT : f == 1 ? OP_ADD : OP_MUL;
        typed_guard(g, op, a, b, slow, &x, &y, &sc, &nka, &nkb, at);
        if (f == 0) {
            ret(g, arith(g, GCC_JIT_BINARY_OP_MINUS, g->t_int, as_int(g, cmp(g, GCC_JIT_COMPARISON_GT, x, y, at), at),
                         as_int(g, cmp(g, GCC_JIT_COMPARISON_LT, x, y, at), at), at),
                at);
            g->block = slow;
            ret(g, int_rv(g, 2), at);
            continue;
        }
        gcc_jit_rvalue *c, *ok;
        if (f == 2) {
            c = x;
            ok = logic(g, GCC_JIT_BINARY_OP_LOGICAL_AND,
                       cmp(g, GCC_JIT_COMPARISON_LE, sc, int_rv(g, DEC_MAX_SCALE), at), fits_int64(g, c, at), at);
        } else {
            /* x + y, or x - y: y times 1 - 2 * sub */
            gcc_jit_rvalue *sign = gcc_jit_context_new_cast(
                g->ctx, at,
                arith(g, GCC_JIT_BINARY_OP_MINUS, g->t_int, int_rv(g, 1),
                      arith(g, GCC_JIT_BINARY_OP_MULT, g->t_int, int_rv(g, 2), gcc_jit_param_as_rvalue(ps[3]), at), at),
                g->t_i128);
            c = keep(g, arith(g, GCC_JIT_BINARY_OP_PLUS, g->t_i128, x,
                              arith(g, GCC_JIT_BINARY_OP_MULT, g->t_i128, y, sign, at), at),
                     g->t_i128, at);
            ok = fits_int64(g, c, at);
        }
        gcc_jit_block *store = new_block(g, "store");
        branch(g, ok, store, slow, at);
        g->block = store;
        /* r = a; r.numkind as value_binary sets it; qual, flags 0; the result */
        gcc_jit_lvalue *res = gcc_jit_rvalue_dereference(gcc_jit_param_as_rvalue(ps[2]), at);
        gcc_jit_block_add_assignment(g->block, at, res, value_at(a, at));
        gcc_jit_rvalue *nk;
        if (f == 2) {
            nk = int_rv(g, NUM_PLAIN);
        } else {
            gcc_jit_rvalue *qty = as_int(g, cmp(g, GCC_JIT_COMPARISON_EQ, nka, int_rv(g, NUM_QUANTITY), at), at);
            gcc_jit_rvalue *pct = as_int(g, logic(g, GCC_JIT_BINARY_OP_LOGICAL_OR,
                                                 cmp(g, GCC_JIT_COMPARISON_EQ, nka, int_rv(g, NUM_PERCENT), at),
                                                 cmp(g, GCC_JIT_COMPARISON_EQ, nkb, int_rv(g, NUM_PERCENT), at), at),
                                         at);
            /* a quantity stays one (2); else percent (1) if either is, or plain (0) */
            nk = arith(g, GCC_JIT_BINARY_OP_PLUS, g->t_int,
                       arith(g, GCC_JIT_BINARY_OP_MULT, g->t_int, qty, int_rv(g, NUM_QUANTITY), at),
                       arith(g, GCC_JIT_BINARY_OP_MULT, g->t_int,
                             arith(g, GCC_JIT_BINARY_OP_MINUS, g->t_int, int_rv(g, 1), qty, at), pct, at),
                       at);
        }
        gcc_jit_block_add_assignment(g->block, at, gcc_jit_lvalue_access_field(res, at, g->f_numkind),
                                     gcc_jit_context_new_cast(g->ctx, at, nk, t_u8));
        gcc_jit_block_add_assignment(g->block, at, gcc_jit_lvalue_access_field(res, at, g->f_qual),
                                     gcc_jit_context_new_rvalue_from_int(g->ctx, t_u8, 0));
        gcc_jit_block_add_assignment(g->block, at, gcc_jit_lvalue_access_field(res, at, g->f_flags),
                                     gcc_jit_context_new_rvalue_from_int(g->ctx, t_u8, 0));
        gcc_jit_block_add_assignment(g->block, at, dec_field(g, res, g->f_coef, at),
                                     gcc_jit_context_new_cast(g->ctx, at, c, g->t_i64));
        gcc_jit_block_add_assignment(
            g->block, at, dec_field(g, res, g->f_scale, at),
            gcc_jit_context_new_cast(g->ctx, at, sc, gcc_jit_context_get_type(g->ctx, GCC_JIT_TYPE_INT32_T)));
        ret(g, int_rv(g, 1), at);
        g->block = slow;
        ret(g, int_rv(g, 0), at);
    }
}

/* value_binary(op, *a, *b): its address.  `typed`: the checker says both
 * operands are numbers, so trying the fast path first is worth a call. */
static gcc_jit_rvalue *call_binary(Gen *g, int op, gcc_jit_rvalue *a, gcc_jit_rvalue *b, Span span,
                                   bool typed, gcc_jit_location *at)
{
    gcc_jit_lvalue *res = result(g, at);
    if (!g->typed || !typed || !typed_op(op)) {
        helper_binary(g, op, a, b, res, span, at);
        return where(g, res, at);
    }
    gcc_jit_block *slow = new_block(g, "slow"), *join = new_block(g, "op_done");
    if (op >= OP_EQ && op <= OP_GE) {
        /* val_bool(a OP b) is the constant table's false (1) or true (2) */
        gcc_jit_lvalue *ptr = join_ptr(g, at);
        gcc_jit_block *fast = new_block(g, "fast");
        gcc_jit_rvalue *argv[] = {a, b};
        gcc_jit_rvalue *c = keep(g, gcc_jit_context_new_call(g->ctx, at, g->fast_fn[0], 2, argv), g->t_int, at);
        branch(g, cmp(g, GCC_JIT_COMPARISON_NE, c, int_rv(g, 2), at), fast, slow, at);
        g->block = fast;
        gcc_jit_rvalue *slot = arith(g, GCC_JIT_BINARY_OP_PLUS, g->t_int, int_rv(g, JIT_CONST_FALSE),
                                     as_int(g, cmp(g, jit_cmp(op), c, int_rv(g, 0), at), at), at);
        gcc_jit_block_add_assignment(
            g->block, at, ptr,
            where(g, gcc_jit_context_new_array_access(g->ctx, at, gcc_jit_lvalue_as_rvalue(g->k), slot), at));
        jump(g, join, at);
        g->block = slow;
        helper_binary(g, op, a, b, res, span, at);
        gcc_jit_block_add_assignment(g->block, at, ptr, where(g, res, at));
        jump(g, join, at);
        g->block = join;
        return gcc_jit_lvalue_as_rvalue(ptr);
    }
    gcc_jit_rvalue *ok;
    if (op == OP_MUL) {
        gcc_jit_rvalue *argv[] = {a, b, gcc_jit_lvalue_get_address(res, at)};
        ok = gcc_jit_context_new_call(g->ctx, at, g->fast_fn[2], 3, argv);
    } else {
        gcc_jit_rvalue *argv[] = {a, b, gcc_jit_lvalue_get_address(res, at), int_rv(g, op == OP_SUB)};
        ok = gcc_jit_context_new_call(g->ctx, at, g->fast_fn[1], 4, argv);
    }
    branch(g, cmp(g, GCC_JIT_COMPARISON_NE, ok, int_rv(g, 0), at), join, slow, at);
    g->block = slow;
    helper_binary(g, op, a, b, res, span, at);
    jump(g, join, at);
    g->block = join;
    return where(g, res, at);
}

static bool is_num(const Expr *e)
{
    return e->type.kind == TY_NUM;
}

static bool all_num(const Expr *call)
{
    for (int i = 0; i < call->u.call.nargs; i++)
        if (!is_num(call->u.call.args[i]))
            return false;
    return call->u.call.nargs >= 2;
}

/* min(...) / max(...) of numbers: builtin_apply picks the first smallest
 * (largest) argument, comparing each with the best so far; tl_fast_cmp does
 * those comparisons where it can.  On the fast path the result is that
 * argument itself, and the block left open ends with the value's address in
 * the returned pointer, jumping to *join; where any comparison is not fast,
 * the caller's block (left open) calls the built-in and then does the same. */
static gcc_jit_lvalue *gen_minmax(Gen *g, bool is_min, gcc_jit_rvalue *args, int n,
                                  gcc_jit_block **join, gcc_jit_location *at)
{
    gcc_jit_lvalue *best = join_ptr(g, at);
    gcc_jit_block *slow = new_block(g, "minmax_slow");
    *join = new_block(g, "minmax_done");
    gcc_jit_block_add_assignment(g->block, at, best, args);
    for (int i = 1; i < n; i++) {
        gcc_jit_rvalue *ai = gcc_jit_context_new_cast(
            g->ctx, at,
            gcc_jit_lvalue_get_address(gcc_jit_context_new_array_access(g->ctx, at, args, int_rv(g, i)), at),
            g->t_cvalue_p);
        gcc_jit_rvalue *argv[] = {ai, gcc_jit_lvalue_as_rvalue(best)};
        gcc_jit_rvalue *c = keep(g, gcc_jit_context_new_call(g->ctx, at, g->fast_fn[0], 2, argv), g->t_int, at);
        gcc_jit_block *known = new_block(g, "cmp_known"), *take = new_block(g, "take"),
                      *next = new_block(g, "next");
        branch(g, cmp(g, GCC_JIT_COMPARISON_EQ, c, int_rv(g, 2), at), slow, known, at);
        g->block = known;
        branch(g, cmp(g, is_min ? GCC_JIT_COMPARISON_LT : GCC_JIT_COMPARISON_GT, c, int_rv(g, 0), at), take,
               next, at);
        g->block = take;
        gcc_jit_block_add_assignment(g->block, at, best, ai);
        jump(g, next, at);
        g->block = next;
    }
    jump(g, *join, at);
    g->block = slow;
    return best;
}

/* and / or: the left operand decides when it can (interp.c E_BINARY). */
static gcc_jit_rvalue *gen_logic(Gen *g, const Expr *e, int d, gcc_jit_location *at)
{
    bool is_or = e->u.binary.op == OP_OR;
    const Expr *a = e->u.binary.a;
    gcc_jit_rvalue *av = gen_expr(g, a, d + 1);
    gcc_jit_rvalue *ta = call_truth(g, av, a->span, at);
    gcc_jit_lvalue *ptr = join_ptr(g, at);
    gcc_jit_block *decided = new_block(g, "decided"), *right = new_block(g, "right"),
                  *join = new_block(g, "logic_done");
    branch(g, gcc_jit_context_new_comparison(g->ctx, at, GCC_JIT_COMPARISON_EQ, ta, int_rv(g, is_or)),
           decided, right, at);
    g->block = decided;
    gcc_jit_block_add_assignment(g->block, at, ptr, konst(g, is_or ? JIT_CONST_TRUE : JIT_CONST_FALSE, at));
    jump(g, join, at);
    g->block = right;
    gcc_jit_rvalue *bv = gen_expr(g, e->u.binary.b, d + 1);
    gcc_jit_block_add_assignment(g->block, at, ptr, call_binary(g, e->u.binary.op, av, bv, e->span, false, at));
    jump(g, join, at);
    g->block = join;
    return gcc_jit_lvalue_as_rvalue(ptr);
}

static gcc_jit_rvalue *gen_if(Gen *g, const Expr *e, int d, gcc_jit_location *at)
{
    const Expr *cond = e->u.cond.cond;
    gcc_jit_rvalue *t = call_truth(g, gen_expr(g, cond, d + 1), cond->span, at);
    gcc_jit_lvalue *ptr = join_ptr(g, at);
    gcc_jit_block *missing = new_block(g, "if_missing"), *decided = new_block(g, "if_decided"),
                  *then_b = new_block(g, "then"), *else_b = new_block(g, "else"),
                  *join = new_block(g, "if_done");
    branch(g, gcc_jit_context_new_comparison(g->ctx, at, GCC_JIT_COMPARISON_LT, t, int_rv(g, 0)),
           missing, decided, at);
    g->block = missing;
    gcc_jit_block_add_assignment(g->block, at, ptr, konst(g, JIT_CONST_MISSING, at));
    jump(g, join, at);
    g->block = decided;
    branch(g, gcc_jit_context_new_comparison(g->ctx, at, GCC_JIT_COMPARISON_NE, t, int_rv(g, 0)),
           then_b, else_b, at);
    g->block = then_b;
    set_branch(g, JIT_BRANCH_IF_THEN, at);
    gcc_jit_rvalue *tv = gen_expr(g, e->u.cond.then, d + 1);
    gcc_jit_block_add_assignment(g->block, at, ptr, tv);
    jump(g, join, at);
    g->block = else_b;
    set_branch(g, JIT_BRANCH_IF_ELSE, at);
    gcc_jit_rvalue *ev = gen_expr(g, e->u.cond.els, d + 1);
    gcc_jit_block_add_assignment(g->block, at, ptr, ev);
    jump(g, join, at);
    g->block = join;
    return gcc_jit_lvalue_as_rvalue(ptr);
}

/* tiers(x, OP edge: score, ..., else s): eval_tiers. */
static gcc_jit_rvalue *gen_tiers(Gen *g, const Expr *e, int d, gcc_jit_location *at)
{
    int n = e->u.tiers.ntiers;
    gcc_jit_rvalue *x = gen_expr(g, e->u.tiers.subject, d + 1);
    gcc_jit_lvalue *ptr = join_ptr(g, at);
    gcc_jit_block *join = new_block(g, "tiers_done"), *subject_missing = new_block(g, "no_subject"),
                  *undecided = new_block(g, "tier_missing"), *none = new_block(g, "no_tier");
    gcc_jit_block **test = xcalloc((size_t)n + 1, sizeof *test);
    gcc_jit_block **known = xcalloc((size_t)n + 1, sizeof *known);
    gcc_jit_block **hit = xcalloc((size_t)n + 1, sizeof *hit);
    for (int i = 0; i < n; i++) {
        test[i] = new_block(g, "tier_test");
        known[i] = new_block(g, "tier_known");
        hit[i] = new_block(g, "tier_hit");
    }
    test[n] = none;
    branch(g,
           gcc_jit_context_new_comparison(g->ctx, at, GCC_JIT_COMPARISON_EQ, kind_of(g, x, at),
                                          int_rv(g, TL_MISSING)),
           subject_missing, test[0], at);
    g->block = subject_missing;
    gcc_jit_block_add_assignment(g->block, at, ptr, x);
    jump(g, join, at);
    for (int i = 0; i < n; i++) {
        const Tier *t = &e->u.tiers.tiers[i];
        gcc_jit_location *tat = loc(g, t->span);
        g->block = test[i];
        gcc_jit_rvalue *edge = gen_expr(g, t->edge, d + 1);
        gcc_jit_rvalue *h = call_truth(
            g, call_binary(g, t->op, x, edge, t->span, is_num(e->u.tiers.subject) && is_num(t->edge), tat),
            t->span, tat);
        branch(g, gcc_jit_context_new_comparison(g->ctx, tat, GCC_JIT_COMPARISON_LT, h, int_rv(g, 0)),
               undecided, known[i], tat);
        g->block = known[i];
        branch(g, gcc_jit_context_new_comparison(g->ctx, tat, GCC_JIT_COMPARISON_NE, h, int_rv(g, 0)),
               hit[i], test[i + 1], tat);
        g->block = hit[i];
        set_branch(g, i < 9 ? JIT_BRANCH_TIER1 + i : JIT_BRANCH_TIER10, tat);
        gcc_jit_rvalue *sv = gen_expr(g, t->score, d + 1);
        gcc_jit_block_add_assignment(g->block, tat, ptr, sv);
        jump(g, join, tat);
    }
    g->block = undecided;
    gcc_jit_block_add_assignment(g->block, at, ptr, konst(g, JIT_CONST_MISSING, at));
    jump(g, join, at);
    g->block = none;
    if (e->u.tiers.els) {
        set_branch(g, JIT_BRANCH_TIERS_ELSE, at);
        gcc_jit_rvalue *ev = gen_expr(g, e->u.tiers.els, d + 1);
        gcc_jit_block_add_assignment(g->block, at, ptr, ev);
    } else {
        gcc_jit_block_add_assignment(g->block, at, ptr, konst(g, JIT_CONST_MISSING, at));
    }
    jump(g, join, at);
    g->block = join;
    free(test);
    free(known);
    free(hit);
    return gcc_jit_lvalue_as_rvalue(ptr);
}

/* One node at depth d below the function's root: counts one step, like one
 * eval_expr call. */
gcc_jit_rvalue *gen_expr(Gen *g, const Expr *e, int d)
{
    gcc_jit_location *at = loc(g, e->span);
    g->pending++;
    if (d > g->maxdepth)
        g->maxdepth = d;
    switch (e->kind) {
    case E_LIT:
        return konst(g, jit_consts_slot(&g->consts, e), at);
    case E_NAME:
        return gen_name(g, e, d);
    case E_CALL:
        return gen_call(g, e, d + 1);
    case E_UNARY: {
        gcc_jit_rvalue *a = gen_expr(g, e->u.unary.a, d + 1);
        gcc_jit_lvalue *res = result(g, at);
        gcc_jit_rvalue *argv[] = {g->c, int_rv(g, e->u.unary.op), a, where(g, res, at),
                                  u32_rv(g, e->span.start), u32_rv(g, e->span.end)};
        gcc_jit_block_add_eval(g->block, at, rt_call(g, RT_unary, at, 6, argv));
        return where(g, res, at);
    }
    case E_BINARY: {
        if (e->u.binary.op == OP_AND || e->u.binary.op == OP_OR)
            return gen_logic(g, e, d, at);
        gcc_jit_rvalue *a = gen_expr(g, e->u.binary.a, d + 1);
        gcc_jit_rvalue *b = gen_expr(g, e->u.binary.b, d + 1);
        return call_binary(g, e->u.binary.op, a, b, e->span,
                           is_num(e->u.binary.a) && is_num(e->u.binary.b), at);
    }
    case E_IF:
        return gen_if(g, e, d, at);
    case E_TIERS:
        return gen_tiers(g, e, d, at);
    }
    abort();
}

/* eval_method_ref: a `using` reference, evaluated at the function's root. */
static gcc_jit_rvalue *gen_method_ref(Gen *g, const Expr *ref)
{
    gcc_jit_location *at = loc(g, ref->span);
    if (ref->kind == E_CALL)
        return gen_call(g, ref, 0);
    const Sym *s = ref->u.name.sym;
    if (s->kind == SYM_BUILTIN) {
        /* A built-in named alone takes (target, actual, weight[, reported]). */
        int n = s->builtin->min_args >= 4 ? 4 : 3;
        static const int order[] = {CTX_TARGET, CTX_VALUE, CTX_WEIGHT, CTX_REPORTED};
        gcc_jit_type *arr_t = gcc_jit_context_new_array_type(g->ctx, at, g->t_value, 4);
        gcc_jit_lvalue *arr = temp(g, arr_t, at);
        for (int i = 0; i < 4; i++)
            gcc_jit_block_add_assignment(
                g->block, at,
                gcc_jit_context_new_array_access(g->ctx, at, gcc_jit_lvalue_as_rvalue(arr), int_rv(g, i)),
                elem(g, g->ctxv, order[i], at));
        gcc_jit_lvalue *res = result(g, at);
        gcc_jit_rvalue *argv[] = {g->c, int_rv(g, builtin_index(s->builtin)),
                                  elem_at(g, gcc_jit_lvalue_as_rvalue(arr), 0, at), int_rv(g, n),
                                  where(g, res, at), u32_rv(g, ref->span.start), u32_rv(g, ref->span.end)};
        gcc_jit_block_add_eval(g->block, at, rt_call(g, RT_builtin, at, 7, argv));
        return where(g, res, at);
    }
    return call_method(g, s, 0, ctx_field(g, CTXF_none, at), false, at);
}

typedef struct Prologue {
    gcc_jit_block *entry, *limits, *stop, *body;
    gcc_jit_location *at;
} Prologue;

/* Start a function: load c->consts and c->steps; leave the limit check to
 * end_limits(), once the deepest node is known. */
static void begin_function(Gen *g, gcc_jit_function *fn, gcc_jit_rvalue *c, gcc_jit_rvalue *nest,
                           gcc_jit_rvalue *depth, Prologue *pro, const char *what, const char *name,
                           gcc_jit_location *at)
{
    g->fn = fn;
    g->c = c;
    g->nest = nest;
    g->depth = depth;
    g->pending = 0;
    g->maxdepth = 0;
    pro->at = at;
    pro->entry = new_block(g, "entry");
    pro->limits = new_block(g, "limits");
    pro->stop = new_block(g, "stop");
    pro->body = new_block(g, "body");
    g->k = gcc_jit_function_new_local(fn, at, g->t_cvalue_p, "k");
    g->steps = gcc_jit_function_new_local(fn, at, gcc_jit_type_get_pointer(g->t_long), "steps");
    g->block = pro->entry;
    char comment[256];
    snprintf(comment, sizeof comment, "%s %s", what, name ? name : "");
    gcc_jit_block_add_comment(g->block, at, comment);
    gcc_jit_block_add_assignment(g->block, at, g->k, ctx_field(g, CTXF_consts, at));
    gcc_jit_block_add_assignment(g->block, at, g->steps, ctx_field(g, CTXF_steps, at));
    branch(g, gcc_jit_lvalue_as_rvalue(gcc_jit_rvalue_dereference(ctx_field(g, CTXF_stopped, at), at)),
           pro->stop, pro->limits, at);
    g->block = pro->stop;
    ret(g, value_at(konst(g, JIT_CONST_MISSING, at), at), at);
    g->block = pro->body;
}

/* The limits: nest + deepest node >= EVAL_MAX_NESTING, or the steps already
 * past st->max_steps: the interpreter would stop (or might): stop. */
static void end_limits(Gen *g, Prologue *pro, gcc_jit_block *go)
{
    gcc_jit_location *at = pro->at;
    gcc_jit_block *saved = g->block;
    gcc_jit_block *set_stop = new_block(g, "set_stop");
    g->block = pro->limits;
    gcc_jit_rvalue *too_deep = gcc_jit_context_new_comparison(
        g->ctx, at, GCC_JIT_COMPARISON_GE, g->nest, int_rv(g, EVAL_MAX_NESTING - g->maxdepth));
    gcc_jit_rvalue *too_long = gcc_jit_context_new_comparison(
        g->ctx, at, GCC_JIT_COMPARISON_GT,
        gcc_jit_lvalue_as_rvalue(gcc_jit_rvalue_dereference(gcc_jit_lvalue_as_rvalue(g->steps), at)),
        gcc_jit_lvalue_as_rvalue(gcc_jit_rvalue_dereference(ctx_field(g, CTXF_max_steps, at), at)));
    gcc_jit_block_end_with_conditional(
        g->block, at,
        gcc_jit_context_new_binary_op(g->ctx, at, GCC_JIT_BINARY_OP_LOGICAL_OR, g->t_bool, too_deep,
                                      too_long),
        set_stop, go);
    g->block = set_stop;
    stop_here(g, at);
    gcc_jit_block_end_with_return(g->block, at, value_at(konst(g, JIT_CONST_MISSING, at), at));
    g->block = saved;
}

void gen_let_fn(Gen *g, int i)
{
    const Sym *s = g->prog->lets[i];
    const Expr *body = s->decl->u.let.value;
    gcc_jit_function *fn = g->let_fn[i];
    gcc_jit_location *at = loc(g, s->decl->span);
    Prologue pro;
    begin_function(g, fn, gcc_jit_param_as_rvalue(gcc_jit_function_get_param(fn, 0)),
                   gcc_jit_param_as_rvalue(gcc_jit_function_get_param(fn, 1)),
                   gcc_jit_param_as_rvalue(gcc_jit_function_get_param(fn, 2)), &pro, "let", s->name, at);
    g->ctxv = ctx_field(g, CTXF_none, at); /* a let sees no context words */
    g->params = g->ctxv;
    gcc_jit_block *memo = new_block(g, "memo"), *done = new_block(g, "done"),
                  *busy = new_block(g, "busy"), *fresh = new_block(g, "fresh");
    gcc_jit_rvalue *state = elem(g, ctx_field(g, CTXF_let_state, at), i, at);
    gcc_jit_lvalue *state_lv = gcc_jit_context_new_array_access(g->ctx, at, ctx_field(g, CTXF_let_state, at),
                                                                int_rv(g, i));
    gcc_jit_lvalue *slot = gcc_jit_context_new_array_access(g->ctx, at, ctx_field(g, CTXF_lets, at),
                                                            int_rv(g, i));
    gcc_jit_block_end_with_conditional(
        g->block, at,
        gcc_jit_context_new_comparison(g->ctx, at, GCC_JIT_COMPARISON_EQ, state,
                                       gcc_jit_context_new_rvalue_from_int(g->ctx, g->t_uchar, 2)),
        done, memo);
    g->block = done;
    ret(g, gcc_jit_lvalue_as_rvalue(slot), at);
    g->block = memo;
    gcc_jit_block_end_with_conditional(
        g->block, at,
        gcc_jit_context_new_comparison(g->ctx, at, GCC_JIT_COMPARISON_EQ, state,
                                       gcc_jit_context_new_rvalue_from_int(g->ctx, g->t_uchar, 1)),
        busy, fresh);
    g->block = busy;
    ret(g, value_at(konst(g, JIT_CONST_MISSING, at), at), at);
    g->block = fresh;
    gcc_jit_block_add_assignment(g->block, at, state_lv,
                                 gcc_jit_context_new_rvalue_from_int(g->ctx, g->t_uchar, 1));
    gcc_jit_lvalue *v = result(g, at);
    gcc_jit_block_add_assignment(g->block, at, v, value_at(gen_expr(g, body, 0), at));
    gcc_jit_block_add_assignment(g->block, at, slot, gcc_jit_lvalue_as_rvalue(v));
    gcc_jit_block_add_assignment(g->block, at, state_lv,
                                 gcc_jit_context_new_rvalue_from_int(g->ctx, g->t_uchar, 2));
    ret(g, gcc_jit_lvalue_as_rvalue(v), at);
    end_limits(g, &pro, pro.body);
}

void gen_method_fn(Gen *g, int i)
{
    const Sym *s = g->prog->methods[i];
    gcc_jit_function *fn = g->method_fn[i];
    gcc_jit_location *at = loc(g, s->decl->span);
    Prologue pro;
    begin_function(g, fn, gcc_jit_param_as_rvalue(gcc_jit_function_get_param(fn, 0)),
                   gcc_jit_param_as_rvalue(gcc_jit_function_get_param(fn, 1)),
                   gcc_jit_param_as_rvalue(gcc_jit_function_get_param(fn, 2)), &pro, "method", s->name, at);
    g->ctxv = gcc_jit_param_as_rvalue(gcc_jit_function_get_param(fn, 3));
    g->params = gcc_jit_param_as_rvalue(gcc_jit_function_get_param(fn, 4));
    gcc_jit_rvalue *v = gen_expr(g, s->decl->u.method.body, 0);
    ret(g, value_at(v, at), at);
    end_limits(g, &pro, pro.body);
}

void gen_indicator_fn(Gen *g, int i)
{
    const Indicator *ind = &g->prog->indicators[i];
    const Decl *d = ind->decl;
    gcc_jit_function *fn = g->ind_fn[i];
    gcc_jit_location *at = loc(g, d->span);
    Prologue pro;
    begin_function(g, fn, gcc_jit_param_as_rvalue(gcc_jit_function_get_param(fn, 0)),
                   gcc_jit_param_as_rvalue(gcc_jit_function_get_param(fn, 1)),
                   gcc_jit_param_as_rvalue(gcc_jit_function_get_param(fn, 2)), &pro, "indicator", d->name, at);
    /* The frame: value and target missing until computed, weight known. */
    gcc_jit_type *arr_t = gcc_jit_context_new_array_type(g->ctx, at, g->t_value, CTX_COUNT);
    gcc_jit_lvalue *frame = gcc_jit_function_new_local(fn, at, arr_t, "frame");
    gcc_jit_rvalue *frame_rv = gcc_jit_lvalue_as_rvalue(frame);
    for (int w = 0; w < CTX_COUNT; w++)
        gcc_jit_block_add_assignment(
            g->block, at, gcc_jit_context_new_array_access(g->ctx, at, frame_rv, int_rv(g, w)),
            value_at(konst(g, w == CTX_WEIGHT ? JIT_CONST_WEIGHTS + i : JIT_CONST_MISSING, at), at));
    g->ctxv = elem_at(g, frame_rv, 0, at);
    g->params = ctx_field(g, CTXF_none, at);
    gcc_jit_lvalue *value = gcc_jit_context_new_array_access(g->ctx, at, frame_rv, int_rv(g, CTX_VALUE));
    gcc_jit_lvalue *target = gcc_jit_context_new_array_access(g->ctx, at, frame_rv, int_rv(g, CTX_TARGET));
    if (d->u.indicator.value) {
        gcc_jit_rvalue *v = gen_expr(g, d->u.indicator.value, 0);
        gcc_jit_block_add_assignment(g->block, loc(g, d->u.indicator.value->span), value, value_at(v, at));
    }
    if (d->u.indicator.target) {
        gcc_jit_rvalue *t = gen_expr(g, d->u.indicator.target, 0);
        gcc_jit_block_add_assignment(g->block, loc(g, d->u.indicator.target->span), target, value_at(t, at));
    }
    gcc_jit_block_add_assignment(
        g->block, at, gcc_jit_rvalue_dereference(gcc_jit_param_as_rvalue(gcc_jit_function_get_param(fn, 3)), at),
        gcc_jit_lvalue_as_rvalue(value));
    gcc_jit_block_add_assignment(
        g->block, at, gcc_jit_rvalue_dereference(gcc_jit_param_as_rvalue(gcc_jit_function_get_param(fn, 4)), at),
        gcc_jit_lvalue_as_rvalue(target));
    gcc_jit_rvalue *raw = ind->score ? gen_expr(g, ind->score, 0) : gen_method_ref(g, ind->method_call);
    ret(g, value_at(raw, at), at);
    end_limits(g, &pro, pro.body);
}

void gen_row_fn(Gen *g, int r)
{
    const RowRule *rule = &g->prog->rules[r];
    gcc_jit_function *fn = g->row_fn[r];
    gcc_jit_location *at = loc(g, rule->span);
    Prologue pro;
    begin_function(g, fn, gcc_jit_param_as_rvalue(gcc_jit_function_get_param(fn, 0)), int_rv(g, 0),
                   int_rv(g, 0), &pro, "rows rule using", rule->method->kind == E_CALL
                       ? rule->method->u.call.name : rule->method->u.name.name, at);
    g->ctxv = gcc_jit_param_as_rvalue(gcc_jit_function_get_param(fn, 1));
    g->params = ctx_field(g, CTXF_none, at);
    ret(g, value_at(gen_method_ref(g, rule->method), at), at);
    end_limits(g, &pro, pro.body);
}

const Expr *gen_check_part(const Program *p, int i, int part)
{
    const Decl *d = p->checks[i];
    const Expr *c = d->u.check.cond;
    bool sides = c->kind == E_BINARY && c->u.binary.op >= OP_EQ && c->u.binary.op <= OP_GE;
    switch (part) {
    case CHECK_LHS: return sides ? c->u.binary.a : NULL;
    case CHECK_RHS: return sides ? c->u.binary.b : NULL;
    case CHECK_TOLERANCE: return sides ? d->u.check.tolerance : NULL;
    default: return sides ? NULL : c;
    }
}

/* TlValue check_I_P(JitCtx *c): a part of a check, at nesting 0 with no
 * context words (eval_check). */
void gen_check_fn(Gen *g, int i, int part)
{
    const Expr *e = gen_check_part(g->prog, i, part);
    gcc_jit_function *fn = g->check_fn[i * CHECK_PARTS + part];
    gcc_jit_location *at = loc(g, e->span);
    Prologue pro;
    begin_function(g, fn, gcc_jit_param_as_rvalue(gcc_jit_function_get_param(fn, 0)), int_rv(g, 0), int_rv(g, 0),
                   &pro, "check", g->prog->checks[i]->name, at);
    g->ctxv = ctx_field(g, CTXF_none, at);
    g->params = g->ctxv;
    ret(g, value_at(gen_expr(g, e, 0), at), at);
    end_limits(g, &pro, pro.body);
}

#endif /* TALLY_HAVE_GCCJIT */
