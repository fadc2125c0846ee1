/* inline.c - the reader of reports written inline (inline.h): a test
 * block's figures and rows turned into loader calls, like every reader. */
#include "inline.h"

#include <string.h>

#include "loader.h"

void reportset_add_inline(ReportSet *set, const InlineReport *r, DiagList *diags)
{
    Loader L;
    loader_init(&L, set, diags, arena_strdup(&set->arena, r->file));
    bool table = r->nrows > 0;
    size_t idx = loader_claim(&L, r->id, r->line, 0, NULL, r->nfigures > 0 || !table, table);
    Report *rep = loader_report(&L, idx);
    rep->year = r->year;
    if (r->nfigures) {
        Figure *figs = arena_alloc(loader_arena(&L), r->nfigures * sizeof *figs);
        for (size_t i = 0; i < r->nfigures; i++) {
            const InlineFigure *in = &r->figures[i];
            Figure *f = &figs[i];
            *f = (Figure){0};
            const char *text = in->text ? in->text : "";
            f->name = arena_strdup(loader_arena(&L), in->name);
            f->raw = arena_strdup(loader_arena(&L), text);
            f->pos = (DataPos){L.file, in->line, f->name, NULL};
            CellAt at = {in->line, in->col, f->name, NULL, -1, NULL};
            loader_parse_cell(&L, idx, f->raw, strlen(text), &at, f->name, &f->value);
        }
        rep = loader_report(&L, idx);
        rep->figures = figs;
        rep->nfigures = r->nfigures;
    }
    if (table) {
        rep->has_table = true;
        loader_meta(&L, idx)->table = true;
    }
    for (size_t i = 0; i < r->nrows; i++) {
        const InlineRow *row = &r->rows[i];
        RowIn in;
        memset(&in, 0, sizeof in);
        in.line = row->line;
        in.json_row = -1;
        in.cell[C_REPORT] = r->id;
        in.len[C_REPORT] = strlen(r->id);
        for (int c = 0; c < INLINE_CELLS; c++) {
            int col = C_LEVEL1 + c;
            in.column[col] = loader_long_header[col];
            in.field[col] = row->col[c];
            if (col == C_REASON && !r->has_reason)
                continue;
            in.cell[col] = row->cell[c] ? row->cell[c] : "";
            in.len[col] = strlen(in.cell[col]);
        }
        loader_table_row(&L, idx, &in);
    }
    loader_finish(&L);
    loader_free(&L);
}
