/* test_limits.c - hostile and enormous input: nothing crashes, nothing hangs,
 * memory stays bounded, and each limit gives the message docs/errors.md
 * promises.  Several of these were stack overflows, a use after free, a read
 * past the end and exponential time before the limits existed; the inputs are
 * generated here because they are large. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "grammar/parse.h"
#include "lang/interp.h"
#include "lang/program.h"
#include "runtime/data/report.h"
#include "runtime/score/score.h"
#include "tests/support.h"

static void put_repeat(Buf *b, const char *s, size_t times)
{
    for (size_t i = 0; i < times; i++)
        put(b, "%s", s);
}

/* Does any diagnostic's message contain `part`? */
static bool has_message(const DiagList *dl, const char *part)
{
    for (size_t i = 0; i < dl->len; i++)
        if (strstr(dl->items[i].message, part))
            return true;
    return false;
}

/* Compile text; the diagnostics are rendered (to /dev/null) after the
 * program is gone, as the CLI does. */
static Program *compile(const char *text, size_t len, DiagList *dl)
{
    diag_init(dl);
    Program *p = program_compile("limits.tally", text, len, dl);
    FILE *null = fopen("/dev/null", "w");
    diag_render_all(dl, null, false);
    fclose(null);
    return p;
}

static double seconds_since(struct timespec t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

/* Score the one report of a wide CSV with p; returns its findings' count of
 * `kind` and stores the first such message in *msg (NULL if none). */
static int score_one(Program *p, const char *csv, FindingKind kind, char *msg, size_t msgcap)
{
    ReportSet set;
    reportset_init(&set);
    DiagList dl;
    diag_init(&dl);
    LoadOptions opt = {DATA_CSV_WIDE, NULL, NULL};
    assert_true(reportset_load_buffer(&set, "limits.csv", csv, strlen(csv), &opt, &dl));
    assert_int_equal(set.len, 1);
    Arena arena;
    arena_init(&arena);
    Scorer sc;
    ScoreOptions so = {.explain = true};
    scorer_init(&sc, p, &so, &arena);
    ReportResult res;
    score_report(&sc, &set.reports[0], &res, &dl);
    int n = 0;
    if (msg)
        *msg = 0;
    for (size_t i = 0; i < res.findings.len; i++)
        if (res.findings.items[i].kind == kind) {
            if (n++ == 0 && msg)
                snprintf(msg, msgcap, "%s", res.findings.items[i].message);
        }
    result_free(&res);
    scorer_free(&sc);
    arena_free(&arena);
    reportset_free(&set);
    diag_free(&dl);
    return n;
}

/* Rule files ---------------------------------------------------------------- */

/* 1+1+...+1 with 100,000 terms: a left-leaning tree 100,000 levels high used
 * to overflow the checker's stack (check_expr).  Now the parser refuses it. */
static void test_long_sum_is_refused(void **state)
{
    (void)state;
    Buf b = {0};
    put(&b, "let a = ");
    put_repeat(&b, "1+", 100000);
    put(&b, "1\n");
    DiagList dl;
    Program *p = compile(b.s, b.len, &dl);
    assert_null(p);
    assert_int_equal(dl.errors, 1);
    assert_true(has_message(&dl, "expression nested more than 256 levels deep"));
    diag_free(&dl);
    free(b.s);
}

/* The height limit is exact: 256 levels pass, 257 do not. */
static void test_height_limit_is_exact(void **state)
{
    (void)state;
    for (int terms = PARSE_MAX_EXPR_HEIGHT / 2 - 1; terms <= PARSE_MAX_EXPR_HEIGHT / 2; terms++) {
        /* "1+...+1" with n+1 literals is n + 1 levels high; the let below
         * adds none.  Use unary minus to reach odd heights too. */
        for (int neg = 0; neg <= 1; neg++) {
            Buf b = {0};
            put(&b, "let a = %s", neg ? "-(" : "");
            put_repeat(&b, "1+", (size_t)terms * 2);
            put(&b, "1%s\n", neg ? ")" : "");
            int height = terms * 2 + 1 + neg;
            DiagList dl;
            Program *p = compile(b.s, b.len, &dl);
            if (height <= PARSE_MAX_EXPR_HEIGHT)
                assert_non_null(p);
            else
                assert_null(p);
            program_free(p);
            diag_free(&dl);
            free(b.s);
        }
    }
}

/* 100,000 nested parentheses or minus signs fill bison's stack first. */
static void test_deep_nesting_is_refused(void **state)
{
    (void)state;
    const char *open[] = {"(", "-", "not "};
    for (size_t k = 0; k < 3; k++) {
        Buf b = {0};
        put(&b, "let a = ");
        put_repeat(&b, open[k], 100000);
        put(&b, "1");
        if (k == 0)
            put_repeat(&b, ")", 100000);
        put(&b, "\n");
        DiagList dl;
        Program *p = compile(b.s, b.len, &dl);
        assert_null(p);
        assert_true(has_message(&dl, "the rule file is nested too deeply"));
        diag_free(&dl);
        free(b.s);
    }
}

/* 3,000 nested parentheses are one level of tree: fine. */
static void test_parentheses_add_no_height(void **state)
{
    (void)state;
    Buf b = {0};
    put(&b, "let a = ");
    put_repeat(&b, "(", 3000);
    put(&b, "1");
    put_repeat(&b, ")", 3000);
    put(&b, "\nindicator x weight 10 { score min(a, 10) }\n");
    DiagList dl;
    Program *p = compile(b.s, b.len, &dl);
    assert_non_null(p);
    program_free(p);
    diag_free(&dl);
    free(b.s);
}

/* Groups nested 5,000 deep: bison's stack limit, a clear error. */
static void test_deep_groups_are_refused(void **state)
{
    (void)state;
    Buf b = {0};
    for (int i = 0; i < 5000; i++)
        put(&b, "group g%d weight 1 {\n", i);
    put(&b, "indicator x weight 1 { score 1 }\n");
    put_repeat(&b, "}\n", 5000);
    DiagList dl;
    Program *p = compile(b.s, b.len, &dl);
    assert_null(p);
    assert_true(has_message(&dl, "the rule file is nested too deeply"));
    diag_free(&dl);
    free(b.s);
}

/* Diagnostics of a rule file that failed point into its text, which the
 * failed Program no longer owns: rendering them used to read freed memory. */
static void test_diagnostics_outlive_the_program(void **state)
{
    (void)state;
    const char *text = "let a = b\nlet c = 'x' + 1\n";
    DiagList dl;
    diag_init(&dl);
    Program *p = program_compile("gone.tally", text, strlen(text), &dl);
    assert_null(p);
    assert_int_equal(dl.errors, 2);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    diag_render_all(&dl, f, false);
    fclose(f);
    assert_non_null(strstr(out, "gone.tally:1:9: error: unknown name 'b'\n    let a = b\n"));
    assert_non_null(strstr(out, "gone.tally:2:9:"));
    free(out);
    diag_free(&dl);
}

/* A NUL byte in a rule file: the text used to be copied only up to the NUL
 * while the scanner read the full length, past the end of the copy. */
static void test_nul_byte_in_rule_file(void **state)
{
    (void)state;
    const char text[] = "let a = 1\0let b = 2\n";
    DiagList dl;
    Program *p = compile(text, sizeof text - 1, &dl);
    assert_null(p);
    assert_true(has_message(&dl, "the rule file contains a NUL byte"));
    assert_int_equal(dl.items[0].span.start, 9);
    diag_free(&dl);
}

static void test_rule_file_size_limit(void **state)
{
    (void)state;
    size_t len = RULE_MAX_FILE + 1;
    char *text = malloc(len);
    assert_non_null(text);
    memset(text, '#', len);
    DiagList dl;
    Program *p = compile(text, len, &dl);
    assert_null(p);
    assert_true(has_message(&dl, "rule file is larger than 4 MiB"));
    diag_free(&dl);
    /* Exactly at the limit is read (one long comment). */
    p = compile(text, len - 1, &dl);
    assert_non_null(p);
    program_free(p);
    diag_free(&dl);
    free(text);
}

/* 100,000 declarations: the list of declarations used to be copied whole for
 * each one (quadratic memory: 20,000 lets took 1.6 GB). */
static void test_many_declarations(void **state)
{
    (void)state;
    Buf b = {0};
    for (int i = 0; i < 100000; i++)
        put(&b, "let a%d = %d\n", i, i);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    DiagList dl;
    Program *p = compile(b.s, b.len, &dl);
    assert_non_null(p);
    assert_int_equal(p->nlets, 100000);
    assert_true(seconds_since(t0) < 60);
    program_free(p);
    diag_free(&dl);
    free(b.s);
}

/* A chain of 100,000 lets: cycle detection walks it without recursion, and
 * scoring stops at the nesting limit instead of overflowing the stack. */
static void test_long_let_chain(void **state)
{
    (void)state;
    Buf b = {0};
    put(&b, "input a\nlet l0 = a\n");
    for (int i = 1; i < 100000; i++)
        put(&b, "let l%d = l%d + 1\n", i, i - 1);
    put(&b, "indicator x weight 10 { score min(l99999, 10) }\n");
    DiagList dl;
    Program *p = compile(b.s, b.len, &dl);
    assert_non_null(p);
    char msg[512];
    assert_int_equal(score_one(p, "report,a\nr1,1\n", F_OVERFLOW, msg, sizeof msg), 1);
    assert_non_null(strstr(msg, "nest more than 2000 deep"));
    program_free(p);
    diag_free(&dl);
    free(b.s);
}

/* A short chain scores normally. */
static void test_short_let_chain_scores(void **state)
{
    (void)state;
    Buf b = {0};
    put(&b, "input a\nlet l0 = a\n");
    for (int i = 1; i < 300; i++)
        put(&b, "let l%d = l%d + 0\n", i, i - 1);
    put(&b, "indicator x weight 10 { score min(l299, 10) }\n");
    DiagList dl;
    Program *p = compile(b.s, b.len, &dl);
    assert_non_null(p);
    assert_int_equal(score_one(p, "report,a\nr1,7\n", F_OVERFLOW, NULL, 0), 0);
    program_free(p);
    diag_free(&dl);
    free(b.s);
}

/* A cycle through 50,000 lets is found (the old search gave up after 200). */
static void test_long_let_cycle(void **state)
{
    (void)state;
    Buf b = {0};
    for (int i = 0; i < 50000; i++)
        put(&b, "let l%d = l%d + 1\n", i, (i + 1) % 50000);
    put(&b, "let free = 1\n");
    DiagList dl;
    Program *p = compile(b.s, b.len, &dl);
    assert_null(p);
    /* Every let on the cycle is reported; `free` is not.  Only the first
     * DIAG_MAX_KEPT are kept. */
    assert_int_equal(dl.errors, 50000);
    assert_int_equal(dl.len, DIAG_MAX_KEPT);
    assert_int_equal(dl.dropped, 50000 - DIAG_MAX_KEPT);
    assert_true(has_message(&dl, "'l0' is defined in terms of itself"));
    diag_free(&dl);
    free(b.s);
}

/* Lets that each use the one before twice: the old cycle search and the
 * "missing inputs" explanation walked every path, 2^200 of them. */
static void test_diamond_lets(void **state)
{
    (void)state;
    Buf b = {0};
    put(&b, "input a\nlet d0 = a\n");
    for (int i = 1; i <= 200; i++)
        put(&b, "let d%d = d%d + d%d\n", i, i - 1, i - 1);
    put(&b, "indicator x weight 10 { score min(d200, 10) }\n");
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    DiagList dl;
    Program *p = compile(b.s, b.len, &dl);
    assert_non_null(p);
    /* a missing: no score, and the explanation names a. */
    char msg[512];
    assert_int_equal(score_one(p, "report,a\nr1,\n", F_MISSING_VALUE, msg, sizeof msg), 1);
    assert_non_null(strstr(msg, "missing a"));
    assert_true(seconds_since(t0) < 60);
    program_free(p);
    diag_free(&dl);
    free(b.s);
}

/* A method naming itself without arguments recursed until the stack broke. */
static void test_method_naming_itself(void **state)
{
    (void)state;
    const char *text = "method m = m + 1\nindicator x weight 10 { score m }\n";
    DiagList dl;
    Program *p = compile(text, strlen(text), &dl);
    assert_non_null(p);
    char msg[512];
    assert_int_equal(score_one(p, "report,a\nr1,1\n", F_OVERFLOW, msg, sizeof msg), 1);
    assert_non_null(strstr(msg, "nest more than"));
    program_free(p);
    diag_free(&dl);
}

/* f calls itself twice: 2^64 calls before the depth limit, and one finding
 * per call.  Now one finding, at once. */
static void test_method_calling_itself_twice(void **state)
{
    (void)state;
    const char *text = "method f(x) = f(x) + f(x)\nindicator x weight 10 { score f(1) }\n";
    DiagList dl;
    Program *p = compile(text, strlen(text), &dl);
    assert_non_null(p);
    char msg[512];
    assert_int_equal(score_one(p, "report,a\nr1,1\n", F_OVERFLOW, msg, sizeof msg), 1);
    assert_non_null(strstr(msg, "methods call each other more than 64 deep"));
    program_free(p);
    diag_free(&dl);
}

/* 60 methods, each calling the one before twice: no recursion, but 2^60
 * calls.  The step limit stops it. */
static void test_methods_doubling(void **state)
{
    (void)state;
    Buf b = {0};
    put(&b, "method m0(x) = x\n");
    for (int i = 1; i <= 60; i++)
        put(&b, "method m%d(x) = m%d(x) + m%d(x)\n", i, i - 1, i - 1);
    put(&b, "indicator x weight 10 { score min(m60(1), 10) }\n");
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    DiagList dl;
    Program *p = compile(b.s, b.len, &dl);
    assert_non_null(p);
    char msg[512];
    assert_int_equal(score_one(p, "report,a\nr1,1\n", F_OVERFLOW, msg, sizeof msg), 1);
    assert_non_null(strstr(msg, "needs more than 1000000 steps"));
    assert_true(seconds_since(t0) < 60);
    program_free(p);
    diag_free(&dl);
    free(b.s);
}

static void test_too_many_parameters(void **state)
{
    (void)state;
    Buf b = {0};
    put(&b, "method m(p0");
    for (int i = 1; i < 65; i++)
        put(&b, ", p%d", i);
    put(&b, ") = p0\n");
    DiagList dl;
    Program *p = compile(b.s, b.len, &dl);
    assert_null(p);
    assert_true(has_message(&dl, "method 'm' has 65 parameters; at most 64"));
    diag_free(&dl);
    free(b.s);
}

/* 150,000 unknown names: a count and the first DIAG_MAX_KEPT messages. */
static void test_many_errors_are_counted(void **state)
{
    (void)state;
    Buf b = {0};
    for (int i = 0; i < 150000; i++)
        put(&b, "let a%d = nope%d\n", i, i);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    DiagList dl;
    diag_init(&dl);
    Program *p = program_compile("errors.tally", b.s, b.len, &dl);
    assert_null(p);
    assert_int_equal(dl.errors, 150000);
    assert_int_equal(dl.len, DIAG_MAX_KEPT);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    diag_render_all(&dl, f, false);
    fclose(f);
    assert_non_null(strstr(out, "tally: note: 149000 more messages not shown (only the first 1000 "
                                "are kept)\n"));
    assert_true(seconds_since(t0) < 60);
    free(out);
    diag_free(&dl);
    free(b.s);
}

/* 100,000 checks, all named c: duplicates are found by hashing. */
static void test_many_duplicate_checks(void **state)
{
    (void)state;
    Buf b = {0};
    for (int i = 0; i < 100000; i++)
        put(&b, "check c: 1 == 1\n");
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    DiagList dl;
    Program *p = compile(b.s, b.len, &dl);
    assert_null(p);
    assert_int_equal(dl.errors, 99999);
    assert_true(has_message(&dl, "check 'c' is already declared at line 1"));
    assert_true(seconds_since(t0) < 60);
    diag_free(&dl);
    free(b.s);
}

/* A 1 MiB line: the excerpt shows the part around the error, not the line. */
static void test_long_line_excerpt(void **state)
{
    (void)state;
    Buf b = {0};
    for (int i = 0; i < 40; i++)
        put(&b, "let x%d = 1 ", i + 10);
    put(&b, "let a = b ");
    for (int i = 0; i < 100000; i++)
        put(&b, "let y%d = 1 ", i + 10);
    put(&b, "\n");
    DiagList dl;
    diag_init(&dl);
    Program *p = program_compile("long.tally", b.s, b.len, &dl);
    assert_null(p);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    diag_render_all(&dl, f, false);
    fclose(f);
    assert_true(len < 2000);
    assert_non_null(strstr(out, "long.tally:1:489: error: unknown name 'b'\n    ..."));
    /* The caret still sits under the b. */
    const char *line = strstr(out, "\n    ...") + 1, *caret = strchr(line, '\n') + 1;
    const char *b_at = strstr(line, "let a = b ") + 8, *hat = strchr(caret, '^');
    assert_int_equal(b_at - line, hat - caret);
    free(out);
    diag_free(&dl);
    free(b.s);
}

/* Data files ----------------------------------------------------------------- */

static ReportSet load(const char *name, const char *data, size_t len, DataFormat fmt,
                      DiagList *dl, bool *ok)
{
    ReportSet set;
    reportset_init(&set);
    diag_init(dl);
    LoadOptions opt = {fmt, NULL, NULL};
    *ok = reportset_load_buffer(&set, name, data, len, &opt, dl);
    FILE *null = fopen("/dev/null", "w");
    diag_render_all(dl, null, false);
    fclose(null);
    return set;
}

/* A 10 MB field: that report is marked, the next one is read. */
static void test_data_huge_field(void **state)
{
    (void)state;
    Buf b = {0};
    put(&b, "report,a\nr1,");
    put_repeat(&b, "x", 10u << 20);
    put(&b, "\nr2,5\n");
    DiagList dl;
    bool ok;
    ReportSet set = load("huge.csv", b.s, b.len, DATA_AUTO, &dl, &ok);
    assert_true(ok);
    assert_int_equal(set.len, 2);
    assert_non_null(set.reports[0].error);
    assert_null(set.reports[1].error);
    assert_string_equal(set.reports[1].id, "r2");
    assert_true(has_message(&dl, "field longer than 1 MiB"));
    reportset_free(&set);
    diag_free(&dl);
    free(b.s);
}

/* A million columns in the header: the file is refused with a message. */
static void test_data_million_columns(void **state)
{
    (void)state;
    Buf b = {0};
    put(&b, "report");
    for (int i = 0; i < 1000000; i++)
        put(&b, ",c%d", i);
    put(&b, "\nr1,1\n");
    DiagList dl;
    bool ok;
    ReportSet set = load("wide.csv", b.s, b.len, DATA_AUTO, &dl, &ok);
    assert_false(ok);
    assert_int_equal(set.len, 0);
    assert_true(has_message(&dl, "more than 10000 fields"));
    reportset_free(&set);
    diag_free(&dl);
    free(b.s);
}

/* 20 MB with no line break after the header. */
static void test_data_line_without_end(void **state)
{
    (void)state;
    Buf b = {0};
    put(&b, "report,a\nr1,");
    put_repeat(&b, "1234567890", 2u << 20);
    DiagList dl;
    bool ok;
    ReportSet set = load("endless.csv", b.s, b.len, DATA_AUTO, &dl, &ok);
    assert_true(ok);
    assert_int_equal(set.len, 1);
    assert_non_null(set.reports[0].error);
    reportset_free(&set);
    diag_free(&dl);
    free(b.s);
}

/* JSON nested 100,000 deep: jansson's depth limit, a syntax error. */
static void test_data_deep_json(void **state)
{
    (void)state;
    Buf b = {0};
    put_repeat(&b, "[", 100000);
    put_repeat(&b, "]", 100000);
    DiagList dl;
    bool ok;
    ReportSet set = load("deep.json", b.s, b.len, DATA_AUTO, &dl, &ok);
    assert_false(ok);
    assert_int_equal(set.len, 0);
    assert_true(has_message(&dl, "JSON syntax error: maximum parsing depth reached"));
    reportset_free(&set);
    diag_free(&dl);
    free(b.s);
}

/* 200,000 reports with a bad row each: every report is kept and marked; the
 * messages are counted, the first 1000 kept. */
static void test_data_many_bad_rows(void **state)
{
    (void)state;
    Buf b = {0};
    put(&b, "report,a\n");
    for (int i = 0; i < 200000; i++)
        put(&b, "r%d,1,2\n", i);
    DiagList dl;
    bool ok;
    ReportSet set = load("ragged.csv", b.s, b.len, DATA_AUTO, &dl, &ok);
    assert_true(ok);
    assert_int_equal(set.len, 200000);
    for (size_t i = 0; i < set.len; i++)
        assert_non_null(set.reports[i].error);
    assert_int_equal(dl.errors, 200000);
    assert_int_equal(dl.len, DIAG_MAX_KEPT);
    reportset_free(&set);
    diag_free(&dl);
    free(b.s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_long_sum_is_refused),
        cmocka_unit_test(test_height_limit_is_exact),
        cmocka_unit_test(test_deep_nesting_is_refused),
        cmocka_unit_test(test_parentheses_add_no_height),
        cmocka_unit_test(test_deep_groups_are_refused),
        cmocka_unit_test(test_diagnostics_outlive_the_program),
        cmocka_unit_test(test_nul_byte_in_rule_file),
        cmocka_unit_test(test_rule_file_size_limit),
        cmocka_unit_test(test_many_declarations),
        cmocka_unit_test(test_long_let_chain),
        cmocka_unit_test(test_short_let_chain_scores),
        cmocka_unit_test(test_long_let_cycle),
        cmocka_unit_test(test_diamond_lets),
        cmocka_unit_test(test_method_naming_itself),
        cmocka_unit_test(test_method_calling_itself_twice),
        cmocka_unit_test(test_methods_doubling),
        cmocka_unit_test(test_too_many_parameters),
        cmocka_unit_test(test_many_errors_are_counted),
        cmocka_unit_test(test_many_duplicate_checks),
        cmocka_unit_test(test_long_line_excerpt),
        cmocka_unit_test(test_data_huge_field),
        cmocka_unit_test(test_data_million_columns),
        cmocka_unit_test(test_data_line_without_end),
        cmocka_unit_test(test_data_deep_json),
        cmocka_unit_test(test_data_many_bad_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
