/* test_no_messages.c - findings' messages skipped where they are not
 * printed (issue 16): --summary and --totals write the same bytes whether
 * the scorer formats messages or not (ScoreOptions.no_messages), and the
 * findings keep their kinds, subjects and order. */
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
#include "runtime/output/output.h"
#include "runtime/score/score.h"

/* Reports with findings of many kinds, unverified rows among them. */
static const char *const data_files[] = {
    "examples/longhui-hrss-2024/table.csv",
    "examples/made-up-tables/county-transport-2024.csv",
    "examples/made-up-tables/township-health-2024.csv",
    "examples/made-up-tables/edge-cases-2024.csv",
};
#define NFILES (sizeof data_files / sizeof *data_files)

/* The outputs that print no messages: --summary and --totals, each format. */
typedef struct Rendering {
    bool summary;
    OutFormat fmt;
} Rendering;
static const Rendering renderings[] = {
    {true, OUT_TEXT}, {true, OUT_CSV}, {true, OUT_JSON},
    {false, OUT_TEXT}, {false, OUT_CSV}, {false, OUT_JSON},
};
#define NREND (sizeof renderings / sizeof *renderings)

typedef struct Run {
    char *text[NREND];       /* each rendering's bytes */
    size_t len[NREND];
    FindingKind kinds[512];  /* every report's findings in order, and their subjects */
    char subjects[512][128];
    size_t nfindings;
    size_t with_message;     /* findings whose message is not empty */
} Run;

static void path_of(const char *rel, char *buf, size_t n)
{
    const char *root = getenv("TALLY_SOURCE_DIR");
    snprintf(buf, n, "%s/%s", root ? root : ".", rel);
}

/* Score every report of the data files with prog, no_messages as given,
 * and write them in each rendering. */
static void run_all(const Program *prog, ReportSet *sets, bool no_messages, Run *run)
{
    memset(run, 0, sizeof *run);
    Output out[NREND];
    FILE *f[NREND];
    for (size_t k = 0; k < NREND; k++) {
        f[k] = open_memstream(&run->text[k], &run->len[k]);
        assert_non_null(f[k]);
        memset(&out[k], 0, sizeof out[k]);
        out[k].f = f[k];
        out[k].fmt = renderings[k].fmt;
        out[k].summary = renderings[k].summary;
        out[k].totals = !renderings[k].summary;
        out[k].prog = prog;
        assert_false(output_prints_messages(&out[k]));
        assert_true(output_begin(&out[k]));
    }
    Arena arena;
    arena_init(&arena);
    Scorer sc;
    ScoreOptions so = {.explain = false, .no_messages = no_messages};
    scorer_init(&sc, prog, &so, &arena);
    DiagList diags;
    diag_init(&diags);
    for (size_t s = 0; s < NFILES; s++)
        for (size_t i = 0; i < sets[s].len; i++) {
            ReportResult res;
            score_report(&sc, &sets[s].reports[i], &res, &diags);
            for (size_t j = 0; j < res.findings.len; j++) {
                const Finding *fi = &res.findings.items[j];
                assert_true(run->nfindings < 512);
                run->kinds[run->nfindings] = fi->kind;
                snprintf(run->subjects[run->nfindings], 128, "%s", fi->subject);
                run->nfindings++;
                run->with_message += fi->message && *fi->message;
            }
            for (size_t k = 0; k < NREND; k++)
                output_report(&out[k], &res);
            result_free(&res);
            arena_reset(&arena);
        }
    for (size_t k = 0; k < NREND; k++) {
        assert_true(output_end(&out[k]));
        assert_int_equal(fclose(f[k]), 0);
    }
    diag_free(&diags);
    scorer_free(&sc);
    arena_free(&arena);
}

static void test_same_without_messages(void **state)
{
    (void)state;
    char path[4096];
    DiagList diags;
    diag_init(&diags);
    path_of("rules/self-eval.tally", path, sizeof path);
    Program *prog = program_load(path, &diags);
    assert_non_null(prog);
    ReportSet sets[NFILES];
    for (size_t s = 0; s < NFILES; s++) {
        path_of(data_files[s], path, sizeof path);
        reportset_init(&sets[s]);
        assert_true(reportset_load(&sets[s], path, NULL, &diags));
    }
    static Run with, without;
    run_all(prog, sets, false, &with);
    run_all(prog, sets, true, &without);

    /* the data has findings, with messages when they are formatted, and
     * without any when they are not */
    assert_true(with.nfindings > 20);
    assert_int_equal(with.with_message, with.nfindings);
    assert_int_equal(without.with_message, 0);
    /* the same findings, in the same order */
    assert_int_equal(without.nfindings, with.nfindings);
    for (size_t i = 0; i < with.nfindings; i++) {
        assert_int_equal(without.kinds[i], with.kinds[i]);
        assert_string_equal(without.subjects[i], with.subjects[i]);
    }
    /* --summary and --totals: the same bytes in every format */
    for (size_t k = 0; k < NREND; k++) {
        assert_true(with.len[k] > 100);
        assert_int_equal(without.len[k], with.len[k]);
        assert_memory_equal(without.text[k], with.text[k], with.len[k]);
        free(with.text[k]);
        free(without.text[k]);
    }
    for (size_t s = 0; s < NFILES; s++)
        reportset_free(&sets[s]);
    program_free(prog);
    diag_free(&diags);
}

/* Only --summary and --totals leave messages out. */
static void test_which_outputs_print_messages(void **state)
{
    (void)state;
    Output o;
    memset(&o, 0, sizeof o);
    for (int fmt = OUT_TEXT; fmt <= OUT_HTML; fmt++) {
        o.fmt = (OutFormat)fmt;
        o.summary = o.totals = false;
        assert_true(output_prints_messages(&o));
        o.summary = true;
        assert_false(output_prints_messages(&o));
        o.summary = false;
        o.totals = true;
        assert_false(output_prints_messages(&o));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_without_messages),
        cmocka_unit_test(test_which_outputs_print_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
