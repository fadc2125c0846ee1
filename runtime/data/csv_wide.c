/* csv_wide.c - the wide CSV reader (loader.h): one report per line, its id
 * in the column 'report' (or '单位名称'), one named figure per other column. */
#include "loader.h"
#include "lang/base/l10n.h"
#include "lang/base/text.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What a column of the header holds. */
enum { COL_FIGURE, COL_ID, COL_YEAR, COL_UNNAMED };

/* The header: each column's kind (kind[i]) and the id column; false, with
 * a message, for a duplicate name or no id column. */
static bool wide_header(Loader *L, const char **names, size_t ncol, const CsvRecord *hdr,
                        uint8_t *kind, size_t *idcol)
{
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
    *idcol = p ? *p : SIZE_MAX;
    strmap_free(&cols);
    if (*idcol == SIZE_MAX) {
        Diag *d = diag_data(L->diags, DIAG_ERROR, L->file, hdr->line, 0, NULL,
                            _("no 'report' column"));
        const char *const *h = loader_long_header;
        diag_set_hint(d, _("a wide CSV names its reports in a column 'report' (or '单位名称'); "
                         "a long CSV has the header %s,%s,%s,%s,%s,%s,%s,%s"),
                      h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]);
        return false;
    }
    for (size_t i = 0; i < ncol; i++)
        kind[i] = i == *idcol                      ? COL_ID
                  : !*names[i]                     ? COL_UNNAMED
                  : loader_is_year_column(names[i]) ? COL_YEAR
                                                   : COL_FIGURE;
    return true;
}

/* Is this id new in the file?  Noted as seen if so.  (A duplicate's
 * figures are not the file's: loader_claim leaves them out.) */
static bool gather_id_new(Loader *L, const char *s, size_t n, int line, char **buf, size_t *cap)
{
    const char *t = text_trim(s, &n);
    if (n + 1 > *cap) {
        *cap = n + 1 > 2 * *cap ? n + 1 : 2 * *cap;
        *buf = xrealloc(*buf, *cap);
    }
    memcpy(*buf, t, n);
    (*buf)[n] = '\0';
    size_t entry;
    if (loader_id_find(L, *buf, &entry))
        return false;
    loader_id_add(L, *buf, line, 0);
    return true;
}

/* Pass 1's cells counted on a second thread (issue 16: the first pass is
 * the one stretch of a wide run where nothing is scored, and it is as long
 * as its slowest thread).  The reading thread splits the records and checks
 * the ids, as it must in order; it hands the fields of each record that
 * counts to the counting thread in blocks (two: one filled while the other
 * is counted).  Counts are sums, so the order blocks are counted in does
 * not matter.  A field lies in the window (CsvReader.borrow), so every
 * block handed over is counted before the window moves (gather_more); a
 * record with a field outside the window (quoted: unescaped into the
 * reader's buffer, valid only until the next record) is counted by the
 * reading thread into counters of its own, added in at the end. */
#define GATHER_RECORDS 512      /* records a block, at most */
#define GATHER_FIELDS (1u << 14) /* and fields (384 KB: a file of many columns) */

enum { BLOCK_FILLING, BLOCK_QUEUED, BLOCK_COUNTING };

typedef struct GatherBlock {
    int state;
    CsvField *f;   /* the records' fields, one after another */
    size_t nf;
    size_t *n;     /* fields of each record */
    size_t nrec;
} GatherBlock;

typedef struct Gather {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
    GatherBlock b[2];
    int fill;                 /* the block the reading thread fills */
    size_t ncol;
    ColStat *cols;            /* the counting thread's: ColStats.cols */
    const size_t *col;        /* each field's column, SIZE_MAX: not a figure */
    Arena scratch;            /* the counting thread's parsed cells */
    size_t records;           /* records per block (GATHER_RECORDS; tests: fewer) */
    pthread_t thread;
    /* the window's own `more`, called after the blocks are counted */
    void (*more)(CsvReader *r);
    void *more_ctx;
} Gather;

/* Count the cells of one record's first n fields into cols, as
 * loader_parse_cell would read them. */
static void count_cells(ColStat *cols, const size_t *col, const CsvField *f, size_t n, Arena *a)
{
    for (size_t i = 0; i < n; i++) {
        if (col[i] == SIZE_MAX)
            continue;
        ColStat *st = &cols[col[i]];
        TlValue v;
        if (!loader_colstat_count_plain(st, f[i].text, f[i].len) &&
            cell_parse(a, f[i].text, f[i].len, &v, NULL))
            loader_colstat_count(st, &v);
    }
    if (a->used >= ((size_t)1 << 20))
        arena_reset(a);
}

static void *gather_main(void *arg)
{
    Gather *g = arg;
    pthread_mutex_lock(&g->mu);
    for (;;) {
        GatherBlock *b = g->b[0].state == BLOCK_QUEUED   ? &g->b[0]
                         : g->b[1].state == BLOCK_QUEUED ? &g->b[1]
                                                         : NULL;
        if (!b) {
            if (g->stop)
                break;
            pthread_cond_wait(&g->cv, &g->mu);
            continue;
        }
        b->state = BLOCK_COUNTING;
        pthread_mutex_unlock(&g->mu);
        const CsvField *f = b->f;
        for (size_t r = 0; r < b->nrec; f += b->n[r], r++)
            count_cells(g->cols, g->col, f, b->n[r], &g->scratch);
        pthread_mutex_lock(&g->mu);
        b->nf = b->nrec = 0;
        b->state = BLOCK_FILLING;
        pthread_cond_broadcast(&g->cv);
    }
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

/* Hand the block being filled over (if it holds a record) and take the
 * other once it is counted; with `all`, wait until both are counted. */
static void gather_hand_over(Gather *g, bool all)
{
    pthread_mutex_lock(&g->mu);
    GatherBlock *b = &g->b[g->fill];
    if (b->nrec) {
        b->state = BLOCK_QUEUED;
        pthread_cond_broadcast(&g->cv);
        g->fill ^= 1;
    }
    while (g->b[g->fill].state != BLOCK_FILLING ||
           (all && g->b[g->fill ^ 1].state != BLOCK_FILLING))
        pthread_cond_wait(&g->cv, &g->mu);
    pthread_mutex_unlock(&g->mu);
}

/* The window is about to move: every field handed over is counted first. */
static void gather_more(CsvReader *r)
{
    Gather *g = r->more_ctx;
    gather_hand_over(g, true);
    r->more = g->more;
    r->more_ctx = g->more_ctx;
    g->more(r);
    if (r->more) { /* NULL: the window reached the end of the file */
        r->more = gather_more;
        r->more_ctx = g;
    }
}

/* What gather_start made, freed (the thread not running). */
static void gather_free(Gather *g)
{
    pthread_cond_destroy(&g->cv);
    pthread_mutex_destroy(&g->mu);
    arena_free(&g->scratch);
    for (int k = 0; k < 2; k++) {
        free(g->b[k].f);
        free(g->b[k].n);
    }
}

/* Start the counting thread; false (nothing started) if it cannot be. */
static bool gather_start(Gather *g, ColStat *cols, const size_t *col, size_t ncol, size_t records)
{
    memset(g, 0, sizeof *g);
    g->cols = cols;
    g->col = col;
    g->ncol = ncol;
    g->records = records;
    for (int k = 0; k < 2; k++) {
        g->b[k].f = xmalloc(records * (ncol ? ncol : 1) * sizeof *g->b[k].f);
        g->b[k].n = xmalloc(records * sizeof *g->b[k].n);
    }
    arena_init(&g->scratch);
    pthread_mutex_init(&g->mu, NULL);
    pthread_cond_init(&g->cv, NULL);
    if (pthread_create(&g->thread, NULL, gather_main, g) != 0) {
        gather_free(g);
        return false;
    }
    return true;
}

/* Every block counted; the thread ended and its memory freed. */
static void gather_stop(Gather *g)
{
    gather_hand_over(g, true);
    pthread_mutex_lock(&g->mu);
    g->stop = true;
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->mu);
    pthread_join(g->thread, NULL);
    gather_free(g);
}

/* Count pass 1's cells on a second thread?  With two CPUs or more, unless
 * TALLY_PARSE_THREADS=1 (docs/performance.md: the reading thread alone). */
static bool gather_threaded(void)
{
    const char *v = getenv("TALLY_PARSE_THREADS");
    if (v && strcmp(v, "1") == 0)
        return false;
    return sysconf(_SC_NPROCESSORS_ONLN) >= 2;
}

/* Pass 1 of a streamed wide CSV (ColStats, COLS_GATHER): only what the
 * columns' statistics need - the figures of exactly the records whose
 * reports load_wide would count (an id, not seen before: not a malformed
 * record, a blank line, an empty id or a duplicate), each cell parsed as
 * loader_parse_cell parses it and counted; no report, no message. */
static void gather_wide(Loader *L, CsvReader *cr, const char **names, const uint8_t *kind,
                        size_t ncol, size_t idcol)
{
    ColStats *cs = L->colstats;
    size_t *col = xmalloc((ncol ? ncol : 1) * sizeof *col); /* the column's statistics */
    for (size_t i = 0; i < ncol; i++)
        col[i] = kind[i] == COL_FIGURE ? loader_colstat(cs, names[i]) : SIZE_MAX;
    Arena *a = loader_arena(L); /* the parsed cells' strings: emptied as it fills */
    /* the cells this thread counts: all of them, or (with a counting
     * thread) those of records with a field outside the window */
    ColStat *own = cs->cols;
    Gather g;
    bool threaded = gather_threaded() &&
                    gather_start(&g, cs->cols, col, ncol,
                                 ncol * GATHER_RECORDS <= GATHER_FIELDS ? GATHER_RECORDS
                                 : ncol < GATHER_FIELDS                 ? GATHER_FIELDS / ncol
                                                                        : 1);
    if (threaded) {
        own = xcalloc(cs->n ? cs->n : 1, sizeof *own);
        if (cr->more) {
            g.more = cr->more;
            g.more_ctx = cr->more_ctx;
            cr->more = gather_more;
            cr->more_ctx = &g;
        }
    }
    char *id = NULL;
    size_t idcap = 0;
    CsvRecord rec;
    int rc;
    while ((rc = csv_next(cr, &rec)) != CSV_EOF) {
        const CsvField *idf = idcol < rec.nfields ? &rec.fields[idcol] : NULL;
        if (rc == CSV_ERROR) {
            L->claims++;
            if (idf && !loader_is_blank(idf->text, idf->len))
                gather_id_new(L, idf->text, idf->len, rec.line, &id, &idcap);
            continue;
        }
        if (loader_csv_blank(&rec))
            continue;
        L->claims++;
        if (!idf || loader_is_blank(idf->text, idf->len) ||
            !gather_id_new(L, idf->text, idf->len, rec.line, &id, &idcap))
            continue;
        size_t n = rec.nfields < ncol ? rec.nfields : ncol;
        if (threaded) {
            bool borrowed = true; /* every field in the window */
            for (size_t i = 0; i < n && borrowed; i++)
                borrowed = (uintptr_t)(rec.fields[i].text - cr->data) < cr->len;
            if (borrowed) {
                GatherBlock *b = &g.b[g.fill];
                memcpy(b->f + b->nf, rec.fields, n * sizeof *rec.fields);
                b->nf += n;
                b->n[b->nrec++] = n;
                if (b->nrec == g.records)
                    gather_hand_over(&g, false);
                continue;
            }
        }
        count_cells(own, col, rec.fields, n, a);
    }
    if (threaded) {
        if (cr->more == gather_more) {
            cr->more = g.more;
            cr->more_ctx = g.more_ctx;
        }
        gather_stop(&g);
        for (size_t c = 0; c < cs->n; c++) { /* this thread's counts added in */
            ColStat *to = &cs->cols[c];
            to->pts += own[c].pts;
            to->rat += own[c].rat;
            to->m += own[c].m;
            for (size_t d = 0; d < sizeof to->count / sizeof *to->count; d++)
                to->count[d] += own[c].count[d];
        }
        free(own);
    }
    free(id);
    free(col);
}

/* The record's fields [0, ncol) copied at once, each NUL-terminated in the
 * copy (its separator overwritten): a field's text is then the copy plus
 * its offset from the first field's.  NULL when a field is not where the
 * line has it (a quoted field is unescaped elsewhere): then each cell is
 * copied on its own.  (Issue 16: a copy per cell, each rounded up to the
 * arena's alignment, was a tenth of reading a wide file.) */
static const char *record_copy(Loader *L, const CsvRecord *rec, size_t ncol)
{
    size_t n = rec->nfields < ncol ? rec->nfields : ncol;
    if (n == 0)
        return NULL;
    const CsvField *f = rec->fields;
    for (size_t i = 1; i < n; i++)
        if (f[i].text != f[i - 1].text + f[i - 1].len + 1)
            return NULL;
    size_t span = (size_t)(f[n - 1].text - f[0].text) + f[n - 1].len;
    char *copy = arena_alloc_raw(loader_arena(L), span + 1);
    memcpy(copy, f[0].text, span);
    for (size_t i = 0; i < n; i++)
        copy[(f[i].text - f[0].text) + f[i].len] = '\0';
    return copy;
}

bool load_wide(Loader *L, CsvReader *cr, const CsvRecord *hdr)
{
    size_t ncol = hdr->nfields, idcol, nfig = 0;
    const char **names = loader_csv_names(L, hdr);
    uint8_t *kind = xmalloc(ncol ? ncol : 1);
    if (!wide_header(L, names, ncol, hdr, kind, &idcol)) {
        free(kind);
        return false;
    }
    cr->borrow = true; /* every cell below is read by its length */
    if (L->colstats && L->colstats->mode == COLS_GATHER) {
        gather_wide(L, cr, names, kind, ncol, idcol);
        free(kind);
        return true;
    }
    for (size_t i = 0; i < ncol; i++)
        nfig += kind[i] == COL_FIGURE;
    /* every report below names its figures as the header does, in its order */
    uint64_t layout = report_layout_new();
    /* the second pass: each column's reading over the whole file, applied
     * to each counted figure as it is read, while it is in the cache */
    uint8_t *how = NULL;
    int *median = NULL;
    if (L->colstats) {
        how = xmalloc(ncol ? ncol : 1);
        median = xmalloc((ncol ? ncol : 1) * sizeof *median);
        for (size_t i = 0; i < ncol; i++) {
            size_t *at = kind[i] == COL_FIGURE ? strmap_find(&L->colstats->names, names[i]) : NULL;
            how[i] = PCT_NONE;
            median[i] = -1;
            if (at)
                loader_colstat_decide(&L->colstats->cols[*at], &how[i], &median[i]);
        }
    }

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
        /* a report whose figures count (not a duplicate, not a placeholder) */
        bool counted = how && loader_meta(L, idx)->figures;
        /* every field of each figure is set below: not zeroed first */
        Figure *figs = arena_alloc_raw(loader_arena(L), (nfig ? nfig : 1) * sizeof *figs);
        const char *copy = record_copy(L, &rec, ncol);
        size_t k = 0;
        for (size_t i = 0; i < ncol; i++) {
            const char *text = i < rec.nfields ? rec.fields[i].text : "";
            size_t len = i < rec.nfields ? rec.fields[i].len : 0;
            switch (kind[i]) {
            case COL_ID:
                continue;
            case COL_UNNAMED:
                if (!loader_is_blank(text, len))
                    loader_report_error(L, idx, rec.line, (int)i + 1, NULL,
                                        _("value in column %zu, which has no name in the header"),
                                        i + 1);
                continue;
            case COL_YEAR: { /* the report's year, not a figure */
                CellAt at = {rec.line, (int)i + 1, names[i], NULL, -1, NULL};
                loader_year(L, idx, text, len, &at);
                continue;
            }
            case COL_FIGURE:
                break;
            }
            Figure *f = &figs[k++];
            f->name = names[i];
            f->raw = copy && i < rec.nfields ? copy + (text - rec.fields[0].text)
                                             : arena_strndup(loader_arena(L), text, len);
            f->value = val_missing();
            f->pos = (DataPos){L->file, rec.line, names[i], NULL};
            f->field = (int)i + 1;
            f->percent_read = PCT_NONE;
            f->magnitude_off = 0;
            CellAt at = {rec.line, (int)i + 1, names[i], NULL, -1, NULL};
            loader_parse_cell(L, idx, f->raw, len, &at, names[i], &f->value);
            if (counted)
                loader_figure_read(f, how[i], median[i]);
        }
        Report *r = loader_report(L, idx);
        r->figures = figs;
        r->nfigures = nfig;
        r->figure_layout = layout;
        if (rec.nfields != ncol)
            loader_report_error(L, idx, rec.line, 0, NULL, _("row has %zu fields, header has %zu"),
                                rec.nfields, ncol);
    }
    free(how);
    free(median);
    free(kind);
    return true;
}
