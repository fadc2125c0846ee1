/* report.c - report data: the ReportSet, a data file read into memory and
 * converted to UTF-8, then handed to the reader of its format (loader.h:
 * wide CSV, long CSV, JSON).  docs/data.md describes the formats and every
 * message produced here and by the readers. */
#include "report.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "lang/base/l10n.h"
#include "lang/base/text.h"
#include "form.h"
#include "loader.h"
#include "sniff.h"


void reportset_init(ReportSet *set)
{
    memset(set, 0, sizeof *set);
    arena_init(&set->arena);
}

void reportset_clear(ReportSet *set)
{
    arena_reset(&set->arena);
    set->len = 0;
}

void reportset_free(ReportSet *set)
{
    arena_free(&set->arena);
    free(set->reports);
    memset(set, 0, sizeof *set);
}

const Figure *report_figure(const Report *r, const char *name)
{
    for (size_t i = 0; i < r->nfigures; i++)
        if (strcmp(r->figures[i].name, name) == 0)
            return &r->figures[i];
    return NULL;
}

uint64_t report_layout_new(void)
{
    static _Atomic uint64_t last;
    return ++last;
}

const char *pos_place(const DataPos *pos, char *buf, size_t n)
{
    if (pos->where)
        return pos->where;
    if (!pos->file)
        return NULL;
    /* FILE:LINE without printf: one for every row written (issue 16) */
    size_t len = strlen(pos->file);
    char digits[16];
    int nd = 0;
    for (unsigned v = pos->line > 0 ? (unsigned)pos->line : 0; v; v /= 10)
        digits[nd++] = (char)('0' + v % 10);
    if (len + (size_t)nd + 2 > n) {
        if (pos->line > 0)
            snprintf(buf, n, "%s:%d", pos->file, pos->line);
        else
            snprintf(buf, n, "%s", pos->file);
        return buf;
    }
    memcpy(buf, pos->file, len);
    if (nd) {
        buf[len++] = ':';
        while (nd)
            buf[len++] = digits[--nd];
    }
    buf[len] = '\0';
    return buf;
}

const char *row_place(const TableRow *row, int f, char *buf, size_t n)
{
    if (row->where && f > 0 && f < ROW_FIELDS && row->where[f])
        return row->where[f];
    return pos_place(&row->pos, buf, n);
}

static bool has_ext(const char *name, const char *ext)
{
    size_t n = strlen(name), e = strlen(ext);
    return n > e && strcasecmp(name + n - e, ext) == 0;
}

static int count_lines_to(const char *s, size_t off)
{
    int line = 1;
    for (const char *p = s; (p = memchr(p, '\n', (size_t)(s + off - p))) != NULL; p++)
        line++;
    return line;
}

/* Convert from `enc` to UTF-8 with iconv; *out is a new heap buffer. */
static bool convert_to_utf8(const char *file, const char *enc, const char *in, size_t len,
                            char **out, size_t *outlen, DiagList *diags)
{
    iconv_t cd = data_iconv_open("UTF-8", enc); /* out of memory: exit 3 */
    if (cd == (iconv_t)-1) {
        Diag *d = diag_data(diags, DIAG_ERROR, file, 0, 0, NULL, _("unknown encoding '%s'"), enc);
        diag_set_hint(d, _("try --encoding GB18030, GBK or UTF-8"));
        return false;
    }
    size_t cap = len + len / 2 + 16;
    char *buf = xmalloc(cap), *ip = (char *)in, *op = buf;
    size_t il = len, ol = cap;
    bool ok = true;
    while (ok) {
        size_t rc = il ? iconv(cd, &ip, &il, &op, &ol) : iconv(cd, NULL, NULL, &op, &ol);
        if (rc != (size_t)-1) {
            if (!il)
                break;
            continue;
        }
        if (errno == E2BIG) {
            size_t used = (size_t)(op - buf);
            cap *= 2;
            buf = xrealloc(buf, cap);
            op = buf + used;
            ol = cap - used;
            continue;
        }
        size_t at = (size_t)(ip - in);
        int line = count_lines_to(in, at);
        if (errno == EILSEQ)
            diag_data(diags, DIAG_ERROR, file, line, 0, NULL,
                      _("invalid %s byte sequence at byte offset %zu (byte 0x%02X)"), enc, at,
                      (unsigned char)in[at]);
        else
            diag_data(diags, DIAG_ERROR, file, line, 0, NULL,
                      _("incomplete %s character at the end of the file"), enc);
        ok = false;
    }
    iconv_close(cd);
    if (!ok) {
        free(buf);
        return false;
    }
    *out = buf;
    *outlen = (size_t)(op - buf);
    return true;
}

/* Checks on the whole (UTF-8) text, then the format's reader. */
static bool load_text(Loader *L, const char *name, const char *data, size_t len,
                      const LoadOptions *opt, bool known_utf8)
{
    const char *file = L->file;
    DiagList *diags = L->diags;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        data += 3, len -= 3;
    const char *nul = memchr(data, '\0', len);
    if (nul) {
        Diag *d = diag_data(diags, DIAG_ERROR, file, count_lines_to(data, (size_t)(nul - data)),
                            0, NULL, _("NUL byte in data file"));
        diag_set_hint(d, _("a text file has no NUL bytes; is it UTF-16 or a spreadsheet?"));
        return false;
    }
    /* known_utf8: data_sniff_bytes() has just checked these bytes (issue 16:
     * not twice over a whole file) */
    size_t bad = known_utf8 ? (size_t)-1 : utf8_invalid_at(data, len);
    if (bad != (size_t)-1) {
        int line = count_lines_to(data, bad);
        size_t bol = bad;
        while (bol > 0 && data[bol - 1] != '\n')
            bol--;
        int col = (int)utf8_count(data + bol, bad - bol) + 1;
        Diag *d = diag_data(diags, DIAG_ERROR, file, line, col, NULL, _("invalid UTF-8 (byte 0x%02X)"),
                            (unsigned char)data[bad]);
        diag_set_hint(d, _("use --encoding GB18030 if the file came from Excel on Chinese Windows"));
        return false;
    }
    size_t n = len;
    const char *t = text_trim(data, &n);
    if (n == 0) {
        diag_data(diags, DIAG_ERROR, file, 0, 0, NULL, _("empty data file"));
        return false;
    }
    DataFormat fmt = opt->format;
    if (fmt == DATA_AUTO && (has_ext(name, ".json") || has_ext(name, ".jsonl") || *t == '{' ||
                             *t == '['))
        fmt = DATA_JSON;
    if (fmt == DATA_JSON)
        return load_json(L, data, len, has_ext(name, ".jsonl"));
    return load_csv(L, data, len, fmt);
}

static bool is_utf8_name(const char *enc)
{
    return strcasecmp(enc, "UTF-8") == 0 || strcasecmp(enc, "UTF8") == 0;
}

/* The file's name without its folder and extension: "16-no-head". */
static const char *file_stem(Arena *a, const char *name)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot > base ? (size_t)(dot - base) : strlen(base);
    return arena_strndup(a, base, n);
}

/* A form: xlsx, xls, docx or an HTML page, read by its reader (form.h). */
static bool load_form(Loader *L, FormSniff kind, const char *data, size_t len,
                      const LoadOptions *opt)
{
    static const char *const names[] = {"text", "xlsx", "docx", "xls", "HTML", "?"};
    FormDoc doc;
    form_doc_init(&doc, loader_arena(L), L->file, names[kind]);
    if (opt->encoding && !is_utf8_name(opt->encoding))
        doc.encoding = opt->encoding;
    switch (kind) {
    case SNIFF_XLSX: xlsx_read(&doc, data, len); break;
    case SNIFF_DOCX: docx_read(&doc, data, len); break;
    case SNIFF_XLS: xls_read(&doc, data, len); break;
    case SNIFF_HTML: html_read(&doc, data, len); break;
    case SNIFF_TEXT: case SNIFF_REFUSED: break;
    }
    bool ok;
    if (!L->forms) {
        diag_data(L->diags, DIAG_ERROR, L->file, 0, 0, NULL,
                  _("a %s document, and no form is declared to read it"), doc.format);
        ok = false;
    } else {
        ok = form_load(L, &doc, L->forms, L->stem);
    }
    form_doc_free(&doc);
    return ok;
}

/* Pass 1 of a wide file: the chunks only feed the column statistics. */
static void discard_chunk(void *ctx, ReportSet *set, DiagList *diags)
{
    (void)ctx;
    reportset_clear(set);
    diag_clear(diags);
}

/* A text file that names no report - a header and nothing under it, [] or
 * {}: an export that went wrong.  Says so; false. */
static bool no_reports(const char *file, const char *data, size_t len, DiagList *diags)
{
    size_t tl = len;
    const char *t = text_trim(data, &tl);
    bool json = tl && (*t == '[' || *t == '{');
    Diag *d = diag_data(diags, DIAG_ERROR, file, 0, 0, NULL, _("no reports in data file%s"),
                        json ? "" : " (a header and no rows)");
    diag_set_hint(d, _("a data file with nothing to score is taken for a failed export"));
    return false;
}

/* A whole file in memory; with a sink, its reports are still handed over
 * in chunks (the CSV and JSON readers cut them at report boundaries). */
static bool load_buffer(ReportSet *set, const char *name, const char *data, size_t len,
                        const LoadOptions *opt, DiagList *diags, const LoadSink *sink)
{
    static const LoadOptions defaults = {DATA_AUTO, NULL, NULL};
    if (!opt)
        opt = &defaults;
    Arena *keep = sink ? sink->keep : &set->arena;
    const char *file = arena_strdup(keep, name);
    Loader L;
    loader_init(&L, set, diags, file);
    L.forms = opt->forms;
    L.stem = file_stem(keep, name);
    L.sink = sink;
    L.keep = sink ? sink->keep : NULL;
    bool ok, finished = false;
    /* The reader from the content: zip members, a compound file, markup. */
    const char *why = NULL;
    FormSniff kind = opt->format == DATA_AUTO ? form_sniff(data, len, &set->arena, &why)
                                              : SNIFF_TEXT;
    if (kind == SNIFF_REFUSED) {
        diag_data(diags, DIAG_ERROR, file, 0, 0, NULL, "%s", why);
        ok = false;
    } else if (kind != SNIFF_TEXT) {
        ok = load_form(&L, kind, data, len, opt);
    } else {
        /* Text: its encoding, separator and line ends from sniff.h. */
        DataSniff sniff;
        data_sniff_bytes(data, len, opt->encoding, &sniff);
        char *converted = NULL;
        ok = true;
        if (sniff.utf16 && sniff.encoding && !sniff.bom &&
            strncasecmp(sniff.encoding, "UTF-16", 6) != 0 && strncasecmp(sniff.encoding, "UCS-2", 5) != 0) {
            Diag *d = diag_data(diags, DIAG_ERROR, file, 1, 0, NULL, _("data file is in UTF-16, not %s"),
                                sniff.encoding);
            diag_set_hint(d, _("leave out --encoding: a UTF-16 file with its byte-order mark is read as it is"));
            ok = false;
        } else if (sniff.encoding) {
            if (sniff.gb18030)
                diag_data(diags, DIAG_NOTE, file, 0, 0, NULL,
                          _("not UTF-8: read as GB18030 (--encoding NAME says otherwise)"));
            ok = convert_to_utf8(file, sniff.encoding, data + sniff.bom, len - sniff.bom, &converted,
                                 &len, diags);
            if (ok)
                data = converted;
        }
        if (ok) {
            data_sniff_text(data, len, &sniff);
            if (sniff.cr_only) {
                /* lines that end in CR alone (classic Mac OS): read as line ends */
                char *lf = converted ? converted : xmalloc(len + 1);
                for (size_t i = 0; i < len; i++)
                    lf[i] = data[i] == '\r' ? '\n' : data[i];
                data = converted = lf;
                diag_data(diags, DIAG_WARNING, file, 0, 0, NULL,
                          _("the lines end in CR alone (classic Mac OS line ends): read as line ends"));
            }
            L.sep = sniff.separator;
        }
        /* bytes data_sniff_bytes() found valid UTF-8 (unconverted; CR-only
         * line ends made LF keep them valid) are not checked again by
         * load_text() (issue 16: not twice over a whole file) */
        bool valid = ok && !sniff.encoding && sniff.utf8;
        ColStats cols = {0};
        const char *text = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? data + 3 : data;
        if (ok && sink && opt->format != DATA_JSON && opt->format != DATA_CSV_LONG &&
            loader_csv_is_wide(text, len - (size_t)(text - data))) {
            /* a wide CSV handed over in chunks: its columns first, over the
             * whole file (loader.h ColStats) */
            ReportSet scratch;
            reportset_init(&scratch);
            DiagList quiet;
            diag_init(&quiet);
            LoadSink discard = *sink;
            discard.fn = discard_chunk;
            Loader G;
            loader_init(&G, &scratch, &quiet, file);
            G.forms = opt->forms;
            G.stem = L.stem;
            G.sink = &discard;
            G.keep = sink->keep;
            G.colstats = &cols;
            G.sep = L.sep;
            cols.mode = COLS_GATHER;
            if (load_text(&G, name, data, len, opt, valid)) {
                loader_finish(&G);
                cols.mode = COLS_APPLY;
                L.colstats = &cols;
            }
            loader_free(&G);
            reportset_free(&scratch);
            diag_free(&quiet);
        }
        if (ok)
            ok = load_text(&L, name, data, len, opt, valid);
        if (ok && L.claims == 0)
            ok = no_reports(file, data, len, diags);
        if (ok)
            loader_finish(&L);
        L.colstats = NULL;
        strmap_free(&cols.names);
        free(cols.cols);
        free(converted);
        finished = true;
    }
    if (ok && !finished) /* a form */
        loader_finish(&L);
    if (!ok)
        set->len = L.first;
    loader_free(&L);
    return ok;
}

bool reportset_load_buffer(ReportSet *set, const char *name, const char *data, size_t len,
                           const LoadOptions *opt, DiagList *diags)
{
    return load_buffer(set, name, data, len, opt, diags, NULL);
}

/* Read the rest of a stream onto buf[0 .. *len) (capacity *cap); false on
 * a read error (with a message). */
static bool read_rest(FILE *f, const char *name, char **buf, size_t *len, size_t *cap,
                      DiagList *diags)
{
    for (;;) {
        if (*len == *cap) {
            *cap = *cap ? *cap * 2 : (size_t)1 << 16;
            *buf = xrealloc(*buf, *cap);
        }
        size_t got = fread(*buf + *len, 1, *cap - *len, f);
        *len += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        diag_data(diags, DIAG_ERROR, name, 0, 0, NULL, _("cannot read data file: %s"),
                  strerror(errno));
        return false;
    }
    return true;
}

/* Read a whole stream. */
static bool read_all(FILE *f, const char *name, char **out, size_t *outlen, DiagList *diags)
{
    struct stat st;
    size_t cap = 1 << 16, len = 0;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode))
        cap = (size_t)st.st_size + 1;
    char *buf = xmalloc(cap);
    if (!read_rest(f, name, &buf, &len, &cap, diags)) {
        free(buf);
        return false;
    }
    *out = buf;
    *outlen = len;
    return true;
}

/* Streaming ------------------------------------------------------------------------ */

/* Read on until `want` bytes are in the window, or the file ends. */
static void window_fill(DataWindow *w, size_t want)
{
    while (!w->eof && w->len < want) {
        if (w->cap < want) {
            w->cap = want;
            w->buf = xrealloc(w->buf, w->cap + 1);
        }
        size_t n = w->cap - w->len < w->block ? w->cap - w->len : w->block;
        size_t got = fread(w->buf + w->len, 1, n, w->f);
        w->len += got;
        if (got == 0)
            w->eof = true; /* a read error: the text ends here (ferror, said by the caller) */
    }
}

/* Where the window's check may end: its end, but before a character the
 * end may cut while the file goes on. */
static size_t window_check_end(const DataWindow *w)
{
    size_t end = w->len;
    if (!w->eof) { /* hold back a character that may be cut */
        size_t i = end, k = 0;
        while (i > w->checked && k < 3 && ((unsigned char)w->buf[i - 1] & 0xC0) == 0x80)
            i--, k++;
        if (i > w->checked && (unsigned char)w->buf[i - 1] >= 0xC0)
            end = i - 1;
        else if (k)
            end = i;
    }
    return end;
}

/* Check the bytes just read while they are in the cache (issue 16: the
 * check of 17 MiB at once read them all from memory twice, for NUL bytes
 * and for UTF-8): true when they hold no fault, and they count as checked;
 * false, checking nothing, at a fault - window_check() then finds the same
 * fault a check of the whole read finds (a NUL byte before invalid UTF-8). */
static bool window_check_clean(DataWindow *w)
{
    size_t end = window_check_end(w);
    if (end <= w->checked)
        return true;
    const char *s = w->buf + w->checked;
    size_t n = end - w->checked;
    if (memchr(s, '\0', n) || utf8_invalid_at(s, n) != (size_t)-1)
        return false;
    w->checked = end;
    return true;
}

/* Check the window's new bytes as load_text checks a whole file; at the
 * first fault, a message, and the window ends before the fault's line. */
static void window_check(Loader *L, int line, size_t line_start)
{
    DataWindow *w = L->win;
    size_t end = window_check_end(w);
    if (end <= w->checked)
        return;
    const char *s = w->buf + w->checked;
    size_t n = end - w->checked;
    /* a NUL byte first, as load_text() looks for it first */
    const char *nul = memchr(s, '\0', n);
    size_t bad = nul ? (size_t)-1 : utf8_invalid_at(s, n);
    if (bad == (size_t)-1 && !nul) {
        w->checked = end;
        return;
    }
    size_t at = w->checked + (bad != (size_t)-1 ? bad : (size_t)(nul - s));
    /* the fault's line, counted from the reader's */
    size_t bol = line_start;
    for (const char *p = w->buf + line_start; (p = memchr(p, '\n', (size_t)(w->buf + at - p)));
         p++) {
        line++;
        bol = (size_t)(p - w->buf) + 1;
    }
    if (bad != (size_t)-1) {
        int col = (int)utf8_count(w->buf + bol, at - bol) + 1;
        Diag *d = diag_data(L->diags, DIAG_ERROR, L->file, line, col, NULL,
                            _("invalid UTF-8 (byte 0x%02X)"), (unsigned char)w->buf[at]);
        diag_set_hint(d, _("use --encoding GB18030 if the file came from Excel on Chinese Windows"));
    } else {
        Diag *d = diag_data(L->diags, DIAG_ERROR, L->file, line, 0, NULL, _("NUL byte in data file"));
        diag_set_hint(d, _("a text file has no NUL bytes; is it UTF-16 or a spreadsheet?"));
    }
    w->bad = true;
    w->eof = true;
    w->len = w->checked = bol;
}

size_t loader_window_more(Loader *L, size_t keep, int line, size_t line_start)
{
    DataWindow *w = L->win;
    if (!w || w->eof)
        return 0;
    if (keep > w->len)
        keep = w->len;
    memmove(w->buf, w->buf + keep, w->len - keep);
    w->len -= keep;
    w->checked -= keep;
    w->dropped += (long long)keep;
    /* a block at a time, each checked as it arrives; from a fault on, the
     * rest read at once and the fault found by window_check */
    size_t want = 2 * w->ahead;
    while (!w->eof && w->len < want) {
        window_fill(w, w->len + w->block < want ? w->len + w->block : want);
        if (!window_check_clean(w)) {
            window_fill(w, want);
            break;
        }
    }
    window_check(L, line, line_start - keep);
    return keep;
}

void loader_window_all(Loader *L, int line, size_t line_start)
{
    DataWindow *w = L->win;
    while (w && !w->eof) {
        window_fill(w, w->len + (w->len > w->block ? w->len : w->block));
        window_check(L, line, line_start);
    }
}

/* Can the first window of a file be read as it streams: a UTF-8 text file
 * (not a form, no other encoding), whose first window shows no fault?
 * *clean: the bytes found clean from the start (no NUL, valid UTF-8, up to
 * a character's start), which the first pass need not check again. */
static bool streamable(const char *data, size_t len, const LoadOptions *opt, size_t *clean)
{
    *clean = 0;
    if (opt->encoding && !is_utf8_name(opt->encoding))
        return false;
    if (len >= 2 && (((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE) ||
                     ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF)))
        return false;
    size_t n = len;
    const char *t = text_trim(data, &n);
    if (opt->format == DATA_AUTO &&
        ((len >= 2 && memcmp(data, "PK", 2) == 0) ||
         (len >= 8 && memcmp(data, "\xD0\xCF\x11\xE0", 4) == 0) || (n && *t == '<')))
        return false;
    /* the first window must be UTF-8 (its last, maybe cut, character aside),
     * else the whole file decides its encoding; a NUL byte is an error
     * whatever follows */
    size_t end = len;
    while (end > 0 && len - end < 3 && ((unsigned char)data[end - 1] & 0xC0) == 0x80)
        end--;
    if (end > 0 && (unsigned char)data[end - 1] >= 0xC0)
        end--;
    if (!memchr(data, '\0', len)) {
        if (utf8_invalid_at(data, end) != (size_t)-1)
            return false;
        *clean = end; /* valid: a character's start */
    }
    /* CR-only line ends are rewritten whole (load_buffer) */
    DataSniff sniff;
    data_sniff_text(data, len, &sniff);
    return !sniff.cr_only;
}

/* Read the file's first window; false (with a message) on a read error. */
static bool window_open(DataWindow *w, FILE *f, const LoadSink *sink, const char *name,
                        DiagList *diags)
{
    free(w->buf);
    memset(w, 0, sizeof *w);
    w->f = f;
    w->ahead = sink->window ? sink->window : STREAM_WINDOW;
    w->block = w->ahead < ((size_t)1 << 20) ? w->ahead : (size_t)1 << 20;
    window_fill(w, 2 * w->ahead);
    if (ferror(f)) {
        diag_data(diags, DIAG_ERROR, name, 0, 0, NULL, _("cannot read data file: %s"),
                  strerror(errno));
        return false;
    }
    return true;
}

/* One streaming pass over a file whose first window is in w. */
static bool stream_pass(ReportSet *set, const char *name, DataWindow *w, const LoadOptions *opt,
                        DiagList *diags, const LoadSink *sink, ColStats *cols)
{
    bool ok;
    Loader L;
    loader_init(&L, set, diags, arena_strdup(sink->keep, name));
    L.forms = opt->forms;
    L.stem = file_stem(sink->keep, name);
    L.win = w;
    L.sink = sink;
    L.keep = sink->keep;
    L.colstats = cols;
    if (w->len >= 3 && memcmp(w->buf, "\xEF\xBB\xBF", 3) == 0) { /* the byte-order mark */
        memmove(w->buf, w->buf + 3, w->len - 3);
        w->len -= 3;
        w->dropped = 3;
        w->clean = w->clean >= 3 ? w->clean - 3 : 0;
    }
    w->checked = w->clean; /* issue 16: the first window was checked once, by streamable() */
    window_check(&L, 1, 0);
    DataSniff sniff; /* the separator, from the first window's header (sniff.h) */
    data_sniff_text(w->buf, w->len, &sniff);
    L.sep = sniff.separator;
    size_t n = w->len;
    if (w->bad) {
        ok = false;
    } else {
        const char *t = text_trim(w->buf, &n);
        DataFormat fmt = opt->format;
        if (fmt == DATA_AUTO && (has_ext(name, ".json") || has_ext(name, ".jsonl") ||
                                 *t == '{' || *t == '['))
            fmt = DATA_JSON;
        if (fmt == DATA_JSON)
            ok = load_json(&L, w->buf, w->len, has_ext(name, ".jsonl"));
        else
            ok = load_csv(&L, w->buf, w->len, fmt);
        if (w->bad || ferror(w->f))
            ok = false;
        if (ferror(w->f))
            diag_data(diags, DIAG_ERROR, name, 0, 0, NULL, _("cannot read data file: %s"),
                      strerror(errno));
        if (ok && L.claims == 0)
            ok = no_reports(L.file, w->buf, w->len, diags);
    }
    if (ok)
        loader_finish(&L);
    else
        set->len = L.first;
    loader_free(&L);
    return ok;
}

bool reportset_stream(ReportSet *set, const char *path, const LoadOptions *opt, DiagList *diags,
                      const LoadSink *sink)
{
    static const LoadOptions defaults = {DATA_AUTO, NULL, NULL};
    if (!opt)
        opt = &defaults;
    bool from_stdin = strcmp(path, "-") == 0;
    const char *name = from_stdin ? "<stdin>" : path;
    FILE *f = from_stdin ? stdin : fopen(path, "rb");
    if (!f && errno == ENOMEM)
        xalloc_failed();
    if (!f) {
        diag_data(diags, DIAG_ERROR, name, 0, 0, NULL, _("cannot open data file: %s"),
                  strerror(errno));
        return false;
    }
    DataWindow w = {0};
    bool ok = window_open(&w, f, sink, name, diags);
    if (!ok) {
        /* said */
    } else if (w.eof || !streamable(w.buf, w.len, opt, &w.clean)) {
        /* all of it at once, as reportset_load() reads it; scored in chunks */
        ok = read_rest(f, name, &w.buf, &w.len, &w.cap, diags) &&
             load_buffer(set, name, w.buf ? w.buf : "", w.len, opt, diags, sink);
    } else {
        /* A wide CSV's columns are read over the whole file: a regular file
         * is read twice, first for its columns alone (loader.h ColStats);
         * standard input is handed over whole. */
        struct stat st;
        ColStats cols = {0};
        bool two = !from_stdin && opt->format != DATA_JSON && fstat(fileno(f), &st) == 0 &&
                   S_ISREG(st.st_mode) && opt->format != DATA_CSV_LONG &&
                   loader_csv_is_wide(w.buf, w.len);
        if (two) {
            ReportSet scratch;
            reportset_init(&scratch);
            DiagList quiet;
            diag_init(&quiet);
            LoadSink discard = *sink;
            discard.fn = discard_chunk;
            cols.mode = COLS_GATHER;
            bool gathered = stream_pass(&scratch, name, &w, opt, &quiet, &discard, &cols);
            reportset_free(&scratch);
            diag_free(&quiet);
            cols.mode = COLS_APPLY;
            two = gathered && fseek(f, 0, SEEK_SET) == 0;
            if (!two || !window_open(&w, f, sink, name, diags)) {
                /* cannot read it again: read it whole */
                two = false;
                if (fseek(f, 0, SEEK_SET) == 0 && window_open(&w, f, sink, name, diags))
                    ok = read_rest(f, name, &w.buf, &w.len, &w.cap, diags) &&
                         load_buffer(set, name, w.buf ? w.buf : "", w.len, opt, diags, sink);
                else
                    ok = false;
                strmap_free(&cols.names);
                free(cols.cols);
                free(w.buf);
                if (!from_stdin)
                    fclose(f);
                return ok;
            }
        }
        ok = stream_pass(set, name, &w, opt, diags, sink, two ? &cols : NULL);
        strmap_free(&cols.names);
        free(cols.cols);
    }
    free(w.buf);
    if (!from_stdin)
        fclose(f);
    return ok;
}

bool reportset_load(ReportSet *set, const char *path, const LoadOptions *opt, DiagList *diags)
{
    bool from_stdin = strcmp(path, "-") == 0;
    const char *name = from_stdin ? "<stdin>" : path;
    FILE *f = from_stdin ? stdin : fopen(path, "rb");
    if (!f && errno == ENOMEM)
        xalloc_failed();
    if (!f) {
        diag_data(diags, DIAG_ERROR, name, 0, 0, NULL, _("cannot open data file: %s"),
                  strerror(errno));
        return false;
    }
    char *buf;
    size_t len;
    bool ok = read_all(f, name, &buf, &len, diags);
    if (!from_stdin)
        fclose(f);
    if (!ok)
        return false;
    ok = reportset_load_buffer(set, name, buf, len, opt, diags);
    free(buf);
    return ok;
}
