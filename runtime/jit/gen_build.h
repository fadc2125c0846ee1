/* gen_build.h - the small builders every section of the code generator
 * uses (internal to runtime/jit/): source locations, constants and locals,
 * blocks that end in a jump, a branch or a return (with the steps counted
 * so far flushed first), calls of the helpers, and the unboxed values of
 * kernels.  Inline: each is a few libgccjit calls. */
#ifndef TALLY_JIT_GEN_BUILD_H
#define TALLY_JIT_GEN_BUILD_H

#include <stdio.h>
#include <stdlib.h>

#include "gen_state.h"

/* The rule file's line and column (in characters) of a span. */
static inline gcc_jit_location *loc(Gen *g, Span span)
{
    const Source *src = &g->prog->src;
    if (src->nparts && source_in_part(src, span.start)) { /* an imported file's line */
        int line, col;
        source_position(src, span.start, &line, &col);
        return gcc_jit_context_new_location(g->ctx, source_file_at(src, span.start, NULL, NULL), line, col);
    }
    int lo = 0, hi = g->nlines - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (g->line_start[mid] <= span.start)
            lo = mid;
        else
            hi = mid - 1;
    }
    int col = 1;
    const char *text = g->prog->src.text;
    for (uint32_t i = g->line_start[lo]; i < span.start && i < g->prog->src.len; i++)
        col += ((unsigned char)text[i] & 0xC0) != 0x80;
    return gcc_jit_context_new_location(g->ctx, g->filename, lo + g->prog->src.first_line, col);
}

static inline gcc_jit_rvalue *int_rv(Gen *g, int v)
{
    return gcc_jit_context_new_rvalue_from_int(g->ctx, g->t_int, v);
}

static inline gcc_jit_rvalue *u32_rv(Gen *g, uint32_t v)
{
    return gcc_jit_context_new_rvalue_from_long(g->ctx, g->t_u32, (long)v);
}

static inline gcc_jit_lvalue *temp(Gen *g, gcc_jit_type *t, gcc_jit_location *at)
{
    char name[32];
    snprintf(name, sizeof name, "t%d", g->ntemp++);
    return gcc_jit_function_new_local(g->fn, at, t, name);
}

static inline gcc_jit_rvalue *ctx_field(Gen *g, int f, gcc_jit_location *at)
{
    return gcc_jit_lvalue_as_rvalue(gcc_jit_rvalue_dereference_field(g->c, at, g->f_ctx[f]));
}

/* A value's address, as const TlValue *: how expressions hand values on. */
static inline gcc_jit_rvalue *where(Gen *g, gcc_jit_lvalue *lv, gcc_jit_location *at)
{
    return gcc_jit_context_new_cast(g->ctx, at, gcc_jit_lvalue_get_address(lv, at), g->t_cvalue_p);
}

/* &ptr[i] */
static inline gcc_jit_rvalue *elem_at(Gen *g, gcc_jit_rvalue *ptr, int i, gcc_jit_location *at)
{
    return where(g, gcc_jit_context_new_array_access(g->ctx, at, ptr, int_rv(g, i)), at);
}

static inline gcc_jit_rvalue *elem(Gen *g, gcc_jit_rvalue *ptr, int i, gcc_jit_location *at)
{
    return gcc_jit_lvalue_as_rvalue(gcc_jit_context_new_array_access(g->ctx, at, ptr, int_rv(g, i)));
}

/* The value a const TlValue * points at. */
static inline gcc_jit_rvalue *value_at(gcc_jit_rvalue *ptr, gcc_jit_location *at)
{
    return gcc_jit_lvalue_as_rvalue(gcc_jit_rvalue_dereference(ptr, at));
}

/* &c->consts[slot] */
static inline gcc_jit_rvalue *konst(Gen *g, int slot, gcc_jit_location *at)
{
    if (slot < 0)
        abort(); /* a literal jit_consts_build() did not walk: a bug; the compile fails loudly */
    return elem_at(g, gcc_jit_lvalue_as_rvalue(g->k), slot, at);
}

static inline gcc_jit_rvalue *kind_of(Gen *g, gcc_jit_rvalue *ptr, gcc_jit_location *at)
{
    return gcc_jit_context_new_cast(
        g->ctx, at, gcc_jit_lvalue_as_rvalue(gcc_jit_rvalue_dereference_field(ptr, at, g->f_kind)),
        g->t_int);
}

/* Add the pending steps to *c->steps. */
static inline void flush(Gen *g, gcc_jit_location *at)
{
    if (!g->pending || !g->block)
        return;
    if (g->step_sink) {
        gcc_jit_block_add_assignment_op(g->block, at, g->step_sink, GCC_JIT_BINARY_OP_PLUS,
                                        gcc_jit_context_new_rvalue_from_long(g->ctx, g->t_long, g->pending));
        g->pending = 0;
        return;
    }
    gcc_jit_block_add_assignment_op(
        g->block, at, gcc_jit_rvalue_dereference(gcc_jit_lvalue_as_rvalue(g->steps), at),
        GCC_JIT_BINARY_OP_PLUS, gcc_jit_context_new_rvalue_from_long(g->ctx, g->t_long, g->pending));
    g->pending = 0;
}

static inline void jump(Gen *g, gcc_jit_block *to, gcc_jit_location *at)
{
    flush(g, at);
    gcc_jit_block_end_with_jump(g->block, at, to);
    g->block = NULL;
}

static inline void branch(Gen *g, gcc_jit_rvalue *cond, gcc_jit_block *yes, gcc_jit_block *no,
                   gcc_jit_location *at)
{
    flush(g, at);
    gcc_jit_block_end_with_conditional(g->block, at, cond, yes, no);
    g->block = NULL;
}

static inline void ret(Gen *g, gcc_jit_rvalue *v, gcc_jit_location *at)
{
    flush(g, at);
    gcc_jit_block_end_with_return(g->block, at, v);
    g->block = NULL;
}

static inline gcc_jit_block *new_block(Gen *g, const char *what)
{
    char name[48];
    snprintf(name, sizeof name, "%s%d", what, g->ntemp++);
    return gcc_jit_function_new_block(g->fn, name);
}

/* Call helper `f` of the runtime table. */
static inline gcc_jit_rvalue *rt_call(Gen *g, int f, gcc_jit_location *at, int nargs, gcc_jit_rvalue **args)
{
    gcc_jit_rvalue *fp = gcc_jit_lvalue_as_rvalue(gcc_jit_lvalue_access_field(g->rt, at, g->f_rt[f]));
    return gcc_jit_context_new_call_through_ptr(g->ctx, at, fp, nargs, args);
}

/* Evaluate rv once, into a fresh local. */
static inline gcc_jit_rvalue *keep(Gen *g, gcc_jit_rvalue *rv, gcc_jit_type *t, gcc_jit_location *at)
{
    gcc_jit_lvalue *v = temp(g, t, at);
    gcc_jit_block_add_assignment(g->block, at, v, rv);
    return gcc_jit_lvalue_as_rvalue(v);
}

/* A fresh TlValue local for a helper to write into. */
static inline gcc_jit_lvalue *result(Gen *g, gcc_jit_location *at)
{
    return temp(g, g->t_value, at);
}

/* A const TlValue * local: where the value of a construct with branches is. */
static inline gcc_jit_lvalue *join_ptr(Gen *g, gcc_jit_location *at)
{
    return temp(g, g->t_cvalue_p, at);
}

/* nest + d: the interpreter's st->nesting at a node d levels below the root. */
static inline gcc_jit_rvalue *nest_at(Gen *g, int d, gcc_jit_location *at)
{
    return gcc_jit_context_new_binary_op(g->ctx, at, GCC_JIT_BINARY_OP_PLUS, g->t_int, g->nest,
                                         int_rv(g, d));
}

static inline void set_branch(Gen *g, int which, gcc_jit_location *at)
{
    if (g->branch_id) {
        gcc_jit_block_add_assignment(g->block, at, g->branch_id, int_rv(g, which));
        return;
    }
    gcc_jit_block_add_assignment(
        g->block, at, gcc_jit_rvalue_dereference(ctx_field(g, CTXF_branch, at), at),
        elem(g, ctx_field(g, CTXF_branch_names, at), which, at));
}

static inline void stop_here(Gen *g, gcc_jit_location *at)
{
    gcc_jit_block_add_assignment(g->block, at,
                                 gcc_jit_rvalue_dereference(ctx_field(g, CTXF_stopped, at), at),
                                 gcc_jit_context_new_rvalue_from_int(g->ctx, g->t_bool, 1));
}

static inline gcc_jit_rvalue *cmp(Gen *g, enum gcc_jit_comparison op, gcc_jit_rvalue *a, gcc_jit_rvalue *b,
                           gcc_jit_location *at)
{
    return gcc_jit_context_new_comparison(g->ctx, at, op, a, b);
}

static inline gcc_jit_rvalue *logic(Gen *g, enum gcc_jit_binary_op op, gcc_jit_rvalue *a, gcc_jit_rvalue *b,
                             gcc_jit_location *at)
{
    return gcc_jit_context_new_binary_op(g->ctx, at, op, g->t_bool, a, b);
}

static inline gcc_jit_rvalue *arith(Gen *g, enum gcc_jit_binary_op op, gcc_jit_type *t, gcc_jit_rvalue *a,
                             gcc_jit_rvalue *b, gcc_jit_location *at)
{
    return gcc_jit_context_new_binary_op(g->ctx, at, op, t, a, b);
}

static inline gcc_jit_rvalue *as_int(Gen *g, gcc_jit_rvalue *v, gcc_jit_location *at)
{
    return gcc_jit_context_new_cast(g->ctx, at, v, g->t_int);
}

static inline gcc_jit_rvalue *fits_int64(Gen *g, gcc_jit_rvalue *c, gcc_jit_location *at)
{
    return logic(g, GCC_JIT_BINARY_OP_LOGICAL_AND,
                 cmp(g, GCC_JIT_COMPARISON_GE, c, gcc_jit_context_new_rvalue_from_long(g->ctx, g->t_i128, INT64_MIN), at),
                 cmp(g, GCC_JIT_COMPARISON_LE, c, gcc_jit_context_new_rvalue_from_long(g->ctx, g->t_i128, INT64_MAX), at),
                 at);
}

static inline enum gcc_jit_comparison jit_cmp(int op)
{
    switch (op) {
    case OP_EQ: return GCC_JIT_COMPARISON_EQ;
    case OP_NE: return GCC_JIT_COMPARISON_NE;
    case OP_LT: return GCC_JIT_COMPARISON_LT;
    case OP_LE: return GCC_JIT_COMPARISON_LE;
    case OP_GT: return GCC_JIT_COMPARISON_GT;
    default: return GCC_JIT_COMPARISON_GE;
    }
}

static inline gcc_jit_rvalue *rv(gcc_jit_lvalue *lv)
{
    return gcc_jit_lvalue_as_rvalue(lv);
}

static inline gcc_jit_rvalue *i64_rv(Gen *g, int64_t v)
{
    return gcc_jit_context_new_rvalue_from_long(g->ctx, g->t_i64, (long)v);
}

static inline gcc_jit_rvalue *i128_of(Gen *g, gcc_jit_rvalue *v, gcc_jit_location *at)
{
    return gcc_jit_context_new_cast(g->ctx, at, v, g->t_i128);
}

static inline void assign(Gen *g, gcc_jit_lvalue *to, gcc_jit_rvalue *from, gcc_jit_location *at)
{
    gcc_jit_block_add_assignment(g->block, at, to, from);
}

static inline KVal knum(Gen *g, gcc_jit_location *at)
{
    KVal v = {false, temp(g, g->t_i64, at), temp(g, g->t_int, at), NULL, temp(g, g->t_int, at),
              temp(g, g->t_int, at), temp(g, g->t_int, at), false, NULL};
    assign(g, v.pct, int_rv(g, 0), at);
    assign(g, v.unit, int_rv(g, 0), at);
    assign(g, v.mag, int_rv(g, 0), at);
    return v;
}

static inline KVal kbool(Gen *g, gcc_jit_location *at)
{
    KVal v = {true, NULL, NULL, temp(g, g->t_int, at), NULL, NULL, NULL, false, NULL};
    return v;
}

static inline KVal ktext(Gen *g, gcc_jit_location *at)
{
    KVal v = {false, NULL, NULL, NULL, NULL, NULL, NULL, true, temp(g, g->t_int, at)};
    return v;
}

static inline void kcopy(Gen *g, KVal to, KVal from, gcc_jit_location *at)
{
    if (to.is_bool) {
        assign(g, to.b, rv(from.b), at);
    } else {
        assign(g, to.coef, rv(from.coef), at);
        assign(g, to.scale, rv(from.scale), at);
        assign(g, to.pct, rv(from.pct), at);
        assign(g, to.unit, rv(from.unit), at);
        assign(g, to.mag, rv(from.mag), at);
    }
}

/* Continue in a fresh block when cond holds; return 0 otherwise. */
static inline void require(Gen *g, Kernel *k, gcc_jit_rvalue *cond, gcc_jit_location *at)
{
    gcc_jit_block *go = new_block(g, "ok");
    branch(g, cond, go, k->bail, at);
    g->block = go;
}

#endif
