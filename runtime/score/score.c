/* score.c - a checked program run over one report, and what the audit
 * says about it: fixed indicators, table rows and their self-awarded
 * scores, group subtotals, totals and grades, checks, and every finding.
 * Where the rows of a table go (rows.c), how figures become inputs
 * (bind.c) and how compiled code scores reports ahead in columns
 * (columns.c) live beside it. */
#include "score.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "columns.h"
#include "lang/base/l10n.h"
#include "lang/base/text.h"
#include "lang/coverage.h"
#include "rows.h"
#include "runtime/jit/rt.h"

static char *squash_space(char *s);

/* A value as text, in arena a (for messages). */
static const char *fmt_val(Arena *a, TlValue v)
{
    char buf[VAL_BUF];
    val_format(&v, buf);
    return arena_strdup(a, buf);
}

/* A decimal as text with at most 6 places, in arena a. */
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

typedef struct ScorerCache {
    RuleTexts *fixed;            /* per fixed indicator */
    RuleTexts *rules;            /* per rows rule */
    TlValue weights;             /* the top level's weights added up: the total without `total` */
    InputLayout layout;          /* the last data layout's figures, per input */
    ColumnBatch *columns;        /* reports scored ahead by the batch kernels */
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
        /* A rule of an imported file names its file too. */
        if (source_in_part(&p->src, rule->span.start))
            t->why = arena_printf(a, "%s:%d: %s", source_file_at(&p->src, rule->span.start, NULL, NULL),
                                  line, squash_space(program_text(p, rule->span, a)));
        else
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
    layout_init(&c->layout, p);
    c->columns = columns_new();
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
        layout_free(&sc->cache->layout);
        columns_free(sc->cache->columns);
    }
    arena_free(&sc->state);
    sc->cache = NULL;
}

void scorer_set_jit(Scorer *sc, const JitProgram *jp)
{
    sc->jit = jp;
    sc->jit_ctx = NULL;
    columns_clear(sc->cache->columns); /* results of other code: drop them */
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

size_t scorer_batch(Scorer *sc, const Report *r, size_t n)
{
    if (!use_jit(sc)) {
        columns_clear(sc->cache->columns);
        return n;
    }
    return columns_run(sc->cache->columns, sc->prog, sc->jit, &sc->cache->layout, r, n);
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

/* Fixed indicators -------------------------------------------------------------- */

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

static void score_fixed(Scorer *sc, const Report *r, ReportResult *out, int *k)
{
    const Program *p = sc->prog;
    long row = use_jit(sc) ? columns_row_of(sc->cache->columns, r) : -1;
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
        if (use_jit(sc))
            sc->batch_scores += jit_eval_indicator_pre(sc->jit_ctx, i, &si->eval,
                                                       columns_result(sc->cache->columns, row, i));
        else
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
                             *buf ? _("no score: missing %s; counted as 0")
                                  : _("no score could be computed%s; counted as 0"),
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

static bool no_reason(const TableRow *row)
{
    if (!row->reason)
        return true;
    size_t n = strlen(row->reason);
    const char *s = text_trim(row->reason, &n);
    return n == 0 || (n == 3 && memcmp(s, "无", 3) == 0) || (n == 1 && (*s == '-' || *s == '/'));
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
                     _("self-awarded %s is outside [0, %s]"), fmt_val(sc->arena, *rep),
                     fmt_dec(sc->arena, W));
    if (e->score.kind != TL_NUM) {
        bool said = false;
        for (size_t f = 0; f < out->findings.len; f++)
            said |= strcmp(out->findings.items[f].subject, si->name) == 0;
        if (!said)
            findings_add(&out->findings, F_MISSING_VALUE, si->name, &p->src, at,
                         _("no score could be computed; counted as 0"));
        return;
    }
    TlDec S = e->score.u.num, diff;
    if (rep->kind == TL_NUM && dec_sub(rep->u.num, S, &diff) &&
        dec_cmp(dec_sign(diff) < 0 ? dec_abs_unchecked(diff) : diff, p->opt.score_tolerance) > 0) {
        const char *rs = fmt_val(sc->arena, *rep), *cs = fmt_dec(sc->arena, S),
                   *ws = fmt_dec(sc->arena, W);
        if (dec_cmp(S, W) == 0 && dec_cmp(rep->u.num, W) < 0 && no_reason(row))
            findings_add(&out->findings, F_DEDUCTED_MET, si->name, &p->src, at,
                         _("target %s met (actual %s) and the rules give %s of %s, but %s was "
                         "awarded with no deviation reason"),
                         fmt_val(sc->arena, e->target), fmt_val(sc->arena, e->value), cs, ws, rs);
        else if (dec_cmp(rep->u.num, W) == 0 && dec_cmp(S, W) < 0)
            findings_add(&out->findings, F_FULL_MISSED, si->name, &p->src, at,
                         _("full marks %s awarded, but the rules give %s (target %s, actual %s)"), rs,
                         cs, fmt_val(sc->arena, e->target), fmt_val(sc->arena, e->value));
        else
            findings_add(&out->findings, F_SCORE_MISMATCH, si->name, &p->src, at,
                         no_reason(row) ? _("self-awarded %s, recomputed %s of %s")
                                        : _("self-awarded %s, recomputed %s of %s; reason given: %s"),
                         rs, cs, ws, no_reason(row) ? "" : row->reason);
    }
    if (dec_cmp(S, W) < 0 && row->reason && no_reason(row))
        findings_add(&out->findings, F_REASON_MISSING, si->name, &p->src, at,
                     _("scored %s of %s, but no deviation reason is given"), fmt_dec(sc->arena, S),
                     fmt_dec(sc->arena, W));
}

/* The cell of a row a finding is about: the self-awarded score for a score
 * finding, the actual for a unit or overshoot, the target for a target. */
static int finding_field(FindingKind k)
{
    switch (k) {
    case F_SCORE_MISMATCH: case F_DEDUCTED_MET: case F_FULL_MISSED: case F_SCORE_OUT_OF_RANGE:
    case F_QUAL_OUT_OF_BAND:
        return ROW_REPORTED;
    case F_UNIT_MISMATCH: case F_UNIT_WORDS: case F_MISSING_ACTUAL: case F_OVERSHOOT:
    case F_OVER_EXECUTION: case F_BUDGET_ZERO: case F_QUAL_UNKNOWN: case F_APPROX:
        return ROW_ACTUAL;
    case F_MISSING_TARGET: case F_BAD_TARGET: case F_TRIVIAL_TARGET: case F_NON_MEASURABLE:
        return ROW_TARGET;
    case F_REASON_MISSING:
        return ROW_REASON;
    case F_UNMATCHED_ROW: case F_SUBTOTAL_MISMATCH: case F_WEIGHT_MISMATCH:
        return ROW_LEVEL1;
    case F_MISSING_VALUE: case F_DIV_ZERO: case F_OVERFLOW: case F_TYPE: case F_CLAMPED:
    case F_TOTAL_MISMATCH: case F_GRADE_MISMATCH: case F_CHECK_FAILED: case F_TOTAL_OUT_OF_RANGE:
    case F_NO_STATED_TOTAL: case F_KIND_COUNT:
        return ROW_INDICATOR;
    }
    return ROW_INDICATOR;
}

/* Findings from index `from` on are about `row`: say where in the original. */
static void place_findings(Scorer *sc, ReportResult *out, size_t from, const TableRow *row)
{
    for (size_t i = from; row && i < out->findings.len; i++) {
        Finding *f = &out->findings.items[i];
        if (f->where)
            continue;
        char buf[512];
        const char *w = row_place(row, finding_field(f->kind), buf, sizeof buf);
        f->where = w == buf ? arena_strdup(sc->arena, buf) : w;
    }
}

static void score_table(Scorer *sc, const Report *r, ReportResult *out, int *k)
{
    const Program *p = sc->prog;
    const ColumnBatch *b = sc->cache->columns;
    long first = use_jit(sc) ? columns_table(b, r) : -1; /* dispatched and maybe scored already */
    /* Rows come in runs under one level-1 and one level-2 label: the labels
     * are matched against the framework once per run. */
    const char *run_level1 = NULL, *run_level2 = NULL;
    int run_group = -1;
    bool run_category = false;
    size_t mark = out->findings.len;
    const TableRow *prev = NULL;
    for (size_t i = 0; i < r->nrows; i++) {
        const TableRow *row = &r->rows[i];
        place_findings(sc, out, mark, prev);
        mark = out->findings.len;
        prev = row;
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
            run_group = rows_group_of(p, row);
            run_level2 = NULL;
        }
        int g = run_group;
        if (g < 0) {
            findings_add(&out->findings, F_UNMATCHED_ROW, si->name, NULL, (Span){0, 0},
                         _("level-1 '%s' is not a group of the framework"), row->level1);
            continue;
        }
        si->level1 = p->groups[g].decl->name;
        if (!run_level2 || strcmp(row->level2, run_level2) != 0) {
            run_level2 = row->level2;
            run_category = rows_category_ok(&p->groups[g], row->level2);
        }
        if (!run_category) {
            findings_add(&out->findings, F_UNMATCHED_ROW, si->name, &p->src,
                         p->groups[g].decl->name_span,
                         _("level-2 '%s' is not a category of group '%s'"), row->level2,
                         p->groups[g].decl->name);
            continue;
        }
        const RowRule *rule;
        if (first >= 0) {
            int ri = columns_row_rule(b, first, i);
            rule = ri >= 0 ? &p->rules[ri] : NULL;
        } else {
            rule = rows_rule_for(p, row, g);
        }
        if (!rule) {
            findings_add(&out->findings, F_UNMATCHED_ROW, si->name, NULL, (Span){0, 0},
                         _("no rows rule covers this row"));
            continue;
        }
        const Expr *m = rule->method;
        const RuleTexts *t = &sc->cache->rules[rule - p->rules];
        if (sc->st.env.cover)
            coverage_rule(sc->st.env.cover, (int)(rule - p->rules));
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
            const JitRowResult *pre = first >= 0 ? columns_row_result(b, first, i) : NULL;
            raw = jit_eval_row_pre(sc->jit_ctx, (int)(rule - p->rules), &f, pre, &used);
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
    place_findings(sc, out, mark, prev);
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
                         gr->decl->name_span, _("the table has no rows for '%s' (weight %s)"),
                         gr->decl->name, fmt_dec(sc->arena, gr->weight));
            continue;
        }
        if (dec_cmp(sg->rows_weight.u.num, gr->weight) != 0)
            findings_add(&out->findings, F_WEIGHT_MISMATCH, gr->decl->name, &p->src,
                         gr->decl->u.group.weight->span,
                         _("the rows of '%s' weigh %s in all, the framework gives %s"),
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
        int g = rows_group_of(p, row);
        /* Only a label naming the group itself states the group's weight; under
         * an alias it may be one part of a larger framework group. */
        if (g >= 0 && rows_label_match(p->groups[g].decl->name, row->level1) &&
            dec_cmp(dec_from_int(row->level1_stated_weight), p->groups[g].weight) != 0)
            findings_add(&out->findings, F_SUBTOTAL_MISMATCH, p->groups[g].decl->name, &p->src,
                         p->groups[g].decl->u.group.weight->span,
                         _("the table labels '%s' as %d分, the framework gives %s"), row->level1,
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
                     _("the report states no total (no 总分 row)"));
    if (out->stated_total.kind == TL_NUM && out->reported_sum.kind == TL_NUM) {
        TlDec d;
        if (dec_sub(out->stated_total.u.num, out->reported_sum.u.num, &d) &&
            dec_cmp(dec_sign(d) < 0 ? dec_abs_unchecked(d) : d, p->opt.total_tolerance) > 0)
            findings_add(&out->findings, F_TOTAL_MISMATCH, "总分", NULL, none,
                         _("the self-awarded scores add up to %s, but the stated total is %s"),
                         fmt_val(sc->arena, out->reported_sum), fmt_val(sc->arena, out->stated_total));
    }
    if (out->stated_total.kind == TL_NUM && out->max_total.kind == TL_NUM &&
        (dec_sign(out->stated_total.u.num) < 0 ||
         dec_cmp(out->stated_total.u.num, out->max_total.u.num) > 0))
        findings_add(&out->findings, F_TOTAL_OUT_OF_RANGE, "总分", NULL, none,
                     _("the stated total %s is outside [0, %s]"), fmt_val(sc->arena, out->stated_total),
                     fmt_val(sc->arena, out->max_total));
    if (out->stated_grade && p->ngrades) {
        const char *by_stated = grade_of(p, out->stated_total);
        if (by_stated && strcmp(by_stated, out->stated_grade) != 0)
            findings_add(&out->findings, F_GRADE_MISMATCH, "自评结论", NULL, none,
                         _("the stated grade is %s, but the stated total %s is %s"), out->stated_grade,
                         fmt_val(sc->arena, out->stated_total), by_stated);
        else if (out->grade && strcmp(out->grade, out->stated_grade) != 0)
            findings_add(&out->findings, F_GRADE_MISMATCH, "自评结论", NULL, none,
                         _("the stated grade is %s, but the recomputed total %s is %s"),
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
                         d->u.check.tolerance ? _("%s is %s, %s is %s; tolerance %s")
                                              : _("%s is %s, %s is %s%s"),
                         program_text(p, cond->u.binary.a->span, sc->arena),
                         fmt_val(sc->arena, c->lhs),
                         program_text(p, cond->u.binary.b->span, sc->arena),
                         fmt_val(sc->arena, c->rhs),
                         d->u.check.tolerance ? program_text(p, d->u.check.tolerance->span, sc->arena) : "");
        else if (c->result == 0)
            findings_add(&out->findings, F_CHECK_FAILED, d->name, &p->src, d->span, _("%s is false"),
                         program_text(p, cond->span, sc->arena));
        else if (c->result < 0 && !findings_has(&out->findings, F_TYPE, d->name)) {
            char buf[512] = "";
            MissingWalk w = {sc, buf, sizeof buf, arena_alloc(sc->arena, (size_t)p->nlets + 1),
                             arena_alloc(sc->arena, (size_t)p->nmethods + 1)};
            missing_inputs(&w, cond, 0);
            missing_inputs(&w, d->u.check.tolerance, 0);
            findings_add(&out->findings, F_MISSING_VALUE, d->name, &p->src, d->span,
                         _("the check could not be evaluated: missing %s"), *buf ? buf : _("a value"));
        }
        if (c->result >= 0 && ((c->lhs.flags | c->rhs.flags) & VAL_APPROX))
            findings_add(&out->findings, F_APPROX, d->name, &p->src, d->span,
                         _("an approximate figure (约, 余, 左右) takes part in this check"));
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
    const size_t *figs = layout_figures(&sc->cache->layout, p, r);
    for (int i = 0; i < p->ninputs; i++) {
        const Sym *in = p->inputs[i];
        const Figure *fig = figs[i] != SIZE_MAX ? &r->figures[figs[i]] : NULL;
        st->inputs[i] = val_missing();
        const char *err = NULL;
        if (fig && !bind_input(sc->arena, in, fig, &st->inputs[i], diags, &err)) {
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
                     _("the report has an indicator table (%zu rows), but the rule file declares "
                     "no table groups: the rows are not scored"), r->nrows);
    out->nind = k;
    if (rescore_if_stopped(sc, r, out, diags))
        return;
    sum_groups(sc, out);
    if (p->has_table && r->has_table)
        check_table_groups(sc, r, out);
    size_t mark = out->findings.len;
    score_totals(sc, r, out);
    /* the stated total and grade: where the report states them */
    for (size_t i = mark; i < out->findings.len; i++) {
        Finding *f = &out->findings.items[i];
        const DataPos *pos = f->kind == F_TOTAL_MISMATCH || f->kind == F_TOTAL_OUT_OF_RANGE
                                 ? &r->total_pos
                             : f->kind == F_GRADE_MISMATCH ? &r->grade_pos
                                                           : NULL;
        char buf[512];
        const char *w = pos ? pos_place(pos, buf, sizeof buf) : NULL;
        if (w)
            f->where = w == buf ? arena_strdup(sc->arena, buf) : w;
    }
    run_checks(sc, out);
    if (rescore_if_stopped(sc, r, out, diags)) /* compiled checks count steps too */
        return;
    st->env.findings = NULL;
}
