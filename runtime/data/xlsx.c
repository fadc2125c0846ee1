/* xlsx.c - the xlsx reader (form.h): every sheet of a workbook as a grid.
 *
 * The workbook's parts are found through its relationships (relative or,
 * as openpyxl writes them, absolute targets); shared strings, inline strings
 * and formula strings give text; numbers show as their number format shows
 * them (styles.xml: a percent format gives "90%", a date format a date);
 * a formula cell gives its cached value, never a recomputed one; merged
 * ranges are expanded.  Sheets are streamed with libxml2's reader, row by
 * row, so a sheet of a million rows costs the rows kept (FORM_MAX_ROWS),
 * not the sheet. */
#include "form.h"

#include <libxml/xmlreader.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/base/strbuf.h"
#include "lang/base/strmap.h"

/* A growable byte buffer. */
/* Text caps: one cell's text, and the shared-string table as a whole. */
#define XLSX_MAX_CELL  (1u << 20)
#define XLSX_MAX_SST   (128u << 20)

typedef struct Xlsx {
    FormDoc *doc;
    FormZip *zip;
    bool date1904;
    /* shared strings: offsets into one buffer */
    StrBuf sst;
    size_t *sst_off;
    size_t nsst, sstcap;
    /* styles: each cell format's number format */
    NumFormat *xf;
    size_t nxf;
    /* sheets in workbook order */
    const char **sheet_name, **sheet_part;
    size_t nsheets;
} Xlsx;

static bool is_name(xmlTextReaderPtr r, const char *name)
{
    const xmlChar *n = xmlTextReaderConstLocalName(r);
    return n && strcmp((const char *)n, name) == 0;
}

static char *attr(xmlTextReaderPtr r, const char *name)
{
    return (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)name);
}

/* An attribute in a namespace-prefixed form ("r:id"), by its local name. */
static char *attr_local(xmlTextReaderPtr r, const char *local)
{
    char *v = NULL;
    if (xmlTextReaderMoveToFirstAttribute(r) == 1) {
        do {
            const xmlChar *n = xmlTextReaderConstLocalName(r);
            if (n && strcmp((const char *)n, local) == 0) {
                v = (char *)xmlTextReaderValue(r);
                break;
            }
        } while (xmlTextReaderMoveToNextAttribute(r) == 1);
        xmlTextReaderMoveToElement(r);
    }
    return v;
}

static bool is_text_node(int type)
{
    return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
           type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* Open a part; a missing optional part is not an error. */
static xmlTextReaderPtr open_part(Xlsx *x, const char *name, bool optional)
{
    if (optional && !zip_has(x->zip, name))
        return NULL;
    const char *why = NULL;
    xmlTextReaderPtr r = zip_xml_open(x->zip, name, &why);
    if (!r && !x->doc->error)
        x->doc->error = why;
    return r;
}

/* Finish a part: a read error (malformed XML, a cap) is the document's error. */
static bool close_part(Xlsx *x, xmlTextReaderPtr r, int rc)
{
    bool ok = rc >= 0;
    if (!ok && !x->doc->error)
        x->doc->error = zip_stream_error(x->zip);
    zip_xml_close(x->zip, r);
    return ok;
}

/* A DTD in an OOXML part is refused: the parts have none. */
static bool refuse_dtd(Xlsx *x, xmlTextReaderPtr r, const char *part)
{
    if (xmlTextReaderNodeType(r) != XML_READER_TYPE_DOCUMENT_TYPE)
        return false;
    if (!x->doc->error)
        x->doc->error = arena_printf(x->doc->arena, "%s declares a DTD, which no workbook part has",
                                     part);
    return true;
}

/* xl/_rels/workbook.xml.rels: relationship id -> part name. */
static void read_rels(Xlsx *x, StrMap *ids, PtrVec *targets)
{
    const char *part = "xl/_rels/workbook.xml.rels";
    xmlTextReaderPtr r = open_part(x, part, true);
    if (!r)
        return;
    int rc;
    while ((rc = xmlTextReaderRead(r)) == 1) {
        if (refuse_dtd(x, r, part))
            break;
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT || !is_name(r, "Relationship"))
            continue;
        char *id = attr(r, "Id"), *target = attr(r, "Target");
        if (id && target) {
            const char *t = target[0] == '/' ? arena_strdup(x->doc->arena, target + 1)
                                             : arena_printf(x->doc->arena, "xl/%s", target);
            strmap_put(ids, id, targets->len);
            ptrvec_push(targets, (void *)t);
        }
        xmlFree(id);
        xmlFree(target);
    }
    close_part(x, r, rc);
}

static void read_workbook(Xlsx *x)
{
    StrMap ids = {0};
    PtrVec targets = {0};
    read_rels(x, &ids, &targets);
    const char *part = "xl/workbook.xml";
    xmlTextReaderPtr r = open_part(x, part, false);
    if (!r) {
        strmap_free(&ids);
        ptrvec_free(&targets);
        return;
    }
    PtrVec names = {0}, parts = {0};
    int rc;
    while ((rc = xmlTextReaderRead(r)) == 1) {
        if (refuse_dtd(x, r, part))
            break;
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT)
            continue;
        if (is_name(r, "workbookPr")) {
            char *d = attr(r, "date1904");
            x->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
            xmlFree(d);
        } else if (is_name(r, "sheet")) {
            char *name = attr(r, "name"), *rid = attr_local(r, "id");
            size_t *t = rid ? strmap_find(&ids, rid) : NULL;
            /* Without relationships, sheets are numbered in order. */
            const char *p = t ? targets.items[*t]
                              : arena_printf(x->doc->arena, "xl/worksheets/sheet%zu.xml",
                                             names.len + 1);
            ptrvec_push(&names, arena_strdup(x->doc->arena, name ? name : "sheet"));
            ptrvec_push(&parts, (void *)p);
            xmlFree(name);
            xmlFree(rid);
        }
    }
    close_part(x, r, rc);
    x->nsheets = names.len;
    x->sheet_name = arena_alloc(x->doc->arena, (names.len + 1) * sizeof *x->sheet_name);
    x->sheet_part = arena_alloc(x->doc->arena, (names.len + 1) * sizeof *x->sheet_part);
    for (size_t i = 0; i < names.len; i++) {
        x->sheet_name[i] = names.items[i];
        x->sheet_part[i] = parts.items[i];
    }
    ptrvec_free(&names);
    ptrvec_free(&parts);
    strmap_free(&ids);
    ptrvec_free(&targets);
}

/* xl/styles.xml: custom number formats, then each cell format's numFmtId. */
static void read_styles(Xlsx *x)
{
    const char *part = "xl/styles.xml";
    xmlTextReaderPtr r = open_part(x, part, true);
    if (!r)
        return;
    typedef struct { int id; NumFormat f; } Custom;
    Custom *custom = NULL;
    size_t ncustom = 0, capc = 0, capx = 0;
    bool in_xfs = false;
    int rc;
    while ((rc = xmlTextReaderRead(r)) == 1) {
        if (refuse_dtd(x, r, part))
            break;
        int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_END_ELEMENT && is_name(r, "cellXfs"))
            in_xfs = false;
        if (type != XML_READER_TYPE_ELEMENT)
            continue;
        if (is_name(r, "numFmt")) {
            char *id = attr(r, "numFmtId"), *code = attr(r, "formatCode");
            if (id && code && ncustom < 100000) {
                if (ncustom == capc) {
                    capc = capc ? capc * 2 : 16;
                    custom = xrealloc(custom, capc * sizeof *custom);
                }
                custom[ncustom].id = atoi(id);
                custom[ncustom++].f = numfmt_from_code(code);
            }
            xmlFree(id);
            xmlFree(code);
        } else if (is_name(r, "cellXfs")) {
            in_xfs = !xmlTextReaderIsEmptyElement(r);
        } else if (in_xfs && is_name(r, "xf") && x->nxf < 1000000) {
            char *id = attr(r, "numFmtId");
            int n = id ? atoi(id) : 0;
            xmlFree(id);
            NumFormat f = numfmt_builtin(n);
            for (size_t i = 0; i < ncustom; i++)
                if (custom[i].id == n)
                    f = custom[i].f;
            if (x->nxf == capx) {
                capx = capx ? capx * 2 : 16;
                x->xf = xrealloc(x->xf, capx * sizeof *x->xf);
            }
            x->xf[x->nxf++] = f;
        }
    }
    close_part(x, r, rc);
    free(custom);
}

/* xl/sharedStrings.xml: each <si>'s text runs (<t>), without phonetic runs (<rPh>). */
static void read_shared_strings(Xlsx *x)
{
    const char *part = "xl/sharedStrings.xml";
    xmlTextReaderPtr r = open_part(x, part, true);
    if (!r)
        return;
    bool in_si = false, in_t = false;
    int skip_depth = -1;
    int rc;
    while ((rc = xmlTextReaderRead(r)) == 1) {
        if (refuse_dtd(x, r, part))
            break;
        int type = xmlTextReaderNodeType(r), depth = xmlTextReaderDepth(r);
        if (skip_depth >= 0) {
            if (type == XML_READER_TYPE_END_ELEMENT && depth == skip_depth)
                skip_depth = -1;
            continue;
        }
        if (type == XML_READER_TYPE_ELEMENT) {
            if (is_name(r, "si")) {
                if (x->nsst == x->sstcap) {
                    x->sstcap = x->sstcap ? x->sstcap * 2 : 1024;
                    x->sst_off = xrealloc(x->sst_off, x->sstcap * sizeof *x->sst_off);
                }
                x->sst_off[x->nsst++] = x->sst.len;
                in_si = !xmlTextReaderIsEmptyElement(r);
                if (!in_si)
                    strbuf_add(&x->sst, "", 1);
            } else if (in_si && (is_name(r, "rPh") || is_name(r, "phoneticPr"))) {
                if (!xmlTextReaderIsEmptyElement(r))
                    skip_depth = depth;
            } else if (in_si && is_name(r, "t")) {
                in_t = !xmlTextReaderIsEmptyElement(r);
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (is_name(r, "t"))
                in_t = false;
            else if (is_name(r, "si") && in_si) {
                strbuf_add(&x->sst, "", 1); /* the NUL ending this string */
                in_si = false;
            }
        } else if (in_t && is_text_node(type)) {
            const char *v = (const char *)xmlTextReaderConstValue(r);
            if (v)
                strbuf_add(&x->sst, v, strlen(v));
        }
        if (x->sst.len > XLSX_MAX_SST) {
            x->doc->error = arena_printf(x->doc->arena,
                                         "the shared strings of the workbook exceed %u MiB",
                                         XLSX_MAX_SST >> 20);
            rc = 0;
            break;
        }
    }
    if (in_si)
        strbuf_add(&x->sst, "", 1);
    close_part(x, r, rc);
}

/* "AB12" -> column 27, row 12; false when it is not a cell reference. */
static bool parse_ref(const char *s, int *col, int *row)
{
    int c = 0, n = 0;
    while (*s >= 'A' && *s <= 'Z' && n < 4) {
        c = c * 26 + (*s - 'A' + 1);
        s++, n++;
    }
    if (n == 0 || n > 3)
        return false;
    long r = 0;
    int d = 0;
    while (*s >= '0' && *s <= '9' && d < 8) {
        r = r * 10 + (*s - '0');
        s++, d++;
    }
    if (d == 0 || *s || r < 1 || r > 1048576)
        return false;
    *col = c - 1;
    *row = (int)r;
    return true;
}

/* The cells of the row being read. */
typedef struct SheetRow {
    StrBuf text;        /* the texts, NUL-separated */
    size_t *off, *len;
    int n, cap;
} SheetRow;

static void row_set(SheetRow *rc, int col, const char *s, size_t n)
{
    if (col < 0 || col >= FORM_MAX_COLUMNS)
        return;
    if (col >= rc->cap) {
        int cap = rc->cap ? rc->cap : 16;
        while (cap <= col)
            cap *= 2;
        rc->off = xrealloc(rc->off, (size_t)cap * sizeof *rc->off);
        rc->len = xrealloc(rc->len, (size_t)cap * sizeof *rc->len);
        rc->cap = cap;
    }
    while (rc->n <= col) {
        rc->off[rc->n] = 0;
        rc->len[rc->n++] = 0;
    }
    if (n > XLSX_MAX_CELL)
        n = XLSX_MAX_CELL;
    rc->off[col] = rc->text.len;
    rc->len[col] = n;
    strbuf_add(&rc->text, s, n);
    strbuf_add(&rc->text, "", 1);
}

/* Hand the row to the grid; false when the grid is full. */
static bool row_flush(Xlsx *x, FormGrid *g, SheetRow *rc, int number)
{
    const char **cells = xmalloc((size_t)(rc->n ? rc->n : 1) * sizeof *cells);
    for (int c = 0; c < rc->n; c++)
        cells[c] = rc->text.s ? rc->text.s + rc->off[c] : "";
    bool ok = form_grid_row(x->doc, g, number, cells, rc->len, rc->n);
    free(cells);
    rc->n = 0;
    rc->text.len = 0;
    return ok;
}

/* Empty rows between two rows present, so that merged ranges and rows line
 * up with the sheet's row numbers. */
static bool fill_gap(Xlsx *x, FormGrid *g, int last, int number)
{
    for (int n = last + 1; n < number; n++)
        if (!form_grid_row(x->doc, g, n, NULL, NULL, 0))
            return false;
    return true;
}

/* The text a cell shows, from its type, style and value. */
static void cell_text(Xlsx *x, const char *t, int style, const StrBuf *v, const StrBuf *is, StrBuf *out)
{
    out->len = 0;
    const char *val = v->s ? v->s : "";
    if (t && strcmp(t, "s") == 0) {
        char *end;
        unsigned long i = strtoul(val, &end, 10);
        if (end != val && i < x->nsst) {
            const char *s = x->sst.s + x->sst_off[i];
            strbuf_add(out, s, strlen(s));
        }
    } else if (t && strcmp(t, "inlineStr") == 0) {
        strbuf_add(out, is->s ? is->s : "", is->len);
    } else if (t && (strcmp(t, "str") == 0 || strcmp(t, "e") == 0 || strcmp(t, "d") == 0)) {
        strbuf_add(out, val, v->len);
    } else if (t && strcmp(t, "b") == 0) {
        const char *b = strcmp(val, "1") == 0 ? "TRUE" : v->len ? "FALSE" : "";
        strbuf_add(out, b, strlen(b));
    } else if (v->len) {
        char *end;
        double d = strtod(val, &end);
        if (end == val) {
            strbuf_add(out, val, v->len);
            return;
        }
        NumFormat f = style >= 0 && (size_t)style < x->nxf ? x->xf[style] : numfmt_builtin(0);
        char shown[64];
        numfmt_show(d, val, f, x->date1904, shown);
        strbuf_add(out, shown, strlen(shown));
    }
}

typedef struct Merge {
    int r0, c0, r1, c1;
} Merge;

static void read_sheet(Xlsx *x, const char *name, const char *part)
{
    FormGrid *g = form_doc_grid(x->doc, GRID_SHEET, name);
    if (!g)
        return;
    xmlTextReaderPtr r = open_part(x, part, false);
    if (!r)
        return;
    SheetRow row = {0};
    StrBuf v = {0}, is = {0}, text = {0};
    char *t = NULL;
    int style = -1, col = -1, rownum = 0, last = 0;
    bool in_row = false, in_c = false, in_v = false, in_is_t = false, full = false;
    Merge *merges = NULL;
    size_t nmerges = 0, capm = 0;
    int rc;
    while (!full && (rc = xmlTextReaderRead(r)) == 1) {
        if (refuse_dtd(x, r, part))
            break;
        int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_ELEMENT) {
            bool empty = xmlTextReaderIsEmptyElement(r);
            if (is_name(r, "row")) {
                char *rn = attr(r, "r");
                int n = rn ? atoi(rn) : last + 1;
                xmlFree(rn);
                if (n <= last || n > 1048576)
                    n = last + 1;
                rownum = n;
                col = -1;
                in_row = true;
                if (empty) {
                    full = !fill_gap(x, g, last, rownum) || !row_flush(x, g, &row, rownum);
                    last = rownum;
                    in_row = false;
                }
            } else if (in_row && is_name(r, "c")) {
                char *ref = attr(r, "r"), *s = attr(r, "s");
                int cc, rr;
                col = ref && parse_ref(ref, &cc, &rr) ? cc : col + 1;
                style = s ? atoi(s) : -1;
                xmlFree(ref);
                xmlFree(s);
                xmlFree(t);
                t = attr(r, "t");
                v.len = is.len = 0;
                if (v.s)
                    v.s[0] = 0;
                in_c = !empty;
                if (empty)
                    row_set(&row, col, "", 0);
            } else if (in_c && is_name(r, "v")) {
                in_v = !empty;
            } else if (in_c && is_name(r, "t")) {
                in_is_t = !empty;
            } else if (is_name(r, "mergeCell")) {
                char *ref = attr(r, "ref");
                char *colon = ref ? strchr(ref, ':') : NULL;
                Merge m;
                if (colon) {
                    *colon = 0;
                    if (parse_ref(ref, &m.c0, &m.r0) && parse_ref(colon + 1, &m.c1, &m.r1) &&
                        nmerges < 100000) {
                        if (nmerges == capm) {
                            capm = capm ? capm * 2 : 16;
                            merges = xrealloc(merges, capm * sizeof *merges);
                        }
                        merges[nmerges++] = m;
                    }
                }
                xmlFree(ref);
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (is_name(r, "v"))
                in_v = false;
            else if (is_name(r, "t"))
                in_is_t = false;
            else if (is_name(r, "c") && in_c) {
                cell_text(x, t, style, &v, &is, &text);
                row_set(&row, col, text.s ? text.s : "", text.len);
                in_c = false;
            } else if (is_name(r, "row") && in_row) {
                full = !fill_gap(x, g, last, rownum) || !row_flush(x, g, &row, rownum);
                last = rownum;
                in_row = false;
            }
        } else if (is_text_node(type) && (in_v || in_is_t)) {
            const char *s = (const char *)xmlTextReaderConstValue(r);
            StrBuf *b = in_v ? &v : &is;
            if (s && b->len < XLSX_MAX_CELL)
                strbuf_add(b, s, strlen(s));
        }
    }
    if (full)
        rc = 0; /* stopped on purpose: the grid says it is truncated */
    close_part(x, r, rc);
    xmlFree(t);
    /* Merged ranges: rows are numbered from the first present. */
    if (g->nrows) {
        int first = g->rows[0].number;
        for (size_t i = 0; i < nmerges; i++) {
            Merge m = merges[i];
            if (m.r1 < m.r0 || m.c1 < m.c0 || m.r0 < first)
                continue;
            form_grid_merge(x->doc, g, (size_t)(m.r0 - first), m.c0, (size_t)(m.r1 - first), m.c1);
        }
    }
    free(merges);
    free(row.text.s);
    free(row.off);
    free(row.len);
    free(v.s);
    free(is.s);
    free(text.s);
}

void xlsx_read(FormDoc *doc, const char *data, size_t len)
{
    Xlsx x = {0};
    x.doc = doc;
    x.zip = zip_open_memory(data, len, doc->arena, &doc->error);
    if (!x.zip)
        return;
    read_workbook(&x);
    if (!doc->error)
        read_styles(&x);
    if (!doc->error)
        read_shared_strings(&x);
    for (size_t i = 0; i < x.nsheets && !doc->error; i++)
        read_sheet(&x, x.sheet_name[i], x.sheet_part[i]);
    if (!doc->error && x.nsheets == 0)
        doc->error = "the workbook has no sheet";
    zip_close_archive(x.zip);
    free(x.sst.s);
    free(x.sst_off);
    free(x.xf);
}
