/* build.c - node builders for the grammar actions (build.h): they make
 * nodes in the arena, and check only what the tree's shape can tell (an
 * expression too deep, a clause given twice). */
#include "build.h"

#include <string.h>

#include "parse.h"
#include "parser.h"
#include "lang/base/l10n.h"

NodeList *list_new(ParseState *ps)
{
    return arena_alloc(ps->arena, sizeof(NodeList));
}

NodeList *list_push(ParseState *ps, NodeList *l, void *item)
{
    if (l->len == l->cap) {
        int cap = l->cap ? l->cap * 2 : 4;
        void **items = arena_alloc(ps->arena, (size_t)cap * sizeof *items);
        if (l->len)
            memcpy(items, l->items, (size_t)l->len * sizeof *items);
        l->items = items;
        l->cap = cap;
    }
    l->items[l->len++] = item;
    return l;
}

Decl *build_decl(ParseState *ps, DeclKind kind, Span span, const char *name, Span nspan)
{
    Decl *d = arena_alloc(ps->arena, sizeof *d);
    d->kind = kind;
    d->span = span;
    d->name = name;
    d->name_span = nspan;
    return d;
}

static Expr *new_expr(ParseState *ps, ExprKind kind, Span span)
{
    Expr *e = arena_alloc(ps->arena, sizeof *e);
    e->kind = kind;
    e->span = span;
    e->height = 1;
    return e;
}

/* Make e one level higher than its child. */
static void above(Expr *e, const Expr *child)
{
    if (child && child->height >= e->height)
        e->height = child->height + 1;
}

/* Refuse a tree higher than the limit, once: at the node that crosses it. */
static Expr *height_checked(ParseState *ps, Expr *e)
{
    if (e->height == PARSE_MAX_EXPR_HEIGHT + 1) {
        Diag *d = diag_at(ps->diags, DIAG_ERROR, ps->src, e->span,
                          _("expression nested more than %d levels deep"), PARSE_MAX_EXPR_HEIGHT);
        diag_set_hint(d, _("split it into smaller parts with 'let'"));
    }
    return e;
}

NameItem *build_name_item(ParseState *ps, const char *name, Span span)
{
    NameItem *n = arena_alloc(ps->arena, sizeof *n);
    n->name = name;
    n->span = span;
    return n;
}

void build_add_decls(ParseState *ps, NodeList *decls)
{
    Ast *ast = ps->ast;
    if (ast->ndecls + decls->len > ps->decls_cap) {
        /* Grow by doubling: copying on every declaration costs quadratic memory. */
        int cap = ps->decls_cap ? ps->decls_cap * 2 : 64;
        while (cap < ast->ndecls + decls->len)
            cap *= 2;
        Decl **grown = arena_alloc(ps->arena, (size_t)cap * sizeof *grown);
        if (ast->ndecls)
            memcpy(grown, ast->decls, (size_t)ast->ndecls * sizeof *grown);
        ast->decls = grown;
        ps->decls_cap = cap;
    }
    for (int i = 0; i < decls->len; i++)
        ast->decls[ast->ndecls + i] = decls->items[i];
    ast->ndecls += decls->len;
}

NodeList *build_one(ParseState *ps, Decl *d)
{
    return list_push(ps, list_new(ps), d);
}

Decl *build_scheme(ParseState *ps, Span span, const char *name, Span nspan, Expr *total)
{
    Decl *d = build_decl(ps, D_SCHEME, span, name, nspan);
    d->u.scheme.total = total;
    return d;
}

Decl *build_option(ParseState *ps, Span span, const char *name, Span nspan, Expr *value)
{
    Decl *d = build_decl(ps, D_OPTION, span, name, nspan);
    d->u.option.value = value;
    return d;
}

Decl *build_grades(ParseState *ps, Span span, NodeList *bands)
{
    Decl *d = build_decl(ps, D_GRADES, span, NULL, span);
    d->u.grades.nbands = bands->len;
    d->u.grades.bands = arena_alloc(ps->arena, (size_t)bands->len * sizeof(GradeBand));
    for (int i = 0; i < bands->len; i++)
        d->u.grades.bands[i] = *(GradeBand *)bands->items[i];
    return d;
}

GradeBand *build_band(ParseState *ps, Span span, const char *name, Op op, Expr *edge)
{
    GradeBand *b = arena_alloc(ps->arena, sizeof *b);
    b->name = name;
    b->span = span;
    b->op = op;
    b->edge = edge;
    return b;
}

NodeList *build_inputs(ParseState *ps, Span span, NodeList *names, const char *type, Span tspan)
{
    NodeList *out = list_new(ps);
    for (int i = 0; i < names->len; i++) {
        NameItem *n = names->items[i];
        Decl *d = build_decl(ps, D_INPUT, span, n->name, n->span);
        d->u.input.type_name = type ? type : "number";
        d->u.input.type_span = tspan;
        list_push(ps, out, d);
    }
    return out;
}

Decl *build_let(ParseState *ps, Span span, const char *name, Span nspan, Expr *value)
{
    Decl *d = build_decl(ps, D_LET, span, name, nspan);
    d->u.let.value = value;
    return d;
}

Decl *build_method(ParseState *ps, Span span, const char *name, Span nspan, NodeList *params,
                   Expr *body)
{
    Decl *d = build_decl(ps, D_METHOD, span, name, nspan);
    if (params->len > PARSE_MAX_PARAMS)
        diag_at(ps->diags, DIAG_ERROR, ps->src, nspan, _("method '%s' has %d parameters; at most %d"),
                name, params->len, PARSE_MAX_PARAMS);
    d->u.method.nparams = params->len;
    d->u.method.params = arena_alloc(ps->arena, (size_t)params->len * sizeof(Param));
    for (int i = 0; i < params->len; i++) {
        NameItem *n = params->items[i];
        d->u.method.params[i].name = n->name;
        d->u.method.params[i].span = n->span;
    }
    d->u.method.body = body;
    return d;
}

Clause *build_clause(ParseState *ps, Span span, int keyword, Expr *e)
{
    Clause *c = arena_alloc(ps->arena, sizeof *c);
    c->keyword = keyword;
    c->span = span;
    c->expr = e;
    return c;
}

Decl *build_indicator(ParseState *ps, Span span, const char *name, Span nspan, Expr *weight,
                      Expr *method, NodeList *clauses)
{
    Decl *d = build_decl(ps, D_INDICATOR, span, name, nspan);
    d->u.indicator.weight = weight;
    d->u.indicator.method = method;
    for (int i = 0; clauses && i < clauses->len; i++) {
        Clause *c = clauses->items[i];
        Expr **slot = c->keyword == VALUE    ? &d->u.indicator.value
                      : c->keyword == TARGET ? &d->u.indicator.target
                      : c->keyword == SCORE  ? &d->u.indicator.score
                                             : &d->u.indicator.method;
        if (*slot) {
            diag_at(ps->diags, DIAG_ERROR, ps->src, c->span,
                    _("indicator '%s' has this clause twice"), name);
            continue;
        }
        *slot = c->expr;
    }
    return d;
}

static void set_parent(Decl *d, Decl *parent)
{
    d->parent = parent;
}

Decl *build_group(ParseState *ps, Span span, const char *name, Span nspan, Expr *weight,
                  NodeList *aliases, NodeList *members)
{
    Decl *d = build_decl(ps, D_GROUP, span, name, nspan);
    d->u.group.weight = weight;
    d->u.group.naliases = aliases->len;
    d->u.group.aliases = arena_alloc(ps->arena, (size_t)aliases->len * sizeof(char *));
    for (int i = 0; i < aliases->len; i++)
        d->u.group.aliases[i] = ((NameItem *)aliases->items[i])->name;
    d->u.group.nmembers = members->len;
    d->u.group.members = arena_alloc(ps->arena, (size_t)members->len * sizeof(Decl *));
    for (int i = 0; i < members->len; i++) {
        d->u.group.members[i] = members->items[i];
        set_parent(d->u.group.members[i], d);
    }
    return d;
}

Decl *build_category(ParseState *ps, Span span, NodeList *names)
{
    Decl *d = build_decl(ps, D_CATEGORY, span, NULL, span);
    d->u.category.nnames = names->len;
    d->u.category.names = arena_alloc(ps->arena, (size_t)names->len * sizeof(char *));
    d->u.category.spans = arena_alloc(ps->arena, (size_t)names->len * sizeof(Span));
    for (int i = 0; i < names->len; i++) {
        NameItem *n = names->items[i];
        d->u.category.names[i] = n->name;
        d->u.category.spans[i] = n->span;
    }
    return d;
}

Decl *build_words(ParseState *ps, Span span, const char *name, Span nspan, bool extend,
                  NodeList *words)
{
    Decl *d = build_decl(ps, D_WORDS, span, name, nspan);
    d->u.words.extend = extend;
    d->u.words.nwords = words->len;
    d->u.words.words = arena_alloc(ps->arena, (size_t)words->len * sizeof(char *) + 1);
    d->u.words.spans = arena_alloc(ps->arena, (size_t)words->len * sizeof(Span) + 1);
    for (int i = 0; i < words->len; i++) {
        NameItem *n = words->items[i];
        d->u.words.words[i] = n->name;
        d->u.words.spans[i] = n->span;
    }
    return d;
}

Decl *build_check(ParseState *ps, Span span, const char *name, Span nspan, Expr *cond,
                  Expr *tolerance)
{
    Decl *d = build_decl(ps, D_CHECK, span, name, nspan);
    d->u.check.cond = cond;
    d->u.check.tolerance = tolerance;
    return d;
}

Decl *build_rows(ParseState *ps, Span span, NodeList *rules)
{
    Decl *d = build_decl(ps, D_ROWS, span, NULL, span);
    d->u.rows.nrules = rules->len;
    d->u.rows.rules = arena_alloc(ps->arena, (size_t)rules->len * sizeof(RowRule));
    for (int i = 0; i < rules->len; i++)
        d->u.rows.rules[i] = *(RowRule *)rules->items[i];
    return d;
}

RowRule *build_row_rule(ParseState *ps, Span span, NodeList *conds, Expr *method)
{
    RowRule *r = arena_alloc(ps->arena, sizeof *r);
    r->span = span;
    r->method = method;
    if (conds) {
        r->nconds = conds->len;
        r->conds = arena_alloc(ps->arena, (size_t)conds->len * sizeof(RowCond));
        for (int i = 0; i < conds->len; i++)
            r->conds[i] = *(RowCond *)conds->items[i];
    }
    return r;
}

RowCond *build_cond(ParseState *ps, Span span, CondKind kind, NodeList *names, int qual)
{
    RowCond *c = arena_alloc(ps->arena, sizeof *c);
    c->kind = kind;
    c->span = span;
    c->qual = (TlQual)qual;
    if (names) {
        c->nvalues = names->len;
        c->values = arena_alloc(ps->arena, (size_t)names->len * sizeof(char *));
        for (int i = 0; i < names->len; i++)
            c->values[i] = ((NameItem *)names->items[i])->name;
    }
    return c;
}

Expr *build_lit(ParseState *ps, Span span, TlValue v)
{
    Expr *e = new_expr(ps, E_LIT, span);
    e->u.lit = v;
    return e;
}

Expr *build_quantity(ParseState *ps, Span span, TlValue num, const char *unit, Span uspan)
{
    int mag = 0;
    const char *base = unit_split(unit, &mag);
    TlValue v = num;
    if (!value_magnify(num.u.num, mag, &v.u.num)) {
        diag_at(ps->diags, DIAG_ERROR, ps->src, span, _("quantity too large"));
        v.u.num = num.u.num;
        mag = 0;
    }
    v.numkind = NUM_QUANTITY;
    v.unit = *base ? base : unit;
    v.mag = (int8_t)(*base ? mag : 0);
    (void)uspan;
    return build_lit(ps, span, v);
}

Expr *build_name(ParseState *ps, Span span, const char *name)
{
    Expr *e = new_expr(ps, E_NAME, span);
    e->u.name.name = name;
    return e;
}

Expr *build_call(ParseState *ps, Span span, const char *name, Span nspan, NodeList *args)
{
    Expr *e = new_expr(ps, E_CALL, span);
    e->u.call.name = name;
    e->u.call.name_span = nspan;
    e->u.call.nargs = args->len;
    e->u.call.args = (Expr **)args->items;
    for (int i = 0; i < args->len; i++)
        above(e, e->u.call.args[i]);
    return height_checked(ps, e);
}

Expr *build_unary(ParseState *ps, Span span, Op op, Expr *a)
{
    Expr *e = new_expr(ps, E_UNARY, span);
    e->u.unary.op = op;
    e->u.unary.a = a;
    above(e, a);
    return height_checked(ps, e);
}

Expr *build_binary(ParseState *ps, Span span, Op op, Expr *a, Expr *b)
{
    Expr *e = new_expr(ps, E_BINARY, span);
    e->u.binary.op = op;
    e->u.binary.a = a;
    e->u.binary.b = b;
    above(e, a);
    above(e, b);
    return height_checked(ps, e);
}

Expr *build_if(ParseState *ps, Span span, Expr *c, Expr *a, Expr *b)
{
    Expr *e = new_expr(ps, E_IF, span);
    e->u.cond.cond = c;
    e->u.cond.then = a;
    e->u.cond.els = b;
    above(e, c);
    above(e, a);
    above(e, b);
    return height_checked(ps, e);
}

Expr *build_tiers(ParseState *ps, Span span, Expr *subject, NodeList *tiers)
{
    Expr *e = new_expr(ps, E_TIERS, span);
    e->u.tiers.subject = subject;
    e->u.tiers.tiers = arena_alloc(ps->arena, (size_t)tiers->len * sizeof(Tier));
    int n = 0;
    for (int i = 0; i < tiers->len; i++) {
        Tier *t = tiers->items[i];
        if (!t->edge) {
            if (e->u.tiers.els)
                diag_at(ps->diags, DIAG_ERROR, ps->src, t->span, _("tiers has two else branches"));
            else if (i != tiers->len - 1)
                diag_at(ps->diags, DIAG_ERROR, ps->src, t->span,
                        _("the else branch of tiers must come last"));
            e->u.tiers.els = t->score;
            continue;
        }
        e->u.tiers.tiers[n++] = *t;
    }
    e->u.tiers.ntiers = n;
    above(e, subject);
    above(e, e->u.tiers.els);
    for (int i = 0; i < n; i++) {
        above(e, e->u.tiers.tiers[i].edge);
        above(e, e->u.tiers.tiers[i].score);
    }
    return height_checked(ps, e);
}

Tier *build_tier(ParseState *ps, Span span, int op, Expr *edge, Expr *score)
{
    Tier *t = arena_alloc(ps->arena, sizeof *t);
    t->span = span;
    t->op = op < 0 ? OP_EQ : (Op)op;
    t->edge = edge;
    t->score = score;
    return t;
}

const char *build_token_name(const char *n, char buf[BUILD_TOKEN_BUF])
{
    static const struct {
        const char *bison, *human;
    } names[] = {
        {"end of file", N_("end of input")}, {"NAME", N_("name")}, {"QNAME", N_("quoted name")},
        {"TEXT", N_("text")}, {"NUMBER", N_("number")}, {"PERCENT", N_("percentage")},
        {"EQ", "'=='"}, {"NE", "'!='"}, {"LE", "'<='"}, {"GE", "'>='"}, {"PLUSEQ", "'+='"},
        {"ERRTOK", N_("invalid token")},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(n, names[i].bison) == 0)
            return _(names[i].human);
    /* Keyword tokens are named in capitals: show them as written. */
    if (n[0] >= 'A' && n[0] <= 'Z' && strlen(n) < BUILD_TOKEN_BUF - 8) {
        size_t i = 0;
        buf[0] = '\'';
        for (; n[i]; i++)
            buf[i + 1] = (char)(n[i] >= 'A' && n[i] <= 'Z' ? n[i] - 'A' + 'a' : n[i]);
        buf[i + 1] = '\'';
        buf[i + 2] = 0;
        return buf;
    }
    return n;
}

/* Forms: the words of a `form` block, kept as written (lang/form.c gives
 * them meaning). */
Decl *build_form(ParseState *ps, Span span, const char *name, Span nspan, NodeList *entries)
{
    Decl *d = build_decl(ps, D_FORM, span, name, nspan);
    d->u.form.nentries = entries->len;
    d->u.form.entries = arena_alloc(ps->arena, (size_t)(entries->len + 1) * sizeof(FormEntry));
    for (int i = 0; i < entries->len; i++)
        d->u.form.entries[i] = *(FormEntry *)entries->items[i];
    return d;
}

FormEntry *build_form_entry(ParseState *ps, Span span, const char *head, Span hspan,
                            const char *key, Span kspan, bool assign, NodeList *values,
                            NodeList *entries, bool block)
{
    FormEntry *e = arena_alloc(ps->arena, sizeof *e);
    memset(e, 0, sizeof *e);
    e->span = span;
    e->head = head;
    e->head_span = hspan;
    e->key = key;
    e->key_span = kspan;
    e->assign = assign;
    e->block = block;
    if (values) {
        e->nvalues = values->len;
        e->values = arena_alloc(ps->arena, (size_t)(values->len + 1) * sizeof(FormValue));
        for (int i = 0; i < values->len; i++)
            e->values[i] = *(FormValue *)values->items[i];
    }
    if (entries) {
        e->nentries = entries->len;
        e->entries = arena_alloc(ps->arena, (size_t)(entries->len + 1) * sizeof(FormEntry));
        for (int i = 0; i < entries->len; i++)
            e->entries[i] = *(FormEntry *)entries->items[i];
    }
    return e;
}

FormValue *build_form_value(ParseState *ps, Span span, const char *word, NodeList *args,
                            bool call)
{
    FormValue *v = arena_alloc(ps->arena, sizeof *v);
    memset(v, 0, sizeof *v);
    v->word = word;
    v->span = span;
    v->call = call;
    if (args) {
        v->nargs = args->len;
        v->args = arena_alloc(ps->arena, (size_t)(args->len + 1) * sizeof(FormValue));
        for (int i = 0; i < args->len; i++)
            v->args[i] = *(FormValue *)args->items[i];
    }
    return v;
}
