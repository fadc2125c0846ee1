/* csv_wide.c - the wide CSV reader (loader.h): one report per line, its id
 * in the column 'report' (or '单位名称'), one named figure per other column. */
#include "loader.h"
#include "lang/base/l10n.h"

#include <stdint.h>
#include <string.h>

bool load_wide(Loader *L, CsvReader *cr, const CsvRecord *hdr)
{
    size_t ncol = hdr->nfields, idcol = SIZE_MAX, nfig = 0;
    const char **names = loader_csv_names(L, hdr);
    StrMap cols = {0};
    for (size_t i = 0; i < ncol; i++) {
        if (!*names[i])
            continue;
        size_t *dup = strmap_find(&cols, names[i]);
        if (dup) {
            diag_data(L->diags, DIAG_ERROR, L->file, hdr->line, (int)i + 1, names[i],
                      _("duplicate column name '%s' (columns %zu and %zu)"), names[i], *dup + 1,
                      i + 1);
            strmap_free(&cols);
            return false;
        }
        strmap_put(&cols, names[i], i);
    }
    size_t *p = strmap_find(&cols, "report");
    if (!p)
        p = strmap_find(&cols, "单位名称");
    idcol = p ? *p : SIZE_MAX;
    strmap_free(&cols);
    if (idcol == SIZE_MAX) {
        Diag *d = diag_data(L->diags, DIAG_ERROR, L->file, hdr->line, 0, NULL,
                            _("no 'report' column"));
        const char *const *h = loader_long_header;
        diag_set_hint(d, _("a wide CSV names its reports in a column 'report' (or '单位名称'); "
                         "a long CSV has the header %s,%s,%s,%s,%s,%s,%s,%s"),
                      h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]);
        return false;
    }
    for (size_t i = 0; i < ncol; i++)
        nfig += i != idcol && *names[i] && !loader_is_year_column(names[i]);

    CsvRecord rec;
    int rc;
    while ((rc = csv_next(cr, &rec)) != CSV_EOF) {
        loader_boundary(L); /* one report a record: the reports before are complete */
        if (rc == CSV_ERROR) {
            loader_csv_fault(L, cr, names, ncol);
            size_t idx;
            const CsvField *idf = idcol < rec.nfields ? &rec.fields[idcol] : NULL;
            if (idf && !loader_is_blank(idf->text, idf->len))
                idx = loader_claim(L, loader_trimmed(L, idf->text, idf->len), rec.line,
                                   (int)idcol + 1, names[idcol], true, false);
            else
                idx = loader_placeholder(L, rec.line);
            loader_set_error(L, idx, _("malformed CSV record at line %d: %s"), cr->error_line,
                             cr->error);
            continue;
        }
        if (loader_csv_blank(&rec))
            continue;
        size_t idx;
        const char *id = idcol < rec.nfields
                             ? loader_trimmed(L, rec.fields[idcol].text, rec.fields[idcol].len)
                             : "";
        if (*id) {
            idx = loader_claim(L, id, rec.line, (int)idcol + 1, names[idcol], true, false);
        } else {
            idx = loader_placeholder(L, rec.line);
            loader_report_error(L, idx, rec.line, (int)idcol + 1, names[idcol], _("empty report id"));
        }
        Figure *figs = arena_alloc(loader_arena(L), (nfig ? nfig : 1) * sizeof *figs);
        size_t k = 0;
        for (size_t i = 0; i < ncol; i++) {
            const char *text = i < rec.nfields ? rec.fields[i].text : "";
            size_t len = i < rec.nfields ? rec.fields[i].len : 0;
            if (i == idcol)
                continue;
            if (!*names[i]) {
                if (!loader_is_blank(text, len))
                    loader_report_error(L, idx, rec.line, (int)i + 1, NULL,
                                        _("value in column %zu, which has no name in the header"),
                                        i + 1);
                continue;
            }
            if (loader_is_year_column(names[i])) { /* the report's year, not a figure */
                CellAt at = {rec.line, (int)i + 1, names[i], NULL, -1, NULL};
                loader_year(L, idx, text, len, &at);
                continue;
            }
            Figure *f = &figs[k++];
            f->name = names[i];
            f->raw = arena_strndup(loader_arena(L), text, len);
            f->pos = (DataPos){L->file, rec.line, names[i], NULL};
            f->field = (int)i + 1;
            CellAt at = {rec.line, (int)i + 1, names[i], NULL, -1, NULL};
            loader_parse_cell(L, idx, f->raw, len, &at, names[i], &f->value);
        }
        Report *r = loader_report(L, idx);
        r->figures = figs;
        r->nfigures = nfig;
        if (rec.nfields != ncol)
            loader_report_error(L, idx, rec.line, 0, NULL, _("row has %zu fields, header has %zu"),
                                rec.nfields, ncol);
    }
    return true;
}
