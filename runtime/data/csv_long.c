/* csv_long.c - the long CSV reader (loader.h): a report's own indicator
 * table, one row per indicator under the header report,level1,level2,
 * indicator,target,actual,weight,reported[,reason]. */
#include "loader.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lang/base/l10n.h"
#include "lang/base/text.h"

/* Where the long reader is: the report whose rows it is reading. */
typedef struct LongState {
    bool have, empty;     /* a current report; it is a run of empty ids */
    size_t cur;
    int cur_line;
    char *cur_id;         /* heap: it outlives a chunk (streaming) */
    char *cur_raw;        /* the id's field as written where the report
                             started (heap), and its length */
    size_t cur_rawlen;
    const char *id_column;
} LongState;

/* The report a long-CSV row belongs to.  A report's rows must be contiguous:
 * rows that come back after another report started are attached to the
 * first block and the report is marked. */
static size_t long_report(Loader *L, LongState *st, const char *text, size_t len, int line)
{
    /* the same bytes as the row that started the report: the same report
     * (issue 16: no trimming and no comparison of the trimmed id per row) */
    if (st->have && st->cur_raw && len == st->cur_rawlen && text_same_bytes(text, st->cur_raw, len))
        return st->cur;
    const char *raw = text;
    size_t rawlen = len;
    const char *t = text_trim(text, &len);
    bool empty = len == 0;
    if (st->have && st->cur != SIZE_MAX &&
        (empty ? st->empty : !st->empty && strncmp(st->cur_id, t, len) == 0 && !st->cur_id[len]))
        return st->cur;
    loader_boundary(L); /* the rows of the reports before are complete */
    const char *id = arena_strndup(loader_arena(L), t, len);
    loader_keys_clear(L);
    size_t idx, entry;
    bool prev = !empty && loader_id_find(L, id, &entry);
    size_t previdx = prev ? loader_id_index(L, entry) : SIZE_MAX;
    if (empty) {
        idx = loader_placeholder(L, line);
        loader_report_error(L, idx, line, 1, st->id_column, _("empty report id"));
    } else if (prev) {
        /* streaming: the first rows may have been scored already; the rest
         * is a report of its own, with the same error */
        idx = previdx != SIZE_MAX ? previdx : loader_placeholder(L, line);
        if (previdx == SIZE_MAX)
            loader_report(L, idx)->id = id;
        loader_report_error(L, idx, line, 1, st->id_column,
                            _("rows of report %s resume at line %d after report %s started at "
                            "line %d"), id, line, st->cur_id, st->cur_line);
    } else {
        idx = loader_claim(L, id, line, 1, st->id_column, false, true);
    }
    loader_report(L, idx)->has_table = true;
    loader_meta(L, idx)->table = true;
    st->have = true;
    st->empty = empty;
    st->cur = idx;
    st->cur_line = line;
    free(st->cur_id);
    st->cur_id = xstrdup(id);
    free(st->cur_raw);
    st->cur_raw = xmalloc(rawlen + 1);
    memcpy(st->cur_raw, raw, rawlen);
    st->cur_raw[rawlen] = '\0';
    st->cur_rawlen = rawlen;
    return idx;
}

bool load_long_rows(Loader *L, CsvReader *cr, const char **names, size_t ncol, bool has_reason,
                    LongCarry *carry)
{
    LongState st = {.id_column = names[0]};
    if (carry && carry->id) { /* the report before, handed over: its rows end where these
                                 begin (a cut: csvsplit.h), else they resume */
        st.have = true;
        st.cur = SIZE_MAX;
        st.cur_line = carry->line;
        st.cur_id = carry->id;
        carry->id = NULL;
    }
    /* what every row shares, set once (issue 16: a row's RowIn was
     * cleared and its column names set again each time) */
    RowIn in;
    memset(&in, 0, sizeof in);
    in.json_row = -1;
    in.csv_text = true; /* the text was checked before it was read (report.c) */
    int ncells = has_reason ? C_COUNT : C_REASON;
    for (int c = 0; c < C_COUNT; c++)
        in.column[c] = names[c];
    CsvRecord rec;
    int rc;
    cr->borrow = true; /* every cell below is read by its length (RowIn) */
    while ((rc = csv_next(cr, &rec)) != CSV_EOF) {
        if (rc == CSV_ERROR) {
            loader_csv_fault(L, cr, names, ncol);
            size_t idx = rec.nfields >= 1
                             ? long_report(L, &st, rec.fields[0].text, rec.fields[0].len, rec.line)
                             : loader_placeholder(L, rec.line);
            loader_set_error(L, idx, _("malformed CSV record at line %d: %s"), cr->error_line,
                             cr->error);
            continue;
        }
        /* a record whose first field is not blank is not (issue 16: the
         * loop over the fields, a call a row) */
        if ((rec.nfields == 0 || text_is_blank(rec.fields[0].text, rec.fields[0].len)) &&
            loader_csv_blank(&rec))
            continue;
        /* the report's rows go on: its id's bytes as the row that started it
         * (long_report's first test, here without a call: issue 16) */
        size_t idx = st.have && st.cur_raw && rec.fields[0].len == st.cur_rawlen &&
                             text_same_bytes(rec.fields[0].text, st.cur_raw, st.cur_rawlen)
                         ? st.cur
                         : long_report(L, &st, rec.fields[0].text, rec.fields[0].len, rec.line);
        if (rec.nfields != ncol) {
            loader_report_error(L, idx, rec.line, 0, NULL, _("row has %zu fields, header has %zu"),
                                rec.nfields, ncol);
            continue;
        }
        in.line = rec.line;
        /* the cells, as many as the header has (issue 16: a loop of a
         * variable count, a tenth of the reading loop) */
        const CsvField *f = rec.fields;
        _Static_assert(C_REASON == 8, "a row's cells copied below");
#define CELL(c) (in.cell[c] = f[c].text, in.len[c] = f[c].len)
        CELL(0), CELL(1), CELL(2), CELL(3), CELL(4), CELL(5), CELL(6), CELL(7);
#undef CELL
        if (ncells == C_COUNT) {
            in.cell[C_REASON] = f[C_REASON].text;
            in.len[C_REASON] = f[C_REASON].len;
        }
        loader_table_row(L, idx, &in);
    }
    free(st.cur_raw);
    if (carry && st.have && !st.empty) {
        carry->id = st.cur_id;
        carry->line = st.cur_line;
    } else {
        free(st.cur_id);
    }
    return true;
}

bool load_long(Loader *L, CsvReader *cr, const CsvRecord *hdr, bool has_reason)
{
    const char **names = loader_csv_names(L, hdr);
    size_t ncol = hdr->nfields;
    if (L->win && L->sink && L->sink->parsers >= 2 && load_long_split(L, cr, names, ncol, has_reason))
        return true;
    return load_long_rows(L, cr, names, ncol, has_reason, NULL);
}
