/* docx.c - the docx reader (form.h): word/document.xml, streamed with
 * libxml2's reader.  Paragraphs outside tables are text lines; every table
 * (nested ones too) is a grid, "table N" in document order, its rows
 * numbered from 1.  A cell's paragraphs are joined by line breaks, <w:br/>
 * is a line break; a cell spanning columns (gridSpan) fills each of them,
 * and a cell continuing a vertical merge (vMerge) holds the text of the
 * cell where the merge began; gridBefore leaves columns empty. */
#include "form.h"

#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>

#include "lang/base/strbuf.h"

#define DOCX_MAX_CELL (1u << 20)
#define DOCX_MAX_DEPTH 64        /* tables nested in tables */

/* A table being read. */
typedef struct Table {
    FormGrid *grid;
    int row;              /* rows started */
    int col;              /* next grid column in the row */
    const char **cells;   /* this row's texts, by column (arena) */
    size_t *lens;
    int ncells, cap;
    const char **above;   /* the previous row's texts, for vMerge */
    int nabove;
    /* the cell being read */
    bool in_cell;
    StrBuf text;
    int paragraphs;
    int span;
    bool vcontinue;
    bool full;
} Table;

typedef struct Docx {
    FormDoc *doc;
    Table stack[DOCX_MAX_DEPTH];
    int depth;            /* tables open */
    int ignored;          /* tables nested deeper than DOCX_MAX_DEPTH */
    StrBuf body;          /* a paragraph outside tables */
    bool in_body_p;
    int skip_depth;       /* inside mc:Fallback: its copy is skipped */
} Docx;

static bool is_name(xmlTextReaderPtr r, const char *name)
{
    const xmlChar *n = xmlTextReaderConstLocalName(r);
    return n && strcmp((const char *)n, name) == 0;
}

/* w:val of the element, as a number (default when absent). */
static int val_int(xmlTextReaderPtr r, int dflt)
{
    char *v = NULL;
    if (xmlTextReaderMoveToFirstAttribute(r) == 1) {
        do {
            const xmlChar *n = xmlTextReaderConstLocalName(r);
            if (n && strcmp((const char *)n, "val") == 0) {
                v = (char *)xmlTextReaderValue(r);
                break;
            }
        } while (xmlTextReaderMoveToNextAttribute(r) == 1);
        xmlTextReaderMoveToElement(r);
    }
    int out = dflt;
    if (v)
        out = strcmp(v, "restart") == 0 ? 1 : strcmp(v, "continue") == 0 ? 0 : atoi(v);
    xmlFree(v);
    return out;
}

static bool has_val(xmlTextReaderPtr r)
{
    char *v = (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)"w:val");
    bool has = v != NULL;
    xmlFree(v);
    return has;
}

/* Is the current node's parent element named `name` (a run, "r")? */
static bool parent_is(xmlTextReaderPtr r, const char *name)
{
    xmlNodePtr n = xmlTextReaderCurrentNode(r);
    return n && n->parent && n->parent->name && strcmp((const char *)n->parent->name, name) == 0;
}

static StrBuf *current_text(Docx *d)
{
    if (d->depth > 0 && d->stack[d->depth - 1].in_cell)
        return &d->stack[d->depth - 1].text;
    return d->in_body_p ? &d->body : NULL;
}

static void put_cell(FormDoc *doc, Table *t, int col, const char *s, size_t n)
{
    if (col < 0 || col >= FORM_MAX_COLUMNS)
        return;
    if (col >= t->cap) {
        int cap = t->cap ? t->cap : 16;
        while (cap <= col)
            cap *= 2;
        t->cells = xrealloc(t->cells, (size_t)cap * sizeof *t->cells);
        t->lens = xrealloc(t->lens, (size_t)cap * sizeof *t->lens);
        t->cap = cap;
    }
    while (t->ncells <= col) {
        t->cells[t->ncells] = "";
        t->lens[t->ncells++] = 0;
    }
    t->cells[col] = n ? arena_strndup(doc->arena, s, n) : "";
    t->lens[col] = n;
}

static void end_cell(Docx *d, Table *t)
{
    const char *s = t->text.s ? t->text.s : "";
    size_t n = t->text.len;
    if (t->vcontinue && t->col < t->nabove) {
        s = t->above[t->col];
        n = strlen(s);
    }
    int span = t->span < 1 ? 1 : t->span > FORM_MAX_SPAN ? FORM_MAX_SPAN : t->span;
    for (int k = 0; k < span; k++)
        put_cell(d->doc, t, t->col + k, s, n);
    t->col += span;
    t->in_cell = false;
}

static void end_row(Docx *d, Table *t)
{
    if (t->grid && !t->full)
        t->full = !form_grid_row(d->doc, t->grid, t->row, t->cells, t->lens, t->ncells);
    /* This row is the one above the next. */
    t->above = arena_alloc(d->doc->arena, (size_t)(t->ncells + 1) * sizeof *t->above);
    for (int c = 0; c < t->ncells; c++)
        t->above[c] = t->cells[c];
    t->nabove = t->ncells;
    t->ncells = 0;
}

static void element(Docx *d, xmlTextReaderPtr r)
{
    bool empty = xmlTextReaderIsEmptyElement(r);
    Table *t = d->depth > 0 ? &d->stack[d->depth - 1] : NULL;
    if (is_name(r, "Fallback")) {
        if (!empty)
            d->skip_depth = xmlTextReaderDepth(r);
        return;
    }
    if (is_name(r, "tbl")) {
        if (empty)
            return;
        if (d->depth == DOCX_MAX_DEPTH) {
            d->ignored++;
            return;
        }
        Table *n = &d->stack[d->depth++];
        memset(n, 0, sizeof *n);
        n->grid = form_doc_grid(d->doc, GRID_TABLE, NULL);
        return;
    }
    if (d->ignored)
        return;
    if (t && is_name(r, "tr")) {
        t->row++;
        t->col = 0;
        t->ncells = 0;
        if (empty)
            end_row(d, t);
    } else if (t && !t->in_cell && is_name(r, "gridBefore")) {
        int n = val_int(r, 0);
        t->col += n < 0 ? 0 : n > FORM_MAX_SPAN ? FORM_MAX_SPAN : n;
    } else if (t && is_name(r, "tc")) {
        t->in_cell = true;
        t->text.len = 0;
        if (t->text.s)
            t->text.s[0] = 0;
        t->paragraphs = 0;
        t->span = 1;
        t->vcontinue = false;
        if (empty)
            end_cell(d, t);
    } else if (t && t->in_cell && is_name(r, "gridSpan")) {
        t->span = val_int(r, 1);
    } else if (t && t->in_cell && is_name(r, "vMerge")) {
        t->vcontinue = !has_val(r) || val_int(r, 0) == 0;
    } else if (is_name(r, "p")) {
        if (t && t->in_cell) {
            if (t->paragraphs++ > 0)
                strbuf_add(&t->text, "\n", 1);
        } else if (!t) {
            d->in_body_p = !empty;
            d->body.len = 0;
        }
    } else if ((is_name(r, "br") || is_name(r, "cr")) && parent_is(r, "r")) {
        StrBuf *x = current_text(d);
        if (x)
            strbuf_add(x, "\n", 1);
    } else if (is_name(r, "tab") && parent_is(r, "r")) {
        StrBuf *x = current_text(d);
        if (x)
            strbuf_add(x, "\t", 1);
    }
}

static void end_element(Docx *d, xmlTextReaderPtr r)
{
    Table *t = d->depth > 0 ? &d->stack[d->depth - 1] : NULL;
    if (is_name(r, "tbl")) {
        if (d->ignored)
            d->ignored--;
        else if (t) {
            free(t->text.s);
            free(t->cells);
            free(t->lens);
            d->depth--;
        }
        return;
    }
    if (d->ignored)
        return;
    if (t && t->in_cell && is_name(r, "tc"))
        end_cell(d, t);
    else if (t && !t->in_cell && is_name(r, "tr"))
        end_row(d, t);
    else if (!t && d->in_body_p && is_name(r, "p")) {
        form_doc_text(d->doc, d->body.s ? d->body.s : "", d->body.len);
        d->in_body_p = false;
    }
}

void docx_read(FormDoc *doc, const char *data, size_t len)
{
    FormZip *z = zip_open_memory(data, len, doc->arena, &doc->error);
    if (!z)
        return;
    const char *part = "word/document.xml";
    xmlTextReaderPtr r = zip_xml_open(z, part, &doc->error);
    if (!r) {
        zip_close_archive(z);
        return;
    }
    Docx d;
    memset(&d, 0, sizeof d);
    d.doc = doc;
    d.skip_depth = -1;
    int rc;
    while ((rc = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
            doc->error = "word/document.xml declares a DTD, which no Word document has";
            break;
        }
        if (d.skip_depth >= 0) {
            if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(r) == d.skip_depth)
                d.skip_depth = -1;
            continue;
        }
        if (type == XML_READER_TYPE_ELEMENT)
            element(&d, r);
        else if (type == XML_READER_TYPE_END_ELEMENT)
            end_element(&d, r);
        else if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                  type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_CDATA) &&
                 !d.ignored) {
            /* StrBuf of w:t only: the parent element decides. */
            if (!parent_is(r, "t"))
                continue;
            StrBuf *x = current_text(&d);
            const char *v = (const char *)xmlTextReaderConstValue(r);
            if (x && v && x->len < DOCX_MAX_CELL)
                strbuf_add(x, v, strlen(v));
        }
    }
    if (rc < 0 && !doc->error)
        doc->error = zip_stream_error(z);
    for (int i = 0; i < d.depth; i++) {
        free(d.stack[i].text.s);
        free(d.stack[i].cells);
        free(d.stack[i].lens);
    }
    free(d.body.s);
    zip_xml_close(z, r);
    zip_close_archive(z);
}
