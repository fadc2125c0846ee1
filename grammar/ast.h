/* ast.h - the syntax tree of a rule file.
 *
 * The parser (parse.c) builds it and does nothing else; the checker
 * (lang/check.c) resolves names and fills the annotation fields marked
 * "checker"; the interpreter (lang/interp.c) and the JIT read the annotated
 * tree.  All nodes live in the arena of their Program.
 */
#ifndef TALLY_AST_H
#define TALLY_AST_H

#include <stdbool.h>

#include "lang/base/diag.h"
#include "lang/base/value.h"

typedef struct Expr Expr;
typedef struct Decl Decl;
typedef struct Sym Sym;

typedef enum ExprKind {
    E_LIT,    /* number, percent, quantity, 'text', true, false, missing */
    E_NAME,   /* a name: input, let, indicator, group, context word, constant */
    E_CALL,   /* name(args): built-in or user method */
    E_UNARY,  /* -x, not x */
    E_BINARY, /* arithmetic, comparison, and/or */
    E_IF,     /* if c then a else b */
    E_TIERS,  /* tiers(x, >= e: s, ..., else: s) */
} ExprKind;

typedef enum Op {
    OP_ADD, OP_SUB, OP_MUL, OP_DIV,
    OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
    OP_AND, OP_OR,
    OP_NEG, OP_NOT,
} Op;

/* Static types, as far as the checker can know them. */
typedef enum TypeKind {
    TY_ANY,   /* a report cell or anything only known at run time */
    TY_NUM,
    TY_BOOL,
    TY_TEXT,
} TypeKind;

typedef struct Type {
    TypeKind kind;
    const char *unit; /* TY_NUM: NULL unknown, "" dimensionless, else base unit */
    bool ratio;       /* TY_NUM: known to be a ratio or percentage (90%, a / b of one
                         unit, a percent input, exec_rate(...)): for the lints */
} Type;

typedef struct Tier {
    Op op;          /* OP_EQ, OP_LT, OP_LE, OP_GT, OP_GE */
    Expr *edge;
    Expr *score;
    Span span;
} Tier;

struct Expr {
    ExprKind kind;
    Span span;
    int height;         /* parser: levels of nodes from here down (a leaf is 1) */
    Type type;          /* checker */
    union {
        TlValue lit;
        struct {
            const char *name;
            Sym *sym;           /* checker */
        } name;
        struct {
            const char *name;
            Span name_span;
            Expr **args;
            int nargs;
            Sym *sym;           /* checker: built-in or method */
        } call;
        struct {
            Op op;
            Expr *a;
        } unary;
        struct {
            Op op;
            Expr *a, *b;
        } binary;
        struct {
            Expr *cond, *then, *els;
        } cond;
        struct {
            Expr *subject;
            Tier *tiers;
            int ntiers;
            Expr *els;          /* may be NULL: then missing */
        } tiers;
    } u;
};

typedef enum DeclKind {
    D_SCHEME,    /* scheme NAME total E */
    D_OPTION,    /* option NAME = E */
    D_GRADES,    /* grades A >= 90, B >= 80, else C */
    D_INPUT,     /* input NAME : TYPE  (one Decl per name) */
    D_LET,       /* let NAME = E */
    D_METHOD,    /* method NAME(params) = E */
    D_INDICATOR, /* indicator NAME weight E [using M(args)] { value E target E score E } */
    D_GROUP,     /* group NAME weight E [alias A, B] { members } */
    D_CATEGORY,  /* category A, B, *   (inside a group: level-2 names of a table) */
    D_CHECK,     /* check NAME : E [within E] */
    D_ROWS,      /* rows { when COND... using M ; else using M } */
    D_WORDS,     /* words LIST = W, W  |  words LIST += W, W  (a vocabulary list) */
    /* Policy as code (lang/imports.c, lang/tests.c, lang/applies.c): */
    D_IMPORT,    /* import "FILE": resolved away before checking */
    D_REMOVE,    /* remove KIND NAME, ...: resolved away before checking */
    D_APPLIES,   /* applies 2022..2023 | applies 2024 | applies from 2024 */
    D_TEST,      /* test NAME { a report, and what scoring it must give } */
    D_FORM,      /* form NAME { column target = W, W ... }: how forms are read */
} DeclKind;

typedef struct GradeBand {
    const char *name;
    Span span;
    Op op;          /* OP_GE or OP_GT; unused for the else band */
    Expr *edge;     /* NULL for the else band */
} GradeBand;

typedef enum CondKind {
    COND_LEVEL1,
    COND_LEVEL2,
    COND_INDICATOR,
    COND_QUALIFIER,
    COND_KIND,      /* number, percent, quantity, text, missing */
    COND_DIRECTION, /* higher, lower, unknown: from the sign, the name, the category */
} CondKind;

typedef struct RowCond {
    CondKind kind;
    Span span;
    const char **values; /* names; for COND_QUALIFIER unused */
    int nvalues;
    TlQual qual;         /* COND_QUALIFIER */
} RowCond;

typedef struct RowRule {
    Span span;
    RowCond *conds;      /* all must hold; none for else */
    int nconds;
    Expr *method;        /* E_CALL or E_NAME naming a method */
} RowRule;

/* Test blocks (docs/language.md, "Tests"): a small report written inline, or
 * a data file, and what scoring it must give. */
typedef struct TestCell {
    const char *text;    /* the cell as written; NULL for an empty cell */
    Span span;
} TestCell;

typedef struct TestRow {
    TestCell *cells;     /* level1, level2, indicator, target, actual, weight, reported[, reason] */
    int ncells;
    Span span;
} TestRow;

typedef struct TestFigure {
    const char *name;
    Span name_span;
    TestCell value;
} TestFigure;

typedef enum ExpectKind {
    EXPECT_SCORE,        /* expect score INDICATOR V */
    EXPECT_SUBTOTAL,     /* expect subtotal GROUP V */
    EXPECT_TOTAL,        /* expect total V */
    EXPECT_GRADE,        /* expect grade NAME | missing */
    EXPECT_FINDING,      /* expect finding CODE [on SUBJECT] */
    EXPECT_NO_FINDING,   /* expect no finding [CODE] [on SUBJECT] */
} ExpectKind;

typedef struct Expect {
    ExpectKind kind;
    Span span;
    const char *name;    /* indicator, group, grade or finding code; NULL: none */
    Span name_span;
    const char *subject; /* findings: `on SUBJECT`; NULL: any */
    Span subject_span;
    TlValue lo, hi;      /* the expected number (lo == hi), a range lo..hi, or missing */
    bool range;
} Expect;
/* A value in a form entry: a word (a name, a quoted name or a text), or a
 * word with arguments, `right(合计, 年度收入)`. */
typedef struct FormValue {
    const char *word;
    Span span;
    bool call;
    struct FormValue *args;
    int nargs;
} FormValue;

/* One line of a `form` block: `HEAD [KEY] = VALUES`, `HEAD VALUES`, or
 * `HEAD VALUES { ENTRIES }`.  The grammar keeps the words; lang/form.c says
 * what they mean. */
typedef struct FormEntry {
    Span span;
    const char *head;
    Span head_span;
    const char *key;        /* `column target = ...`: "target"; NULL when none */
    Span key_span;
    bool assign;            /* written with '=' */
    FormValue *values;
    int nvalues;
    bool block;             /* has { ENTRIES } */
    struct FormEntry *entries;
    int nentries;
} FormEntry;

typedef struct Param {
    const char *name;
    Span span;
    Sym *sym;            /* checker */
} Param;

struct Decl {
    DeclKind kind;
    Span span;
    const char *name;    /* NULL for grades, rows, category */
    Span name_span;
    Decl *parent;        /* enclosing group, or NULL */
    bool override;       /* `override DECL`: replaces an imported declaration */
    union {
        struct { Expr *total; } scheme;
        struct { Expr *value; } option;
        struct { GradeBand *bands; int nbands; } grades;
        struct {
            const char *type_name; /* "number", "percent", "text", "boolean" or a unit */
            Span type_span;
        } input;
        struct { Expr *value; } let;
        struct {
            Param *params;
            int nparams;
            Expr *body;
        } method;
        struct {
            Expr *weight;
            Expr *value;     /* may be NULL */
            Expr *target;    /* may be NULL */
            Expr *score;     /* may be NULL when `using` is given */
            Expr *method;    /* `using M(args)`: E_CALL or E_NAME; may be NULL */
        } indicator;
        struct {
            Expr *weight;
            Decl **members;
            int nmembers;
            const char **aliases;
            int naliases;
            bool keep_members;   /* `override group G weight W` without a body */
            bool keep_aliases;   /* ... and without `alias` */
        } group;
        struct {
            const char **names; /* "*" matches any level-2 category */
            Span *spans;
            int nnames;
        } category;
        struct {
            Expr *cond;
            Expr *tolerance; /* may be NULL */
        } check;
        struct {
            RowRule *rules;
            int nrules;
        } rows;
        struct { Span path_span; } import;    /* the path is Decl.name */
        struct {
            DeclKind what;       /* D_INPUT, D_LET, D_METHOD, D_INDICATOR, D_GROUP, D_CHECK, D_FORM */
            const char **names;
            Span *spans;
            int nnames;
        } remove;
        struct {
            TlValue from, to;    /* numbers as written; `to` missing: open-ended (from YEAR) */
            Span from_span, to_span;
        } applies;
        struct {
            const char *data;    /* `data "FILE"`, or NULL: the report is written inline */
            Span data_span;
            const char *report;  /* `data "FILE" report ID`: which report of it, or NULL */
            Span report_span;
            TestFigure *figures;
            int nfigures;
            TestRow *rows;
            int nrows;
            Expect *expects;
            int nexpects;
        } test;
        struct {
            bool extend;         /* += (else =: replace) */
            const char **words;
            Span *spans;
            int nwords;
        } words;
        struct {
            FormEntry *entries;
            int nentries;
        } form;
    } u;
};

typedef struct Ast {
    Decl **decls;
    int ndecls;
} Ast;

/* The operator as a rule file writes it: "+", ">=", "and". */
const char *op_symbol(Op op);

#endif
