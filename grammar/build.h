/* build.h - node builders called from grammar actions (internal). */
#ifndef TALLY_BUILD_H
#define TALLY_BUILD_H

#include "parse_state.h"

/* A name with its span, for name lists. */
typedef struct NameItem {
    const char *name;
    Span span;
} NameItem;

/* One clause of an indicator body: which keyword, and its expression. */
typedef struct Clause {
    int keyword;   /* VALUE, TARGET, SCORE, USING token codes */
    Span span;
    Expr *expr;
} Clause;

/* A declaration of the kind, at span, named name at nspan (NULL: none):
 * what every build_* of a declaration starts from. */
Decl *build_decl(ParseState *ps, DeclKind kind, Span span, const char *name, Span nspan);
NameItem *build_name_item(ParseState *ps, const char *name, Span span);
void build_add_decls(ParseState *ps, NodeList *decls);
NodeList *build_one(ParseState *ps, Decl *d);

Decl *build_scheme(ParseState *ps, Span span, const char *name, Span nspan, Expr *total);
Decl *build_option(ParseState *ps, Span span, const char *name, Span nspan, Expr *value);
Decl *build_grades(ParseState *ps, Span span, NodeList *bands);
GradeBand *build_band(ParseState *ps, Span span, const char *name, Op op, Expr *edge);
NodeList *build_inputs(ParseState *ps, Span span, NodeList *names, const char *type, Span tspan);
Decl *build_let(ParseState *ps, Span span, const char *name, Span nspan, Expr *value);
Decl *build_method(ParseState *ps, Span span, const char *name, Span nspan, NodeList *params,
                   Expr *body);
Decl *build_indicator(ParseState *ps, Span span, const char *name, Span nspan, Expr *weight,
                      Expr *method, NodeList *clauses);
Clause *build_clause(ParseState *ps, Span span, int keyword, Expr *e);
Decl *build_group(ParseState *ps, Span span, const char *name, Span nspan, Expr *weight,
                  NodeList *aliases, NodeList *members);
Decl *build_category(ParseState *ps, Span span, NodeList *names);
Decl *build_check(ParseState *ps, Span span, const char *name, Span nspan, Expr *cond,
                  Expr *tolerance);
Decl *build_rows(ParseState *ps, Span span, NodeList *rules);
Decl *build_words(ParseState *ps, Span span, const char *name, Span nspan, bool extend,
                  NodeList *words);
RowRule *build_row_rule(ParseState *ps, Span span, NodeList *conds, Expr *method);
RowCond *build_cond(ParseState *ps, Span span, CondKind kind, NodeList *names, int qual);

Decl *build_form(ParseState *ps, Span span, const char *name, Span nspan, NodeList *entries);
FormEntry *build_form_entry(ParseState *ps, Span span, const char *head, Span hspan,
                            const char *key, Span kspan, bool assign, NodeList *values,
                            NodeList *entries, bool block);
FormValue *build_form_value(ParseState *ps, Span span, const char *word, NodeList *args,
                            bool call);

Expr *build_lit(ParseState *ps, Span span, TlValue v);
Expr *build_quantity(ParseState *ps, Span span, TlValue num, const char *unit, Span uspan);
Expr *build_name(ParseState *ps, Span span, const char *name);
Expr *build_call(ParseState *ps, Span span, const char *name, Span nspan, NodeList *args);
Expr *build_unary(ParseState *ps, Span span, Op op, Expr *a);
Expr *build_binary(ParseState *ps, Span span, Op op, Expr *a, Expr *b);
Expr *build_if(ParseState *ps, Span span, Expr *c, Expr *a, Expr *b);
Expr *build_tiers(ParseState *ps, Span span, Expr *subject, NodeList *tiers);
Tier *build_tier(ParseState *ps, Span span, int op, Expr *edge, Expr *score);

/* Imports, overrides, versions and tests (build_policy.c) ------------------- */

/* One statement of a test block, before build_test() sorts them. */
typedef struct TestItem {
    enum { ITEM_DATA, ITEM_FIGURES, ITEM_ROW, ITEM_EXPECT } kind;
    Span span;
    NameItem data, report;        /* ITEM_DATA; report.name NULL when not given */
    NodeList *figures;            /* ITEM_FIGURES: TestFigure* */
    TestRow row;                  /* ITEM_ROW */
    Expect expect;                /* ITEM_EXPECT */
} TestItem;

/* Mark every declaration of the list as an override. */
NodeList *build_override(ParseState *ps, NodeList *decls);
/* `override group NAME weight E [alias ...]`: keeps the members (and the
 * aliases when none are given) of the group it replaces. */
Decl *build_group_override(ParseState *ps, Span span, const char *name, Span nspan, Expr *weight,
                           NodeList *aliases);
Decl *build_import(ParseState *ps, Span span, const char *path, Span pspan);
Decl *build_remove(ParseState *ps, Span span, int what, NodeList *names);
Decl *build_applies(ParseState *ps, Span span, TlValue from, Span fspan, TlValue to, Span tspan);
Decl *build_test(ParseState *ps, Span span, NameItem *name, NodeList *items);
TestItem *build_test_data(ParseState *ps, Span span, const char *path, Span pspan, NameItem *report);
TestItem *build_test_figures(ParseState *ps, Span span, NodeList *figures);
TestFigure *build_test_figure(ParseState *ps, NameItem *name, TestCell *value);
TestItem *build_test_row(ParseState *ps, Span span, NodeList *cells);
TestItem *build_test_expect(ParseState *ps, Span span, int kind, NameItem *name, Expect *value,
                            NameItem *subject);
/* A cell from its first token (`single`: a lone quoted token's text; `given`
 * false: an empty cell), and the same cell one token longer. */
TestCell *build_cell(ParseState *ps, Span span, const char *single, bool given);
TestCell *build_cell_extend(ParseState *ps, TestCell *cell, Span next);
Expect *build_expect_value(ParseState *ps, TlValue lo, TlValue hi, bool range);
TlValue build_negate(ParseState *ps, Span span, TlValue v);

/* Room for a token name made readable. */
#define BUILD_TOKEN_BUF 32
/* Bison's token name made readable for messages ("NAME" -> "name", "SCORE" ->
 * "'score'"): a static string, or the text written into buf. */
const char *build_token_name(const char *bison_name, char buf[BUILD_TOKEN_BUF]);

#endif
