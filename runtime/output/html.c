/* html.c - the page (--format html, docs/output.md "Page"): one
 * self-contained HTML file, no external asset, that works offline.  The
 * batch summary comes first (figures, SVG charts drawn here, the ranking),
 * then each report's tables and findings; a small inline script sorts the
 * tables and searches the reports.
 *
 * The summary needs the whole batch, the details come one report at a
 * time: each report's detail is written, as it is scored, to a temporary
 * file (o->f points there between begin and end, so batches formatted on
 * threads land there too); at the end the head and the summary go to the
 * real output, then the details are copied after them.  Held meanwhile:
 * the summary rows (summary.h).
 *
 * Every text from the data or the rules is escaped; a Content Security
 * Policy allows only this page's own script and style (by hash) and data:
 * images, so a text that escaped escaping still could not load or run
 * anything.
 */
#include "formats.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lang/base/text.h"

typedef struct OutPage {
    FILE *dst;               /* the real output */
    FILE *detail;            /* the reports' details, until the end */
} OutPage;

/* The page's style and script.  Their SHA-256 hashes are in the Content
 * Security Policy below: change one and its hash must change with it
 * (tests/output/check-html says which hash it has). */
static const char page_style[] =
    "body{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\",\"PingFang SC\",sans-serif;margin:0 2em 3em;"
    "color:#222;line-height:1.45}"
    "header{position:sticky;top:0;background:#fff;border-bottom:1px solid #ccc;padding:.5em 0;z-index:1}"
    "h1{font-size:1.4em;margin:.3em 0}h2{font-size:1.2em;margin-top:1.6em}h3{font-size:1em}"
    "#q{width:24em;font-size:1em;padding:.2em .4em}"
    ".cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #ccc;border-radius:4px;"
    "padding:.4em .9em}.card b{display:block;font-size:1.5em}"
    ".charts{display:flex;gap:1.5em;flex-wrap:wrap}figure{margin:0}figcaption{font-weight:bold}"
    "table{border-collapse:collapse;margin:.5em 0;font-size:.92em}"
    "th,td{border:1px solid #ccc;padding:.15em .45em;text-align:left;vertical-align:top}"
    "th{background:#ddebf7;cursor:pointer;white-space:nowrap}td.n{text-align:right;white-space:nowrap}"
    "tr.diff td.s,td.bad{background:#ffc7ce;color:#9c0006}td.warn{background:#ffeb9c;color:#8a6100}"
    "li.error{color:#9c0006}li.warning{color:#8a6100}code{font-size:.95em}"
    ".rule{color:#777}.explain{color:#555;font-size:.9em;white-space:pre-wrap}"
    "article{border-top:2px solid #888;margin-top:1.5em}.hidden{display:none}"
    "#ranking td{white-space:nowrap}";

static const char page_script[] =
    "(function(){"
    "function key(td){var v=td.getAttribute('data-v');if(v!==null&&v!==''&&!isNaN(+v))return +v;"
    "return td.textContent;}"
    "function sort(th){var table=th.closest('table'),body=table.tBodies[0],i=th.cellIndex,"
    "up=th.getAttribute('data-up')!=='1';th.setAttribute('data-up',up?'1':'0');"
    "var rows=Array.prototype.slice.call(body.rows);rows.sort(function(a,b){"
    "var x=key(a.cells[i]||a),y=key(b.cells[i]||b),c;"
    "if(typeof x==='number'&&typeof y==='number')c=x-y;"
    "else if(typeof x==='number')c=-1;else if(typeof y==='number')c=1;"
    "else c=String(x).localeCompare(String(y),'zh');return up?c:-c;});"
    "rows.forEach(function(r){body.appendChild(r);});}"
    "document.querySelectorAll('table.sortable th').forEach(function(th){"
    "th.addEventListener('click',function(){sort(th);});});"
    "var q=document.getElementById('q');"
    "q.addEventListener('input',function(){var s=q.value.trim().toLowerCase();"
    "document.querySelectorAll('article.report').forEach(function(a){"
    "a.classList.toggle('hidden',s!==''&&a.textContent.toLowerCase().indexOf(s)<0);});"
    "document.querySelectorAll('#ranking tbody tr').forEach(function(r){"
    "r.classList.toggle('hidden',s!==''&&r.textContent.toLowerCase().indexOf(s)<0);});});"
    "var h=decodeURIComponent(location.hash.slice(1));"
    "if(h.indexOf('q=')===0){q.value=h.slice(2);q.dispatchEvent(new Event('input'));}"
    "document.documentElement.setAttribute('data-ready','1');"
    "})();";

#define PAGE_STYLE_HASH "sha256-SdL+g8zFjNFJ+1y8zE3psCElCFacKHq69W9jVNXynXM="
#define PAGE_SCRIPT_HASH "sha256-kplzrFRToW9dlHlo6hVBSpZVfpM9WBVgaMPhSfkG6Jg="

/* Text ------------------------------------------------------------------------ */

/* s as HTML text or attribute value: & < > " ' escaped, invalid UTF-8 as
 * U+FFFD, control characters (a newline too) as spaces. */
static const char *html_escape(unsigned char c, char buf[8])
{
    switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&#39;";
    default:
        if (c >= 0x20 && c != 0x7F)
            return NULL;
        buf[0] = ' ';
        buf[1] = '\0';
        return buf;
    }
}

/* The same, keeping line breaks. */
static const char *html_escape_lines(unsigned char c, char buf[8])
{
    return c == '\n' ? NULL : html_escape(c, buf);
}

static void esc(FILE *f, const char *s)
{
    if (s)
        out_escaped(f, s, "\xEF\xBF\xBD", html_escape);
}

/* Like esc(), keeping line breaks (in an element whose white space is pre-wrap). */
static void esc_lines(FILE *f, const char *s)
{
    if (s)
        out_escaped(f, s, "\xEF\xBF\xBD", html_escape_lines);
}

static void cell(FILE *f, const char *s)
{
    fputs("<td>", f);
    esc(f, s);
    fputs("</td>", f);
}

/* A number cell: its text, and the number to sort by. */
static void num_cell(FILE *f, const char *text, const char *cls)
{
    fprintf(f, "<td class=\"n%s%s\" data-v=\"", cls ? " " : "", cls ? cls : "");
    esc(f, text);
    fputs("\">", f);
    esc(f, text);
    fputs("</td>", f);
}

static void points_cell(FILE *f, const TlValue *v, const char *cls)
{
    char buf[VAL_BUF];
    const char *s = out_points_text(v, buf);
    num_cell(f, s ? s : "—", cls);
}

static void head_row(FILE *f, const char *const *head, int n)
{
    fputs("<thead><tr>", f);
    for (int i = 0; i < n; i++)
        fprintf(f, "<th>%s</th>", out_bi(head[i]));
    fputs("</tr></thead>\n<tbody>\n", f);
}

/* "错误 error", "警告 warning", "提示 note". */
static const char *severity_label(DiagSeverity s)
{
    return out_bi(s == DIAG_ERROR ? "错误 error" : s == DIAG_WARNING ? "警告 warning" : "提示 note");
}

/* Begin ------------------------------------------------------------------------ */

bool out_html_begin(Output *o)
{
    FILE *detail = tmpfile();
    if (!detail) {
        o->error = "cannot create a temporary file for the page (TMPDIR)";
        return false;
    }
    OutPage *p = xcalloc(1, sizeof *p);
    p->dst = o->f;
    p->detail = detail;
    o->page = p;
    o->f = detail;
    return true;
}

/* A report ---------------------------------------------------------------------- */

static const char *const ind_head[] = {
    "一级指标 Level 1", "二级指标 Level 2", "三级指标 Indicator", "年度指标值 Target",
    "实际完成值 Actual", "分值 Weight", "复核得分 Recomputed", "自评得分 Self-awarded",
    "问题 Findings", "计算过程 Explanation",
};

static void report_indicators(const Output *o, const ReportResult *r)
{
    FILE *f = o->f;
    if (r->nind == 0)
        return;
    fputs("<table class=\"sortable ind\">", f);
    head_row(f, ind_head, o->explain ? 10 : 9);
    for (int i = 0; i < r->nind; i++) {
        const ScoredIndicator *si = &r->ind[i];
        const ScoreEval *e = &si->eval;
        char a[VAL_BUF], b[VAL_BUF];
        fprintf(f, "<tr%s>", out_score_differs(o, e) ? " class=\"diff\"" : "");
        cell(f, si->level1);
        cell(f, si->level2);
        cell(f, si->name);
        const char *t = out_shown_text(o, &e->target, a), *v = out_shown_text(o, &e->value, b);
        cell(f, t ? t : "—");
        cell(f, v ? v : "—");
        points_cell(f, &e->weight, NULL);
        points_cell(f, &e->score, e->score.kind == TL_MISSING ? "s bad" : "s");
        points_cell(f, &e->reported, "s");
        fputs("<td>", f);
        for (size_t k = 0, first = 1; k < r->findings.len; k++) {
            const Finding *fi = &r->findings.items[k];
            if (fi->subject && si->name && strcmp(fi->subject, si->name) == 0) {
                fprintf(f, "%s<code>%s</code>", first ? "" : " ", finding_info(fi->kind)->code);
                first = 0;
            }
        }
        fputs("</td>", f);
        if (o->explain) {
            fputs("<td class=\"explain\">", f);
            if (out_nonempty(si->method)) {
                esc(f, si->method);
                if (out_nonempty(si->why)) {
                    fputs(" (", f);
                    esc(f, si->why);
                    putc(')', f);
                }
                putc('\n', f);
            }
            if (out_nonempty(si->formula)) {
                esc_lines(f, si->formula);
                putc('\n', f);
            }
            for (int k = 0; k < si->explain.len; k++) {
                esc_lines(f, out_or_empty(si->explain.lines[k]));
                putc('\n', f);
            }
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

static void report_groups(FILE *f, const ReportResult *r)
{
    if (r->ngroups == 0)
        return;
    static const char *const head[] = {"分组 Group", "分值 Weight", "复核小计 Subtotal", "自评小计 Reported"};
    fputs("<table class=\"groups\">", f);
    head_row(f, head, 4);
    for (int i = 0; i < r->ngroups; i++) {
        const ScoredGroup *g = &r->groups[i];
        char w[DEC_BUF];
        fputs("<tr><td>", f);
        for (int d = 0; d < g->depth; d++)
            fputs("&#160;&#160;", f);
        esc(f, g->name);
        fputs("</td>", f);
        num_cell(f, out_dec_text(g->weight, w), NULL);
        points_cell(f, &g->subtotal, NULL);
        points_cell(f, &g->reported, NULL);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

static void report_totals(FILE *f, const ReportResult *r)
{
    fputs("<table class=\"totals\"><tbody>\n", f);
    struct { const char *label; const TlValue *v; } rows[] = {
        {"复核得分 Recomputed total", &r->total}, {"满分 Maximum", &r->max_total},
        {"自评总分 Stated total", &r->stated_total}, {"自评得分合计 Reported sum", &r->reported_sum},
    };
    const TlValue *lo, *hi;
    out_total_range(r, &lo, &hi);
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        if (rows[i].v->kind == TL_MISSING)
            continue;
        fprintf(f, "<tr><th>%s</th>", out_bi(rows[i].label));
        if (i == 0 && out_is_range(lo, hi)) { /* unverified indicators: the range */
            char t[OUT_TOTAL_BUF];
            num_cell(f, out_total_text(lo, hi, t), "warn");
        } else {
            points_cell(f, rows[i].v, NULL);
        }
        fputs("</tr>\n", f);
    }
    if (r->nunverified) {
        char a[VAL_BUF];
        fprintf(f, "<tr><th>%s</th><td>", out_bi("未复核 Unverified"));
        fprintf(f, "%d", r->nunverified);
        fputs(" · ", f);
        esc(f, out_points_text(&r->unverified_weight, a));
        fputs("</td></tr>\n", f);
    }
    if (r->grade) {
        fprintf(f, "<tr><th>%s</th>", out_bi("复核等级 Grade"));
        cell(f, r->grade);
        fputs("</tr>\n", f);
    }
    if (r->stated_grade) {
        bool differs = r->grade && strcmp(r->grade, r->stated_grade) != 0;
        fprintf(f, "<tr><th>%s</th><td%s>", out_bi("自评等级 Stated grade"), differs ? " class=\"bad\"" : "");
        esc(f, r->stated_grade);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

static void report_checks(FILE *f, const ReportResult *r)
{
    if (r->nchecks == 0)
        return;
    static const char *const head[] = {"检查 Check", "左边 Left side", "右边 Right side", "结果 Result"};
    fputs("<table class=\"checks\">", f);
    head_row(f, head, 4);
    for (int i = 0; i < r->nchecks; i++) {
        const ScoredCheck *c = &r->checks[i];
        char a[VAL_BUF], b[VAL_BUF];
        const char *lhs = out_value_text(&c->lhs, a), *rhs = out_value_text(&c->rhs, b);
        fputs("<tr>", f);
        cell(f, c->name);
        cell(f, lhs ? lhs : "—");
        cell(f, rhs ? rhs : "—");
        fprintf(f, "<td%s>%s</td></tr>\n", c->result > 0 ? "" : " class=\"bad\"",
                c->result > 0 ? "通过 passed" : c->result == 0 ? "未通过 failed" : "未知 unknown");
    }
    fputs("</tbody></table>\n", f);
}

static void report_findings(FILE *f, const ReportResult *r)
{
    if (r->findings.len == 0) {
        fprintf(f, "<p>%s</p>\n", out_bi("问题：无 Findings: none"));
        return;
    }
    fprintf(f, "<h3>%s</h3>\n<ul class=\"findings\">\n", out_bi("问题 Findings"));
    for (size_t i = 0; i < r->findings.len; i++) {
        const Finding *fi = &r->findings.items[i];
        const FindingInfo *info = finding_info(fi->kind);
        char rule[512];
        fprintf(f, "<li class=\"%s\"><code>%s</code> %s%s", out_severity_name[info->severity], info->code,
                severity_label(info->severity), _(": "));
        if (out_nonempty(fi->subject)) {
            fputs("<b>", f);
            esc(f, fi->subject);
            fprintf(f, "</b>%s", _(": "));
        }
        esc(f, fi->message);
        if (out_rule_text(fi, rule, sizeof rule)) {
            fputs(" <span class=\"rule\">[", f);
            esc(f, rule);
            fputs("]</span>", f);
        }
        fputs("</li>\n", f);
    }
    fputs("</ul>\n", f);
}

void out_html_report(const Output *o, const ReportResult *r)
{
    FILE *f = o->f;
    fprintf(f, "<article class=\"report\" id=\"r%zu\">\n<h2>", o->count);
    esc(f, out_or_empty(r->id));
    fputs("</h2>\n", f);
    if (r->error) {
        fprintf(f, "<p class=\"bad\">%s: ", out_bi("未评分 Not scored"));
        esc(f, r->error);
        fputs("</p>\n</article>\n", f);
        return;
    }
    report_indicators(o, r);
    report_groups(f, r);
    report_totals(f, r);
    report_checks(f, r);
    report_findings(f, r);
    fputs("</article>\n", f);
}

/* Charts ------------------------------------------------------------------------ */

#define CHART_W 420
#define CHART_H 260
#define CHART_LEFT 70
#define CHART_BOTTOM 90

typedef struct Bar {
    const char *label;
    size_t count;
} Bar;

/* A vertical bar chart of n bars (inline SVG), the count above each bar. */
static void bar_chart(FILE *f, const char *caption, const Bar *bar, int n, const char *fill)
{
    size_t top = 1;
    for (int i = 0; i < n; i++)
        if (bar[i].count > top)
            top = bar[i].count;
    double plot_w = CHART_W - CHART_LEFT - 10, plot_h = CHART_H - CHART_BOTTOM - 20;
    double slot = n ? plot_w / n : plot_w, bw = slot * 0.8;
    fprintf(f, "<figure><figcaption>%s</figcaption>\n", out_bi(caption));
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
               "viewBox=\"0 0 %d %d\" role=\"img\" font-size=\"11\">\n",
            CHART_W, CHART_H, CHART_W, CHART_H);
    fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>\n", CHART_LEFT,
            CHART_H - CHART_BOTTOM, CHART_W - 10, CHART_H - CHART_BOTTOM);
    for (int i = 0; i < n; i++) {
        double h = plot_h * (double)bar[i].count / (double)top;
        double x = CHART_LEFT + slot * i + (slot - bw) / 2, y = CHART_H - CHART_BOTTOM - h;
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>", x, y,
                bw, h, fill);
        esc(f, bar[i].label);
        fprintf(f, ": %zu</title></rect>\n", bar[i].count);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%zu</text>\n", x + bw / 2, y - 3,
                bar[i].count);
        fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"end\" transform=\"rotate(-35 %.1f %d)\">",
                x + bw / 2, CHART_H - CHART_BOTTOM + 14, x + bw / 2, CHART_H - CHART_BOTTOM + 14);
        esc(f, bar[i].label);
        fputs("</text>\n", f);
    }
    fputs("</svg></figure>\n", f);
}

/* The histogram of the gaps between claimed and recomputed totals: bins of
 * a round width, at most 16 of them. */
static void gap_chart(FILE *f, const SumStats *st)
{
    double lo = 0, hi = 0;
    size_t n = 0;
    for (size_t i = 0; i < st->reports; i++) {
        const SumRow *r = st->ranking[i];
        if (!r->claimed_known)
            continue;
        double g = dec_to_double(r->gap);
        lo = n == 0 || g < lo ? g : lo;
        hi = n == 0 || g > hi ? g : hi;
        n++;
    }
    if (n == 0) {
        fprintf(f, "<figure><figcaption>%s</figcaption><p>%s</p></figure>\n",
                out_bi("自评总分与复核得分之差 Stated − recomputed total"),
                out_bi("无自评总分 No stated totals"));
        return;
    }
    static const double widths[] = {0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};
    double w = widths[0];
    for (size_t k = 0; k < sizeof widths / sizeof *widths; k++) {
        w = widths[k];
        if ((floor(hi / w) - floor(lo / w) + 1) <= 16)
            break;
    }
    double first = floor(lo / w) * w;
    int nb = (int)(floor(hi / w) - floor(lo / w)) + 1;
    if (nb > 16)
        nb = 16;
    Bar bars[16];
    char labels[16][48];
    for (int b = 0; b < nb; b++) {
        snprintf(labels[b], sizeof labels[b], "%g–%g", first + b * w, first + (b + 1) * w);
        bars[b] = (Bar){labels[b], 0};
    }
    for (size_t i = 0; i < st->reports; i++) {
        const SumRow *r = st->ranking[i];
        if (!r->claimed_known)
            continue;
        int b = (int)floor((dec_to_double(r->gap) - first) / w);
        bars[b < 0 ? 0 : b >= nb ? nb - 1 : b].count++;
    }
    bar_chart(f, "自评总分与复核得分之差 Stated − recomputed total", bars, nb, "#c0504d");
}

/* The summary ---------------------------------------------------------------------- */

static void card(FILE *f, const char *label, size_t n)
{
    fprintf(f, "<div class=\"card\"><b>%zu</b>%s</div>\n", n, out_bi(label));
}

static void page_summary(FILE *f, const SumStats *st)
{
    fprintf(f, "<section id=\"summary\">\n<h2>%s</h2>\n<div class=\"cards\">\n", out_bi("汇总 Summary"));
    card(f, "份报告 reports", st->reports);
    card(f, "份未评分 not scored", st->not_scored);
    card(f, "份有问题 with findings", st->flagged);
    card(f, "份自评总分与复核不符 stated total differs", st->gap_nonzero);
    card(f, "份自评等级与复核不符 stated grade differs", st->grade_differs);
    fputs("</div>\n<div class=\"charts\">\n", f);
    if (st->ngrades) {
        Bar *bars = xcalloc((size_t)st->ngrades, sizeof *bars);
        for (int i = 0; i < st->ngrades; i++)
            bars[i] = (Bar){st->grades[i].name ? st->grades[i].name : "无 none", st->grades[i].count};
        bar_chart(f, "复核等级 Grades", bars, st->ngrades, "#4f81bd");
        free(bars);
    }
    if (st->with_total) {
        Bar bars[SUM_BINS];
        char labels[SUM_BINS][2 * DEC_BUF + 8];
        for (int i = 0; i < SUM_BINS; i++) {
            snprintf(labels[i], sizeof labels[i], "%s–%s", st->bins[i].from, st->bins[i].to);
            bars[i] = (Bar){labels[i], st->bins[i].count};
        }
        bar_chart(f, "复核得分分布 Recomputed totals", bars, SUM_BINS, "#9bbb59");
    }
    gap_chart(f, st);
    if (st->nkinds) {
        int n = st->nkinds < 10 ? st->nkinds : 10;
        Bar bars[10];
        for (int i = 0; i < n; i++)
            bars[i] = (Bar){finding_info(st->kinds[i].kind)->code, st->kinds[i].findings};
        bar_chart(f, "最常见的问题 Most common findings", bars, n, "#f79646");
    }
    fputs("</div>\n", f);
    if (st->nkinds) {
        static const char *const head[] = {"代码 Code", "严重程度 Severity", "问题数 Findings",
                                           "报告数 Reports", "说明 What it means"};
        fprintf(f, "<h3>%s</h3>\n<table class=\"sortable\" id=\"kinds\">", out_bi("问题种类 Findings by kind"));
        head_row(f, head, 5);
        for (int i = 0; i < st->nkinds; i++) {
            const FindingInfo *info = finding_info(st->kinds[i].kind);
            char a[32], b[32];
            snprintf(a, sizeof a, "%zu", st->kinds[i].findings);
            snprintf(b, sizeof b, "%zu", st->kinds[i].reports);
            fprintf(f, "<tr><td><code>%s</code></td>", info->code);
            cell(f, severity_label(info->severity));
            num_cell(f, a, NULL);
            num_cell(f, b, NULL);
            char lbuf[OUT_LABEL_BUF];
            cell(f, out_label(info->summary, " / ", true, lbuf));
            fputs("</tr>\n", f);
        }
        fputs("</tbody></table>\n", f);
    }
    static const char *const head[] = {
        "名次 Rank", "报告 Report", "复核得分 Recomputed", "满分 Maximum", "自评总分 Stated",
        "差额 Gap", "复核等级 Grade", "自评等级 Stated grade", "错误 Errors", "警告 Warnings",
    };
    fprintf(f, "<h3>%s</h3>\n<table class=\"sortable\" id=\"ranking\">", out_bi("排名 Ranking"));
    head_row(f, head, 10);
    for (size_t i = 0; i < st->reports; i++) {
        const SumRow *r = st->ranking[i];
        char rank[32], claim[DEC_BUF], gap[DEC_BUF], e[32], w[32];
        snprintf(rank, sizeof rank, "%zu", i + 1);
        fputs("<tr>", f);
        num_cell(f, r->total.kind == TL_NUM ? rank : "", NULL);
        fprintf(f, "<td><a href=\"#r%zu\">", r->index + 1);
        esc(f, r->id);
        fputs("</a></td>", f);
        if (out_is_range(&r->total, &r->total_max)) {
            char t[OUT_TOTAL_BUF];
            num_cell(f, out_total_text(&r->total, &r->total_max, t), "warn");
        } else {
            points_cell(f, &r->total, r->error ? "bad" : NULL);
        }
        points_cell(f, &r->max, NULL);
        num_cell(f, r->claimed_known ? out_dec_text(r->claimed, claim) : "—", NULL);
        num_cell(f, r->claimed_known ? out_dec_text(r->gap, gap) : "—",
                 r->claimed_known && !dec_is_zero(r->gap) ? "bad" : NULL);
        cell(f, r->grade ? r->grade : "—");
        bool differs = r->grade && r->stated_grade && strcmp(r->grade, r->stated_grade) != 0;
        fprintf(f, "<td%s>", differs ? " class=\"bad\"" : "");
        esc(f, r->stated_grade ? r->stated_grade : "—");
        fputs("</td>", f);
        snprintf(e, sizeof e, "%d", r->by_severity[DIAG_ERROR]);
        snprintf(w, sizeof w, "%d", r->by_severity[DIAG_WARNING]);
        num_cell(f, e, NULL);
        num_cell(f, w, NULL);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n</section>\n", f);
}

bool out_html_end(Output *o, const SumStats *st)
{
    OutPage *p = o->page;
    FILE *f = p->dst;
    o->page = NULL;
    o->f = f;
    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src '" PAGE_STYLE_HASH "'; script-src '" PAGE_SCRIPT_HASH "'; img-src data:\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<link rel=\"icon\" href=\"data:,\">\n"
          "<title>",
          f);
    fprintf(f, "%s</title>\n<style>", out_bi("绩效自评复核结果 Re-scored self-evaluations"));
    fputs(page_style, f);
    fprintf(f, "</style>\n</head>\n<body>\n<header>\n<h1>%s</h1>\n"
               "<input id=\"q\" type=\"search\" placeholder=\"%s\" aria-label=\"%s\">\n</header>\n",
            out_bi("绩效自评复核结果 Re-scored self-evaluations"),
            out_bi("搜索报告、指标、问题 Search reports, indicators, findings"), out_bi("搜索 Search"));
    page_summary(f, st);
    fputs("<section id=\"reports\">\n", f);
    /* a detail that could not be written (a full TMPDIR) fails the page,
     * never leaves it short */
    bool ok = fflush(p->detail) == 0 && !ferror(p->detail) && out_copy_file(p->detail, f);
    fclose(p->detail);
    fputs("</section>\n<script>", f);
    fputs(page_script, f);
    fputs("</script>\n</body>\n</html>\n", f);
    free(p);
    if (!ok)
        o->error = "cannot copy the reports' details into the page";
    return ok;
}
