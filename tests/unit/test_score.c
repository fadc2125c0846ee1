/* test_score.c - the scorer on tiny reports (runtime/score/): fixed
 * indicators, a report's own table and what the audit says about it,
 * totals, grades and checks; binding figures to inputs (bind.c) and row
 * dispatch (rows.c).  Each case is a rule file and a data file small enough
 * to read at a glance. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/base/arena.h"
#include "lang/base/diag.h"
#include "lang/finding.h"
#include "lang/program.h"
#include "runtime/data/report.h"
#include "runtime/score/bind.h"
#include "runtime/score/rows.h"
#include "runtime/score/score.h"

/* A rule file and a data file, compiled and loaded, and the first report scored. */
typedef struct Scored {
    Program *prog;
    ReportSet set;
    Arena arena;
    Scorer sc;
    ReportResult res;
    DiagList diags;          /* loading and scoring */
} Scored;

static void score_text(Scored *s, const char *rules, const char *data)
{
    diag_init(&s->diags);
    s->prog = program_compile("<rules>", rules, strlen(rules), &s->diags);
    if (!s->prog)
        diag_render_all(&s->diags, stderr, false);
    assert_non_null(s->prog);
    reportset_init(&s->set);
    assert_true(reportset_load_buffer(&s->set, "<data>", data, strlen(data), NULL, &s->diags));
    assert_true(s->set.len >= 1);
    arena_init(&s->arena);
    ScoreOptions so = {.explain = false};
    scorer_init(&s->sc, s->prog, &so, &s->arena);
    score_report(&s->sc, &s->set.reports[0], &s->res, &s->diags);
}

static void scored_free(Scored *s)
{
    result_free(&s->res);
    scorer_free(&s->sc);
    arena_free(&s->arena);
    reportset_free(&s->set);
    program_free(s->prog);
    diag_free(&s->diags);
}

/* A value as text ("—" when missing). */
static const char *text_of(const TlValue *v)
{
    static char buf[VAL_BUF];
    val_format(v, buf);
    return buf;
}

static const Finding *finding(const ReportResult *r, FindingKind kind, const char *subject)
{
    for (size_t i = 0; i < r->findings.len; i++)
        if (r->findings.items[i].kind == kind && strcmp(r->findings.items[i].subject, subject) == 0)
            return &r->findings.items[i];
    return NULL;
}

static const ScoredIndicator *indicator(const ReportResult *r, const char *name)
{
    for (int i = 0; i < r->nind; i++)
        if (strcmp(r->ind[i].name, name) == 0)
            return &r->ind[i];
    return NULL;
}

/* Fixed indicators --------------------------------------------------------------- */

static const char fixed_rules[] =
    "scheme s total 10\n"
    "grades 优 >= 9, 良 >= 6, else 差\n"
    "input 预算数, 执行数 : 万元\n"
    "group 过程 weight 10 {\n"
    "  indicator 执行率 weight 6 { value 执行数 / 预算数  target 100%\n"
    "    score if value >= target then weight else weight * value / target }\n"
    "  indicator 结余 weight 4 { score if 执行数 <= 预算数 then weight else 0 }\n"
    "}\n"
    "check 执行不超预算: 执行数 <= 预算数\n";

/* Scores, the group's subtotal, the total and the grade of one report. */
static void test_fixed_indicators(void **state)
{
    (void)state;
    Scored s;
    score_text(&s, fixed_rules, "report,预算数,执行数\n甲,200,150\n");
    assert_null(s.res.error);
    assert_int_equal(s.res.nind, 2);
    assert_string_equal(text_of(&indicator(&s.res, "执行率")->eval.score), "4.5");
    assert_string_equal(text_of(&indicator(&s.res, "执行率")->eval.value), "0.75"); /* 万元 / 万元 */
    assert_string_equal(text_of(&indicator(&s.res, "结余")->eval.score), "4");
    assert_string_equal(s.res.groups[0].name, "过程");
    assert_string_equal(text_of(&s.res.groups[0].subtotal), "8.5");
    assert_string_equal(text_of(&s.res.total), "8.5");
    assert_string_equal(s.res.grade, "良");
    assert_int_equal(s.res.nchecks, 1);
    assert_int_equal(s.res.checks[0].result, 1);
    assert_int_equal(s.res.findings.len, 0);
    assert_int_equal(result_worst(&s.res), -1);
    scored_free(&s);
}

/* A check that fails says both sides; the indicator it shares data with
 * still scores. */
static void test_failed_check(void **state)
{
    (void)state;
    Scored s;
    score_text(&s, fixed_rules, "report,预算数,执行数\n乙,100,120\n");
    assert_string_equal(text_of(&indicator(&s.res, "执行率")->eval.score), "6");
    assert_string_equal(text_of(&indicator(&s.res, "结余")->eval.score), "0");
    assert_int_equal(s.res.checks[0].result, 0);
    const Finding *f = finding(&s.res, F_CHECK_FAILED, "执行不超预算");
    assert_non_null(f);
    assert_non_null(strstr(f->message, "执行数 is 120万元, 预算数 is 100万元"));
    assert_int_equal(result_worst(&s.res), DIAG_ERROR);
    scored_free(&s);
}

/* An empty cell is missing: no score, the indicator unverified (the total a
 * range), and the finding names the input; the check cannot be evaluated. */
static void test_missing_input(void **state)
{
    (void)state;
    Scored s;
    score_text(&s, fixed_rules, "report,预算数,执行数\n丙,,150\n");
    assert_string_equal(text_of(&indicator(&s.res, "执行率")->eval.score), "—");
    const Finding *f = finding(&s.res, F_MISSING_VALUE, "执行率");
    assert_non_null(f);
    assert_string_equal(f->message, "no score: missing 预算数");
    assert_string_equal(text_of(&s.res.total), "0");
    assert_true(indicator(&s.res, "执行率")->unverified);
    assert_int_equal(s.res.nunverified, 2); /* 结余 needs 预算数 too */
    assert_non_null(finding(&s.res, F_UNVERIFIED, "总分"));
    assert_int_equal(s.res.checks[0].result, -1);
    assert_non_null(finding(&s.res, F_MISSING_VALUE, "执行不超预算"));
    scored_free(&s);
}

/* Binding: a bare number in a column declared in 万元 is in 万元; a figure
 * that is not a number stops the report with a data diagnostic. */
static void test_binding(void **state)
{
    (void)state;
    Scored s;
    score_text(&s, fixed_rules, "report,预算数,执行数\n丁,200,不详\n");
    assert_null(s.res.error); /* a bad cell: named, and the report is still scored */
    const Finding *bad = finding(&s.res, F_BAD_CELL, "执行数");
    assert_non_null(bad);
    assert_non_null(strstr(bad->message, "column \"执行数\" holds '不详': the figure is not a number"));
    assert_int_equal(s.diags.warnings, 1);
    assert_true(indicator(&s.res, "执行率")->unverified);
    scored_free(&s);

    const Sym *in = NULL;
    Program *p = NULL;
    DiagList diags;
    diag_init(&diags);
    p = program_compile("<rules>", fixed_rules, strlen(fixed_rules), &diags);
    in = program_lookup(p, "预算数");
    Figure fig = {"预算数", "12.5", val_missing(), {"<data>", 2, "预算数", NULL}, 2, 0, 0};
    Arena a;
    arena_init(&a);
    const char *err = NULL;
    assert_true(cell_parse(&a, "12.5", 4, &fig.value, &err));
    TlValue v;
    assert_int_equal(bind_convert(p, in, &fig, &v), BIND_OK);
    assert_string_equal(text_of(&v), "12.5万元");
    fig.raw = "3人";
    assert_true(cell_parse(&a, "3人", strlen("3人"), &fig.value, &err));
    assert_int_equal(bind_convert(p, in, &fig, &v), BIND_NOT_IN_UNIT);
    /* a bare number in 万元: value_magnify's value, by one multiplication
     * or (when that overflows) its own way, or too large */
    static const char *const bare[] = {"0", "12.5", "-7.25", "123456789012.3456",
                                       "100000000000000.00", "1000000000000000.00",
                                       "922337203685477.5807"};
    assert_int_equal(in->mag, 4);
    assert_false(bind_is_percent(in));
    for (size_t k = 0; k < sizeof bare / sizeof *bare; k++) {
        fig.raw = bare[k];
        assert_true(cell_parse(&a, bare[k], strlen(bare[k]), &fig.value, &err));
        TlDec want;
        bool fits = value_magnify(fig.value.u.num, 4, &want);
        BindResult br = bind_convert(p, in, &fig, &v);
        assert_int_equal(br, fits ? BIND_OK : BIND_TOO_LARGE);
        if (fits) {
            assert_true(v.u.num.coef == want.coef);
            assert_int_equal(v.u.num.scale, want.scale);
            assert_int_equal(v.mag, 4);
        }
    }
    fig.raw = "100000000000000.00"; /* 10^14 万元: 10^18, only once its zeros are dropped */
    assert_true(cell_parse(&a, fig.raw, strlen(fig.raw), &fig.value, &err));
    assert_int_equal(bind_convert(p, in, &fig, &v), BIND_OK);
    assert_true(v.u.num.coef == 1000000000000000000LL && v.u.num.scale == 0);
    arena_free(&a);
    program_free(p);
    diag_free(&diags);
}

/* Which figure each input reads (layout_figures): looked up by name once per
 * layout of the figures; reports of one wide CSV share a layout number
 * (Report.figure_layout), so the next report of the same file is not looked
 * at again, and a file whose header orders the columns differently is
 * looked up anew (issue 16). */
static void test_layout(void **state)
{
    (void)state;
    DiagList diags;
    diag_init(&diags);
    Program *p = program_compile("<rules>", fixed_rules, strlen(fixed_rules), &diags);
    assert_non_null(p);
    int budget = -1, spent = -1;
    for (int i = 0; i < p->ninputs; i++) {
        if (strcmp(p->inputs[i]->name, "预算数") == 0)
            budget = i;
        if (strcmp(p->inputs[i]->name, "执行数") == 0)
            spent = i;
    }
    assert_true(budget >= 0 && spent >= 0);
    ReportSet a, b;
    reportset_init(&a);
    reportset_init(&b);
    const char *da = "report,预算数,执行数\n甲,100,90\n乙,200,150\n";
    const char *db = "report,执行数,预算数\n丙,90,100\n";
    assert_true(reportset_load_buffer(&a, "<a>", da, strlen(da), NULL, &diags));
    assert_true(reportset_load_buffer(&b, "<b>", db, strlen(db), NULL, &diags));
    assert_int_equal(a.len, 2);
    assert_int_equal(b.len, 1);
    /* one number for a file's reports, another for the next file */
    assert_true(a.reports[0].figure_layout != 0);
    assert_true(a.reports[0].figure_layout == a.reports[1].figure_layout);
    assert_true(b.reports[0].figure_layout != 0);
    assert_true(b.reports[0].figure_layout != a.reports[0].figure_layout);

    InputLayout l;
    layout_init(&l, p);
    const size_t *fig = layout_figures(&l, p, &a.reports[0]);
    assert_int_equal(fig[budget], 0);
    assert_int_equal(fig[spent], 1);
    /* the other file's order, the same number of figures: looked up again */
    fig = layout_figures(&l, p, &b.reports[0]);
    assert_int_equal(fig[budget], 1);
    assert_int_equal(fig[spent], 0);
    fig = layout_figures(&l, p, &a.reports[1]);
    assert_int_equal(fig[budget], 0);
    assert_int_equal(fig[spent], 1);
    /* no layout number (JSON, forms): by name */
    Report r = b.reports[0];
    r.figure_layout = 0;
    fig = layout_figures(&l, p, &r);
    assert_int_equal(fig[budget], 1);
    assert_int_equal(fig[spent], 0);
    /* the same number as the last report's: taken without comparing a name
     * (a report that broke the promise - its names are b's order - shows it) */
    fig = layout_figures(&l, p, &a.reports[0]);
    r.figure_layout = a.reports[0].figure_layout;
    fig = layout_figures(&l, p, &r);
    assert_int_equal(fig[budget], 0);
    assert_int_equal(fig[spent], 1);
    layout_free(&l);
    reportset_free(&a);
    reportset_free(&b);
    program_free(p);
    diag_free(&diags);
}

/* The columns of a data file against the rules' inputs: a missing input is
 * an error with a "did you mean", an unknown column a warning. */
static void test_check_columns(void **state)
{
    (void)state;
    DiagList diags;
    diag_init(&diags);
    Program *p = program_compile("<rules>", fixed_rules, strlen(fixed_rules), &diags);
    ReportSet set;
    reportset_init(&set);
    const char *data = "report,预算,执行数,备注\n甲,1,1,x\n";
    assert_true(reportset_load_buffer(&set, "<data>", data, strlen(data), NULL, &diags));
    bind_check_columns(p, &set, &diags);
    assert_int_equal(diags.errors, 1);
    assert_int_equal(diags.warnings, 2);
    assert_non_null(strstr(diags.items[0].message, "no column \"预算数\""));
    assert_non_null(strstr(diags.items[0].hint, "did you mean the column \"预算\"?"));
    reportset_free(&set);
    program_free(p);
    diag_free(&diags);
}

/* A report's own table --------------------------------------------------------------- */

static const char table_rules[] =
    "scheme t total 20\n"
    "grades 优 >= 18, 良 >= 12, else 差\n"
    "method 正向 = score_ge(target, actual, weight)\n"
    "method 反向 = score_le(target, actual, weight)\n"
    "group 产出指标 weight 12 alias 产出 { category 数量指标, 成本指标 }\n"
    "group 满意度指标 weight 8 { category * }\n"
    "rows {\n"
    "  when level2 成本指标 using 反向\n"
    "  else using 正向\n"
    "}\n";

static const char table_header[] = "report,level1,level2,indicator,target,actual,weight,reported,reason\n";

/* Rows dispatched by their labels (an alias, a trailing 指标 dropped), each
 * scored by the rule that covers it; the groups' subtotals and the total. */
static void test_table_rows(void **state)
{
    (void)state;
    char data[1024];
    snprintf(data, sizeof data, "%s"
             "R,产出,数量指标,培训人数,100人,120人,6,6,\n"
             "R,产出,成本指标,人均成本,50元,75元,6,3,\n"
             "R,满意度,,群众满意度,90%%,88%%,8,8,\n"
             "R,总分,,,,,20,17,\n"
             "R,自评结论,,,,优,,,\n", table_header);
    Scored s;
    score_text(&s, table_rules, data);
    assert_null(s.res.error);
    assert_int_equal(s.res.nind, 3);
    const ScoredIndicator *cost = indicator(&s.res, "人均成本");
    assert_string_equal(cost->level1, "产出指标");
    assert_string_equal(cost->method, "反向");
    assert_string_equal(text_of(&cost->eval.score), "3");
    assert_string_equal(text_of(&indicator(&s.res, "培训人数")->eval.score), "6");
    assert_string_equal(text_of(&indicator(&s.res, "群众满意度")->eval.score), "7.82");
    assert_string_equal(text_of(&s.res.total), "16.82");
    assert_string_equal(text_of(&s.res.stated_total), "17");
    assert_string_equal(text_of(&s.res.reported_sum), "17");
    /* 88% against 90%, 8 awarded where the rules give 7.82: a mismatch with no reason */
    const Finding *f = finding(&s.res, F_FULL_MISSED, "群众满意度");
    assert_non_null(f);
    assert_non_null(strstr(f->message, "full marks 8 awarded, but the rules give 7.82"));
    assert_non_null(finding(&s.res, F_GRADE_MISMATCH, "自评结论"));
    assert_null(finding(&s.res, F_TOTAL_MISMATCH, "总分"));
    scored_free(&s);
}

/* The audit of self-awarded scores: a met target with points taken and no
 * reason, a stated total the rows do not add up to, a row no group covers,
 * a group whose rows weigh less than its framework weight. */
static void test_table_audit(void **state)
{
    (void)state;
    char data[1024];
    snprintf(data, sizeof data, "%s"
             "R,产出指标,数量指标,培训人数,100人,100人,12,10,无\n"
             "R,效益指标,,就业率,90%%,95%%,5,5,\n"
             "R,满意度指标,,群众满意度,90%%,90%%,6,6,\n"
             "R,总分,,,,,20,25,\n", table_header);
    Scored s;
    score_text(&s, table_rules, data);
    const Finding *f = finding(&s.res, F_DEDUCTED_MET, "培训人数");
    assert_non_null(f);
    assert_non_null(strstr(f->message, "the rules give 12 of 12, but 10 was awarded"));
    assert_non_null(finding(&s.res, F_UNMATCHED_ROW, "就业率"));
    f = finding(&s.res, F_TOTAL_MISMATCH, "总分");
    assert_non_null(f);
    assert_string_equal(f->message, "the self-awarded scores add up to 21, but the stated total is 25");
    f = finding(&s.res, F_WEIGHT_MISMATCH, "满意度指标");
    assert_non_null(f);
    assert_string_equal(f->message, "the rows of '满意度指标' weigh 6 in all, the framework gives 8");
    assert_non_null(finding(&s.res, F_TOTAL_OUT_OF_RANGE, "总分"));
    scored_free(&s);
}

/* A table without a 总分 row: no stated total (a warning), and no total
 * mismatch can be said. */
static void test_table_without_total(void **state)
{
    (void)state;
    char data[512];
    snprintf(data, sizeof data, "%sR,产出指标,数量指标,培训人数,100人,100人,12,12,\n", table_header);
    Scored s;
    score_text(&s, table_rules, data);
    assert_non_null(finding(&s.res, F_NO_STATED_TOTAL, "总分"));
    assert_null(finding(&s.res, F_TOTAL_MISMATCH, "总分"));
    assert_int_equal(s.diags.warnings, 1); /* the loader's: no 总分 row */
    scored_free(&s);
}

/* Row dispatch on its own: labels, groups, categories, rules. */
static void test_row_dispatch(void **state)
{
    (void)state;
    assert_true(rows_label_match("满意度指标", "满意度"));
    assert_true(rows_label_match("满意度", "满意度指标"));
    assert_false(rows_label_match("满意度", "满意"));
    DiagList diags;
    diag_init(&diags);
    Program *p = program_compile("<rules>", table_rules, strlen(table_rules), &diags);
    assert_non_null(p);
    TableRow row = {0};
    row.level1 = "产出";
    row.level2 = "成本指标";
    row.name = "人均成本";
    assert_int_equal(rows_group_of(p, &row), 0);
    assert_int_equal(rows_rule_index(p, &row), 0);
    row.level2 = "数量指标";
    assert_int_equal(rows_rule_index(p, &row), 1);
    row.level2 = "时效指标"; /* not a category of 产出指标 */
    assert_false(rows_category_ok(p, &p->groups[0], row.level2));
    assert_int_equal(rows_rule_index(p, &row), -1);
    row.level1 = "效益指标"; /* not a group */
    assert_int_equal(rows_group_of(p, &row), -1);
    program_free(p);
    diag_free(&diags);
}

/* A report the loader could not read is not scored: its error is the result. */
static void test_unreadable_report(void **state)
{
    (void)state;
    Scored s;
    score_text(&s, fixed_rules, "report,预算数,执行数\n甲,1,2\n甲,3,4\n");
    assert_null(s.res.error);
    ReportResult second;
    score_report(&s.sc, &s.set.reports[1], &second, &s.diags);
    assert_non_null(second.error);
    assert_non_null(strstr(second.error, "duplicate report id"));
    assert_int_equal(second.nind, 0);
    result_free(&second);
    scored_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed_indicators),
        cmocka_unit_test(test_failed_check),
        cmocka_unit_test(test_missing_input),
        cmocka_unit_test(test_binding),
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_check_columns),
        cmocka_unit_test(test_table_rows),
        cmocka_unit_test(test_table_audit),
        cmocka_unit_test(test_table_without_total),
        cmocka_unit_test(test_row_dispatch),
        cmocka_unit_test(test_unreadable_report),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
