/* compile.c - the compile driver: a rule file's text, parsed (grammar/)
 * and checked (check.c), becomes a Program; and what a Program answers
 * about itself.  The only file of lang/ that calls the parser. */
#include "program.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "grammar/parse.h"
#include "imports.h"
#include "lang/base/text.h"
#include "symtab.h"
#include "lang/base/l10n.h"

/* Diagnostics about src read best in source order (a stable insertion sort:
 * lists are short). */
static void sort_diags(DiagList *dl, size_t from, const Source *src)
{
    for (size_t i = from + 1; i < dl->len; i++) {
        Diag d = dl->items[i];
        if (d.src != src)
            continue;
        size_t j = i;
        while (j > from && dl->items[j - 1].src == src && dl->items[j - 1].span.start > d.span.start) {
            dl->items[j] = dl->items[j - 1];
            j--;
        }
        dl->items[j] = d;
    }
}

/* Public entry points ---------------------------------------------------------- */

static Program *compile(const char *name, const char *text, size_t len, bool imports, DiagList *diags);

Program *program_compile(const char *name, const char *text, size_t len, DiagList *diags)
{
    return compile(name, text, len, true, diags);
}

Program *program_compile_sealed(const char *name, const char *text, size_t len, DiagList *diags)
{
    return compile(name, text, len, false, diags);
}

static Program *compile(const char *name, const char *text, size_t len, bool imports, DiagList *diags)
{
    if (len > RULE_MAX_FILE) {
        diag_data(diags, DIAG_ERROR, name, 0, 0, NULL, _("rule file is larger than %zu MiB"),
                  RULE_MAX_FILE >> 20);
        return NULL;
    }
    const unsigned char *u = (const unsigned char *)text;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF) ||
                     (u[0] && !u[1]) || (!u[0] && u[1]))) {
        /* a byte-order mark, or ASCII with a NUL beside it: UTF-16 */
        Diag *d = diag_data(diags, DIAG_ERROR, name, 0, 0, NULL, _("the rule file is in UTF-16, not UTF-8"));
        diag_set_hint(d, _("save it as UTF-8 (in Notepad: Save As, Encoding: UTF-8)"));
        return NULL;
    }
    Program *p = xcalloc(1, sizeof *p);
    arena_init(&p->arena);
    p->src.name = arena_strdup(&p->arena, name);
    char *copy = arena_alloc(&p->arena, len + 1); /* byte for byte: the lexer reads len bytes */
    memcpy(copy, text, len);
    p->src.text = copy;
    p->src.len = len;
    p->src.first_line = 1;
    p->symbols = symtab_new();
    size_t errors = diags->errors, first_diag = diags->len;

    size_t bad = utf8_invalid_at(text, len);
    const char *nul = memchr(text, 0, len);
    if (bad != (size_t)-1 || nul) {
        uint32_t at = bad != (size_t)-1 ? (uint32_t)bad : (uint32_t)(nul - text);
        diag_at(diags, DIAG_ERROR, &p->src, (Span){at, at + 1},
                bad != (size_t)-1 ? _("the rule file is not valid UTF-8")
                                  : _("the rule file contains a NUL byte (is it UTF-16 or binary?)"));
        diag_keep_source(diags, &p->src);
        program_free(p);
        return NULL;
    }
    ParseResult pr;
    parse_source(&p->arena, &p->src, PARSE_FILE, diags, &pr);
    p->ast = pr.ast;
    if (diags->errors == errors)
        imports_resolve(p, imports, diags);
    if (diags->errors == errors)
        check_program(p, diags);
    sort_diags(diags, first_diag, &p->src);
    if (diags->errors != errors) {
        diag_keep_source(diags, &p->src);
        program_free(p);
        return NULL;
    }
    return p;
}

Program *program_load(const char *path, DiagList *diags)
{
    FILE *f = fopen(path, "rb");
    if (!f && errno == ENOMEM)
        xalloc_failed();
    if (!f) {
        diag_data(diags, DIAG_ERROR, path, 0, 0, NULL, _("cannot open rule file: %s"), strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = xmalloc(cap);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            if (cap > RULE_MAX_FILE) {
                diag_data(diags, DIAG_ERROR, path, 0, 0, NULL, _("rule file is larger than %zu MiB"),
                          RULE_MAX_FILE >> 20);
                fclose(f);
                free(buf);
                return NULL;
            }
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
    }
    bool err = ferror(f);
    fclose(f);
    if (err) {
        diag_data(diags, DIAG_ERROR, path, 0, 0, NULL, _("cannot read rule file"));
        free(buf);
        return NULL;
    }
    Program *p = program_compile(path, buf, len, diags);
    free(buf);
    return p;
}

void program_free(Program *p)
{
    if (!p)
        return;
    free(p->inputs);
    free(p->lets);
    free(p->methods);
    free(p->checks);
    symtab_free(p->symbols);
    arena_free(&p->arena);
    free(p);
}

Sym *program_lookup(const Program *p, const char *name)
{
    return symtab_get(p->symbols, name);
}

const char **program_names(const Program *p, Arena *arena)
{
    size_t n = symtab_count(p->symbols);
    const char **names = arena_alloc(arena, (n + 1) * sizeof(char *));
    for (size_t i = 0; i < n; i++)
        names[i] = symtab_at(p->symbols, i)->name;
    return names;
}

char *program_text(const Program *p, Span span, Arena *arena)
{
    if (span.end > p->src.len || span.start > span.end)
        return arena_strdup(arena, "");
    return arena_strndup(arena, p->src.text + span.start, span.end - span.start);
}
