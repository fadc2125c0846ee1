/* jit_gen.c - the code generator: a checked program to native code.
 *
 * The shape is the libgccjit tutorial's: one compiler state (Gen), every
 * type created once, the functions declared before any body is generated,
 * the blocks of a construct created first and filled second, a source
 * location (the rule file's line and column) on every statement, and
 * gcc_jit_context_get_first_error checked after compiling.
 *
 * What is generated mirrors interp.c node for node (see jit_rt.h):
 *
 *   TlValue let_N(JitCtx *c, int nest, int depth)            eval_let, memoised
 *   TlValue method_N(JitCtx *c, int nest, int depth,
 *                    const TlValue *ctx, const TlValue *params)  a method body
 *   TlValue indicator_N(JitCtx *c, int nest, int depth,
 *                       TlValue *value, TlValue *target)     eval_indicator up to
 *                                                             eval_finish_score
 *   TlValue rows_N(JitCtx *c, const TlValue *ctx)            eval_method_ref of rows rule N
 *   void tally_jit_init(const struct tally_rt *, indicator_fn *, rows_fn *)
 *   const char tally_jit_key[]
 *
 * `nest` is the interpreter's st->nesting where the function's expression
 * starts and `depth` its st->depth (method calls): the interpreter's limits
 * are checked at each function's entry, conservatively (see jit_rt.h).
 * Steps are counted exactly: each node adds one, flushed to *c->steps before
 * anything that may read it (a call of compiled code, a branch, a return).
 *
 * Values travel by address (const TlValue *); every operation calls a helper
 * from the runtime table (jit_rt.h), except the typed fast path: where the
 * checker types both operands as numbers, tl_fast_cmp / tl_fast_addsub /
 * tl_fast_mul (generated once per object) try value_binary's common case
 * first, and min/max compare with tl_fast_cmp.
 */
#include "gen.h"

#if TALLY_HAVE_GCCJIT

#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "gccjit.h"
#include "rt.h"

GccJit gccjit;
static char gcc_version[32];

bool jit_gen_available(void)
{
    return true;
}

const char *jit_gen_gcc_version(void)
{
    return gcc_version;
}

/* The CPU's instruction-set extensions as GCC -m options.  GCC's
 * __builtin_cpu_supports knows most; lzcnt, movbe and adx come from cpuid. */
const char *jit_gen_native_flags(void)
{
    static char flags[512];
    if (flags[0])
        return flags;
    size_t n = 0;
#define FLAG(cond, opt) \
    do { \
        if ((cond) && n + sizeof " " opt < sizeof flags) \
            n += (size_t)snprintf(flags + n, sizeof flags - n, "%s%s", n ? " " : "", opt); \
    } while (0)
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    FLAG(__builtin_cpu_supports("popcnt"), "-mpopcnt");
    FLAG(__builtin_cpu_supports("sse3"), "-msse3");
    FLAG(__builtin_cpu_supports("ssse3"), "-mssse3");
    FLAG(__builtin_cpu_supports("sse4.1"), "-msse4.1");
    FLAG(__builtin_cpu_supports("sse4.2"), "-msse4.2");
    FLAG(__builtin_cpu_supports("avx"), "-mavx");
    FLAG(__builtin_cpu_supports("avx2"), "-mavx2");
    FLAG(__builtin_cpu_supports("fma"), "-mfma");
    FLAG(__builtin_cpu_supports("bmi"), "-mbmi");
    FLAG(__builtin_cpu_supports("bmi2"), "-mbmi2");
    FLAG(__builtin_cpu_supports("avx512f"), "-mavx512f");
    FLAG(__builtin_cpu_supports("avx512vl"), "-mavx512vl");
    FLAG(__builtin_cpu_supports("avx512bw"), "-mavx512bw");
    FLAG(__builtin_cpu_supports("avx512dq"), "-mavx512dq");
    FLAG(__builtin_cpu_supports("avx512cd"), "-mavx512cd");
    unsigned a, b, c, d;
    if (__get_cpuid(0x80000001, &a, &b, &c, &d))
        FLAG(c & (1u << 5), "-mlzcnt");
    if (__get_cpuid(1, &a, &b, &c, &d))
        FLAG(c & (1u << 22), "-mmovbe");
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d))
        FLAG(b & (1u << 19), "-madx");
#endif
#undef FLAG
    if (!n)
        snprintf(flags, sizeof flags, " "); /* computed: nothing to add */
    return flags;
}

/* Fields of the structs compiled code shares with C, in the order of their
 * lists (abi.h): CTXF_inputs is JitCtx.inputs, and so on. */
#define CTX_FIELD(type, name, dims, abi) CTXF_##name,
#define COL_FIELD(type, name, dims, abi) COLF_##name,
#define RR_FIELD(type, name, dims, abi) RRF_##name,
#define RT_field(type, name, dims, abi) RT_##name,
enum { JIT_CTX_FIELDS(CTX_FIELD) CTXF_COUNT };
enum { JIT_COLUMNS_FIELDS(COL_FIELD) COLF_COUNT };
enum { JIT_ROW_RESULT_FIELDS(RR_FIELD) RRF_COUNT };
enum { JIT_RUNTIME_FIELDS(RT_field) RT_COUNT };
#undef CTX_FIELD
#undef COL_FIELD
#undef RR_FIELD
#undef RT_field

#define MAX_CALL_DEPTH 64 /* interp.c */

typedef struct Gen {
    gcc_jit_context *ctx;
    const Program *prog;
    JitConsts consts;
    JitNames units;          /* jit_rt.h: the ids of quantities' units */
    JitNames texts;          /* and of text literals */
    const char *filename;
    uint32_t *line_start;    /* byte offset of each line of the rule file */
    int nlines;

    /* Types, created once. */
    gcc_jit_type *t_void, *t_bool, *t_int, *t_long, *t_uchar, *t_u32, *t_void_p, *t_cchar_p;
    gcc_jit_type *t_value, *t_value_p, *t_cvalue_p, *t_ctx_p, *t_ind_fn, *t_row_fn, *t_check_fn;
    gcc_jit_field *f_kind, *f_numkind, *f_qual, *f_flags, *f_mag, *f_unit, *f_u, *f_num, *f_b, *f_coef, *f_scale;
    gcc_jit_type *t_i64, *t_i128;
    gcc_jit_lvalue *pow10;   /* static const int64_t tally_pow10[19] */
    bool typed;              /* emit the typed fast paths */
    gcc_jit_function *fast_fn[3]; /* tl_fast_cmp, tl_fast_addsub, tl_fast_mul */
    gcc_jit_field *f_ctx[CTXF_COUNT];
    gcc_jit_field *f_rt[RT_COUNT];
    gcc_jit_struct *s_rt;
    gcc_jit_lvalue *rt;      /* static struct tally_rt tally_rt: the helpers */

    /* Functions, declared before any body. */
    gcc_jit_function **let_fn, **method_fn, **ind_fn, **row_fn;
    gcc_jit_function **check_fn;    /* [check * CHECK_PARTS + part]; NULL where a check has no such part */
    gcc_jit_function *tk_fn[6];  /* the kernels' decimal operations (TK_*) */
    gcc_jit_type *t_cols_p, *t_rowres_p, *t_batch_fn, *t_batch_lets_fn;
    gcc_jit_field *f_cols[COLF_COUNT], *f_rr[RRF_COUNT];
    gcc_jit_function **batch_fn;    /* batch kernels; NULL where an indicator has none */
    bool *batch_loaded;             /* batch_fn[i] handed out (not too deep to run) */
    gcc_jit_function *batch_lets_fn;/* NULL when no batch kernel reads a let */
    gcc_jit_function **batch_rows_fn; /* per rows rule: its batch kernel, or NULL */
    bool *batch_rows_loaded;
    unsigned char *let_batch;       /* per let: 0 not yet known, 1 batch kernels may read it, 2 not, 3 deciding */
    int *let_depth;                 /* per let: the deepest node of its body, once generated */

    /* The function being generated. */
    gcc_jit_function *fn;
    gcc_jit_block *block;    /* where statements go; NULL after a terminator */
    gcc_jit_rvalue *c;       /* JitCtx *c */
    gcc_jit_rvalue *nest, *depth;
    gcc_jit_rvalue *ctxv;    /* const TlValue *: the context words */
    gcc_jit_rvalue *params;  /* const TlValue *: a method's parameters */
    gcc_jit_lvalue *k;       /* c->consts, loaded once */
    gcc_jit_lvalue *steps;   /* c->steps, loaded once */
    int pending;             /* steps not yet added to *c->steps */
    gcc_jit_lvalue *step_sink; /* kernels: a local that takes the row's steps instead */
    gcc_jit_lvalue *branch_id; /* batch kernels: a local that takes the branch instead */
    int maxdepth;            /* deepest node so far, relative to nest */
    int ntemp;
} Gen;

/* Locations --------------------------------------------------------------- */

static void index_lines(Gen *g)
{
    const Source *src = &g->prog->src;
    int cap = 64;
    g->line_start = xmalloc((size_t)cap * sizeof *g->line_start);
    g->line_start[g->nlines++] = 0;
    for (size_t i = 0; i < src->len; i++)
        if (src->text[i] == '\n') {
            if (g->nlines == cap) {
                cap *= 2;
                g->line_start = xrealloc(g->line_start, (size_t)cap * sizeof *g->line_start);
            }
            g->line_start[g->nlines++] = (uint32_t)(i + 1);
        }
}

/* The rule file's line and column (in characters) of a span. */
static gcc_jit_location *loc(Gen *g, Span span)
{
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

/* Small builders ----------------------------------------------------------- */

static gcc_jit_rvalue *int_rv(Gen *g, int v)
{
    return gcc_jit_context_new_rvalue_from_int(g->ctx, g->t_int, v);
}

static gcc_jit_rvalue *u32_rv(Gen *g, uint32_t v)
{
    return gcc_jit_context_new_rvalue_from_long(g->ctx, g->t_u32, (long)v);
}

static gcc_jit_lvalue *temp(Gen *g, gcc_jit_type *t, gcc_jit_location *at)
{
    char name[32];
    snprintf(name, sizeof name, "t%d", g->ntemp++);
    return gcc_jit_function_new_local(g->fn, at, t, name);
}

static gcc_jit_rvalue *ctx_field(Gen *g, int f, gcc_jit_location *at)
{
    return gcc_jit_lvalue_as_rvalue(gcc_jit_rvalue_dereference_field(g->c, at, g->f_ctx[f]));
}

/* A value's address, as const TlValue *: how expressions hand values on. */
static gcc_jit_rvalue *where(Gen *g, gcc_jit_lvalue *lv, gcc_jit_location *at)
{
    return gcc_jit_context_new_cast(g->ctx, at, gcc_jit_lvalue_get_address(lv, at), g->t_cvalue_p);
}

/* &ptr[i] */
static gcc_jit_rvalue *elem_at(Gen *g, gcc_jit_rvalue *ptr, int i, gcc_jit_location *at)
{
    return where(g, gcc_jit_context_new_array_access(g->ctx, at, ptr, int_rv(g, i)), at);
}

static gcc_jit_rvalue *elem(Gen *g, gcc_jit_rvalue *ptr, int i, gcc_jit_location *at)
{
    return gcc_jit_lvalue_as_rvalue(gcc_jit_context_new_array_access(g->ctx, at, ptr, int_rv(g, i)));
}

/* The value a const TlValue * points at. */
static gcc_jit_rvalue *value_at(gcc_jit_rvalue *ptr, gcc_jit_location *at)
{
    return gcc_jit_lvalue_as_rvalue(gcc_jit_rvalue_dereference(ptr, at));
}

/* &c->consts[slot] */
static gcc_jit_rvalue *konst(Gen *g, int slot, gcc_jit_location *at)
{
    if (slot < 0)
        abort(); /* a literal jit_consts_build() did not walk: a bug; the compile fails loudly */
    return elem_at(g, gcc_jit_lvalue_as_rvalue(g->k), slot, at);
}

static gcc_jit_rvalue *kind_of(Gen *g, gcc_jit_rvalue *ptr, gcc_jit_location *at)
{
    return gcc_jit_context_new_cast(
        g->ctx, at, gcc_jit_lvalue_as_rvalue(gcc_jit_rvalue_dereference_field(ptr, at, g->f_kind)),
        g->t_int);
}

/* Add the pending steps to *c->steps. */
static void flush(Gen *g, gcc_jit_location *at)
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

static void jump(Gen *g, gcc_jit_block *to, gcc_jit_location *at)
{
    flush(g, at);
    gcc_jit_block_end_with_jump(g->block, at, to);
    g->block = NULL;
}

static void branch(Gen *g, gcc_jit_rvalue *cond, gcc_jit_block *yes, gcc_jit_block *no,
                   gcc_jit_location *at)
{
    flush(g, at);
    gcc_jit_block_end_with_conditional(g->block, at, cond, yes, no);
    g->block = NULL;
}

static void ret(Gen *g, gcc_jit_rvalue *v, gcc_jit_location *at)
{
    flush(g, at);
    gcc_jit_block_end_with_return(g->block, at, v);
    g->block = NULL;
}

static gcc_jit_block *new_block(Gen *g, const char *what)
{
    char name[48];
    snprintf(name, sizeof name, "%s%d", what, g->ntemp++);
    return gcc_jit_function_new_block(g->fn, name);
}

/* Call helper `f` of the runtime table. */
static gcc_jit_rvalue *rt_call(Gen *g, int f, gcc_jit_location *at, int nargs, gcc_jit_rvalue **args)
{
    gcc_jit_rvalue *fp = gcc_jit_lvalue_as_rvalue(gcc_jit_lvalue_access_field(g->rt, at, g->f_rt[f]));
    return gcc_jit_context_new_call_through_ptr(g->ctx, at, fp, nargs, args);
}

/* Evaluate rv once, into a fresh local. */
static gcc_jit_rvalue *keep(Gen *g, gcc_jit_rvalue *rv, gcc_jit_type *t, gcc_jit_location *at)
{
    gcc_jit_lvalue *v = temp(g, t, at);
    gcc_jit_block_add_assignment(g->block, at, v, rv);
    return gcc_jit_lvalue_as_rvalue(v);
}

/* A fresh TlValue local for a helper to write into. */
static gcc_jit_lvalue *result(Gen *g, gcc_jit_location *at)
{
    return temp(g, g->t_value, at);
}

/* A const TlValue * local: where the value of a construct with branches is. */
static gcc_jit_lvalue *join_ptr(Gen *g, gcc_jit_location *at)
{
    return temp(g, g->t_cvalue_p, at);
}

/* nest + d: the interpreter's st->nesting at a node d levels below the root. */
static gcc_jit_rvalue *nest_at(Gen *g, int d, gcc_jit_location *at)
{
    return gcc_jit_context_new_binary_op(g->ctx, at, GCC_JIT_BINARY_OP_PLUS, g->t_int, g->nest,
                                         int_rv(g, d));
}

static void set_branch(Gen *g, int which, gcc_jit_location *at)
{
    if (g->branch_id) {
        gcc_jit_block_add_assignment(g->block, at, g->branch_id, int_rv(g, which));
        return;
    }
    gcc_jit_block_add_assignment(
        g->block, at, gcc_jit_rvalue_dereference(ctx_field(g, CTXF_branch, at), at),
        elem(g, ctx_field(g, CTXF_branch_names, at), which, at));
}

static void stop_here(Gen *g, gcc_jit_location *at)
{
    gcc_jit_block_add_assignment(g->block, at,
                                 gcc_jit_rvalue_dereference(ctx_field(g, CTXF_stopped, at), at),
                                 gcc_jit_context_new_rvalue_from_int(g->ctx, g->t_bool, 1));
}

/* Expressions ----------------------------------------------------------------- */

/* Every expression yields the address of its value (a const TlValue *):
 * the constant table, an input, a context word or parameter, a subtotal,
 * or a local the value was computed into.  None of these changes while the
 * expression that uses it is evaluated, so an address can be used twice
 * (tiers, and/or) and after branches. */
static gcc_jit_rvalue *gen_expr(Gen *g, const Expr *e, int d);

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

static bool all_num(const Expr *call);
static gcc_jit_lvalue *gen_minmax(Gen *g, bool is_min, gcc_jit_rvalue *args, int n,
                                  gcc_jit_block **join, gcc_jit_location *at);

/* eval_call: arguments at depth argd, a method's body at nest + argd. */
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

static gcc_jit_rvalue *cmp(Gen *g, enum gcc_jit_comparison op, gcc_jit_rvalue *a, gcc_jit_rvalue *b,
                           gcc_jit_location *at)
{
    return gcc_jit_context_new_comparison(g->ctx, at, op, a, b);
}

static gcc_jit_rvalue *logic(Gen *g, enum gcc_jit_binary_op op, gcc_jit_rvalue *a, gcc_jit_rvalue *b,
                             gcc_jit_location *at)
{
    return gcc_jit_context_new_binary_op(g->ctx, at, op, g->t_bool, a, b);
}

static gcc_jit_rvalue *arith(Gen *g, enum gcc_jit_binary_op op, gcc_jit_type *t, gcc_jit_rvalue *a,
                             gcc_jit_rvalue *b, gcc_jit_location *at)
{
    return gcc_jit_context_new_binary_op(g->ctx, at, op, t, a, b);
}

static gcc_jit_rvalue *as_int(Gen *g, gcc_jit_rvalue *v, gcc_jit_location *at)
{
    return gcc_jit_context_new_cast(g->ctx, at, v, g->t_int);
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
    gcc_jit_rvalue *dimless = logic(g, GCC_JIT_BINARY_OP_LOGICAL_AND,
                                    cmp(g, GCC_JIT_COMPARISON_NE, *nka, int_rv(g, NUM_QUANTITY), at),
                                    cmp(g, GCC_JIT_COMPARISON_NE, *nkb, int_rv(g, NUM_QUANTITY), at), at);
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

static gcc_jit_rvalue *fits_int64(Gen *g, gcc_jit_rvalue *c, gcc_jit_location *at)
{
    return logic(g, GCC_JIT_BINARY_OP_LOGICAL_AND,
                 cmp(g, GCC_JIT_COMPARISON_GE, c, gcc_jit_context_new_rvalue_from_long(g->ctx, g->t_i128, INT64_MIN), at),
                 cmp(g, GCC_JIT_COMPARISON_LE, c, gcc_jit_context_new_rvalue_from_long(g->ctx, g->t_i128, INT64_MAX), at),
                 at);
}

static enum gcc_jit_comparison jit_cmp(int op)
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

/* The typed fast path lives in three small functions generated once per
 * shared object (the call sites stay small, so compiling stays quick; GCC
 * may inline them at -O2 and above):
 *   int tl_fast_cmp(a, b)             dec_cmp(a, b), or 2: not fast
 *   int tl_fast_addsub(a, b, out, sub) 1 and *out = a + b (or a - b), or 0
 *   int tl_fast_mul(a, b, out)         1 and *out = a * b, or 0 */
static void gen_fast_functions(Gen *g)
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
static gcc_jit_rvalue *gen_expr(Gen *g, const Expr *e, int d)
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

/* Functions ----------------------------------------------------------------- */

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

static void gen_let_fn(Gen *g, int i)
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

static void gen_method_fn(Gen *g, int i)
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

static void gen_indicator_fn(Gen *g, int i)
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

static void gen_row_fn(Gen *g, int r)
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

/* Typed kernels ----------------------------------------------------------------
 *
 * An expression of numbers and conditions - inputs, lets, literals, the
 * context words, + - * /, comparisons, and/or/not, if, tiers, min and max -
 * compiled with its decimals held unboxed in 64/128-bit locals (KVal), for
 * the batch kernels below to run over a row of columns.  It takes only the
 * cases where every operation is value_binary's plain case and raises no
 * finding: every value a plain number, a percentage, a boolean, a quantity
 * in a unit the program names or a text a literal spells; no division by
 * zero; nothing rounded but the score; no score to clamp.  Before anything
 * else it declines (jumps to the kernel's bail block), and that row is
 * scored as if there were no kernel.  Evaluation follows the interpreter's
 * order and step count. */

typedef struct KVal {
    bool is_bool;
    gcc_jit_lvalue *coef;  /* int64_t */
    gcc_jit_lvalue *scale; /* int */
    gcc_jit_lvalue *b;     /* int: 0 or 1 */
    gcc_jit_lvalue *pct;   /* int: 1 for a percent (NUM_PERCENT), 0 for a plain number */
    gcc_jit_lvalue *unit;  /* int: a quantity's unit id (JitNames), 0 for a plain number or percent */
    gcc_jit_lvalue *mag;   /* int: a quantity's magnitude (TlValue.mag), else 0 */
    bool is_text;          /* batch kernels: a text, compared with = or != only */
    gcc_jit_lvalue *tid;   /* int: its id in JitNames texts, 0: a text no literal spells */
} KVal;

#define COL_ARRAYS 7 /* a column's arrays: coef, scale, tag, steps (lets), unit, mag, text */

typedef struct Kernel {
    gcc_jit_block *bail;
    /* The columns (jit_rt.h JitColumns), the row, and the entry block
     * where each column's base pointer is loaded once. */
    bool rows;                  /* a rows rule's: the context words are columns 0 .. CTX_COUNT - 1 */
    gcc_jit_rvalue *cols, *row;
    gcc_jit_block *entry, *start;
    gcc_jit_lvalue **colp;      /* [(input or ninputs + let) * COL_ARRAYS + array] */
    bool has_value, has_target;
    KVal value, target;
    int ind;
} Kernel;

#define KERNEL_MAX_NODES 2000

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

/* In `avail` (below): a cell's static type (TY_ANY: a table row's actual,
 * target or reported) counts as a number.  Sound because such a value only
 * ever comes from a context word's column, which declines unless the cell
 * is a plain number or percentage. */
#define KERNEL_ANY_IS_NUM (1u << 31)
/* In `avail`: quantities (inputs declared in a unit, literals with one) are
 * taken too - by batch kernels, which read units from columns. */
#define KERNEL_UNITS (1u << 30)
/* In `avail`: text inputs and literals compared with = and != are taken too
 * (batch kernels: text ids from columns). */
#define KERNEL_TEXT (1u << 29)

/* e's type as the kernel sees it. */
static TypeKind ktype(const Expr *e, unsigned avail)
{
    return e->type.kind == TY_ANY && (avail & KERNEL_ANY_IS_NUM) ? TY_NUM : e->type.kind;
}

/* Can the kernel compute e?  `avail` has bit CTX_WEIGHT / CTX_VALUE /
 * CTX_TARGET / CTX_REPORTED set where those words are known (none in a
 * let), and maybe KERNEL_ANY_IS_NUM; *budget bounds the code generated. */
static bool kernel_expr_ok(const Expr *e, unsigned avail, int *budget)
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
        if (s->kind != SYM_BUILTIN || (s->builtin->id != BI_MIN && s->builtin->id != BI_MAX) ||
            e->u.call.nargs < 1 || e->u.call.nargs > 16)
            return false;
        for (int i = 0; i < e->u.call.nargs; i++)
            if (ktype(e->u.call.args[i], avail) != TY_NUM || !kernel_expr_ok(e->u.call.args[i], avail, budget))
                return false;
        return true;
    }
    case E_UNARY: {
        const Expr *a = e->u.unary.a;
        TypeKind want = e->u.unary.op == OP_NOT ? TY_BOOL : TY_NUM;
        return ktype(a, avail) == want && ktype(e, avail) == want && kernel_expr_ok(a, avail, budget);
    }
    case E_BINARY: {
        Op op = e->u.binary.op;
        const Expr *a = e->u.binary.a, *b = e->u.binary.b;
        if ((avail & KERNEL_TEXT) && (op == OP_EQ || op == OP_NE) && ktype(a, avail) == TY_TEXT &&
            ktype(b, avail) == TY_TEXT)
            return ktype(e, avail) == TY_BOOL && kernel_expr_ok(a, avail, budget) && kernel_expr_ok(b, avail, budget);
        TypeKind want = op == OP_AND || op == OP_OR ? TY_BOOL : TY_NUM;
        TypeKind res = op >= OP_EQ && op <= OP_OR ? TY_BOOL : TY_NUM;
        return ktype(a, avail) == want && ktype(b, avail) == want && ktype(e, avail) == res &&
               kernel_expr_ok(a, avail, budget) && kernel_expr_ok(b, avail, budget);
    }
    case E_IF: {
        const Expr *c = e->u.cond.cond, *t = e->u.cond.then, *f = e->u.cond.els;
        TypeKind k = ktype(e, avail);
        return ktype(c, avail) == TY_BOOL && (k == TY_NUM || k == TY_BOOL) && ktype(t, avail) == k &&
               ktype(f, avail) == k && kernel_expr_ok(c, avail, budget) && kernel_expr_ok(t, avail, budget) &&
               kernel_expr_ok(f, avail, budget);
    }
    case E_TIERS: {
        if (ktype(e, avail) != TY_NUM || ktype(e->u.tiers.subject, avail) != TY_NUM ||
            !kernel_expr_ok(e->u.tiers.subject, avail, budget))
            return false;
        for (int i = 0; i < e->u.tiers.ntiers; i++) {
            const Tier *t = &e->u.tiers.tiers[i];
            if (ktype(t->edge, avail) != TY_NUM || ktype(t->score, avail) != TY_NUM ||
                !kernel_expr_ok(t->edge, avail, budget) || !kernel_expr_ok(t->score, avail, budget))
                return false;
        }
        const Expr *f = e->u.tiers.els;
        return f && ktype(f, avail) == TY_NUM && kernel_expr_ok(f, avail, budget);
    }
    }
    return false;
}

/* `units`: KERNEL_UNITS or 0. */
static bool kernel_ok(const Indicator *ind, unsigned units)
{
    const Decl *d = ind->decl;
    const Expr *v = d->u.indicator.value, *t = d->u.indicator.target;
    int budget = KERNEL_MAX_NODES;
    unsigned avail = (1u << CTX_WEIGHT) | units;
    if (!ind->score || ind->score->type.kind != TY_NUM)
        return false;
    if (v && (v->type.kind != TY_NUM || !kernel_expr_ok(v, avail, &budget)))
        return false;
    if (v)
        avail |= 1u << CTX_VALUE;
    if (t && (t->type.kind != TY_NUM || !kernel_expr_ok(t, avail, &budget)))
        return false;
    if (t)
        avail |= 1u << CTX_TARGET;
    return kernel_expr_ok(ind->score, avail, &budget);
}

static gcc_jit_rvalue *rv(gcc_jit_lvalue *lv)
{
    return gcc_jit_lvalue_as_rvalue(lv);
}

static gcc_jit_rvalue *i64_rv(Gen *g, int64_t v)
{
    return gcc_jit_context_new_rvalue_from_long(g->ctx, g->t_i64, (long)v);
}

static gcc_jit_rvalue *i128_of(Gen *g, gcc_jit_rvalue *v, gcc_jit_location *at)
{
    return gcc_jit_context_new_cast(g->ctx, at, v, g->t_i128);
}

static void assign(Gen *g, gcc_jit_lvalue *to, gcc_jit_rvalue *from, gcc_jit_location *at)
{
    gcc_jit_block_add_assignment(g->block, at, to, from);
}

static KVal knum(Gen *g, gcc_jit_location *at)
{
    KVal v = {false, temp(g, g->t_i64, at), temp(g, g->t_int, at), NULL, temp(g, g->t_int, at),
              temp(g, g->t_int, at), temp(g, g->t_int, at), false, NULL};
    assign(g, v.pct, int_rv(g, 0), at);
    assign(g, v.unit, int_rv(g, 0), at);
    assign(g, v.mag, int_rv(g, 0), at);
    return v;
}

static KVal kbool(Gen *g, gcc_jit_location *at)
{
    KVal v = {true, NULL, NULL, temp(g, g->t_int, at), NULL, NULL, NULL, false, NULL};
    return v;
}

static KVal ktext(Gen *g, gcc_jit_location *at)
{
    KVal v = {false, NULL, NULL, NULL, NULL, NULL, NULL, true, temp(g, g->t_int, at)};
    return v;
}

static void kcopy(Gen *g, KVal to, KVal from, gcc_jit_location *at)
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
static void require(Gen *g, Kernel *k, gcc_jit_rvalue *cond, gcc_jit_location *at)
{
    gcc_jit_block *go = new_block(g, "ok");
    branch(g, cond, go, k->bail, at);
    g->block = go;
}

/* 10^e for 0 <= e <= 18, from the table. */
static gcc_jit_rvalue *pow10_of(Gen *g, gcc_jit_rvalue *e, gcc_jit_location *at)
{
    return rv(gcc_jit_context_new_array_access(g->ctx, at, rv(g->pow10), e));
}

static KVal kexpr(Gen *g, Kernel *k, const Expr *e, int d);

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

/* The decimal operations live in small functions generated once per
 * shared object, so each use is a call and a test: GCC compiles a rule
 * file's kernels in a fraction of the time inlining them all would take.
 *   int tk_add/tk_sub/tk_mul/tk_div(ac, as, bc, bs, &rc, &rs)  1, or 0: decline
 *   int tk_cmp(ac, as, bc, bs)                                 dec_cmp
 *   int tk_score(rc, rs, &sc, &ss)  0 <= r <= weight: 1 and the rounded score
 *                                   (the weight and places are arguments) */
enum { TK_ADD, TK_SUB, TK_MUL, TK_DIV, TK_CMP, TK_SCORE, TK_COUNT };

static KVal kparams(Gen *g, gcc_jit_param *c, gcc_jit_param *sc, gcc_jit_location *at)
{
    KVal v = knum(g, at);
    assign(g, v.coef, gcc_jit_param_as_rvalue(c), at);
    assign(g, v.scale, gcc_jit_param_as_rvalue(sc), at);
    return v;
}

static void gen_kernel_ops(Gen *g)
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

/* value_binary's units (builtins.c), where it raises no finding; otherwise
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
static bool may_branch(const Expr *e)
{
    if (!e)
        return false;
    switch (e->kind) {
    case E_LIT:
        return false;
    case E_NAME: {
        const Sym *s = e->u.name.sym;
        if (s->kind == SYM_LET)
            return may_branch(s->decl->u.let.value);
        return s->kind == SYM_INDICATOR || s->kind == SYM_METHOD;
    }
    case E_UNARY:
        return may_branch(e->u.unary.a);
    case E_BINARY:
        return may_branch(e->u.binary.a) || may_branch(e->u.binary.b);
    case E_CALL:
    case E_IF:
    case E_TIERS:
        return true;
    }
    return true;
}

/* Call visit(arg, sym) for each name e reads, in evaluation order, until
 * it returns false; false then. */
static bool each_name(const Expr *e, bool (*visit)(void *arg, const Sym *s), void *arg)
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
            if (!each_name(e->u.call.args[i], visit, arg))
                return false;
        return true;
    case E_UNARY:
        return each_name(e->u.unary.a, visit, arg);
    case E_BINARY:
        return each_name(e->u.binary.a, visit, arg) && each_name(e->u.binary.b, visit, arg);
    case E_IF:
        return each_name(e->u.cond.cond, visit, arg) && each_name(e->u.cond.then, visit, arg) &&
               each_name(e->u.cond.els, visit, arg);
    case E_TIERS:
        if (!each_name(e->u.tiers.subject, visit, arg))
            return false;
        for (int i = 0; i < e->u.tiers.ntiers; i++)
            if (!each_name(e->u.tiers.tiers[i].edge, visit, arg) || !each_name(e->u.tiers.tiers[i].score, visit, arg))
                return false;
        return each_name(e->u.tiers.els, visit, arg);
    }
    return false;
}

static bool not_let(void *arg, const Sym *s)
{
    (void)arg;
    return s->kind != SYM_LET;
}

/* Does e read a let? */
static bool reads_let(const Expr *e)
{
    return !each_name(e, not_let, NULL);
}

static bool context_word(void *arg, const Sym *s)
{
    (void)arg;
    return s->kind == SYM_CONTEXT;
}

/* Does e read nothing but context words (no input, let, parameter...)? */
static bool reads_context_only(const Expr *e)
{
    return each_name(e, context_word, NULL);
}

/* cols->f[index], for column `col` (an input, or ninputs + a let; f one
 * of COLF_coef ... COLF_let_steps): the column's base pointer, loaded
 * once, in the entry block. */
static gcc_jit_rvalue *col_base(Gen *g, Kernel *k, int col, int f)
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
static gcc_jit_lvalue *col_cell(Gen *g, Kernel *k, int col, int f, gcc_jit_location *at)
{
    return gcc_jit_context_new_array_access(g->ctx, at, col_base(g, k, col, f), k->row);
}

static gcc_jit_rvalue *col_at(Gen *g, Kernel *k, int col, int f, gcc_jit_location *at)
{
    return rv(col_cell(g, k, col, f, at));
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
         * undoes (score.c rescore_if_stopped). */
        int col = g->prog->ninputs + s->index;
        kcolumn(g, k, col, v, true, at);
        gcc_jit_block_add_assignment_op(
            g->block, at, g->step_sink, GCC_JIT_BINARY_OP_PLUS,
            gcc_jit_context_new_cast(g->ctx, at, col_at(g, k, col, COLF_let_steps, at), g->t_long));
        if (d + 1 + g->let_depth[s->index] > g->maxdepth)
            g->maxdepth = d + 1 + g->let_depth[s->index];
        return v;
    }
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
        abort(); /* kernel_ok() admits nothing else */
    }
}

static KVal kminmax(Gen *g, Kernel *k, const Expr *e, int argd, gcc_jit_location *at)
{
    bool is_min = e->u.call.sym->builtin->id == BI_MIN;
    int n = e->u.call.nargs;
    KVal args[16];
    for (int i = 0; i < n; i++)
        args[i] = kexpr(g, k, e->u.call.args[i], argd);
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
    KVal c = kexpr(g, k, e->u.cond.cond, d + 1);
    KVal r = e->type.kind == TY_BOOL ? kbool(g, at) : knum(g, at);
    gcc_jit_block *then_b = new_block(g, "then"), *else_b = new_block(g, "else"), *join = new_block(g, "if_done");
    branch(g, cmp(g, GCC_JIT_COMPARISON_NE, rv(c.b), int_rv(g, 0), at), then_b, else_b, at);
    g->block = then_b;
    set_branch(g, JIT_BRANCH_IF_THEN, at);
    kcopy(g, r, kexpr(g, k, e->u.cond.then, d + 1), at);
    jump(g, join, at);
    g->block = else_b;
    set_branch(g, JIT_BRANCH_IF_ELSE, at);
    kcopy(g, r, kexpr(g, k, e->u.cond.els, d + 1), at);
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
    KVal x = kexpr(g, k, e->u.tiers.subject, d + 1);
    KVal r = knum(g, at);
    gcc_jit_block *join = new_block(g, "tiers_done");
    for (int i = 0; i < e->u.tiers.ntiers; i++) {
        const Tier *t = &e->u.tiers.tiers[i];
        gcc_jit_location *tat = loc(g, t->span);
        KVal edge = kexpr(g, k, t->edge, d + 1);
        gcc_jit_block *hit = new_block(g, "tier_hit"), *next = new_block(g, "tier_next");
        branch(g, kcompare(g, t->op, kcmp(g, k, x, edge, tat), tat), hit, next, tat);
        g->block = hit;
        set_branch(g, i < 9 ? JIT_BRANCH_TIER1 + i : JIT_BRANCH_TIER10, tat);
        kcopy(g, r, kexpr(g, k, t->score, d + 1), tat);
        jump(g, join, tat);
        g->block = next;
    }
    set_branch(g, JIT_BRANCH_TIERS_ELSE, at);
    kcopy(g, r, kexpr(g, k, e->u.tiers.els, d + 1), at);
    jump(g, join, at);
    g->block = join;
    return r;
}

/* One node d levels below the root: one step, as in gen_expr. */
static KVal kexpr(Gen *g, Kernel *k, const Expr *e, int d)
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
        return kminmax(g, k, e, d + 1, at);
    case E_UNARY: {
        KVal a = kexpr(g, k, e->u.unary.a, d + 1);
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
        KVal a = kexpr(g, k, e->u.binary.a, d + 1);
        if (op == OP_AND || op == OP_OR) {
            /* the left operand decides when it can; else the right one is the result */
            KVal r = kbool(g, at);
            assign(g, r.b, rv(a.b), at);
            gcc_jit_block *right = new_block(g, "right"), *join = new_block(g, "logic_done");
            gcc_jit_rvalue *decided = cmp(g, GCC_JIT_COMPARISON_EQ, rv(a.b), int_rv(g, op == OP_OR), at);
            branch(g, decided, join, right, at);
            g->block = right;
            kcopy(g, r, kexpr(g, k, e->u.binary.b, d + 1), at);
            jump(g, join, at);
            g->block = join;
            return r;
        }
        KVal b = kexpr(g, k, e->u.binary.b, d + 1);
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

/* Batch kernels -------------------------------------------------------------
 *
 * A fixed indicator's typed kernel as a loop over the rows of a JitColumns:
 *
 *   void batch_N(const JitColumns *cols, JitRowResult *out)
 *       for each row: out[row] = value, target, raw score and score unboxed,
 *       the steps and the branch, ok = 1; or ok = 0 where the kernel
 *       declines (a missing or non-plain input or let, a division by zero, a
 *       score to clamp...): the scorer then scores that report's indicator
 *       as before.
 *   void batch_lets(const JitColumns *cols)
 *       the columns of the lets the batch kernels read, each a loop of its
 *       own, a let after the lets it reads.
 *
 * A let a batch kernel reads must be computable by a kernel with no
 * context words, and record no branch (evaluated apart from the indicator,
 * it could not record it where the interpreter does).  Results are pure
 * functions of the columns, so the memo of lets is left alone: an
 * indicator scored later by the interpreter evaluates a let again, which
 * costs steps and changes nothing else. */

static bool lets_batchable(Gen *g, const Expr *e);

static bool let_batchable(Gen *g, int i)
{
    if (g->let_batch[i])
        return g->let_batch[i] == 1;
    g->let_batch[i] = 3; /* the checker rules out cycles; be safe anyway */
    const Expr *v = g->prog->lets[i]->decl->u.let.value;
    int budget = KERNEL_MAX_NODES;
    bool ok = (v->type.kind == TY_NUM || v->type.kind == TY_BOOL) && !may_branch(v) &&
              kernel_expr_ok(v, KERNEL_UNITS | KERNEL_TEXT, &budget) && lets_batchable(g, v);
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
    return each_name(e, visit_batchable, g);
}

static bool batch_ok(Gen *g, int i)
{
    const Indicator *ind = &g->prog->indicators[i];
    const Decl *d = ind->decl;
    return g->typed && kernel_ok(ind, KERNEL_UNITS | KERNEL_TEXT) && lets_batchable(g, d->u.indicator.value) &&
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

/* The entry block, which col_base() filled, jumps to the code. */
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

static void gen_batch_fn(Gen *g, int i)
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
        k.value = parts[0] = kexpr(g, &k, v, 0);
        k.has_value = true;
    }
    if (t) {
        k.target = parts[1] = kexpr(g, &k, t, 0);
        k.has_target = true;
    }
    parts[2] = kexpr(g, &k, ind->score, 0);
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

static void gen_batch_let(Gen *g, Kernel *k, int i, unsigned char *done);

typedef struct LetsGen {
    Gen *g;
    Kernel *k;
    unsigned char *done;
} LetsGen;

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
    each_name(e, visit_gen, &lg);
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
    KVal r = kexpr(g, k, v, 0);
    g->let_depth[i] = g->maxdepth;
    flush(g, at);
    gcc_jit_type *t_i32 = gcc_jit_context_get_type(g->ctx, GCC_JIT_TYPE_INT32_T);
    gcc_jit_type *t_u8 = gcc_jit_context_get_type(g->ctx, GCC_JIT_TYPE_UINT8_T);
    gcc_jit_lvalue *tag = col_cell(g, k, col, COLF_let_tag, at);
    if (r.is_bool) {
        assign(g, tag, gcc_jit_context_new_cast(
                           g->ctx, at, arith(g, GCC_JIT_BINARY_OP_PLUS, g->t_int, int_rv(g, JIT_COL_FALSE), rv(r.b), at), t_u8), at);
    } else {
        assign(g, col_cell(g, k, col, COLF_let_coef, at), rv(r.coef), at);
        assign(g, col_cell(g, k, col, COLF_let_scale, at), gcc_jit_context_new_cast(g->ctx, at, rv(r.scale), t_i32), at);
        assign(g, col_cell(g, k, col, COLF_let_unit, at),
               gcc_jit_context_new_cast(g->ctx, at, rv(r.unit), gcc_jit_context_get_type(g->ctx, GCC_JIT_TYPE_UINT16_T)), at);
        assign(g, col_cell(g, k, col, COLF_let_mag, at),
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
    assign(g, col_cell(g, k, col, COLF_let_steps, at), gcc_jit_context_new_cast(g->ctx, at, rv(g->step_sink), t_i32), at);
    jump(g, l.next, at);
    g->pending = 0;
    g->block = k->bail;
    assign(g, col_cell(g, k, col, COLF_let_tag, at), gcc_jit_context_new_rvalue_from_int(g->ctx, t_u8, JIT_COL_OTHER), at);
    jump(g, l.next, at);
    g->block = l.done; /* the next let's loop, or the return */
}

/* A rows rule's method named alone, no parameters, whose body a kernel can
 * compute from the row's cells (the context words) alone: its body, or NULL. */
static const Expr *row_kernel_body(Gen *g, int r)
{
    const Expr *m = g->prog->rules[r].method;
    if (!g->typed || m->kind != E_NAME || m->u.name.sym->kind != SYM_METHOD)
        return NULL;
    const Decl *d = m->u.name.sym->decl;
    const Expr *body = d->u.method.body;
    int budget = KERNEL_MAX_NODES;
    unsigned avail = (1u << CTX_VALUE) | (1u << CTX_TARGET) | (1u << CTX_WEIGHT) | (1u << CTX_REPORTED) |
                     KERNEL_ANY_IS_NUM | KERNEL_UNITS;
    if (d->u.method.nparams != 0 || ktype(body, avail) != TY_NUM || !reads_context_only(body) ||
        !kernel_expr_ok(body, avail, &budget))
        return NULL;
    return body;
}

/*   void batch_rows_R(const JitColumns *cols, JitRowResult *out)
 * rows rule R's method over a batch of table rows: columns 0 .. CTX_COUNT - 1
 * are the rows' context words (actual, target, weight, reported); out[row]
 * gets the raw score (coef[2], scale[2], pct[2]), the steps and branch, ok. */
static void gen_row_batch_fn(Gen *g, int r)
{
    const RowRule *rule = &g->prog->rules[r];
    const Expr *body = row_kernel_body(g, r);
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
    KVal raw = kexpr(g, &k, body, 0);
    const KVal *results[] = {NULL, NULL, &raw, NULL};
    end_row_loop(g, &k, &l, out, results, at);
    g->batch_rows_loaded[r] = g->maxdepth < EVAL_MAX_NESTING;
    end_batch(g, &k);
}

static void gen_batch_lets(Gen *g)
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

/* The expression of part `part` of check i (interp.h CHECK_*), or NULL:
 * what eval_check_with() asks for. */
static const Expr *check_part(const Program *p, int i, int part)
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
static void gen_check_fn(Gen *g, int i, int part)
{
    const Expr *e = check_part(g->prog, i, part);
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

/* Types and declarations ------------------------------------------------------- */

static gcc_jit_field *field(Gen *g, gcc_jit_type *t, const char *name)
{
    return gcc_jit_context_new_field(g->ctx, NULL, t, name);
}

/* A field of a struct of abi.h: its name and its type as declared here. */
typedef struct AbiField {
    const char *name;
    JitAbiType type;
} AbiField;

#define ABI_FIELD(type, name, dims, abi) {#name, JIT_ABI_##abi},
static const AbiField ctx_fields[] = {JIT_CTX_FIELDS(ABI_FIELD)};
static const AbiField col_fields[] = {JIT_COLUMNS_FIELDS(ABI_FIELD)};
static const AbiField rr_fields[] = {JIT_ROW_RESULT_FIELDS(ABI_FIELD)};
static const AbiField rt_fields[] = {JIT_RUNTIME_FIELDS(ABI_FIELD)};
#undef ABI_FIELD

static gcc_jit_type *ptr_to(gcc_jit_type *t) { return gcc_jit_type_get_pointer(t); }

static gcc_jit_type *array4(Gen *g, enum gcc_jit_types t)
{
    return gcc_jit_context_new_array_type(g->ctx, NULL, gcc_jit_context_get_type(g->ctx, t), 4);
}

/* The libgccjit type of a JitAbiType.  The helpers' types take a JitCtx *:
 * only once g->t_ctx_p is made. */
static gcc_jit_type *abi_type(Gen *g, JitAbiType t)
{
    gcc_jit_context *ctx = g->ctx;
    gcc_jit_type *cv = g->t_cvalue_p, *v = g->t_value_p, *u32 = g->t_u32;
    switch (t) {
    case JIT_ABI_OPAQUE: return g->t_void_p;
    case JIT_ABI_VALUE_P: return v;
    case JIT_ABI_CVALUE_P: return cv;
    case JIT_ABI_UCHAR_P: return ptr_to(g->t_uchar);
    case JIT_ABI_LONG_P: return ptr_to(g->t_long);
    case JIT_ABI_CLONG_P: return ptr_to(gcc_jit_type_get_const(g->t_long));
    case JIT_ABI_BOOL_P: return ptr_to(g->t_bool);
    case JIT_ABI_CCHAR_PP: return ptr_to(g->t_cchar_p);
    case JIT_ABI_LONG: return g->t_long;
    case JIT_ABI_I64_PP: return ptr_to(ptr_to(g->t_i64));
    case JIT_ABI_I32_PP: return ptr_to(ptr_to(gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_INT32_T)));
    case JIT_ABI_U8_PP: return ptr_to(ptr_to(gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_UINT8_T)));
    case JIT_ABI_U16_PP: return ptr_to(ptr_to(gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_UINT16_T)));
    case JIT_ABI_I8_PP: return ptr_to(ptr_to(gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_INT8_T)));
    case JIT_ABI_U32_PP: return ptr_to(ptr_to(u32));
    case JIT_ABI_I64_4: return array4(g, GCC_JIT_TYPE_INT64_T);
    case JIT_ABI_I32_4: return array4(g, GCC_JIT_TYPE_INT32_T);
    case JIT_ABI_U8_4: return array4(g, GCC_JIT_TYPE_UINT8_T);
    case JIT_ABI_U16_4: return array4(g, GCC_JIT_TYPE_UINT16_T);
    case JIT_ABI_I8_4: return array4(g, GCC_JIT_TYPE_INT8_T);
    case JIT_ABI_I32: return gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_INT32_T);
    case JIT_ABI_I8: return gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_INT8_T);
    case JIT_ABI_U8: return gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_UINT8_T);
    case JIT_ABI_RT_BINARY: {
        gcc_jit_type *p[] = {g->t_ctx_p, g->t_int, cv, cv, v, u32, u32};
        return gcc_jit_context_new_function_ptr_type(ctx, NULL, g->t_void, 7, p, 0);
    }
    case JIT_ABI_RT_UNARY: {
        gcc_jit_type *p[] = {g->t_ctx_p, g->t_int, cv, v, u32, u32};
        return gcc_jit_context_new_function_ptr_type(ctx, NULL, g->t_void, 6, p, 0);
    }
    case JIT_ABI_RT_TRUTH: {
        gcc_jit_type *p[] = {g->t_ctx_p, cv, u32, u32};
        return gcc_jit_context_new_function_ptr_type(ctx, NULL, g->t_int, 4, p, 0);
    }
    case JIT_ABI_RT_BUILTIN: {
        gcc_jit_type *p[] = {g->t_ctx_p, g->t_int, cv, g->t_int, v, u32, u32};
        return gcc_jit_context_new_function_ptr_type(ctx, NULL, g->t_void, 7, p, 0);
    }
    case JIT_ABI_RT_INDICATOR: {
        gcc_jit_type *p[] = {g->t_ctx_p, g->t_int, g->t_int, g->t_int, v};
        return gcc_jit_context_new_function_ptr_type(ctx, NULL, g->t_void, 5, p, 0);
    }
    }
    abort();
}

/* struct `name` of the fields of an abi.h list, into out[]. */
static gcc_jit_struct *abi_struct(Gen *g, const char *name, const AbiField *f, int n, gcc_jit_field **out)
{
    for (int i = 0; i < n; i++)
        out[i] = field(g, abi_type(g, f[i].type), f[i].name);
    return gcc_jit_context_new_struct_type(g->ctx, NULL, name, n, out);
}

static void make_types(Gen *g)
{
    gcc_jit_context *ctx = g->ctx;
    g->t_void = gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_VOID);
    g->t_bool = gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_BOOL);
    g->t_int = gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_INT);
    g->t_long = gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_LONG);
    g->t_uchar = gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_UNSIGNED_CHAR);
    g->t_u32 = gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_UINT32_T);
    g->t_void_p = gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_VOID_PTR);
    g->t_cchar_p = gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_CONST_CHAR_PTR);

    g->t_i64 = gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_INT64_T);
    g->t_i128 = gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_INT128_T);
    /* struct TlDec { int64_t coef; int32_t scale; } */
    g->f_coef = field(g, g->t_i64, "coef");
    g->f_scale = field(g, gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_INT32_T), "scale");
    gcc_jit_field *dec_f[] = {g->f_coef, g->f_scale};
    gcc_jit_type *t_dec = gcc_jit_struct_as_type(gcc_jit_context_new_struct_type(ctx, NULL, "TlDec", 2, dec_f));
    /* union { TlDec num; bool b; const char *text; } */
    g->f_num = field(g, t_dec, "num");
    g->f_b = field(g, g->t_bool, "b");
    gcc_jit_field *u_f[] = {g->f_num, g->f_b, field(g, g->t_cchar_p, "text")};
    gcc_jit_type *t_u = gcc_jit_context_new_union_type(ctx, NULL, "TlValueU", 3, u_f);
    /* struct TlValue (value.h) */
    gcc_jit_type *t_u8 = gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_UINT8_T);
    g->f_kind = field(g, t_u8, "kind");
    g->f_numkind = field(g, t_u8, "numkind");
    g->f_qual = field(g, t_u8, "qual");
    g->f_flags = field(g, t_u8, "flags");
    g->f_unit = field(g, g->t_cchar_p, "unit");
    g->f_u = field(g, t_u, "u");
    g->f_mag = field(g, gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_INT8_T), "mag");
    gcc_jit_field *v_f[] = {g->f_kind, g->f_numkind, g->f_qual, g->f_flags, g->f_mag, g->f_unit, g->f_u};
    g->t_value = gcc_jit_struct_as_type(gcc_jit_context_new_struct_type(ctx, NULL, "TlValue", 7, v_f));
    g->t_value_p = gcc_jit_type_get_pointer(g->t_value);
    g->t_cvalue_p = gcc_jit_type_get_pointer(gcc_jit_type_get_const(g->t_value));
    gcc_jit_type *t_cvalue_p = g->t_cvalue_p;

    /* The structs of abi.h: JitCtx first (the helpers take a JitCtx *). */
    g->t_ctx_p = gcc_jit_type_get_pointer(gcc_jit_struct_as_type(
        abi_struct(g, "JitCtx", ctx_fields, CTXF_COUNT, g->f_ctx)));
    g->s_rt = abi_struct(g, "tally_rt", rt_fields, RT_COUNT, g->f_rt);
    g->rt = gcc_jit_context_new_global(ctx, NULL, GCC_JIT_GLOBAL_INTERNAL,
                                       gcc_jit_struct_as_type(g->s_rt), "tally_rt");
    g->t_cols_p = gcc_jit_type_get_pointer(gcc_jit_type_get_const(gcc_jit_struct_as_type(
        abi_struct(g, "JitColumns", col_fields, COLF_COUNT, g->f_cols))));
    g->t_rowres_p = gcc_jit_type_get_pointer(gcc_jit_struct_as_type(
        abi_struct(g, "JitRowResult", rr_fields, RRF_COUNT, g->f_rr)));

    /* 10^0 .. 10^18, for aligning decimals of different scales (dec.c) */
    int64_t p10[DEC_MAX_SCALE + 1];
    p10[0] = 1;
    for (int i = 1; i <= DEC_MAX_SCALE; i++)
        p10[i] = p10[i - 1] * 10;
    g->pow10 = gcc_jit_context_new_global(
        ctx, NULL, GCC_JIT_GLOBAL_INTERNAL,
        gcc_jit_context_new_array_type(ctx, NULL, g->t_i64, DEC_MAX_SCALE + 1), "tally_pow10");
    gcc_jit_global_set_initializer(g->pow10, p10, sizeof p10);

    /* The functions the loader looks up (rt.h JitIndicatorFn, ...). */
    gcc_jit_type *p_ind[] = {g->t_ctx_p, g->t_int, g->t_int, g->t_value_p, g->t_value_p};
    g->t_ind_fn = gcc_jit_context_new_function_ptr_type(ctx, NULL, g->t_value, 5, p_ind, 0);
    gcc_jit_type *p_row[] = {g->t_ctx_p, t_cvalue_p};
    g->t_row_fn = gcc_jit_context_new_function_ptr_type(ctx, NULL, g->t_value, 2, p_row, 0);
    gcc_jit_type *p_check[] = {g->t_ctx_p};
    g->t_check_fn = gcc_jit_context_new_function_ptr_type(ctx, NULL, g->t_value, 1, p_check, 0);
    gcc_jit_type *p_batch[] = {g->t_cols_p, g->t_rowres_p};
    g->t_batch_fn = gcc_jit_context_new_function_ptr_type(ctx, NULL, g->t_void, 2, p_batch, 0);
    g->t_batch_lets_fn = gcc_jit_context_new_function_ptr_type(ctx, NULL, g->t_void, 1, p_batch, 0);
}

static gcc_jit_function *declare(Gen *g, const char *prefix, int i, int nparams,
                                 gcc_jit_type **types, const char **names)
{
    gcc_jit_param *ps[5];
    for (int k = 0; k < nparams; k++)
        ps[k] = gcc_jit_context_new_param(g->ctx, NULL, types[k], names[k]);
    char name[48];
    snprintf(name, sizeof name, "%s_%d", prefix, i);
    return gcc_jit_context_new_function(g->ctx, NULL, GCC_JIT_FUNCTION_INTERNAL, g->t_value, name,
                                        nparams, ps, 0);
}

static void declare_functions(Gen *g)
{
    const Program *p = g->prog;
    gcc_jit_type *t_cvalue_p = g->t_cvalue_p;
    g->let_fn = xcalloc((size_t)p->nlets + 1, sizeof *g->let_fn);
    g->method_fn = xcalloc((size_t)p->nmethods + 1, sizeof *g->method_fn);
    g->ind_fn = xcalloc((size_t)p->nindicators + 1, sizeof *g->ind_fn);
    g->row_fn = xcalloc((size_t)p->nrules + 1, sizeof *g->row_fn);
    g->check_fn = xcalloc((size_t)p->nchecks * CHECK_PARTS + 1, sizeof *g->check_fn);
    g->let_batch = xcalloc((size_t)p->nlets + 1, 1);
    g->let_depth = xcalloc((size_t)p->nlets + 1, sizeof *g->let_depth);
    for (int i = 0; i < p->nchecks; i++)
        for (int part = 0; part < CHECK_PARTS; part++) {
            if (!check_part(p, i, part))
                continue;
            gcc_jit_param *cp = gcc_jit_context_new_param(g->ctx, NULL, g->t_ctx_p, "c");
            char name[48];
            snprintf(name, sizeof name, "check_%d_%d", i, part);
            g->check_fn[i * CHECK_PARTS + part] = gcc_jit_context_new_function(
                g->ctx, NULL, GCC_JIT_FUNCTION_INTERNAL, g->t_value, name, 1, &cp, 0);
        }
    gcc_jit_type *let_t[] = {g->t_ctx_p, g->t_int, g->t_int};
    const char *let_n[] = {"c", "nest", "depth"};
    for (int i = 0; i < p->nlets; i++)
        g->let_fn[i] = declare(g, "let", i, 3, let_t, let_n);
    gcc_jit_type *m_t[] = {g->t_ctx_p, g->t_int, g->t_int, t_cvalue_p, t_cvalue_p};
    const char *m_n[] = {"c", "nest", "depth", "ctx", "params"};
    for (int i = 0; i < p->nmethods; i++)
        g->method_fn[i] = declare(g, "method", i, 5, m_t, m_n);
    gcc_jit_type *ind_t[] = {g->t_ctx_p, g->t_int, g->t_int, g->t_value_p, g->t_value_p};
    const char *ind_n[] = {"c", "nest", "depth", "value", "target"};
    g->batch_fn = xcalloc((size_t)p->nindicators + 1, sizeof *g->batch_fn);
    g->batch_loaded = xcalloc((size_t)p->nindicators + 1, sizeof *g->batch_loaded);
    /* An indicator whose batch kernel takes it with plain numbers alone (no
     * unit, no text) gets no indicator_N: where the kernel declines (a
     * missing or non-plain value, a division by zero, a score to clamp),
     * jit_eval_indicator asks the interpreter, which halves the code GCC
     * compiles for such rule files. */
    for (int i = 0; i < p->nindicators; i++)
        if (!(batch_ok(g, i) && kernel_ok(&p->indicators[i], 0)))
            g->ind_fn[i] = declare(g, "indicator", i, 5, ind_t, ind_n);
    gcc_jit_type *row_t[] = {g->t_ctx_p, t_cvalue_p};
    const char *row_n[] = {"c", "ctx"};
    for (int i = 0; i < p->nrules; i++)
        g->row_fn[i] = declare(g, "rows", i, 2, row_t, row_n);
    bool lets_read = false;
    for (int i = 0; i < p->nindicators; i++) {
        if (!batch_ok(g, i))
            continue;
        gcc_jit_param *ps[] = {gcc_jit_context_new_param(g->ctx, NULL, g->t_cols_p, "cols"),
                               gcc_jit_context_new_param(g->ctx, NULL, g->t_rowres_p, "out")};
        char name[48];
        snprintf(name, sizeof name, "batch_%d", i);
        g->batch_fn[i] = gcc_jit_context_new_function(g->ctx, NULL, GCC_JIT_FUNCTION_INTERNAL, g->t_void,
                                                      name, 2, ps, 0);
        const Indicator *ind = &p->indicators[i];
        lets_read |= reads_let(ind->decl->u.indicator.value) || reads_let(ind->decl->u.indicator.target) ||
                     reads_let(ind->score);
    }
    g->batch_rows_fn = xcalloc((size_t)p->nrules + 1, sizeof *g->batch_rows_fn);
    g->batch_rows_loaded = xcalloc((size_t)p->nrules + 1, sizeof *g->batch_rows_loaded);
    for (int r = 0; r < p->nrules; r++) {
        if (!row_kernel_body(g, r))
            continue;
        gcc_jit_param *ps[] = {gcc_jit_context_new_param(g->ctx, NULL, g->t_cols_p, "cols"),
                               gcc_jit_context_new_param(g->ctx, NULL, g->t_rowres_p, "out")};
        char name[48];
        snprintf(name, sizeof name, "batch_rows_%d", r);
        g->batch_rows_fn[r] = gcc_jit_context_new_function(g->ctx, NULL, GCC_JIT_FUNCTION_INTERNAL, g->t_void,
                                                           name, 2, ps, 0);
    }
    if (lets_read) {
        gcc_jit_param *cp = gcc_jit_context_new_param(g->ctx, NULL, g->t_cols_p, "cols");
        g->batch_lets_fn = gcc_jit_context_new_function(g->ctx, NULL, GCC_JIT_FUNCTION_INTERNAL, g->t_void,
                                                        "batch_lets", 1, &cp, 0);
    }
}

/* In tally_jit_init: table[i] = fn, when there is such a function. */
static void hand_out(Gen *g, gcc_jit_block *b, gcc_jit_param *table, int i, gcc_jit_function *fn)
{
    if (fn)
        gcc_jit_block_add_assignment(
            b, NULL, gcc_jit_context_new_array_access(g->ctx, NULL, gcc_jit_param_as_rvalue(table), int_rv(g, i)),
            gcc_jit_function_get_address(fn, NULL));
}

/* void tally_jit_init(const struct tally_rt *rt, indicator_fn *ind, rows_fn *rows,
 *                     check_fn *checks, batch_fn *batch, batch_lets_fn *batch_lets,
 *                     batch_fn *batch_rows):
 * install the helpers, hand out the entry points (an entry stays as the
 * caller set it, NULL, where there is no such function). */
static void gen_init(Gen *g)
{
    const Program *p = g->prog;
    gcc_jit_param *ps[] = {
        gcc_jit_context_new_param(g->ctx, NULL,
                                  gcc_jit_type_get_pointer(gcc_jit_type_get_const(gcc_jit_struct_as_type(g->s_rt))),
                                  "rt"),
        gcc_jit_context_new_param(g->ctx, NULL, gcc_jit_type_get_pointer(g->t_ind_fn), "ind"),
        gcc_jit_context_new_param(g->ctx, NULL, gcc_jit_type_get_pointer(g->t_row_fn), "rows"),
        gcc_jit_context_new_param(g->ctx, NULL, gcc_jit_type_get_pointer(g->t_check_fn), "checks"),
        gcc_jit_context_new_param(g->ctx, NULL, gcc_jit_type_get_pointer(g->t_batch_fn), "batch"),
        gcc_jit_context_new_param(g->ctx, NULL, gcc_jit_type_get_pointer(g->t_batch_lets_fn), "batch_lets"),
        gcc_jit_context_new_param(g->ctx, NULL, gcc_jit_type_get_pointer(g->t_batch_fn), "batch_rows")};
    gcc_jit_function *fn = gcc_jit_context_new_function(g->ctx, NULL, GCC_JIT_FUNCTION_EXPORTED,
                                                        g->t_void, "tally_jit_init", 7, ps, 0);
    gcc_jit_block *b = gcc_jit_function_new_block(fn, "init");
    gcc_jit_block_add_assignment(b, NULL, g->rt,
                                 gcc_jit_lvalue_as_rvalue(gcc_jit_rvalue_dereference(gcc_jit_param_as_rvalue(ps[0]), NULL)));
    for (int i = 0; i < p->nindicators; i++)
        hand_out(g, b, ps[1], i, g->ind_fn[i]);
    for (int i = 0; i < p->nrules; i++)
        hand_out(g, b, ps[2], i, g->row_fn[i]);
    for (int i = 0; i < p->nchecks * CHECK_PARTS; i++)
        hand_out(g, b, ps[3], i, g->check_fn[i]);
    for (int i = 0; i < p->nindicators; i++)
        hand_out(g, b, ps[4], i, g->batch_loaded[i] ? g->batch_fn[i] : NULL);
    if (g->batch_lets_fn)
        gcc_jit_block_add_assignment(b, NULL, gcc_jit_rvalue_dereference(gcc_jit_param_as_rvalue(ps[5]), NULL),
                                     gcc_jit_function_get_address(g->batch_lets_fn, NULL));
    for (int r = 0; r < p->nrules; r++)
        hand_out(g, b, ps[6], r, g->batch_rows_loaded[r] ? g->batch_rows_fn[r] : NULL);
    gcc_jit_block_end_with_void_return(b, NULL);
}

/* const char tally_jit_key[]: checked by the loader before anything runs. */
static void gen_key(Gen *g, const char *key)
{
    size_t n = strlen(key) + 1;
    gcc_jit_type *t = gcc_jit_context_new_array_type(g->ctx, NULL, gcc_jit_context_get_type(g->ctx, GCC_JIT_TYPE_CHAR),
                                                     (int)n);
    gcc_jit_lvalue *gl = gcc_jit_context_new_global(g->ctx, NULL, GCC_JIT_GLOBAL_EXPORTED, t,
                                                    "tally_jit_key");
    gcc_jit_global_set_initializer(gl, key, n);
}

bool jit_generate(const JitGenRequest *rq, char *err, size_t errn)
{
    if (!gccjit_load(&gccjit, err, errn))
        return false;
    snprintf(gcc_version, sizeof gcc_version, "%d.%d.%d", gcc_jit_version_major(),
             gcc_jit_version_minor(), gcc_jit_version_patchlevel());
    Gen g;
    memset(&g, 0, sizeof g);
    g.prog = rq->prog;
    g.filename = rq->prog->src.name;
    g.ctx = gcc_jit_context_acquire();
    if (!g.ctx) {
        snprintf(err, errn, "libgccjit: cannot create a context");
        return false;
    }
    gcc_jit_context_set_bool_print_errors_to_stderr(g.ctx, 0);
    gcc_jit_context_set_int_option(g.ctx, GCC_JIT_INT_OPTION_OPTIMIZATION_LEVEL, rq->opt_level);
    gcc_jit_context_set_bool_allow_unreachable_blocks(g.ctx, 1);
    /* No floating point is generated, but keep contraction off so a future
     * typed path can never differ from the interpreter. */
    gcc_jit_context_add_command_line_option(g.ctx, "-ffp-contract=off");
    if (rq->native) {
        /* -march=native, spelled out: one option per extension */
        char buf[512];
        snprintf(buf, sizeof buf, "%s", jit_gen_native_flags());
        for (char *save = NULL, *f = strtok_r(buf, " ", &save); f; f = strtok_r(NULL, " ", &save))
            gcc_jit_context_add_command_line_option(g.ctx, f);
    }
    if (rq->dump_path)
        gcc_jit_context_set_bool_option(g.ctx, GCC_JIT_BOOL_OPTION_DEBUGINFO, 1);
    g.typed = rq->typed;
    jit_consts_build(rq->prog, true, &g.consts);
    jit_units_build(rq->prog, &g.consts, &g.units);
    jit_texts_build(&g.consts, &g.texts);
    index_lines(&g);
    make_types(&g);
    declare_functions(&g);
    if (g.typed)
        gen_fast_functions(&g);
    for (int i = 0; i < rq->prog->nlets; i++)
        gen_let_fn(&g, i);
    for (int i = 0; i < rq->prog->nmethods; i++)
        gen_method_fn(&g, i);
    for (int i = 0; i < rq->prog->nindicators; i++)
        if (g.ind_fn[i])
            gen_indicator_fn(&g, i);
    for (int i = 0; i < rq->prog->nrules; i++)
        gen_row_fn(&g, i);
    for (int i = 0; i < rq->prog->nchecks * CHECK_PARTS; i++)
        if (g.check_fn[i])
            gen_check_fn(&g, i / CHECK_PARTS, i % CHECK_PARTS);
    if (g.typed)
        gen_kernel_ops(&g);
    if (g.batch_lets_fn)
        gen_batch_lets(&g); /* first: the batch kernels need the lets' depths */
    for (int i = 0; i < rq->prog->nindicators; i++)
        if (g.batch_fn[i])
            gen_batch_fn(&g, i);
    for (int r = 0; r < rq->prog->nrules; r++)
        if (g.batch_rows_fn[r])
            gen_row_batch_fn(&g, r);
    gen_init(&g);
    gen_key(&g, rq->key);
    if (rq->dump_path)
        gcc_jit_context_dump_to_file(g.ctx, rq->dump_path, 0);
    bool ok = true;
    const char *first = gcc_jit_context_get_first_error(g.ctx);
    if (!first) {
        gcc_jit_context_compile_to_file(g.ctx, GCC_JIT_OUTPUT_KIND_DYNAMIC_LIBRARY, rq->so_path);
        first = gcc_jit_context_get_first_error(g.ctx);
    }
    if (first) {
        snprintf(err, errn, "libgccjit: %s", first);
        ok = false;
    }
    gcc_jit_context_release(g.ctx);
    jit_consts_free(&g.consts);
    jit_names_free(&g.units);
    jit_names_free(&g.texts);
    free(g.line_start);
    free(g.let_fn);
    free(g.method_fn);
    free(g.ind_fn);
    free(g.row_fn);
    free(g.check_fn);
    free(g.batch_fn);
    free(g.batch_loaded);
    free(g.let_batch);
    free(g.let_depth);
    free(g.batch_rows_fn);
    free(g.batch_rows_loaded);
    return ok;
}

#else /* !TALLY_HAVE_GCCJIT */

#include <stdio.h>

bool jit_gen_available(void)
{
    return false;
}

const char *jit_gen_gcc_version(void)
{
    return "";
}

const char *jit_gen_native_flags(void)
{
    return "";
}

bool jit_generate(const JitGenRequest *rq, char *err, size_t errn)
{
    (void)rq;
    snprintf(err, errn, "this build of tally has no JIT (libgccjit.h was not found)");
    return false;
}

#endif
