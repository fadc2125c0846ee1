/* csv_form.c - a CSV saved from Excel, read as a form (form.h): every
 * record is a row of one grid, numbered by the line it starts on, so the
 * form layer finds the 自评表 below its title rows and carries merged
 * blanks down.  The file is already UTF-8 and its separator known: sniff.h
 * decided both (UTF-16, GB18030; Excel's "Unicode text" is tab-separated). */
#include "form.h"
#include "lang/base/l10n.h"

#include <stdlib.h>
#include <string.h>

void csv_form_read(FormDoc *doc, const char *data, size_t len, char delim)
{
    FormGrid *g = form_doc_grid(doc, GRID_LINES, "csv");
    if (!g)
        return;
    CsvReader cr;
    CsvRecord rec;
    csv_init(&cr, data, len);
    csv_set_separator(&cr, delim);
    int rc;
    const char **cells = NULL;
    size_t *lens = NULL, cap = 0;
    while ((rc = csv_next(&cr, &rec)) != CSV_EOF) {
        if (rc == CSV_ERROR)
            continue; /* a malformed record is no row of the form */
        if (rec.nfields > cap) {
            cap = rec.nfields;
            cells = xrealloc(cells, cap * sizeof *cells);
            lens = xrealloc(lens, cap * sizeof *lens);
        }
        for (size_t i = 0; i < rec.nfields; i++) {
            cells[i] = rec.fields[i].text;
            lens[i] = rec.fields[i].len;
        }
        if (!form_grid_row(doc, g, rec.line, cells, lens, (int)rec.nfields))
            break;
    }
    free(cells);
    free(lens);
    csv_free(&cr);
}

bool load_csv_form(Loader *L, const char *data, size_t len, char delim)
{
    FormDoc doc;
    form_doc_init(&doc, loader_arena(L), L->file, "CSV");
    doc.none_quiet = true;
    csv_form_read(&doc, data, len, delim);
    bool ok = form_load(L, &doc, L->forms, L->stem);
    form_doc_free(&doc);
    if (!ok) {
        Diag *d = diag_data(L->diags, DIAG_ERROR, L->file, 1, 0, NULL,
                            _("no 'report' column, and no recognisable 自评表"));
        const char *const *h = loader_long_header;
        diag_set_hint(d, _("a wide CSV names its reports in a column 'report' (or '单位名称'); "
                         "a long CSV has the header %s,%s,%s,%s,%s,%s,%s,%s; a form saved from "
                         "Excel has a header row with 三级指标, 年度指标值, 实际完成值 and 分值"),
                      h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]);
    }
    return ok;
}
