/* check.c - the semantic pass: a parsed rule file becomes a Program.
 *
 * Every error is reported, not only the first: unknown names (with a "did
 * you mean"), duplicates, type and unit errors, arity, weights that do not
 * add up, grade bands out of order, cycles among lets, scores that can be
 * seen to leave [0, weight].
 */
#include "check.h"
#include "form.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "applies.h"
#include "imports.h"
#include "lang/base/strmap.h"
#include "lang/base/l10n.h"
#include "lang/base/text.h"
#include "symtab.h"
#include "tests.h"

/* Checker state ----------------------------------------------------------------- */

typedef struct Checker {
    Program *p;
    const Source *src;       /* where the text being checked comes from */
    DiagList *diags;
    PtrVec inputs, lets, methods, checks, grades_decls, forms;
    PtrVec indicators;       /* Decl* in declaration order */
    PtrVec groups;           /* Decl* in preorder */
    Decl *method;            /* method being checked, or NULL */
    bool in_indicator;       /* context words allowed */
    bool in_rows;
    const Sym *let_stack[64];
    StrMap check_names;      /* checks declared so far: name -> index in checks */
    PtrVec tests;            /* test blocks (Decl*), checked by tests.c */
    PtrVec options;          /* option declarations so far (Decl*), for duplicates */
    int suggestions;         /* "did you mean" searches so far */
} Checker;

static Diag *error_at(Checker *c, Span span, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static Diag *error_at(Checker *c, Span span, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return diag_at(c->diags, DIAG_ERROR, c->src, span, "%s", buf);
}

static Diag *warn_at(Checker *c, Span span, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static Diag *warn_at(Checker *c, Span span, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return diag_at(c->diags, DIAG_WARNING, c->src, span, "%s", buf);
}

static int line_of(Checker *c, Span span)
{
    int line, col;
    source_position(&c->p->src, span.start, &line, &col);
    return line;
}

static const char *sym_kind_name(SymKind k)
{
    switch (k) {
    case SYM_INPUT: return _("input");
    case SYM_LET: return _("let");
    case SYM_METHOD: return _("method");
    case SYM_PARAM: return _("parameter");
    case SYM_INDICATOR: return _("indicator");
    case SYM_GROUP: return _("group");
    case SYM_CONTEXT: return _("context word");
    case SYM_BUILTIN: return _("built-in function");
    case SYM_CONST: return _("mode word");
    }
    return _("name");
}

static const char *article(SymKind k)
{
    return k == SYM_INPUT || k == SYM_INDICATOR ? "an" : "a";
}

static Sym *new_sym(Checker *c, SymKind kind, const char *name, Decl *d)
{
    Sym *s = arena_alloc(&c->p->arena, sizeof *s);
    s->kind = kind;
    s->name = name;
    s->decl = d;
    s->type.kind = TY_ANY;
    return s;
}

/* Declare a user name; a duplicate is an error pointing at the first. */
static Sym *declare(Checker *c, SymKind kind, Decl *d)
{
    Sym *old = symtab_get(c->p->symbols, d->name);
    if (old) {
        Diag *diag;
        const char *here = source_file_at(c->src, d->name_span.start, NULL, NULL);
        const char *there = old->decl ? source_file_at(c->src, old->decl->name_span.start, NULL, NULL) : here;
        if (old->decl && strcmp(here, there) != 0) {
            /* Declared by an imported file: replacing it takes `override`. */
            diag = error_at(c, d->name_span, _("'%s' is already declared as %s %s at %s:%d"), d->name,
                            article(old->kind), sym_kind_name(old->kind), there,
                            line_of(c, old->decl->name_span));
            imports_hint(c->src, diag, old->decl->name_span, d->name_span, sym_kind_name(old->kind));
        } else if (old->decl)
            diag = error_at(c, d->name_span, _("'%s' is already declared as %s %s at line %d"),
                            d->name, article(old->kind), sym_kind_name(old->kind),
                            line_of(c, old->decl->name_span));
        else
            diag = error_at(c, d->name_span, _("'%s' is the name of a %s and cannot be redeclared"),
                            d->name, sym_kind_name(old->kind));
        (void)diag;
        return NULL;
    }
    Sym *s = new_sym(c, kind, d->name, d);
    symtab_put(c->p->symbols, s);
    return s;
}

/* The closest known name, for "did you mean". */
static const char *suggest(Checker *c, const char *name)
{
    /* Each search reads every name: a file with 100,000 unknown names gets
     * suggestions for the first few only, not hours of searching. */
    if (++c->suggestions > 20)
        return NULL;
    const SymTable *t = c->p->symbols;
    size_t n = utf8_count(name, strlen(name));
    /* A one-character name has no near miss worth suggesting. */
    size_t limit = (n + 1) / 3 > 3 ? 3 : (n + 1) / 3;
    if (limit == 0)
        return NULL;
    const char *best = NULL;
    size_t best_d = limit + 1;
    for (size_t i = 0; i < symtab_count(t); i++) {
        const Sym *s = symtab_at(t, i);
        if (s->kind == SYM_PARAM)
            continue;
        size_t d = text_edit_distance(name, s->name, limit);
        if (d < best_d || (d == best_d && best && strcmp(s->name, best) < 0)) {
            best_d = d;
            best = s->name;
        }
    }
    if (c->method)
        for (int i = 0; i < c->method->u.method.nparams; i++) {
            const char *pn = c->method->u.method.params[i].name;
            size_t d = text_edit_distance(name, pn, limit);
            if (d < best_d) {
                best_d = d;
                best = pn;
            }
        }
    return best_d <= limit ? best : NULL;
}

/* Constant expressions (weights, options, grade edges) ----------------------- */

/* Fold a constant numeric expression; false with an error when it is not one. */
static bool fold_const(Checker *c, const Expr *e, TlDec *out, const char *what)
{
    switch (e->kind) {
    case E_LIT:
        if (e->u.lit.kind == TL_NUM) {
            *out = e->u.lit.u.num;
            return true;
        }
        break;
    case E_UNARY:
        if (e->u.unary.op == OP_NEG && fold_const(c, e->u.unary.a, out, what)) {
            if (dec_neg(*out, out))
                return true;
            error_at(c, e->span, _("%s overflows"), what);
            return false;
        }
        return false;
    case E_BINARY: {
        TlDec a, b;
        if (!fold_const(c, e->u.binary.a, &a, what) || !fold_const(c, e->u.binary.b, &b, what))
            return false;
        bool ok = false;
        switch (e->u.binary.op) {
        case OP_ADD: ok = dec_add(a, b, out); break;
        case OP_SUB: ok = dec_sub(a, b, out); break;
        case OP_MUL: ok = dec_mul(a, b, out); break;
        case OP_DIV:
            if (dec_is_zero(b)) {
                error_at(c, e->span, _("division by zero in %s"), what);
                return false;
            }
            ok = dec_div(a, b, out);
            break;
        default:
            error_at(c, e->span, _("%s must be a number"), what);
            return false;
        }
        if (!ok)
            error_at(c, e->span, _("%s overflows"), what);
        return ok;
    }
    case E_NAME: case E_CALL: case E_IF: case E_TIERS:
        break;
    }
    error_at(c, e->span, _("%s must be a constant number"), what);
    return false;
}

/* Types ------------------------------------------------------------------------ */

static Type ty(TypeKind k) { return (Type){k, NULL, false}; }
static Type ty_num(const char *unit) { return (Type){TY_NUM, unit, false}; }
static Type ty_ratio(void) { return (Type){TY_NUM, "", true}; }

const char *type_describe(Type t, char *buf, size_t n)
{
    switch (t.kind) {
    case TY_ANY: return _("cell");
    case TY_BOOL: return _("boolean");
    case TY_TEXT: return _("text");
    case TY_NUM:
        if (!t.unit)
            return _("number");
        if (!*t.unit)
            return _("number (no unit)");
        snprintf(buf, n, _("quantity in %s"), t.unit);
        return buf;
    }
    return _("any value");
}

/* A literal 0 fits any unit, as at run time (0 人 == 0 元 == 0). */
static bool is_zero_lit(const Expr *e)
{
    while (e->kind == E_UNARY && e->u.unary.op == OP_NEG)
        e = e->u.unary.a;
    return e->kind == E_LIT && e->u.lit.kind == TL_NUM && dec_is_zero(e->u.lit.u.num);
}

static bool units_known_differ(Type a, Type b)
{
    return a.kind == TY_NUM && b.kind == TY_NUM && a.unit && b.unit && strcmp(a.unit, b.unit) != 0 &&
           !(unit_is_count_word(a.unit) && unit_is_count_word(b.unit));
}

static Type check_expr(Checker *c, Expr *e);

/* A ratio (or percentage) against a bare tier edge above 1.5 - tiers(rate,
 * >= 95: ...) - never matches as meant: 95 is 9500%. */
static void lint_ratio_edge(Checker *c, Type subject, const Expr *edge)
{
    const Expr *lit = edge;
    while (lit->kind == E_UNARY && lit->u.unary.op == OP_NEG)
        lit = lit->u.unary.a;
    if (subject.kind != TY_NUM || !subject.ratio || lit->kind != E_LIT || lit->u.lit.kind != TL_NUM ||
        lit->u.lit.numkind != NUM_PLAIN || dec_cmp(lit->u.lit.u.num, dec_make(15, 1)) <= 0)
        return;
    char num[DEC_BUF], pct[DEC_BUF];
    dec_format_trim(lit->u.lit.u.num, 6, num);
    TlDec p;
    if (!dec_shift(lit->u.lit.u.num, 2, &p))
        p = lit->u.lit.u.num;
    dec_format_trim(p, 6, pct);
    Diag *d = warn_at(c, edge->span,
                      _("tier edge %s against a ratio: the value is a fraction (95%% is 0.95), so %s "
                      "means %s%%"), num, num, pct);
    diag_set_hint(d, _("write the edge as a percentage: %s%%"), num);
}

/* qual_level() gives 达成, 部分达成, 未达成 or unknown: comparing it with any
 * other text never holds. */
static void lint_level_compare(Checker *c, const Expr *e)
{
    const Expr *a = e->u.binary.a, *b = e->u.binary.b;
    if (b->kind == E_CALL && b->u.call.sym && b->u.call.sym->kind == SYM_BUILTIN &&
        b->u.call.sym->builtin->id == BI_QUAL_LEVEL) {
        const Expr *t = a;
        a = b;
        b = t;
    }
    if (!(a->kind == E_CALL && a->u.call.sym && a->u.call.sym->kind == SYM_BUILTIN &&
          a->u.call.sym->builtin->id == BI_QUAL_LEVEL && b->kind == E_LIT && b->u.lit.kind == TL_TEXT))
        return;
    const char *w = b->u.lit.u.text;
    if (strcmp(w, "达成") && strcmp(w, "部分达成") && strcmp(w, "未达成") && strcmp(w, "unknown")) {
        Diag *d = warn_at(c, b->span, _("qual_level gives 达成, 部分达成, 未达成 or unknown, never '%s'"),
                          w);
        diag_set_hint(d, _("compare with a level, and put '%s' in words achieved (or "
                         "partly_achieved, not_achieved) to make it one"), w);
    }
}

static void expect_number(Checker *c, const Expr *e, Type t, const char *where)
{
    char buf[64];
    if (t.kind == TY_TEXT || t.kind == TY_BOOL)
        error_at(c, e->span, _("%s needs a number, but this is %s"), where,
                 type_describe(t, buf, sizeof buf));
}

static void expect_bool(Checker *c, const Expr *e, Type t, const char *where)
{
    char buf[64];
    if (t.kind == TY_TEXT || t.kind == TY_NUM)
        error_at(c, e->span, _("%s needs a condition (true or false), but this is %s"), where,
                 type_describe(t, buf, sizeof buf));
}

static Type check_name(Checker *c, Expr *e)
{
    const char *name = e->u.name.name;
    Sym *s = NULL;
    if (c->method)
        for (int i = 0; i < c->method->u.method.nparams; i++)
            if (strcmp(c->method->u.method.params[i].name, name) == 0)
                s = c->method->u.method.params[i].sym;
    if (!s)
        s = symtab_get(c->p->symbols, name);
    if (!s) {
        Diag *d = error_at(c, e->span, _("unknown name '%s'"), name);
        const char *near = suggest(c, name);
        if (near)
            diag_set_hint(d, _("did you mean '%s'?"), near);
        return ty(TY_ANY);
    }
    e->u.name.sym = s;
    s->used = true;
    switch (s->kind) {
    case SYM_CONTEXT:
        if (!c->method && !c->in_indicator && !c->in_rows)
            error_at(c, e->span,
                     _("'%s' is only defined inside an indicator, a method or a rows rule"), name);
        return s->type;
    case SYM_METHOD:
    case SYM_BUILTIN:
        if (s->kind == SYM_METHOD && s->decl->u.method.nparams == 0)
            return ty(TY_NUM); /* a method without parameters may be named like a value */
        error_at(c, e->span, _("'%s' is a %s: call it with arguments, e.g. %s(...)"), name,
                 sym_kind_name(s->kind), name);
        return ty(TY_ANY);
    case SYM_LET:
        for (int i = 0; i < 64 && c->let_stack[i]; i++)
            if (c->let_stack[i] == s)
                return ty(TY_ANY); /* cycle reported by the cycle pass */
        return s->type;
    default:
        return s->type;
    }
}

static Type check_call(Checker *c, Expr *e)
{
    const char *name = e->u.call.name;
    for (int i = 0; i < e->u.call.nargs; i++)
        check_expr(c, e->u.call.args[i]);
    Sym *s = symtab_get(c->p->symbols, name);
    if (!s || (s->kind != SYM_BUILTIN && s->kind != SYM_METHOD)) {
        Diag *d = s ? error_at(c, e->u.call.name_span, _("'%s' is a %s, not a function"), name,
                               sym_kind_name(s->kind))
                    : error_at(c, e->u.call.name_span, _("unknown function '%s'"), name);
        if (!s) {
            const char *near = suggest(c, name);
            if (near)
                diag_set_hint(d, _("did you mean '%s'?"), near);
        }
        return ty(TY_ANY);
    }
    e->u.call.sym = s;
    s->used = true;
    int n = e->u.call.nargs;
    if (s->kind == SYM_METHOD) {
        int want = s->decl->u.method.nparams;
        if (n != want)
            error_at(c, e->span, _("method '%s' takes %d argument%s, %d given"), name, want,
                     want == 1 ? "" : "s", n);
        return ty(TY_NUM);
    }
    const Builtin *b = s->builtin;
    if (n < b->min_args || (b->max_args >= 0 && n > b->max_args)) {
        Diag *d;
        if (b->min_args == b->max_args)
            d = error_at(c, e->span, _("%s takes %d argument%s, %d given"), name, b->min_args,
                         b->min_args == 1 ? "" : "s", n);
        else if (b->max_args < 0)
            d = error_at(c, e->span, _("%s takes at least %d arguments, %d given"), name,
                         b->min_args, n);
        else
            d = error_at(c, e->span, _("%s takes %d to %d arguments, %d given"), name, b->min_args,
                         b->max_args, n);
        diag_set_hint(d, _("usage: %s"), b->signature);
        return ty(TY_ANY);
    }
    Expr **a = e->u.call.args;
    switch (b->id) {
    case BI_MIN: case BI_MAX: case BI_CLAMP: {
        Type t0 = a[0]->type;
        for (int i = 0; i < n; i++) {
            expect_number(c, a[i], a[i]->type, b->name);
            if (!is_zero_lit(a[0]) && !is_zero_lit(a[i]) && units_known_differ(t0, a[i]->type)) {
                char b1[64], b2[64];
                error_at(c, a[i]->span, _("%s of %s and %s: units differ"), b->name,
                         type_describe(t0, b1, sizeof b1), type_describe(a[i]->type, b2, sizeof b2));
            }
        }
        return t0.kind == TY_NUM ? t0 : ty_num(NULL);
    }
    case BI_ABS: case BI_ROUND: case BI_CEIL: case BI_FLOOR:
        expect_number(c, a[0], a[0]->type, b->name);
        if (n > 1) {
            TlDec places;
            if (a[1]->kind != E_LIT || !fold_const(c, a[1], &places, "the number of places") ||
                places.scale != 0 || places.coef < 0 || places.coef > DEC_MAX_SCALE)
                error_at(c, a[1]->span, _("%s: places must be a whole number from 0 to %d"), b->name,
                         DEC_MAX_SCALE);
        }
        return a[0]->type.kind == TY_NUM ? a[0]->type : ty_num(NULL);
    case BI_IS_MISSING: case BI_IS_TEXT:
        return ty(TY_BOOL);
    case BI_DEFAULT:
        return a[0]->type.kind == TY_ANY ? a[1]->type : a[0]->type;
    case BI_UNIT: case BI_TEXT: case BI_QUAL: case BI_QUAL_LEVEL:
        return ty(TY_TEXT);
    case BI_NUM:
        return ty_num("");
    case BI_EXEC_RATE: case BI_CHANGE_RATE: case BI_RATIO_CAPPED: case BI_INVERSE_RATIO:
    case BI_LINEAR_TO_ZERO:
        for (int i = 0; i < n; i++)
            expect_number(c, a[i], a[i]->type, b->name);
        return ty_ratio();
    default:
        break;
    }
    if (b->id == BI_SCORE_EXEC && n == 4)
        error_at(c, e->span, _("score_exec takes per and step together: %s"), b->signature);
    /* Scoring built-ins: numeric arguments except mode words, and the
     * target and actual of score_qual, which may be text. */
    for (int i = 0; i < n; i++) {
        if (a[i]->kind == E_NAME && a[i]->u.name.sym && a[i]->u.name.sym->kind == SYM_CONST)
            continue;
        if (b->id == BI_SCORE_QUAL && i < 2)
            continue;
        expect_number(c, a[i], a[i]->type, b->name);
    }
    return ty_num(NULL);
}

static Type check_binary(Checker *c, Expr *e)
{
    Type a = check_expr(c, e->u.binary.a), b = check_expr(c, e->u.binary.b);
    /* A literal 0 takes the other side's unit. */
    if (is_zero_lit(e->u.binary.a) && b.kind == TY_NUM)
        a = b;
    else if (is_zero_lit(e->u.binary.b) && a.kind == TY_NUM)
        b = a;
    char b1[64], b2[64];
    Op op = e->u.binary.op;
    switch (op) {
    case OP_AND: case OP_OR:
        expect_bool(c, e->u.binary.a, a, op == OP_AND ? "'and'" : "'or'");
        expect_bool(c, e->u.binary.b, b, op == OP_AND ? "'and'" : "'or'");
        return ty(TY_BOOL);
    case OP_EQ: case OP_NE:
        lint_level_compare(c, e);
        if (a.kind != TY_ANY && b.kind != TY_ANY && a.kind != b.kind)
            error_at(c, e->span, _("comparing %s with %s"), type_describe(a, b1, sizeof b1),
                     type_describe(b, b2, sizeof b2));
        else if (units_known_differ(a, b))
            error_at(c, e->span, _("comparing %s with %s: units differ"),
                     type_describe(a, b1, sizeof b1), type_describe(b, b2, sizeof b2));
        return ty(TY_BOOL);
    case OP_LT: case OP_LE: case OP_GT: case OP_GE:
        expect_number(c, e->u.binary.a, a, "comparison");
        expect_number(c, e->u.binary.b, b, "comparison");
        if (units_known_differ(a, b))
            error_at(c, e->span, _("comparing %s with %s: units differ"),
                     type_describe(a, b1, sizeof b1), type_describe(b, b2, sizeof b2));
        return ty(TY_BOOL);
    case OP_ADD: case OP_SUB:
        expect_number(c, e->u.binary.a, a, op == OP_ADD ? "'+'" : "'-'");
        expect_number(c, e->u.binary.b, b, op == OP_ADD ? "'+'" : "'-'");
        if (units_known_differ(a, b)) {
            error_at(c, e->span, _("%s %s %s: units differ"), type_describe(a, b1, sizeof b1),
                     op == OP_ADD ? "+" : "-", type_describe(b, b2, sizeof b2));
            return ty_num(NULL);
        }
        {
            Type r = ty_num(a.kind == TY_NUM && a.unit ? a.unit : b.kind == TY_NUM ? b.unit : NULL);
            r.ratio = (a.kind == TY_NUM && a.ratio) || (b.kind == TY_NUM && b.ratio);
            return r;
        }
    case OP_MUL:
        expect_number(c, e->u.binary.a, a, "'*'");
        expect_number(c, e->u.binary.b, b, "'*'");
        if (a.kind == TY_NUM && b.kind == TY_NUM && a.unit && b.unit && *a.unit && *b.unit) {
            error_at(c, e->span, _("%s * %s: a product of two quantities has no unit Tally knows"),
                     type_describe(a, b1, sizeof b1), type_describe(b, b2, sizeof b2));
            return ty_num(NULL);
        }
        if (a.kind == TY_NUM && b.kind == TY_NUM && a.unit && b.unit)
            return ty_num(*a.unit ? a.unit : b.unit);
        return ty_num(NULL);
    case OP_DIV:
        expect_number(c, e->u.binary.a, a, "'/'");
        expect_number(c, e->u.binary.b, b, "'/'");
        if (a.kind == TY_NUM && b.kind == TY_NUM && a.unit && b.unit) {
            if ((*a.unit && strcmp(a.unit, b.unit) == 0) || (a.ratio && b.ratio) ||
                (unit_is_count_word(a.unit) && unit_is_count_word(b.unit)))
                return ty_ratio(); /* amount / amount of one unit: a ratio */
            if (strcmp(a.unit, b.unit) == 0)
                return ty_num("");
            if (!*b.unit)
                return ty_num(a.unit);
            return ty_num(arena_printf(&c->p->arena, "%s/%s", *a.unit ? a.unit : "1", b.unit));
        }
        return ty_num(NULL);
    default:
        return ty(TY_ANY);
    }
}

static Type check_expr(Checker *c, Expr *e)
{
    Type t = ty(TY_ANY);
    switch (e->kind) {
    case E_LIT:
        switch ((TlKind)e->u.lit.kind) {
        case TL_MISSING: t = ty(TY_ANY); break;
        case TL_NUM:
            t = e->u.lit.numkind == NUM_PERCENT ? ty_ratio()
                : ty_num(e->u.lit.numkind == NUM_QUANTITY ? e->u.lit.unit : "");
            break;
        case TL_BOOL: t = ty(TY_BOOL); break;
        case TL_TEXT: t = ty(TY_TEXT); break;
        }
        break;
    case E_NAME:
        t = check_name(c, e);
        break;
    case E_CALL:
        t = check_call(c, e);
        break;
    case E_UNARY: {
        Type a = check_expr(c, e->u.unary.a);
        if (e->u.unary.op == OP_NOT) {
            expect_bool(c, e->u.unary.a, a, "'not'");
            t = ty(TY_BOOL);
        } else {
            expect_number(c, e->u.unary.a, a, "'-'");
            t = a.kind == TY_NUM ? a : ty_num(NULL);
        }
        break;
    }
    case E_BINARY:
        t = check_binary(c, e);
        break;
    case E_IF: {
        Type cond = check_expr(c, e->u.cond.cond);
        expect_bool(c, e->u.cond.cond, cond, "'if'");
        Type a = check_expr(c, e->u.cond.then), b = check_expr(c, e->u.cond.els);
        char b1[64], b2[64];
        if (a.kind != TY_ANY && b.kind != TY_ANY && a.kind != b.kind)
            error_at(c, e->span, _("the branches of 'if' differ: %s and %s"),
                     type_describe(a, b1, sizeof b1), type_describe(b, b2, sizeof b2));
        else if (units_known_differ(a, b))
            error_at(c, e->span, _("the branches of 'if' have different units: %s and %s"),
                     type_describe(a, b1, sizeof b1), type_describe(b, b2, sizeof b2));
        t = a.kind != TY_ANY ? a : b;
        break;
    }
    case E_TIERS: {
        Type s = check_expr(c, e->u.tiers.subject);
        expect_number(c, e->u.tiers.subject, s, "tiers");
        for (int i = 0; i < e->u.tiers.ntiers; i++) {
            Tier *tr = &e->u.tiers.tiers[i];
            Type edge = check_expr(c, tr->edge);
            expect_number(c, tr->edge, edge, "a tier edge");
            lint_ratio_edge(c, s, tr->edge);
            if (units_known_differ(s, edge)) {
                char b1[64], b2[64];
                error_at(c, tr->edge->span, _("tier edge is %s but the value is %s"),
                         type_describe(edge, b1, sizeof b1), type_describe(s, b2, sizeof b2));
            }
            Type sc = check_expr(c, tr->score);
            expect_number(c, tr->score, sc, "a tier's score");
        }
        if (e->u.tiers.els) {
            Type sc = check_expr(c, e->u.tiers.els);
            expect_number(c, e->u.tiers.els, sc, "a tier's score");
        } else {
            Diag *d = warn_at(c, e->span, _("tiers without else: a value no tier covers scores "
                                          "missing, and the indicator cannot be verified"));
            diag_set_hint(d, _("add the score for the rest as the last tier, e.g. ', else 0'"));
        }
        t = ty_num(NULL);
        break;
    }
    }
    e->type = t;
    return t;
}

/* Static score range: can a formula be seen to leave [0, weight]? ---------- */

typedef struct Range {
    bool known;
    TlDec lo, hi;
} Range;

static Range range_of(Checker *c, const Expr *e, TlDec weight);

static Range range_const(TlDec v) { return (Range){true, v, v}; }

static Range range_of(Checker *c, const Expr *e, TlDec weight)
{
    Range unknown = {false, {0, 0}, {0, 0}};
    switch (e->kind) {
    case E_LIT:
        return e->u.lit.kind == TL_NUM ? range_const(e->u.lit.u.num) : unknown;
    case E_NAME:
        if (e->u.name.sym && e->u.name.sym->kind == SYM_CONTEXT && e->u.name.sym->ctx == CTX_WEIGHT)
            return range_const(weight);
        return unknown;
    case E_IF: {
        Range a = range_of(c, e->u.cond.then, weight), b = range_of(c, e->u.cond.els, weight);
        if (!a.known || !b.known)
            return unknown;
        return (Range){true, dec_cmp(a.lo, b.lo) < 0 ? a.lo : b.lo,
                       dec_cmp(a.hi, b.hi) > 0 ? a.hi : b.hi};
    }
    case E_TIERS: {
        Range r = unknown;
        for (int i = 0; i <= e->u.tiers.ntiers; i++) {
            const Expr *s = i < e->u.tiers.ntiers ? e->u.tiers.tiers[i].score : e->u.tiers.els;
            if (!s)
                continue;
            Range a = range_of(c, s, weight);
            if (!a.known)
                return unknown;
            if (!r.known)
                r = a;
            else {
                if (dec_cmp(a.lo, r.lo) < 0) r.lo = a.lo;
                if (dec_cmp(a.hi, r.hi) > 0) r.hi = a.hi;
            }
        }
        return r;
    }
    case E_BINARY: {
        Range a = range_of(c, e->u.binary.a, weight), b = range_of(c, e->u.binary.b, weight);
        if (!a.known || !b.known)
            return unknown;
        TlDec x[4];
        bool ok = true;
        switch (e->u.binary.op) {
        case OP_ADD:
            ok = dec_add(a.lo, b.lo, &x[0]) && dec_add(a.hi, b.hi, &x[1]);
            return ok ? (Range){true, x[0], x[1]} : unknown;
        case OP_SUB:
            ok = dec_sub(a.lo, b.hi, &x[0]) && dec_sub(a.hi, b.lo, &x[1]);
            return ok ? (Range){true, x[0], x[1]} : unknown;
        case OP_MUL: {
            ok = dec_mul(a.lo, b.lo, &x[0]) && dec_mul(a.lo, b.hi, &x[1]) &&
                 dec_mul(a.hi, b.lo, &x[2]) && dec_mul(a.hi, b.hi, &x[3]);
            if (!ok)
                return unknown;
            Range r = {true, x[0], x[0]};
            for (int i = 1; i < 4; i++) {
                if (dec_cmp(x[i], r.lo) < 0) r.lo = x[i];
                if (dec_cmp(x[i], r.hi) > 0) r.hi = x[i];
            }
            return r;
        }
        default:
            return unknown;
        }
    }
    case E_CALL: {
        const Sym *s = e->u.call.sym;
        if (!s || s->kind != SYM_BUILTIN)
            return unknown;
        if (s->builtin->id == BI_MIN || s->builtin->id == BI_MAX) {
            /* min(x, c) is at most c even when x is unknown. */
            bool is_min = s->builtin->id == BI_MIN;
            Range r = unknown;
            bool all = true;
            for (int i = 0; i < e->u.call.nargs; i++) {
                Range a = range_of(c, e->u.call.args[i], weight);
                if (!a.known) {
                    all = false;
                    continue;
                }
                if (!r.known)
                    r = a;
                else if (is_min) {
                    if (dec_cmp(a.lo, r.lo) < 0) r.lo = a.lo;
                    if (dec_cmp(a.hi, r.hi) < 0) r.hi = a.hi;
                } else {
                    if (dec_cmp(a.lo, r.lo) > 0) r.lo = a.lo;
                    if (dec_cmp(a.hi, r.hi) > 0) r.hi = a.hi;
                }
            }
            return all ? r : unknown;
        }
        return unknown;
    }
    case E_UNARY:
        return unknown;
    }
    return unknown;
}

static void check_score_range(Checker *c, const Expr *score, TlDec weight, const char *name)
{
    Range r = range_of(c, score, weight);
    if (!r.known)
        return;
    char hi[DEC_BUF], lo[DEC_BUF], w[DEC_BUF];
    if (dec_cmp(r.hi, weight) > 0) {
        dec_format_trim(r.hi, 6, hi);
        dec_format_trim(weight, 6, w);
        error_at(c, score->span, _("the score of '%s' can reach %s, above its weight %s"), name, hi, w);
    } else if (dec_sign(r.lo) < 0) {
        dec_format_trim(r.lo, 6, lo);
        error_at(c, score->span, _("the score of '%s' can fall to %s, below 0"), name, lo);
    }
}

/* Declarations --------------------------------------------------------------- */

static void collect(Checker *c, Decl *d, int parent_group)
{
    switch (d->kind) {
    case D_SCHEME:
        if (c->p->scheme_name) {
            Diag *dg = error_at(c, d->span, _("a rule file has one scheme"));
            for (int i = 0; i < c->p->ast.ndecls; i++)
                if (c->p->ast.decls[i]->kind == D_SCHEME) {
                    imports_hint(c->src, dg, c->p->ast.decls[i]->span, d->span, "scheme");
                    break;
                }
        } else {
            c->p->scheme_name = d->name;
        }
        break;
    case D_INPUT: {
        Sym *s = declare(c, SYM_INPUT, d);
        if (s) {
            s->index = (int)c->inputs.len;
            ptrvec_push(&c->inputs, s);
        }
        break;
    }
    case D_LET: {
        Sym *s = declare(c, SYM_LET, d);
        if (s) {
            s->index = (int)c->lets.len;
            ptrvec_push(&c->lets, s);
        }
        break;
    }
    case D_METHOD: {
        Sym *s = declare(c, SYM_METHOD, d);
        if (s) {
            s->index = (int)c->methods.len;
            ptrvec_push(&c->methods, s);
        }
        break;
    }
    case D_INDICATOR: {
        Sym *s = declare(c, SYM_INDICATOR, d);
        if (s)
            s->index = (int)c->indicators.len;
        ptrvec_push(&c->indicators, d);
        (void)parent_group;
        break;
    }
    case D_GROUP: {
        Sym *s = declare(c, SYM_GROUP, d);
        int me = (int)c->groups.len;
        if (s)
            s->index = me;
        ptrvec_push(&c->groups, d);
        for (int i = 0; i < d->u.group.nmembers; i++)
            collect(c, d->u.group.members[i], me);
        break;
    }
    case D_CHECK: {
        size_t *first = strmap_find(&c->check_names, d->name);
        if (first) {
            error_at(c, d->name_span, _("check '%s' is already declared at line %d"), d->name,
                     line_of(c, ((const Decl *)c->checks.items[*first])->name_span));
            return;
        }
        strmap_put(&c->check_names, d->name, c->checks.len);
        ptrvec_push(&c->checks, d);
        break;
    }
    case D_GRADES:
        ptrvec_push(&c->grades_decls, d);
        break;
    case D_TEST:
        ptrvec_push(&c->tests, d);
        break;
    case D_FORM:
        ptrvec_push(&c->forms, d);
        break;
    case D_OPTION: case D_ROWS: case D_CATEGORY: case D_WORDS: case D_APPLIES:
        break;
    case D_IMPORT: case D_REMOVE: /* resolved away before checking (imports.c) */
        break;
    }
}

static const char *const option_names[] = {
    "score_places", "score_tolerance", "total_tolerance", "unverified", "form_rate_places",
    "form_score_step", "show_places", NULL,
};

static void check_option(Checker *c, Decl *d)
{
    Options *o = &c->p->opt;
    TlDec v;
    int which = -1;
    for (int i = 0; option_names[i]; i++)
        if (strcmp(d->name, option_names[i]) == 0)
            which = i;
    for (size_t i = 0; i < c->options.len; i++) {
        const Decl *first = c->options.items[i];
        if (strcmp(first->name, d->name) == 0) {
            Diag *dg = error_at(c, d->name_span, _("option '%s' is already set at line %d"), d->name,
                                line_of(c, first->name_span));
            imports_hint(c->src, dg, first->span, d->span, "option");
            return;
        }
    }
    ptrvec_push(&c->options, d);
    if (which < 0) {
        Diag *dg = error_at(c, d->name_span, _("unknown option '%s'"), d->name);
        for (size_t i = 0; option_names[i]; i++)
            if (text_edit_distance(d->name, option_names[i], 3) <= 3) {
                diag_set_hint(dg, _("did you mean '%s'?"), option_names[i]);
                return;
            }
        diag_set_hint(dg, _("options are score_places, score_tolerance, total_tolerance, unverified, "
                          "form_rate_places, form_score_step and show_places"));
        return;
    }
    const Expr *e = d->u.option.value;
    if (which == 3) { /* unverified = range | zero | reported */
        const char *w = e->kind == E_NAME ? e->u.name.name : "";
        if (strcmp(w, "range") == 0)
            o->unverified = UNVERIFIED_RANGE;
        else if (strcmp(w, "zero") == 0)
            o->unverified = UNVERIFIED_ZERO;
        else if (strcmp(w, "reported") == 0)
            o->unverified = UNVERIFIED_REPORTED;
        else {
            Diag *dg = error_at(c, e->span, _("option unverified is range, zero or reported"));
            diag_set_hint(dg, _("range: 0 to the weight, the total a range (the default); zero: "
                              "无佐证不得分; reported: the self-awarded score"));
        }
        return;
    }
    if (!fold_const(c, e, &v, "an option value"))
        return;
    switch (which) {
    case 0:
        if (v.scale != 0 || v.coef < 0 || v.coef > 6)
            error_at(c, e->span, _("score_places must be a whole number from 0 to 6"));
        else
            o->score_places = (int)v.coef;
        return;
    case 4:
        if (dec_cmp(v, dec_from_int(0)) < 0 || dec_cmp(v, dec_from_int(2)) > 0 ||
            dec_cmp(v, dec_round(v, 0)) != 0)
            error_at(c, e->span, _("form_rate_places is 0 (whole percents) to 2"));
        else
            o->form_rate_places = (int)dec_round(v, 0).coef;
        return;
    case 5:
        if (dec_sign(v) <= 0)
            error_at(c, e->span, _("form_score_step must be above 0 (1: whole points, 0.5: half points)"));
        else
            o->form_score_step = v;
        return;
    case 6:
        if (v.scale != 0 || v.coef < 0 || v.coef > 6)
            error_at(c, e->span, _("show_places must be a whole number from 0 to 6"));
        else
            o->show_places = (int)v.coef;
        return;
    default:
        break;
    }
    if (dec_sign(v) < 0)
        error_at(c, e->span, _("a tolerance cannot be negative"));
    else if (which == 1)
        o->score_tolerance = v;
    else
        o->total_tolerance = v;
}

/* Words ---------------------------------------------------------------------------- */

/* Pairs of lists a word may not share: it cannot mean both. */
static const VocabList vocab_conflicts[][2] = {
    {VOCAB_YES, VOCAB_NO},           {VOCAB_ACHIEVED, VOCAB_PARTLY},
    {VOCAB_ACHIEVED, VOCAB_NOT_ACHIEVED}, {VOCAB_PARTLY, VOCAB_NOT_ACHIEVED},
    {VOCAB_YES, VOCAB_PARTLY},       {VOCAB_YES, VOCAB_NOT_ACHIEVED},
    {VOCAB_NO, VOCAB_ACHIEVED},      {VOCAB_NO, VOCAB_PARTLY},
    {VOCAB_HIGHER, VOCAB_LOWER},     {VOCAB_MISSING, VOCAB_YES},
    {VOCAB_MISSING, VOCAB_ACHIEVED}, {VOCAB_MISSING, VOCAB_PARTLY},
    {VOCAB_MISSING, VOCAB_NOT_ACHIEVED},
};

/* A list as it is being built: its words and, for those a `words`
 * declaration gave, where. */
typedef struct WordsBuild {
    PtrVec words;
    Span *spans;
    size_t cap;
    Decl *replaced;          /* the `=` declaration, if any */
} WordsBuild;

static void words_push(WordsBuild *b, const char *w, Span span)
{
    if (b->words.len == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 16;
        b->spans = xrealloc(b->spans, b->cap * sizeof *b->spans);
    }
    b->spans[b->words.len] = span;
    ptrvec_push(&b->words, (void *)w);
}

/* A table group's category a `words` declaration names (trailing 指标
 * ignored), or NULL. */
static const char *category_named(const Program *p, const char *name)
{
    size_t ln = strlen(name), ls = strlen("指标");
    for (int g = 0; g < p->ngroups; g++)
        for (int i = 0; p->groups[g].is_table && i < p->groups[g].ncategories; i++) {
            const char *cat = p->groups[g].categories[i];
            size_t lc = strlen(cat);
            size_t a = ln > ls && strcmp(name + ln - ls, "指标") == 0 ? ln - ls : ln;
            size_t b = lc > ls && strcmp(cat + lc - ls, "指标") == 0 ? lc - ls : lc;
            if (strcmp(cat, "*") != 0 && a == b && strncmp(name, cat, a) == 0)
                return cat;
        }
    return NULL;
}

/* The program's vocabulary: the defaults, each list a `words LIST =`
 * replaces, plus every `words LIST +=`; category aliases.  Errors: an
 * unknown list, an empty list or word, a list replaced twice, a word in two
 * lists that contradict each other, an alias of two categories. */
static void check_words(Checker *c, Decl **decls, int n)
{
    Program *p = c->p;
    Vocab *v = &p->vocab;
    vocab_init(v);
    WordsBuild lists[VOCAB_COUNT];
    memset(lists, 0, sizeof lists);
    PtrVec aliases = {0}, alias_cats = {0};
    Span *alias_spans = NULL;
    size_t alias_cap = 0;
    bool any = false;
    for (int k = 0; k < n; k++) {
        Decl *d = decls[k];
        if (d->kind != D_WORDS)
            continue;
        any = true;
        int l = vocab_list_find(d->name);
        const char *cat = l < 0 ? category_named(p, d->name) : NULL;
        if (l < 0 && !cat) {
            Diag *dg = error_at(c, d->name_span, _("unknown word list '%s'"), d->name);
            const char *near = NULL;
            for (int i = 0; i < VOCAB_COUNT && !near; i++)
                if (text_edit_distance(d->name, vocab_list_name((VocabList)i), 2) <= 2)
                    near = vocab_list_name((VocabList)i);
            if (near)
                diag_set_hint(dg, _("did you mean '%s'?"), near);
            else
                diag_set_hint(dg, _("word lists are %s, or a category of a table group (its "
                                  "other names)"), vocab_list_names());
            continue;
        }
        if (d->u.words.nwords == 0) {
            Diag *dg = error_at(c, d->span, _("words %s %s needs at least one word"), d->name,
                                d->u.words.extend ? "+=" : "=");
            diag_set_hint(dg, _("to keep the default list, leave the declaration out; '+=' adds "
                              "words, '=' replaces the list"));
            continue;
        }
        if (l >= 0 && !d->u.words.extend) {
            if (lists[l].replaced) {
                Diag *dg = error_at(c, d->span, _("words %s is replaced twice (first at line %d)"),
                                    d->name, line_of(c, lists[l].replaced->span));
                imports_hint(c->src, dg, lists[l].replaced->span, d->span, "words");
                continue;
            }
            lists[l].replaced = d;
        }
        for (int i = 0; i < d->u.words.nwords; i++) {
            const char *w = d->u.words.words[i];
            if (!*w) {
                Diag *dg = error_at(c, d->u.words.spans[i], _("a word cannot be empty"));
                if (l == VOCAB_MISSING)
                    diag_set_hint(dg, _("an empty cell is always missing"));
                continue;
            }
            if (cat) {
                if (alias_cats.len == alias_cap) {
                    alias_cap = alias_cap ? alias_cap * 2 : 8;
                    alias_spans = xrealloc(alias_spans, alias_cap * sizeof *alias_spans);
                }
                alias_spans[aliases.len] = d->u.words.spans[i];
                ptrvec_push(&aliases, (void *)w);
                ptrvec_push(&alias_cats, (void *)cat);
            }
        }
    }
    if (!any)
        return;
    /* each list: the replacement or the defaults, then every += in file order */
    for (int l = 0; l < VOCAB_COUNT; l++) {
        WordsBuild *b = &lists[l];
        if (b->replaced) {
            for (int i = 0; i < b->replaced->u.words.nwords; i++)
                if (*b->replaced->u.words.words[i])
                    words_push(b, b->replaced->u.words.words[i], b->replaced->u.words.spans[i]);
        } else {
            for (const char *const *w = vocab_default((VocabList)l); *w; w++)
                if (**w)
                    words_push(b, *w, (Span){0, 0});
        }
        bool changed = b->replaced != NULL;
        for (int k = 0; k < n; k++) {
            Decl *d = decls[k];
            if (d->kind != D_WORDS || !d->u.words.extend || vocab_list_find(d->name) != l)
                continue;
            for (int i = 0; i < d->u.words.nwords; i++) {
                const char *w = d->u.words.words[i];
                bool dup = !*w;
                for (size_t j = 0; j < b->words.len && !dup; j++)
                    dup = strcmp(b->words.items[j], w) == 0;
                if (!dup) {
                    words_push(b, w, d->u.words.spans[i]);
                    changed = true;
                }
            }
        }
        if (!changed)
            continue;
        v->custom[l] = true;
        size_t extra = l == VOCAB_MISSING ? 1 : 0; /* the empty cell */
        const char **arr = arena_alloc(&p->arena, (b->words.len + extra + 1) * sizeof *arr);
        size_t m = 0;
        if (extra)
            arr[m++] = "";
        for (size_t j = 0; j < b->words.len; j++) {
            const char *w = b->words.items[j];
            if (l == VOCAB_MISSING) { /* cells are compared folded (docs/data.md) */
                size_t fn;
                char *f = text_fold_width(w, strlen(w), &fn);
                w = arena_strdup(&p->arena, f);
                free(f);
            }
            arr[m++] = w;
        }
        arr[m] = NULL;
        v->list[l] = arr;
    }
    /* a word in two lists that contradict each other */
    for (size_t k = 0; k < sizeof vocab_conflicts / sizeof *vocab_conflicts; k++) {
        VocabList a = vocab_conflicts[k][0], b = vocab_conflicts[k][1];
        if (!v->custom[a] && !v->custom[b])
            continue;
        for (size_t i = 0; i < lists[a].words.len; i++)
            for (size_t j = 0; j < lists[b].words.len; j++) {
                if (strcmp(lists[a].words.items[i], lists[b].words.items[j]) != 0)
                    continue;
                Span sa = lists[a].spans[i], sb = lists[b].spans[j];
                Span at = sb.end > sa.end ? sb : sa;
                Diag *dg = error_at(c, at, _("'%s' is in both %s and %s"),
                                    (const char *)lists[a].words.items[i], vocab_list_name(a),
                                    vocab_list_name(b));
                diag_set_hint(dg, _("a word means one thing: take it out of one list ('=' "
                                  "replaces a list, the defaults are in docs/language.md §3.14)"));
            }
    }
    /* category aliases */
    v->naliases = (int)aliases.len;
    v->aliases = arena_alloc(&p->arena, (aliases.len + 1) * sizeof *v->aliases);
    for (size_t i = 0; i < aliases.len; i++) {
        const char *w = aliases.items[i], *cat = alias_cats.items[i];
        v->aliases[i] = (CategoryAlias){w, cat};
        const char *other = category_named(p, w);
        if (other && strcmp(other, cat) != 0)
            error_at(c, alias_spans[i], _("'%s' is a category of its own; it cannot also name '%s'"),
                     w, cat);
        for (size_t j = 0; j < i; j++)
            if (strcmp(aliases.items[j], w) == 0 && strcmp(alias_cats.items[j], cat) != 0)
                error_at(c, alias_spans[i], _("'%s' already names the category '%s' (line %d)"), w,
                         (const char *)alias_cats.items[j], line_of(c, alias_spans[j]));
    }
    for (int l = 0; l < VOCAB_COUNT; l++) {
        ptrvec_free(&lists[l].words);
        free(lists[l].spans);
    }
    ptrvec_free(&aliases);
    ptrvec_free(&alias_cats);
    free(alias_spans);
}

static void check_input(Checker *c, Sym *s)
{
    const char *t = s->decl->u.input.type_name;
    if (strcmp(t, "percent") == 0 || strcmp(t, "%") == 0)
        s->type = ty_ratio();
    else if (strcmp(t, "number") == 0)
        s->type = ty_num("");
    else if (strcmp(t, "text") == 0)
        s->type = ty(TY_TEXT);
    else if (strcmp(t, "boolean") == 0)
        s->type = ty(TY_BOOL);
    else if (strcmp(t, "cell") == 0)
        s->type = ty(TY_ANY);
    else {
        int mag = 0;
        const char *base = unit_split(t, &mag);
        s->type = ty_num(*base ? base : t);
        s->unit_written = t;
        s->mag = *base ? mag : 0;
    }
}

static void check_method_ref(Checker *c, Expr *m);

static void check_indicator(Checker *c, Decl *d, int index, int group)
{
    Indicator *ind = &c->p->indicators[index];
    ind->decl = d;
    ind->index = index;
    ind->group = group;
    TlDec w = dec_from_int(0);
    if (fold_const(c, d->u.indicator.weight, &w, "a weight") && dec_sign(w) < 0)
        error_at(c, d->u.indicator.weight->span, _("a weight cannot be negative"));
    ind->weight = w;
    c->in_indicator = true;
    Sym *sv = symtab_get(c->p->symbols, "value"), *st = symtab_get(c->p->symbols, "target");
    if (d->u.indicator.value)
        sv->type = check_expr(c, d->u.indicator.value);
    else
        sv->type = ty(TY_ANY);
    if (d->u.indicator.target)
        st->type = check_expr(c, d->u.indicator.target);
    else
        st->type = ty(TY_ANY);
    if (d->u.indicator.score) {
        Type t = check_expr(c, d->u.indicator.score);
        expect_number(c, d->u.indicator.score, t, "a score");
        ind->score = d->u.indicator.score;
        check_score_range(c, ind->score, w, d->name);
        if (d->u.indicator.method)
            error_at(c, d->u.indicator.method->span,
                     _("indicator '%s' has both a score formula and a method"), d->name);
    } else if (d->u.indicator.method) {
        Expr *m = d->u.indicator.method;
        check_method_ref(c, m);
        ind->method_call = m;
        if (m->kind == E_NAME && m->u.name.sym && m->u.name.sym->kind == SYM_METHOD)
            check_score_range(c, m->u.name.sym->decl->u.method.body, w, d->name);
    } else {
        error_at(c, d->span, _("indicator '%s' needs a score formula or 'using' a method"), d->name);
    }
    sv->type = ty(TY_ANY);
    st->type = ty(TY_ANY);
    c->in_indicator = false;
}

static TlDec check_group(Checker *c, Decl *d, int parent, int depth);

/* Sum of the weights of a group's members (or of the top level). */
static void check_members(Checker *c, Decl **members, int n, int group, int depth, TlDec *sum,
                          bool *has_weights)
{
    *sum = dec_from_int(0);
    *has_weights = false;
    for (int i = 0; i < n; i++) {
        Decl *m = members[i];
        TlDec w = dec_from_int(0);
        if (m->kind == D_INDICATOR) {
            Sym *s = symtab_get(c->p->symbols, m->name);
            int index = s && s->decl == m ? s->index : -1;
            if (index >= 0) {
                check_indicator(c, m, index, group);
                w = c->p->indicators[index].weight;
            }
        } else if (m->kind == D_GROUP) {
            w = check_group(c, m, group, depth);
        } else {
            continue;
        }
        *has_weights = true;
        if (!dec_add(*sum, w, sum))
            error_at(c, m->span, _("weights overflow"));
    }
}

static TlDec check_group(Checker *c, Decl *d, int parent, int depth)
{
    Sym *s = symtab_get(c->p->symbols, d->name);
    int index = s && s->decl == d ? s->index : -1;
    TlDec w = dec_from_int(0);
    fold_const(c, d->u.group.weight, &w, "a weight");
    if (index < 0)
        return w;
    Group *g = &c->p->groups[index];
    g->decl = d;
    g->index = index;
    g->parent = parent;
    g->depth = depth;
    g->weight = w;
    int ncat = 0;
    for (int i = 0; i < d->u.group.nmembers; i++)
        if (d->u.group.members[i]->kind == D_CATEGORY)
            ncat += d->u.group.members[i]->u.category.nnames;
    if (ncat) {
        g->is_table = true;
        c->p->has_table = true;
        g->categories = arena_alloc(&c->p->arena, (size_t)ncat * sizeof(char *));
        for (int i = 0; i < d->u.group.nmembers; i++) {
            Decl *m = d->u.group.members[i];
            if (m->kind != D_CATEGORY) {
                error_at(c, m->span,
                         _("group '%s' scores table rows by category; it cannot also hold %s"),
                         d->name, m->kind == D_GROUP ? "groups" : "indicators");
                continue;
            }
            for (int k = 0; k < m->u.category.nnames; k++)
                g->categories[g->ncategories++] = m->u.category.names[k];
        }
        return w;
    }
    TlDec sum;
    bool has;
    check_members(c, d->u.group.members, d->u.group.nmembers, index, depth + 1, &sum, &has);
    if (!has)
        warn_at(c, d->name_span, _("group '%s' is empty"), d->name);
    else if (dec_cmp(sum, w) != 0) {
        char a[DEC_BUF], b[DEC_BUF];
        dec_format_trim(sum, 6, a);
        dec_format_trim(w, 6, b);
        Diag *dg = error_at(c, d->u.group.weight->span,
                            _("the weights in group '%s' add up to %s, but the group's weight is %s"),
                            d->name, a, b);
        diag_set_hint(dg, _("change a member's weight or the group's, so that they agree"));
    }
    return w;
}

static void check_grades(Checker *c, Decl *d)
{
    Program *p = c->p;
    if (p->ngrades) {
        Diag *dg = error_at(c, d->span, _("grades are declared twice"));
        imports_hint(c->src, dg, ((const Decl *)c->grades_decls.items[0])->span, d->span, "grades");
        return;
    }
    p->grades = arena_alloc(&p->arena, (size_t)d->u.grades.nbands * sizeof(Grade));
    StrMap names = {0};
    for (int i = 0; i < d->u.grades.nbands; i++) {
        GradeBand *b = &d->u.grades.bands[i];
        bool twice = strmap_find(&names, b->name) != NULL;
        if (!twice)
            strmap_put(&names, b->name, (size_t)i);
        Grade *g = &p->grades[p->ngrades++];
        g->name = b->name;
        g->op = b->op;
        g->is_else = b->edge == NULL;
        if (g->is_else) {
            if (i != d->u.grades.nbands - 1)
                error_at(c, b->span, _("the else grade must come last"));
            continue;
        }
        if (!fold_const(c, b->edge, &g->edge, "a grade edge"))
            continue;
        if (i > 0 && !p->grades[i - 1].is_else && dec_cmp(g->edge, p->grades[i - 1].edge) >= 0) {
            char a[DEC_BUF], e[DEC_BUF];
            dec_format_trim(g->edge, 6, a);
            dec_format_trim(p->grades[i - 1].edge, 6, e);
            Diag *dg = error_at(c, b->edge->span,
                                _("grade bands out of order: '%s' starts at %s, not below '%s' at %s"),
                                b->name, a, p->grades[i - 1].name, e);
            diag_set_hint(dg, _("list grades from the highest band to the lowest"));
        }
        if (twice)
            error_at(c, b->span, _("grade '%s' is listed twice"), g->name);
    }
    strmap_free(&names);
}

/* `using M` or `using M(args)`: M must be a method or a built-in.  A name
 * alone takes the row's (target, actual, weight[, reported]). */
static void check_method_ref(Checker *c, Expr *m)
{
    if (m->kind == E_CALL) {
        check_expr(c, m);
        return;
    }
    const char *name = m->u.name.name;
    Sym *s = symtab_get(c->p->symbols, name);
    if (!s) {
        Diag *d = error_at(c, m->span, _("unknown method '%s'"), name);
        const char *near = suggest(c, name);
        if (near)
            diag_set_hint(d, _("did you mean '%s'?"), near);
        return;
    }
    m->u.name.sym = s;
    s->used = true;
    if (s->kind == SYM_METHOD) {
        int want = s->decl->u.method.nparams;
        if (want)
            error_at(c, m->span, _("method '%s' takes %d argument%s: write %s(...)"), name, want,
                     want == 1 ? "" : "s", name);
    } else if (s->kind == SYM_BUILTIN) {
        if (s->builtin->min_args < 3 || s->builtin->min_args > 4)
            error_at(c, m->span, _("%s cannot score a row by itself: write %s"), name,
                     s->builtin->signature);
    } else {
        error_at(c, m->span, _("'%s' is %s %s, not a method"), name, article(s->kind),
                 sym_kind_name(s->kind));
    }
}

static void check_rows(Checker *c, Decl *d)
{
    Program *p = c->p;
    if (p->nrules) {
        Diag *dg = error_at(c, d->span, _("rows rules are declared twice"));
        imports_hint(c->src, dg, p->rules[0].span, d->span, "rows");
        return;
    }
    p->rules = d->u.rows.rules;
    p->nrules = d->u.rows.nrules;
    c->in_rows = true;
    for (int i = 0; i < p->nrules; i++) {
        RowRule *r = &p->rules[i];
        if (r->nconds == 0 && i != p->nrules - 1)
            warn_at(c, r->span, _("rules after 'else' are never used"));
        for (int k = 0; k < r->nconds; k++) {
            RowCond *cd = &r->conds[k];
            if (cd->kind == COND_KIND)
                for (int v = 0; v < cd->nvalues; v++) {
                    const char *w = cd->values[v];
                    if (strcmp(w, "number") && strcmp(w, "percent") && strcmp(w, "quantity") &&
                        strcmp(w, "text") && strcmp(w, "missing"))
                        error_at(c, cd->span,
                                 _("kind is number, percent, quantity, text or missing, not '%s'"), w);
                }
            if (cd->kind == COND_DIRECTION)
                for (int v = 0; v < cd->nvalues; v++) {
                    const char *w = cd->values[v];
                    if (strcmp(w, "higher") && strcmp(w, "lower") && strcmp(w, "unknown"))
                        error_at(c, cd->span, _("direction is higher, lower or unknown, not '%s'"), w);
                }
        }
        check_method_ref(c, r->method);
    }
    c->in_rows = false;
}

/* Cycles among lets ------------------------------------------------------------ */

/* The symbols of one kind (lets, or indicators) that expression e names directly. */
static void kind_refs(const Expr *e, SymKind kind, PtrVec *out)
{
    if (!e)
        return;
    switch (e->kind) {
    case E_LIT: return;
    case E_NAME:
        if (e->u.name.sym && e->u.name.sym->kind == kind)
            ptrvec_push(out, e->u.name.sym);
        return;
    case E_CALL:
        for (int i = 0; i < e->u.call.nargs; i++)
            kind_refs(e->u.call.args[i], kind, out);
        return;
    case E_UNARY: kind_refs(e->u.unary.a, kind, out); return;
    case E_BINARY:
        kind_refs(e->u.binary.a, kind, out);
        kind_refs(e->u.binary.b, kind, out);
        return;
    case E_IF:
        kind_refs(e->u.cond.cond, kind, out);
        kind_refs(e->u.cond.then, kind, out);
        kind_refs(e->u.cond.els, kind, out);
        return;
    case E_TIERS:
        kind_refs(e->u.tiers.subject, kind, out);
        kind_refs(e->u.tiers.els, kind, out);
        for (int i = 0; i < e->u.tiers.ntiers; i++) {
            kind_refs(e->u.tiers.tiers[i].edge, kind, out);
            kind_refs(e->u.tiers.tiers[i].score, kind, out);
        }
        return;
    }
}

/* Mark in on_cycle[] every node that depends on itself: the nodes of a
 * strongly connected component of the graph "node a names node b" (refs[a]
 * holds the Syms it names; Sym.index is the node) that has more than one
 * member or names itself.  Tarjan's algorithm, with an explicit stack so that
 * a chain of a million lets needs no deep C stack, and linear time.  Frees refs. */
static void find_cycles(int n, PtrVec *refs, bool *on_cycle)
{
    int *order = xcalloc((size_t)n + 1, sizeof(int)); /* discovery number + 1; 0: not yet */
    int *low = xcalloc((size_t)n + 1, sizeof(int));
    bool *stacked = xcalloc((size_t)n + 1, sizeof(bool));
    int *comp = xcalloc((size_t)n + 1, sizeof(int));  /* Tarjan's stack of lets */
    int *walk = xcalloc((size_t)n + 1, sizeof(int));  /* the DFS path */
    size_t *next = xcalloc((size_t)n + 1, sizeof(size_t)); /* next ref to follow */
    int counter = 0, ncomp = 0;
    for (int root = 0; root < n; root++) {
        if (order[root])
            continue;
        int depth = 0;
        walk[depth++] = root;
        order[root] = low[root] = ++counter;
        comp[ncomp++] = root;
        stacked[root] = true;
        while (depth) {
            int v = walk[depth - 1];
            if (next[v] < refs[v].len) {
                int w = ((const Sym *)refs[v].items[next[v]++])->index;
                if (!order[w]) {
                    order[w] = low[w] = ++counter;
                    comp[ncomp++] = w;
                    stacked[w] = true;
                    walk[depth++] = w;
                } else if (stacked[w] && order[w] < low[v]) {
                    low[v] = order[w];
                }
                continue;
            }
            depth--;
            if (depth && low[v] < low[walk[depth - 1]])
                low[walk[depth - 1]] = low[v];
            if (low[v] != order[v])
                continue;
            int first = ncomp;
            do
                stacked[comp[--first]] = false;
            while (comp[first] != v);
            bool self = false;
            for (size_t k = 0; k < refs[v].len; k++)
                self |= ((const Sym *)refs[v].items[k])->index == v;
            if (ncomp - first > 1 || self)
                for (int k = first; k < ncomp; k++)
                    on_cycle[comp[k]] = true;
            ncomp = first;
        }
    }
    for (int i = 0; i < n; i++)
        ptrvec_free(&refs[i]);
    free(refs);
    free(order);
    free(low);
    free(stacked);
    free(comp);
    free(walk);
    free(next);
}

static void predeclare(Checker *c)
{
    static const struct {
        const char *name;
        ContextWord ctx;
    } words[] = {{"value", CTX_VALUE}, {"actual", CTX_VALUE}, {"target", CTX_TARGET},
                 {"weight", CTX_WEIGHT}, {"reported", CTX_REPORTED}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        Sym *s = new_sym(c, SYM_CONTEXT, words[i].name, NULL);
        s->ctx = words[i].ctx;
        s->type = words[i].ctx == CTX_WEIGHT ? ty_num("") : ty(TY_ANY);
        symtab_put(c->p->symbols, s);
    }
    for (int i = 0; builtin_at(i); i++) {
        Sym *s = new_sym(c, SYM_BUILTIN, builtin_at(i)->name, NULL);
        s->builtin = builtin_at(i);
        symtab_put(c->p->symbols, s);
    }
    for (int i = 0; builtin_mode_word(i); i++) {
        Sym *s = new_sym(c, SYM_CONST, builtin_mode_word(i), NULL);
        s->type = ty(TY_TEXT);
        symtab_put(c->p->symbols, s);
    }
}

static void check_all(Checker *c)
{
    Program *p = c->p;
    Ast *ast = &p->ast;
    p->opt.score_places = 2;
    p->opt.score_tolerance = dec_make(5, 3);
    p->opt.total_tolerance = dec_make(5, 3);
    p->opt.unverified = UNVERIFIED_RANGE;
    p->opt.form_rate_places = -1;
    p->opt.form_score_step = dec_from_int(0);
    p->opt.show_places = -1;
    vocab_init(&p->vocab);
    predeclare(c);
    for (int i = 0; i < ast->ndecls; i++)
        collect(c, ast->decls[i], -1);

    p->ninputs = (int)c->inputs.len;
    p->inputs = (Sym **)c->inputs.items;
    p->nlets = (int)c->lets.len;
    p->lets = (Sym **)c->lets.items;
    p->nmethods = (int)c->methods.len;
    p->methods = (Sym **)c->methods.items;
    p->nchecks = (int)c->checks.len;
    p->checks = (Decl **)c->checks.items;
    p->nindicators = (int)c->indicators.len;
    p->indicators = arena_alloc(&p->arena, (c->indicators.len + 1) * sizeof(Indicator));
    p->ngroups = (int)c->groups.len;
    p->groups = arena_alloc(&p->arena, (c->groups.len + 1) * sizeof(Group));

    for (int i = 0; i < p->ninputs; i++)
        check_input(c, p->inputs[i]);
    for (int i = 0; i < ast->ndecls; i++) {
        Decl *d = ast->decls[i];
        switch (d->kind) {
        case D_SCHEME:
            if (d->u.scheme.total && fold_const(c, d->u.scheme.total, &p->total, "the total"))
                p->has_total = true;
            break;
        case D_OPTION: check_option(c, d); break;
        case D_GRADES: check_grades(c, d); break;
        case D_ROWS: check_rows(c, d); break;
        case D_CATEGORY:
            error_at(c, d->span, _("'category' belongs inside a group"));
            break;
        case D_APPLIES: applies_check(p, d, c->diags); break;
        case D_INPUT: case D_LET: case D_METHOD: case D_INDICATOR: case D_GROUP: case D_CHECK:
        case D_WORDS: case D_TEST: case D_IMPORT: case D_REMOVE: case D_FORM:
            break;
        }
    }
    p->nforms = (int)c->forms.len;
    p->forms = arena_alloc(&p->arena, (c->forms.len + 1) * sizeof(Decl *));
    for (size_t i = 0; i < c->forms.len; i++) {
        p->forms[i] = c->forms.items[i];
        for (size_t j = 0; j < i; j++)
            if (strcmp(p->forms[j]->name, p->forms[i]->name) == 0)
                error_at(c, p->forms[i]->name_span, _("form '%s' is already declared at line %d"),
                         p->forms[i]->name, line_of(c, p->forms[j]->name_span));
        form_check_decl(c->src, p->forms[i], c->diags);
    }
    /* Lets first (their types feed everything else), in declaration order;
     * a let used before its declaration is checked when reached. */
    for (int i = 0; i < p->nlets; i++) {
        Sym *s = p->lets[i];
        c->let_stack[0] = s;
        s->type = check_expr(c, s->decl->u.let.value);
        c->let_stack[0] = NULL;
    }
    bool *on_cycle = xcalloc((size_t)p->nlets + 1, sizeof(bool));
    PtrVec *refs = xcalloc((size_t)p->nlets + 1, sizeof *refs);
    for (int i = 0; i < p->nlets; i++)
        kind_refs(p->lets[i]->decl->u.let.value, SYM_LET, &refs[i]);
    find_cycles(p->nlets, refs, on_cycle);
    for (int i = 0; i < p->nlets; i++) {
        Sym *s = p->lets[i];
        if (on_cycle[i]) {
            Diag *d = error_at(c, s->decl->name_span, _("'%s' is defined in terms of itself"),
                               s->name);
            diag_set_hint(d, _("a let may not depend on itself, directly or through other lets"));
        }
    }
    free(on_cycle);
    for (int i = 0; i < p->nmethods; i++) {
        Decl *d = p->methods[i]->decl;
        for (int k = 0; k < d->u.method.nparams; k++) {
            Param *pa = &d->u.method.params[k];
            Sym *s = new_sym(c, SYM_PARAM, pa->name, NULL);
            s->index = k;
            pa->sym = s;
            for (int j = 0; j < k; j++)
                if (strcmp(d->u.method.params[j].name, pa->name) == 0)
                    error_at(c, pa->span, _("parameter '%s' is listed twice"), pa->name);
            Sym *clash = symtab_get(p->symbols, pa->name);
            if (clash && clash->kind == SYM_CONTEXT)
                error_at(c, pa->span, _("'%s' is a context word and cannot be a parameter"),
                         pa->name);
        }
        c->method = d;
        Type t = check_expr(c, d->u.method.body);
        expect_number(c, d->u.method.body, t, "a method");
        c->method = NULL;
    }
    TlDec sum;
    bool has;
    check_members(c, ast->decls, ast->ndecls, -1, 0, &sum, &has);
    check_words(c, ast->decls, ast->ndecls); /* after the groups: categories may take words */
    /* Indicators that name each other's scores in a circle. */
    bool *ind_cycle = xcalloc((size_t)p->nindicators + 1, sizeof(bool));
    PtrVec *irefs = xcalloc((size_t)p->nindicators + 1, sizeof *irefs);
    for (int i = 0; i < p->nindicators; i++) {
        const Decl *d = p->indicators[i].decl;
        if (!d)
            continue;
        kind_refs(d->u.indicator.value, SYM_INDICATOR, &irefs[i]);
        kind_refs(d->u.indicator.target, SYM_INDICATOR, &irefs[i]);
        kind_refs(d->u.indicator.score, SYM_INDICATOR, &irefs[i]);
    }
    find_cycles(p->nindicators, irefs, ind_cycle);
    for (int i = 0; i < p->nindicators; i++)
        if (ind_cycle[i]) {
            Diag *d = error_at(c, p->indicators[i].decl->name_span,
                               _("the score of '%s' depends on itself"), p->indicators[i].decl->name);
            diag_set_hint(d, _("an indicator may not name its own score, directly or through others"));
        }
    free(ind_cycle);
    if (has && p->has_total && dec_cmp(sum, p->total) != 0) {
        char a[DEC_BUF], b[DEC_BUF];
        dec_format_trim(sum, 6, a);
        dec_format_trim(p->total, 6, b);
        Decl *scheme = NULL;
        for (int i = 0; i < ast->ndecls; i++)
            if (ast->decls[i]->kind == D_SCHEME && ast->decls[i]->u.scheme.total)
                scheme = ast->decls[i]; /* a second scheme (an error) may have no total */
        Diag *d = error_at(c, scheme->u.scheme.total->span,
                           _("the top-level weights add up to %s, but the scheme's total is %s"), a, b);
        diag_set_hint(d, _("every top-level group and indicator counts towards the total"));
    }
    for (int i = 0; i < p->nchecks; i++) {
        Decl *d = p->checks[i];
        Type t = check_expr(c, d->u.check.cond);
        expect_bool(c, d->u.check.cond, t, "a check");
        if (d->u.check.tolerance) {
            Type tt = check_expr(c, d->u.check.tolerance);
            expect_number(c, d->u.check.tolerance, tt, "a tolerance");
            const Expr *cond = d->u.check.cond;
            if (cond->kind != E_BINARY || cond->u.binary.op < OP_EQ || cond->u.binary.op > OP_GE)
                error_at(c, d->u.check.tolerance->span,
                         _("'within' applies to a check that compares two values"));
            else if (units_known_differ(cond->u.binary.a->type, tt)) {
                char b1[64], b2[64];
                error_at(c, d->u.check.tolerance->span, _("the tolerance is %s but the values are %s"),
                         type_describe(tt, b1, sizeof b1),
                         type_describe(cond->u.binary.a->type, b2, sizeof b2));
            }
        }
    }
    if (p->has_table && !p->nrules)
        error_at(c, (Span){0, 0}, _("table groups need a 'rows' block saying how rows are scored"));
    for (int i = 0; i < p->ninputs; i++)
        if (!p->inputs[i]->used)
            warn_at(c, p->inputs[i]->decl->name_span, _("input '%s' is never used"),
                    p->inputs[i]->name);
    p->ntests = (int)c->tests.len;
    p->tests = arena_alloc(&p->arena, (c->tests.len + 1) * sizeof(Decl *));
    for (size_t i = 0; i < c->tests.len; i++)
        p->tests[i] = c->tests.items[i];
    tests_check(p, c->diags);
}

void check_program(Program *p, DiagList *diags)
{
    Checker c = {0};
    c.p = p;
    c.src = &p->src;
    c.diags = diags;
    check_all(&c);
    strmap_free(&c.check_names);
    ptrvec_free(&c.grades_decls);
    ptrvec_free(&c.tests);
    ptrvec_free(&c.options);
    ptrvec_free(&c.forms);
    ptrvec_free(&c.indicators);
    ptrvec_free(&c.groups);
    /* inputs, lets, methods, checks: arrays now owned by p (freed in program_free) */
}

bool program_check_expr(Program *p, Expr *e, const Source *src, bool context_words,
                        DiagList *diags)
{
    Checker c = {0};
    c.p = p;
    c.src = src;
    c.diags = diags;
    c.in_indicator = context_words;
    size_t before = diags->errors;
    check_expr(&c, e);
    return diags->errors == before;
}
