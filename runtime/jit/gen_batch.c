/* gen_batch.c - batch kernels: typed kernels (gen_typed.c) as loops over
 * the rows of a JitColumns (abi.h), one report (or one table row) a row.
 *
 * Generates:
 *
 *   void batch_N(const JitColumns *cols, JitRowResult *out)
 *       fixed indicator N, for each row: out[row] = value, target, raw
 *       score and score unboxed, the steps and the branch, ok = 1; or
 *       ok = 0 where the kernel declines (a missing or non-plain input or
 *       let, a division by zero, a score to clamp...): the scorer then
 *       scores that report's indicator as if there were no kernel.
 *   void batch_lets(const JitColumns *cols)
 *       the columns of the lets the batch kernels read, each a loop of its
 *       own, a let after the lets it reads.
 *   void batch_rows_R(const JitColumns *cols, JitRowResult *out)
 *       rows rule R's method over a batch of table rows: columns 0 ..
 *       CTX_COUNT - 1 are the rows' context words (actual, target, weight,
 *       reported); out[row] gets the raw score (coef[2], scale[2], pct[2]),
 *       the steps and branch, ok.
 *
 * A let a batch kernel reads must be computable by a kernel with no
 * context words, and record no branch (evaluated apart from the indicator,
 * it could not record it where the interpreter does).  Results are pure
 * functions of the columns, so the memo of lets is left alone: an
 * indicator scored later by the interpreter evaluates a let again, which
 * costs steps and changes nothing else.
 */
#include "gen.h"

#if TALLY_HAVE_GCCJIT

#include <stdlib.h>
#include <string.h>

#include "gen_build.h"

static bool lets_batchable(Gen *g, const Expr *e);

static bool let_batchable(Gen *g, int i)
{
    if (g->let_batch[i])
        return g->let_batch[i] == 1;
    g->let_batch[i] = 3; /* the checker rules out cycles; be safe anyway */
    const Expr *v = g->prog->lets[i]->decl->u.let.value;
    int budget = KERNEL_MAX_NODES;
    bool ok = (v->type.kind == TY_NUM || v->type.kind == TY_BOOL) && !gen_may_branch(v) &&
              gen_kernel_expr_ok(v, KERNEL_UNITS | KERNEL_TEXT, &budget) && lets_batchable(g, v);
    g->let_batch[i] = ok ? 1 : 2;
    return ok;
}

static bool visit_batchable(void *g, const Sym *s)
{
    return s->kind != SYM_LET || let_batchable(g, s->index);
}

/* Can a batch kernel read every let e reads? */
static bool lets_batchable(Gen *g, const Expr *e)
{
    return gen_each_name(e, visit_batchable, g);
}

bool gen_batch_ok(Gen *g, int i)
{
    const Indicator *ind = &g->prog->indicators[i];
    const Decl *d = ind->decl;
    return g->typed && gen_kernel_ok(ind, KERNEL_UNITS | KERNEL_TEXT) && lets_batchable(g, d->u.indicator.value) &&
           lets_batchable(g, d->u.indicator.target) && lets_batchable(g, ind->score);
}

/* A batch function's frame: the entry block (column pointers), the row
 * loop, and the block that declines a row. */
typedef struct RowLoop {
    gcc_jit_block *head, *next, *done;
    gcc_jit_lvalue *row;
} RowLoop;

static void begin_batch(Gen *g, Kernel *k, gcc_jit_function *fn, gcc_jit_location *at)
{
    g->fn = fn;
    g->pending = 0;
    k->cols = gcc_jit_param_as_rvalue(gcc_jit_function_get_param(fn, 0));
    int ncols = (g->prog->ninputs > CTX_COUNT ? g->prog->ninputs : CTX_COUNT) + g->prog->nlets;
    k->colp = xcalloc((size_t)ncols * COL_ARRAYS + 1, sizeof *k->colp);
    k->entry = new_block(g, "entry");
    g->step_sink = gcc_jit_function_new_local(fn, at, g->t_long, "own");
    g->branch_id = NULL;
    k->start = new_block(g, "start");
    g->block = k->start;
}

/* The entry block, which gen_col_base() filled, jumps to the code. */
static void end_batch(Gen *g, Kernel *k)
{
    gcc_jit_block_end_with_jump(k->entry, NULL, k->start);
    free(k->colp);
    g->step_sink = NULL;
    g->branch_id = NULL;
}

/* Start the loop over rows: g->block is its body. */
static void loop_rows(Gen *g, Kernel *k, RowLoop *l, gcc_jit_location *at)
{
    l->row = gcc_jit_function_new_local(g->fn, at, g->t_long, "row");
    l->head = new_block(g, "row_head");
    l->next = new_block(g, "row_next");
    l->done = new_block(g, "rows_done");
    k->row = rv(l->row);
    k->bail = new_block(g, "decline");
    gcc_jit_block *body = new_block(g, "row");
    assign(g, l->row, gcc_jit_context_new_rvalue_from_long(g->ctx, g->t_long, 0), at);
    jump(g, l->head, at);
    g->block = l->head;
    gcc_jit_rvalue *n = rv(gcc_jit_rvalue_dereference_field(k->cols, at, g->f_cols[COLF_n]));
    branch(g, cmp(g, GCC_JIT_COMPARISON_LT, rv(l->row), n, at), body, l->done, at);
    g->block = l->next;
    gcc_jit_block_add_assignment_op(g->block, at, l->row, GCC_JIT_BINARY_OP_PLUS,
                                    gcc_jit_context_new_rvalue_from_long(g->ctx, g->t_long, 1));
    jump(g, l->head, at);
    g->block = body;
    assign(g, g->step_sink, gcc_jit_context_new_rvalue_from_long(g->ctx, g->t_long, 0), at);
}

static gcc_jit_lvalue *rr_field(Gen *g, gcc_jit_rvalue *out, gcc_jit_rvalue *row, int f, int j,
                                gcc_jit_location *at)
{
    gcc_jit_lvalue *r = gcc_jit_context_new_array_access(g->ctx, at, out, row);
    gcc_jit_lvalue *fl = gcc_jit_lvalue_access_field(r, at, g->f_rr[f]);
    return j < 0 ? fl : gcc_jit_context_new_array_access(g->ctx, at, rv(fl), int_rv(g, j));
}

/* The end of a batch kernel's row: out[row] = the parts computed (value,
 * target, raw score, score; NULL: not this kernel's), the steps, the
 * branch and ok = 1; a declined row ok = 0; then the loop's end. */
static void end_row_loop(Gen *g, Kernel *k, RowLoop *l, gcc_jit_rvalue *out, const KVal *parts[4],
                         gcc_jit_location *at)
{
    flush(g, at); /* into own */
    gcc_jit_type *t_i32 = gcc_jit_context_get_type(g->ctx, GCC_JIT_TYPE_INT32_T);
    gcc_jit_type *t_u8 = gcc_jit_context_get_type(g->ctx, GCC_JIT_TYPE_UINT8_T);
    gcc_jit_type *t_i8 = gcc_jit_context_get_type(g->ctx, GCC_JIT_TYPE_INT8_T);
    for (int j = 0; j < 4; j++) {
        if (!parts[j])
            continue;
        assign(g, rr_field(g, out, k->row, RRF_coef, j, at), rv(parts[j]->coef), at);
        assign(g, rr_field(g, out, k->row, RRF_scale, j, at),
               gcc_jit_context_new_cast(g->ctx, at, rv(parts[j]->scale), t_i32), at);
        assign(g, rr_field(g, out, k->row, RRF_pct, j, at), gcc_jit_context_new_cast(g->ctx, at, rv(parts[j]->pct), t_u8),
               at);
        assign(g, rr_field(g, out, k->row, RRF_unit, j, at),
               gcc_jit_context_new_cast(g->ctx, at, rv(parts[j]->unit), gcc_jit_context_get_type(g->ctx, GCC_JIT_TYPE_UINT16_T)),
               at);
        assign(g, rr_field(g, out, k->row, RRF_mag, j, at), gcc_jit_context_new_cast(g->ctx, at, rv(parts[j]->mag), t_i8), at);
    }
    assign(g, rr_field(g, out, k->row, RRF_steps, -1, at), gcc_jit_context_new_cast(g->ctx, at, rv(g->step_sink), t_i32), at);
    assign(g, rr_field(g, out, k->row, RRF_branch, -1, at), gcc_jit_context_new_cast(g->ctx, at, rv(g->branch_id), t_i8), at);
    assign(g, rr_field(g, out, k->row, RRF_scaled, -1, at),
           k->scaled ? gcc_jit_context_new_cast(g->ctx, at, rv(k->scaled), t_u8) : gcc_jit_context_new_rvalue_from_int(g->ctx, t_u8, 0),
           at);
    assign(g, rr_field(g, out, k->row, RRF_raise, -1, at),
           k->raise ? gcc_jit_context_new_cast(g->ctx, at, rv(k->raise), t_u8) : gcc_jit_context_new_rvalue_from_int(g->ctx, t_u8, 0),
           at);
    assign(g, rr_field(g, out, k->row, RRF_ok, -1, at), gcc_jit_context_new_rvalue_from_int(g->ctx, t_u8, 1), at);
    jump(g, l->next, at);
    g->pending = 0;
    g->block = k->bail;
    assign(g, rr_field(g, out, k->row, RRF_ok, -1, at), gcc_jit_context_new_rvalue_from_int(g->ctx, t_u8, 0), at);
    jump(g, l->next, at);
    g->block = l->done;
    gcc_jit_block_end_with_void_return(g->block, at);
    g->block = NULL;
}

void gen_batch_fn(Gen *g, int i)
{
    const Indicator *ind = &g->prog->indicators[i];
    const Decl *dcl = ind->decl;
    gcc_jit_function *fn = g->batch_fn[i];
    gcc_jit_location *at = loc(g, dcl->span);
    Kernel k;
    memset(&k, 0, sizeof k);
    k.ind = i;
    begin_batch(g, &k, fn, at);
    g->maxdepth = 0;
    gcc_jit_rvalue *out = gcc_jit_param_as_rvalue(gcc_jit_function_get_param(fn, 1));
    g->branch_id = gcc_jit_function_new_local(fn, at, g->t_int, "branch");
    char comment[256];
    snprintf(comment, sizeof comment, "batch kernel of indicator %s", dcl->name);
    gcc_jit_block_add_comment(g->block, at, comment);
    RowLoop l;
    loop_rows(g, &k, &l, at);
    assign(g, g->branch_id, int_rv(g, -1), at);
    const Expr *v = dcl->u.indicator.value, *t = dcl->u.indicator.target;
    KVal none = knum(g, at);
    assign(g, none.coef, i64_rv(g, 0), at);
    assign(g, none.scale, int_rv(g, 0), at);
    KVal parts[4] = {none, none, none, none};
    if (v) {
        k.value = parts[0] = gen_kexpr(g, &k, v, 0);
        k.has_value = true;
    }
    if (t) {
        k.target = parts[1] = gen_kexpr(g, &k, t, 0);
        k.has_target = true;
    }
    parts[2] = gen_kexpr(g, &k, ind->score, 0);
    KVal score = parts[3] = knum(g, at);
    int places = g->prog->opt.score_places < 0 ? 0 : g->prog->opt.score_places;
    gcc_jit_rvalue *argv[] = {rv(parts[2].coef), rv(parts[2].scale), i64_rv(g, ind->weight.coef),
                              int_rv(g, ind->weight.scale), int_rv(g, places),
                              gcc_jit_lvalue_get_address(score.coef, at), gcc_jit_lvalue_get_address(score.scale, at)};
    require(g, &k, cmp(g, GCC_JIT_COMPARISON_NE, gcc_jit_context_new_call(g->ctx, at, g->tk_fn[TK_SCORE], 7, argv),
                       int_rv(g, 0), at), at);
    const KVal *results[] = {&parts[0], &parts[1], &parts[2], &parts[3]};
    end_row_loop(g, &k, &l, out, results, at);
    /* Handed out only when no row could nest as deep as the interpreter stops. */
    g->batch_loaded[i] = g->maxdepth < EVAL_MAX_NESTING;
    end_batch(g, &k);
}

typedef struct LetsGen {
    Gen *g;
    Kernel *k;
    unsigned char *done;
} LetsGen;

static void gen_batch_let(Gen *g, Kernel *k, int i, unsigned char *done);

static bool visit_gen(void *arg, const Sym *s)
{
    LetsGen *lg = arg;
    if (s->kind == SYM_LET)
        gen_batch_let(lg->g, lg->k, s->index, lg->done);
    return true;
}

/* The columns of the lets e reads (lets_batchable has vouched for them). */
static void gen_lets_read(Gen *g, Kernel *k, const Expr *e, unsigned char *done)
{
    LetsGen lg = {g, k, done};
    gen_each_name(e, visit_gen, &lg);
}

/* One let's column, after the columns of the lets it reads. */
static void gen_batch_let(Gen *g, Kernel *k, int i, unsigned char *done)
{
    if (done[i])
        return;
    done[i] = 1;
    const Decl *d = g->prog->lets[i]->decl;
    const Expr *v = d->u.let.value;
    gen_lets_read(g, k, v, done); /* the lets it reads first */
    gcc_jit_location *at = loc(g, d->span);
    int col = g->prog->ninputs + i;
    RowLoop l;
    loop_rows(g, k, &l, at);
    g->maxdepth = 0;
    KVal r = gen_kexpr(g, k, v, 0);
    g->let_depth[i] = g->maxdepth;
    flush(g, at);
    gcc_jit_type *t_i32 = gcc_jit_context_get_type(g->ctx, GCC_JIT_TYPE_INT32_T);
    gcc_jit_type *t_u8 = gcc_jit_context_get_type(g->ctx, GCC_JIT_TYPE_UINT8_T);
    gcc_jit_lvalue *tag = gen_col_cell(g, k, col, COLF_let_tag, at);
    if (r.is_bool) {
        assign(g, tag, gcc_jit_context_new_cast(
                           g->ctx, at, arith(g, GCC_JIT_BINARY_OP_PLUS, g->t_int, int_rv(g, JIT_COL_FALSE), rv(r.b), at), t_u8), at);
    } else {
        assign(g, gen_col_cell(g, k, col, COLF_let_coef, at), rv(r.coef), at);
        assign(g, gen_col_cell(g, k, col, COLF_let_scale, at), gcc_jit_context_new_cast(g->ctx, at, rv(r.scale), t_i32), at);
        assign(g, gen_col_cell(g, k, col, COLF_let_unit, at),
               gcc_jit_context_new_cast(g->ctx, at, rv(r.unit), gcc_jit_context_get_type(g->ctx, GCC_JIT_TYPE_UINT16_T)), at);
        assign(g, gen_col_cell(g, k, col, COLF_let_mag, at),
               gcc_jit_context_new_cast(g->ctx, at, rv(r.mag), gcc_jit_context_get_type(g->ctx, GCC_JIT_TYPE_INT8_T)), at);
        /* JIT_COL_PLAIN + pct, or JIT_COL_QUANTITY where it has a unit (a
         * quantity is never a percentage) */
        gcc_jit_rvalue *has_unit = as_int(g, cmp(g, GCC_JIT_COMPARISON_NE, rv(r.unit), int_rv(g, 0), at), at);
        gcc_jit_rvalue *t = arith(g, GCC_JIT_BINARY_OP_PLUS, g->t_int,
                                  arith(g, GCC_JIT_BINARY_OP_PLUS, g->t_int, int_rv(g, JIT_COL_PLAIN), rv(r.pct), at),
                                  arith(g, GCC_JIT_BINARY_OP_MULT, g->t_int, has_unit,
                                        int_rv(g, JIT_COL_QUANTITY - JIT_COL_PLAIN), at), at);
        assign(g, tag, gcc_jit_context_new_cast(g->ctx, at, t, t_u8), at);
    }
    assign(g, gen_col_cell(g, k, col, COLF_let_steps, at), gcc_jit_context_new_cast(g->ctx, at, rv(g->step_sink), t_i32), at);
    jump(g, l.next, at);
    g->pending = 0;
    g->block = k->bail;
    assign(g, gen_col_cell(g, k, col, COLF_let_tag, at), gcc_jit_context_new_rvalue_from_int(g->ctx, t_u8, JIT_COL_OTHER), at);
    jump(g, l.next, at);
    g->block = l.done; /* the next let's loop, or the return */
}

const Expr *gen_row_kernel_body(Gen *g, int r)
{
    const Expr *m = g->prog->rules[r].method;
    if (!g->typed || m->kind != E_NAME || m->u.name.sym->kind != SYM_METHOD)
        return NULL;
    const Decl *d = m->u.name.sym->decl;
    const Expr *body = d->u.method.body;
    int budget = KERNEL_MAX_NODES;
    unsigned avail = (1u << CTX_VALUE) | (1u << CTX_TARGET) | (1u << CTX_WEIGHT) | (1u << CTX_REPORTED) |
                     KERNEL_ANY_IS_NUM | KERNEL_UNITS;
    if (jit_row_scoring_call(g->prog, r)) /* its arguments: context words and literals */
        return gen_kernel_expr_ok(body->u.call.args[2], avail, &budget) ? body : NULL;
    if (d->u.method.nparams != 0 || ktype(body, avail) != TY_NUM || !gen_reads_context_only(body) ||
        !gen_kernel_expr_ok(body, avail, &budget))
        return NULL;
    return body;
}

/*   void batch_rows_R(const JitColumns *cols, JitRowResult *out)
 * rows rule R's method over a batch of table rows: columns 0 .. CTX_COUNT - 1
 * are the rows' context words (actual, target, weight, reported); out[row]
 * gets the raw score (coef[2], scale[2], pct[2]), the steps and branch, ok. */
void gen_row_batch_fn(Gen *g, int r)
{
    const RowRule *rule = &g->prog->rules[r];
    const Expr *body = gen_row_kernel_body(g, r);
    gcc_jit_function *fn = g->batch_rows_fn[r];
    gcc_jit_location *at = loc(g, rule->span);
    Kernel k;
    memset(&k, 0, sizeof k);
    k.ind = -1;
    k.rows = true;
    begin_batch(g, &k, fn, at);
    g->maxdepth = 0;
    gcc_jit_rvalue *out = gcc_jit_param_as_rvalue(gcc_jit_function_get_param(fn, 1));
    g->branch_id = gcc_jit_function_new_local(fn, at, g->t_int, "branch");
    gcc_jit_block_add_comment(g->block, at, "batch kernel of a rows rule");
    RowLoop l;
    loop_rows(g, &k, &l, at);
    assign(g, g->branch_id, int_rv(g, -1), at);
    bool scoring = jit_row_scoring_call(g->prog, r) != NULL;
    if (scoring) {
        k.scaled = gcc_jit_function_new_local(fn, at, g->t_int, "scaled");
        assign(g, k.scaled, int_rv(g, 0), at);
        k.scaled_weight = knum(g, at);
        k.scaled_rate = knum(g, at);
        assign(g, k.scaled_weight.coef, i64_rv(g, 0), at);
        assign(g, k.scaled_weight.scale, int_rv(g, 0), at);
        assign(g, k.scaled_rate.coef, i64_rv(g, 0), at);
        assign(g, k.scaled_rate.scale, int_rv(g, 0), at);
        if (jit_row_scoring_call(g->prog, r)->u.call.sym->builtin->id == BI_SCORE_QUAL) {
            k.raise = gcc_jit_function_new_local(fn, at, g->t_int, "raise");
            assign(g, k.raise, int_rv(g, JIT_RAISE_NONE), at);
        }
    }
    KVal raw = gen_kexpr(g, &k, body, 0);
    const KVal *results[] = {scoring ? &k.scaled_weight : NULL, NULL, &raw, scoring ? &k.scaled_rate : NULL};
    end_row_loop(g, &k, &l, out, results, at);
    g->batch_rows_loaded[r] = g->maxdepth < EVAL_MAX_NESTING;
    end_batch(g, &k);
}

void gen_batch_lets(Gen *g)
{
    const Program *p = g->prog;
    gcc_jit_function *fn = g->batch_lets_fn;
    Kernel k;
    memset(&k, 0, sizeof k);
    k.ind = -1;
    begin_batch(g, &k, fn, NULL);
    unsigned char *done = xcalloc((size_t)p->nlets + 1, 1);
    for (int i = 0; i < p->nindicators; i++)
        if (g->batch_fn[i]) {
            const Indicator *ind = &p->indicators[i];
            const Expr *roots[] = {ind->decl->u.indicator.value, ind->decl->u.indicator.target, ind->score};
            for (int r = 0; r < 3; r++)
                gen_lets_read(g, &k, roots[r], done);
        }
    gcc_jit_block_end_with_void_return(g->block, NULL);
    g->block = NULL;
    free(done);
    end_batch(g, &k);
}

#endif /* TALLY_HAVE_GCCJIT */
