/* coverage.c - what tests exercised (coverage.h).  The sites are found
 * once, by walking every expression of the program; the interpreter then
 * marks the arms it takes, looked up by the node's address. */
#include "coverage.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef enum SiteKind { SITE_IF, SITE_TIERS, SITE_BUILTIN } SiteKind;

typedef struct Site {
    const Expr *e;
    SiteKind kind;
    int narms;
    const char *const *decisions; /* SITE_BUILTIN: builtin_decisions() */
    const char *name;             /* SITE_BUILTIN: the built-in's name */
    bool *hit;                    /* narms */
} Site;

struct Coverage {
    const Program *p;
    Site *sites;
    size_t nsites, cap;
    const Expr **keys;            /* open addressing: node -> site index */
    size_t *vals;
    size_t mapcap;
    bool *methods, *rules, *indicators;
};

static size_t hash_ptr(const void *p, size_t cap)
{
    uintptr_t x = (uintptr_t)p;
    x ^= x >> 17;
    x *= (uintptr_t)0x9E3779B97F4A7C15ull;
    return (size_t)(x ^ (x >> 29)) & (cap - 1);
}

static Site *site_of(const Coverage *c, const Expr *e)
{
    if (!c->mapcap)
        return NULL;
    for (size_t i = hash_ptr(e, c->mapcap);; i = (i + 1) & (c->mapcap - 1)) {
        if (!c->keys[i])
            return NULL;
        if (c->keys[i] == e)
            return &c->sites[c->vals[i]];
    }
}

static void add_site(Coverage *c, const Expr *e, SiteKind kind, int narms, const char *const *decisions,
                     const char *name)
{
    if (site_of(c, e) || narms <= 0)
        return;
    if (c->nsites == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 32;
        c->sites = xrealloc(c->sites, c->cap * sizeof *c->sites);
    }
    c->sites[c->nsites] = (Site){e, kind, narms, decisions, name, xcalloc((size_t)narms, sizeof(bool))};
    if (2 * (c->nsites + 1) > c->mapcap) { /* keep the map at most half full */
        size_t cap = c->mapcap ? c->mapcap * 2 : 64;
        const Expr **keys = xcalloc(cap, sizeof *keys);
        size_t *vals = xcalloc(cap, sizeof *vals);
        for (size_t i = 0; i < c->mapcap; i++)
            if (c->keys[i]) {
                size_t k = hash_ptr(c->keys[i], cap);
                while (keys[k])
                    k = (k + 1) & (cap - 1);
                keys[k] = c->keys[i];
                vals[k] = c->vals[i];
            }
        free(c->keys);
        free(c->vals);
        c->keys = keys;
        c->vals = vals;
        c->mapcap = cap;
    }
    size_t k = hash_ptr(e, c->mapcap);
    while (c->keys[k])
        k = (k + 1) & (c->mapcap - 1);
    c->keys[k] = e;
    c->vals[k] = c->nsites++;
}

static int count(const char *const *list)
{
    int n = 0;
    while (list && list[n])
        n++;
    return n;
}

/* A scoring built-in named or called at e with nargs arguments. */
static void add_builtin(Coverage *c, const Expr *e, const Builtin *b, int nargs, const Expr *const *args)
{
    const char *mode = NULL;
    int m = builtin_mode_arg(b->id);
    if (m >= 0 && m < nargs) {
        const Expr *a = args ? args[m] : NULL;
        mode = a && a->kind == E_NAME && a->u.name.sym && a->u.name.sym->kind == SYM_CONST ? a->u.name.sym->name
               : "";
        if (!*mode)
            mode = NULL; /* a parameter or a figure: known only at run time */
    }
    const char *const *d = builtin_decisions(b->id, nargs, mode);
    add_site(c, e, SITE_BUILTIN, count(d), d, b->name);
}

static void walk(Coverage *c, const Expr *e)
{
    if (!e)
        return;
    switch (e->kind) {
    case E_LIT: case E_NAME:
        return;
    case E_CALL: {
        const Sym *s = e->u.call.sym;
        if (s && s->kind == SYM_BUILTIN)
            add_builtin(c, e, s->builtin, e->u.call.nargs, (const Expr *const *)e->u.call.args);
        for (int i = 0; i < e->u.call.nargs; i++)
            walk(c, e->u.call.args[i]);
        return;
    }
    case E_UNARY:
        walk(c, e->u.unary.a);
        return;
    case E_BINARY:
        walk(c, e->u.binary.a);
        walk(c, e->u.binary.b);
        return;
    case E_IF:
        add_site(c, e, SITE_IF, 2, NULL, NULL);
        walk(c, e->u.cond.cond);
        walk(c, e->u.cond.then);
        walk(c, e->u.cond.els);
        return;
    case E_TIERS:
        add_site(c, e, SITE_TIERS, e->u.tiers.ntiers + (e->u.tiers.els != NULL), NULL, NULL);
        walk(c, e->u.tiers.subject);
        for (int i = 0; i < e->u.tiers.ntiers; i++) {
            walk(c, e->u.tiers.tiers[i].edge);
            walk(c, e->u.tiers.tiers[i].score);
        }
        walk(c, e->u.tiers.els);
        return;
    }
}

/* `using M` as a rows rule or an indicator says it: a built-in named alone
 * takes (target, actual, weight[, reported]) (interp.c, eval_method_ref). */
static void walk_method_ref(Coverage *c, const Expr *m)
{
    if (!m)
        return;
    if (m->kind == E_NAME && m->u.name.sym && m->u.name.sym->kind == SYM_BUILTIN) {
        const Builtin *b = m->u.name.sym->builtin;
        add_builtin(c, m, b, b->min_args >= 4 ? 4 : 3, NULL);
        return;
    }
    walk(c, m);
}

Coverage *coverage_new(const Program *p)
{
    Coverage *c = xcalloc(1, sizeof *c);
    c->p = p;
    c->methods = xcalloc((size_t)p->nmethods + 1, sizeof(bool));
    c->rules = xcalloc((size_t)p->nrules + 1, sizeof(bool));
    c->indicators = xcalloc((size_t)p->nindicators + 1, sizeof(bool));
    for (int i = 0; i < p->nlets; i++)
        walk(c, p->lets[i]->decl->u.let.value);
    for (int i = 0; i < p->nmethods; i++)
        walk(c, p->methods[i]->decl->u.method.body);
    for (int i = 0; i < p->nindicators; i++) {
        const Decl *d = p->indicators[i].decl;
        walk(c, d->u.indicator.value);
        walk(c, d->u.indicator.target);
        walk(c, d->u.indicator.score);
        walk_method_ref(c, p->indicators[i].method_call);
    }
    for (int i = 0; i < p->nchecks; i++) {
        walk(c, p->checks[i]->u.check.cond);
        walk(c, p->checks[i]->u.check.tolerance);
    }
    for (int i = 0; i < p->nrules; i++)
        walk_method_ref(c, p->rules[i].method);
    return c;
}

void coverage_free(Coverage *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nsites; i++)
        free(c->sites[i].hit);
    free(c->sites);
    free(c->keys);
    free(c->vals);
    free(c->methods);
    free(c->rules);
    free(c->indicators);
    free(c);
}

void coverage_arm(Coverage *c, const Expr *e, int arm)
{
    Site *s = site_of(c, e);
    if (s && arm >= 0 && arm < s->narms)
        s->hit[arm] = true;
}

void coverage_branch(Coverage *c, const Expr *call, const char *branch)
{
    Site *s = site_of(c, call);
    if (!s || s->kind != SITE_BUILTIN)
        return;
    for (int i = 0; i < s->narms; i++)
        if (strcmp(s->decisions[i], branch) == 0)
            s->hit[i] = true;
}

void coverage_method(Coverage *c, int method)
{
    if (method >= 0 && method < c->p->nmethods)
        c->methods[method] = true;
}

void coverage_rule(Coverage *c, int rule)
{
    if (rule >= 0 && rule < c->p->nrules)
        c->rules[rule] = true;
}

void coverage_indicator(Coverage *c, int indicator)
{
    if (indicator >= 0 && indicator < c->p->nindicators)
        c->indicators[indicator] = true;
}

/* Reporting ------------------------------------------------------------------------ */

/* A piece of rule text on one line, at most about 64 characters. */
static const char *excerpt(const Program *p, Span span, Arena *a)
{
    char *s = program_text(p, span, a), *w = s;
    for (const char *r = s; *r; r++) {
        char ch = *r == '\n' || *r == '\t' || *r == '\r' ? ' ' : *r;
        if (ch != ' ' || (w > s && w[-1] != ' '))
            *w++ = ch;
    }
    *w = 0;
    size_t n = strlen(s), cut = 0, chars = 0;
    while (cut < n && chars < 64) {
        cut++;
        while (cut < n && ((unsigned char)s[cut] & 0xC0) == 0x80)
            cut++;
        chars++;
    }
    return cut < n ? arena_printf(a, "%.*s...", (int)cut, s) : s;
}

typedef struct GapList {
    CoverageGap *items;
    size_t len, cap;
    Arena *arena;
} GapList;

static void gap(GapList *g, Span span, const char *what)
{
    if (g->len == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 32;
        CoverageGap *items = arena_alloc(g->arena, cap * sizeof *items);
        if (g->len)
            memcpy(items, g->items, g->len * sizeof *items);
        g->items = items;
        g->cap = cap;
    }
    g->items[g->len++] = (CoverageGap){span, what};
}


size_t coverage_gaps(const Coverage *c, Arena *arena, CoverageGap **out, size_t *total)
{
    const Program *p = c->p;
    GapList g = {NULL, 0, 0, arena};
    size_t items = 0;
    for (int i = 0; i < p->nindicators; i++, items++)
        if (!c->indicators[i])
            gap(&g, p->indicators[i].decl->name_span,
                arena_printf(arena, "indicator %s: no test expects its score", p->indicators[i].decl->name));
    for (int i = 0; i < p->nmethods; i++, items++)
        if (!c->methods[i])
            gap(&g, p->methods[i]->decl->name_span,
                arena_printf(arena, "method %s: no test scored with it", p->methods[i]->name));
    for (int i = 0; i < p->nrules; i++, items++)
        if (!c->rules[i])
            gap(&g, p->rules[i].span,
                arena_printf(arena, "rows rule '%s': no test row took it", excerpt(p, p->rules[i].span, arena)));
    for (size_t k = 0; k < c->nsites; k++) {
        const Site *s = &c->sites[k];
        const Expr *e = s->e;
        for (int a = 0; a < s->narms; a++, items++) {
            if (s->hit[a])
                continue;
            switch (s->kind) {
            case SITE_IF:
                gap(&g, e->span, arena_printf(arena, "if %s: the %s branch was never taken",
                                              excerpt(p, e->u.cond.cond->span, arena), a ? "else" : "then"));
                break;
            case SITE_TIERS:
                if (a < e->u.tiers.ntiers) {
                    const Tier *t = &e->u.tiers.tiers[a];
                    gap(&g, t->span, arena_printf(arena, "tiers(%s, ...): tier %d (%s) was never taken",
                                                  excerpt(p, e->u.tiers.subject->span, arena), a + 1,
                                                  excerpt(p, t->span, arena)));
                } else {
                    gap(&g, e->u.tiers.els->span,
                        arena_printf(arena, "tiers(%s, ...): the else tier was never taken",
                                     excerpt(p, e->u.tiers.subject->span, arena)));
                }
                break;
            case SITE_BUILTIN:
                gap(&g, e->span, arena_printf(arena, "%s never decided '%s'",
                                              e->kind == E_CALL ? excerpt(p, e->span, arena) : s->name,
                                              s->decisions[a]));
                break;
            }
        }
    }
    for (size_t i = 1; i < g.len; i++) { /* by position, stably: the arms of a site stay in order */
        CoverageGap x = g.items[i];
        size_t j = i;
        while (j > 0 && g.items[j - 1].span.start > x.span.start) {
            g.items[j] = g.items[j - 1];
            j--;
        }
        g.items[j] = x;
    }
    *out = g.items;
    *total = items;
    return g.len;
}
