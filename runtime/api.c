/* api.c - the public API (include/tally.h) over the library's modules. */
#include "runtime/include/tally.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "lang/base/l10n.h"
#include "forms.h"
#include "lang/base/memstream.h"
#include "lang/program.h"
#include "runtime/data/report.h"
#include "runtime/output/output.h"
#include "runtime/score/score.h"

struct TallyRules {
    Program *prog;
    Engine *engine;     /* tally_rules_use_jit's, or NULL */
    const JitProgram *jit; /* its compiled code, or NULL: the interpreter */
};

struct TallyData {
    ReportSet set;
};

struct TallyResult {
    Arena arena;
    Scorer scorer;
    ReportResult res;
    const Program *prog;
    const char *total, *stated_total;
};

const char *tally_version(void)
{
    return TALLY_VERSION;
}

bool tally_set_language(const char *lang)
{
    TlLang l;
    if (!l10n_parse(lang, &l))
        return false;
    l10n_set_lang(l);
    return true;
}

void tally_set_localedir(const char *dir)
{
    l10n_set_localedir(dir);
}

/* Render diagnostics into a malloc'd string for *errors. */
static void give_errors(DiagList *diags, char **errors)
{
    if (errors) {
        *errors = NULL;
        if (diags->len) {
            size_t len;
            FILE *f = memstream_open(errors, &len);
            diag_render_all(diags, f, false);
            fclose(f);
        }
    }
    diag_free(diags);
}

static TallyRules *wrap_rules(Program *p)
{
    if (!p)
        return NULL;
    TallyRules *r = xcalloc(1, sizeof *r);
    r->prog = p;
    return r;
}

TallyRules *tally_rules_load(const char *path, char **errors)
{
    DiagList diags;
    diag_init(&diags);
    Program *p = program_load(path, &diags);
    give_errors(&diags, errors);
    return wrap_rules(p);
}

TallyRules *tally_rules_compile(const char *name, const char *text, size_t len, char **errors)
{
    DiagList diags;
    diag_init(&diags);
    Program *p = program_compile_sealed(name, text, len, &diags);
    give_errors(&diags, errors);
    return wrap_rules(p);
}

bool tally_rules_use_jit(TallyRules *rules, const char *cache_dir, char **errors)
{
    if (errors)
        *errors = NULL;
    if (!rules) {
        if (errors)
            *errors = xstrdup("no rules");
        return false;
    }
    if (rules->jit)
        return true;
    /* The engine `tally score --engine jit --jit-cache DIR` uses, without its
     * messages: the reason comes back in *errors. */
    EngineOptions opt;
    engine_options_default(&opt);
    opt.kind = ENGINE_JIT;
    opt.jit.cache_dir = cache_dir;
    opt.messages = NULL;
    if (rules->engine)
        engine_free(rules->engine); /* an earlier attempt that failed */
    else
        rules->engine = xmalloc(sizeof *rules->engine);
    engine_init(rules->engine, rules->prog, &opt);
    engine_before_load(rules->engine, 0);
    engine_after_load(rules->engine, 0);
    rules->jit = engine_code(rules->engine);
    if (!rules->jit && errors) {
        const char *why = engine_failure(rules->engine);
        *errors = xstrdup(why ? why : "no compiled code");
    }
    return rules->jit != NULL;
}

void tally_rules_free(TallyRules *rules)
{
    if (rules) {
        if (rules->engine) /* its code borrows the program: first */
            engine_free(rules->engine);
        free(rules->engine);
        program_free(rules->prog);
        free(rules);
    }
}

static TallyData *load_data(const char *path, const char *name, const char *text, size_t len,
                            const char *encoding, char **errors)
{
    TallyData *d = xcalloc(1, sizeof *d);
    reportset_init(&d->set);
    DiagList diags;
    diag_init(&diags);
    /* Data is loaded apart from rules: forms are read with the default forms. */
    LoadOptions lo = {DATA_AUTO, encoding, forms_for_program(NULL, &d->set.arena, &diags)};
    bool ok = path ? reportset_load(&d->set, path, &lo, &diags)
                   : reportset_load_buffer(&d->set, name, text, len, &lo, &diags);
    give_errors(&diags, errors);
    if (!ok && d->set.len == 0) {
        tally_data_free(d);
        return NULL;
    }
    return d;
}

TallyData *tally_data_load(const char *path, const char *encoding, char **errors)
{
    return load_data(path, NULL, NULL, 0, encoding, errors);
}

TallyData *tally_data_parse(const char *name, const char *text, size_t len, char **errors)
{
    return load_data(NULL, name, text, len, NULL, errors);
}

size_t tally_data_count(const TallyData *data)
{
    return data ? data->set.len : 0;
}

const char *tally_data_report_id(const TallyData *data, size_t i)
{
    return data && i < data->set.len ? data->set.reports[i].id : NULL;
}

void tally_data_free(TallyData *data)
{
    if (data) {
        reportset_free(&data->set);
        free(data);
    }
}

static const char *dec_text(Arena *a, TlValue v)
{
    if (v.kind != TL_NUM)
        return NULL;
    char buf[DEC_BUF];
    dec_format_trim(v.u.num, DEC_MAX_SCALE, buf);
    return arena_strdup(a, buf);
}

TallyResult *tally_score(const TallyRules *rules, const TallyData *data, size_t i, bool explain)
{
    if (!rules || !data || i >= data->set.len)
        return NULL;
    TallyResult *r = xcalloc(1, sizeof *r);
    arena_init(&r->arena);
    ScoreOptions so = {.explain = explain};
    r->prog = rules->prog;
    scorer_init(&r->scorer, rules->prog, &so, &r->arena);
    scorer_set_jit(&r->scorer, rules->jit);
    DiagList diags;
    diag_init(&diags);
    scorer_batch(&r->scorer, &data->set.reports[i], 1); /* compiled code: a batch of one */
    score_report(&r->scorer, &data->set.reports[i], &r->res, &diags);
    diag_free(&diags);
    r->total = dec_text(&r->arena, r->res.total);
    r->stated_total = dec_text(&r->arena, r->res.stated_total);
    return r;
}

void tally_result_free(TallyResult *r)
{
    if (!r)
        return;
    result_free(&r->res);
    scorer_free(&r->scorer);
    arena_free(&r->arena);
    free(r);
}

const char *tally_result_report(const TallyResult *r) { return r->res.id; }
const char *tally_result_error(const TallyResult *r) { return r->res.error; }
const char *tally_result_total(const TallyResult *r) { return r->res.error ? NULL : r->total; }
const char *tally_result_stated_total(const TallyResult *r) { return r->stated_total; }
const char *tally_result_grade(const TallyResult *r) { return r->res.grade; }
size_t tally_result_finding_count(const TallyResult *r) { return r->res.findings.len; }

/* A severity as the API names it. */
static const char *severity_word(DiagSeverity s)
{
    switch (s) {
    case DIAG_ERROR: return "error";
    case DIAG_WARNING: return "warning";
    case DIAG_NOTE: return "note";
    }
    return "error";
}

static const Finding *finding_at(const TallyResult *r, size_t i)
{
    return i < r->res.findings.len ? &r->res.findings.items[i] : NULL;
}

const char *tally_result_finding_code(const TallyResult *r, size_t i)
{
    const Finding *f = finding_at(r, i);
    return f ? finding_info(f->kind)->code : NULL;
}

const char *tally_result_finding_severity(const TallyResult *r, size_t i)
{
    const Finding *f = finding_at(r, i);
    return f ? severity_word(finding_info(f->kind)->severity) : NULL;
}

const char *tally_result_finding_subject(const TallyResult *r, size_t i)
{
    const Finding *f = finding_at(r, i);
    return f ? f->subject : NULL;
}

const char *tally_result_finding_message(const TallyResult *r, size_t i)
{
    const Finding *f = finding_at(r, i);
    return f ? f->message : NULL;
}

char *tally_result_json(const TallyResult *r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = memstream_open(&text, &len);
    Output o = {0};
    o.f = f;
    o.fmt = OUT_JSON;
    o.prog = r->prog;
    o.explain = r->scorer.opt.explain; /* scored with explanations: print them, as --explain does */
    output_report(&o, &r->res);
    fclose(f);
    return text;
}

/* Diagnostics as data ------------------------------------------------------ */

typedef struct DiagItem {
    const char *severity;
    char *message, *hint;
    int line, column;
} DiagItem;

struct TallyDiagnostics {
    DiagItem *items;
    size_t len, errors;
    char *text;
};

/* Copy what a host reads out of diags (positions resolved now, while their
 * sources still exist) and free diags. */
static TallyDiagnostics *take_diagnostics(DiagList *diags)
{
    TallyDiagnostics *d = xcalloc(1, sizeof *d);
    d->items = xcalloc(diags->len ? diags->len : 1, sizeof *d->items);
    for (size_t i = 0; i < diags->len; i++) {
        const Diag *g = &diags->items[i];
        DiagItem *it = &d->items[d->len++];
        it->severity = severity_word(g->severity);
        it->message = xstrdup(g->message);
        it->hint = g->hint ? xstrdup(g->hint) : NULL;
        if (g->src)
            source_position(g->src, g->span.start, &it->line, &it->column);
        else
            it->line = g->line, it->column = g->col;
    }
    d->errors = diags->errors;
    size_t len;
    FILE *f = memstream_open(&d->text, &len);
    diag_render_all(diags, f, false);
    fclose(f);
    diag_free(diags);
    return d;
}

TallyRules *tally_rules_compile_with_diagnostics(const char *name, const char *text, size_t len,
                                                 TallyDiagnostics **diagnostics)
{
    DiagList diags;
    diag_init(&diags);
    Program *p = program_compile_sealed(name, text, len, &diags);
    if (diagnostics)
        *diagnostics = take_diagnostics(&diags);
    else
        diag_free(&diags);
    return wrap_rules(p);
}

size_t tally_diagnostics_count(const TallyDiagnostics *d) { return d ? d->len : 0; }
size_t tally_diagnostics_errors(const TallyDiagnostics *d) { return d ? d->errors : 0; }

static const DiagItem *diag_item(const TallyDiagnostics *d, size_t i)
{
    return d && i < d->len ? &d->items[i] : NULL;
}

const char *tally_diagnostic_severity(const TallyDiagnostics *d, size_t i)
{
    const DiagItem *it = diag_item(d, i);
    return it ? it->severity : NULL;
}

const char *tally_diagnostic_message(const TallyDiagnostics *d, size_t i)
{
    const DiagItem *it = diag_item(d, i);
    return it ? it->message : NULL;
}

const char *tally_diagnostic_hint(const TallyDiagnostics *d, size_t i)
{
    const DiagItem *it = diag_item(d, i);
    return it ? it->hint : NULL;
}

int tally_diagnostic_line(const TallyDiagnostics *d, size_t i)
{
    const DiagItem *it = diag_item(d, i);
    return it ? it->line : 0;
}

int tally_diagnostic_column(const TallyDiagnostics *d, size_t i)
{
    const DiagItem *it = diag_item(d, i);
    return it ? it->column : 0;
}

const char *tally_diagnostics_text(const TallyDiagnostics *d)
{
    return d && d->text ? d->text : "";
}

void tally_diagnostics_free(TallyDiagnostics *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->len; i++) {
        free(d->items[i].message);
        free(d->items[i].hint);
    }
    free(d->items);
    free(d->text);
    free(d);
}

/* Report data built by the host -------------------------------------------- */

TallyData *tally_data_new(void)
{
    TallyData *d = xcalloc(1, sizeof *d);
    reportset_init(&d->set);
    return d;
}

size_t tally_data_add_table(TallyData *data, const char *source, const char *report,
                            const TallyRow *rows, size_t nrows, char **errors)
{
    RowCells *cells = xcalloc(nrows ? nrows : 1, sizeof *cells);
    for (size_t i = 0; i < nrows; i++) {
        const TallyRow *r = &rows[i];
        cells[i] = (RowCells){r->line, r->level1, r->level2, r->indicator, r->target,
                              r->actual, r->weight, r->reported, r->reason};
    }
    DiagList diags;
    diag_init(&diags);
    size_t idx = reportset_add_table(&data->set, source ? source : "rows", report,
                                     nrows ? rows[0].line : 0, cells, nrows, &diags);
    free(cells);
    give_errors(&diags, errors);
    return idx;
}

size_t tally_data_add_figures(TallyData *data, const char *source, int line, const char *report,
                              const char *const *names, const char *const *cells, size_t n,
                              char **errors)
{
    DiagList diags;
    diag_init(&diags);
    size_t idx = reportset_add_figures(&data->set, source ? source : "figures", report, line,
                                       names, cells, n, &diags);
    give_errors(&diags, errors);
    return idx;
}
