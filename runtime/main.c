/* main.c - the tally program: a thin layer over the library. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "grammar/parse.h"
#include "lang/program.h"
#include "repl.h"
#include "runtime/data/report.h"
#include "runtime/jit/jit.h"
#include "runtime/output/output.h"
#include "runtime/score/bind.h"
#include "runtime/score/score.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_INPUT = 2, EXIT_INTERNAL = 3 };

static const char usage[] =
    "usage: tally check RULES...\n"
    "       tally score RULES DATA... [options]\n"
    "       tally repl [RULES] [DATA...]\n"
    "       tally tokens RULES\n"
    "       tally --help | --version\n"
    "\n"
    "score options:\n"
    "  --format text|csv|json   output format (default text)\n"
    "  --explain                show, for each score, the formula, the values and the branch\n"
    "  --engine interp|jit|auto the reference interpreter, compiled code (libgccjit), or\n"
    "                           auto: for 2000 reports or more, the interpreter until\n"
    "                           compiled code is ready (default auto); --explain always\n"
    "                           uses the interpreter\n"
    "  --jit-cache DIR          keep compiled code in DIR (default $XDG_CACHE_HOME/tally)\n"
    "  --no-jit-cache           compile afresh and keep nothing\n"
    "  --dump-jit DIR           write the generated code and shared object to DIR (implies\n"
    "                           --engine jit)\n"
    "  --encoding NAME          data files are in NAME (GB18030, GBK); default UTF-8\n"
    "  --data-format wide|long|json   override detection of the data layout\n"
    "  -o FILE                  write results to FILE (atomically) instead of stdout\n"
    "  --color auto|always|never      colour on a terminal (NO_COLOR turns it off)\n"
    "\n"
    "DATA may be - for standard input.\n"
    "\n"
    "environment: TALLY_THREADS=N threads for large batches (the output is the same);\n"
    "TALLY_JIT_TIMEOUT=S stop a compile after S seconds (600); TALLY_JIT_STATS=1 says\n"
    "which compiled code was used and how long it took (docs/performance.md).\n"
    "\n"
    "exit status: 0 clean; 1 findings were reported; 2 a rule file or data file had\n"
    "errors; 3 internal failure (out of memory, cannot write output).\n";

static bool want_color(const char *mode, FILE *f)
{
    if (mode && strcmp(mode, "always") == 0)
        return true;
    if (mode && strcmp(mode, "never") == 0)
        return false;
    const char *nc = getenv("NO_COLOR");
    return !(nc && *nc) && isatty(fileno(f));
}

static int cmd_check(int argc, char **argv)
{
    if (argc < 1) {
        fputs(usage, stderr);
        return EXIT_INPUT;
    }
    int status = EXIT_CLEAN;
    bool color = want_color(NULL, stderr);
    for (int i = 0; i < argc; i++) {
        DiagList diags;
        diag_init(&diags);
        Program *p = program_load(argv[i], &diags);
        diag_render_all(&diags, stderr, color);
        if (!p)
            status = EXIT_INPUT;
        else if (diags.warnings && status == EXIT_CLEAN)
            status = EXIT_FINDINGS;
        if (p)
            fprintf(stderr, "%s: ok (%d indicator%s, %d group%s, %d check%s)\n", argv[i],
                    p->nindicators, p->nindicators == 1 ? "" : "s", p->ngroups,
                    p->ngroups == 1 ? "" : "s", p->nchecks, p->nchecks == 1 ? "" : "s");
        program_free(p);
        diag_free(&diags);
    }
    return status;
}

static int cmd_tokens(int argc, char **argv)
{
    if (argc != 1) {
        fputs(usage, stderr);
        return EXIT_INPUT;
    }
    FILE *f = fopen(argv[0], "rb");
    if (!f) {
        fprintf(stderr, "%s: cannot open: %s\n", argv[0], strerror(errno));
        return EXIT_INPUT;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    int c;
    while ((c = fgetc(f)) != EOF)
        fputc(c, mem);
    fclose(mem);
    fclose(f);
    Source src = {argv[0], buf, len, 1};
    parse_dump_tokens(&src, stdout);
    free(buf);
    return EXIT_CLEAN;
}

/* The temporary file of -o FILE while it is being written: removed if the run
 * is interrupted or exits early (out of memory), so that only complete
 * results ever appear, and only under FILE's own name. */
static const char *volatile partial_output;
static pid_t partial_owner; /* a forked child never removes its parent's file */

static void remove_partial_output(void)
{
    if (partial_output && getpid() == partial_owner)
        unlink(partial_output);
}

static void on_fatal_signal(int sig)
{
    remove_partial_output();
    signal(sig, SIG_DFL);
    raise(sig);
}

typedef struct ScoreArgs {
    const char *rules;
    const char **data;
    int ndata;
    OutFormat format;
    bool explain;
    const char *out_path;
    const char *color;
    LoadOptions load;
    const char *engine;      /* "interp", "jit" or "auto" */
    JitOptions jit;
} ScoreArgs;

static bool parse_score_args(int argc, char **argv, ScoreArgs *a)
{
    memset(a, 0, sizeof *a);
    a->data = calloc((size_t)argc + 1, sizeof(char *));
    a->engine = "auto";
    a->jit.opt_level = getenv("TALLY_JIT_OPT") ? atoi(getenv("TALLY_JIT_OPT")) : -1;
    a->jit.untyped = getenv("TALLY_JIT_UNTYPED") != NULL;
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(s, "--explain") == 0) {
            a->explain = true;
        } else if (strcmp(s, "--format") == 0 && val) {
            i++;
            if (strcmp(val, "text") == 0) a->format = OUT_TEXT;
            else if (strcmp(val, "csv") == 0) a->format = OUT_CSV;
            else if (strcmp(val, "json") == 0) a->format = OUT_JSON;
            else {
                fprintf(stderr, "tally: --format is text, csv or json, not '%s'\n", val);
                return false;
            }
        } else if (strcmp(s, "--engine") == 0 && val) {
            i++;
            if (strcmp(val, "interp") && strcmp(val, "jit") && strcmp(val, "auto")) {
                fprintf(stderr, "tally: --engine is interp, jit or auto, not '%s'\n", val);
                return false;
            }
            a->engine = val;
        } else if (strcmp(s, "--jit-cache") == 0 && val) {
            a->jit.cache_dir = argv[++i];
        } else if (strcmp(s, "--no-jit-cache") == 0) {
            a->jit.no_cache = true;
        } else if (strcmp(s, "--dump-jit") == 0 && val) {
            a->jit.dump_dir = argv[++i];
        } else if (strcmp(s, "--encoding") == 0 && val) {
            a->load.encoding = argv[++i];
        } else if (strcmp(s, "--data-format") == 0 && val) {
            i++;
            if (strcmp(val, "wide") == 0) a->load.format = DATA_CSV_WIDE;
            else if (strcmp(val, "long") == 0) a->load.format = DATA_CSV_LONG;
            else if (strcmp(val, "json") == 0) a->load.format = DATA_JSON;
            else {
                fprintf(stderr, "tally: --data-format is wide, long or json, not '%s'\n", val);
                return false;
            }
        } else if (strcmp(s, "-o") == 0 && val) {
            a->out_path = argv[++i];
        } else if (strcmp(s, "--color") == 0 && val) {
            a->color = argv[++i];
        } else if (s[0] == '-' && s[1] != 0) {
            fprintf(stderr, "tally: unknown option '%s' (or it needs a value)\n", s);
            return false;
        } else if (!a->rules) {
            a->rules = s;
        } else {
            a->data[a->ndata++] = s;
        }
    }
    if (a->jit.dump_dir)
        a->engine = "jit";
    if (!a->rules || a->ndata == 0) {
        fprintf(stderr, "tally: score needs %s\n%s", a->rules ? "a data file (or - for standard input)"
                                                              : "a rule file and a data file", usage);
        return false;
    }
    return true;
}

/* Compiled code ------------------------------------------------------------------ */

/* --engine auto starts compiling before it reads the data when the data
 * files add up to this many bytes: unless a report takes more than 4 KB (a
 * wide CSV line takes a few hundred bytes, a report's own indicator table
 * 1-4 KB), that is JIT_AUTO_MIN_REPORTS reports or more.  Smaller data, and
 * standard input, start the compile once the reports are counted. */
#define AUTO_EARLY_BYTES ((long long)JIT_AUTO_MIN_REPORTS * 4096)

/* The compiled code of a run: a compile under way, or its result, and the
 * messages about it (one warning when there is none; TALLY_JIT_STATS). */
typedef struct Engine {
    JitBuild *build;     /* a compile under way, or NULL */
    JitProgram *jit;     /* compiled code, once loaded */
    JitProgram *retired; /* tier 1, replaced by tier 2 (workers may still be using it) */
    int tier;            /* of `build` while there is one, else of `jit` */
    bool tier2_tried;    /* tier 2 was compiled (or failed) in this run */
    double started;      /* when the compile started */
    bool stats;          /* TALLY_JIT_STATS is set */
    const Program *prog;
    JitOptions opt;      /* tier 1's options, from the command line */
    size_t nreports;     /* known after loading */
} Engine;

/* Tiers: the interpreter scores at once (--engine auto); tier 1 is compiled
 * at -O1 in the background (quick to compile, as fast as gcc -O2); a run of
 * at least TIER2_MIN_REPORTS reports then compiles tier 2 in the background,
 * at -O3 for this CPU's extensions, and switches to it when it is ready.
 * Both are cached; a run looks for tier 2 in the cache first.  Only with
 * the default options (no TALLY_JIT_OPT, --dump-jit or --no-jit-cache). */
#define TIER2_MIN_REPORTS 100000

static bool tiered(const JitOptions *o)
{
    return o->opt_level < 0 && !o->untyped && !o->no_cache && !o->dump_dir;
}

static JitOptions tier2_options(const JitOptions *o)
{
    JitOptions t = *o;
    t.opt_level = 3;
    t.native = true;
    return t;
}

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void engine_print(const Engine *e, const JitProgram *jp)
{
    if (e->stats)
        fprintf(stderr, "tally: jit: tier %d %s %s: compile %.1f ms, load %.2f ms\n", e->tier,
                jit_info(jp)->cache_hit ? "cache hit" : "compiled", jit_info(jp)->path,
                jit_info(jp)->compile_seconds * 1e3, jit_info(jp)->load_seconds * 1e3);
}

static void engine_start(Engine *e, const Program *prog, const JitOptions *opt)
{
    e->prog = prog;
    e->opt = *opt;
    if (tiered(opt)) {
        /* tier 2 from an earlier run, if the cache has it */
        JitOptions t2 = tier2_options(opt);
        t2.cache_only = true;
        char *why = NULL;
        JitProgram *jp = jit_finish(jit_start(prog, &t2), &why);
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
    e->build = jit_start(prog, opt);
}

/* Tier 1 runs: for a long run, compile tier 2 in the background. */
static void engine_tier_up(Engine *e)
{
    if (e->tier != 1 || !e->jit || e->build || e->tier2_tried || !tiered(&e->opt) ||
        e->nreports < TIER2_MIN_REPORTS)
        return;
    e->tier2_tried = true;
    JitOptions t2 = tier2_options(&e->opt);
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
        if (e->stats)
            fprintf(stderr, "tally: jit: no tier %d (%s); tier 1 goes on\n", e->tier, why);
        e->tier = 1;
    } else if (!jp) {
        fprintf(stderr, "tally: warning: no compiled code (%s); scoring with the interpreter\n", why);
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

/* --engine auto, between chunks (a BatchPollFn): the compiled code if it is
 * ready by now, else NULL (the interpreter). */
static const JitProgram *engine_poll(void *ctx, bool *more)
{
    Engine *e = ctx;
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

/* Stop a compile that is no longer wanted (kill the child, remove its file). */
static void engine_abandon(Engine *e, const char *reason)
{
    if (!e->build)
        return;
    if (e->stats)
        fprintf(stderr, "tally: jit: compile abandoned after %.1f ms (%s)\n",
                (seconds_now() - e->started) * 1e3, reason);
    jit_abandon(e->build);
    e->build = NULL;
}

static void engine_free(Engine *e)
{
    jit_abandon(e->build);
    jit_free(e->jit);
    jit_free(e->retired);
}

/* The bytes of the data files that are regular files (not standard input). */
static long long data_bytes(const ScoreArgs *a)
{
    long long total = 0;
    struct stat sb;
    for (int i = 0; i < a->ndata; i++)
        if (strcmp(a->data[i], "-") != 0 && stat(a->data[i], &sb) == 0 && S_ISREG(sb.st_mode))
            total += (long long)sb.st_size;
    return total;
}

/* --engine jit compiles while the data loads; auto too when the data is
 * large, else once it knows there are enough reports.  --explain needs the
 * interpreter. */
static bool compiles_early(const ScoreArgs *a)
{
    if (a->explain)
        return false;
    if (strcmp(a->engine, "jit") == 0)
        return true;
    return strcmp(a->engine, "auto") == 0 && data_bytes(a) >= AUTO_EARLY_BYTES;
}

/* After loading: decide about compiled code for `nreports` reports. */
static void engine_after_load(Engine *e, const ScoreArgs *a, const Program *prog, size_t nreports)
{
    if (a->explain || strcmp(a->engine, "interp") == 0)
        return;
    e->nreports = nreports;
    if (strcmp(a->engine, "jit") == 0) {
        engine_wait(e);
        engine_tier_up(e);
        return;
    }
    if (nreports < JIT_AUTO_MIN_REPORTS) {
        engine_abandon(e, "too few reports");
        return;
    }
    if (!e->build && !e->jit)
        engine_start(e, prog, &a->jit);
    bool more;
    engine_poll(e, &more); /* a cache hit, or a failure known at once */
}

/* Threads -------------------------------------------------------------------------- */

/* Score on several threads from this many reports on (with 2 CPUs or more). */
#define THREADS_MIN_REPORTS 2000

/* How many threads score n reports: TALLY_THREADS if set, else one per
 * online CPU for a large batch. */
static int score_threads(size_t n)
{
    const char *s = getenv("TALLY_THREADS");
    if (s && *s) {
        char *end;
        errno = 0;
        long k = strtol(s, &end, 10);
        if (!*end && errno == 0 && k >= 1 && k <= BATCH_MAX_THREADS)
            return (int)k;
        fprintf(stderr, "tally: warning: TALLY_THREADS is a number from 1 to %d, not '%s'; ignored\n",
                BATCH_MAX_THREADS, s);
    }
    if (n < THREADS_MIN_REPORTS)
        return 1;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    return cpus < 2 ? 1 : cpus > BATCH_MAX_THREADS ? BATCH_MAX_THREADS : (int)cpus;
}

/* Results ------------------------------------------------------------------------- */

/* Where results go: standard output, or a temporary file beside -o FILE,
 * renamed when complete.  NULL (with a message) if it cannot be created. */
static FILE *open_results(const ScoreArgs *a, char **tmp_path)
{
    *tmp_path = NULL;
    if (!a->out_path)
        return stdout;
    size_t n = strlen(a->out_path) + 32;
    *tmp_path = malloc(n);
    if (!*tmp_path) {
        fputs("tally: out of memory\n", stderr);
        return NULL;
    }
    snprintf(*tmp_path, n, "%s.tmp.%ld", a->out_path, (long)getpid());
    FILE *out = fopen(*tmp_path, "wb");
    if (!out) {
        fprintf(stderr, "tally: cannot write %s: %s\n", a->out_path, strerror(errno));
        return NULL;
    }
    partial_output = *tmp_path;
    partial_owner = getpid();
    atexit(remove_partial_output);
    signal(SIGINT, on_fatal_signal);
    signal(SIGTERM, on_fatal_signal);
    signal(SIGHUP, on_fatal_signal);
    signal(SIGPIPE, on_fatal_signal);
    return out;
}

/* Complete the results: flush, and rename -o's temporary file into place.
 * Returns status, or EXIT_INTERNAL if they could not be written. */
static int close_results(const ScoreArgs *a, FILE *out, const char *tmp_path, int status)
{
    if (a->out_path) {
        bool ok = fflush(out) == 0 && !ferror(out) && fsync(fileno(out)) == 0;
        ok = fclose(out) == 0 && ok;
        if (!ok || rename(tmp_path, a->out_path) != 0) {
            fprintf(stderr, "tally: cannot write %s: %s\n", a->out_path, strerror(errno));
            unlink(tmp_path);
            status = EXIT_INTERNAL;
        }
        partial_output = NULL;
    } else if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "tally: cannot write results: %s\n", strerror(errno));
        status = EXIT_INTERNAL;
    }
    return status;
}

/* Score every report and write the results; the exit status of the reports. */
static int score_all(const ScoreArgs *a, const Program *prog, const ReportSet *set, Engine *e,
                     FILE *out, bool color_err)
{
    Output o = {0};
    o.f = out;
    o.fmt = a->format;
    o.explain = a->explain;
    o.color = a->format == OUT_TEXT && want_color(a->color, out);
    o.prog = prog;
    output_begin(&o);
    Batch b = {0};
    b.prog = prog;
    b.set = set;
    b.out = &o;
    b.err = stderr;
    b.color_err = color_err;
    b.explain = a->explain;
    b.threads = score_threads(set->len);
    b.jit = e->jit;
    if (e->build) {
        b.poll = engine_poll;
        b.poll_ctx = e;
    }
    double t0 = seconds_now();
    batch_run(&b);
    output_end(&o);
    double took = seconds_now() - t0;
    engine_abandon(e, "the run ended first");
    if (e->stats)
        fprintf(stderr, "tally: jit: %zu report%s scored with compiled code, %zu with the interpreter "
                        "(%d thread%s, %.2f s); %zu indicator score%s from batch kernels\n",
                b.by_jit, b.by_jit == 1 ? "" : "s", b.by_interp, b.threads, b.threads == 1 ? "" : "s",
                took, b.batch_scores, b.batch_scores == 1 ? "" : "s");
    return b.report_errors ? EXIT_INPUT : b.findings ? EXIT_FINDINGS : EXIT_CLEAN;
}

static int cmd_score(int argc, char **argv)
{
    ScoreArgs a;
    if (!parse_score_args(argc, argv, &a)) {
        free(a.data);
        return EXIT_INPUT;
    }
    bool color_err = want_color(a.color, stderr);
    DiagList diags;
    diag_init(&diags);
    Program *prog = program_load(a.rules, &diags);
    if (!prog) {
        diag_render_all(&diags, stderr, color_err);
        diag_free(&diags);
        free(a.data);
        return EXIT_INPUT;
    }
    Engine engine = {.stats = getenv("TALLY_JIT_STATS") != NULL};
    if (compiles_early(&a))
        engine_start(&engine, prog, &a.jit);
    ReportSet set;
    reportset_init(&set);
    for (int i = 0; i < a.ndata; i++)
        reportset_load(&set, a.data[i], &a.load, &diags);
    engine_after_load(&engine, &a, prog, set.len);
    bind_check_columns(prog, &set, &diags);
    diag_render_all(&diags, stderr, color_err);
    size_t input_errors = diags.errors;
    diag_free(&diags);

    char *tmp_path;
    FILE *out = open_results(&a, &tmp_path);
    int status = EXIT_INTERNAL;
    if (out) {
        status = score_all(&a, prog, &set, &engine, out, color_err);
        if (input_errors)
            status = EXIT_INPUT;
        status = close_results(&a, out, tmp_path, status);
    }
    free(tmp_path);
    reportset_free(&set);
    engine_free(&engine);
    program_free(prog);
    free(a.data);
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_INPUT : EXIT_CLEAN;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("tally %s\n", TALLY_VERSION);
        return EXIT_CLEAN;
    }
    if (strcmp(argv[1], "check") == 0)
        return cmd_check(argc - 2, argv + 2);
    if (strcmp(argv[1], "score") == 0)
        return cmd_score(argc - 2, argv + 2);
    if (strcmp(argv[1], "repl") == 0)
        return repl_main(argc - 2, argv + 2);
    if (strcmp(argv[1], "tokens") == 0)
        return cmd_tokens(argc - 2, argv + 2);
    fprintf(stderr, "tally: unknown command '%s'\n%s", argv[1], usage);
    return EXIT_INPUT;
}
