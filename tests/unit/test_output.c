/* test_output.c - text, CSV and JSON rendering (runtime/output.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/base/text.h"
#include "runtime/output/output.h"

/* Fixtures: three reports built by hand ------------------------------------ */

static const char rules_text[] =
    "scheme 测试\n"
    "indicator 在职人员控制率 weight 5 = 实有人数 / 编制数\n"
    "rows level2 成本指标 using inverse_ratio\n"
    "check 执行率达标: 预算执行率 >= 95%\n";

typedef struct Fixture {
    Arena arena;
    Source src;
    ReportResult res[3];
    char *out;            /* the last rendering, freed by the next or by teardown */
} Fixture;

static TlValue cell(Fixture *fx, const char *s)
{
    TlValue v;
    const char *err = NULL;
    if (!cell_parse(&fx->arena, s, strlen(s), &v, &err))
        fail_msg("cell_parse(%s): %s", s, err);
    return v;
}

static TlValue pts(int64_t coef, int scale) { return val_num(dec_make(coef, scale)); }

static Span line_span(const char *text, int line)
{
    const char *p = text;
    for (int i = 1; i < line; i++)
        p = strchr(p, '\n') + 1;
    return (Span){(uint32_t)(p - text), (uint32_t)(p - text + 1)};
}

static ScoredIndicator ind(const char *l1, const char *l2, const char *name, bool table, TlValue target,
                           TlValue value, TlValue weight, TlValue score, TlValue reported)
{
    ScoredIndicator si;
    memset(&si, 0, sizeof si);
    si.level1 = l1;
    si.level2 = l2;
    si.name = name;
    si.from_table = table;
    si.method = "formula";
    si.why = "the indicator's score formula";
    si.formula = "实有人数 / 编制数";
    si.eval.target = target;
    si.eval.value = value;
    si.eval.weight = weight;
    si.eval.score = score;
    si.eval.raw = score;
    si.eval.reported = reported;
    return si;
}

static const char *const explain_rate[] = {"value: 10824.18万元 / 11458.23万元 = 94.47%",
                                           "branch: rate < 95%: 10 × 94.47% = 9.45"};
static const char *const explain_row[] = {"value 92% ≥ target 90%", "branch: met: full marks 5"};

static const char weird_name[] = "满意度,含\n回访";
static const char quoted_name[] = "say \"hi\"";

/* T1: fixed indicators; T2: a report's own table; E3: could not be scored. */
static int setup(void **state)
{
    Fixture *fx = calloc(1, sizeof *fx);
    arena_init(&fx->arena);
    fx->src = (Source){.name = "rules/t.tally", .text = rules_text, .len = sizeof rules_text - 1, .first_line = 1};
    TlValue none = val_missing();

    ReportResult *r = &fx->res[0];
    r->id = "T1";
    r->nind = 3;
    r->ind = arena_alloc(&fx->arena, 3 * sizeof *r->ind);
    r->ind[0] = ind("预算执行", "", "预算执行率", false, cell(fx, "11458.23万元"), cell(fx, "10824.18万元"),
                    pts(10, 0), pts(945, 2), none);
    r->ind[0].method = "score_exec";
    r->ind[0].why = "the indicator says: using";
    r->ind[0].formula = "score_exec(全年预算数, 全年执行数,\n           weight)";
    r->ind[0].explain = (Explain){(const char **)explain_rate, 2, 2};
    r->ind[0].branch = "weight x execution rate (capped at 100%)";
    r->ind[1] = ind("共性指标", "", "staff ratio", false, cell(fx, "100%"), cell(fx, "95%"), pts(5, 0),
                    pts(45, 1), none);
    r->ind[2] = ind("共性指标", "", "在职人员控制率", false, cell(fx, "100%"), none, pts(5, 0), none, none);
    r->ngroups = 2;
    r->groups = arena_alloc(&fx->arena, 2 * sizeof *r->groups);
    r->groups[0] = (ScoredGroup){"预算执行", 0, dec_from_int(10), none, pts(945, 2), none, false};
    r->groups[1] = (ScoredGroup){"共性指标", 0, dec_from_int(10), none, pts(45, 1), none, false};
    r->nchecks = 1;
    r->checks = arena_alloc(&fx->arena, sizeof *r->checks);
    r->checks[0] = (ScoredCheck){"执行率达标", 0, cell(fx, "94.47%"), cell(fx, "95%")};
    r->total = pts(1395, 2);
    r->max_total = pts(20, 0);
    r->stated_total = r->reported_sum = none;
    r->grade = "良";
    findings_init(&r->findings, &fx->arena);
    findings_add(&r->findings, F_MISSING_VALUE, "在职人员控制率", &fx->src, line_span(rules_text, 2),
                 "no score: 实有人数 is missing");
    findings_add(&r->findings, F_CHECK_FAILED, "执行率达标", &fx->src, line_span(rules_text, 4),
                 "94.47%% >= 95%% is false");

    r = &fx->res[1];
    r->id = "T2";
    r->nind = 4;
    r->ind = arena_alloc(&fx->arena, 4 * sizeof *r->ind);
    r->ind[0] = ind("产出指标", "数量指标", "三支一扶合格人员数", true, cell(fx, "15人"), cell(fx, "15人"),
                    pts(5, 0), pts(5, 0), pts(5, 0));
    r->ind[1] = ind("产出指标", "质量指标", weird_name, true, cell(fx, "≥90%"), cell(fx, "92%"), pts(5, 0),
                    pts(5, 0), pts(4, 0));
    r->ind[1].explain = (Explain){(const char **)explain_row, 2, 2};
    r->ind[1].branch = "target met: full marks";
    r->ind[2] = ind("效益指标", "社会效益指标", quoted_name, true, cell(fx, "有所提升"), cell(fx, "有所提升"),
                    pts(3, 0), pts(3, 0), pts(3, 0));
    r->ind[2].eval.raw = pts(35, 1);
    r->ind[2].eval.clamped = true;
    r->ind[3] = ind("成本指标", "经济成本指标", "人均成本", true, cell(fx, "≤10824.18万元"),
                    cell(fx, "10824.18万元"), pts(3, 0), pts(267, 2), pts(267, 2));
    for (int i = 0; i < 4; i++)
        r->ind[i].pos = (DataPos){"data/t.csv", 2 + i, NULL, NULL};
    r->ngroups = 3;
    r->groups = arena_alloc(&fx->arena, 3 * sizeof *r->groups);
    r->groups[0] = (ScoredGroup){"产出指标", 0, dec_from_int(50), pts(10, 0), pts(10, 0), pts(9, 0), false};
    r->groups[1] = (ScoredGroup){"效益指标", 0, dec_from_int(30), pts(3, 0), pts(3, 0), pts(3, 0), false};
    r->groups[2] = (ScoredGroup){"社会效益指标", 1, dec_from_int(30), pts(3, 0), pts(3, 0), pts(3, 0), false};
    r->total = pts(9667, 2);
    r->max_total = pts(100, 0);
    r->stated_total = pts(97, 0);
    r->reported_sum = pts(96, 0);
    r->grade = "优";
    r->stated_grade = "优";
    findings_init(&r->findings, &fx->arena);
    findings_add(&r->findings, F_SCORE_MISMATCH, weird_name, &fx->src, line_span(rules_text, 3),
                 "recomputed 5, self-awarded 4");
    findings_add(&r->findings, F_DEDUCTED_MET, weird_name, &fx->src, line_span(rules_text, 3),
                 "target met, 1 point deducted");
    findings_add(&r->findings, F_SCORE_MISMATCH, weird_name, &fx->src, line_span(rules_text, 3),
                 "counted twice on purpose");
    findings_add(&r->findings, F_CLAMPED, quoted_name, &fx->src, line_span(rules_text, 3),
                 "3.5 clamped to 3");
    findings_add(&r->findings, F_TOTAL_MISMATCH, "总分", NULL, (Span){0, 0},
                 "the scores add up to 96, the stated total is 97");
    findings_add(&r->findings, F_NO_STATED_TOTAL, "", NULL, (Span){0, 0}, "a report-level warning");

    r = &fx->res[2];
    r->id = "E3";
    r->error = "line 7, column \"weight\": 'x,y' is not a number";
    r->total = r->max_total = r->stated_total = r->reported_sum = none;
    findings_init(&r->findings, &fx->arena);

    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    Fixture *fx = *state;
    for (int i = 0; i < 3; i++)
        findings_free(&fx->res[i].findings);
    arena_free(&fx->arena);
    free(fx->out);
    free(fx);
    return 0;
}

/* Render the n results res[0..n); the text lives until the next call. */
static char *render_results(Fixture *fx, OutFormat fmt, bool explain, const ReportResult *res, int n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    Output o = {0};
    o.f = f;
    o.fmt = fmt;
    o.explain = explain;
    assert_true(output_begin(&o));
    for (int i = 0; i < n; i++)
        output_report(&o, &res[i]);
    assert_true(output_end(&o));
    assert_int_equal(o.count, (size_t)n);
    fclose(f);
    free(fx->out);
    return fx->out = buf;
}

/* Render reports [from, to) of the fixture. */
static char *render(Fixture *fx, OutFormat fmt, bool explain, int from, int to)
{
    return render_results(fx, fmt, explain, &fx->res[from], to - from);
}

/* Text --------------------------------------------------------------------- */

/* Display columns at which the cells of a table line start (cells are two or more spaces apart). */
static int cell_starts(const char *line, size_t n, size_t *start, int max)
{
    int k = 0;
    size_t i = 0;
    while (i < n && line[i] == ' ')
        i++;
    while (i < n && k < max) {
        start[k++] = text_width(line, i);
        while (i < n && !(line[i] == ' ' && i + 1 < n && line[i + 1] == ' '))
            i++;
        while (i < n && line[i] == ' ')
            i++;
    }
    return k;
}

/* Every row of the table whose header line starts with `header` (the first
 * one at or after `from`) has its cells from `first` on where the header has them. */
static void check_aligned(const char *from, const char *header, int want_cols, int first)
{
    const char *p = strstr(from, header);
    assert_non_null(p);
    const char *eol = strchr(p, '\n');
    size_t head[16], row[16];
    int nh = cell_starts(p, (size_t)(eol - p), head, 16);
    assert_int_equal(nh, want_cols);
    int rows = 0;
    for (p = eol + 1; *p && *p != '\n'; p = eol + 1, rows++) {
        eol = strchr(p, '\n');
        assert_non_null(eol);
        assert_true(eol == p || eol[-1] != ' ');
        int nr = cell_starts(p, (size_t)(eol - p), row, 16);
        assert_true(nr >= nh);
        for (int c = first; c < nh; c++)
            if (row[c] != head[c])
                fail_msg("row %d cell %d at column %zu, header at %zu: %.*s", rows, c, row[c], head[c],
                         (int)(eol - p), p);
    }
    assert_true(rows > 0);
}

/* Display column of `word` in the line of `out` that starts with `line_start`. */
static size_t column_of(const char *out, const char *line_start, const char *word)
{
    const char *p = strstr(out, line_start);
    assert_non_null(p);
    const char *w = strstr(p, word);
    assert_non_null(w);
    assert_true(memchr(p, '\n', (size_t)(w - p)) == NULL);
    return text_width(p, (size_t)(w - p));
}

static void test_text_fixed(void **state)
{
    Fixture *fx = *state;
    char *out = render(fx, OUT_TEXT, false, 0, 1);
    assert_non_null(strstr(out, "report T1\n  level1    indicator       target        value         weight"));
    check_aligned(out, "  level1", 6, 0);
    check_aligned(out, "  group", 3, 0);
    size_t weight = column_of(out, "  level1", "weight");
    assert_int_equal(column_of(out, "  预算执行", "10  "), weight);
    assert_int_equal(column_of(out, "  共性指标  staff", "5  "), weight);
    assert_int_equal(column_of(out, "  共性指标  在职", "5  "), weight);
    assert_non_null(strstr(out, "  共性指标  staff ratio     100%          95%           5       4.5\n"));
    assert_non_null(strstr(out, "在职人员控制率  100%          —             5       —      ?\n"));
    assert_null(strstr(out, "level2"));
    assert_null(strstr(out, "reported"));
    assert_non_null(strstr(out, "  group     weight  subtotal\n  预算执行  10      9.45\n"));
    assert_non_null(strstr(out, "  total         13.95 / 20\n  grade         良\n\n"));
    assert_null(strstr(out, "stated total"));
    assert_non_null(strstr(out, "  checks:\n    failed   执行率达标: 94.47% vs 95%\n"));
    assert_non_null(strstr(out, "  findings:\n    E_MISSING_VALUE  error  在职人员控制率: no score: 实有人数 is missing"
                                "  [rules/t.tally:2]\n"));
    assert_non_null(strstr(out, "    E_CHECK_FAILED   error  执行率达标: "));
    assert_non_null(strstr(out, "\n1 report, 0 not scored, 1 with findings\n"));
    assert_null(strstr(out, "\033["));
}

static void test_text_table(void **state)
{
    Fixture *fx = *state;
    char *out = render(fx, OUT_TEXT, false, 1, 2);
    check_aligned(out, "  level1", 8, 0);
    check_aligned(out, "  group", 4, 1);
    assert_non_null(strstr(out, "level1    level2        indicator           target         value"));
    assert_non_null(strstr(out, "满意度,含 回访"));
    size_t weight = column_of(out, "  level1", "weight");
    assert_int_equal(column_of(out, "  产出指标  数量指标", "5  "), weight);
    assert_int_equal(column_of(out, "  成本指标", "3  "), weight);
    assert_non_null(strstr(out, "  5       5      4         *\n"));
    assert_non_null(strstr(out, "  3       3      3         !\n"));
    assert_non_null(strstr(out, "  3       2.67   2.67\n"));
    assert_non_null(strstr(out, "    社会效益指标  30      3         3\n"));
    assert_non_null(strstr(out, "  total         96.67 / 100\n  stated total  97\n  reported sum  96\n"
                                "  grade         优\n  stated grade  优\n"));
    assert_non_null(strstr(out, "    E_TOTAL_MISMATCH   error    总分: the scores add up to 96, the stated total is 97\n"));
    assert_non_null(strstr(out, "    W_NO_STATED_TOTAL  warning  a report-level warning\n"));
    assert_non_null(strstr(out, "    N_CLAMPED          note     say \"hi\": 3.5 clamped to 3  [rules/t.tally:3]\n"));
}

static void test_text_explain_error_color(void **state)
{
    Fixture *fx = *state;
    char *out = render(fx, OUT_TEXT, true, 0, 3);
    assert_non_null(strstr(out, "\n      method: score_exec (the indicator says: using)\n"
                                "      formula: score_exec(全年预算数, 全年执行数,\n"
                                "                          weight)\n"
                                "      value: 10824.18万元 / 11458.23万元 = 94.47%\n"
                                "      branch: rate < 95%: 10 × 94.47% = 9.45\n"
                                "  共性指标"));
    assert_non_null(strstr(out, "\n\nreport T2\n"));
    assert_non_null(strstr(out, "\n\nreport E3 — error: line 7, column \"weight\": 'x,y' is not a number\n\n"
                                "3 reports, 1 not scored, 2 with findings\n"));

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    Output o = {.f = f, .fmt = OUT_TEXT, .color = true};
    output_begin(&o);
    output_report(&o, &fx->res[2]);
    output_report(&o, &fx->res[1]);
    output_end(&o);
    fclose(f);
    assert_non_null(strstr(buf, "\033[1mreport E3\033[0m — \033[31merror: line 7"));
    assert_non_null(strstr(buf, "\033[31mE_SCORE_MISMATCH   error  \033[0m"));
    assert_non_null(strstr(buf, "\033[33mW_NO_STATED_TOTAL  warning\033[0m"));
    assert_non_null(strstr(buf, "    N_CLAMPED          note     say"));
    free(buf);
}

/* Long names and texts are cut to fit the table, in full everywhere else. */
static void test_text_long_cells(void **state)
{
    Fixture *fx = *state;
    static const char long_name[] = "严格执行中央八项规定，发扬艰苦奋斗精神，严控公用经费，合理安排预算收支，优化支出结构。";
    ReportResult *r = &fx->res[1];
    r->ind[0].name = long_name;
    r->ind[0].eval.target = val_text("按时足额发放各项补贴并开展全覆盖回访，群众满意");
    findings_add(&r->findings, F_DEDUCTED_MET, long_name, NULL, (Span){0, 0}, "4 of 5");
    char *out = render(fx, OUT_TEXT, false, 1, 2);
    check_aligned(out, "  level1", 8, 0);
    assert_non_null(strstr(out, "  产出指标  数量指标      严格执行中央八项规定，发扬艰苦奋斗精神…  按时足额发放各项补贴并…  15人"));
    assert_non_null(strstr(out, long_name));
    out = render(fx, OUT_CSV, false, 1, 2);
    assert_non_null(strstr(out, long_name));
    assert_non_null(strstr(out, "按时足额发放各项补贴并开展全覆盖回访，群众满意"));
    char marks[600] = "x";
    for (int i = 0; i < 199; i++)
        strcat(marks, "\xcc\x81"); /* combining acute: no width, but bytes */
    strcat(marks, "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz");
    r->ind[0].name = marks;
    out = render(fx, OUT_TEXT, false, 1, 2);
    check_aligned(out, "  level1", 8, 0);
    assert_non_null(strstr(out, "  数量指标      x\xcc\x81\xcc\x81"));
    assert_non_null(strstr(out, "\xcc\x81\xcc\x81…  "));
    assert_non_null(strstr(out, "  按时足额发放各项补贴并…  15人"));
}

/* CSV ---------------------------------------------------------------------- */

static void test_csv(void **state)
{
    Fixture *fx = *state;
    char *out = render(fx, OUT_CSV, false, 0, 3);
    static const char want[] =
        "report,level1,level2,indicator,target,value,weight,score,reported,method,branch,findings,"
        "messages,row,score_min,score_max,unverified\r\n"
        "T1,预算执行,,预算执行率,11458.23万元,10824.18万元,10,9.45,,score_exec,"
        "weight x execution rate (capped at 100%),,,,9.45,9.45,\r\n"
        "T1,共性指标,,staff ratio,100%,95%,5,4.5,,formula,,,,,4.5,4.5,\r\n"
        "T1,共性指标,,在职人员控制率,100%,,5,,,formula,,E_MISSING_VALUE,"
        "在职人员控制率: no score: 实有人数 is missing,,,,\r\n"
        "T1,总分,,总分,,良,20,13.95,,,,E_CHECK_FAILED,执行率达标: 94.47% >= 95% is false,,13.95,13.95,\r\n"
        "T2,产出指标,数量指标,三支一扶合格人员数,15人,15人,5,5,5,formula,,,,data/t.csv:2,5,5,\r\n"
        "T2,产出指标,质量指标,\"满意度,含\n回访\",≥90%,92%,5,5,4,formula,target met: full marks,"
        "E_SCORE_MISMATCH;E_DEDUCTED_MET,\"满意度,含\n回访: recomputed 5, self-awarded 4\n"
        "满意度,含\n回访: target met, 1 point deducted\n满意度,含\n回访: counted twice on purpose\","
        "data/t.csv:3,5,5,\r\n"
        "T2,效益指标,社会效益指标,\"say \"\"hi\"\"\",有所提升,有所提升,3,3,3,formula,,N_CLAMPED,"
        "\"say \"\"hi\"\": 3.5 clamped to 3\",data/t.csv:4,3,3,\r\n"
        "T2,成本指标,经济成本指标,人均成本,≤10824.18万元,10824.18万元,3,2.67,2.67,formula,,,,"
        "data/t.csv:5,2.67,2.67,\r\n"
        "T2,总分,,总分,优,优,100,96.67,97,,,E_TOTAL_MISMATCH;W_NO_STATED_TOTAL,"
        "\"总分: the scores add up to 96, the stated total is 97\na report-level warning\",,96.67,96.67,\r\n"
        "E3,,,,,,,,,,,\"ERROR: line 7, column \"\"weight\"\": 'x,y' is not a number\",,,,,\r\n";
    assert_string_equal(out, want);
    out = render(fx, OUT_CSV, false, 0, 0);
    assert_string_equal(out, "report,level1,level2,indicator,target,value,weight,score,reported,method,branch,"
                             "findings,messages,row,score_min,score_max,unverified\r\n");
}

/* --explain adds why, formula and the explanation, its lines in one field. */
static void test_csv_explain(void **state)
{
    Fixture *fx = *state;
    char *out = render(fx, OUT_CSV, true, 0, 1);
    assert_non_null(strstr(out, "findings,messages,row,score_min,score_max,unverified,why,formula,explain\r\n"));
    assert_non_null(strstr(out, ",score_exec,weight x execution rate (capped at 100%),,,,9.45,9.45,,the indicator says: "
                                "using,\"score_exec("));
    assert_non_null(strstr(out, "\"value: 10824.18万元 / 11458.23万元 = 94.47%\nbranch: rate < 95%: 10 × "
                                "94.47% = 9.45\"\r\n"));
    assert_non_null(strstr(out, "T1,总分,,总分,,良,20,13.95,,,,E_CHECK_FAILED,执行率达标: 94.47% >= 95% is "
                                "false,,13.95,13.95,,,,\r\n"));
    out = render(fx, OUT_CSV, true, 2, 3);
    assert_non_null(strstr(out, "is not a number\",,,,,,,,\r\n"));
}

/* CSV for Excel: a byte-order mark, and fields Excel would take for
 * formulas start with an apostrophe; numbers stay as they are. */
static void test_csv_excel(void **state)
{
    Fixture *fx = *state;
    ReportResult *r = &fx->res[1];
    r->ind[0].name = "=HYPERLINK(\"http://x\",\"y\")";
    r->ind[0].level2 = "-数量";
    r->ind[0].eval.target = val_text("@SUM(A1)");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    Output o = {.f = f, .fmt = OUT_CSV, .bom = true, .excel = true};
    assert_true(output_begin(&o));
    output_report(&o, r);
    assert_true(output_end(&o));
    fclose(f);
    assert_memory_equal(buf, "\xEF\xBB\xBFreport,", 10);
    assert_non_null(strstr(buf, ",'-数量,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'@SUM(A1),15人,5,5,5,"));
    assert_non_null(strstr(buf, "T2,成本指标,经济成本指标,人均成本,≤10824.18万元,"));
    free(buf);
}

/* JSON --------------------------------------------------------------------- */

static json_t *load(const char *text)
{
    json_error_t err;
    json_t *j = json_loads(text, 0, &err);
    if (!j)
        fail_msg("invalid JSON at line %d: %s\n%s", err.line, err.text, text);
    return j;
}

static void expect_keys(json_t *obj, const char *const *keys)
{
    assert_true(json_is_object(obj));
    for (; *keys; keys++)
        if (!json_object_get(obj, *keys))
            fail_msg("key %s missing", *keys);
}

static void test_json(void **state)
{
    Fixture *fx = *state;
    char *out = render(fx, OUT_JSON, true, 0, 3);
    json_t *all = load(out);
    assert_true(json_is_array(all));
    assert_int_equal(json_array_size(all), 3);

    static const char *const report_keys[] = {"report", "error", "total", "max", "stated_total",
                                              "reported_sum", "grade", "stated_grade", "indicators",
                                              "groups", "checks", "findings", NULL};
    static const char *const ind_keys[] = {"level1", "level2", "name", "target", "value", "weight", "score",
                                           "reported", "method", "why", "clamped", "explain", NULL};
    static const char *const group_keys[] = {"name", "depth", "weight", "subtotal", "reported", NULL};
    static const char *const check_keys[] = {"name", "passed", "lhs", "rhs", NULL};
    static const char *const finding_keys[] = {"kind", "severity", "subject", "message", "rule", NULL};
    for (size_t i = 0; i < 3; i++)
        expect_keys(json_array_get(all, i), report_keys);

    json_t *t1 = json_array_get(all, 0);
    assert_true(json_is_null(json_object_get(t1, "error")));
    assert_true(json_is_null(json_object_get(t1, "stated_total")));
    assert_true(json_is_null(json_object_get(t1, "stated_grade")));
    assert_string_equal(json_string_value(json_object_get(t1, "grade")), "良");
    json_t *rate = json_array_get(json_object_get(t1, "indicators"), 0);
    expect_keys(rate, ind_keys);
    assert_string_equal(json_string_value(json_object_get(rate, "target")), "11458.23万元");
    assert_string_equal(json_string_value(json_object_get(rate, "value")), "10824.18万元");
    assert_true(json_is_integer(json_object_get(rate, "weight")));
    assert_int_equal(json_array_size(json_object_get(rate, "explain")), 2);
    assert_true(json_is_null(json_object_get(rate, "reported")));
    assert_true(json_is_null(json_object_get(rate, "row")));
    json_t *missing = json_array_get(json_object_get(t1, "indicators"), 2);
    assert_true(json_is_null(json_object_get(missing, "value")));
    assert_true(json_is_null(json_object_get(missing, "score")));
    json_t *check = json_array_get(json_object_get(t1, "checks"), 0);
    expect_keys(check, check_keys);
    assert_true(json_is_false(json_object_get(check, "passed")));
    assert_string_equal(json_string_value(json_object_get(check, "lhs")), "94.47%");
    json_t *fi = json_array_get(json_object_get(t1, "findings"), 0);
    expect_keys(fi, finding_keys);
    assert_string_equal(json_string_value(json_object_get(fi, "kind")), "E_MISSING_VALUE");
    assert_string_equal(json_string_value(json_object_get(fi, "severity")), "error");
    assert_string_equal(json_string_value(json_object_get(fi, "rule")), "rules/t.tally:2");

    json_t *t2 = json_array_get(all, 1);
    json_t *row = json_array_get(json_object_get(t2, "indicators"), 1);
    assert_string_equal(json_string_value(json_object_get(row, "name")), weird_name);
    assert_string_equal(json_string_value(json_object_get(row, "target")), "≥90%");
    assert_string_equal(json_string_value(json_object_get(row, "row")), "data/t.csv:3");
    json_t *clamped = json_array_get(json_object_get(t2, "indicators"), 2);
    assert_string_equal(json_string_value(json_object_get(clamped, "name")), quoted_name);
    assert_true(json_is_true(json_object_get(clamped, "clamped")));
    json_t *g = json_array_get(json_object_get(t2, "groups"), 2);
    expect_keys(g, group_keys);
    assert_int_equal(json_integer_value(json_object_get(g, "depth")), 1);
    json_t *total_fi = json_array_get(json_object_get(t2, "findings"), 4);
    assert_true(json_is_null(json_object_get(total_fi, "rule")));
    assert_string_equal(json_string_value(json_object_get(total_fi, "subject")), "总分");

    json_t *e3 = json_array_get(all, 2);
    assert_string_equal(json_string_value(json_object_get(e3, "error")), fx->res[2].error);
    assert_true(json_is_null(json_object_get(e3, "total")));
    assert_int_equal(json_array_size(json_object_get(e3, "indicators")), 0);
    json_decref(all);

    /* numbers are written from the decimal, digit for digit */
    assert_non_null(strstr(out, "\"total\": 96.67,\n"));
    assert_non_null(strstr(out, "\"total\": 13.95,\n"));
    assert_non_null(strstr(out, "\"score\": 2.67, \"raw\": 2.67, \"reported\": 2.67"));
    assert_non_null(strstr(out, "\"score\": 9.45"));
    assert_non_null(strstr(out, "\"stated_total\": null,\n"));
    assert_non_null(strstr(out, "\"name\": \"满意度,含\\n回访\""));

    out = render(fx, OUT_JSON, false, 0, 0);
    assert_string_equal(out, "[]\n");
    out = render(fx, OUT_JSON, false, 1, 2);
    json_t *one = load(out);
    json_t *first = json_array_get(json_object_get(json_array_get(one, 0), "indicators"), 0);
    assert_non_null(first);
    assert_null(json_object_get(first, "explain"));
    json_decref(one);
}

/* Exact decimals of every scale; hostile text stays valid JSON. */
static void test_json_exact_and_escaped(void **state)
{
    Fixture *fx = *state;
    static const struct { int64_t coef; int scale; const char *want; } nums[] = {
        {108241800, 4, "10824.18"}, {267, 2, "2.67"}, {-5, 1, "-0.5"}, {1, 10, "0.0000000001"},
        {INT64_MAX, 0, "9223372036854775807"}, {1230000, 6, "1.23"}, {0, 3, "0"},
    };
    static const char hostile[] = "a\"b\\c\x01\td\xff\xc3 e\xe2\x80\xa8";
    ReportResult r;
    memset(&r, 0, sizeof r);
    r.id = hostile;
    r.max_total = r.stated_total = r.reported_sum = val_missing();
    r.grade = hostile;
    findings_init(&r.findings, &fx->arena);
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) {
        r.total = pts(nums[i].coef, nums[i].scale);
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        Output o = {0};
        o.f = f;
        o.fmt = OUT_JSON;
        output_begin(&o);
        output_report(&o, &r);
        output_end(&o);
        fclose(f);
        char want[64];
        snprintf(want, sizeof want, "\"total\": %s,\n", nums[i].want);
        if (!strstr(buf, want))
            fail_msg("want %s in\n%s", want, buf);
        json_t *j = load(buf);
        const char *id = json_string_value(json_object_get(json_array_get(j, 0), "report"));
        assert_non_null(id);
        assert_string_equal(id, "a\"b\\c\x01\td\xef\xbf\xbd\xef\xbf\xbd e\xe2\x80\xa8");
        json_decref(j);
        free(buf);
    }
    findings_free(&r.findings);
}

/* The page escapes what it shows: markup characters as entities, invalid
 * UTF-8 as U+FFFD, control characters as spaces (runtime/output/html.c). */
static void test_html_escaped(void **state)
{
    Fixture *fx = *state;
    static const char hostile[] = "<x a='1'>&\"\x01\xff\xc3 人";
    ReportResult r;
    memset(&r, 0, sizeof r);
    r.id = hostile;
    r.max_total = r.stated_total = r.reported_sum = val_missing();
    r.total = pts(9650, 2);
    r.grade = hostile;
    findings_init(&r.findings, &fx->arena);
    const char *page = render_results(fx, OUT_HTML, false, &r, 1);
    if (!strstr(page, "&lt;x a=&#39;1&#39;&gt;&amp;&quot; \xef\xbf\xbd\xef\xbf\xbd 人"))
        fail_msg("the id not escaped as expected in\n%s", page);
    assert_null(strstr(page, "<x a="));
    findings_free(&r.findings);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_text_fixed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_explain_error_color, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_long_cells, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_explain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_excel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_exact_and_escaped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_html_escaped, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
