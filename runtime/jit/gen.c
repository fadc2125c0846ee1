/* gen.c - the code generator's recipe: a checked program to a shared
 * object, with libgccjit, in the compiling child (child.c).
 *
 * The shape is the libgccjit tutorial's: one compiler state (Gen), every
 * type created once (the structs compiled code shares with C from their
 * lists in abi.h), every function declared before any body is generated,
 * the blocks of a construct created first and filled second, a source
 * location (the rule file's line and column) on every statement, and
 * gcc_jit_context_get_first_error checked after compiling.  The bodies come
 * from the sections (gen_state.h): boxed code (gen_boxed.c), typed kernels
 * (gen_typed.c), batch kernels (gen_batch.c).
 *
 * Generates, besides the sections' functions, the object's two exports:
 *
 *   void tally_jit_init(const struct tally_rt *rt, indicator_fn *ind,
 *                       rows_fn *rows, check_fn *checks, batch_fn *batch,
 *                       batch_lets_fn *batch_lets, batch_fn *batch_rows)
 *       installs the helpers and hands out the entry points the loader
 *       looks up (load.c), NULL where there is no such function;
 *   const char tally_jit_key[]
 *       what the object was compiled for, checked before anything runs.
 */
#include "gen.h"

#if TALLY_HAVE_GCCJIT

#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "gen_build.h"

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

/* Where each line of the rule file starts, for loc(). */
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

/* A struct field. */
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

/* t *. */
static gcc_jit_type *ptr_to(gcc_jit_type *t) { return gcc_jit_type_get_pointer(t); }

/* t[4]. */
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

/* Every type, once: TlValue and TlDec as value.h and dec.h declare them,
 * the structs of abi.h from their lists, the functions' pointer types. */
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

/* TlValue PREFIX_i(...), internal. */
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

/* Every function the program gets, declared before any body: which ones
 * each indicator, rows rule and check gets is decided here. */
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
            if (!gen_check_part(p, i, part))
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
        if (!(gen_batch_ok(g, i) && gen_kernel_ok(&p->indicators[i], 0)))
            g->ind_fn[i] = declare(g, "indicator", i, 5, ind_t, ind_n);
    gcc_jit_type *row_t[] = {g->t_ctx_p, t_cvalue_p};
    const char *row_n[] = {"c", "ctx"};
    for (int i = 0; i < p->nrules; i++)
        g->row_fn[i] = declare(g, "rows", i, 2, row_t, row_n);
    bool lets_read = false;
    for (int i = 0; i < p->nindicators; i++) {
        if (!gen_batch_ok(g, i))
            continue;
        gcc_jit_param *ps[] = {gcc_jit_context_new_param(g->ctx, NULL, g->t_cols_p, "cols"),
                               gcc_jit_context_new_param(g->ctx, NULL, g->t_rowres_p, "out")};
        char name[48];
        snprintf(name, sizeof name, "batch_%d", i);
        g->batch_fn[i] = gcc_jit_context_new_function(g->ctx, NULL, GCC_JIT_FUNCTION_INTERNAL, g->t_void,
                                                      name, 2, ps, 0);
        const Indicator *ind = &p->indicators[i];
        lets_read |= gen_reads_let(ind->decl->u.indicator.value) || gen_reads_let(ind->decl->u.indicator.target) ||
                     gen_reads_let(ind->score);
    }
    g->batch_rows_fn = xcalloc((size_t)p->nrules + 1, sizeof *g->batch_rows_fn);
    g->batch_rows_loaded = xcalloc((size_t)p->nrules + 1, sizeof *g->batch_rows_loaded);
    for (int r = 0; r < p->nrules; r++) {
        if (!gen_row_kernel_body(g, r))
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
