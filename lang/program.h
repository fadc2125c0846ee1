/* program.h - a checked rule file, ready to run.
 *
 * program_compile() (compile.c) parses a rule file and checks it (check.c)
 * into a Program: every name resolved to a Sym, every expression typed, the
 * group tree and the table framework laid out, options and grade bands
 * evaluated.  A Program owns its arena; program_free() releases everything
 * at once.
 */
#ifndef TALLY_PROGRAM_H
#define TALLY_PROGRAM_H

#include <stdbool.h>

#include "builtins.h"
#include "vocab.h"
#include "grammar/ast.h"
#include "lang/base/arena.h"
#include "lang/base/diag.h"

typedef struct SymTable SymTable;

typedef enum SymKind {
    SYM_INPUT,      /* a figure each report supplies */
    SYM_LET,        /* a derived value */
    SYM_METHOD,     /* a user-defined scoring method */
    SYM_PARAM,      /* a method parameter */
    SYM_INDICATOR,  /* a fixed indicator: its score */
    SYM_GROUP,      /* a group: its subtotal */
    SYM_CONTEXT,    /* value/actual, target, weight, reported */
    SYM_BUILTIN,
    SYM_CONST,      /* predeclared option words: linear2x, inverse, ... */
} SymKind;

typedef enum ContextWord {
    CTX_VALUE,
    CTX_TARGET,
    CTX_WEIGHT,
    CTX_REPORTED,
    CTX_COUNT
} ContextWord;

struct Sym {
    SymKind kind;
    const char *name;
    Decl *decl;          /* declaring node, NULL for built-ins and constants */
    int index;           /* slot: input, let, indicator, group or parameter index */
    Type type;
    ContextWord ctx;     /* SYM_CONTEXT */
    const Builtin *builtin;
    const char *unit_written; /* SYM_INPUT with a unit: as written ("万元") */
    int mag;                  /* SYM_INPUT: magnitude of unit_written */
    bool used;
};

typedef struct Indicator {
    Decl *decl;
    int index;
    int group;           /* index into Program.groups, -1 at top level */
    TlDec weight;
    Expr *score;         /* the score formula, or NULL when a method is used */
    Expr *method_call;   /* `using`: E_CALL or E_NAME resolved to a SYM_METHOD/builtin */
} Indicator;

typedef struct Group {
    Decl *decl;
    int index;
    int parent;          /* -1 at top level */
    int depth;
    TlDec weight;
    bool is_table;       /* has `category` members: scored from table rows */
    const char **categories; /* level-2 names ("*" = any) */
    int ncategories;
} Group;

typedef struct Grade {
    const char *name;
    Op op;               /* OP_GE or OP_GT */
    TlDec edge;
    bool is_else;
} Grade;

/* What an indicator that cannot be re-scored counts for (option unverified). */
typedef enum UnverifiedPolicy {
    UNVERIFIED_RANGE,    /* anything from 0 to its weight: the total is a range */
    UNVERIFIED_ZERO,     /* 0 (无佐证不得分) */
    UNVERIFIED_REPORTED, /* its self-awarded score, where there is one */
} UnverifiedPolicy;

typedef struct Options {
    int score_places;        /* round each score to this many places (2) */
    TlDec score_tolerance;   /* |reported - recomputed| above this is a finding (0.005) */
    TlDec total_tolerance;   /* stated total against the sum of scores (0.005) */
    UnverifiedPolicy unverified;
    int form_rate_places;    /* the form rounds a rate to this many places of a percent
                                before multiplying: 0 or 1; -1 (default) it does not */
    TlDec form_score_step;   /* the form rounds scores to multiples of this (1, 0.5); 0: no */
    int show_places;         /* text and HTML show percentages and plain numbers to this
                                many places, '≈' where that rounds; -1 (default): exactly */
} Options;

typedef struct Program {
    Arena arena;
    Source src;
    Ast ast;
    const char *scheme_name;
    bool has_total;
    TlDec total;
    Options opt;

    Sym **inputs;   int ninputs;
    Sym **lets;     int nlets;
    Sym **methods;  int nmethods;
    Indicator *indicators; int nindicators;
    Group *groups;  int ngroups;
    Decl **checks;  int nchecks;
    Grade *grades;  int ngrades;
    RowRule *rules; int nrules;   /* the `rows` dispatch table, in order */
    Decl **forms;   int nforms;   /* `form` declarations, checked (lang/form.c) */
    bool has_table;               /* any table group: reports' own tables are scored */
    Vocab vocab;                  /* the words cells are read with: defaults and `words` */

    SymTable *symbols;            /* every name: symtab.h */

    /* The years this version of the rules applies to (`applies`, applies.c):
     * applies_to 0 is open-ended (`applies from 2024`). */
    Decl *applies;                /* NULL: no statement, any year */
    int applies_from, applies_to;
    /* Test blocks, checked (tests.c) and run by `tally test` (runtime/cli/test.c). */
    Decl **tests;   int ntests;
} Program;

/* A rule file may hold at most this many bytes.  Real ones are a few KiB; the
 * syntax tree of a hostile one costs up to ~100 bytes of memory per byte. */
#define RULE_MAX_FILE ((size_t)4 << 20)

/* Parse and check a rule file held in memory.  On success returns a Program
 * (and may still add warnings); on any error returns NULL with every error
 * found appended to diags. */
Program *program_compile(const char *name, const char *text, size_t len, DiagList *diags);
/* The same for rule text whose `import`s may not read files - text that
 * arrives through the public API or from a database, where a path would
 * reach the host's files: an import is an error. */
Program *program_compile_sealed(const char *name, const char *text, size_t len, DiagList *diags);
/* Read and compile a rule file from disk. */
Program *program_load(const char *path, DiagList *diags);
void program_free(Program *p);

/* Check an expression entered elsewhere (the REPL) against p's names;
 * diagnostics point into src; context_words allows target, actual, weight
 * and reported.  Returns false when it has errors. */
bool program_check_expr(Program *p, Expr *e, const Source *src, bool context_words,
                        DiagList *diags);
/* Does p apply to reports of `year` (p->applies)? */
bool program_applies_to(const Program *p, int year);
/* "2022..2023", "2024", "from 2024", or "" without `applies`, in buf. */
const char *program_applies_text(const Program *p, char *buf, size_t n);

/* "number", "quantity in 元", "text", ... for messages and the REPL. */
const char *type_describe(Type t, char *buf, size_t n);

Sym *program_lookup(const Program *p, const char *name);
/* Names known to the program (for completion and "did you mean"), NULL-terminated. */
const char **program_names(const Program *p, Arena *arena);
/* The text of a span of the program's source. */
char *program_text(const Program *p, Span span, Arena *arena);

#endif
