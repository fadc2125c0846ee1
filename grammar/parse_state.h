/* parse_state.h - state shared by the scanner and the parser (internal). */
#ifndef TALLY_PARSE_STATE_H
#define TALLY_PARSE_STATE_H

#include <stdint.h>

#include "ast.h"
#include "lang/base/arena.h"
#include "lang/base/diag.h"

typedef struct ParseState {
    Arena *arena;
    const Source *src;
    DiagList *diags;
    uint32_t offset;     /* scanner position, bytes */
    int start_token;     /* emitted once before the first real token */
    int syntax_errors;
    bool incomplete;
    Ast *ast;
    int decls_cap;       /* room in ast->decls */
    Expr *repl_expr;
    /* Test blocks have words of their own (row, figure, expect, ...), which
     * are names everywhere else: 1 after `test`, 2 inside its braces. */
    int test_state;
} ParseState;

/* A growable array in the arena (old storage is abandoned on growth). */
typedef struct NodeList {
    void **items;
    int len, cap;
} NodeList;

NodeList *list_new(ParseState *ps);
NodeList *list_push(ParseState *ps, NodeList *l, void *item);

/* Token locations: byte offsets, as Span. */
typedef struct SrcLoc {
    uint32_t start, end;
} SrcLoc;

#endif
