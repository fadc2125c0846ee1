/* form.c - form recognition (form.h, docs/data.md "Forms"): the 自评表 of a
 * document found by its header words, read into the loader as a report.
 *
 * In order, for each indicator table found (a header row holding the words
 * of the indicator, target, actual and weight columns of a FormSpec):
 * its rows up to the 总分 row (title and note rows, spacers and empty
 * placeholder rows skipped, empty level cells carried down), the stated
 * total and grade, the budget block's 年度资金总额 row as the 预算执行 row,
 * the report's name from the form's head (else the file's name), and the
 * named figures the form's `figure` lines find.  Every cell keeps its place
 * in the original for messages and findings. */
#include "form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/base/l10n.h"
#include "lang/base/strmap.h"
#include "lang/base/text.h"

/* A position in the document: item, then row. */
typedef struct Pos {
    size_t item, row;
} Pos;

static bool pos_before(Pos a, Pos b) { return a.item < b.item || (a.item == b.item && a.row < b.row); }

/* Cells normalised on demand; a heap string the caller frees. */
static char *norm_cell(const FormGrid *g, size_t r, int c)
{
    const char *s = form_cell(g, r, c);
    return form_norm(s, strlen(s));
}

/* Is the normalised text one of the words, as written or with a trailing
 * bracketed note ("全年预算数(A)", "执行率(B/A)", "项目资金(万元)")? */
static bool words_match(const FormWords *w, const char *norm)
{
    if (!*norm)
        return false;
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(w->words[i], norm) == 0)
            return true;
    size_t n = strlen(norm);
    if (n > 2 && norm[n - 1] == ')') {
        const char *open = strrchr(norm, '(');
        if (open && open > norm) {
            size_t k = (size_t)(open - norm);
            for (size_t i = 0; i < w->n; i++)
                if (strlen(w->words[i]) == k && memcmp(w->words[i], norm, k) == 0)
                    return true;
        }
    }
    return false;
}

static bool cell_is(const FormGrid *g, size_t r, int c, const FormWords *w)
{
    char *n = norm_cell(g, r, c);
    bool m = words_match(w, n);
    free(n);
    return m;
}

static bool blank(const char *s) { return loader_is_blank(s, strlen(s)); }

/* A cell that says nothing: empty or a missing marker ("/", "—", "……"). */
static bool says_nothing(const char *s)
{
    size_t n = strlen(s);
    const char *t = text_trim(s, &n);
    if (n == 0)
        return true;
    static const char *const marks[] = {"-", "--", "—", "——", "－", "/", "／", "…", "……",
                                        "...", "......", "无", "N/A", "n/a", "NA", "不适用"};
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++)
        if (strlen(marks[i]) == n && memcmp(marks[i], t, n) == 0)
            return true;
    return false;
}

/* Header rows ------------------------------------------------------------------------ */

typedef struct Table {
    const FormSpec *spec;
    size_t item;
    FormGrid *grid;
    size_t header;           /* row index */
    int col[FC_COUNT];       /* -1: absent */
    Pos end;                 /* the last row read */
} Table;

/* Map a row's cells to the columns of spec; true when the indicator,
 * target, actual and weight columns are all there. */
static bool header_map(const FormGrid *g, size_t r, const FormSpec *spec, int *col)
{
    for (int k = 0; k < FC_COUNT; k++)
        col[k] = -1;
    for (int c = 0; c < g->rows[r].ncells; c++) {
        char *n = norm_cell(g, r, c);
        for (int k = 0; k < FC_COUNT && *n; k++)
            if (col[k] < 0 && words_match(&spec->column[k], n)) {
                col[k] = c;
                break;
            }
        free(n);
    }
    return col[FC_INDICATOR] >= 0 && col[FC_TARGET] >= 0 && col[FC_ACTUAL] >= 0 &&
           col[FC_WEIGHT] >= 0;
}

static const FormSpec *header_of(const FormGrid *g, size_t r, const FormSet *set, int *col)
{
    for (size_t i = 0; i < set->n; i++)
        if (header_map(g, r, &set->forms[i], col))
            return &set->forms[i];
    return NULL;
}

/* Budget blocks ------------------------------------------------------------------------ */

typedef struct Budget {
    size_t item;
    FormGrid *grid;
    size_t header, row;      /* the header row and the 年度资金总额 row */
    int col[FB_COUNT];
    const char *unit;        /* "万元" when the block says (万元) and its cells are bare */
} Budget;

/* The unit a block's label gives its bare numbers: "(万元)" -> "万元". */
static const char *unit_in(const FormGrid *g, size_t r)
{
    for (int c = 0; c < g->rows[r].ncells; c++) {
        char *n = norm_cell(g, r, c);
        const char *unit = NULL;
        for (char *p = strchr(n, '('); p && !unit; p = strchr(p + 1, '(')) {
            char *close = strchr(p, ')');
            if (!close)
                break;
            size_t k = (size_t)(close - p - 1);
            static const char *const units[] = {"万元", "元", "千元", "亿元"};
            for (size_t i = 0; i < sizeof units / sizeof *units; i++)
                if (strlen(units[i]) == k && memcmp(p + 1, units[i], k) == 0)
                    unit = units[i];
        }
        free(n);
        if (unit)
            return unit;
    }
    return NULL;
}

static bool budget_at(FormGrid *g, size_t r, const FormSpec *spec, Budget *b)
{
    for (int k = 0; k < FB_COUNT; k++)
        b->col[k] = -1;
    for (int c = 0; c < g->rows[r].ncells; c++) {
        char *n = norm_cell(g, r, c);
        for (int k = 0; k < FB_COUNT && *n; k++)
            if (b->col[k] < 0 && words_match(&spec->budget[k], n)) {
                b->col[k] = c;
                break;
            }
        free(n);
    }
    if (b->col[FB_BUDGET] < 0 || b->col[FB_SPENT] < 0)
        return false;
    /* The 年度资金总额 row: one of the next rows. */
    for (size_t k = r + 1; k < g->nrows && k <= r + 4; k++)
        for (int c = 0; c < g->rows[k].ncells; c++)
            if (cell_is(g, k, c, &spec->budget_row)) {
                b->grid = g;
                b->header = r;
                b->row = k;
                b->unit = unit_in(g, r);
                if (!b->unit)
                    b->unit = unit_in(g, k);
                return true;
            }
    return false;
}

/* Where cells are ------------------------------------------------------------------------ */

typedef struct Ctx {
    Loader *L;
    FormDoc *doc;
    const FormSet *set;
} Ctx;

/* The place of cell (r, c) of g; `header` names the column for a table. */
static const char *cell_where(Ctx *x, const FormGrid *g, size_t r, int c, const char *header)
{
    Arena *a = x->doc->arena;
    int number = g->rows[r].number;
    switch (g->kind) {
    case GRID_SHEET: {
        char col[8];
        form_column_name(c, col);
        return arena_printf(a, "%s:%s!%s%d", x->doc->file, g->name, col, number);
    }
    case GRID_TABLE:
        if (header && *header)
            return arena_printf(a, "%s: %s, row %d, %s", x->doc->file, g->name, number, header);
        return arena_printf(a, "%s: %s, row %d, column %d", x->doc->file, g->name, number, c + 1);
    case GRID_LINES:
        return arena_printf(a, "%s:%d:%d", x->doc->file, number, c + 1);
    }
    return x->doc->file;
}

static const char *row_where(Ctx *x, const FormGrid *g, size_t r, int c)
{
    Arena *a = x->doc->arena;
    switch (g->kind) {
    case GRID_SHEET:
        return cell_where(x, g, r, c, NULL);
    case GRID_TABLE:
        return arena_printf(a, "%s: %s, row %d", x->doc->file, g->name, g->rows[r].number);
    case GRID_LINES:
        return arena_printf(a, "%s:%d", x->doc->file, g->rows[r].number);
    }
    return x->doc->file;
}

/* A header's text as shown, one line: the column name in messages. */
static const char *header_text(Ctx *x, const FormGrid *g, size_t r, int c)
{
    const char *s = form_cell(g, r, c);
    char *t = text_strip_space(s, strlen(s));
    const char *out = arena_strdup(x->doc->arena, t);
    free(t);
    return out;
}

/* The report's name -------------------------------------------------------------------- */

/* "预算单位名称：X", "单位名称(盖章）:X" -> X (arena), when s begins with
 * one of the labels (as normalised) followed by a colon. */
static const char *after_label(Ctx *x, const char *s, const FormWords *labels, size_t li)
{
    size_t flen;
    char *f = text_fold_width(s, strlen(s), &flen);
    char *colon = strchr(f, ':');
    const char *out = NULL;
    if (colon) {
        char *head = form_norm(f, (size_t)(colon - f));
        FormWords one = {&labels->words[li], 1};
        if (words_match(&one, head)) {
            char *v = text_strip_space(colon + 1, strlen(colon + 1));
            if (*v)
                out = arena_strdup(x->doc->arena, v);
            free(v);
        }
        free(head);
    }
    free(f);
    return out;
}

/* The next cell right of (r, c) whose text differs from it and is not empty. */
static int right_of(const FormGrid *g, size_t r, int c)
{
    const char *me = form_cell(g, r, c);
    for (int k = c + 1; k < g->rows[r].ncells; k++) {
        const char *s = form_cell(g, r, k);
        if (!blank(s) && strcmp(s, me) != 0)
            return k;
    }
    return -1;
}

static const char *name_in(Ctx *x, const FormSpec *spec, Pos from, Pos to)
{
    for (size_t li = 0; li < spec->head.n; li++) {
        FormWords one = {&spec->head.words[li], 1};
        for (size_t i = from.item; i < x->doc->nitems && i <= to.item; i++) {
            const FormItem *it = &x->doc->items[i];
            if (it->text) {
                const char *v = after_label(x, it->text, &spec->head, li);
                if (v)
                    return v;
                continue;
            }
            const FormGrid *g = it->grid;
            size_t r0 = i == from.item ? from.row : 0, r1 = i == to.item ? to.row : g->nrows;
            for (size_t r = r0; r < r1 && r < g->nrows; r++)
                for (int c = 0; c < g->rows[r].ncells; c++) {
                    const char *s = form_cell(g, r, c);
                    if (blank(s))
                        continue;
                    if (cell_is(g, r, c, &one)) {
                        int k = right_of(g, r, c);
                        if (k >= 0) {
                            char *v = text_strip_space(form_cell(g, r, k), strlen(form_cell(g, r, k)));
                            const char *out = arena_strdup(x->doc->arena, v);
                            free(v);
                            return out;
                        }
                        continue;
                    }
                    const char *v = after_label(x, s, &spec->head, li);
                    if (v)
                        return v;
                }
        }
    }
    return NULL;
}

/* Grades ----------------------------------------------------------------------------- */

/* A stated grade, when the text is one of the rules' grades (any short text
 * when the rules have none). */
static const char *grade_word(Ctx *x, const char *s)
{
    size_t n = strlen(s);
    const char *t = text_trim(s, &n);
    if (n == 0)
        return NULL;
    if (x->set->ngrades == 0)
        return n <= 24 ? arena_strndup(x->doc->arena, t, n) : NULL;
    for (size_t i = 0; i < x->set->ngrades; i++)
        if (strlen(x->set->grades[i]) == n && memcmp(x->set->grades[i], t, n) == 0)
            return x->set->grades[i];
    return NULL;
}

typedef struct Found {
    const char *text;
    const char *where;
} Found;

/* A 自评结论 cell with its grade right of it, in rows [r0, r1) of g. */
static bool grade_in_rows(Ctx *x, const FormSpec *spec, const FormGrid *g, size_t r0, size_t r1,
                          Found *out)
{
    for (size_t r = r0; r < r1 && r < g->nrows; r++)
        for (int c = 0; c < g->rows[r].ncells; c++) {
            if (!cell_is(g, r, c, &spec->grade))
                continue;
            int k = right_of(g, r, c);
            const char *w = k >= 0 ? grade_word(x, form_cell(g, r, k)) : NULL;
            if (w) {
                *out = (Found){w, cell_where(x, g, r, k, spec->grade.words[0])};
                return true;
            }
            if (k >= 0 && x->set->ngrades)
                diag_data(x->L->diags, DIAG_WARNING, cell_where(x, g, r, k, spec->grade.words[0]),
                          0, 0, NULL, _("自评结论 '%s' is not a grade of the rules: not read"),
                          form_cell(g, r, k));
            break;
        }
    return false;
}

/* The indicator table's rows ------------------------------------------------------------ */

typedef struct Emit {
    RowIn in;
    char *composed;          /* a target joined from sign, value and unit (heap) */
} Emit;

/* Does every non-empty cell of the row hold one and the same text (a title
 * or note merged across the table)? */
static bool one_text(const FormGrid *g, size_t r)
{
    const char *first = NULL;
    int count = 0;
    for (int c = 0; c < g->rows[r].ncells; c++) {
        const char *s = form_cell(g, r, c);
        if (blank(s))
            continue;
        if (first && strcmp(first, s) != 0)
            return false;
        first = s;
        count++;
    }
    return count > 1;
}

static bool same_map(const int *a, const int *b)
{
    for (int k = 0; k < FC_COUNT; k++)
        if (a[k] != b[k])
            return false;
    return true;
}

static const char *cell_of(const Table *t, size_t r, int k)
{
    return t->col[k] >= 0 ? form_cell(t->grid, r, t->col[k]) : NULL;
}

/* Set field f of a RowIn from column k of row r. */
static void set_field(Ctx *x, const Table *t, RowIn *in, int f, size_t r, int k,
                      const char **headers)
{
    if (t->col[k] < 0)
        return;
    const char *s = form_cell(t->grid, r, t->col[k]);
    in->cell[f] = s;
    in->len[f] = strlen(s);
    in->column[f] = t->grid->kind == GRID_TABLE ? NULL : headers[k];
    in->field[f] = t->col[k] + 1;
    if (t->grid->kind != GRID_LINES)
        in->where[f] = cell_where(x, t->grid, r, t->col[k], headers[k]);
}

/* The budget row of a report: target 全年预算数, actual 全年执行数, weight
 * 分值, score 得分. */
static void budget_row(Ctx *x, const Budget *b, bool reason, RowIn *in, char **owned)
{
    static const char *const label[FB_COUNT] = {"年初预算数", "全年预算数", "全年执行数", "分值",
                                                "执行率", "得分"};
    static const int field[FB_COUNT] = {-1, C_TARGET, C_ACTUAL, C_WEIGHT, -1, C_REPORTED};
    memset(in, 0, sizeof *in);
    in->json_row = -1;
    in->line = b->grid->rows[b->row].number;
    in->cell[C_LEVEL1] = "预算执行", in->len[C_LEVEL1] = strlen("预算执行");
    in->cell[C_LEVEL2] = "", in->len[C_LEVEL2] = 0;
    in->cell[C_INDICATOR] = "预算执行率", in->len[C_INDICATOR] = strlen("预算执行率");
    if (reason)
        in->cell[C_REASON] = "", in->len[C_REASON] = 0;
    for (int k = 0; k < FB_COUNT; k++) {
        int f = field[k];
        if (f < 0 || b->col[k] < 0)
            continue;
        const char *s = form_cell(b->grid, b->row, b->col[k]);
        size_t n = strlen(s);
        const char *t = text_trim(s, &n);
        /* A bare amount in a block labelled (万元) is in 万元. */
        bool bare = n > 0 && (f == C_TARGET || f == C_ACTUAL) && b->unit;
        for (size_t i = 0; bare && i < n; i++)
            bare = (t[i] >= '0' && t[i] <= '9') || t[i] == '.' || t[i] == ',' || t[i] == '-';
        if (bare) {
            char *u = xmalloc(n + strlen(b->unit) + 1);
            memcpy(u, t, n);
            strcpy(u + n, b->unit);
            owned[k] = u;
            s = u;
        }
        in->cell[f] = s;
        in->len[f] = strlen(s);
        const char *header = header_text(x, b->grid, b->header, b->col[k]);
        in->column[f] = b->grid->kind == GRID_TABLE ? NULL : (*header ? header : label[k]);
        in->field[f] = b->col[k] + 1;
        if (b->grid->kind != GRID_LINES)
            in->where[f] = cell_where(x, b->grid, b->row, b->col[k], *header ? header : label[k]);
    }
    in->row_where = row_where(x, b->grid, b->row, b->col[FB_BUDGET]);
}

/* Figures -------------------------------------------------------------------------------- */

typedef struct Doc {
    Ctx *x;
    Table *tables;
    size_t ntables;
} Doc;

/* The first cell of the document whose normalised text is `label`
 * [in a row that also holds `context`]. */
static bool find_label(Ctx *x, const char *label, const char *context, const FormGrid **gp,
                       size_t *rp, int *cp)
{
    FormWords one = {&label, 1}, ctx = {&context, 1};
    for (size_t i = 0; i < x->doc->nitems; i++) {
        const FormGrid *g = x->doc->items[i].grid;
        if (!g)
            continue;
        for (size_t r = 0; r < g->nrows; r++) {
            int found = -1;
            bool in_ctx = !context;
            for (int c = 0; c < g->rows[r].ncells; c++) {
                char *n = norm_cell(g, r, c);
                if (found < 0 && words_match(&one, n))
                    found = c;
                if (context && words_match(&ctx, n))
                    in_ctx = true;
                free(n);
            }
            if (found >= 0 && in_ctx) {
                *gp = g, *rp = r, *cp = found;
                return true;
            }
        }
    }
    return false;
}

/* The cell right of (r, c) whose text differs from it (possibly empty). */
static int next_differing(const FormGrid *g, size_t r, int c)
{
    const char *me = form_cell(g, r, c);
    for (int k = c + 1; k < g->rows[r].ncells; k++)
        if (strcmp(form_cell(g, r, k), me) != 0)
            return k;
    return -1;
}

/* The number right after the words in s ("结余金额102.73 万元" -> "102.73"). */
static const char *number_after(Ctx *x, const char *s, const char *words)
{
    size_t flen;
    char *f = text_fold_width(s, strlen(s), &flen);
    char *p = strstr(f, words);
    const char *out = NULL;
    if (p) {
        p += strlen(words);
        while (*p == ' ' || *p == ':' || *p == '\t')
            p++;
        size_t n = 0;
        while ((p[n] >= '0' && p[n] <= '9') || p[n] == '.' || p[n] == ',')
            n++;
        if (n)
            out = arena_strndup(x->doc->arena, p, n);
    }
    free(f);
    return out;
}

/* The ticked answer after a question: "是☑ 否□" -> 是, "是□ 否☑" -> 否. */
static const char *tick_after(Ctx *x, const char *s, const char *question)
{
    static const char *const answers[] = {"是", "否", "有", "无"};
    const char *box = "\xE2\x98\x91"; /* ☑ */
    size_t flen;
    char *f = text_fold_width(s, strlen(s), &flen);
    /* the line holding the question, compared without white space */
    const char *out = NULL;
    for (char *line = f; line && *line && !out;) {
        char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        char *sq = text_strip_space(line, n);
        char *at = strstr(sq, question);
        if (at) {
            const char *tail = at + strlen(question);
            const char *b = strstr(tail, box);
            const char *end = tail + strlen(tail);
            /* the answer just before a ticked box ("是☑ 否□"), else just after
             * it ("☑是 □否"); spaces are gone */
            for (; b && !out; b = strstr(b + 3, box)) {
                for (size_t i = 0; i < 4 && !out; i++) {
                    size_t al = strlen(answers[i]);
                    if ((size_t)(b - tail) >= al && memcmp(b - al, answers[i], al) == 0)
                        out = answers[i];
                }
                for (size_t i = 0; i < 4 && !out; i++) {
                    size_t al = strlen(answers[i]);
                    if ((size_t)(end - b) >= 3 + al && memcmp(b + 3, answers[i], al) == 0)
                        out = answers[i];
                }
            }
        }
        free(sq);
        line = nl ? nl + 1 : NULL;
    }
    free(f);
    return out ? arena_strdup(x->doc->arena, out) : NULL;
}

static void figures(Ctx *x, size_t idx, const FormSpec *spec, const Table *t, const Budget *b)
{
    for (size_t i = 0; i < spec->nfigures; i++) {
        const FormFigure *fg = &spec->figures[i];
        const FormGrid *g;
        size_t r;
        int c;
        const char *text = NULL, *where = NULL;
        switch (fg->how) {
        case FIG_RIGHT:
            if (find_label(x, fg->label, fg->context, &g, &r, &c)) {
                int k = next_differing(g, r, c);
                if (k >= 0)
                    text = form_cell(g, r, k), where = cell_where(x, g, r, k, fg->name);
            }
            break;
        case FIG_BELOW:
            if (find_label(x, fg->label, NULL, &g, &r, &c) && r + 1 < g->nrows)
                text = form_cell(g, r + 1, c), where = cell_where(x, g, r + 1, c, fg->name);
            break;
        case FIG_CELL:
            /* the row labelled `label` (its first cell), under the column headed `context` */
            for (size_t it = 0; it < x->doc->nitems && !text; it++) {
                g = x->doc->items[it].grid;
                if (!g)
                    continue;
                FormWords one = {&fg->label, 1}, head = {&fg->context, 1};
                for (r = 0; r < g->nrows && !text; r++) {
                    if (!cell_is(g, r, 0, &one))
                        continue;
                    for (size_t h = r; h-- > 0 && !text;)
                        for (c = 0; c < g->rows[h].ncells; c++)
                            if (cell_is(g, h, c, &head)) {
                                text = form_cell(g, r, c);
                                where = cell_where(x, g, r, c, fg->name);
                                break;
                            }
                }
            }
            break;
        case FIG_AFTER:
        case FIG_TICK:
            if (find_label(x, fg->label, NULL, &g, &r, &c)) {
                int k = next_differing(g, r, c);
                if (k >= 0) {
                    const char *s = form_cell(g, r, k);
                    text = fg->how == FIG_AFTER ? number_after(x, s, fg->context)
                                                : tick_after(x, s, fg->context);
                    where = cell_where(x, g, r, k, fg->name);
                }
            }
            break;
        case FIG_ACTUAL:
            if (t && t->col[FC_INDICATOR] >= 0 && t->col[FC_ACTUAL] >= 0) {
                FormWords one = {&fg->label, 1};
                for (r = t->header + 1; r < t->grid->nrows && r <= t->end.row; r++)
                    if (cell_is(t->grid, r, t->col[FC_INDICATOR], &one)) {
                        text = form_cell(t->grid, r, t->col[FC_ACTUAL]);
                        where = cell_where(x, t->grid, r, t->col[FC_ACTUAL], fg->name);
                        break;
                    }
            }
            break;
        case FIG_BUDGET:
            if (b && fg->budget_column >= 0 && fg->budget_column < FB_COUNT &&
                b->col[fg->budget_column] >= 0) {
                text = form_cell(b->grid, b->row, b->col[fg->budget_column]);
                where = cell_where(x, b->grid, b->row, b->col[fg->budget_column], fg->name);
            }
            break;
        }
        if (text)
            loader_figure(x->L, idx, fg->name, text, strlen(text), where);
    }
}

/* One indicator table to one report --------------------------------------------------- */

static size_t claim(Ctx *x, const char *name, int line, const char *where)
{
    (void)line; /* a form's place is `where`, not a line of the file */
    size_t idx = loader_claim(x->L, name, 0, 0, NULL, true, true);
    Report *r = loader_report(x->L, idx);
    r->pos.where = where;
    return idx;
}

/* Read the table t (its rows from the header on), with its budget block,
 * into a new report; returns the last row index read. */
static size_t read_table(Ctx *x, Table *t, const Budget *b, const char *name)
{
    const FormSpec *spec = t->spec;
    FormGrid *g = t->grid;
    const char *headers[FC_COUNT];
    for (int k = 0; k < FC_COUNT; k++)
        headers[k] = t->col[k] >= 0 ? header_text(x, g, t->header, t->col[k]) : NULL;
    size_t idx = claim(x, name, g->rows[t->header].number, row_where(x, g, t->header, 0));
    Report *rep = loader_report(x->L, idx);
    bool emit = x->set->tables; /* else the rows are walked for the figures only */
    rep->has_table = emit;
    loader_meta(x->L, idx)->table = emit;
    loader_keys_clear(x->L);
    x->L->label[0].raw = x->L->label[1].raw = NULL;
    if (b && emit) {
        RowIn in;
        char *owned[FB_COUNT] = {0};
        budget_row(x, b, t->col[FC_REASON] >= 0, &in, owned);
        loader_table_row(x->L, idx, &in);
        for (int k = 0; k < FB_COUNT; k++)
            free(owned[k]);
    }
    const char *prev1 = "", *prev2 = "";
    bool total_seen = false;
    size_t r = t->header + 1, last = t->header;
    /* the label columns: left of the indicator and the target */
    int left = t->col[FC_INDICATOR] < t->col[FC_TARGET] ? t->col[FC_INDICATOR] : t->col[FC_TARGET];
    for (; r < g->nrows; r++) {
        int col[FC_COUNT];
        const FormSpec *again = header_of(g, r, x->set, col);
        if (again) {
            if (again == spec && same_map(col, t->col))
                continue; /* the header repeated (a page break) */
            break;        /* another table begins */
        }
        /* 总分 row */
        int total_at = -1;
        for (int c = 0; c < g->rows[r].ncells && total_at < 0; c++)
            if (c != t->col[FC_WEIGHT] && c != t->col[FC_REPORTED] &&
                cell_is(g, r, c, &spec->total))
                total_at = c;
        if (total_at >= 0 && !total_seen) {
            RowIn in;
            memset(&in, 0, sizeof in);
            in.json_row = -1;
            in.line = g->rows[r].number;
            in.cell[C_LEVEL1] = "总分", in.len[C_LEVEL1] = strlen("总分");
            set_field(x, t, &in, C_WEIGHT, r, FC_WEIGHT, headers);
            set_field(x, t, &in, C_REPORTED, r, FC_REPORTED, headers);
            in.row_where = row_where(x, g, r, total_at);
            if (emit)
                loader_table_row(x->L, idx, &in);
            /* a grade in the same row (云南: 总分 | 100 | 96 | 优) */
            for (int c = 0; c < g->rows[r].ncells && !rep->stated_grade; c++) {
                if (c == t->col[FC_WEIGHT] || c == t->col[FC_REPORTED] || c == total_at)
                    continue;
                const char *w = grade_word(x, form_cell(g, r, c));
                if (w && x->set->ngrades && emit) {
                    rep->stated_grade = w;
                    rep->grade_pos = (DataPos){x->doc->file, in.line, NULL,
                                               cell_where(x, g, r, c, spec->grade.words[0])};
                    loader_meta(x->L, idx)->grade_line = in.line;
                }
            }
            total_seen = true;
            last = r;
            continue;
        }
        /* 自评结论 row */
        Found gr;
        bool grade_row = false;
        for (int c = 0; c < g->rows[r].ncells && c <= left && !grade_row; c++)
            grade_row = cell_is(g, r, c, &spec->grade);
        if (grade_row) {
            if (emit && !rep->stated_grade && grade_in_rows(x, spec, g, r, r + 1, &gr)) {
                rep->stated_grade = gr.text;
                rep->grade_pos = (DataPos){x->doc->file, g->rows[r].number, NULL, gr.where};
                loader_meta(x->L, idx)->grade_line = g->rows[r].number;
            }
            last = r;
            continue;
        }
        if (total_seen)
            break; /* notes under the table */
        if (one_text(g, r))
            continue; /* a title or note across the table */
        const char *ind = cell_of(t, r, FC_INDICATOR), *tg = cell_of(t, r, FC_TARGET),
                   *ac = cell_of(t, r, FC_ACTUAL), *wt = cell_of(t, r, FC_WEIGHT),
                   *rp = t->col[FC_REPORTED] >= 0 ? cell_of(t, r, FC_REPORTED) : "";
        const char *sv = t->col[FC_SIGN] >= 0 ? cell_of(t, r, FC_SIGN) : "";
        const char *un = t->col[FC_UNIT] >= 0 ? cell_of(t, r, FC_UNIT) : "";
        if (blank(ind) && blank(tg) && blank(ac) && blank(wt) && blank(rp))
            continue; /* a spacer */
        if (says_nothing(tg) && says_nothing(ac) && says_nothing(wt) && says_nothing(rp) &&
            blank(sv) && blank(un))
            continue; /* a placeholder: 指标2: with nothing in it */
        last = r;
        Emit e;
        memset(&e, 0, sizeof e);
        RowIn *in = &e.in;
        in->json_row = -1;
        in->line = g->rows[r].number;
        set_field(x, t, in, C_LEVEL1, r, FC_LEVEL1, headers);
        set_field(x, t, in, C_LEVEL2, r, FC_LEVEL2, headers);
        set_field(x, t, in, C_INDICATOR, r, FC_INDICATOR, headers);
        set_field(x, t, in, C_TARGET, r, FC_TARGET, headers);
        set_field(x, t, in, C_ACTUAL, r, FC_ACTUAL, headers);
        set_field(x, t, in, C_WEIGHT, r, FC_WEIGHT, headers);
        set_field(x, t, in, C_REPORTED, r, FC_REPORTED, headers);
        set_field(x, t, in, C_REASON, r, FC_REASON, headers);
        /* level cells flattened from a merge (CSV) carry the value above */
        const char *l1 = in->cell[C_LEVEL1] ? in->cell[C_LEVEL1] : "";
        const char *l2 = in->cell[C_LEVEL2] ? in->cell[C_LEVEL2] : "";
        if (blank(l1))
            l1 = prev1;
        if (blank(l2) && strcmp(l1, prev1) == 0)
            l2 = prev2;
        in->cell[C_LEVEL1] = l1, in->len[C_LEVEL1] = strlen(l1);
        in->cell[C_LEVEL2] = l2, in->len[C_LEVEL2] = strlen(l2);
        prev1 = l1, prev2 = l2;
        /* a target split over 指标性质 | 指标值 | 度量单位 */
        if (!blank(sv) || !blank(un)) {
            size_t n1 = strlen(sv), n2 = strlen(tg), n3 = strlen(un);
            const char *a = text_trim(sv, &n1), *bb = text_trim(tg, &n2), *cc = text_trim(un, &n3);
            e.composed = xmalloc(n1 + n2 + n3 + 1);
            memcpy(e.composed, a, n1);
            memcpy(e.composed + n1, bb, n2);
            memcpy(e.composed + n1 + n2, cc, n3);
            e.composed[n1 + n2 + n3] = 0;
            in->cell[C_TARGET] = e.composed;
            in->len[C_TARGET] = n1 + n2 + n3;
        }
        in->row_where = row_where(x, g, r, t->col[FC_INDICATOR]);
        if (emit)
            loader_table_row(x->L, idx, in);
        free(e.composed);
    }
    if (g->truncated && r >= g->nrows && emit)
        loader_report_error(x->L, idx, 0, 0, NULL,
                            _("%s has more than %d rows: the table is not read past its row %d"),
                            g->kind == GRID_SHEET ? arena_printf(x->doc->arena, "sheet %s", g->name)
                                                  : g->name,
                            FORM_MAX_ROWS, g->rows[g->nrows - 1].number);
    t->end = (Pos){t->item, last};
    return last;
}

/* What was looked for, for the message when nothing is found. */
static const char *looked_for(Ctx *x)
{
    const FormSpec *s = &x->set->forms[0];
    const char *w[4];
    int k[4] = {FC_INDICATOR, FC_TARGET, FC_ACTUAL, FC_WEIGHT};
    for (int i = 0; i < 4; i++)
        w[i] = s->column[k[i]].n ? s->column[k[i]].words[0] : "?";
    return arena_printf(x->doc->arena,
                        "a table whose header row holds %s, %s, %s and %s (or their synonyms in "
                        "form %s%s%s)",
                        w[0], w[1], w[2], w[3], s->name, x->set->origin ? " of " : "",
                        x->set->origin ? x->set->origin : "");
}

bool form_load(Loader *L, FormDoc *doc, const FormSet *set, const char *stem)
{
    if (doc->error) {
        diag_data(L->diags, DIAG_ERROR, L->file, 0, 0, NULL, "%s", doc->error);
        return false;
    }
    Ctx x = {L, doc, set};
    if (set->n == 0) {
        diag_data(L->diags, DIAG_ERROR, L->file, 0, 0, NULL, _("no form is declared to read %s"),
                  doc->format);
        return false;
    }
    /* Every indicator table, in document order. */
    Table *tables = NULL;
    size_t ntables = 0, cap = 0;
    for (size_t i = 0; i < doc->nitems; i++) {
        FormGrid *g = doc->items[i].grid;
        if (!g)
            continue;
        for (size_t r = 0; r < g->nrows; r++) {
            Table t;
            memset(&t, 0, sizeof t);
            t.spec = header_of(g, r, set, t.col);
            if (!t.spec)
                continue;
            t.item = i, t.grid = g, t.header = r;
            if (ntables == cap) {
                cap = cap ? cap * 2 : 4;
                tables = xrealloc(tables, cap * sizeof *tables);
            }
            tables[ntables++] = t;
            /* skip to where this table ends: the next header or the 总分 row */
            size_t k = r + 1;
            int col[FC_COUNT];
            for (; k < g->nrows; k++) {
                const FormSpec *sp = header_of(g, k, set, col);
                if (sp && !(sp == t.spec && same_map(col, t.col)))
                    break;
                bool total = false;
                for (int c = 0; c < g->rows[k].ncells && !total; c++)
                    total = c != t.col[FC_WEIGHT] && c != t.col[FC_REPORTED] &&
                            cell_is(g, k, c, &t.spec->total);
                if (total)
                    break;
            }
            r = k < g->nrows && !header_of(g, k, set, col) ? k : k - 1;
        }
    }
    /* Every budget block. */
    Budget *budgets = NULL;
    size_t nbudgets = 0, bcap = 0;
    for (size_t i = 0; i < doc->nitems; i++) {
        FormGrid *g = doc->items[i].grid;
        for (size_t r = 0; g && r < g->nrows; r++)
            for (size_t f = 0; f < set->n; f++) {
                Budget b;
                memset(&b, 0, sizeof b);
                if (!budget_at(g, r, &set->forms[f], &b))
                    continue;
                b.item = i;
                if (nbudgets == bcap) {
                    bcap = bcap ? bcap * 2 : 4;
                    budgets = xrealloc(budgets, bcap * sizeof *budgets);
                }
                budgets[nbudgets++] = b;
                r = b.row;
                break;
            }
    }
    bool ok = true;
    Pos from = {0, 0};
    for (size_t k = 0; k < ntables; k++) {
        Table *t = &tables[k];
        Pos head = {t->item, t->header};
        Pos until = k + 1 < ntables ? (Pos){tables[k + 1].item, tables[k + 1].header}
                                    : (Pos){doc->nitems, 0};
        /* the budget block: the last before the header since the previous
         * table, else the first after it before the next */
        const Budget *b = NULL;
        for (size_t i = 0; i < nbudgets; i++) {
            Pos bp = {budgets[i].item, budgets[i].header};
            if (!pos_before(bp, from) && pos_before(bp, head))
                b = &budgets[i];
        }
        for (size_t i = 0; i < nbudgets && !b; i++) {
            Pos bp = {budgets[i].item, budgets[i].header};
            if (pos_before(head, bp) && pos_before(bp, until))
                b = &budgets[i];
        }
        const char *name = name_in(&x, t->spec, from, head);
        if (!name && ntables == 1)
            name = name_in(&x, t->spec, (Pos){0, 0}, (Pos){doc->nitems, 0});
        if (!name)
            name = ntables == 1 ? stem : arena_printf(doc->arena, "%s (%s)", stem, t->grid->name);
        else if (loader_id_find(L, name, &(size_t){0})) /* two tables of one unit in one document */
            name = arena_printf(doc->arena, "%s (%s)", name, t->grid->name);
        size_t before = L->set->len;
        read_table(&x, t, b, name);
        size_t idx = L->set->len > before ? L->set->len - 1 : before - 1;
        /* a stated grade elsewhere in the document (附件4-1's 自评结论) */
        Report *rep = loader_report(L, idx);
        if (!rep->stated_grade && set->tables) {
            Found gr;
            for (size_t i = 0; i < doc->nitems && !rep->stated_grade; i++) {
                const FormGrid *g = doc->items[i].grid;
                if (g && g != t->grid && grade_in_rows(&x, t->spec, g, 0, g->nrows, &gr)) {
                    rep->stated_grade = gr.text;
                    rep->grade_pos = (DataPos){doc->file, 0, NULL, gr.where};
                    loader_meta(L, idx)->grade_line = 1;
                }
            }
        }
        figures(&x, idx, t->spec, t, b);
        from = (Pos){t->end.item, t->end.row + 1};
    }
    if (ntables == 0 && doc->none_quiet) {
        ok = false; /* a CSV is a form only with a 自评表: else the caller says why */
    } else if (ntables == 0) {
        /* Figures alone (基础数据表 without a 自评表), when the rules want some. */
        size_t before = L->set->len;
        const char *name = name_in(&x, &set->forms[0], (Pos){0, 0}, (Pos){doc->nitems, 0});
        size_t idx = claim(&x, name ? name : stem, 1, NULL);
        figures(&x, idx, &set->forms[0], NULL, nbudgets ? &budgets[0] : NULL);
        if (loader_report(L, idx)->nfigures == 0) {
            L->set->len = before;
            idset_clear(&L->file_ids);
            ok = false;
            if (doc->none_quiet)
                goto done;
            Diag *d = diag_data(L->diags, DIAG_ERROR, L->file, 0, 0, NULL,
                                _("no recognisable 自评表 in this %s document (%zu table%s): looked "
                                "for %s"),
                                doc->format, doc->ngrids, doc->ngrids == 1 ? "" : "s",
                                looked_for(&x));
            diag_set_hint(d, _("a province's own form is declared with `form` in the rule file "
                             "(docs/data.md, \"Forms\")"));
        }
    }
    if (doc->too_much)
        diag_data(L->diags, DIAG_WARNING, L->file, 0, 0, NULL,
                  _("the document is larger than the limits of a form (%d grids, %u MiB of text): "
                  "the rest is not read"),
                  FORM_MAX_GRIDS, FORM_MAX_TEXT >> 20);
done:
    free(tables);
    free(budgets);
    return ok;
}
