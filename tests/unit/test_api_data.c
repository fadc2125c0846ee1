/* test_api_data.c - report data built cell by cell, and diagnostics as data,
 * through the public API (a database host's view). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tally.h"

static char *read_source_file(const char *rel)
{
    const char *dir = getenv("TALLY_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir ? dir : ".", rel);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *text = malloc((size_t)n + 1);
    assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
    text[n] = 0;
    fclose(f);
    return text;
}

static TallyRules *seed_rules(void)
{
    char *text = read_source_file("rules/self-eval.tally");
    char *err = NULL;
    TallyRules *rules = tally_rules_compile("rules/self-eval.tally", text, strlen(text), &err);
    assert_non_null(rules);
    free(err);
    free(text);
    return rules;
}

/* The same rows as a long CSV and cell by cell: the same JSON, byte for byte. */
static const char long_csv[] =
    "report,level1,level2,indicator,target,actual,weight,reported,reason\n"
    "甲局,预算执行,,预算执行率,100万元,90万元,10,9,\n"
    "甲局,\"产出指标\n(50分)\",数量指标,培训人数,100人,120人,50,50,无\n"
    "甲局,效益指标（30分）,社会效益指标,就业率,95%,90%,30,28,经济下行\n"
    "甲局,满意度指标,,满意度,90%,91%,10,9,\n"
    "甲局,,,,,,,,\n"
    "甲局,总分,,,,,100,97,\n"
    "甲局,自评结论,,,,优,,,\n";

static const TallyRow rows[] = {
    {2, "预算执行", NULL, "预算执行率", "100万元", "90万元", "10", "9", ""},
    {3, "产出指标\n(50分)", "数量指标", "培训人数", "100人", "120人", "50", "50", "无"},
    {5, "效益指标（30分）", "社会效益指标", "就业率", "95%", "90%", "30", "28", "经济下行"},
    {6, "满意度指标", "", "满意度", "90%", "91%", "10", "9", ""},
    {7, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    {8, "总分", NULL, NULL, NULL, NULL, "100", "97", NULL},
    {9, "自评结论", NULL, NULL, NULL, "优", NULL, NULL, NULL},
};

static void test_rows_read_as_long_csv(void **state)
{
    (void)state;
    TallyRules *rules = seed_rules();
    char *err = NULL;
    TallyData *csv = tally_data_parse("t.csv", long_csv, strlen(long_csv), &err);
    assert_non_null(csv);
    char *csv_err = err;

    TallyData *built = tally_data_new();
    size_t idx = tally_data_add_table(built, "t.csv", "甲局", rows, sizeof rows / sizeof rows[0],
                                      &err);
    assert_int_equal(idx, 0);
    assert_int_equal(tally_data_count(built), 1);
    assert_string_equal(tally_data_report_id(built, 0), "甲局");
    assert_null(err);
    assert_null(csv_err);

    TallyResult *a = tally_score(rules, csv, 0, true), *b = tally_score(rules, built, 0, true);
    char *ja = tally_result_json(a), *jb = tally_result_json(b);
    assert_string_equal(ja, jb);
    assert_non_null(strstr(jb, "\"explain\": ["));   /* scored with explain: JSON says why */
    assert_non_null(strstr(jb, "\"row\": \"t.csv:5\""));
    free(ja);
    free(jb);
    tally_result_free(a);
    tally_result_free(b);
    tally_data_free(csv);
    tally_data_free(built);
    tally_rules_free(rules);
}

/* A bad cell is named where it is (the row's line and column name), and the
 * report is still scored (E_BAD_CELL, issue 12). */
static void test_bad_cell(void **state)
{
    (void)state;
    TallyRow bad = rows[3];
    bad.reported = "abc";
    TallyData *d = tally_data_new();
    char *err = NULL;
    tally_data_add_table(d, "db", "乙局", &bad, 1, &err);
    free(err);
    TallyRules *rules = seed_rules();
    TallyResult *r = tally_score(rules, d, 0, false);
    assert_null(tally_result_error(r));
    bool named = false;
    for (size_t i = 0; i < tally_result_finding_count(r); i++)
        named |= strcmp(tally_result_finding_code(r, i), "E_BAD_CELL") == 0 &&
                 strstr(tally_result_finding_message(r, i),
                        "db:6, column \"reported\" holds 'abc': reported score is not a number") != NULL;
    assert_true(named);
    tally_result_free(r);
    tally_rules_free(rules);
    tally_data_free(d);
}

static void test_empty_report_id_is_listed(void **state)
{
    (void)state;
    TallyData *d = tally_data_new();
    char *err = NULL;
    size_t idx = tally_data_add_table(d, "db", "  ", rows, 1, &err);
    assert_string_equal(tally_data_report_id(d, idx), "line 2");
    assert_non_null(strstr(err, "db:2:"));
    assert_non_null(strstr(err, "empty report id"));
    free(err);
    tally_data_free(d);
}

static const char dept_rules[] =
    "scheme \"demo\" total 10\n"
    "input 编制数, 实有人数 : 人\n"
    "indicator 在职人员控制率 weight 10 {\n"
    "  value 实有人数 / 编制数\n"
    "  target 100%\n"
    "  score deduct(weight, 0.5, over(value, target, 1%))\n"
    "}\n";

/* Figures as a wide CSV row would give them; a second call with the same id
 * is a duplicate, and a table joins the figures of its report. */
static void test_figures(void **state)
{
    (void)state;
    char *err = NULL;
    TallyRules *rules = tally_rules_compile("demo.tally", dept_rules, strlen(dept_rules), &err);
    assert_non_null(rules);
    const char *wide = "report,编制数,实有人数\nA,100,104\n";
    TallyData *csv = tally_data_parse("d.csv", wide, strlen(wide), &err);
    free(err);

    TallyData *d = tally_data_new();
    const char *names[] = {"编制数", " 实有人数 "}, *cells[] = {"100", "104"};
    size_t a = tally_data_add_figures(d, "d.csv", 2, "A", names, cells, 2, &err);
    assert_null(err);
    TallyResult *ra = tally_score(rules, d, a, false), *rc = tally_score(rules, csv, 0, false);
    assert_string_equal(tally_result_total(ra), "8");
    char *ja = tally_result_json(ra), *jc = tally_result_json(rc);
    assert_string_equal(ja, jc);
    free(ja);
    free(jc);
    tally_result_free(ra);
    tally_result_free(rc);

    size_t joined = tally_data_add_table(d, "rows", "A", rows, 1, &err);
    assert_int_equal(joined, a);
    assert_non_null(strstr(err, "warning: report A has no 总分 row"));
    free(err);

    const char *dup_names[] = {"编制数", "编制数"}, *dup_cells[] = {"1", NULL};
    size_t b = tally_data_add_figures(d, "d.csv", 3, "A", dup_names, dup_cells, 2, &err);
    assert_int_not_equal(b, a);
    assert_non_null(strstr(err, "duplicate report id 'A'"));
    assert_non_null(strstr(err, "duplicate figure name '编制数' (figures 1 and 2)"));
    free(err);
    TallyResult *rb = tally_score(rules, d, b, false);
    assert_non_null(tally_result_error(rb));
    tally_result_free(rb);
    tally_data_free(d);
    tally_data_free(csv);
    tally_rules_free(rules);
}

static void test_diagnostics_as_data(void **state)
{
    (void)state;
    const char bad[] = "scheme \"x\" total 5\n\nindicator 甲 weight 5 { score 未知 }\n";
    TallyDiagnostics *d = NULL;
    assert_null(tally_rules_compile_with_diagnostics("bad.tally", bad, strlen(bad), &d));
    assert_non_null(d);
    assert_true(tally_diagnostics_count(d) >= 1);
    assert_int_equal(tally_diagnostics_errors(d), 1);
    assert_string_equal(tally_diagnostic_severity(d, 0), "error");
    assert_string_equal(tally_diagnostic_message(d, 0), "unknown name '未知'");
    assert_int_equal(tally_diagnostic_line(d, 0), 3);
    assert_int_equal(tally_diagnostic_column(d, 0), 30);
    assert_non_null(strstr(tally_diagnostics_text(d), "bad.tally:3:30: error: unknown name"));
    assert_null(tally_diagnostic_message(d, 99));
    tally_diagnostics_free(d);

    TallyRules *ok = tally_rules_compile_with_diagnostics("ok", dept_rules, strlen(dept_rules), &d);
    assert_non_null(ok);
    assert_int_equal(tally_diagnostics_errors(d), 0);
    assert_string_equal(tally_diagnostics_text(d), "");
    tally_diagnostics_free(d);
    tally_rules_free(ok);
    tally_diagnostics_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_read_as_long_csv),
        cmocka_unit_test(test_bad_cell),
        cmocka_unit_test(test_empty_report_id_is_listed),
        cmocka_unit_test(test_figures),
        cmocka_unit_test(test_diagnostics_as_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
