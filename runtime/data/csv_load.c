/* csv_load.c - a CSV data file (loader.h): the header says whether it is
 * wide (one report per line, one figure per column: csv_wide.c) or long
 * (indicator rows: csv_long.c); and what both readers share.  The records
 * come from the RFC 4180 reader (csv.h). */
#include "loader.h"
#include "sniff.h"

#include <string.h>

#include "lang/base/l10n.h"
#include "lang/base/text.h"

void loader_csv_fault(Loader *L, const CsvReader *cr, const char *const *names, size_t ncol)
{
    size_t f = (size_t)cr->error_field;
    diag_data(L->diags, DIAG_ERROR, L->file, cr->error_line, cr->error_field,
              names && f >= 1 && f <= ncol && *names[f - 1] ? names[f - 1] : NULL,
              _("%s at character %d"), cr->error, cr->error_col);
}

bool loader_csv_blank(const CsvRecord *rec)
{
    for (size_t i = 0; i < rec->nfields; i++)
        if (!loader_is_blank(rec->fields[i].text, rec->fields[i].len))
            return false;
    return true;
}

const char **loader_csv_names(Loader *L, const CsvRecord *hdr)
{
    Arena *a = L->keep ? L->keep : loader_arena(L); /* streaming: they outlive the chunks */
    const char **names = arena_alloc(a, (hdr->nfields + 1) * sizeof *names);
    for (size_t i = 0; i < hdr->nfields; i++) {
        size_t n = hdr->fields[i].len;
        const char *t = text_trim(hdr->fields[i].text, &n);
        names[i] = arena_strndup(a, t, n);
    }
    return names;
}

/* 1: the long header (sets *has_reason), 0: not it, -1: the long header
 * followed by something other than a reason column (error reported). */
static int header_is_long(Loader *L, const char **names, size_t n, int line, bool *has_reason)
{
    const char *const *h = strcmp(names[0], loader_long_header_zh[0]) == 0 ? loader_long_header_zh
                                                                    : loader_long_header;
    if (n < C_REASON)
        return 0;
    for (int c = 0; c < C_REASON; c++)
        if (strcmp(names[c], h[c]) != 0)
            return 0;
    *has_reason = false;
    if (n == C_REASON)
        return 1;
    bool reason = strcmp(names[C_REASON], h[C_REASON]) == 0 ||
                  (h == loader_long_header_zh && strcmp(names[C_REASON], "偏差原因分析及改进措施") == 0);
    if (n == C_COUNT && reason) {
        *has_reason = true;
        return 1;
    }
    int bad = reason ? C_COUNT : C_REASON;
    diag_data(L->diags, DIAG_ERROR, L->file, line, bad + 1, names[bad],
              _("unexpected column after '%s': a long CSV may only add '%s'"), h[C_REPORTED],
              h[C_REASON]);
    return -1;
}

/* Has the header a column naming reports (a wide CSV)? */
static bool has_report_column(const char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], "report") == 0 || strcmp(names[i], "单位名称") == 0)
            return true;
    return false;
}

bool loader_csv_is_wide(const char *data, size_t len)
{
    CsvReader cr;
    CsvRecord hdr;
    csv_init(&cr, data, len);
    DataSniff sniff; /* the separator (sniff.h) */
    data_sniff_text(data, len, &sniff);
    csv_set_separator(&cr, sniff.separator);
    bool wide = false;
    if (csv_next(&cr, &hdr) == CSV_RECORD && hdr.nfields > 0) {
        Arena a;
        arena_init(&a);
        Loader L; /* for the names only: no diagnostics are made with it */
        memset(&L, 0, sizeof L);
        L.keep = &a;
        const char **names = loader_csv_names(&L, &hdr);
        DiagList dl;
        diag_init(&dl);
        L.diags = &dl;
        bool reason;
        wide = header_is_long(&L, names, hdr.nfields, hdr.line, &reason) == 0 &&
               has_report_column(names, hdr.nfields);
        diag_free(&dl);
        arena_free(&a);
    }
    csv_free(&cr);
    return wide;
}

/* Streaming: the reader is near the end of the window. */
static void csv_more(CsvReader *r)
{
    Loader *L = r->more_ctx;
    size_t keep = r->pos < r->line_start ? r->pos : r->line_start;
    size_t d = loader_window_more(L, keep, r->line, r->line_start);
    r->data = L->win->buf;
    r->len = L->win->len;
    r->pos -= d;
    r->line_start -= d;
    if (L->win->eof || L->win->bad)
        r->more = NULL;
}

bool load_csv(Loader *L, const char *data, size_t len, DataFormat fmt)
{
    CsvReader cr;
    CsvRecord hdr;
    bool ok = false, has_reason = false;
    csv_init(&cr, data, len);
    csv_set_separator(&cr, L->sep);
    if (L->win && !L->win->eof) {
        cr.more = csv_more;
        cr.more_ctx = L;
        cr.ahead = L->win->ahead;
    }
    int rc = csv_next(&cr, &hdr);
    if (rc == CSV_ERROR) {
        diag_data(L->diags, DIAG_ERROR, L->file, cr.error_line, cr.error_field, NULL,
                  _("%s at character %d (in the header)"), cr.error, cr.error_col);
    } else if (rc == CSV_EOF) {
        diag_data(L->diags, DIAG_ERROR, L->file, 0, 0, NULL, _("empty data file"));
    } else {
        const char **names = loader_csv_names(L, &hdr);
        int lng = fmt == DATA_CSV_WIDE ? 0 : header_is_long(L, names, hdr.nfields, hdr.line,
                                                            &has_reason);
        if (lng < 0) {
            ok = false;
        } else if (!lng && fmt == DATA_AUTO && L->forms &&
                   !has_report_column(names, hdr.nfields)) {
            if (L->win) { /* a form is read whole */
                loader_window_all(L, cr.line, cr.line_start);
                data = L->win->buf;
                len = L->win->len;
            }
            csv_free(&cr);
            return load_csv_form(L, data, len, L->sep);
        } else if (fmt == DATA_CSV_LONG && !lng) {
            diag_data(L->diags, DIAG_ERROR, L->file, hdr.line, 0, NULL,
                      _("not a long CSV: the header must be "
                      "report,level1,level2,indicator,target,actual,weight,reported[,reason]"));
        } else {
            ok = lng ? load_long(L, &cr, &hdr, has_reason) : load_wide(L, &cr, &hdr);
        }
    }
    csv_free(&cr);
    return ok;
}
