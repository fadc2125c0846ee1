/* diag.c - diagnostics list and rendering. */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "l10n.h"
#include "text.h"

void diag_init(DiagList *dl) { memset(dl, 0, sizeof *dl); }

static void diag_release(Diag *d)
{
    free(d->message);
    free(d->hint);
    free(d->column);
}

void diag_clear(DiagList *dl)
{
    for (size_t i = 0; i < dl->len; i++)
        diag_release(&dl->items[i]);
    diag_release(&dl->spare);
    memset(&dl->spare, 0, sizeof dl->spare);
    dl->len = dl->errors = dl->warnings = dl->dropped = 0;
    for (size_t i = 0; i < dl->nkept; i++) {
        for (int k = 0; k < dl->kept[i]->nparts; k++)
            free((char *)dl->kept[i]->parts[k].name);
        free((SourcePart *)dl->kept[i]->parts);
        free((char *)dl->kept[i]->name);
        free((char *)dl->kept[i]->text);
        free(dl->kept[i]);
    }
    free(dl->kept);
    dl->kept = NULL;
    dl->nkept = 0;
}

void diag_free(DiagList *dl)
{
    diag_clear(dl);
    free(dl->items);
    memset(dl, 0, sizeof *dl);
}

static char *vformat(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        xalloc_failed(); /* glibc's printf ran out of memory */
    char *s = xmalloc((size_t)(n < 0 ? 0 : n) + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

static Diag *diag_push(DiagList *dl, DiagSeverity sev, const char *fmt, va_list ap)
{
    if (sev == DIAG_ERROR)
        dl->errors++;
    else if (sev == DIAG_WARNING)
        dl->warnings++;
    if (dl->len >= DIAG_MAX_KEPT) {
        /* Counted, not kept: the caller fills in a scratch diagnostic. */
        dl->dropped++;
        diag_release(&dl->spare);
        memset(&dl->spare, 0, sizeof dl->spare);
        dl->spare.severity = sev;
        return &dl->spare;
    }
    if (dl->len == dl->cap) {
        dl->cap = dl->cap ? dl->cap * 2 : 16;
        dl->items = xrealloc(dl->items, dl->cap * sizeof *dl->items);
    }
    Diag *d = &dl->items[dl->len++];
    memset(d, 0, sizeof *d);
    d->severity = sev;
    d->message = vformat(fmt, ap);
    return d;
}

Diag *diag_at(DiagList *dl, DiagSeverity sev, const Source *src, Span span, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    Diag *d = diag_push(dl, sev, fmt, ap);
    va_end(ap);
    d->src = src;
    d->span = span;
    return d;
}

Diag *diag_data(DiagList *dl, DiagSeverity sev, const char *file, int line, int col,
                const char *column, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    Diag *d = diag_push(dl, sev, fmt, ap);
    va_end(ap);
    d->file = file;
    d->line = line;
    d->col = col;
    d->column = column ? xstrdup(column) : NULL;
    return d;
}

Diag *diag_plain(DiagList *dl, DiagSeverity sev, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    Diag *d = diag_push(dl, sev, fmt, ap);
    va_end(ap);
    return d;
}

void diag_set_hint(Diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    free(d->hint);
    d->hint = vformat(fmt, ap);
    va_end(ap);
}

void diag_keep_source(DiagList *dl, const Source *src)
{
    Source *copy = NULL;
    for (size_t i = 0; i < dl->len; i++) {
        if (dl->items[i].src != src)
            continue;
        if (!copy) {
            copy = xmalloc(sizeof *copy);
            *copy = *src;
            copy->name = xstrdup(src->name);
            char *text = xmalloc(src->len + 1);
            memcpy(text, src->text, src->len);
            text[src->len] = '\0';
            copy->text = text;
            if (src->nparts) {
                SourcePart *parts = xmalloc((size_t)src->nparts * sizeof *parts);
                for (int k = 0; k < src->nparts; k++) {
                    parts[k] = src->parts[k];
                    parts[k].name = xstrdup(src->parts[k].name);
                }
                copy->parts = parts;
            }
            dl->kept = xrealloc(dl->kept, (dl->nkept + 1) * sizeof *dl->kept);
            dl->kept[dl->nkept++] = copy;
        }
        dl->items[i].src = copy;
    }
}

/* The part holding offset, or -1 for the first file. */
static int part_index(const Source *src, uint32_t offset)
{
    int found = -1;
    for (int k = 0; k < src->nparts; k++)
        if (offset >= src->parts[k].start)
            found = k;
    return found;
}

const char *source_file_at(const Source *src, uint32_t offset, uint32_t *start, uint32_t *end)
{
    int k = part_index(src, offset);
    uint32_t s = k < 0 ? 0 : src->parts[k].start;
    uint32_t e = k < 0 ? (src->nparts ? src->parts[0].start : (uint32_t)src->len)
                       : src->parts[k].start + src->parts[k].len;
    if (start)
        *start = s;
    if (end)
        *end = e;
    return k < 0 ? src->name : src->parts[k].name;
}

bool source_in_part(const Source *src, uint32_t offset)
{
    return part_index(src, offset) >= 0;
}

void source_position(const Source *src, uint32_t offset, int *line, int *col)
{
    if (offset > src->len)
        offset = (uint32_t)src->len;
    uint32_t first;
    source_file_at(src, offset, &first, NULL);
    int ln = first == 0 && src->first_line ? src->first_line : 1;
    const char *p = src->text + first, *end = src->text + offset, *nl;
    while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        ln++;
        p = nl + 1;
    }
    size_t bol = (size_t)(p - src->text);
    *line = ln;
    *col = (int)utf8_count(src->text + bol, offset - bol) + 1;
}

static const char *severity_name(DiagSeverity s)
{
    switch (s) {
    case DIAG_ERROR: return _("error");
    case DIAG_WARNING: return _("warning");
    case DIAG_NOTE: return _("note");
    }
    return _("error");
}

static const char *severity_color(DiagSeverity s)
{
    switch (s) {
    case DIAG_ERROR: return "\033[1;31m";
    case DIAG_WARNING: return "\033[1;35m";
    case DIAG_NOTE: return "\033[1;36m";
    }
    return "";
}

/* Characters a terminal would act on instead of showing: C0 controls and
 * DEL, C1 controls (U+0080..U+009F: ESC's 8-bit twin CSI among them), the
 * line and paragraph separators, and the bidirectional overrides and
 * isolates that reorder what follows ("Trojan Source").  Bytes that are not
 * UTF-8 are shown escaped too. */
static bool is_hostile(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Write s[0..n) with every hostile character as \xHH (each of its bytes),
 * tab as \t and newline as \n unless keep_newlines; the display width of
 * what was written.  out NULL: only the width. */
static size_t put_escaped(FILE *out, const char *s, size_t n, bool keep_newlines)
{
    size_t width = 0;
    char esc[8];
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int len = utf8_decode(s + i, n - i, &cp);
        if (len > 0 && keep_newlines && cp == '\n') {
            if (out)
                fputc('\n', out);
            i++;
        } else if (len > 0 && !is_hostile(cp)) {
            if (out)
                fwrite(s + i, 1, (size_t)len, out);
            width += (size_t)cp_width(cp);
            i += (size_t)len;
        } else if (len > 0 && (cp == '\t' || cp == '\n' || cp == '\r')) {
            if (out)
                fputs(cp == '\t' ? "\\t" : cp == '\n' ? "\\n" : "\\r", out);
            width += 2;
            i++;
        } else {
            for (int k = 0; k < (len > 0 ? len : 1); k++, i++) {
                snprintf(esc, sizeof esc, "\\x%02X", (unsigned char)s[i]);
                if (out)
                    fputs(esc, out);
                width += 4;
            }
        }
    }
    return width;
}

/* The display width put_escaped() gives s[0..n). */
static size_t escaped_width(const char *s, size_t n)
{
    return put_escaped(NULL, s, n, false);
}

void diag_fputs(const char *s, FILE *out)
{
    put_escaped(out, s, strlen(s), false);
}

void diag_printf(FILE *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = vformat(fmt, ap);
    va_end(ap);
    put_escaped(out, s, strlen(s), true);
    free(s);
}

/* Bytes of a long source line shown either side of a diagnostic's span. */
#define EXCERPT_MAX 240

/* Echo the source line holding the span and put a caret under it, indented
 * by display width so it lines up under CJK text. */
static void render_excerpt(const Diag *d, FILE *out, bool color)
{
    const Source *src = d->src;
    uint32_t start = d->span.start > src->len ? (uint32_t)src->len : d->span.start;
    uint32_t file_start, file_end; /* the line never runs into another file's text */
    source_file_at(src, start, &file_start, &file_end);
    size_t bol = start, eol = start;
    while (bol > file_start && src->text[bol - 1] != '\n')
        bol--;
    while (eol < file_end && src->text[eol] != '\n' && src->text[eol] != '\r')
        eol++;
    size_t end = d->span.end > eol ? eol : d->span.end;
    if (end < start)
        end = start;
    /* Of a very long line (a generated file, a file with no line breaks) show
     * only the part around the span, cut at character boundaries. */
    const char *t = src->text;
    bool cut_left = false, cut_right = false;
    if (start - bol > EXCERPT_MAX) {
        for (bol = start - EXCERPT_MAX; bol < start && ((unsigned char)t[bol] & 0xC0) == 0x80;)
            bol++;
        cut_left = true;
    }
    if (end - start > EXCERPT_MAX)
        for (end = start + EXCERPT_MAX; end > start && ((unsigned char)t[end] & 0xC0) == 0x80;)
            end--;
    if (eol - end > EXCERPT_MAX) {
        for (eol = end + EXCERPT_MAX; eol > end && ((unsigned char)t[eol] & 0xC0) == 0x80;)
            eol--;
        cut_right = true;
    }
    /* Tabs are echoed as single spaces so the caret arithmetic holds; other
     * control characters escaped, and the caret counts their escapes. */
    fputs(cut_left ? "    ..." : "    ", out);
    for (size_t i = bol, j; i < eol; i = j) {
        for (j = i; j < eol && t[j] != '\t'; j++)
            ;
        put_escaped(out, t + i, j - i, false);
        if (j < eol) {
            fputc(' ', out);
            j++;
        }
    }
    fputs(cut_right ? "...\n    " : "\n    ", out);
    size_t pad = 0;
    for (size_t i = bol; i < start; i++)
        if (t[i] == '\t')
            pad++;
        else {
            size_t j = i;
            while (j < start && t[j] != '\t')
                j++;
            pad += escaped_width(t + i, j - i);
            i = j - 1;
        }
    pad += cut_left ? 3 : 0;
    size_t wide = end > start ? escaped_width(src->text + start, end - start) : 1;
    for (size_t i = 0; i < pad; i++)
        fputc(' ', out);
    if (color)
        fputs("\033[1;32m", out);
    fputc('^', out);
    for (size_t i = 1; i < wide; i++)
        fputc('~', out);
    if (color)
        fputs("\033[0m", out);
    fputc('\n', out);
}

void diag_render(const Diag *d, FILE *out, bool color)
{
    /* Names, messages and hints carry text from the data and the rule file:
     * every piece is written escaped (put_escaped), so no control character
     * of theirs reaches the terminal. */
    const char *bold = color ? "\033[1m" : "", *reset = color ? "\033[0m" : "";
    fputs(bold, out);
    if (d->src) {
        int line, col;
        source_position(d->src, d->span.start, &line, &col);
        diag_fputs(source_file_at(d->src, d->span.start, NULL, NULL), out);
        fprintf(out, ":%d:%d:", line, col);
    } else if (d->file) {
        diag_fputs(d->file, out);
        if (d->line > 0 && d->col > 0)
            fprintf(out, ":%d:%d:", d->line, d->col);
        else if (d->line > 0)
            fprintf(out, ":%d:", d->line);
        else
            fputc(':', out);
    } else {
        fputs("tally:", out);
    }
    fprintf(out, "%s %s%s:%s ", reset, color ? severity_color(d->severity) : "", severity_name(d->severity),
            reset);
    if (d->column) {
        /* the column's name escaped within the translated frame */
        const char *frame = _("column \"%s\": ");
        const char *at = strstr(frame, "%s");
        fwrite(frame, 1, at ? (size_t)(at - frame) : strlen(frame), out);
        if (at) {
            diag_fputs(d->column, out);
            fputs(at + 2, out);
        }
    }
    diag_fputs(d->message, out);
    fputc('\n', out);
    if (d->src)
        render_excerpt(d, out, color);
    if (d->hint) {
        fputs("    ", out);
        diag_fputs(d->hint, out);
        fputc('\n', out);
    }
}

void diag_render_all(const DiagList *dl, FILE *out, bool color)
{
    for (size_t i = 0; i < dl->len; i++)
        diag_render(&dl->items[i], out, color);
    if (dl->dropped)
        fprintf(out,
                dl->dropped == 1 ? _("tally: note: %zu more message not shown (only the first %d are kept)\n")
                                 : _("tally: note: %zu more messages not shown (only the first %d are kept)\n"),
                dl->dropped, DIAG_MAX_KEPT);
}
