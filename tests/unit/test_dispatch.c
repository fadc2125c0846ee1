/* test_dispatch.c - the table rows' dispatch ahead (issue 16): the scorer
 * takes a row's group, category, rule and the reading of its target and
 * actual from the column batch, asked once per kind of row in a batch
 * (runtime/score/columns.c), under either engine.  Here the interpreter
 * scores every report with the dispatch ahead (scorer_batch) and without it
 * (score_report alone: each row dispatched where it is scored) and the full
 * audit must be the same bytes, for the bundled rule files and those made
 * to tell rows apart, over the example tables. */
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
#include "lang/program.h"
#include "runtime/data/report.h"
#include "runtime/output/output.h"
#include "runtime/score/score.h"

static const char *const rule_files[] = {
    "rules/self-eval.tally",
    "rules/self-eval-hubei.tally",
    "tests/bench/peers/core.tally",
    "tests/golden/audit/row-kinds.tally",
    "tests/golden/audit/row-reads.tally",
    "tests/golden/audit/row-groups.tally",
};
#define NRULES (sizeof rule_files / sizeof *rule_files)

static const char *const data_files[] = {
    "examples/longhui-hrss-2024/table.csv",
    "examples/made-up-tables/county-transport-2024.csv",
    "examples/made-up-tables/county-water-2024.csv",
    "examples/made-up-tables/township-health-2024.csv",
    "examples/made-up-tables/edge-cases-2024.csv",
    "tests/golden/audit/row-kinds.csv",
    "tests/golden/audit/row-reads.csv",
    "tests/golden/audit/row-groups.csv",
};
#define NFILES (sizeof data_files / sizeof *data_files)

static void path_of(const char *rel, char *buf, size_t n)
{
    const char *root = getenv("TALLY_SOURCE_DIR");
    snprintf(buf, n, "%s/%s", root ? root : ".", rel);
}

/* Every report of the data files scored by the interpreter and written as
 * the full audit CSV; with `ahead`, each run of reports dispatched ahead
 * first.  *rows counts the table rows dispatched ahead. */
static char *score_all(const Program *prog, ReportSet *sets, bool ahead, size_t *len, size_t *rows)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    assert_non_null(f);
    Output out;
    memset(&out, 0, sizeof out);
    out.f = f;
    out.fmt = OUT_CSV;
    out.prog = prog;
    assert_true(output_begin(&out));
    Arena arena;
    arena_init(&arena);
    Scorer sc;
    ScoreOptions so = {.explain = false, .no_messages = false};
    scorer_init(&sc, prog, &so, &arena);
    scorer_set_jit(&sc, NULL);
    DiagList diags;
    diag_init(&diags);
    *rows = 0;
    for (size_t s = 0; s < NFILES; s++) {
        size_t ahead_end = 0;
        for (size_t i = 0; i < sets[s].len; i++) {
            if (ahead && i >= ahead_end) {
                /* a few reports at a time: the batches' edges fall inside the files */
                size_t n = sets[s].len - i < 3 ? sets[s].len - i : 3;
                ahead_end = i + scorer_batch(&sc, &sets[s].reports[i], n);
                assert_true(ahead_end > i);
                for (size_t k = i; k < ahead_end; k++)
                    *rows += sets[s].reports[k].nrows;
            }
            ReportResult res;
            score_report(&sc, &sets[s].reports[i], &res, &diags);
            output_report(&out, &res);
            result_free(&res);
            arena_reset(&arena);
            diag_clear(&diags);
        }
    }
    assert_true(output_end(&out));
    assert_int_equal(fclose(f), 0);
    diag_free(&diags);
    scorer_free(&sc);
    arena_free(&arena);
    return text;
}

static void test_dispatch_ahead_same(void **state)
{
    (void)state;
    char path[4096];
    DiagList diags;
    diag_init(&diags);
    ReportSet sets[NFILES];
    for (size_t s = 0; s < NFILES; s++) {
        path_of(data_files[s], path, sizeof path);
        reportset_init(&sets[s]);
        assert_true(reportset_load(&sets[s], path, NULL, &diags));
    }
    for (size_t r = 0; r < NRULES; r++) {
        path_of(rule_files[r], path, sizeof path);
        Program *prog = program_load(path, &diags);
        assert_non_null(prog);
        size_t len_row, len_ahead, rows_row, rows_ahead;
        char *by_row = score_all(prog, sets, false, &len_row, &rows_row);
        char *by_ahead = score_all(prog, sets, true, &len_ahead, &rows_ahead);
        assert_true(len_row > 1000);
        assert_true(rows_ahead > 100);
        if (len_ahead != len_row || memcmp(by_ahead, by_row, len_row) != 0) {
            size_t at = 0;
            while (at < len_row && at < len_ahead && by_row[at] == by_ahead[at])
                at++;
            print_error("%s: the dispatch ahead differs at byte %zu:\n%.200s\n--- row by row:\n%.200s\n",
                        rule_files[r], at, by_ahead + (at > 80 ? at - 80 : 0),
                        by_row + (at > 80 ? at - 80 : 0));
            fail();
        }
        free(by_row);
        free(by_ahead);
        program_free(prog);
    }
    for (size_t s = 0; s < NFILES; s++)
        reportset_free(&sets[s]);
    diag_free(&diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dispatch_ahead_same),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
