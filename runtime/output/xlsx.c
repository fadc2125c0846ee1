/* xlsx.c - the workbook (--format xlsx, docs/output.md "Workbook"), written
 * with libxlsxwriter in its constant-memory mode: each sheet's rows go to a
 * temporary file as they are written, so only the summary rows
 * (summary.h) and the widths of the columns are held.
 *
 * Sheets: 汇总 (one row per report), 统计 (the batch summary), then either
 * one sheet per report (XLSX_SHEETS_MAX reports or fewer) or, for a larger
 * batch, 指标 (every report's indicators in one table) and 问题 (every
 * finding).  Numbers are numbers: points in General, percents and
 * quantities with a number format that shows them as written ("≥90%",
 * "11458.23万元").  Headers are frozen and filtered; column widths follow
 * the display width of the text (a Chinese character is two columns).
 */
#include "formats.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "lang/base/cleanup.h"
#include "lang/base/memstream.h"
#include "lang/base/strmap.h"
#include "lang/base/text.h"

/* A batch of more reports than this gets the two long sheets instead of a
 * sheet per report: Excel lists every sheet in one row of tabs, and each
 * sheet costs libxlsxwriter an open temporary file while it writes. */
#define XLSX_SHEETS_MAX 100
/* Excel's limits: characters in a cell, in a sheet name, custom number formats. */
#define XLSX_CELL_MAX 32767
#define XLSX_NAME_MAX 31
#define XLSX_FORMATS_MAX 200
/* The widest a column gets, in Excel's character widths. */
#define XLSX_WIDTH_MAX 60
#define XLSX_MAX_COLS 16

enum { ST_PLAIN, ST_HEAD, ST_DIFF, ST_LINK, ST_BOLD, NSTYLE };

/* A sheet being written: its next row and its columns' widths. */
typedef struct Sheet {
    lxw_worksheet *ws;
    lxw_row_t row;
    double width[XLSX_MAX_COLS];
    int ncols;
} Sheet;

typedef struct OutBook {
    lxw_workbook *wb;
    char *path;              /* the temporary file libxlsxwriter writes */
    int cleanup;             /* its slot in cleanup.h's table */
    lxw_format *style[NSTYLE];
    StrMap formats;          /* number format + style -> index into fmt */
    lxw_format **fmt;
    size_t nfmt;
    StrMap names;            /* sheet names taken, folded to lower case */
    bool per_report;         /* a sheet per report (else the long sheets) */
    Sheet summary, stats, rows, findings;
    lxw_error err;           /* the first error libxlsxwriter gave */
} OutBook;

/* Text ----------------------------------------------------------------------- */

/* s as a cell may hold it: valid UTF-8 (else U+FFFD), Excel's "_xHHHH_"
 * escapes kept literal, at most XLSX_CELL_MAX characters.  Heap string. */
static char *cell_text(const char *s)
{
    size_t n = strlen(s), cap = n + 16, len = 0, chars = 0;
    char *out = xmalloc(cap);
    for (size_t i = 0; i < n && chars < XLSX_CELL_MAX; chars++) {
        if (len + 16 > cap)
            out = xrealloc(out, cap *= 2);
        uint32_t cp;
        int k = utf8_decode(s + i, n - i, &cp);
        if (k == 0 || cp == 0xFFFE || cp == 0xFFFF) {
            memcpy(out + len, "\xEF\xBF\xBD", 3);
            len += 3;
            i += k ? (size_t)k : 1;
            continue;
        }
        if (s[i] == '_' && i + 6 < n && s[i + 1] == 'x' && s[i + 6] == '_' &&
            strspn(s + i + 2, "0123456789abcdefABCDEF") >= 4) {
            memcpy(out + len, "_x005F", 6);
            len += 6;
        }
        memcpy(out + len, s + i, (size_t)k);
        len += (size_t)k;
        i += (size_t)k;
    }
    out[len] = '\0';
    return out;
}

/* Excel's width of a cell's text: display columns of its longest line. */
static double text_cols(const char *s)
{
    size_t best = 0;
    while (*s) {
        size_t n = strcspn(s, "\n");
        size_t w = text_width(s, n);
        if (w > best)
            best = w;
        s += n + (s[n] == '\n');
    }
    return (double)best;
}

static void widen(Sheet *sh, int col, double w)
{
    if (col >= XLSX_MAX_COLS)
        return;
    if (col >= sh->ncols)
        sh->ncols = col + 1;
    if (w > sh->width[col])
        sh->width[col] = w;
}

static void note(OutBook *b, lxw_error e)
{
    if (e != LXW_NO_ERROR && b->err == LXW_NO_ERROR)
        b->err = e;
}

static void put_text(OutBook *b, Sheet *sh, int col, const char *s, lxw_format *f)
{
    if (!s || !*s) {
        if (f)
            note(b, worksheet_write_blank(sh->ws, sh->row, (lxw_col_t)col, f));
        return;
    }
    char *t = cell_text(s);
    note(b, worksheet_write_string(sh->ws, sh->row, (lxw_col_t)col, t, f));
    widen(sh, col, text_cols(t));
    free(t);
}

/* Text that may run over empty cells to its right: its width does not count. */
static void put_long_text(OutBook *b, Sheet *sh, int col, const char *s, lxw_format *f)
{
    if (!s || !*s)
        return;
    char *t = cell_text(s);
    note(b, worksheet_write_string(sh->ws, sh->row, (lxw_col_t)col, t, f));
    free(t);
}

static void put_number(OutBook *b, Sheet *sh, int col, double x, const char *shown, lxw_format *f)
{
    note(b, worksheet_write_number(sh->ws, sh->row, (lxw_col_t)col, x, f));
    widen(sh, col, text_cols(shown));
}

static void put_count(OutBook *b, Sheet *sh, int col, size_t n, lxw_format *f)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%zu", n);
    put_number(b, sh, col, (double)n, buf, f);
}

/* Formats -------------------------------------------------------------------- */

static lxw_format *new_style(OutBook *b, int style)
{
    lxw_format *f = workbook_add_format(b->wb);
    if (!f)
        xalloc_failed(); /* libxlsxwriter could not allocate it */
    switch (style) {
    case ST_PLAIN: break;
    case ST_HEAD:
        format_set_bold(f);
        format_set_bg_color(f, 0xDDEBF7);
        format_set_bottom(f, LXW_BORDER_THIN);
        break;
    case ST_DIFF: /* Excel's "Bad" cell style */
        format_set_bg_color(f, 0xFFC7CE);
        format_set_font_color(f, 0x9C0006);
        break;
    case ST_LINK:
        format_set_font_color(f, 0x0563C1);
        format_set_underline(f, LXW_UNDERLINE_SINGLE);
        break;
    case ST_BOLD: format_set_bold(f); break;
    }
    return f;
}

/* The format for a number shown with num_format (NULL: General) in a
 * style; NULL when the workbook has as many number formats as Excel takes. */
static lxw_format *number_format(OutBook *b, const char *num_format, int style)
{
    if (!num_format)
        return b->style[style];
    char key[320];
    snprintf(key, sizeof key, "%d|%s", style, num_format);
    size_t *i = strmap_find(&b->formats, key);
    if (i)
        return b->fmt[*i];
    if (b->nfmt >= XLSX_FORMATS_MAX)
        return NULL;
    lxw_format *f = new_style(b, style);
    format_set_num_format(f, num_format);
    b->fmt = xrealloc(b->fmt, (b->nfmt + 1) * sizeof *b->fmt);
    b->fmt[b->nfmt] = f;
    strmap_put(&b->formats, key, b->nfmt++);
    return f;
}

/* Append s to a number format as a quoted literal; false if it cannot be. */
static bool literal(char *fmt, size_t cap, const char *s)
{
    if (!*s)
        return true;
    if (strpbrk(s, "\"\\") || strlen(fmt) + strlen(s) + 3 >= cap)
        return false;
    strcat(fmt, "\"");
    strcat(fmt, s);
    strcat(fmt, "\"");
    return true;
}

/* A value as a cell: a number with a format that shows it as written
 * (qualifier, 约, percent, magnitude and unit) when it is one, else its text. */
static void put_value(OutBook *b, Sheet *sh, int col, const TlValue *v, int style)
{
    char shown[VAL_BUF];
    const char *text = out_value_text(v, shown);
    if (!text) {
        put_text(b, sh, col, NULL, style == ST_PLAIN ? NULL : b->style[style]);
        return;
    }
    if (v->kind != TL_NUM) {
        put_text(b, sh, col, text, b->style[style]);
        return;
    }
    /* Split "≥约10824.18万元" into the prefix, the number and the suffix. */
    const char *p = text;
    while (*p && !(*p >= '0' && *p <= '9') && !(*p == '-' && p[1] >= '0' && p[1] <= '9'))
        p++;
    const char *q = p + (*p == '-');
    size_t ints = strspn(q, "0123456789"), decimals = 0;
    q += ints;
    if (*q == '.') {
        decimals = strspn(q + 1, "0123456789");
        q += 1 + decimals;
    }
    char prefix[VAL_BUF], number[VAL_BUF], fmt[256] = "";
    snprintf(prefix, sizeof prefix, "%.*s", (int)(p - text), text);
    snprintf(number, sizeof number, "%.*s", (int)(q - p), p);
    bool percent = strcmp(q, "%") == 0;
    lxw_format *f = NULL;
    if (ints > 0 && decimals < 30 && literal(fmt, sizeof fmt, prefix)) {
        strcat(fmt, "0");
        if (decimals) {
            strcat(fmt, ".");
            for (size_t i = 0; i < decimals; i++)
                strcat(fmt, "0");
        }
        if (percent ? (strcat(fmt, "%"), true) : literal(fmt, sizeof fmt, q))
            f = number_format(b, fmt, style);
    }
    if (!f) {
        put_text(b, sh, col, text, b->style[style]);
        return;
    }
    double x = strtod(number, NULL) / (percent ? 100 : 1);
    put_number(b, sh, col, x, text, f);
}

/* Points: a number in General; missing is an empty cell. */
static void put_points(OutBook *b, Sheet *sh, int col, const TlValue *v, int style)
{
    char buf[VAL_BUF];
    if (v->kind != TL_NUM) {
        put_value(b, sh, col, v, style);
        return;
    }
    const char *shown = out_points_text(v, buf);
    put_number(b, sh, col, dec_to_double(v->u.num), shown, b->style[style]);
}

/* A recomputed total: a number, or as text its range ("47.5–87.5") when
 * unverified indicators leave it open (docs/output.md). */
static void put_total(OutBook *b, Sheet *sh, int col, const TlValue *lo, const TlValue *hi, int style)
{
    char t[OUT_TOTAL_BUF];
    if (out_is_range(lo, hi))
        put_text(b, sh, col, out_total_text(lo, hi, t), b->style[style]);
    else
        put_points(b, sh, col, lo, style);
}

static void put_dec(OutBook *b, Sheet *sh, int col, TlDec d, int style)
{
    TlValue v = val_num(d);
    put_points(b, sh, col, &v, style);
}

/* Sheets --------------------------------------------------------------------- */

/* The longest prefix of s, whole characters, within `units` UTF-16 code
 * units (Excel counts a sheet name's length in those). */
static size_t name_prefix(const char *s, size_t units)
{
    size_t n = strlen(s), i = 0, u = 0;
    while (i < n) {
        uint32_t cp;
        int k = utf8_decode(s + i, n - i, &cp);
        size_t w = k && cp > 0xFFFF ? 2 : 1;
        if (u + w > units)
            break;
        u += w;
        i += k ? (size_t)k : 1;
    }
    return i;
}

static void fold_ascii(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

/* A sheet name Excel takes, made from `want`, not yet taken: at most 31
 * characters, none of []:*?/\, no apostrophe first or last, not
 * "History", unique without regard to case ("NAME (2)" when taken). */
static void sheet_name(OutBook *b, const char *want, char *out, size_t cap)
{
    char *clean = cell_text(want);
    for (char *c = clean; *c; c++)
        if (strchr("[]:*?/\\", *c) || (unsigned char)*c < 0x20)
            *c = '_';
    const char *start = clean;
    while (*start == '\'')
        start++;
    size_t n = strlen(start);
    while (n > 0 && start[n - 1] == '\'')
        n--;
    char base[4 * XLSX_NAME_MAX + 8];
    snprintf(base, sizeof base, "%.*s", (int)(n < 4 * XLSX_NAME_MAX ? n : 4 * XLSX_NAME_MAX), start);
    if (!*base)
        strcpy(base, "报告");
    else if (strcasecmp(base, "History") == 0)
        strcat(base, "_");
    for (int k = 1;; k++) {
        char suffix[24] = "";
        if (k > 1)
            snprintf(suffix, sizeof suffix, " (%d)", k);
        size_t keep = name_prefix(base, XLSX_NAME_MAX - strlen(suffix));
        snprintf(out, cap, "%.*s%s", (int)keep, base, suffix);
        char folded[256];
        snprintf(folded, sizeof folded, "%s", out);
        fold_ascii(folded);
        if (!strmap_find(&b->names, folded)) {
            strmap_put(&b->names, folded, 1);
            break;
        }
    }
    free(clean);
}

static void sheet_open(OutBook *b, Sheet *sh, const char *want)
{
    char name[4 * XLSX_NAME_MAX + 32];
    sheet_name(b, want, name, sizeof name);
    memset(sh, 0, sizeof *sh);
    sh->ws = workbook_add_worksheet(b->wb, name);
    if (!sh->ws)
        note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
}

/* A header row: frozen, and the filter over it and the rows below to `last`. */
static void header(OutBook *b, Sheet *sh, const char *const *head, int n)
{
    for (int c = 0; c < n; c++)
        put_text(b, sh, c, out_bi(head[c]), b->style[ST_HEAD]);
    sh->row++;
}

/* Close a sheet: its column widths (display width plus a margin, capped). */
static void sheet_widths(Sheet *sh)
{
    if (!sh->ws)
        return;
    for (int c = 0; c < sh->ncols; c++) {
        double w = sh->width[c] + 2;
        worksheet_set_column(sh->ws, (lxw_col_t)c, (lxw_col_t)c, w > XLSX_WIDTH_MAX ? XLSX_WIDTH_MAX : w,
                             NULL);
    }
}

/* The labels: Chinese first, English second, one string each. */
static const char *const summary_head[] = {
    "报告 Report", "复核得分 Recomputed total", "满分 Maximum", "自评总分 Stated total",
    "自评得分合计 Reported sum", "差额 Gap (stated − recomputed)", "复核等级 Grade",
    "自评等级 Stated grade", "错误 Errors", "警告 Warnings", "提示 Notes", "未评分原因 Not scored because",
};
enum { SUMMARY_COLS = sizeof summary_head / sizeof *summary_head };

static const char *const indicator_head[] = {
    "一级指标 Level 1", "二级指标 Level 2", "三级指标 Indicator", "年度指标值 Target",
    "实际完成值 Actual", "分值 Weight", "复核得分 Recomputed", "自评得分 Self-awarded",
    "差额 Difference (self − recomputed)", "计分方法 Method", "计分说明 Branch", "问题 Findings",
    "依据 Why", "公式 Formula", "计算过程 Explanation",
};
enum { IND_COLS = 12, IND_EXPLAIN_COLS = 15 };

static const char *const finding_head[] = {
    "报告 Report", "严重程度 Severity", "代码 Code", "对象 Subject", "说明 Message", "规则 Rule",
};

/* "错误 error", "警告 warning", "提示 note". */
static const char *severity_label(DiagSeverity s)
{
    return out_bi(s == DIAG_ERROR ? "错误 error" : s == DIAG_WARNING ? "警告 warning" : "提示 note");
}

bool out_xlsx_begin(Output *o)
{
    OutBook *b = xcalloc(1, sizeof *b);
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    size_t n = strlen(dir) + 32;
    b->path = xmalloc(n);
    snprintf(b->path, n, "%s/tally-XXXXXX", dir);
    int fd = mkstemp(b->path);
    if (fd < 0) {
        o->error = "cannot create a temporary file for the workbook (TMPDIR)";
        free(b->path);
        free(b);
        return false;
    }
    close(fd);
    b->cleanup = cleanup_add_file(AT_FDCWD, b->path); /* removed if the run is killed (cleanup.h) */
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = (char *)dir};
    b->wb = workbook_new_opt(b->path, &opt);
    if (!b->wb) {
        o->error = "cannot start the workbook";
        unlink(b->path);
        free(b->path);
        free(b);
        return false;
    }
    for (int s = 0; s < NSTYLE; s++)
        b->style[s] = new_style(b, s);
    b->per_report = o->expected <= XLSX_SHEETS_MAX;
    o->book = b;
    sheet_open(b, &b->summary, "汇总");
    header(b, &b->summary, summary_head, SUMMARY_COLS);
    sheet_open(b, &b->stats, "统计");
    if (!b->per_report) {
        sheet_open(b, &b->rows, "指标");
        put_text(b, &b->rows, 0, out_bi("报告 Report"), b->style[ST_HEAD]);
        for (int c = 0; c < (o->explain ? IND_EXPLAIN_COLS : IND_COLS); c++)
            put_text(b, &b->rows, c + 1, out_bi(indicator_head[c]), b->style[ST_HEAD]);
        b->rows.row++;
        sheet_open(b, &b->findings, "问题");
        header(b, &b->findings, finding_head, 6);
    }
    return true;
}

/* The reference to a sheet in a hyperlink: internal:'NAME'!A1. */
static void sheet_link(const char *name, char *out, size_t cap)
{
    size_t k = (size_t)snprintf(out, cap, "internal:'");
    for (; *name && k + 8 < cap; name++) {
        if (*name == '\'')
            out[k++] = '\'';
        out[k++] = *name;
    }
    snprintf(out + k, cap - k, "'!A1");
}

/* The report's row of the summary sheet (linked to its sheet, if any). */
static void summary_row(OutBook *b, const Output *o, const ReportResult *r, const char *sheet)
{
    Sheet *sh = &b->summary;
    const SumRow *row = &o->sum->rows[o->sum->len - 1];
    char url[4 * XLSX_NAME_MAX + 32];
    if (sheet && sh->ws) {
        char *t = cell_text(out_or_empty(r->id));
        sheet_link(sheet, url, sizeof url);
        note(b, worksheet_write_url_opt(sh->ws, sh->row, 0, url, b->style[ST_LINK], t, NULL));
        widen(sh, 0, text_cols(t));
        free(t);
    } else {
        put_text(b, sh, 0, out_or_empty(r->id), NULL);
    }
    if (!r->error) {
        put_total(b, sh, 1, &row->total, &row->total_max, ST_BOLD);
        put_points(b, sh, 2, &r->max_total, ST_PLAIN);
        put_points(b, sh, 3, &r->stated_total, ST_PLAIN);
        put_points(b, sh, 4, &r->reported_sum, ST_PLAIN);
        if (row->claimed_known)
            put_dec(b, sh, 5, row->gap, dec_is_zero(row->gap) ? ST_PLAIN : ST_DIFF);
        put_text(b, sh, 6, r->grade, NULL);
        bool differs = r->grade && r->stated_grade && strcmp(r->grade, r->stated_grade) != 0;
        put_text(b, sh, 7, r->stated_grade, differs ? b->style[ST_DIFF] : NULL);
    }
    for (int s = 0; s < 3; s++)
        put_count(b, sh, 8 + s, (size_t)row->by_severity[s], NULL);
    put_text(b, sh, 11, r->error, b->style[ST_DIFF]);
    sh->row++;
}

/* One indicator's cells from column `col` on. */
static void indicator_cells(OutBook *b, const Output *o, Sheet *sh, int col, const ReportResult *r,
                            const ScoredIndicator *si)
{
    const ScoreEval *e = &si->eval;
    bool differs = out_score_differs(o, e);
    int mark = differs ? ST_DIFF : ST_PLAIN;
    put_text(b, sh, col + 0, si->level1, NULL);
    put_text(b, sh, col + 1, si->level2, NULL);
    put_text(b, sh, col + 2, si->name, NULL);
    put_value(b, sh, col + 3, &e->target, ST_PLAIN);
    put_value(b, sh, col + 4, &e->value, ST_PLAIN);
    put_points(b, sh, col + 5, &e->weight, ST_PLAIN);
    put_points(b, sh, col + 6, &e->score, e->score.kind == TL_MISSING ? ST_DIFF : mark);
    put_points(b, sh, col + 7, &e->reported, mark);
    TlDec d;
    if (e->score.kind == TL_NUM && e->reported.kind == TL_NUM && dec_sub(e->reported.u.num, e->score.u.num, &d))
        put_dec(b, sh, col + 8, d, mark);
    put_text(b, sh, col + 9, si->method, NULL);
    put_text(b, sh, col + 10, si->branch ? _(si->branch) : NULL, NULL);
    char codes[512] = "";
    for (size_t i = 0; i < r->findings.len; i++) {
        const Finding *fi = &r->findings.items[i];
        const char *code = finding_info(fi->kind)->code;
        if (fi->subject && si->name && strcmp(fi->subject, si->name) == 0 && !strstr(codes, code) &&
            strlen(codes) + strlen(code) + 2 < sizeof codes) {
            if (*codes)
                strcat(codes, ";");
            strcat(codes, code);
        }
    }
    put_text(b, sh, col + 11, codes, *codes ? b->style[ST_DIFF] : NULL);
    if (o->explain) {
        put_long_text(b, sh, col + 12, si->why, NULL);
        put_long_text(b, sh, col + 13, si->formula, NULL);
        char *buf = NULL;
        size_t len = 0;
        FILE *m = memstream_open(&buf, &len);
        if (m) {
            for (int i = 0; i < si->explain.len; i++)
                fprintf(m, "%s%s", i ? "\n" : "", out_or_empty(si->explain.lines[i]));
            fclose(m);
            put_long_text(b, sh, col + 14, buf, NULL);
            free(buf);
        }
    }
}

/* A finding's cells from column `col` on: severity, code, subject, message, rule. */
static void finding_cells(OutBook *b, Sheet *sh, int col, const Finding *fi, bool last_is_long)
{
    const FindingInfo *info = finding_info(fi->kind);
    char rule[512];
    put_text(b, sh, col, severity_label(info->severity),
             info->severity == DIAG_ERROR ? b->style[ST_DIFF] : NULL);
    put_text(b, sh, col + 1, info->code, NULL);
    put_text(b, sh, col + 2, fi->subject, NULL);
    if (last_is_long) {
        char *msg = NULL;
        size_t len = 0;
        FILE *m = memstream_open(&msg, &len);
        if (m) {
            fputs(out_or_empty(fi->message), m);
            if (out_rule_text(fi, rule, sizeof rule))
                fprintf(m, "  [%s]", rule);
            fclose(m);
            put_long_text(b, sh, col + 3, msg, NULL);
            free(msg);
        }
    } else {
        put_text(b, sh, col + 3, fi->message, NULL);
        put_text(b, sh, col + 4, out_rule_text(fi, rule, sizeof rule), NULL);
    }
}

/* A sheet of its own for a report: indicators, groups, totals, checks, findings. */
static void report_sheet(OutBook *b, const Output *o, const ReportResult *r, Sheet *sh)
{
    int ncols = o->explain ? IND_EXPLAIN_COLS : IND_COLS;
    header(b, sh, indicator_head, ncols);
    for (int i = 0; i < r->nind; i++) {
        indicator_cells(b, o, sh, 0, r, &r->ind[i]);
        sh->row++;
    }
    if (sh->ws) {
        worksheet_freeze_panes(sh->ws, 1, 0);
        note(b, worksheet_autofilter(sh->ws, 0, 0, sh->row - 1, (lxw_col_t)(ncols - 1)));
    }
    if (r->ngroups) {
        sh->row++;
        static const char *const head[] = {"分组 Group", "分值 Weight", "复核小计 Subtotal",
                                           "自评小计 Reported"};
        put_text(b, sh, 2, out_bi(head[0]), b->style[ST_HEAD]);
        for (int c = 1; c < 4; c++)
            put_text(b, sh, 4 + c, out_bi(head[c]), b->style[ST_HEAD]);
        sh->row++;
        for (int i = 0; i < r->ngroups; i++) {
            const ScoredGroup *g = &r->groups[i];
            char name[512];
            snprintf(name, sizeof name, "%*s%s", 2 * g->depth, "", out_or_empty(g->name));
            put_text(b, sh, 2, name, NULL);
            put_dec(b, sh, 5, g->weight, ST_PLAIN);
            put_points(b, sh, 6, &g->subtotal, ST_PLAIN);
            put_points(b, sh, 7, &g->reported, ST_PLAIN);
            sh->row++;
        }
    }
    sh->row++;
    struct { const char *label; const TlValue *v; } totals[] = {
        {"复核得分 Recomputed total", &r->total}, {"满分 Maximum", &r->max_total},
        {"自评总分 Stated total", &r->stated_total}, {"自评得分合计 Reported sum", &r->reported_sum},
    };
    const TlValue *lo, *hi;
    out_total_range(r, &lo, &hi);
    for (size_t i = 0; i < sizeof totals / sizeof *totals; i++) {
        if (totals[i].v->kind == TL_MISSING)
            continue;
        put_text(b, sh, 2, out_bi(totals[i].label), b->style[ST_BOLD]);
        if (i == 0)
            put_total(b, sh, 6, lo, hi, ST_BOLD);
        else
            put_points(b, sh, 6, totals[i].v, ST_PLAIN);
        sh->row++;
    }
    if (r->grade) {
        put_text(b, sh, 2, out_bi("复核等级 Grade"), b->style[ST_BOLD]);
        put_text(b, sh, 6, r->grade, b->style[ST_BOLD]);
        sh->row++;
    }
    if (r->stated_grade) {
        bool differs = r->grade && strcmp(r->grade, r->stated_grade) != 0;
        put_text(b, sh, 2, out_bi("自评等级 Stated grade"), b->style[ST_BOLD]);
        put_text(b, sh, 6, r->stated_grade, differs ? b->style[ST_DIFF] : NULL);
        sh->row++;
    }
    if (r->nchecks) {
        sh->row++;
        put_text(b, sh, 2, out_bi("检查 Check"), b->style[ST_HEAD]);
        put_text(b, sh, 3, out_bi("左边 Left side"), b->style[ST_HEAD]);
        put_text(b, sh, 4, out_bi("右边 Right side"), b->style[ST_HEAD]);
        put_text(b, sh, 5, out_bi("结果 Result"), b->style[ST_HEAD]);
        sh->row++;
        for (int i = 0; i < r->nchecks; i++) {
            const ScoredCheck *c = &r->checks[i];
            put_text(b, sh, 2, c->name, NULL);
            put_value(b, sh, 3, &c->lhs, ST_PLAIN);
            put_value(b, sh, 4, &c->rhs, ST_PLAIN);
            put_text(b, sh, 5, c->result > 0 ? "通过 passed" : c->result == 0 ? "未通过 failed" : "未知 unknown",
                     c->result > 0 ? NULL : b->style[ST_DIFF]);
            sh->row++;
        }
    }
    sh->row++;
    if (r->findings.len == 0) {
        put_text(b, sh, 0, out_bi("问题：无 Findings: none"), b->style[ST_BOLD]);
        sh->row++;
    } else {
        for (int c = 1; c < 5; c++)
            put_text(b, sh, c - 1, out_bi(finding_head[c]), b->style[ST_HEAD]);
        sh->row++;
        for (size_t i = 0; i < r->findings.len; i++) {
            finding_cells(b, sh, 0, &r->findings.items[i], true);
            sh->row++;
        }
    }
    sheet_widths(sh);
}

void out_xlsx_report(const Output *o, const ReportResult *r)
{
    OutBook *b = o->book;
    if (b->per_report) {
        Sheet sh;
        sheet_open(b, &sh, out_or_empty(r->id));
        const char *name = sh.ws ? sh.ws->name : NULL;
        summary_row(b, o, r, name);
        if (r->error) {
            put_text(b, &sh, 0, out_bi("未评分 Not scored"), b->style[ST_BOLD]);
            put_long_text(b, &sh, 1, r->error, b->style[ST_DIFF]);
            sheet_widths(&sh);
        } else {
            report_sheet(b, o, r, &sh);
        }
        return;
    }
    summary_row(b, o, r, NULL);
    if (r->error)
        return;
    for (int i = 0; i < r->nind; i++) {
        put_text(b, &b->rows, 0, out_or_empty(r->id), NULL);
        indicator_cells(b, o, &b->rows, 1, r, &r->ind[i]);
        b->rows.row++;
    }
    for (size_t i = 0; i < r->findings.len; i++) {
        put_text(b, &b->findings, 0, out_or_empty(r->id), NULL);
        finding_cells(b, &b->findings, 1, &r->findings.items[i], false);
        b->findings.row++;
    }
}

/* The 统计 sheet: the batch summary, a small table per part. */
static void stats_sheet(OutBook *b, const SumStats *st)
{
    Sheet *sh = &b->stats;
    char range[2 * DEC_BUF + 8];
    put_text(b, sh, 0, out_bi("报告 Reports"), b->style[ST_BOLD]);
    put_count(b, sh, 1, st->reports, NULL);
    sh->row++;
    put_text(b, sh, 0, out_bi("未评分 Not scored"), b->style[ST_BOLD]);
    put_count(b, sh, 1, st->not_scored, NULL);
    sh->row++;
    put_text(b, sh, 0, out_bi("有问题 With findings"), b->style[ST_BOLD]);
    put_count(b, sh, 1, st->flagged, NULL);
    sh->row += 2;
    if (st->ngrades) {
        put_text(b, sh, 0, out_bi("复核等级 Grade"), b->style[ST_HEAD]);
        put_text(b, sh, 1, out_bi("报告数 Reports"), b->style[ST_HEAD]);
        sh->row++;
        for (int i = 0; i < st->ngrades; i++) {
            put_text(b, sh, 0, st->grades[i].name ? st->grades[i].name : "无 none", NULL);
            put_count(b, sh, 1, st->grades[i].count, NULL);
            sh->row++;
        }
        sh->row++;
    }
    if (st->with_total) {
        put_text(b, sh, 0, out_bi("复核得分区间 Recomputed total"), b->style[ST_HEAD]);
        put_text(b, sh, 1, out_bi("报告数 Reports"), b->style[ST_HEAD]);
        sh->row++;
        for (int i = SUM_BINS - 1; i >= 0; i--) {
            snprintf(range, sizeof range, "%s–%s", st->bins[i].from, st->bins[i].to);
            put_text(b, sh, 0, range, NULL);
            put_count(b, sh, 1, st->bins[i].count, NULL);
            sh->row++;
        }
        sh->row++;
    }
    if (st->ngaps) {
        static const char *const head[] = {"报告 Report", "自评总分 Stated total",
                                           "复核得分 Recomputed total", "差额 Gap"};
        header(b, sh, head, 4);
        for (int i = 0; i < st->ngaps; i++) {
            const SumRow *r = st->gaps[i];
            put_text(b, sh, 0, r->id, NULL);
            put_dec(b, sh, 1, r->claimed, ST_PLAIN);
            put_total(b, sh, 2, &r->total, &r->total_max, ST_PLAIN);
            put_dec(b, sh, 3, r->gap, ST_DIFF);
            sh->row++;
        }
        sh->row++;
    }
    if (st->nkinds) {
        static const char *const head[] = {"代码 Code", "严重程度 Severity", "问题数 Findings",
                                           "报告数 Reports", "说明 What it means"};
        header(b, sh, head, 5);
        for (int i = 0; i < st->nkinds; i++) {
            const FindingInfo *info = finding_info(st->kinds[i].kind);
            put_text(b, sh, 0, info->code, NULL);
            put_text(b, sh, 1, severity_label(info->severity), NULL);
            put_count(b, sh, 2, st->kinds[i].findings, NULL);
            put_count(b, sh, 3, st->kinds[i].reports, NULL);
            char lbuf[OUT_LABEL_BUF];
            put_long_text(b, sh, 4, out_label(info->summary, " / ", true, lbuf), NULL);
            sh->row++;
        }
    }
    sheet_widths(sh);
}

/* Frozen header and a filter over a long sheet's rows, then its widths. */
static void long_sheet_end(OutBook *b, Sheet *sh, int ncols)
{
    if (!sh->ws)
        return;
    worksheet_freeze_panes(sh->ws, 1, 0);
    note(b, worksheet_autofilter(sh->ws, 0, 0, sh->row > 1 ? sh->row - 1 : 1, (lxw_col_t)(ncols - 1)));
    sheet_widths(sh);
}

static void book_free(OutBook *b)
{
    unlink(b->path);
    cleanup_forget(b->cleanup);
    free(b->path);
    free(b->fmt);
    strmap_free(&b->formats);
    strmap_free(&b->names);
    free(b);
}

bool out_xlsx_end(Output *o, const SumStats *st)
{
    OutBook *b = o->book;
    o->book = NULL;
    long_sheet_end(b, &b->summary, SUMMARY_COLS);
    stats_sheet(b, st);
    if (!b->per_report) {
        long_sheet_end(b, &b->rows, 1 + (o->explain ? IND_EXPLAIN_COLS : IND_COLS));
        long_sheet_end(b, &b->findings, 6);
    }
    lxw_error e = workbook_close(b->wb);
    note(b, e);
    bool ok = b->err == LXW_NO_ERROR;
    if (!ok) {
        o->error = b->err == LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE
                       ? "a sheet would pass Excel's 1,048,576 rows: use --format csv for a batch this large"
                       : lxw_strerror(b->err);
    } else {
        FILE *f = fopen(b->path, "rb");
        ok = f && out_copy_file(f, o->f);
        if (f)
            fclose(f);
        if (!ok)
            o->error = strerror(errno);
    }
    book_free(b);
    return ok;
}
