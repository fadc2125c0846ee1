/* text.c - the text format (docs/output.md): a report's indicator table,
 * groups, totals, checks and findings laid out for a terminal, columns
 * measured in display width, colour on request. */
#include "formats.h"

#include <stdint.h>
#include <string.h>

#include "lang/base/text.h"

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

/* Columns s takes once put_text has turned its control characters into spaces. */
static size_t cell_width(const char *s)
{
    size_t n = strlen(s), w = text_width(s, n);
    for (size_t i = 0; i < n; i++)
        w += (unsigned char)s[i] < 0x20;
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
static void put_row(FILE *f, size_t lead, const char *const *cell, const size_t *width,
                    const bool *show, int ncol)
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
        size_t w = cell_width(cell[c]);
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

static void widen(size_t *width, const char *s, size_t lead)
{
    size_t w = cell_width(s) + lead;
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
    if (cell_width(s) <= cols)
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
static const char *const ind_head[NCOL] = {"level1", "level2", "indicator", "target", "value",
                                           "weight", "score",  "reported",  ""};

typedef struct IndRow {
    const char *cell[NCOL];
    char buf[NCOL][CELL_BUF];
} IndRow;

static void ind_row(const Output *o, const ScoredIndicator *si, IndRow *row)
{
    const ScoreEval *e = &si->eval;
    row->cell[C_LEVEL1] = fit(out_or_empty(si->level1), CELL_COLS, row->buf[C_LEVEL1]);
    row->cell[C_LEVEL2] = fit(out_or_empty(si->level2), CELL_COLS, row->buf[C_LEVEL2]);
    row->cell[C_NAME] = fit(out_or_empty(si->name), NAME_COLS, row->buf[C_NAME]);
    row->cell[C_TARGET] = or_dash(out_value_text(&e->target, row->buf[C_TARGET]));
    row->cell[C_TARGET] = fit(row->cell[C_TARGET], CELL_COLS, row->buf[C_TARGET]);
    row->cell[C_VALUE] = or_dash(out_value_text(&e->value, row->buf[C_VALUE]));
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

static void text_indicators(const Output *o, const ReportResult *r)
{
    if (r->nind == 0)
        return;
    bool show[NCOL];
    size_t width[NCOL];
    for (int c = 0; c < NCOL; c++) {
        show[c] = c != C_LEVEL2 && c != C_REPORTED;
        width[c] = cell_width(ind_head[c]);
    }
    IndRow row;
    for (int i = 0; i < r->nind; i++) {
        show[C_LEVEL2] |= r->ind[i].from_table;
        show[C_REPORTED] |= r->ind[i].eval.reported.kind != TL_MISSING;
        ind_row(o, &r->ind[i], &row);
        for (int c = 0; c < NCOL; c++)
            widen(&width[c], row.cell[c], 0);
    }
    put_row(o->f, 0, ind_head, width, show, NCOL);
    for (int i = 0; i < r->nind; i++) {
        ind_row(o, &r->ind[i], &row);
        put_row(o->f, 0, row.cell, width, show, NCOL);
        if (o->explain)
            text_explain(o, &r->ind[i]);
    }
}

enum { G_NAME, G_WEIGHT, G_SUBTOTAL, G_REPORTED, NGCOL };
static const char *const group_head[NGCOL] = {"group", "weight", "subtotal", "reported"};

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
    bool show[NGCOL] = {true, true, true, false};
    size_t width[NGCOL];
    for (int c = 0; c < NGCOL; c++)
        width[c] = cell_width(group_head[c]);
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

static void text_line(const Output *o, const char *label, const char *value)
{
    if (!value)
        return;
    fprintf(o->f, "  %-12s  ", label);
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

static void text_totals(const Output *o, const ReportResult *r)
{
    char a[VAL_BUF], b[VAL_BUF], c[VAL_BUF], d[VAL_BUF], e[VAL_BUF], line[6 * VAL_BUF + 120];
    putc('\n', o->f);
    bool ranged = r->total_min.kind == TL_NUM; /* else no range was computed: the total */
    const char *lo = out_points_text(ranged ? &r->total_min : &r->total, a);
    const char *hi = out_points_text(ranged ? &r->total_max : &r->total, b);
    const char *max = out_points_text(&r->max_total, c), *verified = out_points_text(&r->total, d);
    const char *stake = out_points_text(&r->unverified_weight, e);
    if (lo) {
        size_t n = (size_t)snprintf(line, sizeof line, "%s%s", hi ? "" : "at least ", lo);
        if (hi && strcmp(lo, hi) != 0)
            n += (size_t)snprintf(line + n, sizeof line - n, "–%s", hi);
        if (max)
            n += (size_t)snprintf(line + n, sizeof line - n, " / %s", max);
        if (r->nunverified) {
            const char *known = stake ? stake : known_stake(r, e);
            snprintf(line + n, sizeof line - n, "  (%s verified; %s%s point%s unverified%s)",
                     verified ? verified : "0", stake ? "" : known ? "more than " : "",
                     known ? known : "an unknown number of", known && strcmp(known, "1") == 0 ? "" : "s",
                     o->prog && o->prog->opt.unverified == UNVERIFIED_ZERO       ? ", counted as 0"
                     : o->prog && o->prog->opt.unverified == UNVERIFIED_REPORTED ? ", as self-awarded"
                                                                                 : "");
        }
        text_line(o, "total", line);
    }
    text_line(o, "stated total", out_points_text(&r->stated_total, a));
    text_line(o, "reported sum", out_points_text(&r->reported_sum, a));
    if (r->grade && r->grade_min && r->grade_max && strcmp(r->grade_min, r->grade_max) != 0) {
        snprintf(line, sizeof line, "%s (%s to %s)", r->grade, r->grade_min, r->grade_max);
        text_line(o, "grade", line);
    } else {
        text_line(o, "grade", r->grade);
    }
    text_line(o, "stated grade", r->stated_grade);
}

static void text_checks(const Output *o, const ReportResult *r)
{
    if (r->nchecks == 0)
        return;
    FILE *f = o->f;
    fputs("\n  checks:\n", f);
    for (int i = 0; i < r->nchecks; i++) {
        const ScoredCheck *c = &r->checks[i];
        const char *word = c->result > 0 ? "passed" : c->result == 0 ? "failed" : "unknown";
        fputs("    ", f);
        paint(o, c->result > 0 ? "" : c->result == 0 ? SGR_RED : SGR_YELLOW);
        fprintf(f, "%-7s", word);
        paint(o, c->result > 0 ? "" : SGR_RESET);
        fputs("  ", f);
        put_text(f, out_or_empty(c->name));
        if (c->lhs.kind != TL_MISSING || c->rhs.kind != TL_MISSING) {
            char a[VAL_BUF], b[VAL_BUF];
            fputs(": ", f);
            put_text(f, or_dash(out_value_text(&c->lhs, a)));
            fputs(" vs ", f);
            put_text(f, or_dash(out_value_text(&c->rhs, b)));
        }
        putc('\n', f);
    }
}

static void text_findings(const Output *o, const ReportResult *r)
{
    FILE *f = o->f;
    if (r->findings.len == 0) {
        fputs("\n  findings: none\n", f);
        return;
    }
    size_t wcode = 0, wsev = 0;
    for (size_t i = 0; i < r->findings.len; i++) {
        const FindingInfo *info = finding_info(r->findings.items[i].kind);
        widen(&wcode, info->code, 0);
        widen(&wsev, out_severity_name[info->severity], 0);
    }
    fputs("\n  findings:\n", f);
    for (size_t i = 0; i < r->findings.len; i++) {
        const Finding *fi = &r->findings.items[i];
        const FindingInfo *info = finding_info(fi->kind);
        char rule[512];
        fputs("    ", f);
        paint(o, severity_color(info->severity));
        fprintf(f, "%-*s  %-*s", (int)wcode, info->code, (int)wsev,
                out_severity_name[info->severity]);
        paint(o, info->severity == DIAG_NOTE ? "" : SGR_RESET);
        fputs("  ", f);
        if (out_nonempty(fi->subject)) {
            put_text(f, fi->subject);
            fputs(": ", f);
        }
        put_text(f, out_or_empty(fi->message));
        if (out_rule_text(fi, rule, sizeof rule)) {
            fputs("  [", f);
            put_text(f, rule);
            putc(']', f);
        }
        if (fi->where) {
            fputs("  at ", f);
            put_text(f, fi->where);
        }
        putc('\n', f);
    }
}

void out_text_report(const Output *o, const ReportResult *r)
{
    FILE *f = o->f;
    if (o->count > 1)
        putc('\n', f);
    paint(o, SGR_BOLD);
    fputs("report ", f);
    put_text(f, out_or_empty(r->id));
    paint(o, SGR_RESET);
    if (r->error) {
        fputs(" — ", f);
        paint(o, SGR_RED);
        fputs("error: ", f);
        put_text(f, r->error);
        paint(o, SGR_RESET);
        putc('\n', f);
        return;
    }
    putc('\n', f);
    if (o->versions && o->version) {
        fprintf(f, "  rules: ");
        put_text(f, o->version);
        if (out_nonempty(o->version_years))
            fprintf(f, " (applies %s)", o->version_years);
        if (r->report && r->report->year)
            fprintf(f, ", year %d", r->report->year);
        putc('\n', f);
    }
    text_indicators(o, r);
    text_groups(o, r);
    text_totals(o, r);
    text_checks(o, r);
    text_findings(o, r);
}
