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

#include "lang/base/text.h"
#include "form.h"
#include "loader.h"
#include "sniff.h"

/* Largest data file read into memory.  Bigger inputs are refused with a
 * message rather than risking the machine's memory. */
#define DATA_MAX_FILE ((size_t)1 << 30)

void reportset_init(ReportSet *set)
{
    memset(set, 0, sizeof *set);
    arena_init(&set->arena);
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

const char *pos_place(const DataPos *pos, char *buf, size_t n)
{
    if (pos->where)
        return pos->where;
    if (!pos->file)
        return NULL;
    if (pos->line > 0)
        snprintf(buf, n, "%s:%d", pos->file, pos->line);
    else
        snprintf(buf, n, "%s", pos->file);
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
        Diag *d = diag_data(diags, DIAG_ERROR, file, 0, 0, NULL, "unknown encoding '%s'", enc);
        diag_set_hint(d, "try --encoding GB18030, GBK or UTF-8");
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
                      "invalid %s byte sequence at byte offset %zu (byte 0x%02X)", enc, at,
                      (unsigned char)in[at]);
        else
            diag_data(diags, DIAG_ERROR, file, line, 0, NULL,
                      "incomplete %s character at the end of the file", enc);
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
                      const LoadOptions *opt)
{
    const char *file = L->file;
    DiagList *diags = L->diags;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        data += 3, len -= 3;
    const char *nul = memchr(data, '\0', len);
    if (nul) {
        Diag *d = diag_data(diags, DIAG_ERROR, file, count_lines_to(data, (size_t)(nul - data)),
                            0, NULL, "NUL byte in data file");
        diag_set_hint(d, "a text file has no NUL bytes; is it UTF-16 or a spreadsheet?");
        return false;
    }
    size_t bad = utf8_invalid_at(data, len);
    if (bad != (size_t)-1) {
        int line = count_lines_to(data, bad);
        size_t bol = bad;
        while (bol > 0 && data[bol - 1] != '\n')
            bol--;
        int col = (int)utf8_count(data + bol, bad - bol) + 1;
        Diag *d = diag_data(diags, DIAG_ERROR, file, line, col, NULL, "invalid UTF-8 (byte 0x%02X)",
                            (unsigned char)data[bad]);
        diag_set_hint(d, "use --encoding GB18030 if the file came from Excel on Chinese Windows");
        return false;
    }
    size_t n = len;
    const char *t = text_trim(data, &n);
    if (n == 0) {
        diag_data(diags, DIAG_ERROR, file, 0, 0, NULL, "empty data file");
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
                  "a %s document, and no form is declared to read it", doc.format);
        ok = false;
    } else {
        ok = form_load(L, &doc, L->forms, L->stem);
    }
    form_doc_free(&doc);
    return ok;
}

bool reportset_load_buffer(ReportSet *set, const char *name, const char *data, size_t len,
                           const LoadOptions *opt, DiagList *diags)
{
    static const LoadOptions defaults = {DATA_AUTO, NULL, NULL};
    if (!opt)
        opt = &defaults;
    const char *file = arena_strdup(&set->arena, name);
    Loader L;
    loader_init(&L, set, diags, file);
    L.forms = opt->forms;
    L.stem = file_stem(&set->arena, name);
    bool ok;
    char *converted = NULL;
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
        ok = true;
        if (sniff.utf16 && sniff.encoding && !sniff.bom &&
            strncasecmp(sniff.encoding, "UTF-16", 6) != 0 && strncasecmp(sniff.encoding, "UCS-2", 5) != 0) {
            Diag *d = diag_data(diags, DIAG_ERROR, file, 1, 0, NULL, "data file is in UTF-16, not %s",
                                sniff.encoding);
            diag_set_hint(d, "leave out --encoding: a UTF-16 file with its byte-order mark is read as it is");
            ok = false;
        } else if (sniff.encoding) {
            if (sniff.gb18030)
                diag_data(diags, DIAG_NOTE, file, 0, 0, NULL,
                          "not UTF-8: read as GB18030 (--encoding NAME says otherwise)");
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
                          "the lines end in CR alone (classic Mac OS line ends): read as line ends");
            }
            L.sep = sniff.separator;
            ok = load_text(&L, name, data, len, opt);
        }
        if (ok && L.claims == 0) {
            /* a header and nothing under it, [] or {}: an export that went wrong */
            size_t tl = len;
            const char *t = text_trim(data, &tl);
            bool json = tl && (*t == '[' || *t == '{');
            Diag *d = diag_data(diags, DIAG_ERROR, file, 0, 0, NULL, "no reports in data file%s",
                                json ? "" : " (a header and no rows)");
            diag_set_hint(d, "a data file with nothing to score is taken for a failed export");
            ok = false;
        }
    }
    if (ok)
        loader_finish(&L);
    else
        set->len = L.first;
    loader_free(&L);
    free(converted);
    return ok;
}

/* Read a whole stream, refusing more than DATA_MAX_FILE bytes. */
static bool read_all(FILE *f, const char *name, char **out, size_t *outlen, DiagList *diags)
{
    struct stat st;
    size_t cap = 1 << 16, len = 0;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) {
        if ((uint64_t)st.st_size > DATA_MAX_FILE) {
            diag_data(diags, DIAG_ERROR, name, 0, 0, NULL, "data file is larger than 1 GiB");
            return false;
        }
        cap = (size_t)st.st_size + 1;
    }
    char *buf = xmalloc(cap);
    for (;;) {
        if (len == cap) {
            if (cap > DATA_MAX_FILE)
                break;
            cap = cap * 2 > DATA_MAX_FILE + 1 ? DATA_MAX_FILE + 1 : cap * 2;
            buf = xrealloc(buf, cap);
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        diag_data(diags, DIAG_ERROR, name, 0, 0, NULL, "cannot read data file: %s",
                  strerror(errno));
        free(buf);
        return false;
    }
    if (len > DATA_MAX_FILE) {
        diag_data(diags, DIAG_ERROR, name, 0, 0, NULL, "data file is larger than 1 GiB");
        free(buf);
        return false;
    }
    *out = buf;
    *outlen = len;
    return true;
}

bool reportset_load(ReportSet *set, const char *path, const LoadOptions *opt, DiagList *diags)
{
    bool from_stdin = strcmp(path, "-") == 0;
    const char *name = from_stdin ? "<stdin>" : path;
    FILE *f = from_stdin ? stdin : fopen(path, "rb");
    if (!f && errno == ENOMEM)
        xalloc_failed();
    if (!f) {
        diag_data(diags, DIAG_ERROR, name, 0, 0, NULL, "cannot open data file: %s",
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
