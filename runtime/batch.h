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
 * reports there are.  An output that must be written on one thread (the
 * workbook: output_serial) is scored and written on the calling thread.
 *
 * A run of many batches (a streamed file: one batch per chunk read) keeps
 * one pool of workers for all of them (batch_pool_start): the threads are
 * started once, and each keeps its scorer and arena warm from batch to
 * batch while the program and options stay the same.
 *
 * Tiering: the scorer may start with the interpreter and switch to compiled
 * code between chunks, once the engine (engine.h) hands some over.  Both
 * engines give the same results bit for bit, so switching mid-run changes
 * nothing visible.
 */
#ifndef TALLY_BATCH_H
#define TALLY_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "engine.h"
#include "runtime/data/report.h"
#include "runtime/output/output.h"

/* Most chunks held at once per worker (being scored, or waiting to be written). */
#define BATCH_SLOTS_PER_WORKER 3
/* Most reports in a chunk; fewer for large rule files (batch.c). */
#define BATCH_CHUNK_MAX 256
/* The most worker threads a run uses. */
#define BATCH_MAX_THREADS 64
/* A batch this large is scored on several threads (with 2 CPUs or more). */
#define BATCH_THREADS_MIN_REPORTS 2000

/* Scoring threads that live across batches (batch.c). */
typedef struct BatchPool BatchPool;

typedef struct Batch {
    /* What to do. */
    const Program *prog;
    const ReportSet *set;
    Output *out;            /* output_begin() done; counters are updated */
    FILE *err;              /* each report's diagnostics */
    bool color_err;
    bool explain;
    int threads;            /* 1: all on the calling thread (batch_threads) */
    Engine *engine;         /* which code scores, asked between chunks while it
                             * compiles (engine_poll); NULL: the interpreter */
    BatchPool *pool;        /* the run's workers (batch_pool_start); NULL: threads
                             * started for this batch alone */
    /* What happened. */
    bool findings;          /* some report has a finding of severity error or warning */
    bool report_errors;     /* some report could not be scored */
    size_t by_jit;          /* reports scored with compiled code */
    size_t by_interp;       /* reports scored with the interpreter */
    size_t batch_scores;    /* indicator scores taken from batch kernels (columns) */
    size_t jit_scores;      /* indicator and row scores compiled code was asked for */
} Batch;

/* How many threads score n reports: TALLY_THREADS if set (a warning on
 * stderr when it is not a number from 1 to BATCH_MAX_THREADS), else one per
 * online CPU for a large batch. */
int batch_threads(size_t n);
/* The number of threads the environment variable `name` asks for: 1 to
 * BATCH_MAX_THREADS; 0 when it is unset or empty; -1 when it is anything
 * else (the caller says so). */
int batch_env_threads(const char *name);
/* Score every report of b->set and write the results to b->out and the
 * diagnostics to b->err, in report order.  Exits with status 3 when memory
 * runs out (as xmalloc does). */
void batch_run(Batch *b);

/* Start the workers for a run of batches on `threads` threads (below 2:
 * none; the batches are scored on the calling thread, with one scorer kept
 * for all of them).  Fewer start when the system refuses a thread
 * (batch_pool_workers); with none, every batch is scored on the calling
 * thread, as with one.  Stop it, from the thread that started it, once no
 * batch_run is using it: the workers are joined and everything freed. */
BatchPool *batch_pool_start(int threads);
int batch_pool_workers(const BatchPool *pool);
void batch_pool_stop(BatchPool *pool);

#endif
