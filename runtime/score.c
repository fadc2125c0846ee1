/* score.c - run a checked program over one report. */
#include "score.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jit_rt.h"
#include "lang/base/text.h"

static char *squash_space(char *s);

static const char *fmt_val(Arena *a, TlValue v)
{
    char buf[VAL_BUF];
    val_format(&v, buf);
    return arena_strdup(a, buf);
}

static const char *fmt_dec(Arena *a, TlDec d)
{
    char buf[DEC_BUF];
    dec_format_trim(d, 6, buf);
    return arena_strdup(a, buf);
}

static TlDec dzero(void) { return dec_from_int(0); }

/* Add v (missing counts as 0) to *sum. */
static void add_to(TlValue *sum, TlValue v)
{
    if (sum->kind != TL_NUM) {
        *sum = val_num(dzero());
    }
    if (v.kind == TL_NUM && !dec_add(sum->u.num, v.u.num, &sum->u.num))
        *sum = val_missing();
}

/* What a scored fixed indicator or table row says about the rules: the same
 * for every report, so computed once per scorer. */
typedef struct RuleTexts {
    const char *level1, *level2; /* fixed indicators: the top group and the nested one */
    const char *method, *why, *formula;
    const Expr *body;            /* fixed indicators: the formula or method body */
} RuleTexts;

/* The figure names of the last report bound (copied: that report's storage
 * may be gone by the next one) and, per input, the figure it reads. */
typedef struct Layout {
    bool valid;
    size_t n;                    /* figures */
    size_t *off;                 /* where figure k's name starts in text */
    char *text;                  /* the names, each NUL-terminated */
    size_t off_cap, text_cap;
    size_t *fig;                 /* per input: index into the figures, or SIZE_MAX */
} Layout;

/* Reports scored ahead by the batch kernels (scorer_batch): their columns
 * and, per indicator with a batch kernel, one JitRowResult per report. */
typedef struct BatchAhead {
    const Report *first;         /* results are for first[0 .. n - 1]; n = 0: none */
    size_t n, cap;               /* rows held, rows allocated */
    JitColumns cols;
    int64_t *coef;               /* (inputs + lets) x cap */
    int32_t *scale, *steps;
    uint8_t *tag;
    uint16_t *unit;
    int8_t *mag;
    uint32_t *text;              /* inputs x cap */
    JitRowResult *results;       /* nbatch x cap */
    JitRowResult **out;          /* per indicator: its rows in results, or NULL */
    /* Table rows of those reports that a rows rule with a batch kernel
     * scores: their context words in columns, grouped by rule. */
    size_t *row_first;           /* per report: where its rows start in row_slot */
    long *row_slot;              /* per row: its result in row_results, or -1 */
    int *row_rule;               /* per row: the rows rule that scores it, or -1 (score_table takes it) */
    int64_t *rcoef;              /* CTX_COUNT x rcap */
    int32_t *rscale;
    uint8_t *rtag;
    uint16_t *runit;
    int8_t *rmag;
    JitRowResult *row_results;   /* rcap */
    size_t rcap;
    size_t *rule_count, *rule_fill;
} BatchAhead;

/* Results held for at most this many indicator rows at once (64 bytes each). */
#define BATCH_AHEAD_CELLS 16384
#define BATCH_AHEAD_MAX_ROWS 512

typedef struct ScorerCache {
    RuleTexts *fixed;            /* per fixed indicator */
    RuleTexts *rules;            /* per rows rule */
    TlValue weights;             /* the top level's weights added up: the total without `total` */
    Layout layout;
    BatchAhead ahead;
} ScorerCache;

static void build_cache(Scorer *sc)
{
    const Program *p = sc->prog;
    Arena *a = &sc->state;
    ScorerCache *c = arena_alloc(a, sizeof *c);
    c->fixed = arena_alloc(a, (size_t)(p->nindicators + 1) * sizeof *c->fixed);
    for (int i = 0; i < p->nindicators; i++) {
        const Indicator *ind = &p->indicators[i];
        RuleTexts *t = &c->fixed[i];
        /* level1: the top-level group; level2: the group holding it, when nested. */
        int top = ind->group;
        while (top >= 0 && p->groups[top].parent >= 0)
            top = p->groups[top].parent;
        t->level1 = top >= 0 ? p->groups[top].decl->name : "";
        t->level2 = ind->group >= 0 && ind->group != top ? p->groups[ind->group].decl->name : "";
        const Expr *m = ind->method_call;
        const Sym *ms = m ? (m->kind == E_CALL ? m->u.call.sym : m->u.name.sym) : NULL;
        t->method = ms ? ms->name : "formula";
        t->why = ms ? "the indicator says: using" : "the indicator's score formula";
        t->body = ind->score ? ind->score : ms && ms->kind == SYM_METHOD ? ms->decl->u.method.body : m;
        t->formula = t->body ? squash_space(program_text(p, t->body->span, a)) : "";
    }
    c->rules = arena_alloc(a, (size_t)(p->nrules + 1) * sizeof *c->rules);
    for (int r = 0; r < p->nrules; r++) {
        const RowRule *rule = &p->rules[r];
        RuleTexts *t = &c->rules[r];
        const Expr *m = rule->method;
        const Sym *ms = m ? (m->kind == E_CALL ? m->u.call.sym : m->u.name.sym) : NULL;
        t->level1 = t->level2 = t->method = t->why = t->formula = "";
        if (!ms)
            continue;
        int line, col;
        source_position(&p->src, rule->span.start, &line, &col);
        t->method = ms->name;
        t->why = arena_printf(a, "line %d: %s", line, squash_space(program_text(p, rule->span, a)));
        t->formula = ms->kind == SYM_METHOD ? squash_space(program_text(p, ms->decl->u.method.body->span, a))
                     : ms->builtin                ? ms->builtin->signature
                                                  : "";
    }
    c->weights = val_num(dzero());
    for (int i = 0; i < p->nindicators; i++)
        if (p->indicators[i].group < 0)
            add_to(&c->weights, val_num(p->indicators[i].weight));
    for (int g = 0; g < p->ngroups; g++)
        if (p->groups[g].parent < 0)
            add_to(&c->weights, val_num(p->groups[g].weight));
    c->layout.fig = arena_alloc(a, (size_t)(p->ninputs + 1) * sizeof *c->layout.fig);
    sc->cache = c;
}

void scorer_init(Scorer *sc, const Program *prog, const ScoreOptions *opt, Arena *arena)
{
    memset(sc, 0, sizeof *sc);
    sc->prog = prog;
    sc->opt = *opt;
    sc->arena = arena;
    arena_init(&sc->state);
    eval_init(&sc->st, prog, &sc->state);
    build_cache(sc);
}

void scorer_free(Scorer *sc)
{
    if (sc->cache) {
        BatchAhead *b = &sc->cache->ahead;
        free(sc->cache->layout.off);
        free(sc->cache->layout.text);
        free(b->coef);
        free(b->scale);
        free(b->steps);
        free(b->tag);
        free(b->unit);
        free(b->mag);
        free(b->text);
        free(b->results);
        free(b->out);
        free(b->cols.coef);
        free(b->cols.scale);
        free(b->cols.tag);
        free(b->cols.let_steps);
        free(b->cols.unit);
        free(b->cols.mag);
        free(b->cols.text);
        free(b->runit);
        free(b->rmag);
        free(b->row_first);
        free(b->row_slot);
        free(b->row_rule);
        free(b->rcoef);
        free(b->rscale);
        free(b->rtag);
        free(b->row_results);
        free(b->rule_count);
        free(b->rule_fill);
    }
    arena_free(&sc->state);
    sc->cache = NULL;
}

void scorer_set_jit(Scorer *sc, const JitProgram *jp)
{
    sc->jit = jp;
    sc->jit_ctx = NULL;
    sc->cache->ahead.n = 0; /* results of other code: drop them */
    if (jp) {
        sc->jit_ctx = arena_alloc(&sc->state, sizeof *sc->jit_ctx);
        jit_ctx_init(sc->jit_ctx, &sc->st, jp, jp->consts.values, jp->none);
    }
}

/* Is this report scored by compiled code? */
static bool use_jit(const Scorer *sc)
{
    return sc->jit_ctx && !sc->opt.explain;
}

void result_free(ReportResult *res)
{
    findings_free(&res->findings);
}

int result_worst(const ReportResult *res)
{
    int worst = -1;
    for (size_t i = 0; i < res->findings.len; i++) {
        int sev = (int)finding_info(res->findings.items[i].kind)->severity;
        if (worst < 0 || sev < worst)
            worst = sev;
    }
    return worst;
}

/* Inputs -------------------------------------------------------------------- */

typedef enum Bind { BIND_OK, BIND_TOO_LARGE, BIND_NOT_IN_UNIT, BIND_BAD } Bind;

/* Convert a report figure to the type its input declares. */
static Bind convert_input(const Sym *in, const Figure *fig, TlValue *out)
{
    TlValue v = fig->value;
    *out = v;
    /* 无 is a missing marker in cells, but as a yes/no answer it means no. */
    if (in->type.kind == TY_BOOL && strcmp(fig->raw, "无") == 0) {
        *out = val_bool(false);
        return BIND_OK;
    }
    if (v.kind == TL_MISSING)
        return BIND_OK;
    if (in->type.kind == TY_TEXT) {
        if (v.kind != TL_TEXT)
            *out = val_text(fig->raw);
        return BIND_OK;
    }
    if (in->type.kind == TY_BOOL) {
        const char *s = v.kind == TL_TEXT ? v.u.text : "";
        if (!strcmp(s, "是") || !strcmp(s, "true") || !strcmp(s, "有") || !strcmp(s, "☑"))
            *out = val_bool(true);
        else if (!strcmp(s, "否") || !strcmp(s, "false") || !strcmp(s, "无") || !strcmp(s, "□"))
            *out = val_bool(false);
        else
            return BIND_BAD;
        return BIND_OK;
    }
    if (in->type.kind == TY_ANY)
        return BIND_OK;
    if (v.kind != TL_NUM)
        return BIND_BAD;
    if (in->unit_written) {
        const char *base = in->type.unit;
        if (v.numkind == NUM_PLAIN) {
            /* A bare number in a column declared in 万元 is in 万元. */
            if (!value_magnify(v.u.num, in->mag, &out->u.num))
                return BIND_TOO_LARGE;
            out->numkind = NUM_QUANTITY;
            out->unit = base;
            out->mag = (int8_t)in->mag;
            return BIND_OK;
        }
        if (v.numkind == NUM_QUANTITY && (strcmp(v.unit, base) == 0 ||
                                          (unit_is_count_word(v.unit) && unit_is_count_word(base))))
            return BIND_OK;
        return BIND_NOT_IN_UNIT;
    }
    if (v.numkind == NUM_QUANTITY) {
        /* A count written with its unit ("115人") where a plain number is declared. */
        TlDec x;
        if (!dec_shift(v.u.num, -v.mag, &x))
            return BIND_BAD;
        *out = val_num(x);
    }
    return BIND_OK;
}

/* convert_input(), or false with a data diagnostic and *err when the cell
 * cannot be that type. */
static bool bind_input(Scorer *sc, const Sym *in, const Figure *fig, TlValue *out, DiagList *diags,
                       const char **err)
{
    const char *t = in->decl->u.input.type_name;
    switch (convert_input(in, fig, out)) {
    case BIND_OK:
        return true;
    case BIND_TOO_LARGE:
        *err = arena_printf(sc->arena, "column \"%s\": number too large", fig->name);
        diag_data(diags, DIAG_ERROR, fig->pos.file, fig->pos.line, 0, fig->name,
                  "number too large: '%s'", fig->raw);
        return false;
    case BIND_NOT_IN_UNIT:
        *err = arena_printf(sc->arena, "column \"%s\": '%s' is not in %s", fig->name, fig->raw, t);
        diag_data(diags, DIAG_ERROR, fig->pos.file, fig->pos.line, 0, fig->name,
                  "'%s' is not in %s, the unit the rules declare", fig->raw, t);
        return false;
    case BIND_BAD:
        break;
    }
    const char *want = in->type.kind == TY_BOOL ? "是 or 否" : "a number";
    *err = arena_printf(sc->arena, "column \"%s\": '%s' is not %s", fig->name, fig->raw, want);
    diag_data(diags, DIAG_ERROR, fig->pos.file, fig->pos.line, 0, fig->name, "'%s' is not %s",
              fig->raw, want);
    return false;
}

/* Per input, the index of the figure of r it reads (SIZE_MAX: none), as
 * report_figure() finds it.  Reports of one data file name the same figures
 * in the same order, so the look-up by name is done again only when the
 * names differ from the last report's. */
static const size_t *input_figures(Scorer *sc, const Report *r)
{
    Layout *l = &sc->cache->layout;
    bool same = l->valid && l->n == r->nfigures;
    for (size_t k = 0; same && k < r->nfigures; k++)
        same = strcmp(l->text + l->off[k], r->figures[k].name) == 0;
    if (same)
        return l->fig;
    l->valid = false;
    size_t need = 0;
    for (size_t k = 0; k < r->nfigures; k++)
        need += strlen(r->figures[k].name) + 1;
    if (r->nfigures > l->off_cap) {
        l->off_cap = r->nfigures;
        l->off = xrealloc(l->off, l->off_cap * sizeof *l->off);
    }
    if (need > l->text_cap) {
        l->text_cap = need;
        l->text = xrealloc(l->text, l->text_cap);
    }
    size_t at = 0;
    for (size_t k = 0; k < r->nfigures; k++) {
        size_t len = strlen(r->figures[k].name) + 1;
        memcpy(l->text + at, r->figures[k].name, len);
        l->off[k] = at;
        at += len;
    }
    for (int i = 0; i < sc->prog->ninputs; i++) {
        const Figure *fig = report_figure(r, sc->prog->inputs[i]->name);
        l->fig[i] = fig ? (size_t)(fig - r->figures) : SIZE_MAX;
    }
    l->n = r->nfigures;
    l->valid = true;
    return l->fig;
}

/* Names of inputs with missing values that an expression depends on,
 * through lets and methods.  Each let and method is walked once, so a rule
 * file whose lets use each other twice over costs linear time, not 2^n. */
typedef struct MissingWalk {
    Scorer *sc;
    char *buf;
    size_t n;
    unsigned char *seen_let, *seen_method;
} MissingWalk;

static void missing_inputs(MissingWalk *w, const Expr *e, int depth)
{
    if (!e || depth > EVAL_MAX_NESTING)
        return;
    switch (e->kind) {
    case E_LIT: return;
    case E_NAME: {
        const Sym *s = e->u.name.sym;
        if (!s)
            return;
        if (s->kind == SYM_INPUT && w->sc->st.inputs[s->index].kind == TL_MISSING &&
            !strstr(w->buf, s->name)) {
            size_t len = strlen(w->buf);
            snprintf(w->buf + len, w->n - len, "%s%s", len ? ", " : "", s->name);
        } else if (s->kind == SYM_LET && !w->seen_let[s->index]) {
            w->seen_let[s->index] = 1;
            missing_inputs(w, s->decl->u.let.value, depth + 1);
        }
        return;
    }
    case E_CALL: {
        for (int i = 0; i < e->u.call.nargs; i++)
            missing_inputs(w, e->u.call.args[i], depth + 1);
        const Sym *m = e->u.call.sym;
        if (m && m->kind == SYM_METHOD && !w->seen_method[m->index]) {
            w->seen_method[m->index] = 1;
            missing_inputs(w, m->decl->u.method.body, depth + 1);
        }
        return;
    }
    case E_UNARY: missing_inputs(w, e->u.unary.a, depth + 1); return;
    case E_BINARY:
        missing_inputs(w, e->u.binary.a, depth + 1);
        missing_inputs(w, e->u.binary.b, depth + 1);
        return;
    case E_IF:
        missing_inputs(w, e->u.cond.cond, depth + 1);
        missing_inputs(w, e->u.cond.then, depth + 1);
        missing_inputs(w, e->u.cond.els, depth + 1);
        return;
    case E_TIERS:
        missing_inputs(w, e->u.tiers.subject, depth + 1);
        return;
    }
}

/* Fixed indicators -------------------------------------------------------------- */

/* Cell `cell` of columns (coef, scale, tag, unit, mag; text ids, or NULL:
 * no text column) from a bound value: what a batch kernel can read, or
 * JIT_COL_OTHER. */
static void put_cell(const JitProgram *jp, const TlValue *v, size_t cell, int64_t *coef, int32_t *scale,
                     uint8_t *tag, uint16_t *unit, int8_t *mag, uint32_t *text)
{
    uint8_t t = JIT_COL_OTHER;
    int id = 0;
    switch (v->kind) {
    case TL_MISSING:
        t = JIT_COL_MISSING;
        break;
    case TL_BOOL:
        t = v->u.b ? JIT_COL_TRUE : JIT_COL_FALSE;
        break;
    case TL_TEXT:
        if (text) {
            t = JIT_COL_TEXT;
            text[cell] = (uint32_t)jit_name_id(&jp->texts, v->u.text);
        }
        break;
    case TL_NUM:
        if (v->qual != QUAL_NONE || v->flags)
            break;
        if (v->numkind == NUM_QUANTITY) {
            id = jit_name_id(&jp->units, v->unit);
            t = id ? JIT_COL_QUANTITY : JIT_COL_OTHER;
        } else if (!v->mag && !v->unit) {
            t = v->numkind == NUM_PERCENT ? JIT_COL_PERCENT : JIT_COL_PLAIN;
        }
        break;
    default:
        break;
    }
    tag[cell] = t;
    bool num = t == JIT_COL_PLAIN || t == JIT_COL_PERCENT || t == JIT_COL_QUANTITY;
    coef[cell] = num ? v->u.num.coef : 0;
    scale[cell] = num ? v->u.num.scale : 0;
    unit[cell] = (uint16_t)id;
    mag[cell] = t == JIT_COL_QUANTITY ? v->mag : 0;
}

/* Room for `rows` rows of columns and results. */
static void ahead_reserve(BatchAhead *b, const Program *p, const JitProgram *jp, size_t rows)
{
    if (rows <= b->cap && b->out)
        return;
    size_t ncols = (size_t)(p->ninputs + p->nlets);
    b->cap = rows;
    b->coef = xrealloc(b->coef, (ncols * rows + 1) * sizeof *b->coef);
    b->scale = xrealloc(b->scale, (ncols * rows + 1) * sizeof *b->scale);
    b->tag = xrealloc(b->tag, (ncols * rows + 1) * sizeof *b->tag);
    b->unit = xrealloc(b->unit, (ncols * rows + 1) * sizeof *b->unit);
    b->mag = xrealloc(b->mag, (ncols * rows + 1) * sizeof *b->mag);
    b->text = xrealloc(b->text, (ncols * rows + 1) * sizeof *b->text);
    b->steps = xrealloc(b->steps, ((size_t)p->nlets * rows + 1) * sizeof *b->steps);
    b->results = xrealloc(b->results, ((size_t)jp->nbatch * rows + 1) * sizeof *b->results);
    b->out = xrealloc(b->out, ((size_t)p->nindicators + 1) * sizeof *b->out);
    /* the columns' addresses: the inputs', then the lets' */
    b->cols.coef = xrealloc(b->cols.coef, (ncols + 1) * sizeof *b->cols.coef);
    b->cols.scale = xrealloc(b->cols.scale, (ncols + 1) * sizeof *b->cols.scale);
    b->cols.tag = xrealloc(b->cols.tag, (ncols + 1) * sizeof *b->cols.tag);
    b->cols.unit = xrealloc(b->cols.unit, (ncols + 1) * sizeof *b->cols.unit);
    b->cols.mag = xrealloc(b->cols.mag, (ncols + 1) * sizeof *b->cols.mag);
    b->cols.text = xrealloc(b->cols.text, (ncols + 1) * sizeof *b->cols.text);
    b->cols.let_steps = xrealloc(b->cols.let_steps, ((size_t)p->nlets + 1) * sizeof *b->cols.let_steps);
    for (size_t c = 0; c < ncols; c++) {
        b->cols.coef[c] = b->coef + c * rows;
        b->cols.scale[c] = b->scale + c * rows;
        b->cols.tag[c] = b->tag + c * rows;
        b->cols.unit[c] = b->unit + c * rows;
        b->cols.mag[c] = b->mag + c * rows;
        b->cols.text[c] = b->text + c * rows;
    }
    for (int l = 0; l < p->nlets; l++)
        b->cols.let_steps[l] = b->steps + (size_t)l * rows;
    b->cols.let_coef = b->cols.coef + p->ninputs;
    b->cols.let_scale = b->cols.scale + p->ninputs;
    b->cols.let_tag = b->cols.tag + p->ninputs;
    b->cols.let_unit = b->cols.unit + p->ninputs;
    b->cols.let_mag = b->cols.mag + p->ninputs;
    size_t used = 0;
    for (int i = 0; i < p->nindicators; i++) {
        b->out[i] = jp->batch[i] ? b->results + used * rows : NULL;
        used += jp->batch[i] != NULL;
    }
}

static void ahead_rows(Scorer *sc, const Report *r, size_t n);

/* Table rows a rows-rule batch kernel may score. */
static size_t table_rows(const Scorer *sc, const Report *r)
{
    return sc->jit->nbatch_rows && sc->prog->has_table && r->has_table && !r->error ? r->nrows : 0;
}

size_t scorer_batch(Scorer *sc, const Report *r, size_t n)
{
    BatchAhead *b = &sc->cache->ahead;
    const Program *p = sc->prog;
    b->n = 0;
    if (!use_jit(sc) || (sc->jit->nbatch == 0 && sc->jit->nbatch_rows == 0) || n == 0)
        return n;
    size_t nbatch = (size_t)sc->jit->nbatch;
    size_t rows = BATCH_AHEAD_CELLS / (nbatch ? nbatch : 1);
    rows = rows < 1 ? 1 : rows > BATCH_AHEAD_MAX_ROWS ? BATCH_AHEAD_MAX_ROWS : rows;
    /* at most `rows` reports, and about BATCH_AHEAD_CELLS results in all */
    size_t fit = 0, cells = 0;
    while (fit < n && fit < rows) {
        size_t c = nbatch + table_rows(sc, &r[fit]);
        if (fit > 0 && cells + c > BATCH_AHEAD_CELLS)
            break;
        cells += c;
        fit++;
    }
    n = fit;
    ahead_reserve(b, p, sc->jit, rows);
    size_t cap = b->cap;
    for (size_t k = 0; k < n && nbatch; k++) {
        const Report *rep = &r[k];
        const size_t *figs = rep->error ? NULL : input_figures(sc, rep);
        for (int j = 0; j < sc->jit->nbatch_inputs; j++) { /* the columns batch kernels read */
            int i = sc->jit->batch_inputs[j];
            size_t cell = (size_t)i * cap + k;
            TlValue v = val_missing();
            const Figure *fig = figs && figs[i] != SIZE_MAX ? &rep->figures[figs[i]] : NULL;
            /* a cell score_report() will refuse: the report is not scored */
            if (fig && convert_input(p->inputs[i], fig, &v) != BIND_OK)
                v = val_text("");
            put_cell(sc->jit, &v, cell, b->coef, b->scale, b->tag, b->unit, b->mag, b->text);
        }
    }
    b->cols.n = (long)n;
    jit_batch_run(sc->jit, &b->cols, b->out);
    ahead_rows(sc, r, n);
    b->first = r;
    b->n = n;
    return n;
}

/* r's row among the reports scored ahead, or -1. */
static long ahead_row(const Scorer *sc, const Report *r)
{
    const BatchAhead *b = &sc->cache->ahead;
    /* as integers: r may belong to another report set */
    uintptr_t at = (uintptr_t)r, first = (uintptr_t)b->first;
    if (!b->n || at < first || (at - first) / sizeof *r >= b->n || (at - first) % sizeof *r)
        return -1;
    return (long)((at - first) / sizeof *r);
}

static void score_fixed(Scorer *sc, const Report *r, ReportResult *out, int *k)
{
    const Program *p = sc->prog;
    long row = use_jit(sc) ? ahead_row(sc, r) : -1;
    for (int i = 0; i < p->nindicators; i++) {
        const Indicator *ind = &p->indicators[i];
        const RuleTexts *t = &sc->cache->fixed[i];
        ScoredIndicator *si = &out->ind[(*k)++];
        si->name = ind->decl->name;
        si->level1 = t->level1;
        si->level2 = t->level2;
        si->method = t->method;
        si->why = t->why;
        si->formula = t->formula;
        sc->st.env.explain = sc->opt.explain ? &si->explain : NULL;
        size_t before = out->findings.len;
        sc->st.env.branch = NULL;
        if (use_jit(sc)) {
            const BatchAhead *b = &sc->cache->ahead;
            sc->batch_scores += jit_eval_indicator_pre(sc->jit_ctx, i, &si->eval,
                                                       row >= 0 && b->out[i] ? &b->out[i][row] : NULL);
        } else
            eval_indicator(&sc->st, i, &si->eval);
        si->branch = sc->st.env.branch;
        sc->st.env.explain = NULL;
        if (si->eval.score.kind == TL_MISSING) {
            bool said = false;
            for (size_t f = before; f < out->findings.len; f++)
                said |= out->findings.items[f].kind != F_CLAMPED;
            if (!said) {
                char buf[512] = "";
                const Decl *d = ind->decl;
                MissingWalk w = {sc, buf, sizeof buf,
                                 arena_alloc(sc->arena, (size_t)p->nlets + 1),
                                 arena_alloc(sc->arena, (size_t)p->nmethods + 1)};
                missing_inputs(&w, d->u.indicator.value, 0);
                missing_inputs(&w, d->u.indicator.target, 0);
                missing_inputs(&w, t->body, 0);
                findings_add(&out->findings, F_MISSING_VALUE, si->name, &p->src, ind->decl->name_span,
                             *buf ? "no score: missing %s; counted as 0"
                                  : "no score could be computed%s; counted as 0",
                             buf);
            }
        }
    }
}

/* Table rows ------------------------------------------------------------------ */

/* Collapse runs of white space to one space, in place (rule text for messages). */
static char *squash_space(char *s)
{
    char *w = s;
    for (const char *r = s; *r; r++)
        if (!(*r == ' ' || *r == '\t' || *r == '\n') || (w > s && w[-1] != ' '))
            *w++ = (*r == '\t' || *r == '\n') ? ' ' : *r;
    while (w > s && w[-1] == ' ')
        w--;
    *w = 0;
    return s;
}

/* Names match when equal, or equal once a trailing "指标" is dropped from
 * either ("满意度指标" and "满意度"). */
static bool label_match(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return true;
    static const char suffix[] = "指标";
    size_t la = strlen(a), lb = strlen(b), ls = sizeof suffix - 1;
    if (la > ls && strcmp(a + la - ls, suffix) == 0 && la - ls == lb && strncmp(a, b, lb) == 0)
        return true;
    if (lb > ls && strcmp(b + lb - ls, suffix) == 0 && lb - ls == la && strncmp(a, b, la) == 0)
        return true;
    return false;
}

static int table_group_of(const Program *p, const TableRow *row)
{
    for (int g = 0; g < p->ngroups; g++) {
        const Group *gr = &p->groups[g];
        if (!gr->is_table)
            continue;
        if (label_match(gr->decl->name, row->level1))
            return g;
        for (int a = 0; a < gr->decl->u.group.naliases; a++)
            if (label_match(gr->decl->u.group.aliases[a], row->level1))
                return g;
    }
    return -1;
}

static bool category_ok(const Group *g, const char *level2)
{
    for (int i = 0; i < g->ncategories; i++)
        if (strcmp(g->categories[i], "*") == 0 || label_match(g->categories[i], level2))
            return true;
    return false;
}

static const char *cell_kind(const TableRow *row)
{
    const TlValue *v = row->target.kind != TL_MISSING ? &row->target : &row->actual;
    switch ((TlKind)v->kind) {
    case TL_MISSING: return "missing";
    case TL_TEXT: case TL_BOOL: return "text";
    case TL_NUM:
        return v->numkind == NUM_PERCENT ? "percent" : v->numkind == NUM_QUANTITY ? "quantity" : "number";
    }
    return "missing";
}

static bool cond_holds(const Program *p, const RowCond *c, const TableRow *row, int group)
{
    const char *level1 = group >= 0 ? p->groups[group].decl->name : row->level1;
    switch (c->kind) {
    case COND_QUALIFIER:
        return row->target.qual == c->qual;
    case COND_LEVEL1:
    case COND_LEVEL2:
    case COND_INDICATOR:
    case COND_KIND:
        for (int i = 0; i < c->nvalues; i++) {
            const char *v = c->values[i];
            switch (c->kind) {
            case COND_LEVEL1:
                if (label_match(v, level1) || label_match(v, row->level1)) return true;
                break;
            case COND_LEVEL2:
                if (label_match(v, row->level2)) return true;
                break;
            case COND_INDICATOR:
                if (strcmp(v, row->name) == 0) return true;
                break;
            default:
                if (strcmp(v, cell_kind(row)) == 0) return true;
                break;
            }
        }
        return false;
    }
    return false;
}

static bool no_reason(const TableRow *row)
{
    if (!row->reason)
        return true;
    size_t n = strlen(row->reason);
    const char *s = text_trim(row->reason, &n);
    return n == 0 || (n == 3 && memcmp(s, "无", 3) == 0) || (n == 1 && (*s == '-' || *s == '/'));
}

/* The rows rule that scores a row of group g: the first whose conditions
 * all hold, or NULL. */
static const RowRule *rule_for(const Program *p, const TableRow *row, int g)
{
    for (int ri = 0; ri < p->nrules; ri++) {
        bool all = true;
        for (int c = 0; c < p->rules[ri].nconds && all; c++)
            all = cond_holds(p, &p->rules[ri].conds[c], row, g);
        if (all)
            return &p->rules[ri];
    }
    return NULL;
}

/* The rows rule that scores row, or -1 (score_table's dispatch: a group of
 * the framework, a category of it, the first rule whose conditions hold). */
static int rule_index_of(const Program *p, const TableRow *row)
{
    int g = table_group_of(p, row);
    if (g < 0 || !category_ok(&p->groups[g], row->level2))
        return -1;
    const RowRule *rule = rule_for(p, row, g);
    return rule ? (int)(rule - p->rules) : -1;
}

/* scorer_batch() for the table rows of r[0 .. n - 1]: each row a rows rule
 * with a batch kernel scores goes into that rule's columns, then each rule's
 * kernel runs once over its rows. */
static void ahead_rows(Scorer *sc, const Report *r, size_t n)
{
    BatchAhead *b = &sc->cache->ahead;
    const Program *p = sc->prog;
    const JitProgram *jp = sc->jit;
    if (!jp->nbatch_rows)
        return;
    size_t total = 0;
    for (size_t k = 0; k < n; k++)
        total += table_rows(sc, &r[k]);
    b->row_first = xrealloc(b->row_first, (n + 1) * sizeof *b->row_first);
    b->row_slot = xrealloc(b->row_slot, (total + 1) * sizeof *b->row_slot);
    b->row_rule = xrealloc(b->row_rule, (total + 1) * sizeof *b->row_rule);
    if (total > b->rcap) {
        b->rcap = total;
        b->rcoef = xrealloc(b->rcoef, CTX_COUNT * total * sizeof *b->rcoef);
        b->rscale = xrealloc(b->rscale, CTX_COUNT * total * sizeof *b->rscale);
        b->rtag = xrealloc(b->rtag, CTX_COUNT * total * sizeof *b->rtag);
        b->runit = xrealloc(b->runit, CTX_COUNT * total * sizeof *b->runit);
        b->rmag = xrealloc(b->rmag, CTX_COUNT * total * sizeof *b->rmag);
        b->row_results = xrealloc(b->row_results, total * sizeof *b->row_results);
    }
    b->rule_count = xrealloc(b->rule_count, ((size_t)p->nrules + 1) * sizeof *b->rule_count);
    b->rule_fill = xrealloc(b->rule_fill, ((size_t)p->nrules + 1) * sizeof *b->rule_fill);
    memset(b->rule_count, 0, ((size_t)p->nrules + 1) * sizeof *b->rule_count);
    /* which rule scores each row; then each rule's rows side by side */
    size_t at = 0;
    for (size_t k = 0; k < n; k++) {
        b->row_first[k] = at;
        for (size_t i = 0; i < table_rows(sc, &r[k]); i++, at++) {
            int ri = rule_index_of(p, &r[k].rows[i]);
            b->row_rule[at] = ri;
            b->row_slot[at] = ri >= 0 && jp->batch_rows[ri] ? ri : -1;
            if (b->row_slot[at] >= 0)
                b->rule_count[ri]++;
        }
    }
    b->row_first[n] = at;
    size_t start = 0;
    for (int ri = 0; ri < p->nrules; ri++) {
        b->rule_fill[ri] = start;
        start += b->rule_count[ri];
    }
    size_t cap = b->rcap;
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < table_rows(sc, &r[k]); i++) {
            long *slot = &b->row_slot[b->row_first[k] + i];
            if (*slot < 0)
                continue;
            size_t pos = b->rule_fill[*slot]++;
            *slot = (long)pos;
            const TableRow *row = &r[k].rows[i];
            TlValue ctx[CTX_COUNT] = {{0}};
            ctx[CTX_VALUE] = row->actual;
            ctx[CTX_TARGET] = row->target;
            ctx[CTX_WEIGHT] = row->weight;
            ctx[CTX_REPORTED] = row->reported;
            for (int c = 0; c < CTX_COUNT; c++)
                put_cell(jp, &ctx[c], (size_t)c * cap + pos, b->rcoef, b->rscale, b->rtag, b->runit, b->rmag, NULL);
        }
    start = 0;
    for (int ri = 0; ri < p->nrules; ri++) {
        size_t cnt = b->rule_count[ri];
        if (cnt) {
            int64_t *coef[CTX_COUNT];
            int32_t *scale[CTX_COUNT];
            uint8_t *tag[CTX_COUNT];
            uint16_t *unit[CTX_COUNT];
            int8_t *mag[CTX_COUNT];
            for (int c = 0; c < CTX_COUNT; c++) {
                coef[c] = b->rcoef + (size_t)c * cap + start;
                scale[c] = b->rscale + (size_t)c * cap + start;
                tag[c] = b->rtag + (size_t)c * cap + start;
                unit[c] = b->runit + (size_t)c * cap + start;
                mag[c] = b->rmag + (size_t)c * cap + start;
            }
            JitColumns cols = {(long)cnt, coef, scale, tag, NULL, NULL, NULL, NULL, unit, mag, NULL, NULL, NULL};
            jp->batch_rows[ri](&cols, b->row_results + start);
        }
        start += cnt;
    }
}

/* Where r's table rows start among the rows scored ahead, or -1 when they
 * were not (no row batches, or r is not among the reports ahead). */
static long ahead_rows_of(const Scorer *sc, const Report *r)
{
    const BatchAhead *b = &sc->cache->ahead;
    long k = use_jit(sc) && sc->jit->nbatch_rows ? ahead_row(sc, r) : -1;
    if (k < 0 || b->row_first[k + 1] - b->row_first[k] != table_rows(sc, r))
        return -1;
    return (long)b->row_first[k];
}

static void audit_row(Scorer *sc, ReportResult *out, ScoredIndicator *si, const TableRow *row,
                      const RowRule *rule)
{
    const Program *p = sc->prog;
    Span at = rule ? rule->span : (Span){0, 0};
    const ScoreEval *e = &si->eval;
    if (e->weight.kind != TL_NUM)
        return;
    TlDec W = e->weight.u.num;
    const TlValue *rep = &e->reported;
    if (rep->kind == TL_NUM && (dec_sign(rep->u.num) < 0 || dec_cmp(rep->u.num, W) > 0))
        findings_add(&out->findings, F_SCORE_OUT_OF_RANGE, si->name, &p->src, at,
                     "self-awarded %s is outside [0, %s]", fmt_val(sc->arena, *rep),
                     fmt_dec(sc->arena, W));
    if (e->score.kind != TL_NUM) {
        bool said = false;
        for (size_t f = 0; f < out->findings.len; f++)
            said |= strcmp(out->findings.items[f].subject, si->name) == 0;
        if (!said)
            findings_add(&out->findings, F_MISSING_VALUE, si->name, &p->src, at,
                         "no score could be computed; counted as 0");
        return;
    }
    TlDec S = e->score.u.num, diff;
    if (rep->kind == TL_NUM && dec_sub(rep->u.num, S, &diff) &&
        dec_cmp(dec_sign(diff) < 0 ? dec_abs_unchecked(diff) : diff, p->opt.score_tolerance) > 0) {
        const char *rs = fmt_val(sc->arena, *rep), *cs = fmt_dec(sc->arena, S),
                   *ws = fmt_dec(sc->arena, W);
        if (dec_cmp(S, W) == 0 && dec_cmp(rep->u.num, W) < 0 && no_reason(row))
            findings_add(&out->findings, F_DEDUCTED_MET, si->name, &p->src, at,
                         "target %s met (actual %s) and the rules give %s of %s, but %s was "
                         "awarded with no deviation reason",
                         fmt_val(sc->arena, e->target), fmt_val(sc->arena, e->value), cs, ws, rs);
        else if (dec_cmp(rep->u.num, W) == 0 && dec_cmp(S, W) < 0)
            findings_add(&out->findings, F_FULL_MISSED, si->name, &p->src, at,
                         "full marks %s awarded, but the rules give %s (target %s, actual %s)", rs,
                         cs, fmt_val(sc->arena, e->target), fmt_val(sc->arena, e->value));
        else
            findings_add(&out->findings, F_SCORE_MISMATCH, si->name, &p->src, at,
                         "self-awarded %s, recomputed %s of %s%s%s", rs, cs, ws,
                         no_reason(row) ? "" : "; reason given: ", no_reason(row) ? "" : row->reason);
    }
    if (dec_cmp(S, W) < 0 && row->reason && no_reason(row))
        findings_add(&out->findings, F_REASON_MISSING, si->name, &p->src, at,
                     "scored %s of %s, but no deviation reason is given", fmt_dec(sc->arena, S),
                     fmt_dec(sc->arena, W));
}

static void score_table(Scorer *sc, const Report *r, ReportResult *out, int *k)
{
    const Program *p = sc->prog;
    const BatchAhead *b = &sc->cache->ahead;
    long first = ahead_rows_of(sc, r); /* dispatched and maybe scored already */
    /* Rows come in runs under one level-1 and one level-2 label: the labels
     * are matched against the framework once per run. */
    const char *run_level1 = NULL, *run_level2 = NULL;
    int run_group = -1;
    bool run_category = false;
    for (size_t i = 0; i < r->nrows; i++) {
        const TableRow *row = &r->rows[i];
        ScoredIndicator *si = &out->ind[(*k)++];
        si->name = row->name;
        si->level1 = row->level1;
        si->level2 = row->level2;
        si->from_table = true;
        si->pos = row->pos;
        si->eval.value = row->actual;
        si->eval.target = row->target;
        si->eval.weight = row->weight;
        si->eval.reported = row->reported;
        si->eval.score = val_missing();
        si->method = "";
        si->why = "";
        si->formula = "";
        if (!run_level1 || strcmp(row->level1, run_level1) != 0) {
            run_level1 = row->level1;
            run_group = table_group_of(p, row);
            run_level2 = NULL;
        }
        int g = run_group;
        if (g < 0) {
            findings_add(&out->findings, F_UNMATCHED_ROW, si->name, NULL, (Span){0, 0},
                         "level-1 '%s' is not a group of the framework", row->level1);
            continue;
        }
        si->level1 = p->groups[g].decl->name;
        if (!run_level2 || strcmp(row->level2, run_level2) != 0) {
            run_level2 = row->level2;
            run_category = category_ok(&p->groups[g], row->level2);
        }
        if (!run_category) {
            findings_add(&out->findings, F_UNMATCHED_ROW, si->name, &p->src,
                         p->groups[g].decl->name_span,
                         "level-2 '%s' is not a category of group '%s'", row->level2,
                         p->groups[g].decl->name);
            continue;
        }
        const RowRule *rule;
        if (first >= 0)
            rule = b->row_rule[first + (long)i] >= 0 ? &p->rules[b->row_rule[first + (long)i]] : NULL;
        else
            rule = rule_for(p, row, g);
        if (!rule) {
            findings_add(&out->findings, F_UNMATCHED_ROW, si->name, NULL, (Span){0, 0},
                         "no rows rule covers this row");
            continue;
        }
        const Expr *m = rule->method;
        const RuleTexts *t = &sc->cache->rules[rule - p->rules];
        si->method = t->method;
        si->why = t->why;
        si->formula = t->formula;
        Frame f = {{{0}}, NULL};
        f.ctx[CTX_VALUE] = row->actual;
        f.ctx[CTX_TARGET] = row->target;
        f.ctx[CTX_WEIGHT] = row->weight;
        f.ctx[CTX_REPORTED] = row->reported;
        sc->st.env.subject = row->name;
        sc->st.env.explain = sc->opt.explain ? &si->explain : NULL;
        sc->st.env.branch = NULL;
        TlValue raw;
        if (use_jit(sc)) {
            bool used;
            long slot = first >= 0 ? b->row_slot[first + (long)i] : -1;
            raw = jit_eval_row_pre(sc->jit_ctx, (int)(rule - p->rules), &f, slot >= 0 ? &b->row_results[slot] : NULL,
                                   &used);
            sc->batch_scores += used;
        } else {
            raw = eval_method_ref(&sc->st, m, &f);
        }
        si->branch = sc->st.env.branch;
        eval_finish_score(&sc->st, raw, rule->span, &si->eval);
        sc->st.env.explain = NULL;
        sc->st.env.subject = NULL;
        audit_row(sc, out, si, row, rule);
    }
}

/* Groups, totals, grades, checks -------------------------------------------------- */

static const char *grade_of(const Program *p, TlValue total)
{
    if (!p->ngrades || total.kind != TL_NUM)
        return NULL;
    for (int i = 0; i < p->ngrades; i++) {
        const Grade *g = &p->grades[i];
        if (g->is_else)
            return g->name;
        int c = dec_cmp(total.u.num, g->edge);
        if (g->op == OP_GT ? c > 0 : c >= 0)
            return g->name;
    }
    return NULL;
}

static void sum_groups(Scorer *sc, ReportResult *out)
{
    const Program *p = sc->prog;
    out->ngroups = p->ngroups;
    out->groups = arena_alloc(sc->arena, (size_t)(p->ngroups + 1) * sizeof(ScoredGroup));
    for (int g = 0; g < p->ngroups; g++) {
        out->groups[g].name = p->groups[g].decl->name;
        out->groups[g].depth = p->groups[g].depth;
        out->groups[g].weight = p->groups[g].weight;
        out->groups[g].subtotal = val_num(dzero());
    }
    const char *run_level1 = NULL; /* table rows come in runs under one level-1 */
    int run_group = -1;
    for (int i = 0; i < out->nind; i++) {
        const ScoredIndicator *si = &out->ind[i];
        int g = -1;
        if (si->from_table) {
            if (si->level1 != run_level1) {
                run_level1 = si->level1;
                run_group = -1;
                for (int k = 0; k < p->ngroups && run_group < 0; k++)
                    if (p->groups[k].is_table && strcmp(p->groups[k].decl->name, si->level1) == 0)
                        run_group = k;
            }
            g = run_group;
            if (g >= 0) {
                add_to(&out->groups[g].rows_weight, si->eval.weight);
                if (si->eval.reported.kind == TL_NUM)
                    add_to(&out->groups[g].reported, si->eval.reported);
            }
        } else {
            g = p->indicators[i].group;
        }
        for (; g >= 0; g = p->groups[g].parent)
            add_to(&out->groups[g].subtotal, si->eval.score);
    }
    for (int g = 0; g < p->ngroups; g++)
        sc->st.subtotals[g] = out->groups[g].subtotal;
}

static void check_table_groups(Scorer *sc, const Report *r, ReportResult *out)
{
    const Program *p = sc->prog;
    for (int g = 0; g < p->ngroups; g++) {
        const Group *gr = &p->groups[g];
        if (!gr->is_table)
            continue;
        const ScoredGroup *sg = &out->groups[g];
        if (sg->rows_weight.kind != TL_NUM) {
            findings_add(&out->findings, F_WEIGHT_MISMATCH, gr->decl->name, &p->src,
                         gr->decl->name_span, "the table has no rows for '%s' (weight %s)",
                         gr->decl->name, fmt_dec(sc->arena, gr->weight));
            continue;
        }
        if (dec_cmp(sg->rows_weight.u.num, gr->weight) != 0)
            findings_add(&out->findings, F_WEIGHT_MISMATCH, gr->decl->name, &p->src,
                         gr->decl->u.group.weight->span,
                         "the rows of '%s' weigh %s in all, the framework gives %s",
                         gr->decl->name, fmt_val(sc->arena, sg->rows_weight),
                         fmt_dec(sc->arena, gr->weight));
    }
    /* A level-1 label that states its own weight ("产出指标(50分)"). */
    const char *seen = "";
    for (size_t i = 0; i < r->nrows; i++) {
        const TableRow *row = &r->rows[i];
        if (row->level1_stated_weight < 0 || strcmp(row->level1, seen) == 0)
            continue;
        seen = row->level1;
        int g = table_group_of(p, row);
        /* Only a label naming the group itself states the group's weight; under
         * an alias it may be one part of a larger framework group. */
        if (g >= 0 && label_match(p->groups[g].decl->name, row->level1) &&
            dec_cmp(dec_from_int(row->level1_stated_weight), p->groups[g].weight) != 0)
            findings_add(&out->findings, F_SUBTOTAL_MISMATCH, p->groups[g].decl->name, &p->src,
                         p->groups[g].decl->u.group.weight->span,
                         "the table labels '%s' as %d分, the framework gives %s", row->level1,
                         row->level1_stated_weight, fmt_dec(sc->arena, p->groups[g].weight));
    }
}

static void score_totals(Scorer *sc, const Report *r, ReportResult *out)
{
    const Program *p = sc->prog;
    TlValue total = val_num(dzero());
    for (int i = 0; i < p->nindicators; i++)
        if (p->indicators[i].group < 0)
            add_to(&total, out->ind[i].eval.score);
    for (int g = 0; g < p->ngroups; g++)
        if (p->groups[g].parent < 0)
            add_to(&total, out->groups[g].subtotal);
    out->total = total;
    out->max_total = p->has_total ? val_num(p->total) : sc->cache->weights;
    out->stated_total = r->stated_total;
    out->stated_grade = r->stated_grade;
    out->grade = grade_of(p, total);
    if (r->has_table) {
        out->reported_sum = val_missing();
        for (size_t i = 0; i < r->nrows; i++)
            if (r->rows[i].reported.kind == TL_NUM)
                add_to(&out->reported_sum, r->rows[i].reported);
    } else {
        out->reported_sum = val_missing();
    }
    Span none = {0, 0};
    if (!p->has_table)
        return; /* a stated total and grade belong to the table's own framework */
    if (r->has_table && out->stated_total.kind != TL_NUM)
        findings_add(&out->findings, F_NO_STATED_TOTAL, "", NULL, none,
                     "the report states no total (no 总分 row)");
    if (out->stated_total.kind == TL_NUM && out->reported_sum.kind == TL_NUM) {
        TlDec d;
        if (dec_sub(out->stated_total.u.num, out->reported_sum.u.num, &d) &&
            dec_cmp(dec_sign(d) < 0 ? dec_abs_unchecked(d) : d, p->opt.total_tolerance) > 0)
            findings_add(&out->findings, F_TOTAL_MISMATCH, "总分", NULL, none,
                         "the self-awarded scores add up to %s, but the stated total is %s",
                         fmt_val(sc->arena, out->reported_sum), fmt_val(sc->arena, out->stated_total));
    }
    if (out->stated_total.kind == TL_NUM && out->max_total.kind == TL_NUM &&
        (dec_sign(out->stated_total.u.num) < 0 ||
         dec_cmp(out->stated_total.u.num, out->max_total.u.num) > 0))
        findings_add(&out->findings, F_TOTAL_OUT_OF_RANGE, "总分", NULL, none,
                     "the stated total %s is outside [0, %s]", fmt_val(sc->arena, out->stated_total),
                     fmt_val(sc->arena, out->max_total));
    if (out->stated_grade && p->ngrades) {
        const char *by_stated = grade_of(p, out->stated_total);
        if (by_stated && strcmp(by_stated, out->stated_grade) != 0)
            findings_add(&out->findings, F_GRADE_MISMATCH, "自评结论", NULL, none,
                         "the stated grade is %s, but the stated total %s is %s", out->stated_grade,
                         fmt_val(sc->arena, out->stated_total), by_stated);
        else if (out->grade && strcmp(out->grade, out->stated_grade) != 0)
            findings_add(&out->findings, F_GRADE_MISMATCH, "自评结论", NULL, none,
                         "the stated grade is %s, but the recomputed total %s is %s",
                         out->stated_grade, fmt_val(sc->arena, out->total), out->grade);
    }
}

static void run_checks(Scorer *sc, ReportResult *out)
{
    const Program *p = sc->prog;
    out->nchecks = p->nchecks;
    out->checks = arena_alloc(sc->arena, (size_t)(p->nchecks + 1) * sizeof(ScoredCheck));
    for (int i = 0; i < p->nchecks; i++) {
        const Decl *d = p->checks[i];
        ScoredCheck *c = &out->checks[i];
        c->name = d->name;
        c->result = use_jit(sc) ? jit_eval_check(sc->jit_ctx, i, &c->lhs, &c->rhs)
                                : eval_check(&sc->st, i, &c->lhs, &c->rhs);
        const Expr *cond = d->u.check.cond;
        bool sides = cond->kind == E_BINARY && cond->u.binary.op >= OP_EQ && cond->u.binary.op <= OP_GE;
        if (c->result == 0 && sides)
            findings_add(&out->findings, F_CHECK_FAILED, d->name, &p->src, d->span,
                         "%s is %s, %s is %s%s%s", program_text(p, cond->u.binary.a->span, sc->arena),
                         fmt_val(sc->arena, c->lhs),
                         program_text(p, cond->u.binary.b->span, sc->arena),
                         fmt_val(sc->arena, c->rhs), d->u.check.tolerance ? "; tolerance " : "",
                         d->u.check.tolerance ? program_text(p, d->u.check.tolerance->span, sc->arena) : "");
        else if (c->result == 0)
            findings_add(&out->findings, F_CHECK_FAILED, d->name, &p->src, d->span, "%s is false",
                         program_text(p, cond->span, sc->arena));
        else if (c->result < 0 && !findings_has(&out->findings, F_TYPE, d->name)) {
            char buf[512] = "";
            MissingWalk w = {sc, buf, sizeof buf, arena_alloc(sc->arena, (size_t)p->nlets + 1),
                             arena_alloc(sc->arena, (size_t)p->nmethods + 1)};
            missing_inputs(&w, cond, 0);
            missing_inputs(&w, d->u.check.tolerance, 0);
            findings_add(&out->findings, F_MISSING_VALUE, d->name, &p->src, d->span,
                         "the check could not be evaluated: missing %s", *buf ? buf : "a value");
        }
        if (c->result >= 0 && ((c->lhs.flags | c->rhs.flags) & VAL_APPROX))
            findings_add(&out->findings, F_APPROX, d->name, &p->src, d->span,
                         "an approximate figure (约, 余, 左右) takes part in this check");
    }
}

/* Compiled code reached (or may have reached) one of the interpreter's
 * limits: score this report again with the interpreter, which stops where it
 * stops and says so.  Nothing was output or reported yet (bind_input reports
 * only errors, and returns early on them). */
static bool rescore_if_stopped(Scorer *sc, const Report *r, ReportResult *out, DiagList *diags)
{
    EvalState *st = &sc->st;
    if (!use_jit(sc) || !(st->stopped || st->steps > st->max_steps))
        return false;
    result_free(out);
    JitCtx *ctx = sc->jit_ctx;
    sc->jit_ctx = NULL;
    score_report(sc, r, out, diags);
    sc->jit_ctx = ctx;
    return true;
}

void score_report(Scorer *sc, const Report *r, ReportResult *out, DiagList *diags)
{
    const Program *p = sc->prog;
    memset(out, 0, sizeof *out);
    out->report = r;
    out->id = r->id;
    findings_init(&out->findings, sc->arena);
    out->total = out->stated_total = out->reported_sum = out->max_total = val_missing();
    if (r->error) {
        out->error = r->error;
        return;
    }
    EvalState *st = &sc->st;
    eval_reset(st);
    st->env.findings = &out->findings;
    st->env.arena = sc->arena;
    const size_t *figs = input_figures(sc, r);
    for (int i = 0; i < p->ninputs; i++) {
        const Sym *in = p->inputs[i];
        const Figure *fig = figs[i] != SIZE_MAX ? &r->figures[figs[i]] : NULL;
        st->inputs[i] = val_missing();
        const char *err = NULL;
        if (fig && !bind_input(sc, in, fig, &st->inputs[i], diags, &err)) {
            out->error = err;
            st->env.findings = NULL;
            return;
        }
    }
    out->ind = arena_alloc(sc->arena, (size_t)(p->nindicators + r->nrows + 1) * sizeof(ScoredIndicator));
    int k = 0;
    score_fixed(sc, r, out, &k);
    if (p->has_table && r->has_table)
        score_table(sc, r, out, &k);
    else if (r->nrows)
        findings_add(&out->findings, F_UNMATCHED_ROW, "", NULL, (Span){0, 0},
                     "the report has an indicator table (%zu rows), but the rule file declares "
                     "no table groups: the rows are not scored", r->nrows);
    out->nind = k;
    if (rescore_if_stopped(sc, r, out, diags))
        return;
    sum_groups(sc, out);
    if (p->has_table && r->has_table)
        check_table_groups(sc, r, out);
    score_totals(sc, r, out);
    run_checks(sc, out);
    if (rescore_if_stopped(sc, r, out, diags)) /* compiled checks count steps too */
        return;
    st->env.findings = NULL;
}

/* The figure names of one data file: the union over its reports. */
static void file_columns(const ReportSet *set, const char *file, PtrVec *names)
{
    for (size_t i = 0; i < set->len; i++) {
        const Report *r = &set->reports[i];
        if (r->pos.file != file && (!r->pos.file || strcmp(r->pos.file, file) != 0))
            continue;
        for (size_t k = 0; k < r->nfigures; k++) {
            bool seen = false;
            for (size_t j = 0; j < names->len && !seen; j++)
                seen = strcmp(names->items[j], r->figures[k].name) == 0;
            if (!seen)
                ptrvec_push(names, (void *)r->figures[k].name);
        }
    }
}

static const char *nearest(const char *name, const PtrVec *candidates)
{
    size_t n = utf8_count(name, strlen(name)), limit = (n + 1) / 3 > 3 ? 3 : (n + 1) / 3;
    const char *best = NULL;
    size_t best_d = limit + 1;
    for (size_t i = 0; limit && i < candidates->len; i++) {
        size_t d = text_edit_distance(name, candidates->items[i], limit);
        if (d < best_d) {
            best_d = d;
            best = candidates->items[i];
        }
    }
    return best;
}

void score_check_columns(const Program *prog, const ReportSet *set, DiagList *diags)
{
    if (!prog->ninputs)
        return;
    PtrVec files = {0};
    for (size_t i = 0; i < set->len; i++) {
        const char *f = set->reports[i].pos.file;
        bool seen = false;
        for (size_t j = 0; j < files.len && !seen; j++)
            seen = strcmp(files.items[j], f) == 0;
        if (f && !seen)
            ptrvec_push(&files, (void *)f);
    }
    for (size_t fi = 0; fi < files.len; fi++) {
        const char *file = files.items[fi];
        PtrVec cols = {0}, unused = {0};
        file_columns(set, file, &cols);
        if (cols.len) {
            for (size_t c = 0; c < cols.len; c++)
                if (!program_lookup(prog, cols.items[c]) ||
                    program_lookup(prog, cols.items[c])->kind != SYM_INPUT)
                    ptrvec_push(&unused, cols.items[c]);
            for (int i = 0; i < prog->ninputs; i++) {
                const char *name = prog->inputs[i]->name;
                bool have = false;
                for (size_t c = 0; c < cols.len && !have; c++)
                    have = strcmp(cols.items[c], name) == 0;
                if (have)
                    continue;
                Diag *d = diag_data(diags, DIAG_ERROR, file, 1, 0, NULL,
                                    "no column \"%s\", which the rules need (every report lacks it)",
                                    name);
                const char *near = nearest(name, &unused);
                if (near)
                    diag_set_hint(d, "did you mean the column \"%s\"?", near);
            }
            for (size_t c = 0; c < unused.len; c++) {
                Diag *d = diag_data(diags, DIAG_WARNING, file, 1, 0, unused.items[c],
                                    "not an input of the rules: ignored");
                (void)d;
            }
        }
        ptrvec_free(&cols);
        ptrvec_free(&unused);
    }
    ptrvec_free(&files);
}
