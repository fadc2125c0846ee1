/* engine.c - the engine choice and tiering (engine.h). */
#include "engine.h"
#include "lang/base/l10n.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* --engine auto starts compiling before it reads the data when the data
 * files add up to this many bytes: unless a report takes more than 4 KB (a
 * wide CSV line takes a few hundred bytes, a report's own indicator table
 * 1-4 KB), that is ENGINE_AUTO_MIN_REPORTS reports or more.  Smaller data, and
 * standard input, start the compile once the reports are counted. */
#define AUTO_EARLY_BYTES ((long long)ENGINE_AUTO_MIN_REPORTS * 4096)

/* A run of this many reports compiles tier 2 once tier 1 runs. */
#define TIER2_MIN_REPORTS 100000

void engine_options_default(EngineOptions *o)
{
    memset(o, 0, sizeof *o);
    o->kind = ENGINE_AUTO;
    o->jit.opt_level = getenv("TALLY_JIT_OPT") ? atoi(getenv("TALLY_JIT_OPT")) : -1;
    o->jit.untyped = getenv("TALLY_JIT_UNTYPED") != NULL;
    o->stats = getenv("TALLY_JIT_STATS") != NULL;
    o->messages = stderr;
}

bool engine_kind_parse(const char *name, EngineKind *kind)
{
    static const struct {
        const char *name;
        EngineKind kind;
    } kinds[] = {{"interp", ENGINE_INTERP}, {"jit", ENGINE_JIT}, {"auto", ENGINE_AUTO}};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(name, kinds[i].name) == 0) {
            *kind = kinds[i].kind;
            return true;
        }
    return false;
}

/* Tiers apply with the default options only. */
static bool tiered(const JitOptions *o)
{
    return o->opt_level < 0 && !o->untyped && !o->no_cache && !o->dump_dir;
}

/* Tier 2: -O3 for this CPU's extensions. */
static JitOptions tier2_options(const JitOptions *o)
{
    JitOptions t = *o;
    t.opt_level = 3;
    t.native = true;
    return t;
}

/* Seconds on the monotonic clock. */
static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* TALLY_JIT_STATS: which compiled code, and what it cost. */
static void engine_print(const Engine *e, const JitProgram *jp)
{
    if (e->opt.stats && e->opt.messages)
        diag_printf(e->opt.messages, _("tally: jit: tier %d %s %s: compile %.1f ms, load %.2f ms\n"), e->tier,
                jit_info(jp)->cache_hit ? "cache hit" : "compiled", jit_info(jp)->path,
                jit_info(jp)->compile_seconds * 1e3, jit_info(jp)->load_seconds * 1e3);
}

void engine_init(Engine *e, const Program *prog, const EngineOptions *opt)
{
    memset(e, 0, sizeof *e);
    e->opt = *opt;
    e->prog = prog;
}

/* Start compiling tier 1 - unless tier 2 of an earlier run is in the cache. */
static void engine_start(Engine *e)
{
    if (tiered(&e->opt.jit)) {
        JitOptions t2 = tier2_options(&e->opt.jit);
        t2.cache_only = true;
        char *why = NULL;
        JitProgram *jp = jit_finish(jit_start(e->prog, &t2), &why);
        free(why);
        if (jp) {
            e->jit = jp;
            e->tier = 2;
            engine_print(e, jp);
            return;
        }
    }
    e->tier = 1;
    e->started = seconds_now();
    e->build = jit_start(e->prog, &e->opt.jit);
}

/* Tier 1 runs: for a long run, compile tier 2 in the background. */
static void engine_tier_up(Engine *e)
{
    if (e->tier != 1 || !e->jit || e->build || e->tier2_tried || !tiered(&e->opt.jit) ||
        e->nreports < TIER2_MIN_REPORTS)
        return;
    e->tier2_tried = true;
    JitOptions t2 = tier2_options(&e->opt.jit);
    e->tier = 2;
    e->started = seconds_now();
    e->build = jit_start(e->prog, &t2);
}

/* The compile is over: keep its code, or say once why there is none. */
static void engine_settle(Engine *e, JitProgram *jp, char *why)
{
    e->build = NULL;
    if (!jp && e->jit) {
        /* tier 2 failed: tier 1 goes on (said only with TALLY_JIT_STATS) */
        if (e->opt.stats && e->opt.messages)
            diag_printf(e->opt.messages, _("tally: jit: no tier %d (%s); tier 1 goes on\n"), e->tier, why);
        e->tier = 1;
    } else if (!jp) {
        if (e->opt.messages)
            diag_printf(e->opt.messages, _("tally: warning: no compiled code (%s); scoring with the interpreter\n"),
                    why);
        free(e->failure);
        e->failure = why;
        why = NULL;
    } else {
        e->retired = e->jit;
        e->jit = jp;
        engine_print(e, jp);
    }
    free(why);
    engine_tier_up(e);
}

/* --engine jit: wait for the compile. */
static void engine_wait(Engine *e)
{
    if (!e->build)
        return;
    char *why = NULL;
    JitProgram *jp = jit_finish(e->build, &why);
    engine_settle(e, jp, why);
}

/* Stop a compile that is no longer wanted (kill the child, remove its file). */
static void engine_abandon(Engine *e, const char *reason)
{
    if (!e->build)
        return;
    if (e->opt.stats && e->opt.messages)
        diag_printf(e->opt.messages, _("tally: jit: compile abandoned after %.1f ms (%s)\n"),
                (seconds_now() - e->started) * 1e3, reason);
    jit_abandon(e->build);
    e->build = NULL;
}

void engine_before_load(Engine *e, long long data_bytes)
{
    if (e->opt.explain || e->build || e->jit)
        return;
    if (e->opt.kind == ENGINE_JIT || (e->opt.kind == ENGINE_AUTO && data_bytes >= AUTO_EARLY_BYTES))
        engine_start(e);
}

void engine_after_load(Engine *e, size_t nreports)
{
    if (e->opt.explain || e->opt.kind == ENGINE_INTERP)
        return;
    e->nreports = nreports;
    if (e->opt.kind == ENGINE_JIT) {
        engine_wait(e);
        engine_tier_up(e);
        return;
    }
    if (nreports < ENGINE_AUTO_MIN_REPORTS) {
        engine_abandon(e, "too few reports");
        return;
    }
    if (!e->build && !e->jit)
        engine_start(e);
    bool more;
    engine_poll(e, &more); /* a cache hit, or a failure known at once */
}

void engine_more_reports(Engine *e, size_t nreports)
{
    if (e->opt.explain || e->opt.kind == ENGINE_INTERP || nreports <= e->nreports)
        return;
    e->nreports = nreports;
    engine_tier_up(e);
}

const JitProgram *engine_code(const Engine *e)
{
    return e->jit;
}

bool engine_compiling(const Engine *e)
{
    return e->build != NULL;
}

const JitProgram *engine_poll(Engine *e, bool *more)
{
    if (e->build) {
        bool done;
        char *why = NULL;
        JitProgram *jp = jit_poll(e->build, &done, &why);
        if (done)
            engine_settle(e, jp, why);
    }
    *more = e->build != NULL;
    return e->jit;
}

void engine_end_run(Engine *e)
{
    engine_abandon(e, "the run ended first");
}

const char *engine_failure(const Engine *e)
{
    return e->failure;
}

void engine_free(Engine *e)
{
    jit_abandon(e->build);
    jit_free(e->jit);
    jit_free(e->retired);
    free(e->failure);
    memset(e, 0, sizeof *e);
}
