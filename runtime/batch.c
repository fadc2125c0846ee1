/* batch.c - scoring and writing a batch of reports on one thread or several
 * (batch.h).
 *
 * Threads: the reports are cut into chunks; chunk c goes into slot
 * c % nslots.  A worker may claim chunk c only once chunk c - nslots has
 * been written (its slot is free again), so at most nslots chunks exist at
 * once however fast the workers are.  The calling thread waits for chunk
 * 0, writes it, frees its slot, waits for chunk 1, and so on.  All that the
 * threads share - the batch being scored, the claim counter, the written
 * counter, each slot's `done` flag and the compiled code to use - is read
 * and written under one mutex; a slot's buffers belong to its worker until
 * `done` is set and to the writer after.
 *
 * The workers belong to a pool that outlives the batch: between batches
 * they wait for the next one (or for the pool to stop), each with its lane
 * - scorer, arena, diagnostics - kept from batch to batch.  A batch is over
 * once its last chunk is written; no worker looks at it after that.
 */
#include "batch.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "lang/base/l10n.h"
#include "lang/base/memstream.h"
#include "runtime/score/score.h"

/* About this many indicator rows per chunk (BATCH_CHUNK_MAX reports of 25
 * indicators): a chunk of a 2,500-indicator rule file holds 2 reports, so a
 * chunk's formatted text stays around a megabyte whatever the rules. */
#define BATCH_CHUNK_ROWS (BATCH_CHUNK_MAX * 25)
/* Workers' stacks: at least this, or the main thread's limit if larger
 * (the interpreter recurses, up to EVAL_MAX_NESTING levels). */
#define BATCH_MIN_STACK ((size_t)16 << 20)
#define BATCH_MAX_STACK ((size_t)256 << 20)

/* A memory stream that could not grow: out of memory, as xmalloc says it
 * (exit status 3, the partial results never renamed into place). */
static _Noreturn void batch_out_of_memory(void)
{
    xalloc_failed();
}

/* One thread's scoring: its scorer, the arena a report's results live in
 * (reset after each report, keeping a block for the next), its
 * diagnostics, and what it has seen in the chunk it scores.  A lane lives
 * as long as its pool: it is bound to each batch in turn and keeps its
 * scorer while the batches share a program and options. */
typedef struct Lane {
    const Batch *b;
    unsigned long serial;     /* the batch it is bound to (BatchPool.serial); 0: none yet */
    bool ready;               /* sc is initialised */
    const Program *prog;      /* what sc was made for */
    bool explain, no_messages;
    Arena arena;
    Scorer sc;
    DiagList diags;
    bool findings, report_errors;
    size_t by_jit, by_interp;
    size_t ahead_begin, ahead_end; /* reports the scorer has scored ahead (scorer_batch) */
} Lane;

/* l must not move afterwards: the scorer points at l->arena. */
static void lane_init(Lane *l)
{
    memset(l, 0, sizeof *l);
    arena_init(&l->arena);
    diag_init(&l->diags);
}

static void lane_use_jit(Lane *l, const JitProgram *jit)
{
    if (l->sc.jit != jit) {
        scorer_set_jit(&l->sc, jit);
        l->ahead_begin = l->ahead_end = 0;
    }
}

/* Bind l to batch b (the pool's serial-th): its scorer is kept when b has
 * the same program and options as the batch before, else made anew.  What
 * the scorer scored ahead belongs to the last batch's reports (whose memory
 * the next set may reuse at the same addresses): always dropped. */
static void lane_bind(Lane *l, const Batch *b, unsigned long serial, const JitProgram *jit)
{
    if (l->serial == serial && l->ready) {
        lane_use_jit(l, jit);
        return;
    }
    bool no_messages = !output_prints_messages(b->out);
    if (l->ready && (l->prog != b->prog || l->explain != b->explain || l->no_messages != no_messages)) {
        scorer_free(&l->sc);
        l->ready = false;
    }
    if (!l->ready) {
        ScoreOptions so = {.explain = b->explain, .no_messages = no_messages};
        scorer_init(&l->sc, b->prog, &so, &l->arena);
        scorer_set_jit(&l->sc, jit);
        l->ready = true;
        l->prog = b->prog;
        l->explain = b->explain;
        l->no_messages = no_messages;
    }
    l->b = b;
    l->serial = serial;
    l->ahead_begin = l->ahead_end = 0;
    lane_use_jit(l, jit);
}

/* Before report i of reports [.., end): have the scorer score the next
 * ones ahead, column by column, when it has not yet. */
static void lane_ahead(Lane *l, size_t i, size_t end)
{
    if (i >= l->ahead_begin && i < l->ahead_end)
        return;
    l->ahead_begin = i;
    l->ahead_end = i + scorer_batch(&l->sc, &l->b->set->reports[i], end - i);
}

/* What a lane saw while scoring some reports, added into a batch. */
typedef struct Seen {
    bool findings, report_errors;
    size_t by_jit, by_interp, batch_scores, jit_scores;
} Seen;

/* Start counting what l sees from here. */
static void lane_count_from(Lane *l, Seen *base)
{
    l->findings = l->report_errors = false;
    l->by_jit = l->by_interp = 0;
    base->batch_scores = l->sc.batch_scores;
    base->jit_scores = l->sc.jit_scores;
}

/* What l saw since lane_count_from(l, base). */
static Seen lane_seen(const Lane *l, const Seen *base)
{
    return (Seen){l->findings, l->report_errors, l->by_jit, l->by_interp,
                  l->sc.batch_scores - base->batch_scores, l->sc.jit_scores - base->jit_scores};
}

static void seen_add(Batch *b, const Seen *s)
{
    b->findings |= s->findings;
    b->report_errors |= s->report_errors;
    b->by_jit += s->by_jit;
    b->by_interp += s->by_interp;
    b->batch_scores += s->batch_scores;
    b->jit_scores += s->jit_scores;
}

static void lane_free(Lane *l)
{
    if (l->ready)
        scorer_free(&l->sc);
    arena_free(&l->arena);
    diag_free(&l->diags);
    l->ready = false;
}

/* Score report i; render its diagnostics to err, then its results through o. */
static void lane_report(Lane *l, size_t i, Output *o, FILE *err)
{
    ReportResult res;
    score_report(&l->sc, &l->b->set->reports[i], &res, &l->diags);
    diag_render_all(&l->diags, err, l->b->color_err);
    diag_clear(&l->diags);
    output_report(o, &res);
    int worst = result_worst(&res);
    l->findings |= worst == DIAG_ERROR || worst == DIAG_WARNING;
    l->report_errors |= res.error != NULL;
    if (l->sc.jit && !l->b->explain)
        l->by_jit++;
    else
        l->by_interp++;
    result_free(&res);
    arena_reset(&l->arena);
}

/* Reports per chunk: BATCH_CHUNK_ROWS over the indicators a report has
 * (the rule file's, plus its own table's rows on average). */
static size_t chunk_size(const Batch *b)
{
    const char *fixed = getenv("TALLY_BATCH_CHUNK"); /* tests: many chunks from a few reports */
    if (fixed && atoi(fixed) >= 1 && atoi(fixed) <= BATCH_CHUNK_MAX)
        return (size_t)atoi(fixed);
    size_t rows = 0, n = b->set->len;
    for (size_t i = 0; i < n; i++)
        rows += b->set->reports[i].nrows;
    size_t per = (size_t)b->prog->nindicators + 1 + (n ? rows / n : 0);
    size_t k = BATCH_CHUNK_ROWS / per;
    return k < 1 ? 1 : k > BATCH_CHUNK_MAX ? BATCH_CHUNK_MAX : k;
}

/* One thread -------------------------------------------------------------------- */

/* Everything on the calling thread, straight to the streams, with lane l
 * (bound to b as the serial-th batch); asking which code to use once per
 * chunk. */
static void run_alone(Batch *b, size_t chunk, Lane *l, unsigned long serial)
{
    lane_bind(l, b, serial, b->engine ? engine_code(b->engine) : NULL);
    Seen base;
    lane_count_from(l, &base);
    bool polling = b->engine && engine_compiling(b->engine);
    for (size_t i = 0; i < b->set->len; i++) {
        if (polling && i > 0 && i % chunk == 0)
            lane_use_jit(l, engine_poll(b->engine, &polling));
        size_t end = polling ? (i / chunk + 1) * chunk : b->set->len;
        lane_ahead(l, i, end < b->set->len ? end : b->set->len);
        lane_report(l, i, b->out, b->err);
    }
    Seen seen = lane_seen(l, &base);
    seen_add(b, &seen);
}

/* Threads -------------------------------------------------------------------------- */

typedef struct Slot {
    size_t chunk;            /* the chunk it holds */
    bool done;               /* scored and formatted, waiting to be written */
    size_t n;                /* its reports */
    char *out, *err;         /* their results and diagnostics */
    size_t outlen, errlen;
    size_t out_end[BATCH_CHUNK_MAX]; /* where each report's results end in out */
    size_t err_end[BATCH_CHUNK_MAX]; /* where its diagnostics end in err */
    Output part;             /* the counters of its reports */
    Seen seen;               /* what its reports' scoring saw */
} Slot;

typedef struct Worker {
    BatchPool *pool;
    Lane lane;
    pthread_t thread;
} Worker;

/* The workers of a run and the batch they score.  The workers wait for a
 * chunk to claim: one of the current batch's, once its slot is free. */
struct BatchPool {
    int nworkers;            /* threads started; 0: the caller's thread alone */
    Worker *w;
    Lane alone;              /* the caller's lane, for batches scored on its thread */
    size_t nslots;
    Slot *slots;
    TlLang lang;             /* the language of the thread that started the pool */
    pthread_mutex_t mu;
    pthread_cond_t space;    /* a slot was freed, a batch posted, or stop */
    pthread_cond_t ready;    /* a chunk is done */
    bool stop;
    /* the batch being scored, under mu */
    unsigned long serial;    /* batches posted so far */
    Batch *b;
    Output proto;            /* b->out's settings as they were at the start */
    size_t chunk, nchunks;
    size_t next;             /* the next chunk to claim */
    size_t written;          /* chunks written */
    const JitProgram *jit;   /* compiled code for chunks claimed from now on */
    bool polling;            /* the writer still asks the engine (writer only) */
};

/* A memory stream's length so far (its bytes flushed into *len). */
static size_t stream_pos(FILE *f, const size_t *len)
{
    if (fflush(f) != 0)
        batch_out_of_memory();
    return *len;
}

/* Score chunk c and format it into slot s (which the caller owns). */
static void format_chunk(BatchPool *p, Lane *l, size_t c, Slot *s)
{
    const Batch *b = l->b;
    size_t first = c * p->chunk, end = first + p->chunk;
    if (end > b->set->len)
        end = b->set->len;
    s->out = s->err = NULL;
    s->outlen = s->errlen = 0;
    FILE *out = memstream_open(&s->out, &s->outlen);
    FILE *err = memstream_open(&s->err, &s->errlen);
    /* The output's own count: reports written before this batch come first. */
    output_part(&p->proto, out, p->proto.count + first, &s->part);
    Seen base;
    lane_count_from(l, &base);
    for (size_t i = first; i < end; i++) {
        lane_ahead(l, i, end);
        lane_report(l, i, &s->part, err);
        s->err_end[i - first] = stream_pos(err, &s->errlen);
        s->out_end[i - first] = stream_pos(out, &s->outlen);
    }
    s->seen = lane_seen(l, &base);
    s->n = end - first;
    /* memstream.h: a stream that cannot grow ends the run; any other
     * failure is still one */
    bool ok = fflush(out) == 0 && !ferror(out) && fflush(err) == 0 && !ferror(err);
    ok = fclose(out) == 0 && ok;
    if (fclose(err) != 0 || !ok)
        batch_out_of_memory();
}

static void *worker_main(void *arg)
{
    Worker *w = arg;
    BatchPool *p = w->pool;
    l10n_set_lang(p->lang); /* messages in the caller's language (lang/base/l10n.h) */
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && !(p->next < p->nchunks && p->next < p->written + p->nslots))
            pthread_cond_wait(&p->space, &p->mu);
        if (p->stop)
            break;
        size_t c = p->next++;
        const JitProgram *jit = p->jit;
        unsigned long serial = p->serial;
        const Batch *b = p->b;
        Slot *s = &p->slots[c % p->nslots];
        s->chunk = c;
        pthread_mutex_unlock(&p->mu);

        lane_bind(&w->lane, b, serial, jit);
        format_chunk(p, &w->lane, c, s);

        pthread_mutex_lock(&p->mu);
        s->done = true;
        pthread_cond_broadcast(&p->ready);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void put(const char *s, size_t n, FILE *f)
{
    if (n)
        fwrite(s, 1, n, f);
}

/* Write a chunk as one thread would have: per report, its diagnostics,
 * then its results. */
static void write_chunk(const Batch *b, const Slot *s)
{
    if (s->errlen == 0) {
        put(s->out, s->outlen, b->out->f);
        return;
    }
    size_t o = 0, e = 0;
    for (size_t k = 0; k < s->n; k++) {
        put(s->err + e, s->err_end[k] - e, b->err);
        put(s->out + o, s->out_end[k] - o, b->out->f);
        e = s->err_end[k];
        o = s->out_end[k];
    }
}

/* The writer: every chunk in order; between chunks, while chunks remain to
 * be claimed, ask which code to score them with. */
static void write_all(BatchPool *p)
{
    Batch *b = p->b; /* only this thread changes it */
    for (size_t c = 0; c < p->nchunks; c++) {
        Slot *s = &p->slots[c % p->nslots];
        pthread_mutex_lock(&p->mu);
        while (!(s->done && s->chunk == c))
            pthread_cond_wait(&p->ready, &p->mu);
        bool unclaimed = p->next < p->nchunks;
        pthread_mutex_unlock(&p->mu);

        write_chunk(b, s);
        output_join(b->out, &s->part);
        seen_add(b, &s->seen);
        free(s->out);
        free(s->err);
        const JitProgram *jit = p->jit; /* only this thread writes it */
        if (p->polling && unclaimed)
            jit = engine_poll(b->engine, &p->polling);

        pthread_mutex_lock(&p->mu);
        s->done = false;
        p->written++;
        p->jit = jit;
        pthread_cond_broadcast(&p->space);
        pthread_mutex_unlock(&p->mu);
    }
}

static void set_stack(pthread_attr_t *attr)
{
    struct rlimit rl;
    size_t size = BATCH_MIN_STACK;
    if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur > size)
        size = rl.rlim_cur < BATCH_MAX_STACK ? (size_t)rl.rlim_cur : BATCH_MAX_STACK;
    pthread_attr_setstacksize(attr, size);
}

BatchPool *batch_pool_start(int threads)
{
    BatchPool *p = xcalloc(1, sizeof *p);
    p->lang = l10n_lang();
    lane_init(&p->alone);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->space, NULL);
    pthread_cond_init(&p->ready, NULL);
    if (threads > BATCH_MAX_THREADS)
        threads = BATCH_MAX_THREADS;
    if (threads < 2)
        return p;
    p->nslots = (size_t)threads * BATCH_SLOTS_PER_WORKER;
    p->slots = xcalloc(p->nslots, sizeof *p->slots);
    p->w = xcalloc((size_t)threads, sizeof *p->w);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    set_stack(&attr);
    for (; p->nworkers < threads; p->nworkers++) {
        Worker *w = &p->w[p->nworkers];
        w->pool = p;
        lane_init(&w->lane);
        if (pthread_create(&w->thread, &attr, worker_main, w) != 0)
            break;
    }
    pthread_attr_destroy(&attr);
    return p;
}

int batch_pool_workers(const BatchPool *p)
{
    return p->nworkers;
}

void batch_pool_stop(BatchPool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_broadcast(&p->space);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->nworkers; i++) {
        pthread_join(p->w[i].thread, NULL);
        lane_free(&p->w[i].lane);
    }
    lane_free(&p->alone);
    pthread_cond_destroy(&p->ready);
    pthread_cond_destroy(&p->space);
    pthread_mutex_destroy(&p->mu);
    free(p->w);
    free(p->slots);
    free(p);
}

/* b's chunks scored by p's workers and written here, in order. */
static void run_threads(Batch *b, BatchPool *p, size_t chunk, size_t nchunks)
{
    pthread_mutex_lock(&p->mu);
    p->serial++;
    p->b = b;
    p->proto = *b->out;
    p->chunk = chunk;
    p->nchunks = nchunks;
    p->next = p->written = 0;
    p->jit = b->engine ? engine_code(b->engine) : NULL;
    p->polling = b->engine && engine_compiling(b->engine);
    pthread_cond_broadcast(&p->space);
    pthread_mutex_unlock(&p->mu);
    write_all(p);
    /* every chunk written: no worker touches b any more */
    pthread_mutex_lock(&p->mu);
    p->b = NULL;
    p->nchunks = p->next = p->written = 0;
    pthread_mutex_unlock(&p->mu);
}

int batch_env_threads(const char *name)
{
    const char *s = getenv(name);
    if (!s || !*s)
        return 0;
    char *end;
    errno = 0;
    long k = strtol(s, &end, 10);
    return !*end && errno == 0 && k >= 1 && k <= BATCH_MAX_THREADS ? (int)k : -1;
}

int batch_threads(size_t n)
{
    int k = batch_env_threads("TALLY_THREADS");
    if (k > 0)
        return k;
    if (k < 0)
        diag_printf(stderr, _("tally: warning: TALLY_THREADS is a number from 1 to %d, not '%s'; ignored\n"),
                    BATCH_MAX_THREADS, getenv("TALLY_THREADS"));
    if (n < BATCH_THREADS_MIN_REPORTS)
        return 1;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    return cpus < 2 ? 1 : cpus > BATCH_MAX_THREADS ? BATCH_MAX_THREADS : (int)cpus;
}

void batch_run(Batch *b)
{
    b->findings = b->report_errors = false;
    b->by_jit = b->by_interp = b->batch_scores = b->jit_scores = 0;
    size_t chunk = chunk_size(b);
    size_t nchunks = (b->set->len + chunk - 1) / chunk;
    if (b->threads > BATCH_MAX_THREADS)
        b->threads = BATCH_MAX_THREADS;
    if ((size_t)b->threads > nchunks || output_serial(b->out))
        b->threads = output_serial(b->out) ? 1 : (int)nchunks;
    BatchPool *p = b->pool;
    if (!p)
        p = batch_pool_start(b->threads);
    if (b->threads > 1 && p->nworkers > 0) {
        run_threads(b, p, chunk, nchunks);
    } else {
        pthread_mutex_lock(&p->mu);
        unsigned long serial = ++p->serial;
        pthread_mutex_unlock(&p->mu);
        run_alone(b, chunk, &p->alone, serial);
    }
    if (p != b->pool)
        batch_pool_stop(p);
}
