/* test_api.c - the public API as an embedding host uses it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tally.h"

static const char rules_v1[] =
    "scheme \"demo\" total 10\n"
    "input 编制数, 实有人数 : 人\n"
    "indicator 在职人员控制率 weight 10 {\n"
    "  value 实有人数 / 编制数\n"
    "  target 100%\n"
    "  score deduct(weight, 0.5, over(value, target, 1%))\n"
    "}\n"
    "grades 优 >= 9, 良 >= 8, else 差\n";

static const char data[] = "report,编制数,实有人数\nA,100,100\nB,100,104\nC,100,abc\n";

static void test_score_and_findings(void **state)
{
    (void)state;
    char *err = NULL;
    TallyRules *rules = tally_rules_compile("demo.tally", rules_v1, strlen(rules_v1), &err);
    assert_non_null(rules);
    assert_null(err);
    TallyData *d = tally_data_parse("demo.csv", data, strlen(data), &err);
    assert_non_null(d);
    free(err);
    assert_int_equal(tally_data_count(d), 3);

    TallyResult *a = tally_score(rules, d, 0, false);
    assert_string_equal(tally_result_report(a), "A");
    assert_string_equal(tally_result_total(a), "10");
    assert_string_equal(tally_result_grade(a), "优");
    assert_int_equal(tally_result_finding_count(a), 0);
    tally_result_free(a);

    TallyResult *b = tally_score(rules, d, 1, false);
    assert_string_equal(tally_result_total(b), "8");   /* 4 points over: 10 - 4 x 0.5 */
    assert_string_equal(tally_result_grade(b), "良");
    char *json = tally_result_json(b);
    assert_non_null(strstr(json, "\"total\": 8"));
    free(json);
    tally_result_free(b);

    TallyResult *c = tally_score(rules, d, 2, false);
    assert_non_null(tally_result_error(c));      /* "abc" is not a number: listed, not scored */
    assert_null(tally_result_total(c));
    tally_result_free(c);

    tally_data_free(d);
    tally_rules_free(rules);
}

static void test_errors_are_rendered(void **state)
{
    (void)state;
    char *err = NULL;
    const char bad[] = "indicator 甲 weight 5 { score 未知 }\n";
    assert_null(tally_rules_compile("bad.tally", bad, strlen(bad), &err));
    assert_non_null(err);
    assert_non_null(strstr(err, "bad.tally:1:"));
    assert_non_null(strstr(err, "unknown name '未知'"));
    free(err);
}

/* A host reloads a changed policy many times: each version scores by its own rules. */
static void test_reload_policy(void **state)
{
    (void)state;
    TallyData *d = tally_data_parse("demo.csv", data, strlen(data), NULL);
    for (int i = 0; i < 200; i++) {
        char text[1024];
        snprintf(text, sizeof text,
                 "input 编制数, 实有人数 : 人\n"
                 "indicator 控制率 weight 10 { value 实有人数 / 编制数 target 100%%\n"
                 "  score deduct(weight, %d.5, over(value, target, 1%%)) }\n", i % 3);
        TallyRules *rules = tally_rules_compile("v.tally", text, strlen(text), NULL);
        assert_non_null(rules);
        TallyResult *b = tally_score(rules, d, 1, false);
        const char *want[] = {"8", "4", "0"};   /* 10 - 4 x 0.5, 10 - 4 x 1.5, floor 0 */
        assert_string_equal(tally_result_total(b), want[i % 3]);
        tally_result_free(b);
        tally_rules_free(rules);
    }
    tally_data_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_score_and_findings),
        cmocka_unit_test(test_errors_are_rendered),
        cmocka_unit_test(test_reload_policy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
