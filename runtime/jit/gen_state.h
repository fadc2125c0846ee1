/* gen_state.h - the code generator's state and sections (internal to
 * runtime/jit/).
 *
 * One compiler state (Gen) for the whole program, as in the libgccjit
 * tutorial; the generator is split along its own sections, each file
 * opening with the contract of what it generates:
 *   gen.c        the recipe: types (the structs of abi.h), every function
 *                declared before any body, the bodies, tally_jit_init and
 *                tally_jit_key, the compile;
 *   gen_build.h  the small builders every section uses;
 *   gen_boxed.c  boxed code: lets, methods, indicators, rows rules and
 *                checks over TlValue, mirroring interp.c node for node;
 *   gen_typed.c  typed kernels: an expression over unboxed decimals read
 *                from columns, declining where value_binary would not take
 *                its plain case;
 *   gen_batch.c  batch kernels: typed kernels as loops over the rows of a
 *                JitColumns.
 */
#ifndef TALLY_JIT_GEN_STATE_H
#define TALLY_JIT_GEN_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include <libgccjit.h>

#include "gccjit.h"
#include "gen.h"
#include "rt.h"

/* Fields of the structs compiled code shares with C, in the order of their
 * lists (abi.h): CTXF_inputs is JitCtx.inputs, and so on. */
#define CTX_FIELD(type, name, dims, abi) CTXF_##name,
#define COL_FIELD(type, name, dims, abi) COLF_##name,
#define RR_FIELD(type, name, dims, abi) RRF_##name,
#define RUNTIME_FIELD(type, name, dims, abi) RT_##name,
enum { JIT_CTX_FIELDS(CTX_FIELD) CTXF_COUNT };
enum { JIT_COLUMNS_FIELDS(COL_FIELD) COLF_COUNT };
enum { JIT_ROW_RESULT_FIELDS(RR_FIELD) RRF_COUNT };
enum { JIT_RUNTIME_FIELDS(RUNTIME_FIELD) RT_COUNT };
#undef CTX_FIELD
#undef COL_FIELD
#undef RR_FIELD
#undef RUNTIME_FIELD

#define MAX_CALL_DEPTH 64 /* interp.c */

/* The decimal operations live in small functions generated once per
 * shared object, so each use is a call and a test: GCC compiles a rule
 * file's kernels in a fraction of the time inlining them all would take.
 *   int tk_add/tk_sub/tk_mul/tk_div(ac, as, bc, bs, &rc, &rs)  1, or 0: decline
 *   int tk_cmp(ac, as, bc, bs)                                 dec_cmp
 *   int tk_score(rc, rs, &sc, &ss)  0 <= r <= weight: 1 and the rounded score
 *                                   (the weight and places are arguments) */
enum { TK_ADD, TK_SUB, TK_MUL, TK_DIV, TK_CMP, TK_SCORE, TK_COUNT };

typedef struct Gen {
    gcc_jit_context *ctx;
    const Program *prog;
    JitConsts consts;
    JitNames units;          /* consts.h: the ids of quantities' units */
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
    /* The columns (abi.h JitColumns), the row, and the entry block
     * where each column's base pointer is loaded once. */
    bool rows;                  /* a rows rule's: the context words are columns 0 .. CTX_COUNT - 1 */
    gcc_jit_rvalue *cols, *row;
    gcc_jit_block *entry, *start;
    gcc_jit_lvalue **colp;      /* [(input or ninputs + let) * COL_ARRAYS + array] */
    bool has_value, has_target;
    KVal value, target;
    int ind;
    /* a rows rule's scoring built-in (jit_row_scoring_call): 1 where the
     * score is weight x rate (JitRowResult.scaled), and those two */
    gcc_jit_lvalue *scaled;
    KVal scaled_weight, scaled_rate;
    /* a rows rule's score_qual: the finding the host raises (JitRowResult.raise) */
    gcc_jit_lvalue *raise;
    /* inside a method's body inlined at a call (gen_typed.c kmethod): its
     * arguments' values, the parameters */
    const KVal *params;
} Kernel;

#define KERNEL_MAX_NODES 2000

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

/* In `avail`: inside the body of a method called with arguments, inlined
 * (gen_typed.c kmethod): its parameters are numbers, and nothing but them,
 * context words and literals is read (no input or let, whose columns the
 * batch kernels gather from the call sites only), no method called. */
#define KERNEL_IN_METHOD (1u << 28)
#define KERNEL_METHOD_MAX_PARAMS 8

/* e's type as the kernel sees it. */
static inline TypeKind ktype(const Expr *e, unsigned avail)
{
    return e->type.kind == TY_ANY && (avail & KERNEL_ANY_IS_NUM) ? TY_NUM : e->type.kind;
}

/* Boxed code (gen_boxed.c) ------------------------------------------------------ */

/* The address of e's value, d levels below the function's root. */
gcc_jit_rvalue *gen_expr(Gen *g, const Expr *e, int d);
/* tl_fast_cmp, tl_fast_addsub, tl_fast_mul: the typed fast path. */
void gen_fast_functions(Gen *g);
void gen_let_fn(Gen *g, int i);
void gen_method_fn(Gen *g, int i);
void gen_indicator_fn(Gen *g, int i);
void gen_row_fn(Gen *g, int r);
/* The expression of part `part` of check i (interp.h CHECK_*), or NULL:
 * what eval_check_with() asks for. */
const Expr *gen_check_part(const Program *p, int i, int part);
void gen_check_fn(Gen *g, int i, int part);

/* Typed kernels (gen_typed.c) ---------------------------------------------------- */

/* Can a kernel compute e?  `avail` has bit CTX_WEIGHT / CTX_VALUE /
 * CTX_TARGET / CTX_REPORTED set where those words are known (none in a
 * let), and maybe KERNEL_ANY_IS_NUM, KERNEL_UNITS, KERNEL_TEXT; *budget
 * bounds the code generated. */
bool gen_kernel_expr_ok(const Expr *e, unsigned avail, int *budget);
/* Can a kernel compute fixed indicator ind (`units`: KERNEL_UNITS or 0)? */
bool gen_kernel_ok(const Indicator *ind, unsigned units);
/* One node d levels below the root, as a kernel computes it. */
KVal gen_kexpr(Gen *g, Kernel *k, const Expr *e, int d);
/* tk_add ... tk_score: the kernels' decimal operations. */
void gen_kernel_ops(Gen *g);
/* Could evaluating e record a branch (if, tiers, a built-in, a method, an
 * indicator, or a let that could)? */
bool gen_may_branch(const Expr *e);
/* Call visit on every name e reads (not through lets); false as soon as
 * visit says false. */
bool gen_each_name(const Expr *e, bool (*visit)(void *arg, const Sym *s), void *arg);
/* Does e read a let? */
bool gen_reads_let(const Expr *e);
/* Does e read nothing but the context words? */
bool gen_reads_context_only(const Expr *e);
/* Column `col`'s array f (a COLF_* field) in a kernel: its base pointer,
 * loaded once in the entry block; and this row's cell of it. */
gcc_jit_rvalue *gen_col_base(Gen *g, Kernel *k, int col, int f);
gcc_jit_lvalue *gen_col_cell(Gen *g, Kernel *k, int col, int f, gcc_jit_location *at);

/* Batch kernels (gen_batch.c) ---------------------------------------------------- */

/* Does fixed indicator i get a batch kernel? */
bool gen_batch_ok(Gen *g, int i);
/* A rows rule's method named alone, no parameters, whose body a kernel can
 * compute from the row's cells (the context words) alone: its body, or NULL. */
const Expr *gen_row_kernel_body(Gen *g, int r);
void gen_batch_fn(Gen *g, int i);
void gen_batch_lets(Gen *g);
void gen_row_batch_fn(Gen *g, int r);

#endif
