/* output.c - text, CSV and JSON rendering of scored reports (docs/output.md). */
#include "output.h"

#include <stdint.h>
#include <string.h>

#include "lang/base/text.h"

#define OUT_PLACES 10 /* decimals kept for points: every score and total the rules produce */

#define SGR_BOLD "\033[1m"
#define SGR_RED "\033[31m"
#define SGR_YELLOW "\033[33m"
#define SGR_RESET "\033[0m"

static const char *const severity_name[] = {"error", "warning", "note"};

/* Values ------------------------------------------------------------------- */

/* A value as written ("15人", "90%", a text in full); NULL when missing. */
static const char *value_text(const TlValue *v, char *buf)
{
    if (v->kind == TL_MISSING)
        return NULL;
    if (v->kind == TL_TEXT)
        return v->u.text ? v->u.text : "";
    val_format(v, buf);
    return buf;
}

/* Points (weights, scores, totals): the exact decimal without trailing zeros;
 * any other value as written; NULL when missing.  buf holds VAL_BUF bytes. */
static const char *points_text(const TlValue *v, char *buf)
{
    if (v->kind != TL_NUM)
        return value_text(v, buf);
    dec_format_trim(v->u.num, OUT_PLACES, buf);
    return buf;
}

static const char *dec_text(TlDec d, char *buf)
{
    dec_format_trim(d, OUT_PLACES, buf);
    return buf;
}

static const char *or_dash(const char *s) { return s ? s : "—"; }
static const char *or_empty(const char *s) { return s ? s : ""; }
static bool nonempty(const char *s) { return s && *s; }

/* Does the recomputed score differ from the self-awarded one by more than the tolerance? */
static bool score_differs(const Output *o, const ScoreEval *e)
{
    if (e->score.kind != TL_NUM || e->reported.kind != TL_NUM)
        return false;
    TlDec d, tol = o->prog ? o->prog->opt.score_tolerance : dec_from_int(0);
    if (!dec_sub(e->score.u.num, e->reported.u.num, &d) || d.coef == INT64_MIN)
        return true;
    return dec_cmp(dec_abs_unchecked(d), tol) > 0;
}

/* "FILE:LINE" of the rule that decided a finding, or NULL. */
static const char *rule_text(const Finding *fi, char *buf, size_t n)
{
    if (!fi->src)
        return NULL;
    int line, col;
    source_position(fi->src, fi->rule.start, &line, &col);
    snprintf(buf, n, "%s:%d", or_empty(fi->src->name), line);
    return buf;
}

static bool names_indicator(const ReportResult *r, const char *s)
{
    for (int i = 0; i < r->nind; i++)
        if (r->ind[i].name && strcmp(r->ind[i].name, s) == 0)
            return true;
    return false;
}

/* Is the finding about `subject`, or (subject NULL) about no indicator of r? */
static bool finding_about(const ReportResult *r, const Finding *fi, const char *subject)
{
    const char *s = or_empty(fi->subject);
    return subject ? strcmp(s, subject) == 0 : !names_indicator(r, s);
}

/* Text --------------------------------------------------------------------- */

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
    row->cell[C_LEVEL1] = fit(or_empty(si->level1), CELL_COLS, row->buf[C_LEVEL1]);
    row->cell[C_LEVEL2] = fit(or_empty(si->level2), CELL_COLS, row->buf[C_LEVEL2]);
    row->cell[C_NAME] = fit(or_empty(si->name), NAME_COLS, row->buf[C_NAME]);
    row->cell[C_TARGET] = or_dash(value_text(&e->target, row->buf[C_TARGET]));
    row->cell[C_TARGET] = fit(row->cell[C_TARGET], CELL_COLS, row->buf[C_TARGET]);
    row->cell[C_VALUE] = or_dash(value_text(&e->value, row->buf[C_VALUE]));
    row->cell[C_VALUE] = fit(row->cell[C_VALUE], CELL_COLS, row->buf[C_VALUE]);
    row->cell[C_WEIGHT] = or_dash(points_text(&e->weight, row->buf[C_WEIGHT]));
    row->cell[C_SCORE] = or_dash(points_text(&e->score, row->buf[C_SCORE]));
    row->cell[C_REPORTED] = or_dash(points_text(&e->reported, row->buf[C_REPORTED]));
    char *m = row->buf[C_MARK];
    int k = 0;
    if (score_differs(o, e))
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
    if (nonempty(si->method)) {
        fputs(indent, f);
        fputs("method: ", f);
        put_text(f, si->method);
        if (nonempty(si->why)) {
            fputs(" (", f);
            put_text(f, si->why);
            putc(')', f);
        }
        putc('\n', f);
    }
    if (nonempty(si->formula))
        put_block(f, indent, "formula: ", si->formula);
    for (int i = 0; i < si->explain.len; i++)
        put_block(f, indent, "", or_empty(si->explain.lines[i]));
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
    row->cell[G_NAME] = or_empty(g->name);
    row->cell[G_WEIGHT] = dec_text(g->weight, row->buf[G_WEIGHT]);
    row->cell[G_SUBTOTAL] = or_dash(points_text(&g->subtotal, row->buf[G_SUBTOTAL]));
    row->cell[G_REPORTED] = or_dash(points_text(&g->reported, row->buf[G_REPORTED]));
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

static void text_totals(const Output *o, const ReportResult *r)
{
    char a[VAL_BUF], b[VAL_BUF], line[2 * VAL_BUF + 8];
    putc('\n', o->f);
    const char *total = points_text(&r->total, a), *max = points_text(&r->max_total, b);
    if (total) {
        snprintf(line, sizeof line, "%s%s%s", total, max ? " / " : "", max ? max : "");
        text_line(o, "total", line);
    }
    text_line(o, "stated total", points_text(&r->stated_total, a));
    text_line(o, "reported sum", points_text(&r->reported_sum, a));
    text_line(o, "grade", r->grade);
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
        put_text(f, or_empty(c->name));
        if (c->lhs.kind != TL_MISSING || c->rhs.kind != TL_MISSING) {
            char a[VAL_BUF], b[VAL_BUF];
            fputs(": ", f);
            put_text(f, or_dash(value_text(&c->lhs, a)));
            fputs(" vs ", f);
            put_text(f, or_dash(value_text(&c->rhs, b)));
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
        widen(&wsev, severity_name[info->severity], 0);
    }
    fputs("\n  findings:\n", f);
    for (size_t i = 0; i < r->findings.len; i++) {
        const Finding *fi = &r->findings.items[i];
        const FindingInfo *info = finding_info(fi->kind);
        char rule[512];
        fputs("    ", f);
        paint(o, severity_color(info->severity));
        fprintf(f, "%-*s  %-*s", (int)wcode, info->code, (int)wsev, severity_name[info->severity]);
        paint(o, info->severity == DIAG_NOTE ? "" : SGR_RESET);
        fputs("  ", f);
        if (nonempty(fi->subject)) {
            put_text(f, fi->subject);
            fputs(": ", f);
        }
        put_text(f, or_empty(fi->message));
        if (rule_text(fi, rule, sizeof rule)) {
            fputs("  [", f);
            put_text(f, rule);
            putc(']', f);
        }
        putc('\n', f);
    }
}

static void text_report(const Output *o, const ReportResult *r)
{
    FILE *f = o->f;
    if (o->count > 1)
        putc('\n', f);
    paint(o, SGR_BOLD);
    fputs("report ", f);
    put_text(f, or_empty(r->id));
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
    text_indicators(o, r);
    text_groups(o, r);
    text_totals(o, r);
    text_checks(o, r);
    text_findings(o, r);
}

/* CSV ---------------------------------------------------------------------- */

static const char csv_header[] =
    "report,level1,level2,indicator,target,value,weight,score,reported,method,branch,findings\r\n";

static bool csv_needs_quotes(const char *s) { return strpbrk(s, ",\"\r\n") != NULL; }

static void csv_quoted_chars(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '"')
            putc('"', f);
        putc(*s, f);
    }
}

/* One RFC 4180 field holding prefix and s: quoted when it holds a comma, a
 * quote, CR or LF; NULL is an empty field. */
static void csv_field_prefixed(FILE *f, const char *prefix, const char *s)
{
    if (!s)
        return;
    if (!csv_needs_quotes(prefix) && !csv_needs_quotes(s)) {
        fputs(prefix, f);
        fputs(s, f);
        return;
    }
    putc('"', f);
    csv_quoted_chars(f, prefix);
    csv_quoted_chars(f, s);
    putc('"', f);
}

static void csv_field(FILE *f, const char *s) { csv_field_prefixed(f, "", s); }

/* The first fields of a line, each followed by a comma. */
static void csv_fields(FILE *f, const char *const *field, int n)
{
    for (int i = 0; i < n; i++) {
        csv_field(f, field[i]);
        putc(',', f);
    }
}

/* The distinct codes of the findings about `subject` (NULL: about no
 * indicator), ';'-separated, in order of first appearance. */
static void csv_codes(FILE *f, const ReportResult *r, const char *subject)
{
    const Finding *items = r->findings.items;
    bool first = true;
    for (size_t i = 0; i < r->findings.len; i++) {
        if (!finding_about(r, &items[i], subject))
            continue;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = items[j].kind == items[i].kind && finding_about(r, &items[j], subject);
        if (seen)
            continue;
        if (!first)
            putc(';', f);
        first = false;
        fputs(finding_info(items[i].kind)->code, f);
    }
}

static void csv_report(const Output *o, const ReportResult *r)
{
    FILE *f = o->f;
    const char *id = or_empty(r->id);
    if (r->error) {
        const char *field[11] = {id};
        csv_fields(f, field, 11);
        csv_field_prefixed(f, "ERROR: ", r->error);
        fputs("\r\n", f);
        return;
    }
    char b[5][VAL_BUF];
    for (int i = 0; i < r->nind; i++) {
        const ScoredIndicator *si = &r->ind[i];
        const ScoreEval *e = &si->eval;
        const char *field[11] = {
            id,
            or_empty(si->level1),
            or_empty(si->level2),
            or_empty(si->name),
            value_text(&e->target, b[0]),
            value_text(&e->value, b[1]),
            points_text(&e->weight, b[2]),
            points_text(&e->score, b[3]),
            points_text(&e->reported, b[4]),
            or_empty(si->method),
            or_empty(si->branch),
        };
        csv_fields(f, field, 11);
        csv_codes(f, r, or_empty(si->name));
        fputs("\r\n", f);
    }
    const char *field[11] = {
        id, "总分", "", "总分", r->stated_grade, r->grade,
        points_text(&r->max_total, b[0]),
        points_text(&r->total, b[1]),
        points_text(&r->stated_total, b[2]),
        "", "",
    };
    csv_fields(f, field, 11);
    csv_codes(f, r, NULL);
    fputs("\r\n", f);
}

/* JSON --------------------------------------------------------------------- */

/* The characters of a JSON string, escaped; invalid UTF-8 becomes U+FFFD. */
static void json_chars(FILE *f, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            uint32_t cp;
            int k = utf8_decode(s + i, n - i, &cp);
            if (k == 0) {
                fputs("\\ufffd", f);
                i++;
            } else {
                fwrite(s + i, 1, (size_t)k, f);
                i += (size_t)k;
            }
            continue;
        }
        i++;
        switch (c) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (c < 0x20)
                fprintf(f, "\\u%04x", c);
            else
                putc(c, f);
        }
    }
}

/* A JSON string; NULL is null. */
static void json_str(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    putc('"', f);
    json_chars(f, s);
    putc('"', f);
}

/* Points as an exact JSON number; null when missing; a string for a non-number. */
static void json_points(FILE *f, const TlValue *v)
{
    char buf[VAL_BUF];
    if (v->kind == TL_NUM)
        fputs(points_text(v, buf), f);
    else
        json_str(f, value_text(v, buf));
}

/* A value as written, as a string; null when missing. */
static void json_value(FILE *f, const TlValue *v)
{
    char buf[VAL_BUF];
    json_str(f, value_text(v, buf));
}

/* Members of one object, separated by `sep`. */
typedef struct JsonObj {
    FILE *f;
    const char *sep;
    bool first;
} JsonObj;

static void json_key(JsonObj *j, const char *key)
{
    fprintf(j->f, "%s\"%s\": ", j->first ? "" : j->sep, key);
    j->first = false;
}

static void member_str(JsonObj *j, const char *key, const char *s)
{
    json_key(j, key);
    json_str(j->f, s);
}

static void member_points(JsonObj *j, const char *key, const TlValue *v)
{
    json_key(j, key);
    json_points(j->f, v);
}

static void member_value(JsonObj *j, const char *key, const TlValue *v)
{
    json_key(j, key);
    json_value(j->f, v);
}

/* A literal: true, false, null or a number already formatted. */
static void member_raw(JsonObj *j, const char *key, const char *text)
{
    json_key(j, key);
    fputs(text, j->f);
}

/* Open the array member `key` of n items; items are separated by json_item. */
static void json_array(JsonObj *j, const char *key, int n)
{
    json_key(j, key);
    fputs(n ? "[\n      " : "[", j->f);
}

static void json_item(FILE *f, int i)
{
    if (i > 0)
        fputs(",\n      ", f);
}

static void json_array_end(FILE *f, int n)
{
    fputs(n ? "\n    ]" : "]", f);
}

static const char *json_bool(bool b) { return b ? "true" : "false"; }
static const char *nonempty_or_null(const char *s) { return nonempty(s) ? s : NULL; }

static void json_indicator(const Output *o, const ScoredIndicator *si)
{
    FILE *f = o->f;
    const ScoreEval *e = &si->eval;
    JsonObj j = {f, ", ", true};
    putc('{', f);
    member_str(&j, "level1", or_empty(si->level1));
    member_str(&j, "level2", or_empty(si->level2));
    member_str(&j, "name", or_empty(si->name));
    member_raw(&j, "from_table", json_bool(si->from_table));
    member_value(&j, "target", &e->target);
    member_value(&j, "value", &e->value);
    member_points(&j, "weight", &e->weight);
    member_points(&j, "score", &e->score);
    member_points(&j, "raw", &e->raw);
    member_points(&j, "reported", &e->reported);
    member_raw(&j, "clamped", json_bool(e->clamped));
    member_str(&j, "method", nonempty_or_null(si->method));
    member_str(&j, "why", nonempty_or_null(si->why));
    member_str(&j, "branch", si->branch);
    member_str(&j, "formula", nonempty_or_null(si->formula));
    json_key(&j, "row");
    if (si->from_table && si->pos.file) {
        putc('"', f);
        json_chars(f, si->pos.file);
        fprintf(f, ":%d\"", si->pos.line);
    } else {
        fputs("null", f);
    }
    if (o->explain) {
        json_key(&j, "explain");
        putc('[', f);
        for (int i = 0; i < si->explain.len; i++) {
            if (i)
                fputs(", ", f);
            json_str(f, or_empty(si->explain.lines[i]));
        }
        putc(']', f);
    }
    putc('}', f);
}

static void json_group(FILE *f, const ScoredGroup *g)
{
    char buf[DEC_BUF], depth[16];
    JsonObj j = {f, ", ", true};
    snprintf(depth, sizeof depth, "%d", g->depth);
    putc('{', f);
    member_str(&j, "name", or_empty(g->name));
    member_raw(&j, "depth", depth);
    member_raw(&j, "weight", dec_text(g->weight, buf));
    member_points(&j, "rows_weight", &g->rows_weight);
    member_points(&j, "subtotal", &g->subtotal);
    member_points(&j, "reported", &g->reported);
    putc('}', f);
}

static void json_check(FILE *f, const ScoredCheck *c)
{
    JsonObj j = {f, ", ", true};
    putc('{', f);
    member_str(&j, "name", or_empty(c->name));
    member_raw(&j, "passed", c->result > 0 ? "true" : c->result == 0 ? "false" : "null");
    member_value(&j, "lhs", &c->lhs);
    member_value(&j, "rhs", &c->rhs);
    putc('}', f);
}

static void json_finding(FILE *f, const Finding *fi)
{
    const FindingInfo *info = finding_info(fi->kind);
    char rule[512];
    JsonObj j = {f, ", ", true};
    putc('{', f);
    member_str(&j, "kind", info->code);
    member_str(&j, "severity", severity_name[info->severity]);
    member_str(&j, "subject", or_empty(fi->subject));
    member_str(&j, "message", or_empty(fi->message));
    member_str(&j, "rule", rule_text(fi, rule, sizeof rule));
    putc('}', f);
}

static void json_report(const Output *o, const ReportResult *r)
{
    FILE *f = o->f;
    fputs(o->count > 1 ? ",\n  {\n    " : "\n  {\n    ", f);
    JsonObj j = {f, ",\n    ", true};
    member_str(&j, "report", or_empty(r->id));
    member_str(&j, "error", r->error);
    member_points(&j, "total", &r->total);
    member_points(&j, "max", &r->max_total);
    member_points(&j, "stated_total", &r->stated_total);
    member_points(&j, "reported_sum", &r->reported_sum);
    member_str(&j, "grade", r->grade);
    member_str(&j, "stated_grade", r->stated_grade);
    int nind = r->error ? 0 : r->nind, ngroups = r->error ? 0 : r->ngroups;
    int nchecks = r->error ? 0 : r->nchecks, nfind = (int)r->findings.len;
    json_array(&j, "indicators", nind);
    for (int i = 0; i < nind; i++) {
        json_item(f, i);
        json_indicator(o, &r->ind[i]);
    }
    json_array_end(f, nind);
    json_array(&j, "groups", ngroups);
    for (int i = 0; i < ngroups; i++) {
        json_item(f, i);
        json_group(f, &r->groups[i]);
    }
    json_array_end(f, ngroups);
    json_array(&j, "checks", nchecks);
    for (int i = 0; i < nchecks; i++) {
        json_item(f, i);
        json_check(f, &r->checks[i]);
    }
    json_array_end(f, nchecks);
    json_array(&j, "findings", nfind);
    for (int i = 0; i < nfind; i++) {
        json_item(f, i);
        json_finding(f, &r->findings.items[i]);
    }
    json_array_end(f, nfind);
    fputs("\n  }", f);
}

/* Entry points ------------------------------------------------------------- */

void output_begin(Output *o)
{
    o->count = o->failed = o->flagged = 0;
    if (o->fmt == OUT_CSV)
        fputs(csv_header, o->f);
    else if (o->fmt == OUT_JSON)
        fputc('[', o->f);
}

void output_report(Output *o, const ReportResult *r)
{
    o->count++;
    o->failed += r->error != NULL;
    for (size_t i = 0; i < r->findings.len; i++) {
        DiagSeverity s = finding_info(r->findings.items[i].kind)->severity;
        if (s == DIAG_ERROR || s == DIAG_WARNING) {
            o->flagged++;
            break;
        }
    }
    switch (o->fmt) {
    case OUT_TEXT: text_report(o, r); break;
    case OUT_CSV: csv_report(o, r); break;
    case OUT_JSON: json_report(o, r); break;
    }
}

void output_part(const Output *o, FILE *f, size_t index, Output *part)
{
    *part = *o;
    part->f = f;
    part->count = index;
    part->failed = part->flagged = 0;
}

void output_join(Output *o, const Output *part)
{
    o->count = part->count;
    o->failed += part->failed;
    o->flagged += part->flagged;
}

void output_end(Output *o)
{
    switch (o->fmt) {
    case OUT_TEXT:
        fprintf(o->f, "%s%zu report%s, %zu not scored, %zu with findings\n", o->count ? "\n" : "",
                o->count, o->count == 1 ? "" : "s", o->failed, o->flagged);
        break;
    case OUT_CSV: break;
    case OUT_JSON: fputs(o->count ? "\n]\n" : "]\n", o->f); break;
    }
}
