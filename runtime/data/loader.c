/* loader.c - what every data reader calls (loader.h): reports claimed by
 * id, errors at data positions, cells parsed, indicator rows with the 总分
 * and 自评结论 conventions. */
#include "loader.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/base/arena.h"
#include "lang/base/l10n.h"
#include "lang/base/text.h"

const char *const loader_long_header[C_COUNT] = {
    "report", "level1", "level2", "indicator", "target", "actual", "weight", "reported", "reason",
};

const char *const loader_long_header_zh[C_COUNT] = {
    "报告", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因",
};

static void labels_clear(Loader *L);

/* Longest cell text quoted inside a message. */
#define QUOTE_MAX 60

Arena *loader_arena(Loader *L) { return &L->set->arena; }

Meta *loader_meta(Loader *L, size_t idx)
{
    if (idx >= L->metacap) {
        size_t cap = L->metacap ? L->metacap : 64;
        while (cap <= idx)
            cap *= 2;
        L->meta = xrealloc(L->meta, cap * sizeof *L->meta);
        memset(L->meta + L->metacap, 0, (cap - L->metacap) * sizeof *L->meta);
        L->metacap = cap;
    }
    return &L->meta[idx];
}

Report *loader_report(Loader *L, size_t idx) { return &L->set->reports[idx]; }

static char *vformat(Arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        xalloc_failed();
    char *s = arena_alloc(a, (size_t)(n < 0 ? 0 : n) + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

void loader_set_error(Loader *L, size_t idx, const char *fmt, ...)
{
    if (loader_report(L, idx)->error)
        return;
    va_list ap;
    va_start(ap, fmt);
    loader_report(L, idx)->error = vformat(loader_arena(L), fmt, ap);
    va_end(ap);
}

static void __attribute__((format(printf, 6, 0)))
report_verror(Loader *L, size_t idx, int line, int col, const char *column, const char *fmt,
              va_list ap)
{
    char *msg = vformat(loader_arena(L), fmt, ap);
    diag_data(L->diags, DIAG_ERROR, L->file, line, col, column, "%s", msg);
    /* the report's error names the field as the message does: it is all
     * the results say of it */
    if (!loader_report(L, idx)->error)
        loader_report(L, idx)->error =
            column ? arena_printf(loader_arena(L), "column \"%s\": %s", column, msg) : msg;
}

void loader_report_error(Loader *L, size_t idx, int line, int col, const char *column,
                         const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_verror(L, idx, line, col, column, fmt, ap);
    va_end(ap);
}

static const char *cell_column(Loader *L, const CellAt *at)
{
    if (!at->key)
        return at->column;
    if (at->row >= 0)
        return arena_printf(loader_arena(L), "table[%ld].%s", at->row, at->key);
    return arena_printf(loader_arena(L), "figures.%s", at->key);
}

void loader_cell_error(Loader *L, size_t idx, const CellAt *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (at->where) {
        char *msg = vformat(loader_arena(L), fmt, ap);
        diag_data(L->diags, DIAG_ERROR, at->where, 0, 0, at->column, "%s", msg);
        if (!loader_report(L, idx)->error)
            loader_report(L, idx)->error = msg;
    } else {
        report_verror(L, idx, at->line, at->field, cell_column(L, at), fmt, ap);
    }
    va_end(ap);
}

/* Cell text for a message: at most QUOTE_MAX bytes, cut at a character
 * boundary, with "..." when cut. */
static const char *quote_cell(Loader *L, const char *s, size_t n)
{
    if (n <= QUOTE_MAX)
        return arena_strndup(loader_arena(L), s, n);
    size_t cut = QUOTE_MAX;
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    return arena_printf(loader_arena(L), "%.*s...", (int)cut, s);
}

const char *loader_trimmed(Loader *L, const char *s, size_t n)
{
    const char *t = text_trim(s, &n);
    return arena_strndup(loader_arena(L), t, n);
}


static size_t report_new(Loader *L, const char *id, int line)
{
    ReportSet *s = L->set;
    if (s->len == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->reports = xrealloc(s->reports, s->cap * sizeof *s->reports);
    }
    Report *r = &s->reports[s->len];
    memset(r, 0, sizeof *r);
    r->id = arena_strdup(&s->arena, id);
    r->pos.file = L->file;
    r->pos.line = line;
    r->stated_total = r->stated_max = val_missing();
    *loader_meta(L, s->len) = (Meta){.line = line};
    return s->len++;
}

size_t loader_placeholder(Loader *L, int line)
{
    L->claims++;
    char id[32];
    snprintf(id, sizeof id, "line %d", line);
    size_t idx = report_new(L, id, line);
    loader_meta(L, idx)->placeholder = true;
    return idx;
}

/* A file id's entry: the line where the report starts and its ordinal in
 * the file's reports (flushed ones included), packed. */
static size_t id_entry(const Loader *L, size_t idx, int line)
{
    return ((size_t)(unsigned)line << 32) | ((L->flushed + idx) & 0xFFFFFFFFu);
}

int loader_id_line(size_t entry) { return (int)(entry >> 32); }

size_t loader_id_index(const Loader *L, size_t entry)
{
    size_t ord = entry & 0xFFFFFFFFu, base = L->flushed & 0xFFFFFFFFu;
    size_t idx = (ord - base) & 0xFFFFFFFFu;
    return idx < L->set->len ? idx : SIZE_MAX;
}

/* The ids seen could not be written to or read from their temporary file:
 * the duplicate check cannot go on, nor can the run. */
static _Noreturn void ids_failed(void)
{
    char msg[512];
    snprintf(msg, sizeof msg, _("cannot keep the report ids seen in a temporary file: %s"),
             strerror(errno));
    xfatal(msg);
}

/* Streaming: ids kept in memory up to IDS_MEMORY bytes, then spilled
 * (idset.h); TALLY_IDS_SPILL=N (tests) spills every N ids. */
#define IDS_MEMORY ((size_t)32 << 20)

static void ids_bound(Loader *L)
{
    IdSet *s = &L->file_ids;
    if (!L->sink || s->max_bytes || s->max_ids)
        return;
    const char *v = getenv("TALLY_IDS_SPILL");
    long n = v ? atol(v) : 0;
    if (n > 0)
        s->max_ids = (size_t)n;
    else
        s->max_bytes = IDS_MEMORY;
}

bool loader_id_find(Loader *L, const char *id, size_t *entry)
{
    uint64_t v;
    int rc = idset_find(&L->file_ids, id, &v);
    if (rc < 0)
        ids_failed();
    if (rc)
        *entry = (size_t)v;
    return rc;
}

void loader_id_add(Loader *L, const char *id, int line, size_t idx)
{
    ids_bound(L);
    if (!idset_add(&L->file_ids, id, id_entry(L, idx, line)))
        ids_failed();
}

size_t loader_claim(Loader *L, const char *id, int line, int col, const char *column,
                    bool figures, bool table)
{
    L->claims++;
    size_t idx, mine;
    if (loader_id_find(L, id, &mine)) {
        int first = loader_id_line(mine);
        idx = report_new(L, id, line);
        diag_data(L->diags, DIAG_ERROR, L->file, line, col, column,
                  _("duplicate report id '%s' (first at line %d)"), id, first);
        loader_set_error(L, idx, _("duplicate report id (first at line %d)"), first);
        return idx;
    }
    size_t *prev = strmap_find(&L->set_ids, id);
    if (prev) {
        const Report *p = loader_report(L, *prev);
        if ((figures && p->nfigures > 0) || (table && p->has_table)) {
            /* where the first is: FILE at line N, or a form's place */
            const char *first = p->pos.where
                                    ? p->pos.where
                                    : arena_printf(loader_arena(L), "%s at line %d", p->pos.file,
                                                   p->pos.line);
            idx = report_new(L, id, line);
            diag_data(L->diags, DIAG_ERROR, L->file, line, col, column,
                      _("duplicate report id '%s' (first in %s)"), id, first);
            loader_set_error(L, idx, _("duplicate report id (first in %s)"), first);
        } else {
            idx = *prev;
            loader_meta(L, idx)->line = line;
        }
    } else {
        idx = report_new(L, id, line);
    }
    ids_bound(L);
    if (!idset_add(&L->file_ids, id, id_entry(L, idx, line)))
        ids_failed();
    loader_meta(L, idx)->figures |= figures;
    L->figures |= figures;
    return idx;
}

/* Append the pending rows to their report's table.  They are in the
 * set's arena already: a report's first block of rows becomes its table as
 * it is (issue 16: a copy of every row, 248 bytes, was a tenth of the
 * reader's time); a block that resumes a report is copied after the rows
 * it has. */
static void flush_rows(Loader *L)
{
    if (!L->nrows)
        return;
    Report *r = loader_report(L, L->block);
    if (r->nrows) {
        TableRow *rows = arena_alloc_raw(loader_arena(L), (r->nrows + L->nrows) * sizeof *rows);
        memcpy(rows, r->rows, r->nrows * sizeof *rows);
        memcpy(rows + r->nrows, L->rows, L->nrows * sizeof *rows);
        r->rows = rows;
    } else {
        r->rows = L->rows;
    }
    r->nrows += L->nrows;
    L->rowcap = L->nrows < 64 ? L->nrows : 64; /* the next block's first guess */
    L->rows = NULL;
    L->nrows = 0;
}

/* Rows arrive in blocks per report (a report's rows are contiguous except
 * in the error case), so a block is flushed when the report changes.  A
 * block's rows go to an array in the set's arena, as long as the last
 * block's at first (16 to 64 rows), moved to one twice as long when full. */
static void push_row(Loader *L, size_t idx, const TableRow *row)
{
    if (idx != L->block)
        flush_rows(L);
    L->block = idx;
    if (!L->rows || L->nrows == L->rowcap) {
        size_t cap = !L->rows ? (L->rowcap > 16 ? L->rowcap : 16) : 2 * L->rowcap;
        if (cap > SIZE_MAX / sizeof *L->rows)
            xalloc_failed();
        TableRow *rows = arena_alloc_raw(loader_arena(L), cap * sizeof *rows);
        if (L->nrows)
            memcpy(rows, L->rows, L->nrows * sizeof *rows);
        L->rows = rows;
        L->rowcap = cap;
    }
    L->rows[L->nrows++] = *row;
}

/* Percent columns (docs/data.md) ------------------------------------------------- */

/* A bare number where a percentage may be meant: plain, no magnitude word. */
static bool bare_number(const TlValue *v)
{
    return v->kind == TL_NUM && v->numkind == NUM_PLAIN && v->mag == 0;
}

/* 10^k for a scale k in [0, DEC_MAX_SCALE]. */
static uint64_t pow10_u64(int k)
{
    static const uint64_t p[DEC_MAX_SCALE + 1] = {
        1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
        10000000000ull, 100000000000ull, 1000000000000ull, 10000000000000ull,
        100000000000000ull, 1000000000000000ull, 10000000000000000ull,
        100000000000000000ull, 1000000000000000000ull};
    return p[k];
}

/* |coef| of d, as an unsigned number. */
static uint64_t dec_magnitude(TlDec d)
{
    return d.coef < 0 ? -(uint64_t)d.coef : (uint64_t)d.coef;
}

/* Count the nonzero bare numbers above 1.5 (percentage points) and at most
 * 1.5 in size (ratios) into pts and rat: |coef| / 10^scale > 15 / 10, in
 * integers (issue 16: dec_cmp's alignment, for every figure of a file). */
static void count_reading(const TlValue *v, int *pts, int *rat)
{
    TlDec d = v->u.num;
    if (dec_is_zero(d))
        return;
    if ((unsigned __int128)dec_magnitude(d) * 10 > (unsigned __int128)15 * pow10_u64(d.scale))
        (*pts)++;
    else
        (*rat)++;
}

static PercentRead reading_of(int pts, int rat)
{
    return pts && rat ? PCT_MIXED : pts ? PCT_POINTS : rat ? PCT_RATIO : PCT_NONE;
}

/* v read as a percentage: 85 -> 85% (points), 0.85 -> 85% (ratio). */
static void as_percent(TlValue *v, PercentRead how)
{
    TlDec d = v->u.num;
    if (how == PCT_POINTS && !dec_shift(d, -2, &d))
        return;
    v->u.num = d;
    v->numkind = NUM_PERCENT;
}

/* The table's bare actuals beside percent targets (column 0), and bare
 * targets beside percent actuals (column 1), each read as one column. */
static void read_table_percents(Loader *L, size_t idx)
{
    Report *r = loader_report(L, idx);
    for (int col = 0; col < 2; col++) {
        int pts = 0, rat = 0, n = 0;
        for (size_t i = 0; i < r->nrows; i++) {
            TableRow *row = &r->rows[i];
            TlValue *cell = col ? &row->target : &row->actual, *other = col ? &row->actual : &row->target;
            if (other->kind == TL_NUM && other->numkind == NUM_PERCENT && bare_number(cell)) {
                count_reading(cell, &pts, &rat);
                n++;
            }
        }
        PercentRead how = reading_of(pts, rat);
        if (!n)
            continue;
        if (how == PCT_NONE)
            how = PCT_POINTS; /* only zeros: either way 0% */
        for (size_t i = 0; i < r->nrows; i++) {
            TableRow *row = &r->rows[i];
            TlValue *cell = col ? &row->target : &row->actual, *other = col ? &row->actual : &row->target;
            if (!(other->kind == TL_NUM && other->numkind == NUM_PERCENT && bare_number(cell)))
                continue;
            if (how != PCT_MIXED) {
                as_percent(cell, how);
                row->read |= col ? READ_TARGET_PERCENT : READ_ACTUAL_PERCENT;
                continue;
            }
            const char *raw = col ? row->target_raw : row->actual_raw;
            int c = col ? C_TARGET : C_ACTUAL;
            CellAt at = {row->pos.line, c + 1, loader_long_header[c], NULL, -1,
                         row->where ? row->where[c] : NULL};
            loader_bad_cell(L, idx, &at, row->name, raw, strlen(raw),
                            _("a bare number where a percentage is meant, in a column whose bare "
                              "numbers are both above 1.5 (percentage points) and at most 1.5 (ratios)"),
                            _("85% with its sign: write the % sign, or the whole column one way "
                              "(all percentage points, or all ratios)"));
            *cell = val_missing();
            cell->flags = VAL_UNREADABLE;
            cell->u.text = _("a bare number that may be percentage points or a ratio");
        }
        if (col) {
            r->target_read = (uint8_t)how;
            r->ntarget_read = n;
        } else {
            r->actual_read = (uint8_t)how;
            r->nactual_read = n;
        }
    }
}

/* Digits of |d| as written, before the point and without its magnitude word
 * (11458.23万元 and a bare 11458.23 both have 5): a column read in one unit
 * compares its numbers as written (at least 1): the digits of |coef| less
 * the scale (issue 16: not by dec_floor, for every figure of a file). */
static int int_digits(TlDec d)
{
    int n = dec_digit_count(dec_magnitude(d)) - d.scale;
    return n < 1 ? 1 : n;
}

static int written_digits(const TlValue *v)
{
    TlDec d = v->u.num;
    int mag = v->numkind == NUM_PERCENT ? -2 : v->mag;
    if (mag && !dec_shift(d, -mag, &d))
        d = v->u.num;
    return int_digits(d);
}

size_t loader_colstat(ColStats *cs, const char *name)
{
    size_t *at = strmap_find(&cs->names, name);
    if (at)
        return *at;
    if (cs->n == cs->cap) {
        cs->cap = cs->cap ? cs->cap * 2 : 16;
        cs->cols = xrealloc(cs->cols, cs->cap * sizeof *cs->cols);
    }
    memset(&cs->cols[cs->n], 0, sizeof cs->cols[cs->n]);
    strmap_put(&cs->names, name, cs->n);
    return cs->n++;
}

void loader_colstat_count(ColStat *st, const TlValue *v)
{
    if (v->kind != TL_NUM)
        return;
    if (bare_number(v))
        count_reading(v, &st->pts, &st->rat);
    if (dec_is_zero(v->u.num))
        return;
    int d = written_digits(v);
    st->m++;
    st->count[d < 23 ? d : 23]++;
}

bool loader_colstat_count_plain(ColStat *st, const char *s, size_t n)
{
    if (!n)
        return false;
    /* one walk: the digits are summed as they are checked (issue 16: the
     * wide first pass's every cell); more than 17 of them are refused below,
     * whatever the sum wrapped to */
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    p += *p == '-';
    const unsigned char *first = p;
    uint64_t coef = 0;
    unsigned d;
    while (p < end && (d = (unsigned)*p - '0') <= 9)
        coef = coef * 10 + d, p++;
    size_t nint = (size_t)(p - first), nfrac = 0;
    uint64_t whole = coef; /* the digits before the point (meaningful up to 17 of them) */
    if (nint == 0 || (nint > 1 && *first == '0'))
        return false;
    if (p < end && *p == '.') {
        const unsigned char *f = ++p;
        while (p < end && (d = (unsigned)*p - '0') <= 9)
            coef = coef * 10 + d, p++;
        nfrac = (size_t)(p - f);
        if (!nfrac)
            return false;
    }
    bool percent = p + 1 == end && *p == '%'; /* "95.4%": not bare, its digits as written */
    if ((p != end && !percent) || nint + nfrac > 17)
        return false;
    if (coef == 0) /* a zero counts nowhere */
        return true;
    /* as count_reading and written_digits: above 1.5 or not (a bare number
     * only); the digits before the point (no leading zero: nint, and 1 for
     * "0.x") */
    if (!percent) { /* by the whole part when it decides (issue 16: most cells) */
        if (whole >= 2 || (whole == 1 && (unsigned __int128)coef * 10 >
                                             (unsigned __int128)15 * pow10_u64((int)nfrac)))
            st->pts++;
        else
            st->rat++;
    }
    st->m++;
    st->count[nint < 23 ? nint : 23]++;
    return true;
}

void loader_colstat_decide(const ColStat *st, uint8_t *how, int *median)
{
    *how = (uint8_t)reading_of(st->pts, st->rat);
    *median = -1;
    if (st->m >= 3) { /* digits run from 1 to 20: counted instead of sorted */
        size_t seen = 0;
        int d = 0;
        while (seen + st->count[d] <= st->m / 2)
            seen += st->count[d++];
        *median = d;
    }
}

void loader_figure_read(Figure *f, uint8_t how, int median)
{
    f->percent_read = how;
    if (median < 0 || f->value.kind != TL_NUM || dec_is_zero(f->value.u.num))
        return;
    if (f->value.numkind != NUM_PERCENT && f->value.mag == 0) {
        /* written as it is held (no % or magnitude word): within three
         * digits of the median - almost every figure - by two comparisons,
         * its digits not counted (issue 16: every figure of a wide file) */
        uint64_t m = dec_magnitude(f->value.u.num);
        int hi = median + 3 + f->value.u.num.scale, lo = median - 4 + f->value.u.num.scale;
        if (hi <= DEC_MAX_SCALE && m < pow10_u64(hi) &&
            (median <= 4 || (lo <= DEC_MAX_SCALE && m >= pow10_u64(lo))))
            return;
    }
    int off = written_digits(&f->value) - median;
    if (off >= 4 || off <= -4)
        f->magnitude_off = (int8_t)off;
}

/* The column of figure k of a report: a wide CSV's reports name their
 * figures by the same pointers in the same order, so the column found for
 * position k is kept (cache[k]) and a figure whose name is that pointer
 * needs no look-up (issue 16: a look-up a figure was a tenth of reading a
 * wide file).  `add`: a column not met yet is added, else SIZE_MAX. */
typedef struct ColCache {
    const char **name;
    size_t *col;
    size_t n;
} ColCache;

static size_t column_of(ColStats *cs, ColCache *cache, size_t k, const char *name, bool add)
{
    if (k < cache->n && cache->name[k] == name)
        return cache->col[k];
    size_t c;
    if (add) {
        c = loader_colstat(cs, name);
    } else {
        size_t *at = strmap_find(&cs->names, name);
        c = at ? *at : SIZE_MAX;
    }
    if (k >= cache->n) {
        size_t n = k + 1 > 2 * cache->n ? k + 1 : 2 * cache->n;
        cache->name = xrealloc(cache->name, n * sizeof *cache->name);
        cache->col = xrealloc(cache->col, n * sizeof *cache->col);
        for (size_t i = cache->n; i < n; i++)
            cache->name[i] = NULL;
        cache->n = n;
    }
    cache->name[k] = name;
    cache->col[k] = c;
    return c;
}

/* Figures of this file, by column: the reading of a column's bare numbers
 * as percentages (used where an input is declared percent), and figures
 * about 10^4 or more off the column's median, a likely 元/万元 slip, by
 * this set's own statistics.  (Streaming a wide CSV, the whole file's from
 * its first pass are applied by load_wide: ColStats.) */
static void read_figure_columns(Loader *L)
{
    if (L->colstats) /* streaming a wide CSV: load_wide applied the file's columns
                        to each figure as it read it (loader_figure_read) */
        return;
    ColStats own = {0}, *cs = &own;
    ColCache cache = {0};
    for (size_t i = 0; i < L->set->len && i < L->metacap; i++) {
        if (!L->meta[i].figures)
            continue;
        const Report *r = &L->set->reports[i];
        for (size_t k = 0; k < r->nfigures; k++) {
            size_t c = column_of(cs, &cache, k, r->figures[k].name, true); /* before cs->cols moves */
            loader_colstat_count(&cs->cols[c], &r->figures[k].value);
        }
    }
    /* each column's reading and the median size of its nonzero numbers */
    uint8_t *how = xmalloc((cs->n ? cs->n : 1) * sizeof *how);
    int *median = xmalloc((cs->n ? cs->n : 1) * sizeof *median);
    for (size_t c = 0; c < cs->n; c++)
        loader_colstat_decide(&cs->cols[c], &how[c], &median[c]);
    for (size_t i = 0; i < L->set->len && i < L->metacap; i++) {
        if (!L->meta[i].figures)
            continue;
        Report *r = &L->set->reports[i];
        for (size_t k = 0; k < r->nfigures; k++) {
            size_t c = column_of(cs, &cache, k, r->figures[k].name, false);
            loader_figure_read(&r->figures[k], how[c], median[c]);
        }
    }
    free(how);
    free(median);
    free(cache.name);
    free(cache.col);
    strmap_free(&own.names);
    free(own.cols);
}

/* The reports read so far are complete: each table's percent columns, the
 * file's figure columns, and a warning for a table with no stated total. */
static void finish_reports(Loader *L)
{
    flush_rows(L);
    for (size_t i = 0; i < L->set->len && i < L->metacap; i++)
        if (L->meta[i].table && L->meta[i].bare) /* else no cell to read (issue 16) */
            read_table_percents(L, i);
    read_figure_columns(L);
    for (size_t i = 0; i < L->set->len && i < L->metacap; i++) {
        const Meta *m = &L->meta[i];
        const Report *r = &L->set->reports[i];
        if (m->table && !m->placeholder && !m->total_line)
            diag_data(L->diags, DIAG_WARNING, r->pos.where ? r->pos.where : L->file,
                      r->pos.where ? 0 : m->line, 0, NULL,
                      _("report %s has no 总分 row: stated total unknown"), r->id);
    }
}

void loader_finish(Loader *L)
{
    finish_reports(L);
}

void loader_boundary(Loader *L)
{
    /* Figures are read by column over the whole file (read_figure_columns:
     * percentages, a column's magnitude): a file with figures is handed
     * over whole, at its end. */
    if (!L->sink || L->set->len == 0 || (L->figures && !L->colstats))
        return;
    bool full = L->set->arena.used >= (L->sink->chunk_bytes ? L->sink->chunk_bytes
                                                             : STREAM_CHUNK_BYTES) ||
                (L->sink->chunk_reports && L->set->len >= L->sink->chunk_reports);
    if (full)
        loader_flush(L);
}

void loader_flush(Loader *L)
{
    if (!L->sink || L->set->len == 0)
        return;
    finish_reports(L);
    size_t n = L->set->len;
    L->sink->fn(L->sink->ctx, L->set, L->diags);
    L->flushed += n;
    L->first = 0;
    memset(L->meta, 0, L->metacap * sizeof *L->meta);
    memset(L->label, 0, sizeof L->label);
    memset(&L->reason, 0, sizeof L->reason);
    labels_clear(L); /* their strings were in the chunk's arena */
    L->raw_at = L->raw_end = NULL; /* and so was this room */
    L->block = 0;
    L->nrows = 0;
    L->rows = NULL; /* in the chunk's arena (flushed: none pending) */
}

void loader_init(Loader *L, ReportSet *set, DiagList *diags, const char *file)
{
    memset(L, 0, sizeof *L);
    L->set = set;
    L->diags = diags;
    L->file = file;
    L->first = set->len;
    for (size_t i = 0; i < set->len; i++)
        if (!strmap_find(&L->set_ids, set->reports[i].id))
            strmap_put(&L->set_ids, set->reports[i].id, i);
}

void loader_free(Loader *L)
{
    strmap_free(&L->set_ids);
    idset_free(&L->file_ids);
    free(L->seen.text);
    free(L->seen.keys);
    free(L->seen.slots);
    free(L->meta);
    free(L->labels);
}

/* The report's year ------------------------------------------------------------ */

bool loader_is_year_column(const char *name)
{
    return strcmp(name, "year") == 0 || strcmp(name, "年度") == 0;
}

void loader_year(Loader *L, size_t idx, const char *s, size_t n, const CellAt *at)
{
    s = text_trim(s, &n);
    if (n == 0)
        return;
    size_t digits = 0;
    int year = 0;
    while (digits < n && digits < 5 && s[digits] >= '0' && s[digits] <= '9')
        year = year * 10 + (s[digits++] - '0');
    const char *rest = s + digits;
    size_t nrest = n - digits;
    bool suffix_ok = nrest == 0 || (nrest == 3 && memcmp(rest, "年", 3) == 0) ||
                     (nrest == 6 && memcmp(rest, "年度", 6) == 0);
    if (digits != 4 || !suffix_ok || year < 1000) {
        loader_cell_error(L, idx, at, _("not a year: '%s' (write it as 2024, 2024年 or 2024年度)"),
                          quote_cell(L, s, n));
        return;
    }
    Report *r = loader_report(L, idx);
    if (r->year && r->year != year) {
        loader_cell_error(L, idx, at, _("year %d, but the report's year is %d elsewhere"), year, r->year);
        return;
    }
    r->year = year;
}

/* Cells and table rows ----------------------------------------------------------- */

void loader_bad_cell(Loader *L, size_t idx, const CellAt *at, const char *subject, const char *s,
                     size_t n, const char *problem, const char *accepted)
{
    Report *r = loader_report(L, idx);
    if (r->nbad == r->badcap) {
        size_t cap = r->badcap ? r->badcap * 2 : 4;
        BadCell *b = arena_alloc(loader_arena(L), cap * sizeof *b);
        if (r->nbad)
            memcpy(b, r->bad, r->nbad * sizeof *b);
        r->bad = b;
        r->badcap = cap;
    }
    BadCell *b = &r->bad[r->nbad++];
    b->pos = (DataPos){L->file, at->line, cell_column(L, at), at->where};
    b->field = at->field;
    b->subject = subject ? subject : "";
    b->cell = quote_cell(L, s, n);
    b->problem = arena_strdup(loader_arena(L), problem);
    b->accepted = accepted;
}

/* Where a cell is: `at`, or else cell c of the row `in`, made only for a
 * message (issue 16: four places made a row, for none). */
static CellAt cell_where(const CellAt *at, const RowIn *in, int c)
{
    return at ? *at : loader_row_cell_at(in, c);
}

/* A cell read as cell_parse (or cell_parse_kept, `kept`) reads it: its
 * fast paths, then the general grammar, called here directly (issue 16:
 * every target and actual went three calls deep). */
static inline void parse_cell(Loader *L, size_t idx, const char *s, size_t n, bool kept,
                              const CellAt *at, const RowIn *in, int c, const char *subject,
                              TlValue *out)
{
    const char *err = NULL;
    if (cell_parse_fast_units(loader_arena(L), s, n, NULL, kept, &L->units, out))
        return;
    if (!cell_parse_general(loader_arena(L), s, n, out, &err)) {
        CellAt where = cell_where(at, in, c);
        loader_bad_cell(L, idx, &where, subject, s, n, err ? err : _("number too large"),
                        _("a number of at most 18 significant digits and 18 decimals"));
        out->flags = VAL_UNREADABLE; /* missing, and not a missing marker */
        out->u.text = err ? err : _("number too large");
    }
}

void loader_parse_cell(Loader *L, size_t idx, const char *s, size_t n, const CellAt *at,
                       const char *subject, TlValue *out)
{
    parse_cell(L, idx, s, n, false, at, NULL, 0, subject, out);
}

void loader_parse_kept(Loader *L, size_t idx, const char *s, size_t n, const CellAt *at,
                       const char *subject, TlValue *out)
{
    parse_cell(L, idx, s, n, true, at, NULL, 0, subject, out);
}

static const char *points_accepted(void)
{
    return _("a number of points: 5, 4.5 or 5分");
}

/* The message texts are looked up (l10n_text) only for a cell at fault
 * (issue 16: two look-ups a cell were 3% of parsing). */
static bool parse_points(Loader *L, size_t idx, const char *s, size_t n, const CellAt *at,
                         const RowIn *in, int c, const char *what, const char *subject,
                         bool required, TlValue *out)
{
    const char *err = NULL;
    CellAt where;
    TlDec d;
    if (cell_plain_decimal(s, n, &d)) { /* "5", "4.5": what cell_parse gives */
        *out = val_num(d);
        return true;
    }
    *out = val_missing();
    if (!cell_parse(loader_arena(L), s, n, out, &err)) {
        /* what: N_() at the callers */
        where = cell_where(at, in, c);
        loader_bad_cell(L, idx, &where, subject, s, n,
                        arena_printf(loader_arena(L), _("%s: %s"), _(what), err ? err : _("number too large")),
                        points_accepted());
        *out = val_missing();
        return false;
    }
    if (out->kind == TL_MISSING) {
        if (required) {
            where = cell_where(at, in, c);
            loader_bad_cell(L, idx, &where, subject, s, n,
                            arena_printf(loader_arena(L), _("%s is missing"), _(what)), points_accepted());
        }
        return !required;
    }
    if (out->kind == TL_NUM && out->numkind == NUM_QUANTITY && out->mag == 0 && out->unit &&
        strcmp(out->unit, "分") == 0) {
        out->numkind = NUM_PLAIN;
        out->unit = NULL;
    }
    if (out->kind != TL_NUM || out->numkind != NUM_PLAIN || out->qual != QUAL_NONE ||
        out->flags != 0) {
        where = cell_where(at, in, c);
        loader_bad_cell(L, idx, &where, subject, s, n,
                        arena_printf(loader_arena(L), _("%s is not a number"), _(what)), points_accepted());
        *out = val_missing();
        return false;
    }
    return true;
}

bool loader_parse_points(Loader *L, size_t idx, const char *s, size_t n, const CellAt *at,
                         const char *what, const char *subject, bool required, TlValue *out)
{
    return parse_points(L, idx, s, n, at, NULL, 0, what, subject, required, out);
}

static int fullwidth_digit(const char *p, size_t n)
{
    /* U+FF10..U+FF19 is EF BC 90..99 */
    if (n >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBC &&
        (unsigned char)p[2] >= 0x90 && (unsigned char)p[2] <= 0x99)
        return (unsigned char)p[2] - 0x90;
    return -1;
}

/* A level label without white space and without a trailing weight:
 * "产出指标\n(50分)" -> "产出指标" with *weight 50; "(50)" and full-width
 * parentheses and digits too.  *weight is -1 when there is no such suffix. */
static const char *level_normalise(Loader *L, const char *s, size_t n, int *weight)
{
    char *t = text_strip_space(s, n);
    size_t len = strlen(t), open = SIZE_MAX, olen = 0, clen = 0;
    *weight = -1;
    if (len >= 1 && t[len - 1] == ')')
        clen = 1;
    else if (len >= 3 && memcmp(t + len - 3, "）", 3) == 0)
        clen = 3;
    for (size_t i = 0; clen && i + clen < len; i++) {
        if (t[i] == '(')
            open = i, olen = 1;
        else if (i + 3 <= len - clen && memcmp(t + i, "（", 3) == 0)
            open = i, olen = 3;
    }
    if (open != SIZE_MAX) { /* "(50分)" alone: an empty label with its weight */
        size_t i = open + olen, end = len - clen;
        long w = 0;
        int digits = 0, d;
        for (;;) {
            if (i < end && t[i] >= '0' && t[i] <= '9')
                d = t[i] - '0', i++;
            else if ((d = fullwidth_digit(t + i, end - i)) >= 0)
                i += 3;
            else
                break;
            if (++digits <= 6)
                w = w * 10 + d;
        }
        if (end - i == 3 && memcmp(t + i, "分", 3) == 0)
            i += 3;
        if (digits > 0 && digits <= 6 && i == end) {
            *weight = (int)w;
            len = open;
        }
    }
    const char *out = arena_strndup(loader_arena(L), t, len);
    free(t);
    return out;
}

/* The hash of a kind of label and its raw bytes; never 0 (an empty slot). */
static uint64_t label_hash(int kind, const char *s, size_t n)
{
    const uint64_t k = 0x9E3779B97F4A7C15ull;
    uint64_t h = ((uint64_t)n << 2 | (uint64_t)kind) * k, w;
    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * k;
        h ^= h >> 29;
    }
    /* the last bytes in two loads, not a memcpy of a variable length */
    if (n >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, s, 4);
        memcpy(&hi, s + n - 4, 4);
        w = (uint64_t)lo | (uint64_t)hi << 32;
    } else {
        w = n ? (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[n / 2] << 8 |
                    (uint64_t)(unsigned char)s[n - 1] << 16
              : 0;
    }
    h = (h ^ w) * k;
    h ^= h >> 32;
    return h ? h : 1;
}

/* The slot hash of a label's raw bytes: its length, kind and first, middle
 * and last eight bytes (issue 16: label_hash walked every byte of every
 * label of every row).  Texts alike in those bytes only share a chain;
 * slots are compared by their bytes.  Never 0 (an empty slot). */
static inline uint64_t intern_hash(int kind, const char *s, size_t n)
{
    const uint64_t k = 0x9E3779B97F4A7C15ull;
    uint64_t h = ((uint64_t)n << 2 | (uint64_t)kind) * k, a, b;
    if (n >= 8) {
        memcpy(&a, s, 8), memcpy(&b, s + n - 8, 8);
        if (n > 16) {
            uint64_t c;
            memcpy(&c, s + n / 2 - 4, 8);
            a ^= c * k;
        }
    } else if (n >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, s, 4), memcpy(&hi, s + n - 4, 4);
        a = lo, b = hi;
    } else {
        a = n ? (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[n / 2] << 8 |
                    (uint64_t)(unsigned char)s[n - 1] << 16
              : 0;
        b = 0;
    }
    h = (h ^ a) * k;
    h = (h ^ (h >> 29) ^ b) * k;
    h ^= h >> 32;
    return h ? h : 1;
}

/* Before a chunk's arena is reset: the interned labels go with it. */
static void labels_clear(Loader *L)
{
    if (L->labels && L->nlabels)
        memset(L->labels, 0, LABEL_SLOTS * sizeof *L->labels);
    L->nlabels = 0;
}

/* The label of `kind` written s[0 .. n), made once per chunk: a level label
 * normalised (level_normalise; a level-2 label states no weight), or a text
 * trimmed (an indicator's name, a reason). */
static const Label *label_add(Loader *L, int kind, const char *s, size_t n, uint64_t h,
                              size_t i);

static inline const Label *label_intern(Loader *L, int kind, const char *s, size_t n)
{
    if (!L->labels)
        L->labels = xcalloc(LABEL_SLOTS, sizeof *L->labels);
    uint64_t h = intern_hash(kind, s, n);
    size_t i = h & (LABEL_SLOTS - 1);
    for (LabelSlot *sl; (sl = &L->labels[i])->hash; i = (i + 1) & (LABEL_SLOTS - 1))
        if (sl->hash == h && sl->kind == kind && sl->label.len == n &&
            text_same_bytes(sl->label.raw, s, n))
            return &sl->label;
    return label_add(L, kind, s, n, h, i);
}

/* A label not met before in this chunk, made in slot i (issue 16: out of
 * line, the look-up above inline in every row). */
static __attribute__((noinline)) const Label *label_add(Loader *L, int kind, const char *s,
                                                        size_t n, uint64_t h, size_t i)
{
    if (L->nlabels >= LABEL_SLOTS / 2) { /* full: start again */
        labels_clear(L);
        i = h & (LABEL_SLOTS - 1);
    }
    LabelSlot *sl = &L->labels[i];
    L->nlabels++;
    sl->hash = h;
    sl->kind = kind;
    sl->label.raw = arena_strndup(loader_arena(L), s, n);
    sl->label.len = n;
    if (kind == LABEL_TRIMMED) {
        size_t tn = n;
        const char *t = text_trim(sl->label.raw, &tn);
        sl->label.norm = tn == n ? sl->label.raw : arena_strndup(loader_arena(L), t, tn);
        sl->label.normlen = tn;
        sl->label.weight = -1;
    } else {
        sl->label.norm = level_normalise(L, s, n, &sl->label.weight);
        sl->label.normlen = strlen(sl->label.norm);
        if (kind == LABEL_LEVEL2)
            sl->label.weight = -1;
    }
    sl->label.normhash = label_hash(0, sl->label.norm, sl->label.normlen);
    sl->label.unit_sep = memchr(sl->label.norm, '\x1f', sl->label.normlen) != NULL;
    sl->label.special = 0;
    if (kind == LABEL_LEVEL1 && strcmp(sl->label.norm, "总分") == 0)
        sl->label.special = LABEL_TOTAL;
    else if (kind == LABEL_LEVEL1 && strcmp(sl->label.norm, "自评结论") == 0)
        sl->label.special = LABEL_GRADE;
    return &sl->label;
}

void loader_keys_clear(Loader *L)
{
    RowKeys *k = &L->seen;
    if (k->n)
        memset(k->slots, 0, k->nslots * sizeof *k->slots);
    k->n = k->textlen = 0;
}

/* Twice the slots (at least 64), every key placed again by its hash. */
static void keys_grow(RowKeys *k)
{
    size_t cap = k->nslots ? 2 * k->nslots : 64;
    if (cap > UINT32_MAX)
        xalloc_failed();
    free(k->slots);
    k->slots = xcalloc(cap, sizeof *k->slots);
    k->nslots = cap;
    for (size_t e = 0; e < k->n; e++) {
        size_t i = k->keys[e].hash & (cap - 1);
        while (k->slots[i])
            i = (i + 1) & (cap - 1);
        k->slots[i] = (uint32_t)(e + 1);
    }
}

/* The line where the key level1 \x1f level2 \x1f name was first seen in
 * this report (*added false), or `line`, stored now (*added true). */
static size_t *add_key(RowKeys *k, const Label *l1, const Label *l2, const Label *name,
                       size_t line, bool *added)
{
    size_t n1 = l1->normlen, n2 = l2->normlen, n3 = name->normlen, len = n1 + n2 + n3 + 2;
    if (k->textcap - k->textlen < len) {
        k->textcap = 2 * (k->textlen + len);
        k->text = xrealloc(k->text, k->textcap);
    }
    char *key = k->text + k->textlen;
    text_copy_bytes(key, l1->norm, n1);
    key[n1] = '\x1f';
    text_copy_bytes(key + n1 + 1, l2->norm, n2);
    key[n1 + 1 + n2] = '\x1f';
    text_copy_bytes(key + n1 + n2 + 2, name->norm, n3);
    /* Hashed from the three labels' hashes, made once per label (issue 16:
     * the key's bytes hashed every row), unless a label holds the separator:
     * then two keys of the same bytes may be cut differently, and the bytes
     * are hashed.  Either way equal bytes give an equal hash. */
    uint64_t h;
    if (l1->unit_sep || l2->unit_sep || name->unit_sep) {
        h = label_hash(0, key, len);
    } else {
        const uint64_t m = 0x9E3779B97F4A7C15ull;
        h = (l1->normhash * m) ^ l2->normhash;
        h = (h * m) ^ (h >> 29) ^ name->normhash;
        h *= m;
        h ^= h >> 32;
    }
    if (2 * (k->n + 1) > k->nslots)
        keys_grow(k);
    size_t i = h & (k->nslots - 1);
    for (uint32_t e; (e = k->slots[i]) != 0; i = (i + 1) & (k->nslots - 1)) {
        RowKey *old = &k->keys[e - 1];
        if (old->hash == h && old->len == len && memcmp(k->text + old->off, key, len) == 0) {
            *added = false;
            return &old->line;
        }
    }
    if (k->n == k->keycap) {
        k->keycap = k->keycap ? 2 * k->keycap : 64;
        k->keys = xrealloc(k->keys, k->keycap * sizeof *k->keys);
    }
    k->keys[k->n] = (RowKey){h, k->textlen, len, line};
    k->slots[i] = (uint32_t)++k->n;
    k->textlen += len;
    *added = true;
    return &k->keys[k->n - 1].line;
}

/* Label k (0: level1, 1: level2) of a row, shared with the previous row
 * when it is written the same, else interned. */
static inline const Label *row_label(Loader *L, const RowIn *in, int k)
{
    int c = k ? C_LEVEL2 : C_LEVEL1;
    const char *s = in->cell[c] ? in->cell[c] : "";
    size_t n = in->cell[c] ? in->len[c] : 0;
    Label *lb = &L->label[k];
    if (lb->raw && lb->len == n && text_same_bytes(lb->raw, s, n))
        return lb;
    *lb = *label_intern(L, k ? LABEL_LEVEL2 : LABEL_LEVEL1, s, n);
    return lb;
}

/* A row's reason, trimmed: the last row's when written the same (issue 16:
 * most rows' reasons are empty or 无, as the row before), else interned. */
static inline const char *row_reason(Loader *L, const char *s, size_t n)
{
    Label *lb = &L->reason;
    if (!(lb->raw && lb->len == n && text_same_bytes(lb->raw, s, n)))
        *lb = *label_intern(L, LABEL_TRIMMED, s, n);
    return lb->norm;
}

/* Is the rest of the row empty (a spacer row carrying only level labels)? */
static bool row_is_spacer(const RowIn *in)
{
    for (int c = C_INDICATOR; c <= C_REPORTED; c++)
        if (in->cell[c] && !loader_is_blank(in->cell[c], in->len[c]))
            return false;
    return true;
}

CellAt loader_row_cell_at(const RowIn *in, int c)
{
    if (in->json_row >= 0)
        return (CellAt){in->line, 0, NULL, loader_long_header[c], in->json_row, NULL};
    if (in->where[c])
        return (CellAt){in->line, 0, in->column[c], NULL, -1, in->where[c]};
    return (CellAt){in->line, in->field[c] ? in->field[c] : c + 1, in->column[c], NULL, -1, NULL};
}

static const char *cell_text(const RowIn *in, int c, size_t *n)
{
    *n = in->cell[c] ? in->len[c] : 0;
    return in->cell[c] ? in->cell[c] : "";
}

/* A cell's raw text copied into the chunk's arena, as arena_strndup copies
 * it (to a NUL byte, if any); *whole when the copy holds all n bytes. */
static const char *raw_copy(Loader *L, const char *s, size_t n, bool *whole)
{
    size_t len = strnlen(s, n);
    char *p = arena_alloc_raw(loader_arena(L), len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    *whole = len == n;
    return p;
}

/* n bytes for a row's raw cells: carved from RAW_ROOM bytes of the chunk's
 * arena taken at once (issue 16: an arena call a row), or their own when
 * large.  The room goes with the chunk (loader_flush). */
#define RAW_ROOM 16384
static __attribute__((noinline)) char *raw_room_more(Loader *L, size_t n)
{
    if (n > RAW_ROOM / 8)
        return arena_alloc_raw(loader_arena(L), n);
    L->raw_at = arena_alloc_raw(loader_arena(L), RAW_ROOM);
    L->raw_end = L->raw_at + RAW_ROOM;
    char *p = L->raw_at;
    L->raw_at += n;
    return p;
}

static inline char *raw_room(Loader *L, size_t n)
{
    if ((size_t)(L->raw_end - L->raw_at) < n)
        return raw_room_more(L, n);
    char *p = L->raw_at;
    L->raw_at += n;
    return p;
}

/* The raw texts of the target and the actual, as raw_copy copies each.
 * When they lie side by side with one byte between them (a CSV record's
 * fields in the window) and hold no NUL byte, both are copied in one piece
 * and that byte becomes the first one's NUL (issue 16: two allocations,
 * copies and NUL scans a row). */
static void raw_copies(Loader *L, const char *t, size_t tn, const char *a, size_t an,
                       bool no_nul, const char **tcopy, bool *twhole, const char **acopy,
                       bool *awhole)
{
    size_t span = tn + 1 + an;
    if (a == t + tn + 1 && (no_nul || !memchr(t, '\0', span))) {
        char *p = raw_room(L, span + 1);
        text_copy_bytes(p, t, span);
        p[tn] = p[span] = '\0';
        *tcopy = p, *twhole = true;
        *acopy = p + tn + 1, *awhole = true;
        return;
    }
    *tcopy = raw_copy(L, t, tn, twhole);
    *acopy = raw_copy(L, a, an, awhole);
}

void loader_table_row(Loader *L, size_t idx, const RowIn *in)
{
    bool kept;
    /* every field is set below before the row is kept (issue 16: the
     * whole row cleared first, 248 bytes a row) */
    TableRow row;
    row.where = NULL;
    row.read = 0;
    row.pos = (DataPos){L->file, in->line, NULL, in->row_where};
    /* any cell placed (a form's)?  One test of the places or'ed, no branch
     * per cell (issue 16: a CSV row has none) */
    _Static_assert(C_COUNT == 9, "a row's places or'ed below");
    const char *const *wh = in->where;
    if (!in->csv_text && ((uintptr_t)wh[0] | (uintptr_t)wh[1] | (uintptr_t)wh[2] | (uintptr_t)wh[3] |
        (uintptr_t)wh[4] | (uintptr_t)wh[5] | (uintptr_t)wh[6] | (uintptr_t)wh[7] |
        (uintptr_t)wh[8])) {
        const char **w = arena_alloc(loader_arena(L), C_COUNT * sizeof *w);
        memcpy(w, in->where, C_COUNT * sizeof *w);
        row.where = w;
    }
    const Label *l1 = row_label(L, in, 0), *l2 = row_label(L, in, 1);
    row.level1_raw = l1->raw;
    row.level1 = l1->norm;
    row.level1_stated_weight = l1->weight;
    row.level2_raw = l2->raw;
    row.level2 = l2->norm;
    Meta *m = idx < L->metacap ? &L->meta[idx] : loader_meta(L, idx);
    int line = in->line;
    CellAt at;
    const char *s;
    size_t n;

    /* told when the label was made (issue 16: two strcmp calls a row) */
    if (l1->special == LABEL_TOTAL) {
        TlValue max, total;
        s = cell_text(in, C_WEIGHT, &n), at = loader_row_cell_at(in, C_WEIGHT);
        loader_parse_points(L, idx, s, n, &at, N_("stated maximum (weight)"), "总分", false, &max);
        s = cell_text(in, C_REPORTED, &n), at = loader_row_cell_at(in, C_REPORTED);
        loader_parse_points(L, idx, s, n, &at, N_("stated total (reported)"), "总分", false, &total);
        if (m->total_line) {
            at = loader_row_cell_at(in, C_LEVEL1);
            loader_cell_error(L, idx, &at, _("stated total given twice (first at line %d)"),
                              m->total_line);
            return;
        }
        m->total_line = line;
        loader_report(L, idx)->stated_max = max;
        loader_report(L, idx)->stated_total = total;
        loader_report(L, idx)->total_pos = (DataPos){L->file, line, NULL, in->where[C_REPORTED]};
        return;
    }
    if (l1->special == LABEL_GRADE) {
        if (m->grade_line) {
            at = loader_row_cell_at(in, C_LEVEL1);
            loader_cell_error(L, idx, &at, _("stated grade given twice (first at line %d)"),
                              m->grade_line);
            return;
        }
        m->grade_line = line;
        loader_report(L, idx)->grade_pos = (DataPos){L->file, line, NULL, in->where[C_ACTUAL]};
        s = cell_text(in, C_ACTUAL, &n);
        s = text_trim(s, &n);
        loader_report(L, idx)->stated_grade = n ? arena_strndup(loader_arena(L), s, n) : NULL;
        return;
    }
    if (row_is_spacer(in))
        return;

    s = cell_text(in, C_INDICATOR, &n);
    const Label *name = label_intern(L, LABEL_TRIMMED, s, n);
    row.name = name->norm;
    if (!*row.name) {
        at = loader_row_cell_at(in, C_INDICATOR);
        loader_cell_error(L, idx, &at, _("indicator name is empty"));
        return;
    }
    /* the raw texts are kept with the report: the values' units and texts
     * point into them (loader_parse_kept) */
    size_t an;
    const char *as = cell_text(in, C_ACTUAL, &an);
    bool akept;
    s = cell_text(in, C_TARGET, &n);
    raw_copies(L, s, n, as, an, in->csv_text, &row.target_raw, &kept, &row.actual_raw, &akept);
    parse_cell(L, idx, kept ? row.target_raw : s, n, kept, NULL, in, C_TARGET, row.name,
               &row.target);
    parse_cell(L, idx, akept ? row.actual_raw : as, an, akept, NULL, in, C_ACTUAL, row.name,
               &row.actual);
    /* An actual with a sign only restates a threshold: a bound (VAL_BOUND),
     * which the scoring built-ins judge and formulas may not use as a result. */
    if (row.actual.kind == TL_NUM && (row.actual.qual == QUAL_GE || row.actual.qual == QUAL_GT ||
                                      row.actual.qual == QUAL_LE || row.actual.qual == QUAL_LT))
        row.actual.flags |= VAL_BOUND;
    /* points: a plain decimal read here, the rest by parse_points */
    TlDec d;
    s = cell_text(in, C_WEIGHT, &n);
    if (cell_plain_decimal(s, n, &d))
        row.weight = val_num(d);
    else if (!parse_points(L, idx, s, n, NULL, in, C_WEIGHT, N_("weight"), row.name, true,
                           &row.weight))
        row.read |= READ_BAD_WEIGHT;
    s = cell_text(in, C_REPORTED, &n);
    if (cell_plain_decimal(s, n, &d))
        row.reported = val_num(d);
    else if (!parse_points(L, idx, s, n, NULL, in, C_REPORTED, N_("reported score"), row.name,
                           false, &row.reported))
        row.read |= READ_BAD_REPORTED;
    /* the key before the reason is interned: `name` is a slot of the
     * interned labels, which the reason's making may empty (label_add) */
    bool added;
    size_t *first = add_key(&L->seen, l1, l2, name, (size_t)line, &added);
    if (!added) {
        at = loader_row_cell_at(in, C_INDICATOR);
        loader_cell_error(L, idx, &at, _("duplicate indicator '%s' in %s/%s (first at line %zu)"),
                          row.name, row.level1, *row.level2 ? row.level2 : "-", *first);
        return;
    }
    row.reason = in->cell[C_REASON] ? row_reason(L, in->cell[C_REASON], in->len[C_REASON]) : NULL;
    L->meta[idx].bare |= bare_number(&row.target) || bare_number(&row.actual);
    push_row(L, idx, &row);
}

void loader_figure(Loader *L, size_t idx, const char *name, const char *text, size_t len,
                   const char *where)
{
    if (loader_is_year_column(name)) {
        /* The report's year, as a form shows it ("2024", "2024年度", "（2024年度）"):
         * the first four digits that stand alone, and what follows them. */
        size_t at = 0, digits = 0;
        for (size_t i = 0; i < len && digits != 4; i++) {
            if (text[i] >= '0' && text[i] <= '9') {
                if (!digits)
                    at = i;
                digits++;
            } else {
                digits = digits == 4 ? 4 : 0;
            }
        }
        size_t end = at + digits;
        if (digits == 4 && (end == len || text[end] < '0' || text[end] > '9')) {
            if (len - end >= 6 && memcmp(text + end, "年度", 6) == 0)
                end += 6;
            else if (len - end >= 3 && memcmp(text + end, "年", 3) == 0)
                end += 3;
            text += at;
            len = end - at;
        }
        CellAt yat = {0, 0, name, NULL, -1, where};
        loader_year(L, idx, text, len, &yat);
        return;
    }
    Report *r = loader_report(L, idx);
    Figure *figs = arena_alloc(loader_arena(L), (r->nfigures + 1) * sizeof *figs);
    if (r->nfigures)
        memcpy(figs, r->figures, r->nfigures * sizeof *figs);
    Figure *f = &figs[r->nfigures];
    *f = (Figure){0};
    f->name = arena_strdup(loader_arena(L), name);
    f->raw = loader_trimmed(L, text, len);
    f->pos = (DataPos){L->file, 0, f->name, where};
    CellAt at = {0, 0, f->name, NULL, -1, where};
    loader_parse_kept(L, idx, f->raw, strlen(f->raw), &at, f->name, &f->value);
    r->figures = figs;
    r->nfigures++;
}
