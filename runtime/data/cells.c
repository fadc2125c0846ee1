/* cells.c - reports given cell by cell (loader.h): a database row, a form,
 * an embedding host (tally_data_add_table, tally_data_add_figures).  There
 * is no file to read: the host hands over one report's table rows or
 * figures, which are read as the long and wide CSV readers read theirs. */
#include "loader.h"
#include "lang/base/l10n.h"

#include <string.h>

/* The report id names: claimed as a CSV row would claim it, or listed as
 * "line N" and marked when blank. */
static size_t cells_report(Loader *L, const char *id, int line, bool figures, bool table)
{
    const char *tid = id ? loader_trimmed(L, id, strlen(id)) : "";
    size_t idx;
    if (*tid) {
        idx = loader_claim(L, tid, line, 1, loader_long_header[C_REPORT], figures, table);
    } else {
        idx = loader_placeholder(L, line);
        loader_report_error(L, idx, line, 1, loader_long_header[C_REPORT], _("empty report id"));
    }
    if (table) {
        loader_report(L, idx)->has_table = true;
        loader_meta(L, idx)->table = true;
    }
    return idx;
}

size_t reportset_add_table(ReportSet *set, const char *file, const char *id, int line,
                           const RowCells *rows, size_t n, DiagList *diags)
{
    Loader L;
    loader_init(&L, set, diags, arena_strdup(&set->arena, file));
    size_t idx = cells_report(&L, id, line, false, true);
    for (size_t i = 0; i < n; i++) {
        const RowCells *rc = &rows[i];
        const char *cells[C_COUNT] = {id, rc->level1, rc->level2, rc->indicator, rc->target,
                                      rc->actual, rc->weight, rc->reported, rc->reason};
        RowIn in;
        memset(&in, 0, sizeof in);
        in.line = rc->line;
        in.json_row = -1;
        for (int c = 0; c < C_COUNT; c++) {
            in.column[c] = loader_long_header[c];
            /* An empty cell is "" to the CSV reader; only reason tells NULL from "". */
            in.cell[c] = cells[c] ? cells[c] : c == C_REASON ? NULL : "";
            in.len[c] = in.cell[c] ? strlen(in.cell[c]) : 0;
        }
        loader_table_row(&L, idx, &in);
    }
    loader_finish(&L);
    loader_free(&L);
    return idx;
}

size_t reportset_add_figures(ReportSet *set, const char *file, const char *id, int line,
                             const char *const *names, const char *const *cells, size_t n,
                             DiagList *diags)
{
    Loader L;
    loader_init(&L, set, diags, arena_strdup(&set->arena, file));
    size_t idx = cells_report(&L, id, line, true, false);
    Figure *figs = arena_alloc(loader_arena(&L), (n ? n : 1) * sizeof *figs);
    size_t k = 0;
    StrMap seen = {0};
    for (size_t i = 0; i < n; i++) {
        const char *name = loader_trimmed(&L, names[i], strlen(names[i]));
        if (!*name) {
            loader_report_error(&L, idx, line, 0, NULL, _("figure %zu has an empty name"), i + 1);
            continue;
        }
        size_t *dup = strmap_find(&seen, name);
        if (dup) {
            loader_report_error(&L, idx, line, 0, name,
                                _("duplicate figure name '%s' (figures %zu and %zu)"), name,
                                *dup + 1, i + 1);
            continue;
        }
        strmap_put(&seen, name, i);
        const char *text = cells[i] ? cells[i] : "";
        Figure *f = &figs[k++];
        f->name = name;
        f->raw = arena_strdup(loader_arena(&L), text);
        f->pos = (DataPos){L.file, line, name, NULL};
        CellAt at = {line, 0, name, NULL, -1, NULL};
        loader_parse_kept(&L, idx, f->raw, strlen(f->raw), &at, name, &f->value);
    }
    strmap_free(&seen);
    Report *r = loader_report(&L, idx);
    r->figures = figs;
    r->nfigures = k;
    loader_finish(&L);
    loader_free(&L);
    return idx;
}
