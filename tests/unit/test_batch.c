/* test_batch.c - the pool of scoring workers (runtime/batch.c, issue 16):
 * batches fed one after another to one pool, its workers started once and
 * their scorers kept from batch to batch, write exactly what each batch
 * scored on one thread writes - results, diagnostics, counters - in pieces
 * of any size, with chunks of any size, on 0 to 3 workers; and a pool whose
 * batches change the program or the options scores each with its own. */
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
#include "runtime/batch.h"
#include "runtime/data/report.h"
#include "runtime/output/output.h"

static void path_of(const char *rel, char *buf, size_t n)
{
    const char *root = getenv("TALLY_SOURCE_DIR");
    snprintf(buf, n, "%s/%s", root ? root : ".", rel);
}

static Program *load_rules(const char *rel)
{
    char path[4096];
    DiagList diags;
    diag_init(&diags);
    path_of(rel, path, sizeof path);
    Program *prog = program_load(path, &diags);
    assert_non_null(prog);
    diag_free(&diags);
    return prog;
}

/* departments.csv with the fourth field of every seventh record made 'abc':
 * a figure that is not a number, which the scorer reports (a diagnostic on
 * the error stream) for the rules that read it. */
static char *departments_with_bad_figures(size_t *len)
{
    char path[4096];
    path_of("examples/dept-batch/departments.csv", path, sizeof path);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *out = NULL;
    FILE *o = open_memstream(&out, len);
    assert_non_null(o);
    char line[8192];
    for (int n = 0; fgets(line, sizeof line, f); n++) {
        char *at = line;
        for (int comma = 0; n > 0 && n % 7 == 3 && comma < 3 && at; comma++)
            at = strchr(at, ',') ? strchr(at, ',') + 1 : NULL;
        if (!at || at == line) {
            fputs(line, o);
            continue;
        }
        char *end = strchr(at, ',');
        assert_non_null(end);
        fprintf(o, "%.*sabc%s", (int)(at - line), line, end);
    }
    fclose(f);
    assert_int_equal(fclose(o), 0);
    return out;
}

/* Reports with findings and data problems
 * the rules find (diagnostics on the error stream). */
static void load_data(ReportSet *set)
{
    static const char *const files[] = {
        "examples/longhui-hrss-2024/table.csv",
        "examples/made-up-tables/county-transport-2024.csv",
        "examples/made-up-tables/township-health-2024.csv",
        "examples/made-up-tables/edge-cases-2024.csv",
    };
    char path[4096];
    DiagList diags;
    diag_init(&diags);
    reportset_init(set);
    size_t len;
    char *dept = departments_with_bad_figures(&len);
    assert_true(reportset_load_buffer(set, "departments.csv", dept, len, NULL, &diags));
    free(dept);
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        path_of(files[i], path, sizeof path);
        assert_true(reportset_load(set, path, NULL, &diags));
    }
    diag_free(&diags);
    assert_true(set->len >= 200);
}

/* What a run of batches wrote and counted. */
typedef struct Written {
    char *out, *err;
    size_t outlen, errlen;
    bool findings, report_errors;
    size_t scored;
} Written;

/* One piece of a run: reports [from, to) of set, scored with prog. */
typedef struct Piece {
    const Program *prog;
    size_t from, to;
    bool explain;
} Piece;

/* Score the pieces in turn as batches on `threads` threads, through `pool`
 * (NULL: threads started for each batch), into one output. */
static void run_pieces(const ReportSet *set, const Piece *pieces, size_t n, int threads, BatchPool *pool,
                       Written *w)
{
    memset(w, 0, sizeof *w);
    FILE *out = open_memstream(&w->out, &w->outlen);
    FILE *err = open_memstream(&w->err, &w->errlen);
    assert_non_null(out);
    assert_non_null(err);
    Output o;
    memset(&o, 0, sizeof o);
    o.f = out;
    o.fmt = OUT_CSV;
    o.explain = pieces[0].explain;
    o.prog = pieces[0].prog;
    assert_true(output_begin(&o));
    for (size_t k = 0; k < n; k++) {
        ReportSet part = *set;
        part.reports += pieces[k].from;
        part.len = pieces[k].to - pieces[k].from;
        o.prog = pieces[k].prog;
        o.explain = pieces[k].explain;
        Batch b = {0};
        b.prog = pieces[k].prog;
        b.set = &part;
        b.out = &o;
        b.err = err;
        b.explain = pieces[k].explain;
        b.threads = threads;
        b.pool = pool;
        batch_run(&b);
        w->findings |= b.findings;
        w->report_errors |= b.report_errors;
        w->scored += b.by_interp + b.by_jit;
    }
    assert_true(output_end(&o));
    assert_int_equal(fclose(out), 0);
    assert_int_equal(fclose(err), 0);
}

static void assert_same(const Written *a, const Written *b)
{
    assert_int_equal(a->outlen, b->outlen);
    assert_memory_equal(a->out, b->out, a->outlen);
    assert_int_equal(a->errlen, b->errlen);
    if (a->errlen)
        assert_memory_equal(a->err, b->err, a->errlen);
    assert_int_equal(a->findings, b->findings);
    assert_int_equal(a->report_errors, b->report_errors);
    assert_int_equal(a->scored, b->scored);
}

static void written_free(Written *w)
{
    free(w->out);
    free(w->err);
}

/* The set cut into pieces of `size` reports, all scored by prog. */
static size_t cut(const ReportSet *set, const Program *prog, size_t size, Piece *pieces)
{
    size_t n = 0;
    for (size_t from = 0; from < set->len; from += size)
        pieces[n++] = (Piece){prog, from, from + size < set->len ? from + size : set->len, false};
    return n;
}

static void test_pool_writes_what_one_thread_writes(void **state)
{
    (void)state;
    Program *prog = load_rules("rules/dept-common.tally");
    ReportSet set;
    load_data(&set);
    Piece whole = {prog, 0, set.len, false};
    Written ref;
    run_pieces(&set, &whole, 1, 1, NULL, &ref);
    assert_true(ref.outlen > 1000);
    assert_true(ref.errlen > 0); /* the data has problems the rules find */
    assert_true(ref.findings);
    assert_int_equal(ref.scored, set.len);

    Piece *pieces = calloc(set.len + 1, sizeof *pieces);
    assert_non_null(pieces);
    static const char *const chunks[] = {"1", "2", "256"};
    for (size_t c = 0; c < sizeof chunks / sizeof *chunks; c++) {
        setenv("TALLY_BATCH_CHUNK", chunks[c], 1);
        for (int threads = 1; threads <= 3; threads++) {
            BatchPool *pool = batch_pool_start(threads);
            assert_int_equal(batch_pool_workers(pool), threads < 2 ? 0 : threads);
            for (size_t size = 1; size <= set.len; size = size * 2 + 1) {
                size_t n = cut(&set, prog, size, pieces);
                Written w;
                run_pieces(&set, pieces, n, threads, pool, &w); /* one pool for every batch */
                assert_same(&w, &ref);
                written_free(&w);
                run_pieces(&set, pieces, n, threads, NULL, &w); /* threads started per batch */
                assert_same(&w, &ref);
                written_free(&w);
            }
            batch_pool_stop(pool);
        }
    }
    unsetenv("TALLY_BATCH_CHUNK");
    free(pieces);
    written_free(&ref);
    reportset_free(&set);
    program_free(prog);
}

/* Batches that change the program or --explain through one pool: each is
 * scored with its own program and options (a kept scorer would score the
 * second program's batch with the first's rules). */
static void test_pool_changes_program_and_options(void **state)
{
    (void)state;
    Program *a = load_rules("rules/self-eval.tally");
    Program *b = load_rules("rules/dept-common.tally");
    ReportSet set;
    load_data(&set);
    size_t half = set.len / 2;
    Piece pieces[] = {
        {a, 0, half, false},
        {b, half, set.len, false},
        {a, 0, set.len, false},
        {b, 0, half, true},
        {b, half, set.len, false},
        {a, half, set.len, true},
    };
    size_t n = sizeof pieces / sizeof *pieces;
    Written ref, w;
    /* the reference: each piece scored alone on one thread, written in turn */
    run_pieces(&set, pieces, n, 1, NULL, &ref);
    setenv("TALLY_BATCH_CHUNK", "1", 1);
    for (int threads = 1; threads <= 3; threads++) {
        BatchPool *pool = batch_pool_start(threads);
        run_pieces(&set, pieces, n, threads, pool, &w);
        assert_same(&w, &ref);
        written_free(&w);
        batch_pool_stop(pool);
    }
    unsetenv("TALLY_BATCH_CHUNK");
    /* the programs do score differently: the test can tell them apart */
    Piece only_a[] = {{a, 0, set.len, false}}, only_b[] = {{b, 0, set.len, false}};
    Written wa, wb;
    run_pieces(&set, only_a, 1, 1, NULL, &wa);
    run_pieces(&set, only_b, 1, 1, NULL, &wb);
    assert_true(wa.outlen != wb.outlen || memcmp(wa.out, wb.out, wa.outlen) != 0);
    written_free(&wa);
    written_free(&wb);
    written_free(&ref);
    reportset_free(&set);
    program_free(a);
    program_free(b);
}

/* A pool stopped without a batch, or right after one, joins its workers. */
static void test_pool_stops(void **state)
{
    (void)state;
    for (int threads = 0; threads <= 4; threads++) {
        BatchPool *pool = batch_pool_start(threads);
        assert_int_equal(batch_pool_workers(pool), threads < 2 ? 0 : threads);
        batch_pool_stop(pool);
    }
    batch_pool_stop(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pool_writes_what_one_thread_writes),
        cmocka_unit_test(test_pool_changes_program_and_options),
        cmocka_unit_test(test_pool_stops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
