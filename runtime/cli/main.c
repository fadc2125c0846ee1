/* main.c - the tally program: its arguments, -o FILE and its exit statuses
 * over the library (the engine, the batch, the output: runtime/). */
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "grammar/parse.h"
#include "lang/base/l10n.h"
#include "lang/base/cleanup.h"
#include "lang/base/memstream.h"
#include "lang/base/outfile.h"
#include "lang/program.h"
#include "diff.h"
#include "repl.h"
#include "test.h"
#include "runtime/batch.h"
#include "runtime/data/report.h"
#include "runtime/engine.h"
#include "runtime/forms.h"
#include "runtime/output/output.h"
#include "runtime/score/bind.h"
#include "runtime/score/score.h"
#include "runtime/versions.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_INPUT = 2, EXIT_INTERNAL = 3 };

static const char usage[] = N_(
    "usage: tally check RULES...|DIR\n"
    "       tally score RULES|DIR DATA... [options]\n"
    "       tally test RULES...|DIR [--coverage] [--engine interp|both] [--verbose]\n"
    "       tally diff RULES_A|DIR RULES_B|DIR DATA... [--format text|csv|json]\n"
    "       tally repl [RULES] [DATA...] [--encoding NAME] [--keep-going]\n"
    "       tally import FILE... [-o DIR] [--rules RULES] [--encoding NAME]\n"
    "       tally tokens RULES\n"
    "       tally --help | --version\n"
    "\n"
    "every command: --lang zh|en   messages in Chinese or English (default: the locale's,\n"
    "                              LANGUAGE, LC_ALL, LC_MESSAGES, LANG; zh_* is Chinese)\n"
    "\n"
    "score options:\n"
    "  --format text|csv|json|xlsx|html   output format (default text); xlsx and html\n"
    "                           open with a summary of the batch\n"
    "  --summary                the batch summary (grades, totals, gaps, findings) instead\n"
    "                           of each report (text, csv, json)\n"
    "  --totals                 one line per report instead of its rows: its totals, grades\n"
    "                           and the number and codes of its findings (text, csv, json)\n"
    "  --bom                    CSV for Excel: a UTF-8 byte-order mark first\n"
    "  --output-encoding NAME   write text or CSV in NAME (GB18030) instead of UTF-8\n"
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
    "  --year YEAR              the year of reports that state none (a folder DIR of\n"
    "                           versions chooses each report's version by its year)\n"
    "  -o FILE                  write results to FILE (atomically) instead of stdout\n"
    "  --memory-limit SIZE      fail cleanly (exit 3) past SIZE bytes of memory: 512M, 4G\n"
    "  --color auto|always|never      colour on a terminal (NO_COLOR turns it off)\n"
    "\n"
    "DATA may be - for standard input.  DATA may be a form as published: xlsx, xls,\n"
    "docx, an HTML page or a CSV saved from Excel (docs/data.md, \"Forms\").\n"
    "\n"
    "import writes what each FILE was read as, in Tally's own files: DIR/FILE.csv (the\n"
    "long CSV of its table) and DIR/FILE.figures.csv (the wide CSV of its figures);\n"
    "without -o both go to standard output.  --rules reads with that rule file's forms.\n"
    "\n"
    "environment: TALLY_THREADS=N threads for large batches (the output is the same);\n"
    "TALLY_PARSE_THREADS=N threads that parse a long CSV (docs/performance.md);\n"
    "COLUMNS=N lays text out to N columns (0: no limit; default the terminal's, or 100);\n"
    "TALLY_LOCALEDIR=DIR where the Chinese catalogue is (DIR/zh_CN/LC_MESSAGES/tally.mo);\n"
    "TALLY_JIT_TIMEOUT=S stop a compile after S seconds (600); TALLY_JIT_STATS=1 says\n"
    "which compiled code was used and how long it took (docs/performance.md);\n"
    "TALLY_MEMORY_LIMIT=SIZE as --memory-limit, for every command (docs/errors.md).\n"
    "\n"
    "exit status: 0 clean; 1 findings were reported (test: a test failed; diff:\n"
    "something moved); 2 a rule file or data file had errors; 3 internal failure\n"
    "(out of memory, cannot write output).\n");

static bool want_color(const char *mode, FILE *f)
{
    if (mode && strcmp(mode, "always") == 0)
        return true;
    if (mode && strcmp(mode, "never") == 0)
        return false;
    const char *nc = getenv("NO_COLOR");
    return !(nc && *nc) && isatty(fileno(f));
}

/* The columns the text output is laid out to: $COLUMNS when it is a number
 * (0: no limit), else the terminal's when f is one, else 100. */
static int text_width_for(FILE *f)
{
    const char *c = getenv("COLUMNS");
    if (c && *c) {
        char *end;
        long n = strtol(c, &end, 10);
        if (*end == '\0' && n >= 0)
            return n == 0 ? 0 : n < 40 ? 40 : n > 1000 ? 1000 : (int)n;
    }
    struct winsize ws;
    if (isatty(fileno(f)) && ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col < 40 ? 40 : ws.ws_col;
    return 100;
}

/* One rule file checked: its diagnostics and its "ok" line; the program
 * (NULL on errors) and the file's status. */
static Program *check_one(const char *path, bool color, int *status)
{
    DiagList diags;
    diag_init(&diags);
    Program *p = program_load(path, &diags);
    diag_render_all(&diags, stderr, color);
    *status = !p ? EXIT_INPUT : diags.warnings ? EXIT_FINDINGS : EXIT_CLEAN;
    if (p && p->ntests)
        diag_printf(stderr, _("%s: ok (%d indicator%s, %d group%s, %d check%s, %d test%s)\n"), path, p->nindicators,
                p->nindicators == 1 ? "" : "s", p->ngroups, p->ngroups == 1 ? "" : "s", p->nchecks,
                p->nchecks == 1 ? "" : "s", p->ntests, p->ntests == 1 ? "" : "s");
    else if (p)
        diag_printf(stderr, _("%s: ok (%d indicator%s, %d group%s, %d check%s)\n"), path, p->nindicators,
                p->nindicators == 1 ? "" : "s", p->ngroups, p->ngroups == 1 ? "" : "s", p->nchecks,
                p->nchecks == 1 ? "" : "s");
    diag_free(&diags);
    return p;
}

/* A folder: every rule file in it (tests too), and its versions (the files
 * that state `applies`, tests aside) must not share a year. */
static int check_folder(const char *dir, bool color)
{
    PtrVec files = {0};
    versions_files(dir, true, &files);
    if (!files.len) {
        diag_printf(stderr, _("%s: error: no rule file (*.tally) in this folder\n"), dir);
        ptrvec_free(&files);
        return EXIT_INPUT;
    }
    int status = EXIT_CLEAN;
    PtrVec versions = {0}, names = {0};
    for (size_t i = 0; i < files.len; i++) {
        int st;
        Program *p = check_one(files.items[i], color, &st);
        if (st > status)
            status = st;
        size_t n = strlen(files.items[i]);
        bool test = n >= 11 && strcmp((char *)files.items[i] + n - 11, "_test.tally") == 0;
        if (p && p->applies && !test) {
            ptrvec_push(&versions, p);
            ptrvec_push(&names, files.items[i]);
        } else {
            program_free(p);
        }
    }
    if (versions.len) {
        DiagList diags;
        diag_init(&diags);
        if (!versions_disjoint((Program *const *)versions.items, (char *const *)names.items,
                               (int)versions.len, &diags))
            status = EXIT_INPUT;
        diag_render_all(&diags, stderr, color);
        diag_free(&diags);
        if (status != EXIT_INPUT) {
            Policy pol = {0};
            pol.folder = true;
            pol.path = (char *)dir;
            pol.versions = (Program **)versions.items;
            pol.names = (char **)names.items;
            pol.nversions = (int)versions.len;
            Arena a;
            arena_init(&a);
            diag_printf(stderr, _("%s: %d version%s: %s\n"), dir, pol.nversions, pol.nversions == 1 ? "" : "s",
                    policy_describe(&pol, &a));
            arena_free(&a);
        }
    }
    for (size_t i = 0; i < versions.len; i++)
        program_free(versions.items[i]);
    for (size_t i = 0; i < files.len; i++)
        free(files.items[i]);
    ptrvec_free(&versions);
    ptrvec_free(&names);
    ptrvec_free(&files);
    return status;
}

static int cmd_check(int argc, char **argv)
{
    if (argc < 1) {
        fputs(_(usage), stderr);
        return EXIT_INPUT;
    }
    int status = EXIT_CLEAN;
    bool color = want_color(NULL, stderr);
    for (int i = 0; i < argc; i++) {
        DiagList diags;
        diag_init(&diags);
        struct stat sb;
        if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
            int st = check_folder(argv[i], color);
            if (st > status)
                status = st;
            diag_free(&diags);
            continue;
        }
        int st;
        program_free(check_one(argv[i], color, &st));
        if (st > status)
            status = st;
        diag_free(&diags);
    }
    return status;
}

static int cmd_tokens(int argc, char **argv)
{
    if (argc != 1) {
        fputs(_(usage), stderr);
        return EXIT_INPUT;
    }
    FILE *f = fopen(argv[0], "rb");
    if (!f) {
        diag_printf(stderr, _("%s: cannot open: %s\n"), argv[0], strerror(errno));
        return EXIT_INPUT;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = memstream_open(&buf, &len);
    int c;
    while ((c = fgetc(f)) != EOF)
        fputc(c, mem);
    fclose(mem);
    fclose(f);
    Source src = {.name = argv[0], .text = buf, .len = len, .first_line = 1};
    parse_dump_tokens(&src, stdout);
    free(buf);
    return EXIT_CLEAN;
}

/* The memory limit ------------------------------------------------------------ */

/* "512M", "4G", "1048576": bytes (K, M, G, T are powers of 1024). */
static bool parse_size(const char *s, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || errno || *s == '-')
        return false;
    int shift = 0;
    switch (*end) {
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    case 't': case 'T': shift = 40; end++; break;
    default: break;
    }
    if (shift && (*end == 'i' || *end == 'I'))
        end++;
    if (*end == 'b' || *end == 'B')
        end++;
    if (*end || v > (ULLONG_MAX >> shift))
        return false;
    *out = v << shift;
    return true;
}

/* Limit the memory this process (and the compiler it starts) may take:
 * RLIMIT_DATA, which counts what malloc takes from the system (the heap, and
 * private mappings, thread stacks included), so that running out is the
 * allocator's failure - "tally: out of memory (memory limit ...)", exit
 * status 3, nothing half written left behind - and not the kernel's kill. */
static bool set_memory_limit(unsigned long long bytes, const char *why)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_DATA, &rl) != 0)
        return false;
    if (rl.rlim_max != RLIM_INFINITY && bytes > rl.rlim_max)
        bytes = rl.rlim_max;
    rl.rlim_cur = bytes;
    if (setrlimit(RLIMIT_DATA, &rl) != 0)
        return false;
    char note[200];
    snprintf(note, sizeof note, "memory limit %llu MiB: %s", bytes >> 20, why);
    xalloc_set_note(note);
    return true;
}

static bool memory_limit(const char *value, const char *from)
{
    unsigned long long bytes;
    if (!parse_size(value, &bytes) || bytes < ((unsigned long long)1 << 20)) {
        diag_printf(stderr, _("tally: %s is a size of at least 1M (512M, 4G), not '%s'\n"), from, value);
        return false;
    }
    if (!set_memory_limit(bytes, from)) {
        diag_printf(stderr, _("tally: cannot set the memory limit: %s\n"), strerror(errno));
        return false;
    }
    return true;
}

/* A cgroup's memory limit from one of its files (memory.max of cgroup v2,
 * memory.limit_in_bytes of v1); 0 when there is none ("max", or v1's huge
 * number for none). */
static unsigned long long cgroup_file_limit(const char *root, const char *path, const char *file)
{
    char name[4400];
    snprintf(name, sizeof name, "%s%s/%s", root, path, file);
    FILE *f = fopen(name, "re");
    if (!f && *path) { /* inside a container the cgroup is often mounted as the root */
        snprintf(name, sizeof name, "%s/%s", root, file);
        f = fopen(name, "re");
    }
    unsigned long long v = 0;
    if (f && fscanf(f, "%llu", &v) != 1)
        v = 0;
    if (f)
        fclose(f);
    return v >= (1ULL << 60) ? 0 : v;
}

/* With no limit given, inside a memory cgroup the limit is 7/8 of the
 * cgroup's: the kernel kills a process that reaches the cgroup's own limit
 * without a word, so tally stops first, with one. */
static void cgroup_memory_limit(void)
{
    FILE *f = fopen("/proc/self/cgroup", "re");
    char line[4096];
    unsigned long long max = 0;
    while (f && !max && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        char *path = strchr(line, ':') ? strchr(strchr(line, ':') + 1, ':') : NULL;
        if (!path)
            continue;
        *path++ = 0;
        const char *controllers = strchr(line, ':') + 1;
        if (!*controllers)
            max = cgroup_file_limit("/sys/fs/cgroup", path, "memory.max");
        else if (strstr(controllers, "memory"))
            max = cgroup_file_limit("/sys/fs/cgroup/memory", path, "memory.limit_in_bytes");
    }
    if (f)
        fclose(f);
    if (max)
        set_memory_limit(max - max / 8, "7/8 of the cgroup's memory limit; --memory-limit sets another");
}

typedef struct ScoreArgs {
    const char *rules;
    const char **data;
    int ndata;
    OutFormat format;
    bool explain;
    bool summary;            /* --summary */
    bool totals;             /* --totals */
    bool bom;                /* --bom */
    const char *out_encoding; /* --output-encoding */
    const char *out_path;
    const char *color;
    LoadOptions load;
    EngineOptions engine;    /* --engine, --jit-cache, --no-jit-cache, --dump-jit */
    int year;                /* --year: of reports that state none; 0 */
} ScoreArgs;

static const char *const format_name[] = {"text", "csv", "json", "xlsx", "html"};

/* Is an encoding name one of UTF-8's? */
static bool is_utf8(const char *name)
{
    return strcasecmp(name, "UTF-8") == 0 || strcasecmp(name, "UTF8") == 0;
}

/* The output options that do not go together, each refused with a message
 * rather than silently dropped (docs/output.md). */
static bool output_options_valid(ScoreArgs *a)
{
    const char *fmt = format_name[a->format];
    if (a->out_encoding && is_utf8(a->out_encoding))
        a->out_encoding = NULL;
    if (a->bom && a->format != OUT_CSV) {
        diag_printf(stderr, _("tally: --bom is for --format csv, not %s\n"), fmt);
        return false;
    }
    if (a->out_encoding && a->format != OUT_CSV && a->format != OUT_TEXT) {
        diag_printf(stderr, _("tally: --output-encoding is for --format text or csv; %s is always UTF-8\n"), fmt);
        return false;
    }
    if (a->out_encoding && a->bom) {
        diag_printf(stderr, _("tally: --bom marks UTF-8; it does not go with --output-encoding %s\n"),
                a->out_encoding);
        return false;
    }
    if (a->out_encoding) {
        FILE *probe = output_encoder(stdout, a->out_encoding);
        if (!probe) {
            diag_printf(stderr, _("tally: --output-encoding: unknown encoding '%s'\n"), a->out_encoding);
            return false;
        }
        fclose(probe);
    }
    if (a->summary && (a->format == OUT_XLSX || a->format == OUT_HTML)) {
        diag_printf(stderr, _("tally: --summary is for --format text, csv or json; the %s output always "
                        "begins with the summary\n"), fmt);
        return false;
    }
    if (a->summary && a->explain) {
        fputs(_("tally: --explain explains each score; --summary shows none: use one or the other\n"),
              stderr);
        return false;
    }
    if (a->totals && a->summary) {
        fputs(_("tally: --totals writes a line per report, --summary the batch: use one or the other\n"),
              stderr);
        return false;
    }
    if (a->totals && (a->format == OUT_XLSX || a->format == OUT_HTML)) {
        diag_printf(stderr, _("tally: --totals is for --format text, csv or json, not %s\n"), fmt);
        return false;
    }
    if (a->totals && a->explain) {
        fputs(_("tally: --explain explains each score; --totals shows none: use one or the other\n"),
              stderr);
        return false;
    }
    return true;
}

static bool parse_score_args(int argc, char **argv, ScoreArgs *a)
{
    memset(a, 0, sizeof *a);
    a->data = xcalloc((size_t)argc + 1, sizeof(char *));
    engine_options_default(&a->engine);
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(s, "--explain") == 0) {
            a->explain = a->engine.explain = true;
        } else if (strcmp(s, "--format") == 0 && val) {
            i++;
            if (strcmp(val, "text") == 0) a->format = OUT_TEXT;
            else if (strcmp(val, "csv") == 0) a->format = OUT_CSV;
            else if (strcmp(val, "json") == 0) a->format = OUT_JSON;
            else if (strcmp(val, "xlsx") == 0) a->format = OUT_XLSX;
            else if (strcmp(val, "html") == 0) a->format = OUT_HTML;
            else {
                diag_printf(stderr, _("tally: --format is text, csv, json, xlsx or html, not '%s'\n"), val);
                return false;
            }
        } else if (strcmp(s, "--summary") == 0) {
            a->summary = true;
        } else if (strcmp(s, "--totals") == 0) {
            a->totals = true;
        } else if (strcmp(s, "--bom") == 0) {
            a->bom = true;
        } else if (strcmp(s, "--output-encoding") == 0 && val) {
            a->out_encoding = argv[++i];
        } else if (strcmp(s, "--engine") == 0 && val) {
            i++;
            if (!engine_kind_parse(val, &a->engine.kind)) {
                diag_printf(stderr, _("tally: --engine is interp, jit or auto, not '%s'\n"), val);
                return false;
            }
        } else if (strcmp(s, "--jit-cache") == 0 && val) {
            a->engine.jit.cache_dir = argv[++i];
        } else if (strcmp(s, "--no-jit-cache") == 0) {
            a->engine.jit.no_cache = true;
        } else if (strcmp(s, "--dump-jit") == 0 && val) {
            a->engine.jit.dump_dir = argv[++i];
        } else if (strcmp(s, "--encoding") == 0 && val) {
            a->load.encoding = argv[++i];
        } else if (strcmp(s, "--data-format") == 0 && val) {
            i++;
            if (strcmp(val, "wide") == 0) a->load.format = DATA_CSV_WIDE;
            else if (strcmp(val, "long") == 0) a->load.format = DATA_CSV_LONG;
            else if (strcmp(val, "json") == 0) a->load.format = DATA_JSON;
            else {
                diag_printf(stderr, _("tally: --data-format is wide, long or json, not '%s'\n"), val);
                return false;
            }
        } else if (strcmp(s, "--year") == 0 && val) {
            i++;
            char *end;
            long y = strtol(val, &end, 10);
            if (*end || y < 1000 || y > 9999) {
                diag_printf(stderr, _("tally: --year is a year such as 2024, not '%s'\n"), val);
                return false;
            }
            a->year = (int)y;
        } else if (strcmp(s, "-o") == 0 && val) {
            a->out_path = argv[++i];
        } else if (strcmp(s, "--memory-limit") == 0 && val) {
            if (!memory_limit(argv[++i], "--memory-limit"))
                return false;
        } else if (strcmp(s, "--color") == 0 && val) {
            a->color = argv[++i];
        } else if (s[0] == '-' && s[1] != 0) {
            diag_printf(stderr, _("tally: unknown option '%s' (or it needs a value)\n"), s);
            return false;
        } else if (!a->rules) {
            a->rules = s;
        } else {
            a->data[a->ndata++] = s;
        }
    }
    if (a->engine.jit.dump_dir)
        a->engine.kind = ENGINE_JIT;
    if (!output_options_valid(a))
        return false;
    if (!a->rules || a->ndata == 0) {
        diag_printf(stderr, _("tally: score needs %s\n%s"),
                    a->rules ? _("a data file (or - for standard input)") : _("a rule file and a data file"),
                    _(usage));
        return false;
    }
    return true;
}

/* Seconds on the monotonic clock (TALLY_JIT_STATS). */
static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
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

/* Results ------------------------------------------------------------------------- */

/* Where results go: standard output, or -o FILE through an OutFile
 * (lang/base/outfile.h: a temporary file renamed when complete, or a
 * device, FIFO or descriptor written in place).  NULL (with a message) if
 * it cannot be opened. */
static FILE *open_results(const ScoreArgs *a, OutFile *of)
{
    if (!a->out_path)
        return stdout;
    char err[PATH_MAX + 256];
    if (!outfile_open(of, a->out_path, err, sizeof err)) {
        diag_printf(stderr, _("tally: %s\n"), err);
        return NULL;
    }
    return of->f;
}

/* Complete the results: flush and check every write; -o's file is renamed
 * into place only then, and only when status is not EXIT_INTERNAL (a run
 * that failed half way never replaces FILE).  Returns status, or
 * EXIT_INTERNAL if they could not be written. */
static int close_results(const ScoreArgs *a, OutFile *of, int status)
{
    char err[PATH_MAX + 256];
    if (a->out_path) {
        if (status == EXIT_INTERNAL) {
            outfile_abort(of);
        } else if (!outfile_commit(of, err, sizeof err)) {
            diag_printf(stderr, _("tally: %s\n"), err);
            status = EXIT_INTERNAL;
        }
    } else if (fflush(stdout) != 0 || ferror(stdout)) {
        diag_printf(stderr, _("tally: cannot write results: %s\n"), strerror(errno ? errno : EIO));
        status = EXIT_INTERNAL;
    }
    return status;
}

/* The versions of the rules and the reports each scores: which[i] is the
 * version of report i (a report no version covers is marked with the
 * reason, and scored by none). */
typedef struct Scoring {
    Policy pol;
    Engine *engines;         /* one per version */
    int *which;
} Scoring;

/* Choose each report's version by its year (or --year); a report no version
 * covers gets an error of its own, the batch goes on. */
static void choose_versions(const ScoreArgs *a, Scoring *s, ReportSet *set, DiagList *diags)
{
    s->which = xcalloc(set->len + 1, sizeof *s->which);
    for (size_t i = 0; i < set->len; i++) {
        Report *r = &set->reports[i];
        if (r->error)
            continue;
        const char *why = NULL;
        int v = policy_choose(&s->pol, r->year ? r->year : a->year, &why, &set->arena);
        if (v < 0) {
            diag_data(diags, DIAG_ERROR, r->pos.file, r->pos.line, 0, NULL, _("report %s: %s"), r->id, why);
            r->error = why;
        } else {
            s->which[i] = v;
        }
    }
}

/* The rules' inputs against the data's columns, for each version over the
 * reports it scores. */
static void check_columns(const Scoring *s, const ReportSet *set, DiagList *diags)
{
    if (s->pol.nversions == 1) {
        bind_check_columns(s->pol.versions[0], set, diags);
        return;
    }
    for (int v = 0; v < s->pol.nversions; v++) {
        ReportSet mine = {0};
        mine.reports = xmalloc((set->len + 1) * sizeof *mine.reports);
        for (size_t i = 0; i < set->len; i++)
            if (s->which[i] == v && !set->reports[i].error)
                mine.reports[mine.len++] = set->reports[i];
        if (mine.len)
            bind_check_columns(s->pol.versions[v], &mine, diags);
        free(mine.reports);
    }
}

/* A run of `tally score`: the output, and what the batches saw. */
typedef struct Run {
    const ScoreArgs *a;
    Scoring *s;
    FILE *out, *encoded;
    bool color_err;
    Output o;
    int begun;               /* 0: not yet; 1: output begun; -1: could not begin */
    int status;              /* EXIT_* when it could not begin */
    bool findings, report_errors;
    size_t by_jit, by_interp, batch_scores, jit_scores;
    int threads;
    double t0;
    /* streaming */
    size_t input_errors;     /* errors in the data, over the chunks */
    OutFile of;              /* -o's file, once opened */
    size_t diag_shown, diag_hidden; /* data messages shown, and not shown */
    size_t chunks, *seen;    /* chunks scored; reports read, by version */
    BatchPool *pool;         /* the scoring workers, for every batch of the run */
} Run;

/* Begin the output; expected: the number of reports, 0 if unknown. */
static bool run_begin(Run *R, size_t expected)
{
    const ScoreArgs *a = R->a;
    if (R->begun)
        return R->begun > 0;
    R->begun = -1;
    R->status = EXIT_INTERNAL;
    if (a->out_encoding) {
        R->encoded = output_encoder(R->out, a->out_encoding);
        if (!R->encoded) {
            diag_printf(stderr, _("tally: --output-encoding: unknown encoding '%s'\n"), a->out_encoding);
            R->status = EXIT_INPUT;
            return false;
        }
    }
    Output *o = &R->o;
    memset(o, 0, sizeof *o);
    o->f = R->encoded ? R->encoded : R->out;
    o->fmt = a->format;
    o->explain = a->explain;
    o->summary = a->summary;
    o->totals = a->totals;
    o->bom = a->bom;
    o->excel = a->format == OUT_CSV && (a->bom || a->out_encoding);
    o->expected = expected;
    o->color = a->format == OUT_TEXT && !a->out_encoding && want_color(a->color, R->out);
    o->width = text_width_for(R->out);
    o->prog = R->s->pol.versions[0];
    o->versions = R->s->pol.folder;
    if (!output_begin(o)) {
        diag_printf(stderr, _("tally: cannot write the results: %s\n"), o->error);
        if (R->encoded)
            fclose(R->encoded);
        R->encoded = NULL;
        return false;
    }
    R->begun = 1;
    R->t0 = seconds_now();
    return true;
}

/* Score the reports of set and write their results, in input order: each
 * run of consecutive reports of one version as one batch. */
static void run_batches(Run *R, const ReportSet *set, size_t expected)
{
    Scoring *s = R->s;
    char years[64];
    if (!R->threads)
        R->threads = batch_threads(expected);
    for (size_t start = 0; start < set->len;) {
        int v = s->which[start];
        size_t end = start + 1;
        while (end < set->len && s->which[end] == v)
            end++;
        ReportSet run = *set; /* reports [start, end) */
        run.reports += start;
        run.len = end - start;
        R->o.prog = s->pol.versions[v];
        R->o.version = s->pol.names[v];
        R->o.version_years = program_applies_text(s->pol.versions[v], years, sizeof years);
        Batch b = {0};
        b.prog = s->pol.versions[v];
        b.set = &run;
        b.out = &R->o;
        b.err = stderr;
        b.color_err = R->color_err;
        b.explain = R->a->explain;
        b.threads = expected ? batch_threads(expected) : batch_threads(run.len);
        b.engine = &s->engines[v];
        b.pool = R->pool;
        batch_run(&b);
        R->findings |= b.findings;
        R->report_errors |= b.report_errors;
        R->by_jit += b.by_jit;
        R->by_interp += b.by_interp;
        R->batch_scores += b.batch_scores;
        R->jit_scores += b.jit_scores;
        start = end;
    }
}

/* End the output; the exit status of the reports. */
static int run_end(Run *R)
{
    if (R->begun < 0)
        return R->status;
    bool written = output_end(&R->o);
    if (R->encoded && fclose(R->encoded) != 0)
        written = false;
    double took = seconds_now() - R->t0;
    for (int v = 0; v < R->s->pol.nversions; v++)
        engine_end_run(&R->s->engines[v]);
    int threads = R->threads ? R->threads : 1;
    if (R->a->engine.stats)
        diag_printf(stderr, _("tally: jit: %zu report%s scored with compiled code, %zu with the interpreter "
                        "(%d thread%s, %.2f s); %zu indicator score%s from batch kernels\n"),
                R->by_jit, R->by_jit == 1 ? "" : "s", R->by_interp, threads, threads == 1 ? "" : "s",
                took, R->batch_scores, R->batch_scores == 1 ? "" : "s");
    if (R->a->engine.stats && R->jit_scores) /* issue 16's target: 95% by kernels */
        diag_printf(stderr, _("tally: jit: %.1f%% of the %zu indicator and row scores compiled code gave came "
                              "from batch kernels\n"),
                    100.0 * (double)R->batch_scores / (double)R->jit_scores, R->jit_scores);
    if (!written) {
        diag_printf(stderr, _("tally: cannot write the results: %s\n"),
                R->o.error ? R->o.error : strerror(errno));
        return EXIT_INTERNAL;
    }
    return R->report_errors ? EXIT_INPUT : R->findings ? EXIT_FINDINGS : EXIT_CLEAN;
}

/* Score every report of a loaded set (all the data files at once). */
static int score_all(const ScoreArgs *a, Scoring *s, const ReportSet *set, FILE *out, bool color_err)
{
    Run R = {0};
    R.a = a;
    R.s = s;
    R.out = out;
    R.color_err = color_err;
    if (!run_begin(&R, set->len))
        return R.status;
    R.threads = batch_threads(set->len);
    R.pool = batch_pool_start(R.threads);
    run_batches(&R, set, set->len);
    batch_pool_stop(R.pool);
    return run_end(&R);
}

/* Streaming: a chunk of the data file's reports (runtime/data/report.h
 * LoadSink), or the last: versions chosen, the engines told how many
 * reports there are so far, the data's diagnostics rendered, then the
 * reports scored and written; the set and diagnostics left empty. */
static void run_chunk(Run *R, ReportSet *set, DiagList *diags, bool last)
{
    const ScoreArgs *a = R->a;
    Scoring *s = R->s;
    free(s->which);
    choose_versions(a, s, set, diags);
    int nv = s->pol.nversions;
    for (int v = 0; v < nv; v++) {
        size_t n = 0;
        for (size_t i = 0; i < set->len; i++)
            n += s->which[i] == v && !set->reports[i].error;
        R->seen[v] += n;
        if (R->chunks == 0) /* more to come: at least the auto engine's threshold */
            engine_after_load(&s->engines[v], last || R->seen[v] == 0 || R->seen[v] >= ENGINE_AUTO_MIN_REPORTS
                                                  ? R->seen[v]
                                                  : ENGINE_AUTO_MIN_REPORTS);
        else
            engine_more_reports(&s->engines[v], R->seen[v]);
    }
    if (R->chunks == 0) /* a CSV's header is the same for every chunk */
        check_columns(s, set, diags);
    /* at most DIAG_MAX_KEPT messages over the run, as one list keeps */
    for (size_t i = 0; i < diags->len; i++) {
        if (R->diag_shown < DIAG_MAX_KEPT) {
            diag_render(&diags->items[i], stderr, R->color_err);
            R->diag_shown++;
        } else {
            R->diag_hidden++;
        }
    }
    R->diag_hidden += diags->dropped;
    if (last && R->diag_hidden)
        diag_printf(stderr,
                R->diag_hidden == 1
                    ? _("tally: note: %zu more message not shown (only the first %d are kept)\n")
                    : _("tally: note: %zu more messages not shown (only the first %d are kept)\n"),
                R->diag_hidden, DIAG_MAX_KEPT);
    R->input_errors += diags->errors;
    diag_clear(diags);
    size_t expected = last && R->chunks == 0 ? set->len : 0;
    if (!R->out && !R->begun) { /* opened after the first diagnostics, as before streaming */
        R->out = open_results(a, &R->of);
        if (!R->out)
            R->begun = -1, R->status = EXIT_INTERNAL;
    }
    if (!R->threads)
        R->threads = batch_threads(last && R->chunks == 0 ? set->len : BATCH_THREADS_MIN_REPORTS);
    if (!R->pool) /* started once, for every chunk after */
        R->pool = batch_pool_start(R->threads);
    if (run_begin(R, expected))
        run_batches(R, set, last && R->chunks == 0 ? set->len : BATCH_THREADS_MIN_REPORTS);
    R->chunks++;
    reportset_clear(set);
}

/* Streaming on two threads: the reader reads and parses chunk k + 2 while
 * chunk k + 1 waits in the slot and the calling thread scores and writes
 * chunk k.  A chunk is handed over by swapping sets and diagnostics: the
 * reader's with the slot's, which the calling thread emptied when it took
 * the chunk before out of the slot, swapping in the set it had scored; so
 * three sets go round, their memory reused, and at most three chunks exist
 * at once.  The reader waits only while the slot is full, the calling
 * thread only while it is empty (TALLY_STREAM_STATS=1 says how long). */
typedef struct Pipe {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool full, last;         /* the slot holds a chunk; the last one */
    ReportSet set;           /* the slot */
    DiagList diags;
    double reader_waited, scorer_waited; /* seconds (when stats) */
    size_t reader_waits, scorer_waits;   /* how many times one had to wait */
    bool stats;              /* TALLY_STREAM_STATS */
    /* the reader's */
    const char *path;
    LoadOptions lo;
    LoadSink sink;
    DiagList *rdiags;
    ReportSet rset;
    Run *direct;             /* no second thread: chunks scored as they come */
    TlLang lang;             /* the messages' language, the reader's as the caller's */
} Pipe;

/* Wait on p->cv while the slot is `full` or not, counting the time. */
static void pipe_wait(Pipe *p, bool full, double *waited, size_t *waits)
{
    if (p->full != full)
        return;
    double t0 = p->stats ? seconds_now() : 0;
    while (p->full == full)
        pthread_cond_wait(&p->cv, &p->mu);
    (*waits)++;
    if (p->stats)
        *waited += seconds_now() - t0;
}

static void pipe_put(Pipe *p, ReportSet *set, DiagList *diags, bool last)
{
    pthread_mutex_lock(&p->mu);
    pipe_wait(p, true, &p->reader_waited, &p->reader_waits);
    ReportSet ts = p->set;
    p->set = *set;
    *set = ts;
    DiagList td = p->diags;
    p->diags = *diags;
    *diags = td;
    p->full = true;
    p->last = last;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

static void stream_sink(void *ctx, ReportSet *set, DiagList *diags)
{
    Pipe *p = ctx;
    if (p->direct)
        run_chunk(p->direct, set, diags, false);
    else
        pipe_put(p, set, diags, false);
}

static void *stream_reader(void *arg)
{
    Pipe *p = arg;
    l10n_set_lang(p->lang);
    reportset_stream(&p->rset, p->path, &p->lo, p->rdiags, &p->sink);
    if (p->direct)
        run_chunk(p->direct, &p->rset, p->rdiags, true);
    else
        pipe_put(p, &p->rset, p->rdiags, true);
    return NULL;
}

/* Threads that parse a streamed long CSV (runtime/data/longsplit.c):
 * TALLY_PARSE_THREADS (1: the reading thread alone); else, on more than two
 * CPUs, as many as score (TALLY_THREADS, or one per CPU); on two CPUs or
 * fewer, one: the scoring threads keep both busy already, and the split
 * costs CPU time (docs/performance.md, "Parsing split across threads").
 * A bad TALLY_PARSE_THREADS is said and ignored; TALLY_THREADS is read
 * quietly: batch_threads warns about a bad one, once. */
static int parse_threads(void)
{
    int k = batch_env_threads("TALLY_PARSE_THREADS");
    if (k > 0)
        return k;
    if (k < 0)
        diag_printf(stderr,
                    _("tally: warning: TALLY_PARSE_THREADS is a number from 1 to %d, not '%s'; ignored\n"),
                    BATCH_MAX_THREADS, getenv("TALLY_PARSE_THREADS"));
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (cpus <= 2)
        return 1;
    k = batch_env_threads("TALLY_THREADS");
    if (k > 0)
        return k;
    return cpus > BATCH_MAX_THREADS ? BATCH_MAX_THREADS : (int)cpus;
}

/* TALLY_BATCH_CHUNK=N (tests): chunks of N reports, read through a small
 * window, so that a few reports make many chunks. */
static size_t test_chunk(void)
{
    const char *v = getenv("TALLY_BATCH_CHUNK");
    int n = v ? atoi(v) : 0;
    return n >= 1 && n <= BATCH_CHUNK_MAX ? (size_t)n : 0;
}

/* tally score over one data file (or standard input), read, scored and
 * written in chunks: memory stays bounded however many reports it has. */
static int score_stream(const ScoreArgs *a, Scoring *s, DiagList *diags, bool color_err)
{
    /* Chunk after chunk allocates and frees the same amounts: keep freed
     * memory for the next chunk rather than return it to the system and
     * fault it in again (a tenth of a run's time). */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    Run R = {0};
    R.a = a;
    R.s = s;
    R.color_err = color_err;
    R.seen = xcalloc((size_t)s->pol.nversions, sizeof *R.seen);
    Arena keep;
    arena_init(&keep);
    Pipe *p = xcalloc(1, sizeof *p);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    reportset_init(&p->set);
    diag_init(&p->diags);
    reportset_init(&p->rset);
    const char *stats = getenv("TALLY_STREAM_STATS");
    p->stats = stats && *stats && strcmp(stats, "0") != 0;
    p->path = a->data[0];
    p->lo = a->load;
    p->lo.forms = forms_for_program(s->pol.versions[0], &keep, diags);
    p->sink = (LoadSink){stream_sink, p, 0, test_chunk(), 0, &keep, 0};
    if (p->sink.chunk_reports)
        p->sink.chunk_bytes = (size_t)-1, p->sink.window = 4096;
    p->sink.parsers = parse_threads();
    p->rdiags = diags;
    p->lang = l10n_lang();
    pthread_t reader;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, (size_t)16 << 20);
    bool threaded = pthread_create(&reader, &attr, stream_reader, p) == 0;
    pthread_attr_destroy(&attr);
    if (!threaded) { /* read and score here, chunk after chunk */
        p->direct = &R;
        stream_reader(p);
    }
    ReportSet set; /* the chunk being scored, taken out of the slot */
    reportset_init(&set);
    DiagList set_diags;
    diag_init(&set_diags);
    for (bool last = !threaded; !last;) {
        pthread_mutex_lock(&p->mu);
        pipe_wait(p, false, &p->scorer_waited, &p->scorer_waits);
        ReportSet ts = p->set; /* the slot's chunk for the emptied set */
        p->set = set;
        set = ts;
        DiagList td = p->diags;
        p->diags = set_diags;
        set_diags = td;
        last = p->last;
        p->full = false;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        run_chunk(&R, &set, &set_diags, last);
    }
    if (threaded)
        pthread_join(reader, NULL);
    batch_pool_stop(R.pool);
    if (p->stats)
        diag_printf(stderr, _("tally: stream: %zu chunks; the reader waited %.3f s for the slot (%zu times), "
                              "the scoring waited %.3f s for the reader (%zu times)\n"),
                    R.chunks, p->reader_waited, p->reader_waits, p->scorer_waited, p->scorer_waits);
    reportset_free(&set);
    diag_free(&set_diags);
    int status = run_end(&R);
    if (R.input_errors && R.out)
        status = EXIT_INPUT;
    if (R.out)
        status = close_results(a, &R.of, status);
    reportset_free(&p->set);
    reportset_free(&p->rset);
    diag_free(&p->diags);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p);
    arena_free(&keep);
    free(R.seen);
    return status;
}

/* What cmd_score holds, freed the same way on every way out. */
static void scoring_free(Scoring *s)
{
    for (int v = 0; s->engines && v < s->pol.nversions; v++)
        engine_free(&s->engines[v]);
    free(s->engines);
    free(s->which);
    policy_free(&s->pol);
    memset(s, 0, sizeof *s);
}

/* Several data files, or a format that needs every report before it
 * writes (xlsx, HTML): everything read first, then scored. */
static int score_whole(ScoreArgs *a, Scoring *s, DiagList *diags, bool color_err)
{
    int nv = s->pol.nversions;
    ReportSet set;
    reportset_init(&set);
    /* Forms are read as the first version declares them (a version's forms
     * are those of its base, as a rule): the year is known only once read. */
    a->load.forms = forms_for_program(s->pol.versions[0], &set.arena, diags);
    for (int i = 0; i < a->ndata; i++)
        reportset_load(&set, a->data[i], &a->load, diags);
    choose_versions(a, s, &set, diags);
    for (int v = 0; v < nv; v++) {
        size_t n = 0;
        for (size_t i = 0; i < set.len; i++)
            n += s->which[i] == v;
        engine_after_load(&s->engines[v], n);
    }
    check_columns(s, &set, diags);
    diag_render_all(diags, stderr, color_err);
    size_t input_errors = diags->errors;
    diag_free(diags);

    int status = EXIT_INTERNAL;
    if (a->format == OUT_XLSX && !a->out_path && isatty(STDOUT_FILENO)) {
        fputs(_("tally: a workbook is not for the terminal: use -o FILE.xlsx or redirect the output\n"),
              stderr);
        status = EXIT_INPUT;
    } else {
        OutFile of;
        FILE *out = open_results(a, &of);
        if (out) {
            status = score_all(a, s, &set, out, color_err);
            if (input_errors && status != EXIT_INTERNAL)
                status = EXIT_INPUT;
            status = close_results(a, &of, status);
        }
    }
    reportset_free(&set);
    return status;
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
    Scoring s = {0};
    int status;
    if (!policy_load(&s.pol, a.rules, &diags)) {
        diag_render_all(&diags, stderr, color_err);
        status = EXIT_INPUT;
    } else {
        int nv = s.pol.nversions;
        s.engines = xcalloc((size_t)nv, sizeof *s.engines);
        for (int v = 0; v < nv; v++) {
            engine_init(&s.engines[v], s.pol.versions[v], &a.engine);
            engine_before_load(&s.engines[v], nv == 1 ? data_bytes(&a) : 0);
        }
        if (a.ndata == 1 && (a.format == OUT_TEXT || a.format == OUT_CSV || a.format == OUT_JSON))
            status = score_stream(&a, &s, &diags, color_err); /* read, scored, written in chunks */
        else
            status = score_whole(&a, &s, &diags, color_err);
    }
    diag_free(&diags);
    scoring_free(&s);
    free(a.data);
    return status;
}

/* Every command's output reaches its file, or the exit status says it did
 * not: `tally --help > /dev/full` fails (status 3) with a message, as a
 * score's results do.  stderr's own failure can only be counted. */
static int close_streams(int status)
{
    errno = 0;
    bool ok = fflush(stdout) == 0 && !ferror(stdout);
    int e = errno ? errno : EIO;
    if (fclose(stdout) != 0 && ok) {
        ok = false;
        e = errno;
    }
    if (!ok && status != EXIT_INTERNAL) { /* score has said so already */
        diag_printf(stderr, _("tally: cannot write standard output: %s\n"), strerror(e));
        status = EXIT_INTERNAL;
    }
    if (fflush(stderr) != 0 || ferror(stderr))
        status = EXIT_INTERNAL;
    return status;
}

static int run(int argc, char **argv);

/* tally import: each file read (forms with the default forms or those of
 * --rules), written back as Tally's long and wide CSV. */
static int cmd_import(int argc, char **argv)
{
    const char *dir = NULL, *rules = NULL;
    LoadOptions lo = {DATA_AUTO, NULL, NULL};
    const char **files = xcalloc((size_t)argc + 1, sizeof *files);
    int nfiles = 0;
    for (int i = 0; i < argc; i++) {
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "-o") == 0 && val)
            dir = argv[++i];
        else if (strcmp(argv[i], "--rules") == 0 && val)
            rules = argv[++i];
        else if (strcmp(argv[i], "--encoding") == 0 && val)
            lo.encoding = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1]) {
            diag_printf(stderr, _("tally: unknown option '%s' (or it needs a value)\n"), argv[i]);
            free(files);
            return EXIT_INPUT;
        } else
            files[nfiles++] = argv[i];
    }
    if (nfiles == 0) {
        diag_printf(stderr, _("tally: import needs a file\n%s"), _(usage));
        free(files);
        return EXIT_INPUT;
    }
    bool color = want_color(NULL, stderr);
    DiagList diags;
    diag_init(&diags);
    Program *prog = rules ? program_load(rules, &diags) : NULL;
    if (rules && !prog) {
        diag_render_all(&diags, stderr, color);
        diag_free(&diags);
        free(files);
        return EXIT_INPUT;
    }
    Arena forms;
    arena_init(&forms);
    lo.forms = forms_for_program(prog, &forms, &diags);
    int status = EXIT_CLEAN;
    if (dir && mkdir(dir, 0777) != 0 && errno != EEXIST) {
        diag_printf(stderr, _("tally: cannot create %s: %s\n"), dir, strerror(errno));
        status = EXIT_INTERNAL;
    }
    for (int i = 0; i < nfiles && status != EXIT_INTERNAL; i++) {
        /* each file on its own: the same report in two layouts is no duplicate */
        ReportSet set;
        reportset_init(&set);
        reportset_load(&set, files[i], &lo, &diags);
        size_t from = 0, to = set.len;
        diag_render_all(&diags, stderr, color);
        if (diags.errors)
            status = EXIT_INPUT;
        diag_clear(&diags);
        diags.errors = diags.warnings = 0;
        const char *base = strrchr(files[i], '/');
        base = base ? base + 1 : files[i];
        for (int kind = 0; kind < 2; kind++) {
            bool any = kind ? report_has_figures(&set, from, to) : report_has_table(&set, from, to);
            if (!any)
                continue;
            FILE *f = stdout;
            char *path = NULL;
            OutFile of;
            if (dir) {
                /* through lang/base/outfile, as -o FILE: a temporary file
                 * beside, renamed over PATH only when complete */
                size_t n = strlen(dir) + strlen(base) + 32;
                path = xmalloc(n);
                snprintf(path, n, "%s/%s%s", dir, base, kind ? ".figures.csv" : ".csv");
                char err[PATH_MAX + 256];
                if (!outfile_open(&of, path, err, sizeof err)) {
                    diag_printf(stderr, _("tally: %s\n"), err);
                    free(path);
                    status = EXIT_INTERNAL;
                    break;
                }
                f = of.f;
            } else if (kind && report_has_table(&set, from, to)) {
                putchar('\n');
            }
            if (kind)
                report_write_wide(f, &set, from, to);
            else
                report_write_long(f, &set, from, to);
            if (dir) {
                char err[PATH_MAX + 256];
                if (!outfile_commit(&of, err, sizeof err)) {
                    diag_printf(stderr, _("tally: %s\n"), err);
                    status = EXIT_INTERNAL;
                } else {
                    diag_printf(stderr, _("%s: wrote %s\n"), files[i], path);
                }
                free(path);
            }
        }
        reportset_free(&set);
    }
    if (fflush(stdout) != 0 && status != EXIT_INTERNAL)
        status = EXIT_INTERNAL;
    arena_free(&forms);
    program_free(prog);
    diag_free(&diags);
    free(files);
    return status;
}

/* The language of messages: --lang zh|en anywhere on the command line
 * (taken out of argv), else the locale's (LANGUAGE, LC_ALL, LC_MESSAGES,
 * LANG); and where the catalogue is: $TALLY_LOCALEDIR, else locale/ beside
 * the program (the build tree), else ../share/locale from it (an install
 * moved elsewhere), else the LOCALEDIR it was installed with.  0, or 2
 * after a message when --lang names no language we have. */
static int choose_language(int *argc, char **argv)
{
    TlLang lang = l10n_from_env();
    int out = 1;
    for (int i = 1; i < *argc; i++) {
        const char *val = NULL;
        if (strcmp(argv[i], "--lang") == 0) {
            if (i + 1 >= *argc) {
                fputs(_("tally: --lang needs zh or en\n"), stderr);
                return EXIT_INPUT;
            }
            val = argv[++i];
        } else if (strncmp(argv[i], "--lang=", 7) == 0) {
            val = argv[i] + 7;
        } else {
            argv[out++] = argv[i];
            continue;
        }
        if (!l10n_parse(val, &lang)) {
            fprintf(stderr, _("tally: --lang is zh or en, not '%s'\n"), val);
            return EXIT_INPUT;
        }
    }
    *argc = out;
    argv[out] = NULL;
    l10n_set_lang(lang);

    const char *dir = getenv("TALLY_LOCALEDIR");
    char exe[4096];
    ssize_t n = dir && *dir ? -1 : readlink("/proc/self/exe", exe, sizeof exe - 64);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            struct stat sb;
            strcpy(slash, "/locale");
            if (stat(exe, &sb) != 0) {
                strcpy(slash, "/../share/locale");
                if (stat(exe, &sb) != 0)
                    slash = NULL;
            }
        }
        if (slash)
            dir = exe;
    }
    l10n_set_localedir(dir);
    return 0;
}

int main(int argc, char **argv)
{
    return close_streams(run(argc, argv));
}

static int run(int argc, char **argv)
{
    int lang_status = choose_language(&argc, argv);
    if (lang_status)
        return lang_status;
    cleanup_install();
    data_readers_exit_on_oom();
    const char *limit = getenv("TALLY_MEMORY_LIMIT");
    if (limit && *limit) {
        if (!memory_limit(limit, "TALLY_MEMORY_LIMIT"))
            return EXIT_INPUT;
    } else {
        cgroup_memory_limit();
    }
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(_(usage), argc < 2 ? stderr : stdout);
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
    if (strcmp(argv[1], "test") == 0)
        return test_main(argc - 2, argv + 2);
    if (strcmp(argv[1], "diff") == 0)
        return diff_main(argc - 2, argv + 2);
    if (strcmp(argv[1], "import") == 0)
        return cmd_import(argc - 2, argv + 2);
    if (strcmp(argv[1], "tokens") == 0)
        return cmd_tokens(argc - 2, argv + 2);
    diag_printf(stderr, _("tally: unknown command '%s'\n%s"), argv[1], _(usage));
    return EXIT_INPUT;
}
