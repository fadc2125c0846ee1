/* parse.h - rule-file text to a raw syntax tree.
 *
 * The grammar builds nodes and nothing else: names are not resolved and
 * nothing is type-checked here (see lang/check.h).  Every syntax error is
 * appended to the diagnostics; parsing recovers at the next declaration.
 */
#ifndef TALLY_PARSE_H
#define TALLY_PARSE_H

#include <stdbool.h>

#include "ast.h"
#include "lang/base/arena.h"
#include "lang/base/diag.h"

/* An expression tree may be at most this many levels high (1+1+...+1 with
 * 300 terms is 300 levels): the checker and the interpreter walk trees
 * recursively, so a limit keeps a hostile file from overflowing the stack. */
#define PARSE_MAX_EXPR_HEIGHT 256
/* A method takes at most this many parameters (names are looked up linearly). */
#define PARSE_MAX_PARAMS 64

typedef enum ParseMode {
    PARSE_FILE,  /* a whole rule file: declarations */
    PARSE_REPL,  /* one REPL input: declarations, or one expression */
} ParseMode;

typedef struct ParseResult {
    Ast ast;
    Expr *expr;       /* PARSE_REPL: the expression entered, or NULL */
    bool incomplete;  /* the text ended inside an unfinished construct */
} ParseResult;

/* Parse src into out (nodes in arena).  Returns false when a syntax error
 * was reported.  `incomplete` is set when the first error is at the end of
 * input, which the REPL takes as "ask for another line". */
bool parse_source(Arena *arena, const Source *src, ParseMode mode, DiagList *diags,
                  ParseResult *out);
/* The same for the bytes [start, end) of src: an imported file appended to
 * its importer's Source (lang/imports.c); spans stay offsets into src. */
bool parse_source_range(Arena *arena, const Source *src, uint32_t start, uint32_t end,
                        ParseMode mode, DiagList *diags, ParseResult *out);

/* Print the token stream of src, one token per line (debugging, tests). */
void parse_dump_tokens(const Source *src, FILE *out);

#endif
