/* diff.c - `tally diff RULES_A RULES_B DATA...`: each report scored under
 * policy A and under policy B (a rule file, or a folder of versions: each
 * report under its year's version of each) by the scorer of `tally score`,
 * and written with what moved (runtime/output/diff.h).  docs/output.md. */
#include "diff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/data/report.h"
#include "runtime/engine.h"
#include "runtime/forms.h"
#include "runtime/output/diff.h"
#include "runtime/score/score.h"
#include "runtime/versions.h"
#include "lang/base/l10n.h"

enum { EXIT_SAME = 0, EXIT_MOVED = 1, EXIT_INPUT = 2 };

static const char diff_usage[] =
    "usage: tally diff RULES_A RULES_B DATA... [--format text|csv|json] [--encoding NAME]\n"
    "                  [--data-format wide|long|json] [--year YEAR] [--engine interp|jit|auto]\n"
    "Scores every report under both rule files (or folders of versions) and shows the\n"
    "totals and grades under each and the indicators whose score moved.\n"
    "exit status: 0 nothing moved; 1 something moved; 2 a rule file or data file had errors.\n";

/* One side of the diff: a policy, and for each of its versions a scorer
 * (made when first needed) and the engine that chose its code. */
typedef struct Side {
    Policy pol;
    Engine *engines;
    Scorer *scorers;
    bool *ready;
    Arena arena;             /* the current report's results */
} Side;

static bool side_load(Side *s, const char *path, const EngineOptions *eo, DiagList *diags)
{
    memset(s, 0, sizeof *s);
    arena_init(&s->arena);
    if (!policy_load(&s->pol, path, diags))
        return false;
    int n = s->pol.nversions;
    s->engines = xcalloc((size_t)n, sizeof *s->engines);
    s->scorers = xcalloc((size_t)n, sizeof *s->scorers);
    s->ready = xcalloc((size_t)n, sizeof *s->ready);
    for (int v = 0; v < n; v++) {
        engine_init(&s->engines[v], s->pol.versions[v], eo);
        engine_before_load(&s->engines[v], 0);
    }
    return true;
}

static void side_free(Side *s)
{
    for (int v = 0; v < s->pol.nversions; v++) {
        if (s->ready && s->ready[v])
            scorer_free(&s->scorers[v]);
        if (s->engines) {
            engine_end_run(&s->engines[v]);
            engine_free(&s->engines[v]);
        }
    }
    free(s->engines);
    free(s->scorers);
    free(s->ready);
    policy_free(&s->pol);
    arena_free(&s->arena);
}

/* Score report r under side s: its year's version, or an error saying why none. */
static void side_score(Side *s, const Report *r, int year, ReportResult *out, const char **version,
                       DiagList *diags)
{
    const char *why = NULL;
    int v = r->error ? 0 : policy_choose(&s->pol, r->year ? r->year : year, &why, &s->arena);
    *version = NULL;
    if (v < 0) {
        memset(out, 0, sizeof *out);
        out->report = r;
        out->id = r->id;
        out->error = why;
        out->total = out->stated_total = out->reported_sum = out->max_total = val_missing();
        findings_init(&out->findings, &s->arena);
        return;
    }
    if (!s->ready[v]) {
        ScoreOptions so = {.explain = false};
        scorer_init(&s->scorers[v], s->pol.versions[v], &so, &s->arena);
        scorer_set_jit(&s->scorers[v], engine_code(&s->engines[v]));
        s->ready[v] = true;
    }
    if (!r->error)
        *version = s->pol.names[v];
    score_report(&s->scorers[v], r, out, diags);
}

int diff_main(int argc, char **argv)
{
    const char *rules[2] = {NULL, NULL};
    PtrVec data = {0};
    OutFormat fmt = OUT_TEXT;
    LoadOptions load = {0};
    EngineOptions eo;
    engine_options_default(&eo);
    int year = 0;
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(s, "--format") == 0 && val) {
            i++;
            if (strcmp(val, "text") == 0) fmt = OUT_TEXT;
            else if (strcmp(val, "csv") == 0) fmt = OUT_CSV;
            else if (strcmp(val, "json") == 0) fmt = OUT_JSON;
            else {
                diag_printf(stderr, _("tally: --format is text, csv or json, not '%s'\n"), val);
                ptrvec_free(&data);
                return EXIT_INPUT;
            }
        } else if (strcmp(s, "--encoding") == 0 && val) {
            load.encoding = argv[++i];
        } else if (strcmp(s, "--data-format") == 0 && val) {
            i++;
            if (strcmp(val, "wide") == 0) load.format = DATA_CSV_WIDE;
            else if (strcmp(val, "long") == 0) load.format = DATA_CSV_LONG;
            else if (strcmp(val, "json") == 0) load.format = DATA_JSON;
            else {
                diag_printf(stderr, _("tally: --data-format is wide, long or json, not '%s'\n"), val);
                ptrvec_free(&data);
                return EXIT_INPUT;
            }
        } else if (strcmp(s, "--year") == 0 && val) {
            char *end;
            long y = strtol(argv[++i], &end, 10);
            if (*end || y < 1000 || y > 9999) {
                diag_printf(stderr, _("tally: --year is a year such as 2024, not '%s'\n"), val);
                ptrvec_free(&data);
                return EXIT_INPUT;
            }
            year = (int)y;
        } else if (strcmp(s, "--engine") == 0 && val) {
            if (!engine_kind_parse(argv[++i], &eo.kind)) {
                diag_printf(stderr, _("tally: --engine is interp, jit or auto, not '%s'\n"), val);
                ptrvec_free(&data);
                return EXIT_INPUT;
            }
        } else if (strcmp(s, "--jit-cache") == 0 && val) {
            eo.jit.cache_dir = argv[++i];
        } else if (s[0] == '-' && s[1] != 0) {
            diag_printf(stderr, _("tally: unknown option '%s' (or it needs a value)\n%s"), s, diff_usage);
            ptrvec_free(&data);
            return EXIT_INPUT;
        } else if (!rules[0]) {
            rules[0] = s;
        } else if (!rules[1]) {
            rules[1] = s;
        } else {
            ptrvec_push(&data, (void *)s);
        }
    }
    if (!rules[1] || !data.len) {
        diag_printf(stderr, _("tally: diff needs two rule files (or folders) and a data file\n%s"), diff_usage);
        ptrvec_free(&data);
        return EXIT_INPUT;
    }
    const char *nc = getenv("NO_COLOR");
    bool color = isatty(STDERR_FILENO) && !(nc && *nc);
    DiagList diags;
    diag_init(&diags);
    Side side[2];
    bool ok = side_load(&side[0], rules[0], &eo, &diags);
    ok = side_load(&side[1], rules[1], &eo, &diags) && ok;
    if (!ok) {
        diag_render_all(&diags, stderr, color);
        diag_free(&diags);
        side_free(&side[0]);
        side_free(&side[1]);
        ptrvec_free(&data);
        return EXIT_INPUT;
    }
    ReportSet set;
    reportset_init(&set);
    load.forms = forms_for_program(side[0].pol.versions[0], &set.arena, &diags); /* A's, as tally score */
    for (size_t i = 0; i < data.len; i++)
        reportset_load(&set, data.items[i], &load, &diags);
    for (int k = 0; k < 2; k++)
        for (int v = 0; v < side[k].pol.nversions; v++)
            engine_after_load(&side[k].engines[v], set.len);
    diag_render_all(&diags, stderr, color);
    bool input_errors = diags.errors > 0;
    diag_free(&diags);

    DiffOutput d = {0};
    d.f = stdout;
    d.fmt = fmt;
    d.a_name = rules[0];
    d.b_name = rules[1];
    d.versions = side[0].pol.folder || side[1].pol.folder;
    diff_begin(&d);
    for (size_t i = 0; i < set.len; i++) {
        const Report *r = &set.reports[i];
        ReportResult res[2];
        const char *version[2];
        DiagList rd;
        diag_init(&rd);
        for (int k = 0; k < 2; k++)
            side_score(&side[k], r, year, &res[k], &version[k], &rd);
        diag_render_all(&rd, stderr, color);
        input_errors |= rd.errors > 0;
        diag_free(&rd);
        diff_report(&d, &res[0], version[0], &res[1], version[1]);
        for (int k = 0; k < 2; k++) {
            result_free(&res[k]);
            arena_reset(&side[k].arena);
        }
    }
    diff_end(&d);
    int status = input_errors || d.errors ? EXIT_INPUT : d.moved ? EXIT_MOVED : EXIT_SAME;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fputs(_("tally: cannot write results\n"), stderr);
        status = 3;
    }
    diff_free(&d);
    reportset_free(&set);
    side_free(&side[0]);
    side_free(&side[1]);
    ptrvec_free(&data);
    return status;
}
