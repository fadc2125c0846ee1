/* api.c - the public API (include/tally.h) over the library's modules. */
#include "runtime/include/tally.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
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
    Program *p = program_compile(name, text, len, &diags);
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
    LoadOptions lo = {DATA_AUTO, encoding};
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
    ScoreOptions so = {explain};
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
    if (!f)
        return NULL;
    switch (finding_info(f->kind)->severity) {
    case DIAG_ERROR: return "error";
    case DIAG_WARNING: return "warning";
    case DIAG_NOTE: return "note";
    }
    return "error";
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
    output_report(&o, &r->res);
    fclose(f);
    return text;
}
