/* batch.c - scoring and writing a batch of reports on one thread or several
 * (batch.h).
 *
 * Threads: the reports are cut into chunks; chunk c goes into slot
 * c % nslots.  A worker may claim chunk c only once chunk c - nslots has
 * been written (its slot is free again), so at most nslots chunks exist at
 * once however fast the workers are.  The calling thread waits for chunk
 * 0, writes it, frees its slot, waits for chunk 1, and so on.  All that the
 * threads share - the claim counter, the written counter, each slot's
 * `done` flag and the compiled code to use - is read and written under one
 * mutex; a slot's buffers belong to its worker until `done` is set and to
 * the writer after.
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
 * diagnostics, and what it has seen. */
typedef struct Lane {
    const Batch *b;
    Arena arena;
    Scorer sc;
    DiagList diags;
    bool findings, report_errors;
    size_t by_jit, by_interp;
    size_t ahead_begin, ahead_end; /* reports the scorer has scored ahead (scorer_batch) */
} Lane;

/* l must not move afterwards: the scorer points at l->arena. */
static void lane_init(Lane *l, const Batch *b, const JitProgram *jit)
{
    memset(l, 0, sizeof *l);
    l->b = b;
    arena_init(&l->arena);
    diag_init(&l->diags);
    ScoreOptions so = {.explain = b->explain, .no_messages = !output_prints_messages(b->out)};
    scorer_init(&l->sc, b->prog, &so, &l->arena);
    scorer_set_jit(&l->sc, jit);
}

static void lane_use_jit(Lane *l, const JitProgram *jit)
{
    if (l->sc.jit != jit) {
        scorer_set_jit(&l->sc, jit);
        l->ahead_begin = l->ahead_end = 0;
    }
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

/* Merge what l has seen into b and free it. */
static void lane_finish(Lane *l, Batch *b)
{
    b->findings |= l->findings;
    b->report_errors |= l->report_errors;
    b->by_jit += l->by_jit;
    b->by_interp += l->by_interp;
    b->batch_scores += l->sc.batch_scores;
    b->jit_scores += l->sc.jit_scores;
    scorer_free(&l->sc);
    arena_free(&l->arena);
    diag_free(&l->diags);
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

/* Everything on the calling thread, straight to the streams; asking which
 * code to use once per chunk. */
static void run_alone(Batch *b, size_t chunk)
{
    Lane l;
    lane_init(&l, b, b->engine ? engine_code(b->engine) : NULL);
    bool polling = b->engine && engine_compiling(b->engine);
    for (size_t i = 0; i < b->set->len; i++) {
        if (polling && i > 0 && i % chunk == 0)
            lane_use_jit(&l, engine_poll(b->engine, &polling));
        size_t end = polling ? (i / chunk + 1) * chunk : b->set->len;
        lane_ahead(&l, i, end < b->set->len ? end : b->set->len);
        lane_report(&l, i, b->out, b->err);
    }
    lane_finish(&l, b);
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
} Slot;

typedef struct Pool {
    Batch *b;
    Output proto;            /* b->out's settings as they were at the start */
    size_t chunk, nchunks, nslots;
    Slot *slots;
    pthread_mutex_t mu;
    pthread_cond_t space;    /* a slot was freed */
    pthread_cond_t ready;    /* a chunk is done */
    size_t next;             /* the next chunk to claim */
    size_t written;          /* chunks written */
    const JitProgram *jit;   /* compiled code for chunks claimed from now on */
    bool polling;            /* the writer still asks the engine (writer only) */
    TlLang lang;             /* the language of the thread that started the batch */
} Pool;

typedef struct Worker {
    Pool *pool;
    Lane lane;
    pthread_t thread;
} Worker;

/* A memory stream's length so far (its bytes flushed into *len). */
static size_t stream_pos(FILE *f, const size_t *len)
{
    if (fflush(f) != 0)
        batch_out_of_memory();
    return *len;
}

/* Score chunk c and format it into slot s (which the caller owns). */
static void format_chunk(Pool *p, Lane *l, size_t c, Slot *s)
{
    size_t first = c * p->chunk, end = first + p->chunk;
    if (end > p->b->set->len)
        end = p->b->set->len;
    s->out = s->err = NULL;
    s->outlen = s->errlen = 0;
    FILE *out = memstream_open(&s->out, &s->outlen);
    FILE *err = memstream_open(&s->err, &s->errlen);
    /* The output's own count: reports written before this batch come first. */
    output_part(&p->proto, out, p->proto.count + first, &s->part);
    for (size_t i = first; i < end; i++) {
        lane_ahead(l, i, end);
        lane_report(l, i, &s->part, err);
        s->err_end[i - first] = stream_pos(err, &s->errlen);
        s->out_end[i - first] = stream_pos(out, &s->outlen);
    }
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
    Pool *p = w->pool;
    l10n_set_lang(p->lang); /* messages in the caller's language (lang/base/l10n.h) */
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (p->next < p->nchunks && p->next >= p->written + p->nslots)
            pthread_cond_wait(&p->space, &p->mu);
        if (p->next >= p->nchunks) {
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
        size_t c = p->next++;
        const JitProgram *jit = p->jit;
        Slot *s = &p->slots[c % p->nslots];
        s->chunk = c;
        pthread_mutex_unlock(&p->mu);

        lane_use_jit(&w->lane, jit);
        format_chunk(p, &w->lane, c, s);

        pthread_mutex_lock(&p->mu);
        s->done = true;
        pthread_cond_broadcast(&p->ready);
        pthread_mutex_unlock(&p->mu);
    }
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
static void write_all(Pool *p)
{
    for (size_t c = 0; c < p->nchunks; c++) {
        Slot *s = &p->slots[c % p->nslots];
        pthread_mutex_lock(&p->mu);
        while (!(s->done && s->chunk == c))
            pthread_cond_wait(&p->ready, &p->mu);
        bool unclaimed = p->next < p->nchunks;
        pthread_mutex_unlock(&p->mu);

        write_chunk(p->b, s);
        output_join(p->b->out, &s->part);
        free(s->out);
        free(s->err);
        const JitProgram *jit = p->jit; /* only this thread writes it */
        if (p->polling && unclaimed)
            jit = engine_poll(p->b->engine, &p->polling);

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

/* Start up to n workers; how many started. */
static int start_workers(Pool *p, Worker *w, int n)
{
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    set_stack(&attr);
    int started = 0;
    for (; started < n; started++) {
        w[started].pool = p;
        lane_init(&w[started].lane, p->b, p->jit);
        if (pthread_create(&w[started].thread, &attr, worker_main, &w[started]) != 0) {
            lane_finish(&w[started].lane, p->b);
            break;
        }
    }
    pthread_attr_destroy(&attr);
    return started;
}

static void run_threads(Batch *b, size_t chunk, size_t nchunks)
{
    Pool p;
    memset(&p, 0, sizeof p);
    p.b = b;
    p.lang = l10n_lang();
    p.proto = *b->out;
    p.chunk = chunk;
    p.nchunks = nchunks;
    p.nslots = (size_t)b->threads * BATCH_SLOTS_PER_WORKER;
    p.slots = xcalloc(p.nslots, sizeof *p.slots);
    p.jit = b->engine ? engine_code(b->engine) : NULL;
    p.polling = b->engine && engine_compiling(b->engine);
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.space, NULL);
    pthread_cond_init(&p.ready, NULL);
    Worker *w = xcalloc((size_t)b->threads, sizeof *w);
    int n = start_workers(&p, w, b->threads);
    if (n > 0)
        write_all(&p);
    for (int i = 0; i < n; i++) {
        pthread_join(w[i].thread, NULL);
        lane_finish(&w[i].lane, b);
    }
    pthread_cond_destroy(&p.ready);
    pthread_cond_destroy(&p.space);
    pthread_mutex_destroy(&p.mu);
    free(w);
    free(p.slots);
    if (n == 0) /* no thread could be started: do it all here */
        run_alone(b, chunk);
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
    if (b->threads <= 1)
        run_alone(b, chunk);
    else
        run_threads(b, chunk, nchunks);
}
