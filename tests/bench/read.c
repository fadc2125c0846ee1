/* read.c - how fast the data reader parses (issue 16: "parsing alone at
 * least 300 MB/s on one core for the long file").
 *
 *   tally-read-bench FILE [ROUNDS [THREADS]]
 *
 * A program, not a test: it streams FILE through reportset_stream() - the
 * window, the CSV reader, cells, labels, ids and the chunks that `tally
 * score` gets - on the calling thread, and throws every chunk away.  Per
 * round it prints the bytes, reports, rows and bad cells read, the CPU time
 * of the process and MB/s (10^6 bytes over that CPU time: on a shared
 * machine CPU time varies less than wall time); the last line is the best
 * round.  With THREADS of 2 or more, a long CSV is parsed by that many
 * threads (runtime/data/longsplit.c) and the wall time is printed as well:
 * MB/s of wall time is then what the threads parse together.  Nothing is
 * scored and nothing is written. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "lang/base/diag.h"
#include "runtime/data/report.h"

typedef struct Count {
    size_t reports, rows, bad, diags;
} Count;

static void count_chunk(Count *c, ReportSet *set, DiagList *diags)
{
    for (size_t i = 0; i < set->len; i++) {
        c->rows += set->reports[i].nrows;
        c->bad += set->reports[i].nbad;
    }
    c->reports += set->len;
    c->diags += diags->len;
}

static void sink_fn(void *ctx, ReportSet *set, DiagList *diags)
{
    count_chunk(ctx, set, diags);
    reportset_clear(set);
    diag_clear(diags);
}

static double wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: tally-read-bench FILE [ROUNDS [THREADS]]\n");
        return 2;
    }
    struct stat st;
    if (stat(argv[1], &st) != 0) {
        perror(argv[1]);
        return 2;
    }
    int rounds = argc >= 3 ? atoi(argv[2]) : 3;
    int threads = argc == 4 ? atoi(argv[3]) : 1;
    if (rounds < 1)
        rounds = 1;
    double mb = (double)st.st_size / 1e6, best = 0, best_wall = 0;
    for (int r = 0; r < rounds; r++) {
        ReportSet set;
        DiagList diags;
        Count c = {0};
        reportset_init(&set);
        diag_init(&diags);
        LoadOptions opt = {0};
        Arena keep;
        arena_init(&keep);
        LoadSink sink = {.fn = sink_fn, .ctx = &c, .keep = &keep, .parsers = threads};
        double t0 = cpu_seconds(), w0 = wall_seconds();
        bool ok = reportset_stream(&set, argv[1], &opt, &diags, &sink);
        double t = cpu_seconds() - t0, wall = wall_seconds() - w0;
        count_chunk(&c, &set, &diags);
        reportset_free(&set);
        diag_free(&diags);
        arena_free(&keep);
        if (!ok) {
            fprintf(stderr, "tally-read-bench: %s could not be read\n", argv[1]);
            return 1;
        }
        double rate = mb / t, wrate = mb / wall;
        if (rate > best)
            best = rate;
        if (wrate > best_wall)
            best_wall = wrate;
        printf("round %d: %.1f MB, %zu reports, %zu rows, %zu bad cells, %zu messages: "
               "%.3f s CPU, %.1f MB/s; %.3f s wall, %.1f MB/s\n",
               r + 1, mb, c.reports, c.rows, c.bad, c.diags, t, rate, wall, wrate);
    }
    printf("best: %.1f MB/s of CPU time, %.1f MB/s of wall time (%d thread%s)\n", best, best_wall,
           threads, threads == 1 ? "" : "s");
    return 0;
}
