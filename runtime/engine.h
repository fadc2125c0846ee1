/* engine.h - which engine scores: the reference interpreter, compiled code
 * (the JIT), or auto; and when compiled code takes over from the
 * interpreter.  One choice for every host: `tally score`, the public API
 * (tally_rules_use_jit) and the REPL (:time).
 *
 *   interp  the interpreter only.
 *   jit     compile (or find in the compile cache) before scoring, and wait.
 *   auto    for 2000 reports or more (ENGINE_AUTO_MIN_REPORTS): compile in the
 *           background and score with the interpreter until compiled code is
 *           ready; fewer reports never compile.
 *
 * Tiers: tier 1 is compiled at -O1 (quick to compile, as fast as gcc -O2);
 * a run of at least 100,000 reports then compiles tier 2 in the background,
 * at -O3 for this CPU's extensions, and switches to it when it is ready.
 * Both are cached, and a run looks for tier 2 in the cache first.  Only
 * with the default options (no TALLY_JIT_OPT, --dump-jit or
 * --no-jit-cache).  --explain always uses the interpreter.  Both engines
 * give the same results, bit for bit: switching changes nothing visible.
 * docs/performance.md.
 */
#ifndef TALLY_ENGINE_H
#define TALLY_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "lang/program.h"
#include "runtime/jit/jit.h"

/* --engine auto compiles when a run scores at least this many reports. */
#define ENGINE_AUTO_MIN_REPORTS 2000

typedef enum EngineKind { ENGINE_INTERP, ENGINE_JIT, ENGINE_AUTO } EngineKind;

typedef struct EngineOptions {
    EngineKind kind;         /* --engine */
    JitOptions jit;          /* tier 1's: --jit-cache, --no-jit-cache, --dump-jit, TALLY_JIT_OPT... */
    bool explain;            /* --explain: the interpreter, whatever `kind` says */
    bool stats;              /* TALLY_JIT_STATS: say which compiled code was used, and how fast */
    FILE *messages;          /* the warning when there is no compiled code, and the stats; NULL: none */
} EngineOptions;

/* What `tally score` starts from: auto; TALLY_JIT_OPT, TALLY_JIT_UNTYPED
 * and TALLY_JIT_STATS from the environment; messages to standard error. */
void engine_options_default(EngineOptions *o);
/* "interp", "jit" or "auto" into *kind; false for anything else. */
bool engine_kind_parse(const char *name, EngineKind *kind);

/* The engine of one program: a compile under way, or its result. */
typedef struct Engine {
    EngineOptions opt;
    const Program *prog;
    JitBuild *build;         /* a compile under way, or NULL */
    JitProgram *jit;         /* compiled code, once loaded */
    JitProgram *retired;     /* tier 1, replaced by tier 2 (workers may still be using it) */
    int tier;                /* of `build` while there is one, else of `jit` */
    bool tier2_tried;        /* tier 2 was compiled (or failed) in this run */
    double started;          /* when the compile started */
    size_t nreports;         /* known after loading */
    char *failure;           /* why there is no compiled code, or NULL */
} Engine;

void engine_init(Engine *e, const Program *prog, const EngineOptions *opt);
void engine_free(Engine *e);
/* Before the data is read (data_bytes: the size of the data files that are
 * regular files): jit starts compiling, so that compiling and reading
 * overlap; so does auto for data of 8 MB or more (engine.c AUTO_EARLY_BYTES). */
void engine_before_load(Engine *e, long long data_bytes);
/* After nreports reports are read: jit waits for compiled code; auto
 * starts compiling (or takes a cache hit) for enough reports, and gives a
 * compile up for too few. */
void engine_after_load(Engine *e, size_t nreports);
/* Streaming: nreports of this program's reports read so far (more may
 * come): a run that reaches the second tier's size compiles it then. */
void engine_more_reports(Engine *e, size_t nreports);
/* The compiled code to score with now, or NULL: the interpreter. */
const JitProgram *engine_code(const Engine *e);
/* Is a compile under way, so that engine_poll() may hand over code later? */
bool engine_compiling(const Engine *e);
/* Between chunks of a batch: the compiled code to score with from now on
 * (NULL: the interpreter), taking over a compile that has finished,
 * without waiting; clears *more once the answer cannot change.  Code handed
 * out stays loaded until engine_free(). */
const JitProgram *engine_poll(Engine *e, bool *more);
/* The run is over: stop a compile that is no longer wanted (kill the
 * child, remove its file). */
void engine_end_run(Engine *e);
/* Why there is no compiled code (a failed compile), or NULL. */
const char *engine_failure(const Engine *e);

#endif
