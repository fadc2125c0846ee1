/* html.c - the HTML reader (form.h), over libxml2's HTML parser, which
 * takes the markup of real pages (upper-case tags, unquoted attributes,
 * tags never closed).  The encoding: --encoding or a byte-order mark (sniff.h),
 * else the page's <meta> charset, else UTF-8 when the bytes are UTF-8, else GB18030.
 * Every table, nested ones included, is a grid ("table N" in document
 * order, rows numbered from 1) with rowspan and colspan expanded; text
 * outside tables gives text lines; <br> and block elements break lines;
 * <script> and <style> are not text; the shown text counts (Excel's x:num
 * attributes are not read). */
#include "form.h"
#include "sniff.h"

#include <iconv.h>
#include <libxml/HTMLparser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lang/base/strbuf.h"
#include "lang/base/text.h"

#define HTML_MAX_SIZE  (64u << 20)  /* a page parsed whole: bytes */
#define HTML_MAX_DEPTH 256          /* elements nested (libxml2 stops at 256 too) */

/* StrBuf as a browser shows it: runs of ASCII white space are one space. */
static void text_add_collapsed(StrBuf *t, const char *s)
{
    for (const char *p = s; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f') {
            if (t->len && t->s[t->len - 1] != ' ' && t->s[t->len - 1] != '\n')
                strbuf_add(t, " ", 1);
            continue;
        }
        strbuf_add(t, p, 1);
    }
}

static void text_break(StrBuf *t)
{
    while (t->len && t->s[t->len - 1] == ' ')
        t->s[--t->len] = 0;
    if (t->len && t->s[t->len - 1] != '\n')
        strbuf_add(t, "\n", 1);
}

static bool is_el(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->name &&
           strcasecmp((const char *)n->name, name) == 0;
}

static bool is_block(xmlNodePtr n)
{
    static const char *const blocks[] = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6",
                                         "tr", "ul", "ol", "nav", "header", "footer", "center",
                                         "body", "section", "article", "dl", "dt", "dd",
                                         "blockquote", "pre", "form", "hr", "caption", "title"};
    for (size_t i = 0; i < sizeof blocks / sizeof *blocks; i++)
        if (is_el(n, blocks[i]))
            return true;
    return false;
}

typedef struct Html {
    FormDoc *doc;
    StrBuf body;
} Html;

static void table(Html *h, xmlNodePtr t, int depth);

/* The text outside tables so far, as text lines of the document. */
static void flush_body(Html *h)
{
    const char *s = h->body.s ? h->body.s : "";
    while (*s) {
        const char *e = strchr(s, '\n');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        form_doc_text(h->doc, s, n);
        s += e ? n + 1 : n;
    }
    h->body.len = 0;
    if (h->body.s)
        h->body.s[0] = 0;
}

/* The text of n's subtree into out; a nested table becomes its own grid. */
static void collect(Html *h, xmlNodePtr n, StrBuf *out, int depth)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (c->content && out->len < (1u << 20))
                text_add_collapsed(out, (const char *)c->content);
            continue;
        }
        if (c->type != XML_ELEMENT_NODE || depth >= HTML_MAX_DEPTH)
            continue;
        if (is_el(c, "script") || is_el(c, "style"))
            continue;
        if (is_el(c, "table")) {
            if (out == &h->body)
                flush_body(h);
            table(h, c, depth + 1);
            continue;
        }
        if (is_el(c, "br")) {
            strbuf_add(out, "\n", 1);
            continue;
        }
        bool block = is_block(c);
        if (block)
            text_break(out);
        collect(h, c, out, depth + 1);
        if (block)
            text_break(out);
    }
}

/* A cell's text: lines trimmed, the whole trimmed. */
static char *cell_text(StrBuf *t, size_t *len)
{
    StrBuf out = {0};
    const char *s = t->s ? t->s : "";
    while (*s) {
        const char *e = strchr(s, '\n');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        const char *line = text_trim(s, &n);
        if (out.len)
            strbuf_add(&out, "\n", 1);
        strbuf_add(&out, line, n);
        s += (e ? (size_t)(e - s) + 1 : strlen(s));
    }
    size_t n = out.len;
    const char *trimmed = text_trim(out.s ? out.s : "", &n);
    char *r = xstrndup(trimmed, n);
    free(out.s);
    *len = n;
    return r;
}

static int span_attr(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    int k = v ? atoi((const char *)v) : 1;
    xmlFree(v);
    if (k < 1)
        k = 1;
    return k > FORM_MAX_SPAN ? FORM_MAX_SPAN : k;
}

/* Cells still covered by a rowspan from a row above. */
typedef struct Pending {
    char *text;
    size_t len;
    int rows;   /* rows still covered */
} Pending;

typedef struct TableState {
    FormGrid *grid;
    Pending *pending;
    int npending;
    int rows;
    bool full;
} TableState;

static void pending_at(TableState *ts, int col)
{
    if (col < ts->npending)
        return;
    int n = ts->npending ? ts->npending : 16;
    while (n <= col)
        n *= 2;
    ts->pending = xrealloc(ts->pending, (size_t)n * sizeof *ts->pending);
    memset(ts->pending + ts->npending, 0, (size_t)(n - ts->npending) * sizeof *ts->pending);
    ts->npending = n;
}

static void row(Html *h, TableState *ts, xmlNodePtr tr, int depth)
{
    const char **cells = NULL;
    size_t *lens = NULL;
    char **owned = NULL;
    int ncells = 0, cap = 0, nowned = 0, col = 0;
#define PUT(text, len)                                                                 \
    do {                                                                               \
        if (ncells == cap) {                                                           \
            cap = cap ? cap * 2 : 16;                                                  \
            cells = xrealloc(cells, (size_t)cap * sizeof *cells);                      \
            lens = xrealloc(lens, (size_t)cap * sizeof *lens);                         \
        }                                                                              \
        cells[ncells] = (text);                                                        \
        lens[ncells++] = (len);                                                        \
    } while (0)
    for (xmlNodePtr c = tr->children; c && col < FORM_MAX_COLUMNS; c = c->next) {
        if (!is_el(c, "td") && !is_el(c, "th"))
            continue;
        pending_at(ts, col);
        while (col < FORM_MAX_COLUMNS && ts->pending[col].rows > 0) {
            PUT(ts->pending[col].text, ts->pending[col].len);
            ts->pending[col].rows--;
            col++;
            pending_at(ts, col);
        }
        StrBuf t = {0};
        collect(h, c, &t, depth + 1);
        size_t len;
        char *text = cell_text(&t, &len);
        free(t.s);
        owned = xrealloc(owned, (size_t)(nowned + 1) * sizeof *owned);
        owned[nowned++] = text;
        int cs = span_attr(c, "colspan"), rs = span_attr(c, "rowspan");
        for (int k = 0; k < cs && col < FORM_MAX_COLUMNS; k++, col++) {
            PUT(text, len);
            pending_at(ts, col);
            if (rs > 1) {
                Pending *p = &ts->pending[col];
                free(p->text);
                p->text = xstrndup(text, len);
                p->len = len;
                p->rows = rs - 1;
            }
        }
    }
    /* Covered cells right of the last cell of this row. */
    for (; col < ts->npending && col < FORM_MAX_COLUMNS; col++) {
        if (ts->pending[col].rows > 0) {
            PUT(ts->pending[col].text, ts->pending[col].len);
            ts->pending[col].rows--;
        } else {
            PUT("", 0);
        }
    }
#undef PUT
    ts->rows++;
    if (ts->grid && !ts->full)
        ts->full = !form_grid_row(h->doc, ts->grid, ts->rows, cells, lens, ncells);
    for (int i = 0; i < nowned; i++)
        free(owned[i]);
    free(owned);
    free(cells);
    free(lens);
}

static void rows_of(Html *h, TableState *ts, xmlNodePtr n, int depth)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (is_el(c, "tr"))
            row(h, ts, c, depth + 1);
        else if ((is_el(c, "thead") || is_el(c, "tbody") || is_el(c, "tfoot")) &&
                 depth < HTML_MAX_DEPTH)
            rows_of(h, ts, c, depth + 1);
    }
}

static void table(Html *h, xmlNodePtr t, int depth)
{
    TableState ts = {0};
    ts.grid = form_doc_grid(h->doc, GRID_TABLE, NULL);
    rows_of(h, &ts, t, depth);
    for (int i = 0; i < ts.npending; i++)
        free(ts.pending[i].text);
    free(ts.pending);
}

/* The page's charset: from a <meta> in its first 4 KiB. */
static const char *meta_charset(const char *data, size_t len, char *buf, size_t bufsize)
{
    size_t n = len < 4096 ? len : 4096;
    for (size_t i = 0; i + 8 < n; i++) {
        if (strncasecmp(data + i, "charset", 7) != 0)
            continue;
        size_t j = i + 7;
        while (j < n && (data[j] == ' ' || data[j] == '\t'))
            j++;
        if (j >= n || data[j] != '=')
            continue;
        j++;
        while (j < n && (data[j] == ' ' || data[j] == '"' || data[j] == '\''))
            j++;
        size_t k = 0;
        while (j < n && k + 1 < bufsize &&
               ((data[j] >= 'A' && data[j] <= 'Z') || (data[j] >= 'a' && data[j] <= 'z') ||
                (data[j] >= '0' && data[j] <= '9') || data[j] == '-' || data[j] == '_'))
            buf[k++] = data[j++];
        buf[k] = 0;
        if (k)
            return buf;
    }
    return NULL;
}

/* The bytes as UTF-8 (heap), or NULL when they are not in `enc`. */
static char *to_utf8(const char *enc, const char *in, size_t len, size_t *outlen)
{
    iconv_t cd = data_iconv_open("UTF-8", enc); /* out of memory: exit 3 */
    if (cd == (iconv_t)-1)
        return NULL;
    size_t cap = len * 2 + 16;
    char *buf = xmalloc(cap), *ip = (char *)in, *op = buf;
    size_t il = len, ol = cap - 1;
    bool ok = iconv(cd, &ip, &il, &op, &ol) != (size_t)-1;
    iconv_close(cd);
    if (!ok) {
        free(buf);
        return NULL;
    }
    *op = 0;
    *outlen = (size_t)(op - buf);
    return buf;
}

static void html_quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

void html_read(FormDoc *doc, const char *data, size_t len)
{
    if (len > HTML_MAX_SIZE) {
        doc->error = arena_printf(doc->arena, "HTML page larger than %u MiB", HTML_MAX_SIZE >> 20);
        return;
    }
    /* Decide the encoding, then parse UTF-8 with the page's own claim ignored:
     * --encoding, a byte-order mark (sniff.h), the page's <meta> charset, UTF-8
     * when the bytes are UTF-8, else GB18030. */
    DataSniff sniff;
    data_sniff_bytes(data, len, doc->encoding, &sniff);
    data += sniff.bom, len -= sniff.bom;
    const char *enc;
    char metabuf[40];
    if (doc->encoding || sniff.bom) {
        enc = sniff.encoding ? sniff.encoding : "UTF-8";
    } else if ((enc = meta_charset(data, len, metabuf, sizeof metabuf)) != NULL) {
        if (strcasecmp(enc, "gbk") == 0 || strcasecmp(enc, "gb2312") == 0 ||
            strcasecmp(enc, "x-gbk") == 0 || strcasecmp(enc, "gb_2312-80") == 0)
            enc = "GB18030";
    } else {
        enc = sniff.utf8 ? "UTF-8" : "GB18030";
    }
    char *utf8 = NULL;
    size_t ulen = len;
    if (strcasecmp(enc, "UTF-8") != 0 && strcasecmp(enc, "utf8") != 0) {
        utf8 = to_utf8(enc, data, len, &ulen);
        if (!utf8 && strcasecmp(enc, "GB18030") != 0)
            utf8 = to_utf8("GB18030", data, len, &ulen);
        if (!utf8) {
            doc->error = arena_printf(doc->arena, "the page is not in %s, the encoding it names",
                                      enc);
            return;
        }
        data = utf8;
        len = ulen;
    }
    xmlSetGenericErrorFunc(NULL, html_quiet);
    htmlDocPtr d = htmlReadMemory(data, (int)len, doc->file, "UTF-8",
                                  HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                      HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC);
    free(utf8);
    if (!d) {
        doc->error = "cannot parse the HTML page";
        return;
    }
    Html h = {doc, {0}};
    xmlNodePtr root = xmlDocGetRootElement(d);
    if (root) {
        xmlNode wrapper;
        memset(&wrapper, 0, sizeof wrapper);
        wrapper.children = root;
        collect(&h, &wrapper, &h.body, 0);
    }
    flush_body(&h);
    free(h.body.s);
    xmlFreeDoc(d);
}
