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

/* Room for a token name made readable. */
#define BUILD_TOKEN_BUF 32
/* Bison's token name made readable for messages ("NAME" -> "name", "SCORE" ->
 * "'score'"): a static string, or the text written into buf. */
const char *build_token_name(const char *bison_name, char buf[BUILD_TOKEN_BUF]);

#endif
