/* fuzz_score.c - libFuzzer harness for whole scoring: a rule file and a data
 * file in one input, separated by a line "@@@@".  Compiles the rules, loads
 * the data, scores every report and renders it in every format.
 *
 * Besides crashes it checks two promises: every input report appears in the
 * output, and scoring a report does not depend on the reports scored before
 * it (the interpreter's memory of lets and scores is reset between reports):
 * the first report, scored again last, must render exactly as it did first. */
#define _GNU_SOURCE /* memmem */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/program.h"
#include "runtime/data/report.h"
#include "runtime/output/output.h"
#include "runtime/score/score.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char separator[] = "\n@@@@\n";

/* Write one scored report as a whole output of format fmt to f. */
static void render(const Program *prog, const ReportResult *res, OutFormat fmt, FILE *f,
                   size_t *written)
{
    Output o = {0};
    o.f = f;
    o.fmt = fmt;
    o.explain = true;
    o.prog = prog;
    output_begin(&o);
    output_report(&o, res);
    output_end(&o);
    *written += o.count;
}

/* Score report r and render it in every format (to /dev/null); when `keep`
 * is given, also as JSON into a string returned there. */
static void score_and_render(Scorer *sc, Arena *arena, const Report *r, FILE *null,
                             size_t written[3], char **keep)
{
    DiagList diags;
    diag_init(&diags);
    ReportResult res;
    score_report(sc, r, &res, &diags);
    for (int fmt = OUT_TEXT; fmt <= OUT_JSON; fmt++)
        render(sc->prog, &res, (OutFormat)fmt, null, &written[fmt]);
    if (keep) {
        size_t len = 0, n = 0;
        FILE *m = open_memstream(keep, &len);
        render(sc->prog, &res, OUT_JSON, m, &n);
        fclose(m);
    }
    result_free(&res);
    diag_free(&diags);
    arena_free(arena);
    arena_init(arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *null;
    if (!null)
        null = fopen("/dev/null", "w");
    const char *text = (const char *)data;
    const char *sep = memmem(text, size, separator, sizeof separator - 1);
    if (!sep)
        return 0;
    size_t rules_len = (size_t)(sep - text);
    const char *body = sep + sizeof separator - 1;
    size_t body_len = size - rules_len - (sizeof separator - 1);

    DiagList diags;
    diag_init(&diags);
    Program *prog = program_compile("fuzz.tally", text, rules_len, &diags);
    if (!prog) {
        diag_free(&diags);
        return 0;
    }
    ReportSet set;
    reportset_init(&set);
    LoadOptions opt = {DATA_AUTO, NULL, NULL};
    reportset_load_buffer(&set, "fuzz.csv", body, body_len, &opt, &diags);
    diag_render_all(&diags, null, false);

    Arena arena;
    arena_init(&arena);
    Scorer sc;
    ScoreOptions so = {.explain = true};
    scorer_init(&sc, prog, &so, &arena);
    /* Keep each run short: at most 8 reports, and a step limit a tenth of
     * the real one (an input that reaches it is slow by design, not a hang). */
    sc.st.max_steps = EVAL_MAX_STEPS / 10;
    size_t limit = set.len < 8 ? set.len : 8;
    size_t written[3] = {0, 0, 0};
    char *first = NULL, *again = NULL;
    for (size_t i = 0; i < limit; i++)
        score_and_render(&sc, &arena, &set.reports[i], null, written, i == 0 ? &first : NULL);
    for (int fmt = OUT_TEXT; fmt <= OUT_JSON; fmt++)
        if (written[fmt] != limit)
            abort(); /* a report vanished from the output */
    if (limit > 1) {
        score_and_render(&sc, &arena, &set.reports[0], null, written, &again);
        if (strcmp(first, again) != 0) {
            fprintf(stderr, "report 0 scored differently after the others:\n%s\n---\n%s\n", first,
                    again);
            abort();
        }
    }
    free(first);
    free(again);
    scorer_free(&sc);
    arena_free(&arena);
    reportset_free(&set);
    program_free(prog);
    diag_free(&diags);
    return 0;
}
