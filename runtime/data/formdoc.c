/* formdoc.c - the document a form reader fills (form.h): paragraphs and
 * grids of cell texts, merged ranges expanded, within the limits; what a
 * file is, from its content; the normalising of form words. */
#include "form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lang/base/text.h"

char *form_norm(const char *s, size_t n) { return text_label_norm(s, n); }

void form_doc_init(FormDoc *doc, Arena *arena, const char *file, const char *format)
{
    memset(doc, 0, sizeof *doc);
    doc->arena = arena;
    doc->file = file;
    doc->format = format;
}

void form_doc_free(FormDoc *doc)
{
    for (size_t i = 0; i < doc->nitems; i++)
        if (doc->items[i].grid) {
            free(doc->items[i].grid->rows);
            free(doc->items[i].grid);
        }
    free(doc->items);
    memset(doc, 0, sizeof *doc);
}

static FormItem *new_item(FormDoc *doc)
{
    if (doc->nitems == doc->cap) {
        doc->cap = doc->cap ? doc->cap * 2 : 16;
        doc->items = xrealloc(doc->items, doc->cap * sizeof *doc->items);
    }
    FormItem *it = &doc->items[doc->nitems++];
    memset(it, 0, sizeof *it);
    return it;
}

/* Count text against the document's limit. */
static bool take_text(FormDoc *doc, size_t n)
{
    if (doc->text_bytes + n > FORM_MAX_TEXT) {
        doc->too_much = true;
        return false;
    }
    doc->text_bytes += n;
    return true;
}

void form_doc_text(FormDoc *doc, const char *text, size_t len)
{
    if (loader_is_blank(text, len) || !take_text(doc, len))
        return;
    new_item(doc)->text = arena_strndup(doc->arena, text, len);
}

FormGrid *form_doc_grid(FormDoc *doc, FormGridKind kind, const char *name)
{
    if (doc->ngrids >= FORM_MAX_GRIDS) {
        doc->too_much = true;
        return NULL;
    }
    FormGrid *g = xcalloc(1, sizeof *g);
    g->kind = kind;
    g->ordinal = (int)++doc->ngrids;
    g->name = name ? arena_strdup(doc->arena, name) : arena_printf(doc->arena, "table %d", g->ordinal);
    new_item(doc)->grid = g;
    return g;
}

bool form_grid_row(FormDoc *doc, FormGrid *g, int number, const char *const *cells,
                   const size_t *lens, int n)
{
    if (g->nrows >= FORM_MAX_ROWS) {
        g->truncated = true;
        return false;
    }
    if (n > FORM_MAX_COLUMNS)
        n = FORM_MAX_COLUMNS;
    while (n > 0 && (!cells[n - 1] || lens[n - 1] == 0))
        n--;
    if (g->nrows == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 64;
        g->rows = xrealloc(g->rows, g->cap * sizeof *g->rows);
    }
    FormRow *row = &g->rows[g->nrows++];
    row->number = number;
    row->ncells = n;
    row->cells = n ? arena_alloc(doc->arena, (size_t)n * sizeof *row->cells) : NULL;
    for (int c = 0; c < n; c++) {
        if (!cells[c] || lens[c] == 0 || !take_text(doc, lens[c])) {
            row->cells[c] = "";
            continue;
        }
        row->cells[c] = arena_strndup(doc->arena, cells[c], lens[c]);
    }
    return true;
}

const char *form_cell(const FormGrid *g, size_t r, int c)
{
    if (r >= g->nrows || c < 0 || c >= g->rows[r].ncells)
        return "";
    return g->rows[r].cells[c];
}

size_t form_grid_find_row(const FormGrid *g, int number)
{
    /* Rows are appended in order of their numbers: binary search. */
    size_t lo = 0, hi = g->nrows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (g->rows[mid].number < number)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < g->nrows && g->rows[lo].number == number ? lo : (size_t)-1;
}

/* Widen row r to at least n cells. */
static void widen(FormDoc *doc, FormRow *row, int n)
{
    if (row->ncells >= n)
        return;
    const char **cells = arena_alloc(doc->arena, (size_t)n * sizeof *cells);
    for (int c = 0; c < n; c++)
        cells[c] = c < row->ncells ? row->cells[c] : "";
    row->cells = cells;
    row->ncells = n;
}

void form_grid_merge(FormDoc *doc, FormGrid *g, size_t r0, int c0, size_t r1, int c1)
{
    if (r0 >= g->nrows || c0 < 0 || c1 < c0 || r1 < r0 || c0 >= FORM_MAX_COLUMNS)
        return;
    if (c1 >= FORM_MAX_COLUMNS)
        c1 = FORM_MAX_COLUMNS - 1;
    if (r1 >= g->nrows)
        r1 = g->nrows - 1;
    const char *anchor = form_cell(g, r0, c0);
    if (!*anchor)
        return;
    for (size_t r = r0; r <= r1; r++) {
        widen(doc, &g->rows[r], c1 + 1);
        for (int c = c0; c <= c1; c++)
            g->rows[r].cells[c] = anchor;
    }
}

void form_column_name(int col, char *buf)
{
    char tmp[8];
    int n = 0;
    col++;
    while (col > 0 && n < 7) {
        int rem = (col - 1) % 26;
        tmp[n++] = (char)('A' + rem);
        col = (col - 1) / 26;
    }
    for (int i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = 0;
}

/* What a file is --------------------------------------------------------------- */

static bool starts_ci(const char *p, const char *end, const char *word)
{
    size_t n = strlen(word);
    return (size_t)(end - p) >= n && strncasecmp(p, word, n) == 0;
}

/* Markup: the first non-space character is '<' and an HTML element opens
 * within the first 4 KiB. */
static bool looks_like_html(const char *data, size_t len)
{
    const char *p = data, *end = data + (len < 4096 ? len : 4096);
    if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    if (p >= end || *p != '<')
        return false;
    static const char *const tags[] = {"<!doctype html", "<html", "<head", "<body", "<table",
                                       "<meta", "<title"};
    for (const char *q = p; q < end; q++)
        if (*q == '<')
            for (size_t i = 0; i < sizeof tags / sizeof *tags; i++)
                if (starts_ci(q, end, tags[i]))
                    return true;
    return false;
}

FormSniff form_sniff(const char *data, size_t len, Arena *arena, const char **why)
{
    *why = NULL;
    if (len >= 4 && memcmp(data, "PK", 2) == 0 &&
        ((data[2] == 3 && data[3] == 4) || (data[2] == 5 && data[3] == 6))) {
        FormZip *z = zip_open_memory(data, len, arena, why);
        if (!z)
            return SNIFF_REFUSED;
        FormSniff s = SNIFF_REFUSED;
        if (zip_has(z, "[Content_Types].xml")) {
            if (zip_has(z, "xl/workbook.xml"))
                s = SNIFF_XLSX;
            else if (zip_has(z, "word/document.xml"))
                s = SNIFF_DOCX;
            else
                *why = "an Office Open XML file that is neither a workbook (xl/) nor a Word "
                       "document (word/)";
        } else if (zip_has(z, "mimetype")) {
            *why = "an OpenDocument file (.ods, .odt): save it as .xlsx or .docx";
        } else {
            *why = "a zip archive that is not an Office Open XML document (no "
                   "[Content_Types].xml): its members are not read";
        }
        zip_close_archive(z);
        return s;
    }
    if (len >= 8 && memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
        return xls_sniff(data, len, arena, why);
    if (looks_like_html(data, len))
        return SNIFF_HTML;
    return SNIFF_TEXT;
}
