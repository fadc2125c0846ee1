/* test_api.c - the public API as an embedding host uses it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
    assert_null(tally_result_error(c));          /* "abc" is not a number: a bad cell, still scored */
    assert_non_null(tally_result_total(c));
    bool bad = false;
    for (size_t i = 0; i < tally_result_finding_count(c); i++)
        bad |= strcmp(tally_result_finding_code(c, i), "E_BAD_CELL") == 0;
    assert_true(bad);
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

/* Rule text from memory may not import (it would read the host's files); a
 * rule file loaded from disk may. */
static void test_imports_from_disk_only(void **state)
{
    (void)state;
    char *err = NULL;
    const char text[] = "import \"/etc/passwd\"\n";
    assert_null(tally_rules_compile("db.tally", text, strlen(text), &err));
    assert_non_null(err);
    assert_non_null(strstr(err, "import reads another file, which rules given as text may not do"));
    assert_null(strstr(err, "root:"));
    free(err);
    const char *root = getenv("TALLY_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/rules/self-eval-hubei.tally", root ? root : ".");
    err = NULL;
    TallyRules *r = tally_rules_load(path, &err);
    assert_non_null(r);
    assert_null(err);
    tally_rules_free(r);
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

/* The JIT through the API ------------------------------------------------------ */

/* The compile cache of these tests: $TALLY_API_JIT_CACHE (ctest keeps one in
 * the build tree, so the valgrind run finds everything compiled), else a
 * temporary directory removed at the end.  Either way each rule file is
 * compiled once per run. */
static char cache_dir[PATH_MAX];
static bool cache_is_temp;

static bool make_temp_dir(char *out, size_t n)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(out, n, "%s/tally-api-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    return mkdtemp(out) != NULL;
}

/* A cache directory holds files only. */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char path[PATH_MAX + 256];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

static int jit_setup(void **state)
{
    (void)state;
    const char *env = getenv("TALLY_API_JIT_CACHE");
    if (env && *env) {
        snprintf(cache_dir, sizeof cache_dir, "%s", env);
        return 0;
    }
    cache_is_temp = true;
    return make_temp_dir(cache_dir, sizeof cache_dir) ? 0 : -1;
}

static int jit_teardown(void **state)
{
    (void)state;
    if (cache_is_temp)
        remove_dir(cache_dir);
    return 0;
}

static const char *source_path(const char *rel, char *buf, size_t n)
{
    const char *dir = getenv("TALLY_SOURCE_DIR");
    snprintf(buf, n, "%s/%s", dir && *dir ? dir : ".", rel);
    return buf;
}

static void same_string(const char *a, const char *b, const char *what, const char *report)
{
    if (a == NULL && b == NULL)
        return;
    if (a == NULL || b == NULL || strcmp(a, b) != 0)
        fail_msg("report %s: %s differs: interpreter '%s', JIT '%s'", report, what,
                 a ? a : "(null)", b ? b : "(null)");
}

/* Every report of d scored with the rules twice, once with compiled code
 * (jit, which gets it here): the same total, grade, findings and JSON.
 * Frees all three. */
static void compare_engines(TallyRules *interp, TallyRules *jit, TallyData *d, const char *name,
                            size_t min_reports)
{
    char *err = NULL;
    if (!tally_rules_use_jit(jit, cache_dir, &err))
        fail_msg("%s: no compiled code: %s", name, err ? err : "(no reason)");
    assert_null(err);
    assert_true(tally_rules_use_jit(jit, cache_dir, &err)); /* already compiled */
    assert_null(err);
    size_t n = tally_data_count(d);
    assert_true(n >= min_reports);
    size_t findings = 0;
    for (size_t i = 0; i < n; i++) {
        TallyResult *a = tally_score(interp, d, i, false), *b = tally_score(jit, d, i, false);
        const char *id = tally_result_report(a);
        same_string(tally_result_error(a), tally_result_error(b), "error", id);
        same_string(tally_result_total(a), tally_result_total(b), "total", id);
        same_string(tally_result_stated_total(a), tally_result_stated_total(b), "stated total", id);
        same_string(tally_result_grade(a), tally_result_grade(b), "grade", id);
        assert_int_equal(tally_result_finding_count(a), tally_result_finding_count(b));
        for (size_t k = 0; k < tally_result_finding_count(a); k++) {
            same_string(tally_result_finding_code(a, k), tally_result_finding_code(b, k), "finding code", id);
            same_string(tally_result_finding_severity(a, k), tally_result_finding_severity(b, k),
                        "finding severity", id);
            same_string(tally_result_finding_subject(a, k), tally_result_finding_subject(b, k),
                        "finding subject", id);
            same_string(tally_result_finding_message(a, k), tally_result_finding_message(b, k),
                        "finding message", id);
        }
        findings += tally_result_finding_count(a);
        char *ja = tally_result_json(a), *jb = tally_result_json(b);
        same_string(ja, jb, "JSON", id);
        free(ja);
        free(jb);
        tally_result_free(a);
        tally_result_free(b);
    }
    assert_true(findings > 0); /* the examples have findings to compare */
    /* --explain always uses the interpreter, whatever the rules were given. */
    TallyResult *a = tally_score(interp, d, 0, true), *b = tally_score(jit, d, 0, true);
    char *ja = tally_result_json(a), *jb = tally_result_json(b);
    same_string(ja, jb, "JSON with explanations", tally_result_report(a));
    free(ja);
    free(jb);
    tally_result_free(a);
    tally_result_free(b);
    tally_data_free(d);
    tally_rules_free(jit);
    tally_rules_free(interp);
}

static void check_engines_agree(const char *rules_rel, const char *data_rel, size_t min_reports)
{
    char rp[PATH_MAX], dp[PATH_MAX];
    source_path(rules_rel, rp, sizeof rp);
    source_path(data_rel, dp, sizeof dp);
    char *err = NULL;
    TallyRules *interp = tally_rules_load(rp, &err);
    assert_non_null(interp);
    free(err);
    TallyRules *jit = tally_rules_load(rp, NULL);
    assert_non_null(jit);
    TallyData *d = tally_data_load(dp, NULL, &err);
    assert_non_null(d);
    free(err);
    compare_engines(interp, jit, d, rules_rel, min_reports);
}

/* Rules whose indicators all get batch kernels (a let, percentages, yes/no
 * answers, tiers) and data that makes them decline now and then (a missing
 * cell, a zero divisor, a score to clamp): tally_score scores a batch of
 * one report with compiled code. */
static void test_jit_batch_kernels(void **state)
{
    (void)state;
    static const char rules[] =
        "scheme \"plain\" total 20\n"
        "input x, y : number\n"
        "input p : percent\n"
        "input ok : boolean\n"
        "let ratio = x / y\n"
        "indicator A weight 10 {\n"
        "  value ratio\n  target 0.9\n"
        "  score if value >= target then weight else weight * value / target\n"
        "}\n"
        "indicator B weight 5 {\n"
        "  value p\n"
        "  score tiers(value, >= 90%: weight, >= 60%: weight * 0.5, else 0)\n"
        "}\n"
        "indicator C weight 5 {\n"
        "  score if ratio > 1 and ok then weight + x else weight / 2\n"
        "}\n"
        "grades 优 >= 18, 良 >= 12, else 差\n";
    static const char csv[] = "report,x,y,p,ok\n"
                              "R1,95,100,95%,是\nR2,50,100,61%,否\nR3,120,100,10%,是\n"
                              "R4,,100,90%,是\nR5,5,0,90%,否\nR6,3.5,7,59.5%,\nR7,1,3,100%,否\n";
    TallyRules *interp = tally_rules_compile("plain.tally", rules, strlen(rules), NULL);
    TallyRules *jit = tally_rules_compile("plain.tally", rules, strlen(rules), NULL);
    TallyData *d = tally_data_parse("plain.csv", csv, strlen(csv), NULL);
    assert_non_null(interp);
    assert_non_null(jit);
    assert_non_null(d);
    compare_engines(interp, jit, d, "plain.tally", 7);
}

static void test_jit_seed_table(void **state)
{
    (void)state;
    check_engines_agree("rules/self-eval.tally", "examples/longhui-hrss-2024/table.csv", 1);
}

static void test_jit_dept_batch(void **state)
{
    (void)state;
    check_engines_agree("rules/dept-common.tally", "examples/dept-batch/departments.csv", 200);
}

/* No compiled code: false with a one-line reason, and the rules go on scoring
 * with the interpreter. */
static void expect_fallback(TallyRules *rules, const TallyData *d, const char *cache, const char *want)
{
    char *err = NULL;
    assert_false(tally_rules_use_jit(rules, cache, &err));
    assert_non_null(err);
    assert_true(*err != 0);
    assert_null(strchr(err, '\n'));
    if (want && !strstr(err, want))
        fail_msg("reason '%s' does not mention '%s'", err, want);
    free(err);
    assert_false(tally_rules_use_jit(rules, cache, NULL)); /* errors may be NULL */
    TallyResult *b = tally_score(rules, d, 1, false);
    assert_string_equal(tally_result_total(b), "8");
    tally_result_free(b);
}

/* Two policies compiled and loaded side by side, each loaded after the
 * other was loaded, freed in turn: each scores with its own code.  (The
 * loader dlopens a verified file through /proc/self/fd/N; a number that
 * named an object still loaded used to hand back that object: "key
 * mismatch", and no compiled code for the second policy.) */
static void test_jit_two_policies(void **state)
{
    (void)state;
    static const char rules_v2[] =
        "scheme \"demo\" total 10\n"
        "input 编制数, 实有人数 : 人\n"
        "indicator 在职人员控制率 weight 10 {\n"
        "  value 实有人数 / 编制数\n"
        "  target 100%\n"
        "  score deduct(weight, 2, over(value, target, 1%))\n"
        "}\n";
    TallyData *d = tally_data_parse("demo.csv", data, strlen(data), NULL);
    for (int round = 0; round < 3; round++) {
        TallyRules *r1 = tally_rules_compile("demo.tally", rules_v1, strlen(rules_v1), NULL);
        TallyRules *r2 = tally_rules_compile("demo2.tally", rules_v2, strlen(rules_v2), NULL);
        char *err = NULL;
        if (!tally_rules_use_jit(r1, cache_dir, &err) || !tally_rules_use_jit(r2, cache_dir, &err))
            fail_msg("round %d: no compiled code: %s", round, err ? err : "(no reason)");
        TallyResult *a = tally_score(r1, d, 1, false), *b = tally_score(r2, d, 1, false);
        assert_string_equal(tally_result_total(a), "8"); /* 4 points over: 2 x 0.5 off */
        assert_string_equal(tally_result_total(b), "2"); /* 4 points over: 4 x 2 off */
        tally_result_free(a);
        tally_result_free(b);
        tally_rules_free(round % 2 ? r2 : r1);
        tally_rules_free(round % 2 ? r1 : r2);
    }
    tally_data_free(d);
}

static void test_jit_fallback(void **state)
{
    (void)state;
    TallyData *d = tally_data_parse("demo.csv", data, strlen(data), NULL);
    TallyRules *rules = tally_rules_compile("demo.tally", rules_v1, strlen(rules_v1), NULL);
    assert_non_null(rules);
    /* A cache directory that cannot be created. */
    expect_fallback(rules, d, "/dev/null/tally-cache", "/dev/null/tally-cache");
    /* No libgccjit (an empty cache, so that it must compile). */
    char empty[PATH_MAX];
    assert_true(make_temp_dir(empty, sizeof empty));
    const char *old = getenv("TALLY_LIBGCCJIT");
    char *saved = old ? strdup(old) : NULL;
    setenv("TALLY_LIBGCCJIT", "/nonexistent/libgccjit.so.0", 1);
    expect_fallback(rules, d, empty, NULL);
    if (saved)
        setenv("TALLY_LIBGCCJIT", saved, 1);
    else
        unsetenv("TALLY_LIBGCCJIT");
    free(saved);
    remove_dir(empty);
    /* The same rules take compiled code once it can be had. */
    assert_true(tally_rules_use_jit(rules, cache_dir, NULL));
    TallyResult *b = tally_score(rules, d, 1, false);
    assert_string_equal(tally_result_total(b), "8");
    tally_result_free(b);
    assert_false(tally_rules_use_jit(NULL, cache_dir, NULL));
    tally_rules_free(rules);
    tally_data_free(d);
}

/* A host that loads, compiles (from the cache after the first time), scores
 * and frees its rules over and over: nothing accumulates (ctest runs this
 * under valgrind as unit.test_api.valgrind; TALLY_API_CYCLES changes the
 * count). */
static void test_jit_cycles(void **state)
{
    (void)state;
    const char *env = getenv("TALLY_API_CYCLES");
    int cycles = env ? atoi(env) : 1000;
    TallyData *d = tally_data_parse("demo.csv", data, strlen(data), NULL);
    for (int i = 0; i < cycles; i++) {
        TallyRules *rules = tally_rules_compile("demo.tally", rules_v1, strlen(rules_v1), NULL);
        assert_non_null(rules);
        char *err = NULL;
        if (!tally_rules_use_jit(rules, cache_dir, &err))
            fail_msg("cycle %d: no compiled code: %s", i, err ? err : "(no reason)");
        TallyResult *b = tally_score(rules, d, 1, false);
        assert_string_equal(tally_result_total(b), "8");
        assert_int_equal(tally_result_finding_count(b), 0);
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
        cmocka_unit_test(test_imports_from_disk_only),
        cmocka_unit_test(test_reload_policy),
        cmocka_unit_test(test_jit_seed_table),
        cmocka_unit_test(test_jit_dept_batch),
        cmocka_unit_test(test_jit_batch_kernels),
        cmocka_unit_test(test_jit_fallback),
        cmocka_unit_test(test_jit_two_policies),
        cmocka_unit_test(test_jit_cycles),
    };
    /* TALLY_API_ONLY=test_jit_cycles: the valgrind run (tests/CMakeLists.txt). */
    if (getenv("TALLY_API_ONLY"))
        cmocka_set_test_filter(getenv("TALLY_API_ONLY"));
    return cmocka_run_group_tests(tests, jit_setup, jit_teardown);
}
