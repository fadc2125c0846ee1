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

#include "output.h"
#include "program.h"
#include "report.h"
#include "score.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char separator[] = "\n@@@@\n";

/* Score report i and write it in format fmt to f (NULL: /dev/null). */
static void render(Scorer *sc, Arena *arena, const Report *r, OutFormat fmt, bool explain, FILE *f,
                   size_t *written)
{
    Output o = {0};
    o.f = f;
    o.fmt = fmt;
    o.explain = explain;
    o.prog = sc->prog;
    DiagList diags;
    diag_init(&diags);
    ReportResult res;
    output_begin(&o);
    score_report(sc, r, &res, &diags);
    output_report(&o, &res);
    output_end(&o);
    *written += o.count;
    result_free(&res);
    diag_free(&diags);
    arena_free(arena);
    arena_init(arena);
}

static char *render_to_memory(Scorer *sc, Arena *arena, const Report *r, size_t *len)
{
    char *buf = NULL;
    FILE *m = open_memstream(&buf, len);
    size_t written = 0;
    render(sc, arena, r, OUT_JSON, true, m, &written);
    fclose(m);
    return buf;
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
    LoadOptions opt = {DATA_AUTO, NULL};
    reportset_load_buffer(&set, "fuzz.csv", body, body_len, &opt, &diags);
    diag_render_all(&diags, null, false);

    Arena arena;
    arena_init(&arena);
    Scorer sc;
    ScoreOptions so = {true};
    scorer_init(&sc, prog, &so, &arena);
    size_t limit = set.len < 8 ? set.len : 8; /* keep each run short */
    size_t written[3] = {0, 0, 0};
    char *first = NULL;
    size_t first_len = 0;
    for (size_t i = 0; i < limit; i++) {
        if (i == 0)
            first = render_to_memory(&sc, &arena, &set.reports[0], &first_len);
        for (int fmt = OUT_TEXT; fmt <= OUT_JSON; fmt++)
            render(&sc, &arena, &set.reports[i], (OutFormat)fmt, fmt == OUT_TEXT, null,
                   &written[fmt]);
    }
    for (int fmt = OUT_TEXT; fmt <= OUT_JSON; fmt++)
        if (written[fmt] != limit)
            abort(); /* a report vanished from the output */
    if (first) {
        size_t again_len = 0;
        char *again = render_to_memory(&sc, &arena, &set.reports[0], &again_len);
        if (again_len != first_len || memcmp(first, again, first_len) != 0) {
            fprintf(stderr, "report 0 scored differently after the others:\n%s\n---\n%s\n", first,
                    again);
            abort();
        }
        free(again);
        free(first);
    }
    scorer_free(&sc);
    arena_free(&arena);
    reportset_free(&set);
    program_free(prog);
    diag_free(&diags);
    return 0;
}
