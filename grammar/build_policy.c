/* build_policy.c - node builders for the declarations around the rules
 * themselves: import, override, remove, applies and test blocks (build.h).
 * Like build.c they make nodes and check only what the tree's shape tells;
 * what the declarations mean is lang/'s (imports.c, applies.c, tests.c). */
#include "build.h"
#include "lang/base/l10n.h"

#include <string.h>

NodeList *build_override(ParseState *ps, NodeList *decls)
{
    (void)ps;
    for (int i = 0; i < decls->len; i++)
        ((Decl *)decls->items[i])->override = true;
    return decls;
}

Decl *build_group_override(ParseState *ps, Span span, const char *name, Span nspan, Expr *weight,
                           NodeList *aliases)
{
    Decl *d = build_group(ps, span, name, nspan, weight, aliases, list_new(ps));
    d->override = true;
    d->u.group.keep_members = true;
    d->u.group.keep_aliases = aliases->len == 0;
    return d;
}

Decl *build_import(ParseState *ps, Span span, const char *path, Span pspan)
{
    Decl *d = build_decl(ps, D_IMPORT, span, path, pspan);
    d->u.import.path_span = pspan;
    return d;
}

Decl *build_remove(ParseState *ps, Span span, int what, NodeList *names)
{
    Decl *d = build_decl(ps, D_REMOVE, span, NULL, span);
    d->u.remove.what = (DeclKind)what;
    d->u.remove.nnames = names->len;
    d->u.remove.names = arena_alloc(ps->arena, (size_t)names->len * sizeof(char *));
    d->u.remove.spans = arena_alloc(ps->arena, (size_t)names->len * sizeof(Span));
    for (int i = 0; i < names->len; i++) {
        NameItem *n = names->items[i];
        d->u.remove.names[i] = n->name;
        d->u.remove.spans[i] = n->span;
    }
    return d;
}

Decl *build_applies(ParseState *ps, Span span, TlValue from, Span fspan, TlValue to, Span tspan)
{
    Decl *d = build_decl(ps, D_APPLIES, span, NULL, span);
    d->u.applies.from = from;
    d->u.applies.to = to;
    d->u.applies.from_span = fspan;
    d->u.applies.to_span = tspan;
    return d;
}

/* Test blocks ------------------------------------------------------------------ */

static TestItem *new_item(ParseState *ps, int kind, Span span)
{
    TestItem *it = arena_alloc(ps->arena, sizeof *it);
    it->kind = kind;
    it->span = span;
    return it;
}

TestItem *build_test_data(ParseState *ps, Span span, const char *path, Span pspan, NameItem *report)
{
    TestItem *it = new_item(ps, ITEM_DATA, span);
    it->data.name = path;
    it->data.span = pspan;
    if (report)
        it->report = *report;
    return it;
}

TestItem *build_test_figures(ParseState *ps, Span span, NodeList *figures)
{
    TestItem *it = new_item(ps, ITEM_FIGURES, span);
    it->figures = figures;
    return it;
}

TestFigure *build_test_figure(ParseState *ps, NameItem *name, TestCell *value)
{
    TestFigure *f = arena_alloc(ps->arena, sizeof *f);
    f->name = name->name;
    f->name_span = name->span;
    f->value = *value;
    return f;
}

TestItem *build_test_row(ParseState *ps, Span span, NodeList *cells)
{
    TestItem *it = new_item(ps, ITEM_ROW, span);
    it->row.span = span;
    it->row.ncells = cells->len;
    it->row.cells = arena_alloc(ps->arena, (size_t)cells->len * sizeof(TestCell));
    for (int i = 0; i < cells->len; i++)
        it->row.cells[i] = *(TestCell *)cells->items[i];
    return it;
}

TestItem *build_test_expect(ParseState *ps, Span span, int kind, NameItem *name, Expect *value,
                            NameItem *subject)
{
    TestItem *it = new_item(ps, ITEM_EXPECT, span);
    Expect *e = &it->expect;
    if (value)
        *e = *value;
    else
        e->lo = e->hi = val_missing();
    e->kind = (ExpectKind)kind;
    e->span = span;
    if (name) {
        e->name = name->name;
        e->name_span = name->span;
    }
    if (subject) {
        e->subject = subject->name;
        e->subject_span = subject->span;
    }
    return it;
}

TestCell *build_cell(ParseState *ps, Span span, const char *single, bool given)
{
    TestCell *c = arena_alloc(ps->arena, sizeof *c);
    c->span = span;
    if (given)
        c->text = single ? single
                         : arena_strndup(ps->arena, ps->src->text + span.start, span.end - span.start);
    return c;
}

TestCell *build_cell_extend(ParseState *ps, TestCell *cell, Span next)
{
    cell->span.end = next.end;
    cell->text = arena_strndup(ps->arena, ps->src->text + cell->span.start,
                               cell->span.end - cell->span.start);
    return cell;
}

Expect *build_expect_value(ParseState *ps, TlValue lo, TlValue hi, bool range)
{
    Expect *e = arena_alloc(ps->arena, sizeof *e);
    e->lo = lo;
    e->hi = hi;
    e->range = range;
    return e;
}

TlValue build_negate(ParseState *ps, Span span, TlValue v)
{
    if (v.kind == TL_NUM && !dec_neg(v.u.num, &v.u.num))
        diag_at(ps->diags, DIAG_ERROR, ps->src, span, _("number too large"));
    return v;
}

Decl *build_test(ParseState *ps, Span span, NameItem *name, NodeList *items)
{
    Decl *d = build_decl(ps, D_TEST, span, name->name, name->span);
    int nfig = 0, nrow = 0, nexp = 0;
    for (int i = 0; i < items->len; i++) {
        const TestItem *it = items->items[i];
        nfig += it->kind == ITEM_FIGURES ? it->figures->len : 0;
        nrow += it->kind == ITEM_ROW;
        nexp += it->kind == ITEM_EXPECT;
    }
    d->u.test.figures = arena_alloc(ps->arena, (size_t)(nfig + 1) * sizeof(TestFigure));
    d->u.test.rows = arena_alloc(ps->arena, (size_t)(nrow + 1) * sizeof(TestRow));
    d->u.test.expects = arena_alloc(ps->arena, (size_t)(nexp + 1) * sizeof(Expect));
    for (int i = 0; i < items->len; i++) {
        const TestItem *it = items->items[i];
        switch (it->kind) {
        case ITEM_DATA:
            if (d->u.test.data) {
                diag_at(ps->diags, DIAG_ERROR, ps->src, it->span, _("test '%s' names a data file twice"),
                        name->name);
                break;
            }
            d->u.test.data = it->data.name;
            d->u.test.data_span = it->data.span;
            d->u.test.report = it->report.name;
            d->u.test.report_span = it->report.span;
            break;
        case ITEM_FIGURES:
            for (int k = 0; k < it->figures->len; k++)
                d->u.test.figures[d->u.test.nfigures++] = *(TestFigure *)it->figures->items[k];
            break;
        case ITEM_ROW:
            d->u.test.rows[d->u.test.nrows++] = it->row;
            break;
        case ITEM_EXPECT:
            d->u.test.expects[d->u.test.nexpects++] = it->expect;
            break;
        }
    }
    return d;
}
