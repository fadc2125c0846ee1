/* main.c - the tally program: a thin layer over the library. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "parse.h"
#include "program.h"
#include "repl.h"
#include "report.h"
#include "jit.h"
#include "score.h"

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
    "                           auto: compiled code for 2000 reports or more (default auto);\n"
    "                           --explain always uses the interpreter\n"
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
    /* --engine jit compiles while the data loads; auto once it knows how
     * many reports there are.  --explain needs the interpreter. */
    JitBuild *build = NULL;
    if (strcmp(a.engine, "jit") == 0 && !a.explain)
        build = jit_start(prog, &a.jit);
    ReportSet set;
    reportset_init(&set);
    for (int i = 0; i < a.ndata; i++)
        reportset_load(&set, a.data[i], &a.load, &diags);
    if (strcmp(a.engine, "auto") == 0 && !a.explain && set.len >= JIT_AUTO_MIN_REPORTS)
        build = jit_start(prog, &a.jit);
    JitProgram *jit = NULL;
    if (build) {
        char *why = NULL;
        jit = jit_finish(build, &why);
        if (!jit)
            fprintf(stderr, "tally: warning: no compiled code (%s); scoring with the interpreter\n",
                    why);
        else if (getenv("TALLY_JIT_STATS"))
            fprintf(stderr, "tally: jit: %s %s: compile %.1f ms, load %.2f ms\n",
                    jit_info(jit)->cache_hit ? "cache hit" : "compiled", jit_info(jit)->path,
                    jit_info(jit)->compile_seconds * 1e3, jit_info(jit)->load_seconds * 1e3);
        free(why);
    }
    score_check_columns(prog, &set, &diags);
    diag_render_all(&diags, stderr, color_err);
    size_t input_errors = diags.errors;
    diag_clear(&diags);

    /* Results go to a temporary file beside -o FILE, renamed when complete. */
    FILE *out = stdout;
    char *tmp_path = NULL;
    if (a.out_path) {
        size_t n = strlen(a.out_path) + 32;
        tmp_path = malloc(n);
        snprintf(tmp_path, n, "%s.tmp.%ld", a.out_path, (long)getpid());
        out = fopen(tmp_path, "wb");
        if (!out) {
            fprintf(stderr, "tally: cannot write %s: %s\n", a.out_path, strerror(errno));
            reportset_free(&set);
            jit_free(jit);
            program_free(prog);
            diag_free(&diags);
            free(tmp_path);
            free(a.data);
            return EXIT_INTERNAL;
        }
        partial_output = tmp_path;
        partial_owner = getpid();
        atexit(remove_partial_output);
        signal(SIGINT, on_fatal_signal);
        signal(SIGTERM, on_fatal_signal);
        signal(SIGHUP, on_fatal_signal);
        signal(SIGPIPE, on_fatal_signal);
    }
    Output o = {0};
    o.f = out;
    o.fmt = a.format;
    o.explain = a.explain;
    o.color = a.format == OUT_TEXT && want_color(a.color, out);
    o.prog = prog;
    output_begin(&o);

    Arena arena;
    arena_init(&arena);
    Scorer sc;
    ScoreOptions so = {a.explain};
    scorer_init(&sc, prog, &so, &arena);
    scorer_set_jit(&sc, jit);
    bool findings = false, report_errors = false;
    for (size_t i = 0; i < set.len; i++) {
        ReportResult res;
        score_report(&sc, &set.reports[i], &res, &diags);
        diag_render_all(&diags, stderr, color_err);
        diag_clear(&diags);
        output_report(&o, &res);
        int worst = result_worst(&res);
        findings |= worst == DIAG_ERROR || worst == DIAG_WARNING;
        report_errors |= res.error != NULL;
        result_free(&res);
        arena_free(&arena);
        arena_init(&arena);
    }
    output_end(&o);
    scorer_free(&sc);
    arena_free(&arena);

    int status = input_errors || report_errors ? EXIT_INPUT : findings ? EXIT_FINDINGS : EXIT_CLEAN;
    if (a.out_path) {
        bool ok = fflush(out) == 0 && fsync(fileno(out)) == 0;
        ok = fclose(out) == 0 && ok;
        if (!ok || rename(tmp_path, a.out_path) != 0) {
            fprintf(stderr, "tally: cannot write %s: %s\n", a.out_path, strerror(errno));
            unlink(tmp_path);
            status = EXIT_INTERNAL;
        }
        partial_output = NULL;
    } else if (fflush(stdout) != 0) {
        fprintf(stderr, "tally: cannot write results: %s\n", strerror(errno));
        status = EXIT_INTERNAL;
    }
    free(tmp_path);
    reportset_free(&set);
    jit_free(jit);
    program_free(prog);
    diag_free(&diags);
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
