/* imports.c - shared bases (imports.h): `import "FILE"` puts the
 * declarations of another rule file where it stands; `override DECL`
 * replaces, in place, a declaration an import brought in; `remove KIND NAME`
 * takes one out.  Everything is resolved on the syntax tree, before the
 * checker runs, so that the checker sees one rule file.
 *
 * Every imported file's text is appended to the program's one Source as a
 * part (diag.h), so spans stay offsets into one text while diagnostics,
 * findings and explanations name the file and line the text came from, and
 * the compile cache's key (runtime/jit/cache.c, which hashes the whole
 * text) covers the imported text. */
#include "imports.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grammar/parse.h"
#include "lang/base/text.h"
#include "lang/base/l10n.h"

typedef struct ImportFile {
    const char *name;    /* the importer's folder joined with the path written */
    char *real;          /* realpath(), for cycles and files imported twice; NULL: not on disk */
    uint32_t start, end; /* its bytes in p->src.text */
    bool done;           /* resolved: a second import adds nothing */
    bool reach[IMPORTS_MAX_FILES]; /* whose declarations it sees: itself and what it imports */
} ImportFile;

typedef struct Resolver {
    Program *p;
    DiagList *diags;
    ImportFile files[IMPORTS_MAX_FILES];
    int nfiles;
    int chain[IMPORTS_MAX_FILES]; /* the files being resolved, outermost first */
    int depth;
    PtrVec out;                   /* the resolved top-level declarations */
} Resolver;

static Diag *fail(Resolver *r, Span span, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static Diag *fail(Resolver *r, Span span, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return diag_at(r->diags, DIAG_ERROR, &r->p->src, span, "%s", buf);
}

/* The file a declaration comes from. */
static int file_of(const Resolver *r, const Decl *d)
{
    for (int i = 0; i < r->nfiles; i++)
        if (d->span.start >= r->files[i].start && d->span.start < r->files[i].end)
            return i;
    return 0;
}

static int line_of(const Resolver *r, Span span)
{
    int line, col;
    source_position(&r->p->src, span.start, &line, &col);
    return line;
}

static const char *kind_word(DeclKind k)
{
    switch (k) {
    case D_SCHEME: return "scheme";
    case D_OPTION: return "option";
    case D_GRADES: return "grades";
    case D_INPUT: return "input";
    case D_LET: return "let";
    case D_METHOD: return "method";
    case D_INDICATOR: return "indicator";
    case D_GROUP: return "group";
    case D_CATEGORY: return "category";
    case D_CHECK: return "check";
    case D_ROWS: return "rows";
    case D_IMPORT: return "import";
    case D_REMOVE: return "remove";
    case D_APPLIES: return "applies";
    case D_TEST: return "test";
    case D_FORM: return "form";
    case D_WORDS: return "words";
    }
    return "declaration";
}

static const char *article(DeclKind k)
{
    return k == D_INPUT || k == D_INDICATOR || k == D_OPTION ? "an" : k == D_WORDS ? "a list of" : "a";
}

/* Declarations one per file, matched by kind alone. */
static bool single_kind(DeclKind k)
{
    return k == D_SCHEME || k == D_GRADES || k == D_ROWS || k == D_APPLIES;
}

/* Inputs, lets, methods, indicators and groups share one name space. */
static bool named_kind(DeclKind k)
{
    return k == D_INPUT || k == D_LET || k == D_METHOD || k == D_INDICATOR || k == D_GROUP;
}

/* Files ------------------------------------------------------------------------ */

/* path, relative to the folder of `importer` unless it is absolute. */
static char *resolve_path(Resolver *r, const char *importer, const char *path)
{
    const char *slash = strrchr(importer, '/');
    if (path[0] == '/' || !slash)
        return arena_strdup(&r->p->arena, path);
    return arena_printf(&r->p->arena, "%.*s/%s", (int)(slash - importer), importer, path);
}

/* A path as messages show it: "a/b/../c" is "a/c" and "./" is dropped.  Only
 * for showing: the file is opened by the path as written, which a symbolic
 * link may send elsewhere. */
static char *display_path(Resolver *r, const char *path)
{
    char *out = arena_strdup(&r->p->arena, path);
    size_t n = 0;
    const char *s = path;
    bool absolute = *s == '/';
    size_t floor = absolute ? 1 : 0; /* ".." never climbs above the start */
    if (absolute)
        out[n++] = '/';
    while (*s) {
        while (*s == '/')
            s++;
        const char *e = strchr(s, '/');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (len == 0)
            break;
        if (len == 1 && s[0] == '.') {
            /* nothing */
        } else if (len == 2 && s[0] == '.' && s[1] == '.' && n > floor &&
                   !(n >= floor + 2 && out[n - 1] == '.' && out[n - 2] == '.' &&
                     (n == floor + 2 || out[n - 3] == '/'))) {
            while (n > floor && out[n - 1] != '/')
                n--;
            if (n > floor)
                n--;
        } else {
            if (n > floor)
                out[n++] = '/';
            memcpy(out + n, s, len);
            n += len;
        }
        s += len;
    }
    out[n] = 0;
    return n ? out : arena_strdup(&r->p->arena, ".");
}

/* The contents of a regular file of at most RULE_MAX_FILE bytes, or NULL
 * with the reason in *why. */
static char *read_rule_file(const char *path, size_t *len, const char **why)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        *why = strerror(errno);
        return NULL;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        *why = "not a regular file";
        close(fd);
        return NULL;
    }
    if ((size_t)sb.st_size > RULE_MAX_FILE) {
        *why = "larger than the limit of a rule file";
        close(fd);
        return NULL;
    }
    size_t cap = (size_t)sb.st_size + 1, n = 0;
    char *buf = xmalloc(cap);
    for (;;) {
        if (n == cap - 1) {
            if (cap > RULE_MAX_FILE) {
                *why = "larger than the limit of a rule file";
                free(buf);
                close(fd);
                return NULL;
            }
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
        ssize_t k = read(fd, buf + n, cap - 1 - n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            *why = strerror(errno);
            free(buf);
            close(fd);
            return NULL;
        }
        if (k == 0)
            break;
        n += (size_t)k;
    }
    close(fd);
    buf[n] = 0;
    *len = n;
    return buf;
}

/* Append text as a new part of p->src, named name; its bounds in *start, *end. */
static void append_part(Resolver *r, const char *name, const char *text, size_t len, uint32_t *start,
                        uint32_t *end)
{
    Source *src = &r->p->src;
    char *all = arena_alloc(&r->p->arena, src->len + len + 1);
    memcpy(all, src->text, src->len);
    memcpy(all + src->len, text, len);
    SourcePart *parts = arena_alloc(&r->p->arena, (size_t)(src->nparts + 1) * sizeof *parts);
    if (src->nparts)
        memcpy(parts, src->parts, (size_t)src->nparts * sizeof *parts);
    parts[src->nparts] = (SourcePart){name, (uint32_t)src->len, (uint32_t)len};
    *start = (uint32_t)src->len;
    *end = (uint32_t)(src->len + len);
    src->text = all;
    src->len += len;
    src->parts = parts;
    src->nparts++;
}

static void resolve_file(Resolver *r, int fi, const Ast *ast);

/* Say which chain of imports leads back to a file already being resolved. */
static void report_cycle(Resolver *r, const Decl *d, int from)
{
    char buf[2048];
    size_t len = 0;
    for (int k = from; k < r->depth && len < sizeof buf; k++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", k == from ? "" : ", which imports ",
                                r->files[r->chain[k]].name);
    if (len < sizeof buf)
        snprintf(buf + len, sizeof buf - len, ", which imports %s again", r->files[r->chain[from]].name);
    Diag *dg = fail(r, d->u.import.path_span, _("import cycle: %s"), buf);
    diag_set_hint(dg, _("a rule file may not import itself, directly or through other files"));
}

static void do_import(Resolver *r, int fi, const Decl *d)
{
    const char *path = resolve_path(r, r->files[fi].name, d->name);
    char *real = realpath(path, NULL);
    if (!real) {
        fail(r, d->u.import.path_span, _("cannot open imported file '%s': %s"), path, strerror(errno));
        return;
    }
    for (int k = 0; k < r->depth; k++)
        if (r->files[r->chain[k]].real && strcmp(r->files[r->chain[k]].real, real) == 0) {
            free(real);
            report_cycle(r, d, k);
            return;
        }
    for (int g = 0; g < r->nfiles; g++)
        if (r->files[g].real && strcmp(r->files[g].real, real) == 0) {
            free(real);
            for (int k = 0; k < r->nfiles; k++)
                r->files[fi].reach[k] |= r->files[g].reach[k];
            return;
        }
    if (r->nfiles == IMPORTS_MAX_FILES) {
        free(real);
        fail(r, d->u.import.path_span, _("more than %d files are imported"), IMPORTS_MAX_FILES);
        return;
    }
    size_t len = 0;
    const char *why = NULL;
    char *text = read_rule_file(path, &len, &why);
    if (!text) {
        free(real);
        fail(r, d->u.import.path_span, _("cannot read imported file '%s': %s"), path, why);
        return;
    }
    if (r->p->src.len + len > IMPORTS_MAX_BYTES) {
        free(real);
        free(text);
        fail(r, d->u.import.path_span, _("the imported files add up to more than %zu MiB"),
             (size_t)IMPORTS_MAX_BYTES >> 20);
        return;
    }
    int g = r->nfiles++;
    ImportFile *f = &r->files[g];
    memset(f, 0, sizeof *f);
    f->name = display_path(r, path);
    f->real = real;
    f->reach[g] = true;
    append_part(r, f->name, text, len, &f->start, &f->end);
    size_t bad = utf8_invalid_at(text, len);
    const char *nul = memchr(text, 0, len);
    size_t at = bad != (size_t)-1 ? bad : nul ? (size_t)(nul - text) : 0;
    free(text);
    f->done = true;
    if (bad != (size_t)-1 || nul) {
        Span span = {f->start + (uint32_t)at, f->start + (uint32_t)at + 1};
        fail(r, span, bad != (size_t)-1 ? _("the rule file is not valid UTF-8")
                                        : _("the rule file contains a NUL byte (is it UTF-16 or binary?)"));
        return;
    }
    ParseResult pr;
    if (!parse_source_range(&r->p->arena, &r->p->src, f->start, f->end, PARSE_FILE, r->diags, &pr))
        return;
    r->chain[r->depth++] = g;
    resolve_file(r, g, &pr.ast);
    r->depth--;
    for (int k = 0; k < r->nfiles; k++)
        r->files[fi].reach[k] |= r->files[g].reach[k];
}

/* Finding what an override or a removal names ---------------------------------------- */

/* The slot (in r->out or in a group's members) holding the first
 * declaration, among those fi sees, that `want` (kind and name) names;
 * NULL when there is none.  *other_kind is set to a declaration of the same
 * name but another kind, when that is all there is. */
static Decl **find_in(Resolver *r, int fi, Decl **slots, int n, DeclKind kind, const char *name,
                      Decl **other_kind)
{
    for (int i = 0; i < n; i++) {
        Decl *d = slots[i];
        if (!d)
            continue;
        if (r->files[fi].reach[file_of(r, d)]) {
            bool same = d->kind == kind && (single_kind(kind) || strcmp(d->name, name) == 0);
            if (same)
                return &slots[i];
            if (named_kind(kind) && named_kind(d->kind) && strcmp(d->name, name) == 0 && !*other_kind)
                *other_kind = d;
        }
        if (d->kind == D_GROUP) {
            Decl **hit = find_in(r, fi, d->u.group.members, d->u.group.nmembers, kind, name, other_kind);
            if (hit)
                return hit;
        }
    }
    return NULL;
}

/* What `override`/`remove` in file fi names: its slot, or NULL after an error. */
static Decl **find_target(Resolver *r, int fi, DeclKind kind, const char *name, Span at,
                          const char *verb)
{
    Decl *other = NULL;
    Decl **slot = find_in(r, fi, (Decl **)r->out.items, (int)r->out.len, kind, name, &other);
    char what[512];
    if (single_kind(kind))
        snprintf(what, sizeof what, "%s", kind_word(kind));
    else
        snprintf(what, sizeof what, "%s '%s'", kind_word(kind), name);
    if (!slot && other) {
        Diag *dg = fail(r, at, _("%s %s: '%s' is %s %s, not %s %s"), verb, what, name,
                        article(other->kind), kind_word(other->kind), article(kind), kind_word(kind));
        diag_set_hint(dg, _("write '%s %s %s'"), verb, kind_word(other->kind), name);
        return NULL;
    }
    if (!slot) {
        Diag *dg = fail(r, at, _("%s %s: no imported file declares %s%s%s"), verb, what,
                        single_kind(kind) ? "" : article(kind), single_kind(kind) ? "" : " ",
                        single_kind(kind) ? kind_word(kind) : what);
        if (strcmp(verb, "override") == 0)
            diag_set_hint(dg, _("without 'override' it declares something new"));
        return NULL;
    }
    if (file_of(r, *slot) == fi) {
        Diag *dg = fail(r, at, _("%s %s: it is declared in this file, at line %d"), verb, what,
                        line_of(r, (*slot)->name_span));
        diag_set_hint(dg, _("%s applies to what an import declares; change the declaration itself"),
                      verb);
        return NULL;
    }
    return slot;
}

/* The other declarations of word list `name` that file fi imports, after
 * the one in `keep`: an override or a removal of a list takes the whole
 * imported list (its `=` and its `+=`s), not only its first declaration. */
static void drop_other_words(Resolver *r, int fi, Decl **keep, const char *name)
{
    for (size_t i = 0; i < r->out.len; i++) {
        Decl **slot = (Decl **)&r->out.items[i];
        if (slot != keep && *slot && (*slot)->kind == D_WORDS && strcmp((*slot)->name, name) == 0 &&
            file_of(r, *slot) != fi && r->files[fi].reach[file_of(r, *slot)])
            *slot = NULL;
    }
}

static void do_override(Resolver *r, int fi, Decl *d)
{
    if (d->kind == D_WORDS && d->u.words.extend) {
        Diag *dg = fail(r, d->span, _("override words %s +=: '+=' adds to the imported list as it is"),
                        d->name);
        diag_set_hint(dg, _("write 'words %s += ...' to add words, or 'override words %s = ...' to "
                          "replace the list"), d->name, d->name);
        return;
    }
    Decl **slot = find_target(r, fi, d->kind, d->name ? d->name : "", d->name_span, "override");
    if (!slot)
        return;
    Decl *old = *slot;
    d->parent = old->parent;
    if (d->kind == D_GROUP && d->u.group.keep_members) {
        d->u.group.members = old->u.group.members;
        d->u.group.nmembers = old->u.group.nmembers;
        for (int i = 0; i < d->u.group.nmembers; i++)
            if (d->u.group.members[i])
                d->u.group.members[i]->parent = d;
        if (d->u.group.keep_aliases) {
            d->u.group.aliases = old->u.group.aliases;
            d->u.group.naliases = old->u.group.naliases;
        }
    }
    *slot = d;
    if (d->kind == D_WORDS)
        drop_other_words(r, fi, slot, d->name);
}

static void do_remove(Resolver *r, int fi, const Decl *d)
{
    for (int i = 0; i < d->u.remove.nnames; i++) {
        Decl **slot = find_target(r, fi, d->u.remove.what, d->u.remove.names[i], d->u.remove.spans[i],
                                  "remove");
        if (slot) {
            *slot = NULL;
            if (d->u.remove.what == D_WORDS)
                drop_other_words(r, fi, NULL, d->u.remove.names[i]);
        }
    }
}

static void resolve_file(Resolver *r, int fi, const Ast *ast)
{
    for (int i = 0; i < ast->ndecls; i++) {
        Decl *d = ast->decls[i];
        switch (d->kind) {
        case D_IMPORT:
            do_import(r, fi, d);
            break;
        case D_REMOVE:
            do_remove(r, fi, d);
            break;
        case D_TEST:
            if (fi == 0) /* an import brings rules, not the tests of another policy */
                ptrvec_push(&r->out, d);
            break;
        case D_SCHEME: case D_OPTION: case D_GRADES: case D_INPUT: case D_LET: case D_METHOD:
        case D_INDICATOR: case D_GROUP: case D_CATEGORY: case D_CHECK: case D_ROWS: case D_APPLIES:
        case D_FORM: case D_WORDS:
            if (d->override)
                do_override(r, fi, d);
            else
                ptrvec_push(&r->out, d);
            break;
        }
    }
}

/* Close the gaps removals left, in a list of declarations and in groups. */
static int compact(Decl **slots, int n)
{
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (!slots[i])
            continue;
        if (slots[i]->kind == D_GROUP)
            slots[i]->u.group.nmembers = compact(slots[i]->u.group.members, slots[i]->u.group.nmembers);
        slots[k++] = slots[i];
    }
    return k;
}

void imports_resolve(Program *p, bool allowed, DiagList *diags)
{
    if (!allowed) {
        for (int i = 0; i < p->ast.ndecls; i++)
            if (p->ast.decls[i]->kind == D_IMPORT) {
                Diag *d = diag_at(diags, DIAG_ERROR, &p->src, p->ast.decls[i]->u.import.path_span,
                                  _("import reads another file, which rules given as text may not do"));
                diag_set_hint(d, _("load the rule file from disk instead (tally_rules_load)"));
            }
        if (diags->errors)
            return;
    }
    bool any = false;
    for (int i = 0; i < p->ast.ndecls; i++)
        any |= p->ast.decls[i]->kind == D_IMPORT || p->ast.decls[i]->kind == D_REMOVE ||
               p->ast.decls[i]->override;
    if (!any)
        return;
    Resolver *r = xcalloc(1, sizeof *r);
    r->p = p;
    r->diags = diags;
    ImportFile *main = &r->files[r->nfiles++];
    main->name = p->src.name;
    main->real = realpath(p->src.name, NULL);
    main->start = 0;
    main->end = (uint32_t)p->src.len;
    main->reach[0] = true;
    r->chain[r->depth++] = 0;
    resolve_file(r, 0, &p->ast);
    int n = compact((Decl **)r->out.items, (int)r->out.len);
    p->ast.decls = arena_alloc(&p->arena, (size_t)(n + 1) * sizeof(Decl *));
    if (n)
        memcpy(p->ast.decls, r->out.items, (size_t)n * sizeof(Decl *));
    p->ast.ndecls = n;
    for (int i = 0; i < r->nfiles; i++)
        free(r->files[i].real);
    ptrvec_free(&r->out);
    free(r);
}

void imports_hint(const Source *src, Diag *d, Span first, Span again, const char *what)
{
    if (strcmp(source_file_at(src, first.start, NULL, NULL), source_file_at(src, again.start, NULL, NULL)) == 0)
        return;
    diag_set_hint(d, _("to replace the imported one, write 'override %s ...'"), what);
}
