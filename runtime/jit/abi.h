/* abi.h - the structs compiled code shares with C, each written once.
 *
 * Compiled code reads and writes four structs of the host: the context of
 * a report being scored (JitCtx), the columns of a batch (JitColumns), a
 * batch kernel's result for one report (JitRowResult) and the table of the
 * helpers it calls (JitRuntime).  The code generator (gen.c) declares each
 * of them again with libgccjit, field for field.  So each is written here
 * once, as a list X(type, name, dims, abi): rt.h expands the list into the
 * C struct, the generator into its field table (gen_state.h), and rt.c
 * checks every field's size against the type the generator gives it - the
 * two declarations cannot drift apart.  `dims` is empty or an array's [N];
 * `abi` names the type as the generator declares it (JitAbiType).
 * Change a list, and bump JIT_ABI_VERSION (rt.h): old cache entries must
 * never be loaded.
 */
#ifndef TALLY_JIT_ABI_H
#define TALLY_JIT_ABI_H

#include <stdbool.h>
#include <stdint.h>

#include "lang/interp.h"

typedef struct JitCtx JitCtx;
typedef struct JitProgram JitProgram;

/* What compiled code sees of a report being scored: pointers into the
 * interpreter's EvalState (jit_ctx_init). */
#define JIT_CTX_FIELDS(X)                                                                            \
    X(EvalState *, st, , OPAQUE)                /* opaque to compiled code */                         \
    X(const JitProgram *, jp, , OPAQUE)         /* opaque to compiled code */                         \
    X(TlValue *, inputs, , VALUE_P)             /* st->inputs */                                      \
    X(TlValue *, lets, , VALUE_P)               /* st->lets: memo */                                  \
    X(unsigned char *, let_state, , UCHAR_P)    /* st->let_state: 0 not yet, 1 evaluating, 2 done */  \
    X(TlValue *, scores, , VALUE_P)             /* st->scores: memo */                                \
    X(unsigned char *, score_state, , UCHAR_P)  /* st->score_state */                                 \
    X(TlValue *, subtotals, , VALUE_P)          /* st->subtotals */                                   \
    X(const TlValue *, consts, , CVALUE_P)      /* the program's constant table */                    \
    X(const TlValue *, none, , CVALUE_P)        /* missing values: a method named alone, a let */     \
    X(long *, steps, , LONG_P)                  /* &st->steps */                                      \
    X(bool *, stopped, , BOOL_P)                /* &st->stopped: set where the interpreter stops */   \
    X(const char **, branch, , CCHAR_PP)        /* &st->env.branch */                                 \
    X(const char *const *, branch_names, , CCHAR_PP) /* jit_branch_names */                           \
    X(const long *, max_steps, , CLONG_P)       /* &st->max_steps */

/* A batch of reports in columns (runtime/score/columns.c builds them): per
 * input, [input][row]; per let, the same, which batch_lets fills. */
#define JIT_COLUMNS_FIELDS(X)                                                                        \
    X(long, n, , LONG)                  /* rows: reports of the batch */                              \
    X(int64_t **, coef, , I64_PP)       /* [input][row] */                                            \
    X(int32_t **, scale, , I32_PP)                                                                    \
    X(uint8_t **, tag, , U8_PP)         /* JIT_COL_* */                                               \
    X(int64_t **, let_coef, , I64_PP)   /* [let][row], written by batch_lets */                       \
    X(int32_t **, let_scale, , I32_PP)                                                                \
    X(uint8_t **, let_tag, , U8_PP)     /* JIT_COL_OTHER: the let's kernel declined this row */       \
    X(int32_t **, let_steps, , I32_PP)  /* the interpreter's steps for the let's body */              \
    X(uint16_t **, unit, , U16_PP)      /* [input][row]: quantities' unit ids, 0 otherwise */         \
    X(int8_t **, mag, , I8_PP)                                                                        \
    X(uint16_t **, let_unit, , U16_PP)                                                                \
    X(int8_t **, let_mag, , I8_PP)                                                                    \
    X(uint32_t **, text, , U32_PP)      /* [input][row]: text ids, 0 otherwise */

/* What a batch kernel computes for one report (or one table row). */
#define JIT_ROW_RESULT_FIELDS(X)                                                                     \
    X(int64_t, coef, [4], I64_4)        /* value, target, raw score, score */                         \
    X(int32_t, scale, [4], I32_4)                                                                     \
    X(int32_t, steps, , I32)            /* at least the interpreter's (lets counted at every read) */ \
    X(uint8_t, pct, [4], U8_4)          /* value, target, raw: a percentage */                        \
    X(int8_t, branch, , I8)             /* the last branch recorded (JIT_BRANCH_*), -1: none */       \
    X(uint8_t, ok, , U8)                /* 0: the kernel declined this row */                         \
    X(uint8_t, scaled, , U8)            /* a scoring built-in's weight x rate: [0] weight, [3] rate */ \
    X(uint8_t, raise, , U8)             /* a finding the host raises for the row: JIT_RAISE_* */        \
    X(uint16_t, unit, [4], U16_4)       /* value, target, raw: a quantity's unit id, or 0 */          \
    X(int8_t, mag, [4], I8_4)

/* The helpers compiled code calls (rt.c jit_rt_*): values go in and out by
 * address, a span is the rule text that raises a finding. */
typedef void JitRtBinaryFn(JitCtx *c, int op, const TlValue *a, const TlValue *b, TlValue *out,
                           uint32_t start, uint32_t end);
typedef void JitRtUnaryFn(JitCtx *c, int op, const TlValue *a, TlValue *out, uint32_t start,
                          uint32_t end);
typedef int JitRtTruthFn(JitCtx *c, const TlValue *v, uint32_t start, uint32_t end);
typedef void JitRtBuiltinFn(JitCtx *c, int index, const TlValue *args, int nargs, TlValue *out,
                            uint32_t start, uint32_t end);
typedef void JitRtIndicatorFn(JitCtx *c, int i, int nest, int depth, TlValue *out);

#define JIT_RUNTIME_FIELDS(X)                                                                        \
    X(JitRtBinaryFn *, binary, , RT_BINARY)       /* value_binary */                                  \
    X(JitRtUnaryFn *, unary, , RT_UNARY)          /* value_unary */                                   \
    X(JitRtTruthFn *, truth, , RT_TRUTH)          /* value_truth */                                   \
    X(JitRtBuiltinFn *, builtin, , RT_BUILTIN)    /* builtin_apply */                                 \
    X(JitRtIndicatorFn *, indicator, , RT_INDICATOR) /* an indicator's score, by name */

/* A field list expanded into struct members. */
#define JIT_ABI_MEMBER(type, name, dims, abi) type name dims;

/* The types the generator gives fields, and the C type of each (for the
 * size checks in rt.c). */
typedef enum JitAbiType {
    JIT_ABI_OPAQUE, JIT_ABI_VALUE_P, JIT_ABI_CVALUE_P, JIT_ABI_UCHAR_P, JIT_ABI_LONG_P,
    JIT_ABI_CLONG_P, JIT_ABI_BOOL_P, JIT_ABI_CCHAR_PP, JIT_ABI_LONG,
    JIT_ABI_I64_PP, JIT_ABI_I32_PP, JIT_ABI_U8_PP, JIT_ABI_U16_PP, JIT_ABI_I8_PP, JIT_ABI_U32_PP,
    JIT_ABI_I64_4, JIT_ABI_I32_4, JIT_ABI_U8_4, JIT_ABI_U16_4, JIT_ABI_I8_4,
    JIT_ABI_I32, JIT_ABI_I8, JIT_ABI_U8,
    JIT_ABI_RT_BINARY, JIT_ABI_RT_UNARY, JIT_ABI_RT_TRUTH, JIT_ABI_RT_BUILTIN, JIT_ABI_RT_INDICATOR,
} JitAbiType;

#define JIT_ABI_C_OPAQUE void *
#define JIT_ABI_C_VALUE_P TlValue *
#define JIT_ABI_C_CVALUE_P const TlValue *
#define JIT_ABI_C_UCHAR_P unsigned char *
#define JIT_ABI_C_LONG_P long *
#define JIT_ABI_C_CLONG_P const long *
#define JIT_ABI_C_BOOL_P bool *
#define JIT_ABI_C_CCHAR_PP const char **
#define JIT_ABI_C_LONG long
#define JIT_ABI_C_I64_PP int64_t **
#define JIT_ABI_C_I32_PP int32_t **
#define JIT_ABI_C_U8_PP uint8_t **
#define JIT_ABI_C_U16_PP uint16_t **
#define JIT_ABI_C_I8_PP int8_t **
#define JIT_ABI_C_U32_PP uint32_t **
#define JIT_ABI_C_I64_4 int64_t[4]
#define JIT_ABI_C_I32_4 int32_t[4]
#define JIT_ABI_C_U8_4 uint8_t[4]
#define JIT_ABI_C_U16_4 uint16_t[4]
#define JIT_ABI_C_I8_4 int8_t[4]
#define JIT_ABI_C_I32 int32_t
#define JIT_ABI_C_I8 int8_t
#define JIT_ABI_C_U8 uint8_t
#define JIT_ABI_C_RT_BINARY JitRtBinaryFn *
#define JIT_ABI_C_RT_UNARY JitRtUnaryFn *
#define JIT_ABI_C_RT_TRUTH JitRtTruthFn *
#define JIT_ABI_C_RT_BUILTIN JitRtBuiltinFn *
#define JIT_ABI_C_RT_INDICATOR JitRtIndicatorFn *

#endif
