/* parse.c - the parser driver: rule-file text through the scanner and the
 * parser into a raw syntax tree (parse.h).  Everything a parse needs lives
 * in its ParseState, on the caller's stack: nothing is global. */
#include "parse.h"

#include <string.h>

#include "parse_state.h"
#include "parser.h"
#include "lexer.h"

bool parse_source(Arena *arena, const Source *src, ParseMode mode, DiagList *diags,
                  ParseResult *out)
{
    return parse_source_range(arena, src, 0, (uint32_t)src->len, mode, diags, out);
}

bool parse_source_range(Arena *arena, const Source *src, uint32_t start, uint32_t end,
                        ParseMode mode, DiagList *diags, ParseResult *out)
{
    memset(out, 0, sizeof *out);
    ParseState ps = {0};
    ps.arena = arena;
    ps.src = src;
    ps.diags = diags;
    ps.ast = &out->ast;
    ps.start_token = mode == PARSE_REPL ? START_REPL : START_FILE;
    ps.offset = start;
    size_t before = diags->errors;

    yyscan_t scanner;
    if (tlylex_init_extra(&ps, &scanner) != 0)
        xalloc_failed();
    YY_BUFFER_STATE buf = tly_scan_bytes(src->text + start, (int)(end - start), scanner);
    tlyparse(scanner, &ps);
    tly_delete_buffer(buf, scanner);
    tlylex_destroy(scanner);

    out->expr = ps.repl_expr;
    out->incomplete = ps.incomplete;
    return diags->errors == before;
}

void parse_dump_tokens(const Source *src, FILE *out)
{
    Arena arena;
    arena_init(&arena);
    DiagList diags;
    diag_init(&diags);
    ParseState ps = {0};
    ps.arena = &arena;
    ps.src = src;
    ps.diags = &diags;
    yyscan_t scanner;
    if (tlylex_init_extra(&ps, &scanner) != 0)
        xalloc_failed();
    YY_BUFFER_STATE buf = tly_scan_bytes(src->text, (int)src->len, scanner);
    TLYSTYPE val;
    SrcLoc loc;
    int tok;
    while ((tok = tlylex(&val, &loc, scanner)) != 0) {
        int line, col;
        source_position(src, loc.start, &line, &col);
        fprintf(out, "%d:%d %.*s\n", line, col, (int)(loc.end - loc.start),
                src->text + loc.start);
    }
    tly_delete_buffer(buf, scanner);
    tlylex_destroy(scanner);
    diag_render_all(&diags, out, false);
    diag_free(&diags);
    arena_free(&arena);
}
