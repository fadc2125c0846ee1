/* batch.h - score a batch of reports and write the results, on one thread
 * or on several.
 *
 * With one thread every report is scored, its diagnostics rendered and its
 * results written in turn, as they always were.  With N threads the reports
 * are cut into chunks of consecutive reports; N workers, each with its own
 * Scorer, arena and diagnostics, score and format whole chunks into memory,
 * and the calling thread writes the chunks strictly in report order - each
 * report's diagnostics, then its results, exactly as one thread writes them -
 * so the output is the same byte for byte whatever N is.  At most a few
 * chunks per worker are in flight, so memory stays bounded however many
 * reports there are.
 *
 * Tiering: the scorer may start with the interpreter and switch to compiled
 * code between chunks, once `poll` hands some over.  Both engines give the
 * same results bit for bit, so switching mid-run changes nothing visible.
 */
#ifndef TALLY_BATCH_H
#define TALLY_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "runtime/data/report.h"
#include "runtime/jit/jit.h"
#include "runtime/output/output.h"

/* Most chunks held at once per worker (being scored, or waiting to be written). */
#define BATCH_SLOTS_PER_WORKER 3
/* Most reports in a chunk; fewer for large rule files (batch.c). */
#define BATCH_CHUNK_MAX 256
/* The most worker threads a run uses. */
#define BATCH_MAX_THREADS 64

/* Asked on the writing thread between chunks while reports remain to be
 * scored: the compiled code to score with from now on (NULL: the
 * interpreter).  It clears *more when its answer will not change any more;
 * it is not asked again then.  Code it has handed out must stay loaded
 * until batch_run() returns (workers may still be using it). */
typedef const JitProgram *(*BatchPollFn)(void *ctx, bool *more);

typedef struct Batch {
    /* What to do. */
    const Program *prog;
    const ReportSet *set;
    Output *out;            /* output_begin() done; counters are updated */
    FILE *err;              /* each report's diagnostics */
    bool color_err;
    bool explain;
    int threads;            /* 1: all on the calling thread */
    const JitProgram *jit;  /* compiled code to start with, or NULL */
    BatchPollFn poll;       /* NULL, or asked between chunks which code to use */
    void *poll_ctx;
    /* What happened. */
    bool findings;          /* some report has a finding of severity error or warning */
    bool report_errors;     /* some report could not be scored */
    size_t by_jit;          /* reports scored with compiled code */
    size_t by_interp;       /* reports scored with the interpreter */
    size_t batch_scores;    /* indicator scores taken from batch kernels (columns) */
} Batch;

/* Score every report of b->set and write the results to b->out and the
 * diagnostics to b->err, in report order.  Exits with status 3 when memory
 * runs out (as xmalloc does). */
void batch_run(Batch *b);

#endif
