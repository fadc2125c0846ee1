/* text.c - the text format (docs/output.md): a report's indicator table,
 * groups, totals, checks and findings laid out for a terminal, columns
 * measured in display width, colour on request. */
#include "formats.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lang/base/memstream.h"
#include "lang/base/text.h"
#include "lang/builtins.h"

#define SGR_BOLD "\033[1m"
#define SGR_RED "\033[31m"
#define SGR_YELLOW "\033[33m"
#define SGR_RESET "\033[0m"

/* s, or a dash for a cell without a value. */
static const char *or_dash(const char *s) { return s ? s : "—"; }

static void paint(const Output *o, const char *sgr)
{
    if (o->color)
        fputs(sgr, o->f);
}

static const char *severity_color(DiagSeverity s)
{
    return s == DIAG_ERROR ? SGR_RED : s == DIAG_WARNING ? SGR_YELLOW : "";
}

/* Columns s takes once put_text has turned its control characters into spaces.
 * Printable ASCII (one column) and the ideographs U+4000..U+9FFF (lead
 * bytes E4..E9: two columns, never a combining mark) are counted inline;
 * from the first other character on, text_width() decides (issue 16: the
 * width of every cell was a quarter of a text run). */
size_t out_cell_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0;
    for (;;) {
        unsigned c = *p;
        if (c >= 0x20 && c < 0x7F) {
            w++;
            p++;
        } else if (c - 0xE4u <= 0xE9u - 0xE4u && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
            w += 2;
            p += 3;
        } else {
            break;
        }
    }
    if (!*p)
        return w;
    const char *rest = (const char *)p;
    size_t n = strlen(rest);
    w += text_width(rest, n);
    for (size_t i = 0; i < n; i++)
        w += (unsigned char)rest[i] < 0x20;
    return w;
}

/* Write s on one line: control characters (a newline inside a cell) become spaces. */
static void put_text(FILE *f, const char *s)
{
    for (; *s; s++)
        putc((unsigned char)*s < 0x20 ? ' ' : *s, f);
}

static void pad(FILE *f, size_t n)
{
    while (n--)
        putc(' ', f);
}

/* Write `label` and s after `indent`; continuation lines of s start under s. */
static void put_block(FILE *f, const char *indent, const char *label, const char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
        n--;
    fputs(indent, f);
    fputs(label, f);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') {
            putc('\n', f);
            fputs(indent, f);
            pad(f, strlen(label));
        } else if (s[i] != '\r') {
            putc((unsigned char)s[i] < 0x20 ? ' ' : s[i], f);
        }
    }
    putc('\n', f);
}

/* One table line: the shown cells two spaces apart, padded to the column
 * widths (the first after `lead` spaces), no trailing blanks. */
static void put_row_measured(FILE *f, size_t lead, const char *const *cell, const size_t *cw,
                             const size_t *width, const bool *show, int ncol)
{
    int last = -1;
    for (int c = 0; c < ncol; c++)
        if (show[c] && *cell[c])
            last = c;
    if (last >= 0)
        fputs("  ", f);
    bool first = true;
    for (int c = 0; c <= last; c++) {
        if (!show[c])
            continue;
        size_t w = cw ? cw[c] : out_cell_width(cell[c]);
        if (!first)
            fputs("  ", f);
        if (first) {
            pad(f, lead);
            w += lead;
        }
        first = false;
        put_text(f, cell[c]);
        if (c < last)
            pad(f, width[c] - w);
    }
    putc('\n', f);
}

/* put_row_measured(), each cell's width measured here. */
static void put_row(FILE *f, size_t lead, const char *const *cell, const size_t *width,
                    const bool *show, int ncol)
{
    put_row_measured(f, lead, cell, NULL, width, show, ncol);
}

static void widen(size_t *width, const char *s, size_t lead)
{
    size_t w = out_cell_width(s) + lead;
    if (w > *width)
        *width = w;
}

/* Widest a text cell of the indicator table gets; longer text ends in "…"
 * (the other formats and the findings list carry it in full). */
#define CELL_COLS 24
#define NAME_COLS 40
#define CELL_BUF (4 * NAME_COLS + 8)

/* s, or its longest prefix that fits `cols` columns followed by "…" (in buf
 * of CELL_BUF bytes, which may hold s itself). */
static const char *fit(const char *s, size_t cols, char *buf)
{
    if (out_cell_width(s) <= cols)
        return s;
    size_t n = strlen(s), i = 0, w = 0;
    while (i < n) {
        uint32_t cp;
        int k = utf8_decode(s + i, n - i, &cp);
        size_t cw = k == 0 || cp < 0x20 ? 1 : (size_t)cp_width(cp);
        if (k == 0)
            k = 1;
        if (w + cw > cols - 1 || i + (size_t)k + sizeof "…" > CELL_BUF)
            break;
        w += cw;
        i += (size_t)k;
    }
    memmove(buf, s, i);
    strcpy(buf + i, "…");
    return buf;
}

enum { C_LEVEL1, C_LEVEL2, C_NAME, C_TARGET, C_VALUE, C_WEIGHT, C_SCORE, C_REPORTED, C_MARK, NCOL };
static const char *const ind_head_en[NCOL] = {N_("level1"), N_("level2"), N_("indicator"),
                                              N_("target"), N_("value"),   N_("weight"),
                                              N_("score"),  N_("reported"), ""};

typedef struct IndRow {
    const char *cell[NCOL];
    size_t cw[NCOL]; /* each cell's width (cell_width), once measured */
    char buf[NCOL][CELL_BUF];
} IndRow;

static void measure(IndRow *row, int c) { row->cw[c] = out_cell_width(row->cell[c]); }

static void ind_row(const Output *o, const ScoredIndicator *si, IndRow *row)
{
    const ScoreEval *e = &si->eval;
    row->cell[C_LEVEL1] = fit(out_or_empty(si->level1), CELL_COLS, row->buf[C_LEVEL1]);
    row->cell[C_LEVEL2] = fit(out_or_empty(si->level2), CELL_COLS, row->buf[C_LEVEL2]);
    row->cell[C_NAME] = fit(out_or_empty(si->name), NAME_COLS, row->buf[C_NAME]);
    row->cell[C_TARGET] = or_dash(out_shown_text(o, &e->target, row->buf[C_TARGET]));
    row->cell[C_TARGET] = fit(row->cell[C_TARGET], CELL_COLS, row->buf[C_TARGET]);
    row->cell[C_VALUE] = or_dash(out_shown_text(o, &e->value, row->buf[C_VALUE]));
    row->cell[C_VALUE] = fit(row->cell[C_VALUE], CELL_COLS, row->buf[C_VALUE]);
    row->cell[C_WEIGHT] = or_dash(out_points_text(&e->weight, row->buf[C_WEIGHT]));
    row->cell[C_SCORE] = or_dash(out_points_text(&e->score, row->buf[C_SCORE]));
    row->cell[C_REPORTED] = or_dash(out_points_text(&e->reported, row->buf[C_REPORTED]));
    char *m = row->buf[C_MARK];
    int k = 0;
    if (out_score_differs(o, e))
        m[k++] = '*';
    if (e->clamped)
        m[k++] = '!';
    if (e->score.kind == TL_MISSING)
        m[k++] = '?';
    m[k] = '\0';
    row->cell[C_MARK] = m;
}

static void text_explain(const Output *o, const ScoredIndicator *si)
{
    static const char indent[] = "      ";
    FILE *f = o->f;
    if (out_nonempty(si->method)) {
        fputs(indent, f);
        fputs("method: ", f);
        put_text(f, si->method);
        if (out_nonempty(si->why)) {
            fputs(" (", f);
            put_text(f, si->why);
            putc(')', f);
        }
        putc('\n', f);
    }
    if (out_nonempty(si->formula))
        put_block(f, indent, "formula: ", si->formula);
    for (int i = 0; i < si->explain.len; i++)
        put_block(f, indent, "", out_or_empty(si->explain.lines[i]));
}

/* The table's headings in the thread's language. */
static void headings(const char *const *en, const char **out, int n)
{
    for (int c = 0; c < n; c++)
        out[c] = *en[c] ? _(en[c]) : "";
}

/* Write s (control characters as spaces) in lines of `cols` columns (0: one
 * line): the first where the caller is, the next after `indent` spaces.
 * How many lines. */
static int put_wrapped(FILE *f, const char *s, size_t cols, size_t indent)
{
    size_t n = strlen(s);
    int lines = 0;
    while (n > 0 || lines == 0) {
        size_t k = cols > 0 ? text_wrap_at(s, n, cols) : n;
        size_t e = k;
        while (e > 0 && s[e - 1] == ' ')
            e--;
        if (lines++) {
            putc('\n', f);
            pad(f, indent);
        }
        for (size_t i = 0; i < e; i++)
            putc((unsigned char)s[i] < 0x20 ? ' ' : s[i], f);
        s += k;
        n -= k;
        while (n > 0 && *s == ' ') {
            s++;
            n--;
        }
        if (n == 0)
            break;
    }
    return lines;
}

/* Which markers the table shows: *, !, ? and ≈ (the legend's lines). */
static void legend_seen(const IndRow *rows, int n, bool seen[4])
{
    for (int i = 0; i < n; i++) {
        const IndRow *row = &rows[i];
        seen[0] |= strchr(row->cell[C_MARK], '*') != NULL;
        seen[1] |= strchr(row->cell[C_MARK], '!') != NULL;
        seen[2] |= strchr(row->cell[C_MARK], '?') != NULL;
        seen[3] |= strstr(row->cell[C_TARGET], "≈") || strstr(row->cell[C_VALUE], "≈");
    }
}

/* The legend of the markers the table shows (the terminal layout only). */
static void text_legend(const Output *o, const bool seen[4])
{
    if (o->width <= 0)
        return;
    static const char *const what[4] = {
        N_("* the recomputed score differs from the self-awarded one"),
        N_("! the formula's score was clamped to [0, weight]"),
        N_("? no score could be computed"),
        N_("≈ a figure rounded for display (option show_places); CSV and JSON hold it exactly")};
    for (int k = 0; k < 4; k++)
        if (seen[k]) {
            fputs("  ", o->f);
            put_wrapped(o->f, _(what[k]), (size_t)o->width > 24 ? (size_t)o->width - 4 : 20, 4);
            putc('\n', o->f);
        }
}

/* The budget execution row (scored by score_exec) shows its rate after
 * the amount spent: "11458.23万元 (100%)" (the terminal layout only). */
static bool budget_rate(const ScoredIndicator *si, IndRow *row)
{
    const TlValue *t = &si->eval.target, *v = &si->eval.value;
    if (!si->branch || strcmp(si->branch, BUILTIN_BRANCH_EXEC_RATE) != 0 ||
        t->kind != TL_NUM || v->kind != TL_NUM || t->numkind != v->numkind ||
        (t->unit != v->unit && (!t->unit || !v->unit || strcmp(t->unit, v->unit) != 0)))
        return false;
    TlValue rate = val_num(dec_from_int(0));
    if (dec_is_zero(t->u.num) || !dec_div(v->u.num, t->u.num, &rate.u.num))
        return false;
    rate.u.num = dec_round(rate.u.num, 4);
    rate.numkind = NUM_PERCENT;
    char r[VAL_BUF], shown[CELL_BUF];
    snprintf(shown, sizeof shown, "%s (%s)", row->cell[C_VALUE], out_value_text(&rate, r));
    strcpy(row->buf[C_VALUE], shown);
    row->cell[C_VALUE] = row->buf[C_VALUE];
    return true;
}

/* The indicator table laid out to o->width when it does not fit on one line
 * a row: the level-1 and level-2 labels become headings over their rows,
 * and long names continue on the next lines of their column. */
static void text_indicators_narrow(const Output *o, const ReportResult *r, IndRow *rows,
                                   const char **head, bool *show, size_t *width)
{
    FILE *f = o->f;
    for (int i = 0; i < r->nind; i++) { /* the budget row's rate widens its value */
        if (budget_rate(&r->ind[i], &rows[i]))
            measure(&rows[i], C_VALUE);
        if (rows[i].cw[C_VALUE] > width[C_VALUE])
            width[C_VALUE] = rows[i].cw[C_VALUE];
    }
    bool levels = show[C_LEVEL1] || show[C_LEVEL2];
    show[C_LEVEL1] = show[C_LEVEL2] = false;
    size_t lead = levels ? 4 : 0, rest = 2 + lead;
    for (int c = C_NAME + 1; c < NCOL; c++)
        if (show[c])
            rest += 2 + width[c];
    /* Target and value give up columns (down to 10) before the name has fewer than 16. */
    while (rest + 16 > (size_t)o->width && (width[C_TARGET] > 10 || width[C_VALUE] > 10)) {
        width[width[C_TARGET] >= width[C_VALUE] ? C_TARGET : C_VALUE]--;
        rest--;
    }
    size_t name_cols = (size_t)o->width > rest + 12 ? (size_t)o->width - rest : 12;
    if (width[C_NAME] > name_cols)
        width[C_NAME] = name_cols;
    size_t name_w = width[C_NAME];
    width[C_NAME] += lead; /* rows start `lead` columns in, under their headings */
    put_row(f, 0, head, width, show, NCOL);
    const char *l1 = NULL, *l2 = NULL;
    for (int i = 0; i < r->nind; i++) {
        const ScoredIndicator *si = &r->ind[i];
        if (levels && (!l1 || strcmp(out_or_empty(si->level1), l1) != 0)) {
            l1 = out_or_empty(si->level1);
            l2 = NULL;
            if (*l1) {
                fputs("  ", f);
                put_text(f, l1);
                putc('\n', f);
            }
        }
        if (levels && (!l2 || strcmp(out_or_empty(si->level2), l2) != 0)) {
            l2 = out_or_empty(si->level2);
            if (*l2) {
                fputs("    ", f);
                put_text(f, l2);
                putc('\n', f);
            }
        }
        IndRow *row = &rows[i];
        for (int c = C_TARGET; c <= C_VALUE; c++)
            if (row->cw[c] > width[c]) {
                row->cell[c] = fit(row->cell[c], width[c], row->buf[c]);
                measure(row, c);
            }
        /* The full name, in lines of the name column; the other cells on the first. */
        const char *name = out_or_empty(si->name);
        size_t n = strlen(name), first = text_wrap_at(name, n, name_w);
        char line[CELL_BUF];
        size_t e = first < sizeof line ? first : 0;
        memcpy(line, name, e);
        line[e] = '\0';
        if (e) {
            row->cell[C_NAME] = line;
            measure(row, C_NAME);
        }
        put_row_measured(f, lead, row->cell, row->cw, width, show, NCOL);
        const char *more = name + (e ? first : n);
        while (*more == ' ')
            more++;
        if (*more) {
            pad(f, 2 + lead);
            put_wrapped(f, more, name_w, 2 + lead);
            putc('\n', f);
        }
        if (o->explain)
            text_explain(o, si);
    }
}

/* Every row's cells are made and measured once (issue 16: they were made
 * three or four times a report: widths, the narrow layout's two passes,
 * the legend). */
static void text_indicators(const Output *o, const ReportResult *r)
{
    if (r->nind == 0)
        return;
    const char *ind_head[NCOL];
    headings(ind_head_en, ind_head, NCOL);
    bool show[NCOL];
    size_t width[NCOL];
    for (int c = 0; c < NCOL; c++) {
        show[c] = c != C_LEVEL2 && c != C_REPORTED;
        width[c] = out_cell_width(ind_head[c]);
    }
    IndRow *rows = xmalloc((size_t)r->nind * sizeof *rows);
    for (int i = 0; i < r->nind; i++) {
        show[C_LEVEL2] |= r->ind[i].from_table;
        show[C_REPORTED] |= r->ind[i].eval.reported.kind != TL_MISSING;
        ind_row(o, &r->ind[i], &rows[i]);
        for (int c = 0; c < NCOL; c++) {
            measure(&rows[i], c);
            if (rows[i].cw[c] > width[c])
                width[c] = rows[i].cw[c];
        }
    }
    bool seen[4] = {false, false, false, false};
    legend_seen(rows, r->nind, seen);
    size_t total = 0;
    for (int c = 0; c < NCOL; c++)
        total += show[c] ? 2 + width[c] : 0;
    if (o->width > 0 && total > (size_t)o->width) {
        text_indicators_narrow(o, r, rows, ind_head, show, width);
    } else {
        put_row(o->f, 0, ind_head, width, show, NCOL);
        for (int i = 0; i < r->nind; i++) {
            put_row_measured(o->f, 0, rows[i].cell, rows[i].cw, width, show, NCOL);
            if (o->explain)
                text_explain(o, &r->ind[i]);
        }
    }
    free(rows);
    text_legend(o, seen);
}

enum { G_NAME, G_WEIGHT, G_SUBTOTAL, G_REPORTED, NGCOL };
static const char *const group_head_en[NGCOL] = {N_("group"), N_("weight"), N_("subtotal"),
                                                 N_("reported")};

typedef struct GroupRow {
    const char *cell[NGCOL];
    char buf[NGCOL][VAL_BUF];
} GroupRow;

static void group_row(const ScoredGroup *g, GroupRow *row)
{
    row->cell[G_NAME] = out_or_empty(g->name);
    row->cell[G_WEIGHT] = out_dec_text(g->weight, row->buf[G_WEIGHT]);
    row->cell[G_SUBTOTAL] = or_dash(out_points_text(&g->subtotal, row->buf[G_SUBTOTAL]));
    row->cell[G_REPORTED] = or_dash(out_points_text(&g->reported, row->buf[G_REPORTED]));
}

static size_t group_lead(const ScoredGroup *g) { return g->depth > 0 ? 2 * (size_t)g->depth : 0; }

static void text_groups(const Output *o, const ReportResult *r)
{
    if (r->ngroups == 0)
        return;
    const char *group_head[NGCOL];
    headings(group_head_en, group_head, NGCOL);
    bool show[NGCOL] = {true, true, true, false};
    size_t width[NGCOL];
    for (int c = 0; c < NGCOL; c++)
        width[c] = out_cell_width(group_head[c]);
    GroupRow row;
    for (int i = 0; i < r->ngroups; i++) {
        show[G_REPORTED] |= r->groups[i].reported.kind != TL_MISSING;
        group_row(&r->groups[i], &row);
        for (int c = 0; c < NGCOL; c++)
            widen(&width[c], row.cell[c], c == G_NAME ? group_lead(&r->groups[i]) : 0);
    }
    putc('\n', o->f);
    put_row(o->f, 0, group_head, width, show, NGCOL);
    for (int i = 0; i < r->ngroups; i++) {
        group_row(&r->groups[i], &row);
        put_row(o->f, group_lead(&r->groups[i]), row.cell, width, show, NGCOL);
    }
}

/* "  label  value", the labels padded to 12 columns (display width). */
static void text_line(const Output *o, const char *label, const char *value)
{
    if (!value)
        return;
    size_t w = out_cell_width(label);
    fputs("  ", o->f);
    put_text(o->f, label);
    pad(o->f, (w < 12 ? 12 - w : 0) + 2);
    put_text(o->f, value);
    putc('\n', o->f);
}

/* The known weights of the unverified indicators, when some are unknown. */
static const char *known_stake(const ReportResult *r, char *buf)
{
    TlDec sum = dec_from_int(0);
    for (int i = 0; i < r->nind; i++)
        if (r->ind[i].unverified && r->ind[i].eval.weight.kind == TL_NUM &&
            !dec_add(sum, r->ind[i].eval.weight.u.num, &sum))
            break;
    return dec_is_zero(sum) ? NULL : out_dec_text(sum, buf);
}

/* A report's total as its text shows it: "lo", "lo–hi" while rows are
 * unverified, "at least lo" with no upper end, then " / max"; into
 * line[0 .. size), its length returned (0: no total). */
static size_t total_text(const ReportResult *r, char *line, size_t size)
{
    char a[VAL_BUF], b[VAL_BUF], c[VAL_BUF];
    const TlValue *vlo, *vhi;
    out_total_range(r, &vlo, &vhi);
    const char *lo = out_points_text(vlo, a), *hi = out_points_text(vhi, b);
    const char *max = out_points_text(&r->max_total, c);
    if (!lo)
        return 0;
    size_t n = (size_t)snprintf(line, size, hi ? "%s" : _("at least %s"), lo);
    if (hi && strcmp(lo, hi) != 0)
        n += (size_t)snprintf(line + n, size - n, "–%s", hi);
    if (max)
        n += (size_t)snprintf(line + n, size - n, " / %s", max);
    return n;
}

/* A report's grade, "grade (min to max)" when its range spans grades. */
static const char *grade_text(const ReportResult *r, char *line, size_t size)
{
    if (r->grade && r->grade_min && r->grade_max && strcmp(r->grade_min, r->grade_max) != 0) {
        snprintf(line, size, _("%s (%s to %s)"), r->grade, r->grade_min, r->grade_max);
        return line;
    }
    return r->grade;
}

static void text_totals(const Output *o, const ReportResult *r)
{
    char a[VAL_BUF], d[VAL_BUF], e[VAL_BUF], line[6 * VAL_BUF + 120];
    putc('\n', o->f);
    const char *verified = out_points_text(&r->total, d);
    const char *stake = out_points_text(&r->unverified_weight, e);
    size_t n = total_text(r, line, sizeof line);
    if (n) {
        if (r->nunverified) {
            const char *known = stake ? stake : known_stake(r, e);
            bool one = known && strcmp(known, "1") == 0;
            snprintf(line + n, sizeof line - n,
                     one ? _("  (%s verified; %s%s point unverified%s)")
                         : _("  (%s verified; %s%s points unverified%s)"),
                     verified ? verified : "0", stake ? "" : known ? _("more than ") : "",
                     known ? known : _("an unknown number of"),
                     o->prog && o->prog->opt.unverified == UNVERIFIED_ZERO       ? _(", counted as 0")
                     : o->prog && o->prog->opt.unverified == UNVERIFIED_REPORTED ? _(", as self-awarded")
                                                                                 : "");
        }
        text_line(o, _("total"), line);
    }
    text_line(o, _("stated total"), out_points_text(&r->stated_total, a));
    text_line(o, _("reported sum"), out_points_text(&r->reported_sum, a));
    text_line(o, _("grade"), grade_text(r, line, sizeof line));
    text_line(o, _("stated grade"), r->stated_grade);
}

static void text_checks(const Output *o, const ReportResult *r)
{
    if (r->nchecks == 0)
        return;
    FILE *f = o->f;
    fprintf(f, "\n  %s\n", _("checks:"));
    for (int i = 0; i < r->nchecks; i++) {
        const ScoredCheck *c = &r->checks[i];
        const char *word = c->result > 0 ? _("passed") : c->result == 0 ? _("failed") : _("unknown");
        fputs("    ", f);
        paint(o, c->result > 0 ? "" : c->result == 0 ? SGR_RED : SGR_YELLOW);
        put_text(f, word);
        size_t ww = out_cell_width(word);
        pad(f, ww < 7 ? 7 - ww : 0);
        paint(o, c->result > 0 ? "" : SGR_RESET);
        fputs("  ", f);
        put_text(f, out_or_empty(c->name));
        if (c->lhs.kind != TL_MISSING || c->rhs.kind != TL_MISSING) {
            char a[VAL_BUF], b[VAL_BUF];
            fputs(": ", f);
            put_text(f, or_dash(out_value_text(&c->lhs, a)));
            fputs(_(" vs "), f);
            put_text(f, or_dash(out_value_text(&c->rhs, b)));
        }
        putc('\n', f);
    }
}

static void text_findings(const Output *o, const ReportResult *r)
{
    FILE *f = o->f;
    if (r->findings.len == 0) {
        fprintf(f, "\n  %s\n", _("findings: none"));
        return;
    }
    size_t wcode = 0, wsev = 0;
    for (size_t i = 0; i < r->findings.len; i++) {
        const FindingInfo *info = finding_info(r->findings.items[i].kind);
        widen(&wcode, info->code, 0);
        widen(&wsev, _(out_severity_name[info->severity]), 0);
    }
    fprintf(f, "\n  %s\n", _("findings:"));
    /* The message, its rule and its place in the report, wrapped to the
     * width under the message's first column (a hanging indent). */
    size_t indent = 4 + wcode + 2 + wsev + 2;
    size_t cols = o->width > 0 ? ((size_t)o->width > indent + 20 ? (size_t)o->width - indent : 20) : 0;
    for (size_t i = 0; i < r->findings.len; i++) {
        const Finding *fi = &r->findings.items[i];
        const FindingInfo *info = finding_info(fi->kind);
        const char *sev = _(out_severity_name[info->severity]);
        char rule[512];
        fputs("    ", f);
        paint(o, severity_color(info->severity));
        fprintf(f, "%-*s  ", (int)wcode, info->code);
        put_text(f, sev);
        pad(f, wsev - out_cell_width(sev));
        paint(o, info->severity == DIAG_NOTE ? "" : SGR_RESET);
        fputs("  ", f);
        char *text = NULL;
        size_t len = 0;
        FILE *m = memstream_open(&text, &len); /* failing, out of memory: exit 3 */
        if (out_nonempty(fi->subject))
            fprintf(m, _("%s: %s"), fi->subject, out_or_empty(fi->message));
        else
            fputs(out_or_empty(fi->message), m);
        if (out_rule_text(fi, rule, sizeof rule))
            fprintf(m, "  [%s]", rule);
        if (fi->where) {
            fputs("  ", m);
            fprintf(m, _("at %s"), fi->where);
        }
        fclose(m);
        put_wrapped(f, text, cols, indent);
        free(text);
        putc('\n', f);
    }
}

void out_text_report(const Output *o, const ReportResult *r)
{
    FILE *f = o->f;
    if (o->count > 1)
        putc('\n', f);
    paint(o, SGR_BOLD);
    fputs(_("report "), f);
    put_text(f, out_or_empty(r->id));
    paint(o, SGR_RESET);
    if (r->error) {
        fputs(" — ", f);
        paint(o, SGR_RED);
        fputs(_("error: "), f);
        put_text(f, r->error);
        paint(o, SGR_RESET);
        putc('\n', f);
        return;
    }
    putc('\n', f);
    if (o->versions && o->version) {
        fprintf(f, "  %s", _("rules: "));
        put_text(f, o->version);
        if (out_nonempty(o->version_years))
            fprintf(f, _(" (applies %s)"), o->version_years);
        if (r->report && r->report->year)
            fprintf(f, _(", year %d"), r->report->year);
        putc('\n', f);
    }
    text_indicators(o, r);
    text_groups(o, r);
    text_totals(o, r);
    text_checks(o, r);
    text_findings(o, r);
}

/* --totals: "LABEL VALUE" two spaces after the previous field; missing is —. */
static void totals_field(FILE *f, const char *label, const char *value)
{
    fputs("  ", f);
    fputs(label, f);
    putc(' ', f);
    put_text(f, value ? value : "—");
}

/* --totals: one line per report, its id and place, its totals as the end of
 * its full report shows them (a range while rows could not be verified),
 * and its findings counted. */
void out_text_totals(const Output *o, const ReportResult *r)
{
    FILE *f = o->f;
    char place[512], a[VAL_BUF], line[3 * VAL_BUF + 64];
    put_text(f, out_or_empty(r->id));
    if (r->report) {
        fputs("  ", f);
        put_text(f, pos_place(&r->report->pos, place, sizeof place));
    }
    if (r->error) {
        fputs("  ", f);
        fputs(_("error: "), f);
        put_text(f, r->error);
        putc('\n', f);
        return;
    }
    totals_field(f, _("total"), total_text(r, line, sizeof line) ? line : NULL);
    totals_field(f, _("stated total"), out_points_text(&r->stated_total, a));
    totals_field(f, _("reported sum"), out_points_text(&r->reported_sum, a));
    totals_field(f, _("grade"), grade_text(r, line, sizeof line));
    totals_field(f, _("stated grade"), r->stated_grade);
    const char *codes[F_KIND_COUNT];
    int errors, warnings, ncodes;
    out_finding_counts(r, &errors, &warnings, codes, &ncodes);
    fprintf(f, "  %s %d  %s %d", _("errors"), errors, _("warnings"), warnings);
    for (int i = 0; i < ncodes; i++) {
        fputs(i ? " " : "  ", f);
        fputs(codes[i], f);
    }
    putc('\n', f);
}
