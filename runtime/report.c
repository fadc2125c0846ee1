/* report.c - loading report data: wide CSV, long CSV (indicator tables) and
 * JSON, after any conversion to UTF-8.  docs/data.md describes the formats
 * and every message produced here. */
#include "report.h"

#include <errno.h>
#include <iconv.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "csv.h"
#include "text.h"

/* Largest data file read into memory.  Bigger inputs are refused with a
 * message rather than risking the machine's memory. */
#define DATA_MAX_FILE ((size_t)1 << 30)

/* Longest cell text quoted inside a message. */
#define QUOTE_MAX 60

/* String map: key -> size_t, keys copied -------------------------------- */

typedef struct StrMap {
    char **keys;
    size_t *vals;
    size_t cap, len;
} StrMap;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static size_t *strmap_find(const StrMap *m, const char *key)
{
    if (!m->cap)
        return NULL;
    for (size_t i = hash_str(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->keys[i])
            return NULL;
        if (strcmp(m->keys[i], key) == 0)
            return &m->vals[i];
    }
}

static void strmap_free(StrMap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* Insert or overwrite. */
static void strmap_put(StrMap *m, const char *key, size_t val)
{
    size_t *v = strmap_find(m, key);
    if (v) {
        *v = val;
        return;
    }
    if (2 * (m->len + 1) > m->cap) {
        StrMap big = {0};
        big.cap = m->cap ? m->cap * 2 : 16;
        big.keys = xcalloc(big.cap, sizeof *big.keys);
        big.vals = xcalloc(big.cap, sizeof *big.vals);
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->keys[i])
                continue;
            size_t j = hash_str(m->keys[i]) & (big.cap - 1);
            while (big.keys[j])
                j = (j + 1) & (big.cap - 1);
            big.keys[j] = m->keys[i];
            big.vals[j] = m->vals[i];
        }
        big.len = m->len;
        free(m->keys);
        free(m->vals);
        *m = big;
    }
    size_t i = hash_str(key) & (m->cap - 1);
    while (m->keys[i])
        i = (i + 1) & (m->cap - 1);
    m->keys[i] = xstrdup(key);
    m->vals[i] = val;
    m->len++;
}

/* Empty the map; a large table is released so frequent clears stay cheap. */
static void strmap_clear(StrMap *m)
{
    if (m->cap > 64) {
        strmap_free(m);
        return;
    }
    for (size_t i = 0; i < m->cap; i++) {
        free(m->keys[i]);
        m->keys[i] = NULL;
    }
    m->len = 0;
}

/* The loader --------------------------------------------------------------- */

/* What one load learns about each report it touches, by report index. */
typedef struct Meta {
    int line;          /* where the report starts in this file */
    int total_line;    /* 总分 row or stated_total in this file, 0 if none */
    int grade_line;
    bool table;        /* its table comes from this file */
    bool placeholder;  /* listed as "line N": no usable id */
} Meta;

/* A level label as written and as normalised; consecutive rows mostly
 * repeat their labels, so they share one copy. */
typedef struct Label {
    const char *raw, *norm;
    int weight;
} Label;

typedef struct Loader {
    ReportSet *set;
    DiagList *diags;
    const char *file;   /* name for positions, in the set's arena */
    size_t first;       /* set->len before this load */
    StrMap set_ids;     /* id -> first report with it, loaded before this file */
    StrMap file_ids;    /* id -> report it names in this file */
    StrMap seen;        /* indicator key -> line, within the current report */
    Meta *meta;
    size_t metacap;
    size_t block;       /* report whose rows are pending */
    TableRow *rows;     /* rows read for it since its last flush */
    size_t nrows, rowcap;
    Label label[2];     /* last level1 and level2 labels */
    char *key;          /* scratch for indicator keys */
    size_t keycap;
} Loader;

/* Fields of an indicator row, whether from long CSV or JSON. */
enum { C_REPORT, C_LEVEL1, C_LEVEL2, C_INDICATOR, C_TARGET, C_ACTUAL, C_WEIGHT, C_REPORTED,
       C_REASON, C_COUNT };

static const char *const long_header[C_COUNT] = {
    "report", "level1", "level2", "indicator", "target", "actual", "weight", "reported", "reason",
};
static const char *const long_header_zh[C_COUNT] = {
    "报告", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因",
};

typedef struct RowIn {
    const char *cell[C_COUNT];    /* NULL when absent (no reason column, JSON key left out) */
    size_t len[C_COUNT];
    const char *column[C_COUNT];  /* CSV header names */
    int line;
    long json_row;                /* index in the JSON table, -1 for CSV */
} RowIn;

static Arena *arena_of(Loader *L) { return &L->set->arena; }

static Meta *meta_of(Loader *L, size_t idx)
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

static Report *report_at(Loader *L, size_t idx) { return &L->set->reports[idx]; }

static char *vformat(Arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *s = arena_alloc(a, (size_t)(n < 0 ? 0 : n) + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

/* Mark a report as not fully read; the first error is the one kept. */
static void __attribute__((format(printf, 3, 4)))
set_error(Loader *L, size_t idx, const char *fmt, ...)
{
    if (report_at(L, idx)->error)
        return;
    va_list ap;
    va_start(ap, fmt);
    report_at(L, idx)->error = vformat(arena_of(L), fmt, ap);
    va_end(ap);
}

static void __attribute__((format(printf, 6, 0)))
report_verror(Loader *L, size_t idx, int line, int col, const char *column, const char *fmt,
              va_list ap)
{
    char *msg = vformat(arena_of(L), fmt, ap);
    diag_data(L->diags, DIAG_ERROR, L->file, line, col, column, "%s", msg);
    if (!report_at(L, idx)->error)
        report_at(L, idx)->error = msg;
}

/* An error confined to one report: a diagnostic at the data position and,
 * if the report has none yet, its error. */
static void __attribute__((format(printf, 6, 7)))
report_error(Loader *L, size_t idx, int line, int col, const char *column, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_verror(L, idx, line, col, column, fmt, ap);
    va_end(ap);
}

/* Where a cell is, for messages.  A JSON cell's column name ("table[2].weight",
 * "figures.x") is built only when a message needs it. */
typedef struct CellAt {
    int line, field;      /* field: 1-based CSV field number, 0 for JSON */
    const char *column;   /* CSV header name or JSON key, used as is when key is NULL */
    const char *key;      /* JSON: key inside a table row or the figures object */
    long row;             /* JSON: index of the table row, -1 for a figure */
} CellAt;

static const char *cell_column(Loader *L, const CellAt *at)
{
    if (!at->key)
        return at->column;
    if (at->row >= 0)
        return arena_printf(arena_of(L), "table[%ld].%s", at->row, at->key);
    return arena_printf(arena_of(L), "figures.%s", at->key);
}

static void __attribute__((format(printf, 4, 5)))
cell_error(Loader *L, size_t idx, const CellAt *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_verror(L, idx, at->line, at->field, cell_column(L, at), fmt, ap);
    va_end(ap);
}

/* Cell text for a message: at most QUOTE_MAX bytes, cut at a character
 * boundary, with "..." when cut. */
static const char *quote_cell(Loader *L, const char *s, size_t n)
{
    if (n <= QUOTE_MAX)
        return arena_strndup(arena_of(L), s, n);
    size_t cut = QUOTE_MAX;
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    return arena_printf(arena_of(L), "%.*s...", (int)cut, s);
}

static const char *trimmed(Loader *L, const char *s, size_t n)
{
    const char *t = text_trim(s, &n);
    return arena_strndup(arena_of(L), t, n);
}

static bool is_blank(const char *s, size_t n)
{
    text_trim(s, &n);
    return n == 0;
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
    *meta_of(L, s->len) = (Meta){.line = line};
    return s->len++;
}

/* A report with no usable id, listed as "line N" so it is not lost. */
static size_t placeholder(Loader *L, int line)
{
    char id[32];
    snprintf(id, sizeof id, "line %d", line);
    size_t idx = report_new(L, id, line);
    meta_of(L, idx)->placeholder = true;
    return idx;
}

/* The report an id names in this file: a new report, or a report from an
 * earlier file that lacks the part this file supplies (figures or table), so
 * a wide file and a long file can describe the same reports.  A second use
 * of an id gives a new report marked as a duplicate. */
static size_t claim(Loader *L, const char *id, int line, int col, const char *column,
                    bool figures, bool table)
{
    size_t idx, *mine = strmap_find(&L->file_ids, id);
    if (mine) {
        int first = meta_of(L, *mine)->line;
        idx = report_new(L, id, line);
        diag_data(L->diags, DIAG_ERROR, L->file, line, col, column,
                  "duplicate report id '%s' (first at line %d)", id, first);
        set_error(L, idx, "duplicate report id (first at line %d)", first);
        return idx;
    }
    size_t *prev = strmap_find(&L->set_ids, id);
    if (prev) {
        const Report *p = report_at(L, *prev);
        if ((figures && p->nfigures > 0) || (table && p->has_table)) {
            const char *pfile = p->pos.file;
            int pline = p->pos.line;
            idx = report_new(L, id, line);
            diag_data(L->diags, DIAG_ERROR, L->file, line, col, column,
                      "duplicate report id '%s' (first in %s at line %d)", id, pfile, pline);
            set_error(L, idx, "duplicate report id (first in %s at line %d)", pfile, pline);
        } else {
            idx = *prev;
            meta_of(L, idx)->line = line;
        }
    } else {
        idx = report_new(L, id, line);
    }
    strmap_put(&L->file_ids, id, idx);
    return idx;
}

/* Append the pending rows to their report's table. */
static void flush_rows(Loader *L)
{
    if (!L->nrows)
        return;
    Report *r = report_at(L, L->block);
    TableRow *rows = arena_alloc(arena_of(L), (r->nrows + L->nrows) * sizeof *rows);
    if (r->nrows)
        memcpy(rows, r->rows, r->nrows * sizeof *rows);
    memcpy(rows + r->nrows, L->rows, L->nrows * sizeof *rows);
    r->rows = rows;
    r->nrows += L->nrows;
    L->nrows = 0;
}

/* Rows arrive in blocks per report (a report's rows are contiguous except
 * in the error case), so a block is flushed when the report changes. */
static void push_row(Loader *L, size_t idx, const TableRow *row)
{
    if (idx != L->block)
        flush_rows(L);
    L->block = idx;
    if (L->nrows == L->rowcap) {
        L->rowcap = L->rowcap ? L->rowcap * 2 : 64;
        L->rows = xrealloc(L->rows, L->rowcap * sizeof *L->rows);
    }
    L->rows[L->nrows++] = *row;
}

/* Flush the last rows and warn about tables with no stated total. */
static void loader_finish(Loader *L)
{
    flush_rows(L);
    for (size_t i = 0; i < L->set->len && i < L->metacap; i++) {
        const Meta *m = &L->meta[i];
        if (m->table && !m->placeholder && !m->total_line)
            diag_data(L->diags, DIAG_WARNING, L->file, m->line, 0, NULL,
                      "report %s has no 总分 row: stated total unknown", L->set->reports[i].id);
    }
}

static void loader_init(Loader *L, ReportSet *set, DiagList *diags, const char *file)
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

static void loader_free(Loader *L)
{
    strmap_free(&L->set_ids);
    strmap_free(&L->file_ids);
    strmap_free(&L->seen);
    free(L->meta);
    free(L->rows);
    free(L->key);
}

/* Cells and table rows ------------------------------------------------------ */

/* Parse a cell into *out; a number too large to hold is an error of the report. */
static void parse_cell(Loader *L, size_t idx, const char *s, size_t n, const CellAt *at,
                       TlValue *out)
{
    const char *err = NULL;
    if (!cell_parse(arena_of(L), s, n, out, &err))
        cell_error(L, idx, at, "%s: '%s'", err ? err : "number too large", quote_cell(L, s, n));
}

/* Points (a weight, a self-awarded score, a stated total): a plain number,
 * also written "5分"; missing is an error only when `required`. */
static void parse_points(Loader *L, size_t idx, const char *s, size_t n, const CellAt *at,
                         const char *what, bool required, TlValue *out)
{
    const char *err = NULL;
    *out = val_missing();
    if (!cell_parse(arena_of(L), s, n, out, &err)) {
        cell_error(L, idx, at, "%s: %s: '%s'", what, err ? err : "number too large",
                   quote_cell(L, s, n));
        *out = val_missing();
        return;
    }
    if (out->kind == TL_MISSING) {
        if (required)
            cell_error(L, idx, at, "%s is missing", what);
        return;
    }
    if (out->kind == TL_NUM && out->numkind == NUM_QUANTITY && out->mag == 0 && out->unit &&
        strcmp(out->unit, "分") == 0) {
        out->numkind = NUM_PLAIN;
        out->unit = NULL;
    }
    if (out->kind != TL_NUM || out->numkind != NUM_PLAIN || out->qual != QUAL_NONE ||
        out->flags != 0) {
        cell_error(L, idx, at, "%s is not a number: '%s'", what, quote_cell(L, s, n));
        *out = val_missing();
    }
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
    if (open != SIZE_MAX && open > 0) {
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
    const char *out = arena_strndup(arena_of(L), t, len);
    free(t);
    return out;
}

/* Label k (0: level1, 1: level2) of a row, shared with the previous row
 * when it is written the same. */
static const Label *row_label(Loader *L, const RowIn *in, int k)
{
    int c = k ? C_LEVEL2 : C_LEVEL1;
    const char *s = in->cell[c] ? in->cell[c] : "";
    size_t n = in->cell[c] ? in->len[c] : 0;
    Label *lb = &L->label[k];
    if (lb->raw && strlen(lb->raw) == n && memcmp(lb->raw, s, n) == 0)
        return lb;
    lb->raw = arena_strndup(arena_of(L), s, n);
    lb->norm = level_normalise(L, s, n, &lb->weight);
    if (k)
        lb->weight = -1;
    return lb;
}

/* Is the rest of the row empty (a spacer row carrying only level labels)? */
static bool row_is_spacer(const RowIn *in)
{
    for (int c = C_INDICATOR; c <= C_REPORTED; c++)
        if (in->cell[c] && !is_blank(in->cell[c], in->len[c]))
            return false;
    return true;
}

static CellAt row_cell_at(const RowIn *in, int c)
{
    if (in->json_row >= 0)
        return (CellAt){in->line, 0, NULL, long_header[c], in->json_row};
    return (CellAt){in->line, c + 1, in->column[c], NULL, -1};
}

static const char *cell_text(const RowIn *in, int c, size_t *n)
{
    *n = in->cell[c] ? in->len[c] : 0;
    return in->cell[c] ? in->cell[c] : "";
}

/* Add one indicator row to report idx, applying the conventions for the 总分
 * and 自评结论 rows (SPEC §4). */
static void table_row(Loader *L, size_t idx, const RowIn *in)
{
    TableRow row;
    memset(&row, 0, sizeof row);
    row.pos = (DataPos){L->file, in->line, NULL};
    const Label *l1 = row_label(L, in, 0), *l2 = row_label(L, in, 1);
    row.level1_raw = l1->raw;
    row.level1 = l1->norm;
    row.level1_stated_weight = l1->weight;
    row.level2_raw = l2->raw;
    row.level2 = l2->norm;
    Meta *m = meta_of(L, idx);
    int line = in->line;
    CellAt at;
    const char *s;
    size_t n;

    if (strcmp(row.level1, "总分") == 0) {
        TlValue max, total;
        s = cell_text(in, C_WEIGHT, &n), at = row_cell_at(in, C_WEIGHT);
        parse_points(L, idx, s, n, &at, "stated maximum (weight)", false, &max);
        s = cell_text(in, C_REPORTED, &n), at = row_cell_at(in, C_REPORTED);
        parse_points(L, idx, s, n, &at, "stated total (reported)", false, &total);
        if (m->total_line) {
            at = row_cell_at(in, C_LEVEL1);
            cell_error(L, idx, &at, "stated total given twice (first at line %d)", m->total_line);
            return;
        }
        m->total_line = line;
        report_at(L, idx)->stated_max = max;
        report_at(L, idx)->stated_total = total;
        return;
    }
    if (strcmp(row.level1, "自评结论") == 0) {
        if (m->grade_line) {
            at = row_cell_at(in, C_LEVEL1);
            cell_error(L, idx, &at, "stated grade given twice (first at line %d)", m->grade_line);
            return;
        }
        m->grade_line = line;
        s = cell_text(in, C_ACTUAL, &n);
        s = text_trim(s, &n);
        report_at(L, idx)->stated_grade = n ? arena_strndup(arena_of(L), s, n) : NULL;
        return;
    }
    if (row_is_spacer(in))
        return;

    s = cell_text(in, C_INDICATOR, &n);
    row.name = trimmed(L, s, n);
    if (!*row.name) {
        at = row_cell_at(in, C_INDICATOR);
        cell_error(L, idx, &at, "indicator name is empty");
        return;
    }
    s = cell_text(in, C_TARGET, &n), at = row_cell_at(in, C_TARGET);
    row.target_raw = arena_strndup(arena_of(L), s, n);
    parse_cell(L, idx, s, n, &at, &row.target);
    s = cell_text(in, C_ACTUAL, &n), at = row_cell_at(in, C_ACTUAL);
    row.actual_raw = arena_strndup(arena_of(L), s, n);
    parse_cell(L, idx, s, n, &at, &row.actual);
    s = cell_text(in, C_WEIGHT, &n), at = row_cell_at(in, C_WEIGHT);
    parse_points(L, idx, s, n, &at, "weight", true, &row.weight);
    s = cell_text(in, C_REPORTED, &n), at = row_cell_at(in, C_REPORTED);
    parse_points(L, idx, s, n, &at, "reported score", false, &row.reported);
    row.reason = in->cell[C_REASON] ? trimmed(L, in->cell[C_REASON], in->len[C_REASON]) : NULL;

    size_t n1 = strlen(row.level1), n2 = strlen(row.level2), n3 = strlen(row.name);
    if (L->keycap < n1 + n2 + n3 + 3) {
        L->keycap = 2 * (n1 + n2 + n3 + 3);
        L->key = xrealloc(L->key, L->keycap);
    }
    char *key = L->key;
    memcpy(key, row.level1, n1);
    key[n1] = '\x1f';
    memcpy(key + n1 + 1, row.level2, n2);
    key[n1 + 1 + n2] = '\x1f';
    memcpy(key + n1 + n2 + 2, row.name, n3 + 1);
    size_t *first = strmap_find(&L->seen, key);
    if (first) {
        at = row_cell_at(in, C_INDICATOR);
        cell_error(L, idx, &at, "duplicate indicator '%s' in %s/%s (first at line %zu)", row.name,
                   row.level1, *row.level2 ? row.level2 : "-", *first);
        return;
    }
    strmap_put(&L->seen, key, (size_t)line);
    push_row(L, idx, &row);
}

/* CSV ----------------------------------------------------------------------- */

/* A malformed CSV record: a diagnostic at the fault. */
static void csv_fault(Loader *L, const CsvReader *cr, const char *const *names, size_t ncol)
{
    size_t f = (size_t)cr->error_field;
    diag_data(L->diags, DIAG_ERROR, L->file, cr->error_line, cr->error_field,
              names && f >= 1 && f <= ncol && *names[f - 1] ? names[f - 1] : NULL,
              "%s at character %d", cr->error, cr->error_col);
}

static bool record_blank(const CsvRecord *rec)
{
    for (size_t i = 0; i < rec->nfields; i++)
        if (!is_blank(rec->fields[i].text, rec->fields[i].len))
            return false;
    return true;
}

/* Header names, trimmed, into the arena. */
static const char **header_names(Loader *L, const CsvRecord *hdr)
{
    const char **names = arena_alloc(arena_of(L), (hdr->nfields + 1) * sizeof *names);
    for (size_t i = 0; i < hdr->nfields; i++)
        names[i] = trimmed(L, hdr->fields[i].text, hdr->fields[i].len);
    return names;
}

/* 1: the long header (sets *has_reason), 0: not it, -1: the long header
 * followed by something other than a reason column (error reported). */
static int header_is_long(Loader *L, const char **names, size_t n, int line, bool *has_reason)
{
    const char *const *h = strcmp(names[0], long_header_zh[0]) == 0 ? long_header_zh
                                                                    : long_header;
    if (n < C_REASON)
        return 0;
    for (int c = 0; c < C_REASON; c++)
        if (strcmp(names[c], h[c]) != 0)
            return 0;
    *has_reason = false;
    if (n == C_REASON)
        return 1;
    bool reason = strcmp(names[C_REASON], h[C_REASON]) == 0 ||
                  (h == long_header_zh && strcmp(names[C_REASON], "偏差原因分析及改进措施") == 0);
    if (n == C_COUNT && reason) {
        *has_reason = true;
        return 1;
    }
    int bad = reason ? C_COUNT : C_REASON;
    diag_data(L->diags, DIAG_ERROR, L->file, line, bad + 1, names[bad],
              "unexpected column after '%s': a long CSV may only add '%s'", h[C_REPORTED],
              h[C_REASON]);
    return -1;
}

static bool load_wide(Loader *L, CsvReader *cr, const CsvRecord *hdr)
{
    size_t ncol = hdr->nfields, idcol = SIZE_MAX, nfig = 0;
    const char **names = header_names(L, hdr);
    StrMap cols = {0};
    for (size_t i = 0; i < ncol; i++) {
        if (!*names[i])
            continue;
        size_t *dup = strmap_find(&cols, names[i]);
        if (dup) {
            diag_data(L->diags, DIAG_ERROR, L->file, hdr->line, (int)i + 1, names[i],
                      "duplicate column name '%s' (columns %zu and %zu)", names[i], *dup + 1,
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
                            "no 'report' column");
        diag_set_hint(d, "a wide CSV names its reports in a column 'report' (or '单位名称'); "
                         "a long CSV has the header %s,%s,%s,%s,%s,%s,%s,%s",
                      long_header[0], long_header[1], long_header[2], long_header[3],
                      long_header[4], long_header[5], long_header[6], long_header[7]);
        return false;
    }
    for (size_t i = 0; i < ncol; i++)
        nfig += i != idcol && *names[i];

    CsvRecord rec;
    int rc;
    while ((rc = csv_next(cr, &rec)) != CSV_EOF) {
        if (rc == CSV_ERROR) {
            csv_fault(L, cr, names, ncol);
            size_t idx;
            if (idcol < rec.nfields && !is_blank(rec.fields[idcol].text, rec.fields[idcol].len))
                idx = claim(L, trimmed(L, rec.fields[idcol].text, rec.fields[idcol].len),
                            rec.line, (int)idcol + 1, names[idcol], true, false);
            else
                idx = placeholder(L, rec.line);
            set_error(L, idx, "malformed CSV record at line %d: %s", cr->error_line, cr->error);
            continue;
        }
        if (record_blank(&rec))
            continue;
        size_t idx;
        const char *id = idcol < rec.nfields
                             ? trimmed(L, rec.fields[idcol].text, rec.fields[idcol].len) : "";
        if (*id) {
            idx = claim(L, id, rec.line, (int)idcol + 1, names[idcol], true, false);
        } else {
            idx = placeholder(L, rec.line);
            report_error(L, idx, rec.line, (int)idcol + 1, names[idcol], "empty report id");
        }
        Figure *figs = arena_alloc(arena_of(L), (nfig ? nfig : 1) * sizeof *figs);
        size_t k = 0;
        for (size_t i = 0; i < ncol; i++) {
            const char *text = i < rec.nfields ? rec.fields[i].text : "";
            size_t len = i < rec.nfields ? rec.fields[i].len : 0;
            if (i == idcol)
                continue;
            if (!*names[i]) {
                if (!is_blank(text, len))
                    report_error(L, idx, rec.line, (int)i + 1, NULL,
                                 "value in column %zu, which has no name in the header", i + 1);
                continue;
            }
            Figure *f = &figs[k++];
            f->name = names[i];
            f->raw = arena_strndup(arena_of(L), text, len);
            f->pos = (DataPos){L->file, rec.line, names[i]};
            CellAt at = {rec.line, (int)i + 1, names[i], NULL, -1};
            parse_cell(L, idx, f->raw, len, &at, &f->value);
        }
        Report *r = report_at(L, idx);
        r->figures = figs;
        r->nfigures = nfig;
        if (rec.nfields != ncol)
            report_error(L, idx, rec.line, 0, NULL, "row has %zu fields, header has %zu",
                         rec.nfields, ncol);
    }
    return true;
}

/* Where the long reader is: the report whose rows it is reading. */
typedef struct LongState {
    bool have, empty;     /* a current report; it is a run of empty ids */
    size_t cur;
    int cur_line;
    const char *cur_id;
    const char *id_column;
} LongState;

/* The report a long-CSV row belongs to.  A report's rows must be contiguous:
 * rows that come back after another report started are attached to the
 * first block and the report is marked. */
static size_t long_report(Loader *L, LongState *st, const char *text, size_t len, int line)
{
    const char *t = text_trim(text, &len);
    bool empty = len == 0;
    if (st->have && (empty ? st->empty
                           : !st->empty && strncmp(st->cur_id, t, len) == 0 && !st->cur_id[len]))
        return st->cur;
    const char *id = arena_strndup(arena_of(L), t, len);
    strmap_clear(&L->seen);
    size_t idx, *prev = empty ? NULL : strmap_find(&L->file_ids, id);
    if (empty) {
        idx = placeholder(L, line);
        report_error(L, idx, line, 1, st->id_column, "empty report id");
    } else if (prev && *prev != st->cur) {
        idx = *prev;
        report_error(L, idx, line, 1, st->id_column,
                     "rows of report %s resume at line %d after report %s started at line %d",
                     id, line, st->cur_id, st->cur_line);
    } else {
        idx = claim(L, id, line, 1, st->id_column, false, true);
    }
    report_at(L, idx)->has_table = true;
    meta_of(L, idx)->table = true;
    st->have = true;
    st->empty = empty;
    st->cur = idx;
    st->cur_line = line;
    st->cur_id = id;
    return idx;
}

static bool load_long(Loader *L, CsvReader *cr, const CsvRecord *hdr, bool has_reason)
{
    const char **names = header_names(L, hdr);
    size_t ncol = hdr->nfields;
    LongState st = {.id_column = names[0]};
    CsvRecord rec;
    int rc;
    while ((rc = csv_next(cr, &rec)) != CSV_EOF) {
        if (rc == CSV_ERROR) {
            csv_fault(L, cr, names, ncol);
            size_t idx = rec.nfields >= 1
                             ? long_report(L, &st, rec.fields[0].text, rec.fields[0].len, rec.line)
                             : placeholder(L, rec.line);
            set_error(L, idx, "malformed CSV record at line %d: %s", cr->error_line, cr->error);
            continue;
        }
        if (record_blank(&rec))
            continue;
        size_t idx = long_report(L, &st, rec.fields[0].text, rec.fields[0].len, rec.line);
        if (rec.nfields != ncol) {
            report_error(L, idx, rec.line, 0, NULL, "row has %zu fields, header has %zu",
                         rec.nfields, ncol);
            continue;
        }
        RowIn in;
        memset(&in, 0, sizeof in);
        in.line = rec.line;
        in.json_row = -1;
        for (int c = 0; c < C_COUNT; c++) {
            in.column[c] = names[c];
            if (c == C_REASON && !has_reason)
                break;
            in.cell[c] = rec.fields[c].text;
            in.len[c] = rec.fields[c].len;
        }
        table_row(L, idx, &in);
    }
    return true;
}

static bool load_csv(Loader *L, const char *data, size_t len, DataFormat fmt)
{
    CsvReader cr;
    CsvRecord hdr;
    bool ok = false, has_reason = false;
    csv_init(&cr, data, len);
    int rc = csv_next(&cr, &hdr);
    if (rc == CSV_ERROR) {
        diag_data(L->diags, DIAG_ERROR, L->file, cr.error_line, cr.error_field, NULL,
                  "%s at character %d (in the header)", cr.error, cr.error_col);
    } else if (rc == CSV_EOF) {
        diag_data(L->diags, DIAG_ERROR, L->file, 0, 0, NULL, "empty data file");
    } else {
        const char **names = header_names(L, &hdr);
        int lng = fmt == DATA_CSV_WIDE ? 0 : header_is_long(L, names, hdr.nfields, hdr.line,
                                                            &has_reason);
        if (lng < 0) {
            ok = false;
        } else if (fmt == DATA_CSV_LONG && !lng) {
            diag_data(L->diags, DIAG_ERROR, L->file, hdr.line, 0, NULL,
                      "not a long CSV: the header must be "
                      "report,level1,level2,indicator,target,actual,weight,reported[,reason]");
        } else {
            ok = lng ? load_long(L, &cr, &hdr, has_reason) : load_wide(L, &cr, &hdr);
        }
    }
    csv_free(&cr);
    return ok;
}

/* JSON ---------------------------------------------------------------------- */

/* Line numbers of byte offsets, counted forward from the last question. */
typedef struct LineCursor {
    const char *s;
    size_t off, line_start;
    int line;
} LineCursor;

static void cursor_seek(LineCursor *lc, size_t off)
{
    if (off < lc->off) {
        lc->off = lc->line_start = 0;
        lc->line = 1;
    }
    const char *p;
    while (lc->off < off && (p = memchr(lc->s + lc->off, '\n', off - lc->off)) != NULL) {
        lc->off = (size_t)(p - lc->s) + 1;
        lc->line_start = lc->off;
        lc->line++;
    }
    lc->off = off;
}

static int line_at(LineCursor *lc, size_t off)
{
    cursor_seek(lc, off);
    return lc->line;
}

static size_t skip_ws(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

/* Skip one JSON value at s[i] (text already accepted by jansson). */
static size_t json_skip(const char *s, size_t n, size_t i)
{
    int depth = 0;
    do {
        if (i >= n)
            return n;
        char c = s[i];
        if (c == '"') {
            for (i++; i < n && s[i] != '"'; i++)
                if (s[i] == '\\')
                    i++;
            i++;
        } else if (c == '{' || c == '[') {
            depth++, i++;
        } else if (c == '}' || c == ']') {
            depth--, i++;
        } else if (depth > 0) {
            i++;
        } else {
            while (i < n && !strchr(",]} \t\r\n", s[i]))
                i++;
        }
    } while (depth > 0);
    return i;
}

/* Offsets of the elements of the array at s[i] (count capped at max). */
static size_t json_elements(const char *s, size_t n, size_t i, size_t *out, size_t max)
{
    size_t k = 0;
    if (i >= n || s[i] != '[')
        return 0;
    i = skip_ws(s, n, i + 1);
    while (i < n && s[i] != ']') {
        if (k < max)
            out[k] = i;
        k++;
        i = skip_ws(s, n, json_skip(s, n, i));
        if (i < n && s[i] == ',')
            i = skip_ws(s, n, i + 1);
        else
            break;
    }
    return k;
}

/* Offset of the value of `key` in the object at s[i], or SIZE_MAX. */
static size_t json_member(const char *s, size_t n, size_t i, const char *key)
{
    size_t klen = strlen(key);
    if (i >= n || s[i] != '{')
        return SIZE_MAX;
    i = skip_ws(s, n, i + 1);
    while (i < n && s[i] == '"') {
        size_t kstart = i + 1, kend = json_skip(s, n, i) - 1;
        i = skip_ws(s, n, kend + 1);
        if (i < n && s[i] == ':')
            i = skip_ws(s, n, i + 1);
        if (kend - kstart == klen && memcmp(s + kstart, key, klen) == 0)
            return i;
        i = skip_ws(s, n, json_skip(s, n, i));
        if (i < n && s[i] == ',')
            i = skip_ws(s, n, i + 1);
        else
            break;
    }
    return SIZE_MAX;
}

/* Shortest text that reads back as the same double, without an exponent:
 * 0.1 -> "0.1", 1e-7 -> "0.0000001". */
static void format_real(double d, char *out, size_t cap)
{
    char buf[64];
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*g", p, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    char *e = strchr(buf, 'e');
    if (!e) {
        snprintf(out, cap, "%s", buf);
        return;
    }
    int exp10 = atoi(e + 1);
    char digits[32];
    size_t nd = 0, o = 0;
    const char *p = buf;
    if (*p == '-')
        out[o++] = '-', p++;
    for (; p < e; p++)
        if (*p != '.')
            digits[nd++] = *p;
    long point = 1 + (long)exp10;  /* digits before the decimal point */
    if (point <= 0) {
        o += (size_t)snprintf(out + o, cap - o, "0.");
        for (long z = 0; z < -point && o + 1 < cap; z++)
            out[o++] = '0';
        for (size_t k = 0; k < nd && o + 1 < cap; k++)
            out[o++] = digits[k];
    } else {
        for (long k = 0; k < point && o + 1 < cap; k++)
            out[o++] = (size_t)k < nd ? digits[k] : '0';
        if ((size_t)point < nd && o + 1 < cap) {
            out[o++] = '.';
            for (size_t k = (size_t)point; k < nd && o + 1 < cap; k++)
                out[o++] = digits[k];
        }
    }
    out[o] = '\0';
}

/* The cell text of a JSON scalar: strings as they are, numbers written out
 * (integers exactly, reals as their shortest round-trip decimal), null as
 * an empty cell.  NULL for arrays and objects. */
static const char *json_cell(Loader *L, json_t *v, size_t *len)
{
    char buf[400];
    const char *s;
    switch (json_typeof(v)) {
    case JSON_STRING:
        *len = json_string_length(v);
        return json_string_value(v);
    case JSON_INTEGER:
        snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        break;
    case JSON_REAL:
        format_real(json_real_value(v), buf, sizeof buf);
        break;
    case JSON_TRUE:
        snprintf(buf, sizeof buf, "true");
        break;
    case JSON_FALSE:
        snprintf(buf, sizeof buf, "false");
        break;
    case JSON_NULL:
        *len = 0;
        return "";
    case JSON_OBJECT:
    case JSON_ARRAY:
        return NULL;
    }
    s = arena_strdup(arena_of(L), buf);
    *len = strlen(s);
    return s;
}

static const char *const report_keys[] = {
    "report", "figures", "table", "stated_total", "stated_max", "stated_grade", NULL,
};

static bool known_key(const char *const *keys, const char *key)
{
    for (; *keys; keys++)
        if (strcmp(*keys, key) == 0)
            return true;
    return false;
}

static void json_figures(Loader *L, size_t idx, json_t *figs, int line)
{
    if (!json_is_object(figs)) {
        report_error(L, idx, line, 0, "figures", "\"figures\" must be an object");
        return;
    }
    size_t n = json_object_size(figs), k = 0;
    Figure *out = arena_alloc(arena_of(L), (n ? n : 1) * sizeof *out);
    const char *key;
    json_t *v;
    json_object_foreach(figs, key, v) {
        size_t len;
        const char *text = json_cell(L, v, &len);
        const char *name = trimmed(L, key, strlen(key));
        CellAt at = {line, 0, NULL, name, -1};
        if (!text) {
            cell_error(L, idx, &at, "figure '%s' must be a string, a number or null", name);
            continue;
        }
        Figure *f = &out[k++];
        f->name = name;
        f->raw = arena_strndup(arena_of(L), text, len);
        f->pos = (DataPos){L->file, line, name};
        if (json_is_boolean(v))
            f->value = val_bool(json_is_true(v));
        else
            parse_cell(L, idx, f->raw, len, &at, &f->value);
    }
    report_at(L, idx)->figures = out;
    report_at(L, idx)->nfigures = k;
}

static void json_table(Loader *L, size_t idx, json_t *table, int line, const size_t *rowoff,
                       size_t nrowoff, LineCursor *lc)
{
    if (!json_is_array(table)) {
        report_error(L, idx, line, 0, "table", "\"table\" must be an array");
        return;
    }
    strmap_clear(&L->seen);
    size_t i;
    json_t *row;
    json_array_foreach(table, i, row) {
        int rline = nrowoff == json_array_size(table) ? line_at(lc, rowoff[i]) : line;
        if (!json_is_object(row)) {
            report_error(L, idx, rline, 0, "table",
                         "table[%zu] must be an object", i);
            continue;
        }
        RowIn in;
        memset(&in, 0, sizeof in);
        in.line = rline;
        in.json_row = (long)i;
        const char *key;
        json_t *v;
        json_object_foreach(row, key, v) {
            int c;
            for (c = C_LEVEL1; c < C_COUNT && strcmp(long_header[c], key) != 0; c++)
                ;
            if (c == C_COUNT) {
                diag_data(L->diags, DIAG_WARNING, L->file, rline, 0,
                          arena_printf(arena_of(L), "table[%zu].%s", i, key),
                          "unknown key \"%s\" in a table row", key);
                continue;
            }
            in.cell[c] = json_cell(L, v, &in.len[c]);
            if (!in.cell[c]) {
                CellAt at = row_cell_at(&in, c);
                cell_error(L, idx, &at, "\"%s\" must be a string, a number or null", key);
            }
        }
        table_row(L, idx, &in);
    }
}

/* One report object starting at data[off]. */
static void json_report(Loader *L, json_t *obj, const char *data, size_t end, size_t off,
                        LineCursor *lc)
{
    int line = line_at(lc, off);
    json_t *jid = json_object_get(obj, "report");
    json_t *figs = json_object_get(obj, "figures"), *table = json_object_get(obj, "table");
    size_t idx, len;
    const char *id = jid ? json_cell(L, jid, &len) : NULL;
    if (!jid) {
        idx = placeholder(L, line);
        report_error(L, idx, line, 0, NULL, "report object has no \"report\" key");
    } else if (!id || json_is_boolean(jid) || json_is_real(jid)) {
        idx = placeholder(L, line);
        report_error(L, idx, line, 0, "report", "\"report\" must be a string");
    } else if (!*(id = trimmed(L, id, len))) {
        idx = placeholder(L, line);
        report_error(L, idx, line, 0, "report", "empty report id");
    } else {
        idx = claim(L, id, line, 0, "report", figs != NULL, table != NULL);
    }
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
        if (!known_key(report_keys, key))
            diag_data(L->diags, DIAG_WARNING, L->file, line, 0, key,
                      "unknown key \"%s\" in a report object", key);
    if (figs)
        json_figures(L, idx, figs, line);
    if (table) {
        size_t toff = json_member(data, end, off, "table"), nrows = json_array_size(table);
        size_t *rowoff = xmalloc((nrows ? nrows : 1) * sizeof *rowoff);
        size_t nrowoff = toff == SIZE_MAX ? 0 : json_elements(data, end, toff, rowoff, nrows);
        report_at(L, idx)->has_table = true;
        meta_of(L, idx)->table = true;
        json_table(L, idx, table, line, rowoff, nrowoff, lc);
        free(rowoff);
    }
    Meta *m = meta_of(L, idx);
    if ((v = json_object_get(obj, "stated_total")) != NULL) {
        const char *s = json_cell(L, v, &len);
        TlValue total = val_missing();
        if (s)
            parse_points(L, idx, s, len, &(CellAt){line, 0, "stated_total", NULL, -1},
                         "stated total", false, &total);
        else
            report_error(L, idx, line, 0, "stated_total", "stated total is not a number");
        if (m->total_line)
            report_error(L, idx, line, 0, "stated_total",
                         "stated total given twice (first at line %d)", m->total_line);
        else
            report_at(L, idx)->stated_total = total, m->total_line = line;
    }
    if ((v = json_object_get(obj, "stated_max")) != NULL) {
        const char *s = json_cell(L, v, &len);
        if (s)
            parse_points(L, idx, s, len, &(CellAt){line, 0, "stated_max", NULL, -1},
                         "stated maximum", false, &report_at(L, idx)->stated_max);
        else
            report_error(L, idx, line, 0, "stated_max", "stated maximum is not a number");
    }
    if ((v = json_object_get(obj, "stated_grade")) != NULL) {
        if (!json_is_string(v) && !json_is_null(v)) {
            report_error(L, idx, line, 0, "stated_grade", "\"stated_grade\" must be a string");
        } else if (m->grade_line) {
            report_error(L, idx, line, 0, "stated_grade",
                         "stated grade given twice (first at line %d)", m->grade_line);
        } else if (json_is_string(v)) {
            const char *g = trimmed(L, json_string_value(v), json_string_length(v));
            report_at(L, idx)->stated_grade = *g ? g : NULL;
            m->grade_line = line;
        }
    }
}

/* A top-level value at data[off..end): a report object or an array of them. */
static void json_value(Loader *L, json_t *j, const char *data, size_t off, size_t end,
                       LineCursor *lc)
{
    if (json_is_object(j)) {
        json_report(L, j, data, end, off, lc);
        return;
    }
    size_t n = json_array_size(j), i;
    size_t *eoff = xmalloc((n ? n : 1) * sizeof *eoff);
    size_t neoff = json_elements(data, end, off, eoff, n);
    json_t *elem;
    json_array_foreach(j, i, elem) {
        size_t at = neoff == n ? eoff[i] : off;
        if (json_is_object(elem)) {
            json_report(L, elem, data, end, at, lc);
        } else {
            int line = line_at(lc, at);
            size_t idx = placeholder(L, line);
            report_error(L, idx, line, 0, NULL, "array element %zu is not a report object", i);
        }
    }
    free(eoff);
}

/* Start of the next line after `line` that begins with '{' or '[', or len. */
static size_t json_resync(const char *data, size_t len, LineCursor *lc, int line)
{
    size_t i = lc->line_start;
    cursor_seek(lc, i);
    while (lc->line <= line) {
        const char *p = memchr(data + i, '\n', len - i);
        if (!p)
            return len;
        i = (size_t)(p - data) + 1;
        cursor_seek(lc, i);
    }
    for (;;) {
        if (i < len && (data[i] == '{' || data[i] == '['))
            return i;
        const char *p = memchr(data + i, '\n', len - i);
        if (!p)
            return len;
        i = (size_t)(p - data) + 1;
    }
}

/* One JSON document, or several values one after another (JSON Lines).  A
 * syntax error in a single document fails the file; in a stream of values
 * it marks a report "line N" and reading resumes at the next line that
 * starts with '{' or '['. */
static bool load_json(Loader *L, const char *data, size_t len, bool lines)
{
    LineCursor lc = {data, 0, 0, 1};
    size_t off = skip_ws(data, len, 0);
    bool stream = lines;
    size_t nvalues = 0;
    while (off < len) {
        json_error_t e;
        json_t *j = json_loadb(data + off, len - off,
                               JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &e);
        int vline = line_at(&lc, off);
        if (!j) {
            int line = vline, col = 0;
            if (e.line > 0) {
                line = vline + e.line - 1;
                col = e.line == 1 ? (int)utf8_count(data + lc.line_start, off - lc.line_start) +
                                        e.column
                                  : e.column;
            }
            diag_data(L->diags, DIAG_ERROR, L->file, line, col, NULL, "JSON syntax error: %s",
                      e.text);
            if (!stream && nvalues == 0)
                return false;
            size_t idx = placeholder(L, vline);
            set_error(L, idx, "JSON syntax error at line %d: %s", line, e.text);
            off = skip_ws(data, len, json_resync(data, len, &lc, line));
            stream = true;
            continue;
        }
        size_t end = off + (size_t)e.position;
        if (skip_ws(data, len, end) < len)
            stream = true;
        json_value(L, j, data, off, end, &lc);
        json_decref(j);
        nvalues++;
        off = skip_ws(data, len, end);
    }
    return true;
}

/* Loading ------------------------------------------------------------------- */

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
    iconv_t cd = iconv_open("UTF-8", enc);
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
    if (len >= 2 && (((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE) ||
                     ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF))) {
        Diag *d = diag_data(diags, DIAG_ERROR, file, 1, 0, NULL, "data file is in UTF-16");
        diag_set_hint(d, "save it as \"CSV UTF-8\", or use --encoding UTF-16");
        return false;
    }
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

bool reportset_load_buffer(ReportSet *set, const char *name, const char *data, size_t len,
                           const LoadOptions *opt, DiagList *diags)
{
    static const LoadOptions defaults = {DATA_AUTO, NULL};
    if (!opt)
        opt = &defaults;
    const char *file = arena_strdup(&set->arena, name);
    char *converted = NULL;
    if (opt->encoding && !is_utf8_name(opt->encoding)) {
        if (!convert_to_utf8(file, opt->encoding, data, len, &converted, &len, diags))
            return false;
        data = converted;
    }
    Loader L;
    loader_init(&L, set, diags, file);
    bool ok = load_text(&L, name, data, len, opt);
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

/* Reports given cell by cell ------------------------------------------------ */

size_t reportset_add_table(ReportSet *set, const char *file, const char *id, int line,
                           const RowCells *rows, size_t n, DiagList *diags)
{
    Loader L;
    loader_init(&L, set, diags, arena_strdup(&set->arena, file));
    LongState st = {.id_column = long_header[C_REPORT]};
    size_t idx = long_report(&L, &st, id ? id : "", id ? strlen(id) : 0, line);
    for (size_t i = 0; i < n; i++) {
        const RowCells *rc = &rows[i];
        const char *cells[C_COUNT] = {id, rc->level1, rc->level2, rc->indicator, rc->target,
                                      rc->actual, rc->weight, rc->reported, rc->reason};
        RowIn in;
        memset(&in, 0, sizeof in);
        in.line = rc->line;
        in.json_row = -1;
        for (int c = 0; c < C_COUNT; c++) {
            in.column[c] = long_header[c];
            /* An empty cell is "" to the CSV reader; only reason tells NULL from "". */
            in.cell[c] = cells[c] ? cells[c] : c == C_REASON ? NULL : "";
            in.len[c] = in.cell[c] ? strlen(in.cell[c]) : 0;
        }
        table_row(&L, idx, &in);
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
    const char *tid = id ? trimmed(&L, id, strlen(id)) : "";
    size_t idx;
    if (*tid) {
        idx = claim(&L, tid, line, 0, "report", true, false);
    } else {
        idx = placeholder(&L, line);
        report_error(&L, idx, line, 0, "report", "empty report id");
    }
    Figure *figs = arena_alloc(arena_of(&L), (n ? n : 1) * sizeof *figs);
    size_t k = 0;
    StrMap seen = {0};
    for (size_t i = 0; i < n; i++) {
        const char *name = trimmed(&L, names[i], strlen(names[i]));
        if (!*name) {
            report_error(&L, idx, line, 0, NULL, "figure %zu has an empty name", i + 1);
            continue;
        }
        size_t *dup = strmap_find(&seen, name);
        if (dup) {
            report_error(&L, idx, line, 0, name, "duplicate figure name '%s' (figures %zu and %zu)",
                         name, *dup + 1, i + 1);
            continue;
        }
        strmap_put(&seen, name, i);
        const char *text = cells[i] ? cells[i] : "";
        Figure *f = &figs[k++];
        f->name = name;
        f->raw = arena_strdup(arena_of(&L), text);
        f->pos = (DataPos){L.file, line, name};
        CellAt at = {line, 0, name, NULL, -1};
        parse_cell(&L, idx, f->raw, strlen(f->raw), &at, &f->value);
    }
    strmap_free(&seen);
    Report *r = report_at(&L, idx);
    r->figures = figs;
    r->nfigures = k;
    loader_finish(&L);
    loader_free(&L);
    return idx;
}
