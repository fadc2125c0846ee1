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

static const char *out_file(const char *f) { return f ? f : "<data>"; }

/* A value as text for a finding's message, in the scorer's arena; "" when
 * messages are not printed (ScoreOptions.no_messages: nothing formatted). */
static const char *fmt_val(const Scorer *sc, TlValue v)
{
    if (sc->opt.no_messages)
        return "";
    char buf[VAL_BUF];
    val_format(&v, buf);
    return arena_strdup(sc->arena, buf);
}

/* A decimal as text with at most 6 places, for a message, as fmt_val. */
static const char *fmt_dec(const Scorer *sc, TlDec d)
{
    if (sc->opt.no_messages)
        return "";
    char buf[DEC_BUF];
    dec_format_trim(d, 6, buf);
    return arena_strdup(sc->arena, buf);
}

static TlDec dzero(void) { return dec_from_int(0); }

static const int64_t pow10_64[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
                                   1000000000, 10000000000, 100000000000, 1000000000000,
                                   10000000000000, 100000000000000, 1000000000000000,
                                   10000000000000000, 100000000000000000, 1000000000000000000};

/* a and b's coefficients at the larger of their scales, *scale, as dec.c's
 * first way aligns them: false when one does not fit in 64 bits (then the
 * dec_* function is asked). */
static inline bool align64(TlDec a, TlDec b, int64_t *x, int64_t *y, int32_t *scale)
{
    *x = a.coef;
    *y = b.coef;
    *scale = a.scale;
    if (a.scale < b.scale) {
        *scale = b.scale;
        return b.scale - a.scale <= DEC_MAX_SCALE && !__builtin_mul_overflow(a.coef, pow10_64[b.scale - a.scale], x);
    }
    if (b.scale < a.scale)
        return a.scale - b.scale <= DEC_MAX_SCALE && !__builtin_mul_overflow(b.coef, pow10_64[a.scale - b.scale], y);
    return true;
}

/* dec_cmp, with two decimals that align in 64 bits compared here (issue 16:
 * audit_row compares five pairs a row). */
static inline int cmp_dec(TlDec a, TlDec b)
{
    int64_t x, y;
    int32_t scale;
    if (align64(a, b, &x, &y, &scale))
        return (x > y) - (x < y);
    return dec_cmp(a, b);
}

/* *s + v as dec_add gives it when both align to the larger scale in 64 bits
 * (its first way): false when they do not, and dec_add is asked. */
static inline bool add_aligned(TlDec *s, TlDec v)
{
    int64_t x, y, sum;
    int32_t scale;
    if (!align64(*s, v, &x, &y, &scale) || __builtin_add_overflow(x, y, &sum))
        return false;
    *s = (TlDec){sum, scale};
    return true;
}

/* |a - b| as dec_sub and dec_abs_unchecked give it: false where dec_sub
 * fails. */
static inline bool distance(TlDec a, TlDec b, TlDec *out)
{
    int64_t x, y, d;
    int32_t scale;
    if (align64(a, b, &x, &y, &scale) && !__builtin_sub_overflow(x, y, &d)) {
        *out = (TlDec){d, scale};
    } else if (!dec_sub(a, b, out)) {
        return false;
    }
    if (out->coef < 0)
        *out = dec_abs_unchecked(*out);
    return true;
}

/* Add v (missing counts as 0) to *sum.  Two numbers that align in 64 bits
 * are added here, as dec_add adds them, without the call (issue 16: about
 * 100 sums a report; inlined always: gcc's own choice, a call with the
 * value copied, cost 40 instructions a sum). */
static inline __attribute__((always_inline)) void add_to(TlValue *sum, const TlValue v)
{
    if (sum->kind == TL_NUM && v.kind == TL_NUM && add_aligned(&sum->u.num, v.u.num))
        return;
    if (sum->kind != TL_NUM) {
        *sum = val_num(dzero());
    }
    if (v.kind == TL_NUM && !dec_add(sum->u.num, v.u.num, &sum->u.num))
        *sum = val_missing();
}

/* An indicator whose score cannot be verified: no score, the reason, and
 * what it counts for under `option unverified` (docs/language.md §3.2). */
static void mark_unverified(const Program *p, ScoredIndicator *si, const char *why)
{
    si->unverified = true;
    si->unverified_why = why && *why ? why : _("no score could be computed");
    si->eval.score = val_missing();
    TlValue w = si->eval.weight, r = si->eval.reported;
    switch (p->opt.unverified) {
    case UNVERIFIED_ZERO:
        si->lo = si->hi = val_num(dzero());
        return;
    case UNVERIFIED_REPORTED:
        if (r.kind == TL_NUM && w.kind == TL_NUM) {
            TlDec x = cmp_dec(r.u.num, dzero()) < 0 ? dzero() : r.u.num;
            si->lo = si->hi = val_num(cmp_dec(x, w.u.num) > 0 ? w.u.num : x);
            return;
        }
        break; /* nothing awarded: the range */
    case UNVERIFIED_RANGE:
        break;
    }
    si->lo = val_num(dzero());
    si->hi = w.kind == TL_NUM ? val_num(w.u.num) : val_missing();
}

/* Why an evaluation gave no score: the taint's reason, else the first
 * finding it raised (from index `from`), else NULL. */
static const char *no_score_reason(const ReportResult *out, size_t from, const char *taint)
{
    if (taint)
        return taint;
    for (size_t f = from; f < out->findings.len; f++)
        if (finding_info(out->findings.items[f].kind)->severity != DIAG_NOTE)
            return out->findings.items[f].message;
    return NULL;
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
    int direction_rule;          /* rows_first_direction_rule() */
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
        t->why = ms ? _("the indicator says: using") : _("the indicator's score formula");
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
            t->why = arena_printf(a, _("line %d: %s"), line, squash_space(program_text(p, rule->span, a)));
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
    c->direction_rule = rows_first_direction_rule(p);
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
    return columns_run(sc->cache->columns, sc->prog, use_jit(sc) ? sc->jit : NULL, &sc->cache->layout, r, n);
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
        *si = (ScoredIndicator){.name = ind->decl->name, .level1 = t->level1, .level2 = t->level2,
                                .group = ind->group, .method = t->method, .why = t->why, .formula = t->formula};
        sc->st.env.explain = sc->opt.explain ? &si->explain : NULL;
        size_t before = out->findings.len;
        sc->st.env.branch = NULL;
        sc->st.env.unverified = NULL;
        sc->st.env.scaled = false;
        sc->jit_scores += use_jit(sc);
        if (use_jit(sc))
            sc->batch_scores += jit_eval_indicator_pre(sc->jit_ctx, i, &si->eval,
                                                       columns_result(sc->cache->columns, row, i));
        else
            eval_indicator(&sc->st, i, &si->eval);
        si->branch = sc->st.env.branch;
        sc->st.env.explain = NULL;
        sc->st.env.unverified = NULL;
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
                             *buf ? _("no score: missing %s") : _("no score could be computed%s"), buf);
            }
            mark_unverified(p, si, no_score_reason(out, before, si->eval.unverified));
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
    const unsigned char *c = (const unsigned char *)row->reason;
    if (!c[0] || (c[0] == 0xe6 && c[1] == 0x97 && c[2] == 0xa0 && !c[3])) /* "" and "无" as written: most rows */
        return true;
    size_t n = strlen(row->reason);
    const char *s = text_trim(row->reason, &n);
    return n == 0 || (n == 3 && memcmp(s, "无", 3) == 0) || (n == 1 && (*s == '-' || *s == '/'));
}

/* The rounding-aware audit (docs/language.md §3.2, options form_rate_places and
 * form_score_step): the score the form's own rounding gives, and which
 * rounding that was, for the first of them that equals the self-awarded
 * score; NULL when none does. */
static const char *form_rounding(Scorer *sc, const ScoredIndicator *si, TlDec rep)
{
    const Program *p = sc->prog;
    const Options *o = &p->opt;
    const ScoreEval *e = &si->eval;
    if (e->raw.kind != TL_NUM || e->weight.kind != TL_NUM)
        return NULL;
    TlDec W = e->weight.u.num, raw = e->raw.u.num, tol = o->score_tolerance;
    TlDec clamped = cmp_dec(raw, dzero()) < 0 ? dzero() : cmp_dec(raw, W) > 0 ? W : raw;
    bool step = dec_sign(o->form_score_step) > 0;
    /* candidates: the rate rounded, the score rounded to the step, both */
    for (int k = 0; k < 3; k++) {
        bool by_rate = k != 1, by_step = k != 0;
        if ((by_rate && (o->form_rate_places < 0 || !si->scaled)) || (by_step && !step))
            continue;
        TlDec x = clamped, rate = dzero();
        if (by_rate) {
            rate = dec_round(si->scaled_rate, o->form_rate_places + 2);
            if (!dec_mul(si->scaled_weight, rate, &x))
                continue;
            x = cmp_dec(x, W) > 0 ? W : x;
        }
        if (by_step) {
            TlDec q, back;
            if (!dec_div(x, o->form_score_step, &q) || !dec_mul(dec_round(q, 0), o->form_score_step, &back))
                continue;
            x = back;
        }
        x = dec_round(x, p->opt.score_places);
        TlDec d;
        if (!dec_sub(rep, x, &d) || cmp_dec(dec_sign(d) < 0 ? dec_abs_unchecked(d) : d, tol) > 0)
            continue;
        TlValue rp = val_num(rate), sr = val_num(si->scaled_rate);
        rp.numkind = sr.numkind = NUM_PERCENT;
        sr.u.num = dec_round(sr.u.num, o->form_rate_places + 4);
        const char *how_rate = by_rate ? arena_printf(sc->arena, "the rate %s rounded to %s",
                                                      fmt_val(sc, sr), fmt_val(sc, rp))
                                       : "";
        const char *how_step = by_step ? arena_printf(sc->arena, "the score rounded to a multiple of %s",
                                                      fmt_dec(sc, o->form_score_step))
                                       : "";
        return arena_printf(sc->arena, "self-awarded %s is %s with %s%s%s, as the form rounds (the "
                            "rules' exact score is %s)", fmt_dec(sc, rep),
                            fmt_dec(sc, x), how_rate, by_rate && by_step ? " and " : "",
                            how_step, fmt_dec(sc, e->score.u.num));
    }
    return NULL;
}

static void audit_row(Scorer *sc, ReportResult *out, ScoredIndicator *si, const TableRow *row,
                      const RowRule *rule)
{
    const Program *p = sc->prog;
    Span at = rule ? rule->span : (Span){0, 0};
    const ScoreEval *e = &si->eval;
    const TlValue *rep = &e->reported;
    if (rep->kind != TL_NUM && !(row->read & READ_BAD_REPORTED))
        findings_add(&out->findings, F_REPORTED_MISSING, si->name, NULL, (Span){0, 0},
                     _("the self-awarded score (得分) is empty"));
    if (e->weight.kind != TL_NUM)
        return;
    TlDec W = e->weight.u.num;
    if (rep->kind == TL_NUM && (rep->u.num.coef < 0 || cmp_dec(rep->u.num, W) > 0))
        findings_add(&out->findings, F_SCORE_OUT_OF_RANGE, si->name, &p->src, at,
                     _("self-awarded %s is outside [0, %s]"), fmt_val(sc, *rep),
                     fmt_dec(sc, W));
    if (e->score.kind != TL_NUM) {
        bool said = false;
        for (size_t f = 0; f < out->findings.len; f++)
            said |= strcmp(out->findings.items[f].subject, si->name) == 0 &&
                    out->findings.items[f].kind != F_REPORTED_MISSING;
        if (!said)
            findings_add(&out->findings, F_MISSING_VALUE, si->name, &p->src, at,
                         _("no score could be computed"));
        return;
    }
    TlDec S = e->score.u.num, diff;
    if (rep->kind == TL_NUM && distance(rep->u.num, S, &diff) && cmp_dec(diff, p->opt.score_tolerance) > 0) {
        const char *rs = fmt_val(sc, *rep), *cs = fmt_dec(sc, S),
                   *ws = fmt_dec(sc, W);
        const char *rounding = form_rounding(sc, si, rep->u.num);
        if (rounding)
            findings_add(&out->findings, F_ROUNDING, si->name, &p->src, at, "%s", rounding);
        else if (cmp_dec(S, W) == 0 && cmp_dec(rep->u.num, W) < 0 && no_reason(row))
            findings_add(&out->findings, F_DEDUCTED_MET, si->name, &p->src, at,
                         _("target %s met (actual %s) and the rules give %s of %s, but %s was "
                         "awarded with no deviation reason"),
                         fmt_val(sc, e->target), fmt_val(sc, e->value), cs, ws, rs);
        else if (cmp_dec(rep->u.num, W) == 0 && cmp_dec(S, W) < 0)
            findings_add(&out->findings, F_FULL_MISSED, si->name, &p->src, at,
                         _("full marks %s awarded, but the rules give %s (target %s, actual %s)"), rs,
                         cs, fmt_val(sc, e->target), fmt_val(sc, e->value));
        else
            findings_add(&out->findings, F_SCORE_MISMATCH, si->name, &p->src, at,
                         no_reason(row) ? _("self-awarded %s, recomputed %s of %s")
                                        : _("self-awarded %s, recomputed %s of %s; reason given: %s"),
                         rs, cs, ws, no_reason(row) ? "" : row->reason);
    }
    if (cmp_dec(S, W) < 0 && row->reason && no_reason(row))
        findings_add(&out->findings, F_REASON_MISSING, si->name, &p->src, at,
                     _("scored %s of %s, but no deviation reason is given"), fmt_dec(sc, S),
                     fmt_dec(sc, W));
}

/* --explain: which way the row is better, and which of its sign, its name
 * and its category said so. */
static void explain_direction(EvalEnv *env, const Program *p, const TableRow *row)
{
    DirectionFrom from;
    const char *word;
    RowDirection d = rows_direction(p, row, &from, &word);
    const char *dir = rows_direction_name(d);
    switch (from) {
    case FROM_SIGN:
        explain_add(env, _("direction %s: from the target's sign %s"), dir,
                    qual_symbol((TlQual)rows_target(p, row).qual));
        return;
    case FROM_NAME:
        explain_add(env, _("direction %s: from the name (word %s)"), dir, word);
        return;
    case FROM_CATEGORY:
        explain_add(env, _("direction %s: from the category %s (word %s)"), dir, row->level2, word);
        return;
    case FROM_NONE:
        break;
    }
    explain_add(env, _("direction unknown: no sign, and no word of higher or lower in the name or "
                     "the category"));
}

/* The cell of a row a finding is about: the self-awarded score for a score
 * finding, the actual for a unit or overshoot, the target for a target. */
static int finding_field(FindingKind k)
{
    switch (k) {
    case F_SCORE_MISMATCH: case F_DEDUCTED_MET: case F_FULL_MISSED: case F_SCORE_OUT_OF_RANGE:
    case F_QUAL_OUT_OF_BAND: case F_REPORTED_MISSING: case F_ROUNDING:
        return ROW_REPORTED;
    case F_UNIT_MISMATCH: case F_UNIT_WORDS: case F_MISSING_ACTUAL: case F_OVERSHOOT:
    case F_OVER_EXECUTION: case F_BUDGET_ZERO: case F_QUAL_UNKNOWN: case F_APPROX:
    case F_UNVERIFIED: case F_THRESHOLD_ONLY: case F_MAGNITUDE: case F_UNIT_ASSUMED:
    case F_PERCENT_READING: case F_BAD_CELL:
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
    if (sc->opt.no_messages) /* the places are printed with the messages only */
        return;
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
    long first = columns_table(b, r); /* dispatched (either engine) and maybe scored already */
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
        TlValue target, actual;
        if (first >= 0) {
            columns_row_cells(b, first, i, row, &target, &actual);
        } else {
            actual = rows_actual(p, row);
            target = rows_target(p, row);
        }
        *si = (ScoredIndicator){.name = row->name, .level1 = row->level1, .level2 = row->level2,
                                .from_table = true, .method = "", .why = "", .formula = "",
                                .eval = {.value = actual, .target = target, .weight = row->weight,
                                         .reported = row->reported, .score = val_missing()},
                                .pos = row->pos};
        int g;
        bool category;
        if (first >= 0) { /* the dispatch ahead found them */
            g = columns_row_group(b, first, i, &category);
        } else {
            if (!run_level1 || !rows_same_label(row->level1, run_level1) ||
                (!*row->level1 && (!run_level2 || !rows_same_label(row->level2, run_level2)))) {
                run_level1 = row->level1;
                run_group = rows_group_of(p, row);
                run_level2 = NULL;
            }
            g = run_group;
            if (g >= 0 && (!run_level2 || !rows_same_label(row->level2, run_level2))) {
                run_level2 = row->level2;
                run_category = rows_category_ok(p, &p->groups[g], row->level2);
            }
            category = run_category;
        }
        si->group = g;
        if (g < 0) {
            const char *why = arena_printf(sc->arena, _("level-1 '%s' is not a group of the framework"),
                                           row->level1);
            findings_add(&out->findings, F_UNMATCHED_ROW, si->name, NULL, (Span){0, 0}, "%s", why);
            mark_unverified(p, si, why);
            audit_row(sc, out, si, row, NULL);
            continue;
        }
        si->level1 = p->groups[g].decl->name;
        if (!category) {
            const char *why = arena_printf(sc->arena, _("level-2 '%s' is not a category of group '%s'"),
                                           row->level2, p->groups[g].decl->name);
            findings_add(&out->findings, F_UNMATCHED_ROW, si->name, &p->src,
                         p->groups[g].decl->name_span, "%s", why);
            mark_unverified(p, si, why);
            audit_row(sc, out, si, row, NULL);
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
            mark_unverified(p, si, _("no rows rule covers this row"));
            audit_row(sc, out, si, row, NULL);
            continue;
        }
        const Expr *m = rule->method;
        const RuleTexts *t = &sc->cache->rules[rule - p->rules];
        if (sc->st.env.cover)
            coverage_rule(sc->st.env.cover, (int)(rule - p->rules));
        si->method = t->method;
        si->why = t->why;
        si->formula = t->formula;
        if (row->weight.kind != TL_NUM) { /* the weight cell is empty or bad (E_BAD_CELL) */
            mark_unverified(p, si, _("the weight cell cannot be read"));
            audit_row(sc, out, si, row, rule);
            continue;
        }
        Frame f = {{{0}}, NULL};
        f.ctx[CTX_VALUE] = si->eval.value;
        f.ctx[CTX_TARGET] = si->eval.target;
        f.ctx[CTX_WEIGHT] = row->weight;
        f.ctx[CTX_REPORTED] = row->reported;
        sc->st.env.subject = row->name;
        sc->st.env.explain = sc->opt.explain ? &si->explain : NULL;
        sc->st.env.branch = NULL;
        sc->st.env.unverified = NULL;
        sc->st.env.scaled = false;
        int asked = sc->cache->direction_rule;
        if (sc->st.env.explain && asked >= 0 && rule - p->rules >= asked)
            explain_direction(&sc->st.env, p, row);
        size_t before = out->findings.len;
        TlValue raw;
        if (use_jit(sc)) {
            bool used;
            const JitRowResult *pre = first >= 0 ? columns_row_result(b, first, i) : NULL;
            raw = jit_eval_row_pre(sc->jit_ctx, (int)(rule - p->rules), &f, pre, &used);
            sc->batch_scores += used;
            sc->jit_scores++;
        } else {
            raw = eval_method_ref(&sc->st, m, &f);
        }
        si->branch = sc->st.env.branch;
        eval_finish_score(&sc->st, raw, rule->span, &si->eval);
        si->eval.unverified = sc->st.env.unverified;
        si->scaled = sc->st.env.scaled && raw.kind == TL_NUM && sc->st.env.scaled_result.kind == TL_NUM &&
                     cmp_dec(raw.u.num, sc->st.env.scaled_result.u.num) == 0;
        si->scaled_weight = sc->st.env.scaled_weight;
        si->scaled_rate = sc->st.env.scaled_rate;
        sc->st.env.explain = NULL;
        sc->st.env.subject = NULL;
        sc->st.env.unverified = NULL;
        if (si->eval.unverified || si->eval.score.kind != TL_NUM)
            mark_unverified(p, si, no_score_reason(out, before, si->eval.unverified));
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
        int c = cmp_dec(total.u.num, g->edge);
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
    for (int i = 0; i < out->nind; i++) {
        const ScoredIndicator *si = &out->ind[i];
        int g = si->group; /* a table row's as score_table() matched it (issue 16: not looked up again) */
        if (si->from_table && g >= 0) {
            add_to(&out->groups[g].rows_weight, si->eval.weight);
            out->groups[g].weight_unknown |= si->eval.weight.kind != TL_NUM;
            if (si->eval.reported.kind == TL_NUM)
                add_to(&out->groups[g].reported, si->eval.reported);
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
                         gr->decl->name, fmt_dec(sc, gr->weight));
            continue;
        }
        if (cmp_dec(sg->rows_weight.u.num, gr->weight) != 0 && !sg->weight_unknown)
            findings_add(&out->findings, F_WEIGHT_MISMATCH, gr->decl->name, &p->src,
                         gr->decl->u.group.weight->span,
                         _("the rows of '%s' weigh %s in all, the framework gives %s"),
                         gr->decl->name, fmt_val(sc, sg->rows_weight),
                         fmt_dec(sc, gr->weight));
    }
    /* A level-1 label that states its own weight ("产出指标(50分)"). */
    const char *seen = "";
    for (size_t i = 0; i < r->nrows; i++) {
        const TableRow *row = &r->rows[i];
        if (row->level1_stated_weight < 0 || rows_same_label(row->level1, seen))
            continue;
        seen = row->level1;
        int g = out->ind[out->nind - (int)r->nrows + (int)i].group; /* score_table()'s match of the row */
        /* Only a label naming the group itself states the group's weight; under
         * an alias it may be one part of a larger framework group. */
        if (g >= 0 && rows_label_match(p->groups[g].decl->name, row->level1) &&
            cmp_dec(dec_from_int(row->level1_stated_weight), p->groups[g].weight) != 0)
            findings_add(&out->findings, F_SUBTOTAL_MISMATCH, p->groups[g].decl->name, &p->src,
                         p->groups[g].decl->u.group.weight->span,
                         _("the table labels '%s' as %d分, the framework gives %s"), row->level1,
                         row->level1_stated_weight, fmt_dec(sc, p->groups[g].weight));
    }
}

/* Is grade `name` one a total in [lo, hi] can get: a band between the grade
 * of hi and the grade of lo? */
static bool grade_reachable(const Program *p, const char *name, TlValue lo, TlValue hi)
{
    const char *top = grade_of(p, hi), *bottom = grade_of(p, lo);
    bool in = false;
    for (int i = 0; i < p->ngrades; i++) {
        if (top && strcmp(p->grades[i].name, top) == 0)
            in = true;
        if (in && strcmp(p->grades[i].name, name) == 0)
            return true;
        if (bottom && strcmp(p->grades[i].name, bottom) == 0)
            break;
    }
    return false;
}

/* W_UNVERIFIED: the indicators that could not be re-scored, the points at
 * stake and what the policy makes of them. */
static void report_unverified(Scorer *sc, ReportResult *out)
{
    const Program *p = sc->prog;
    if (!out->nunverified)
        return;
    size_t cap = 256, len = 0;
    char *list = xmalloc(cap);
    list[0] = 0;
    int shown = 0;
    for (int i = 0; i < out->nind; i++) {
        const ScoredIndicator *si = &out->ind[i];
        if (!si->unverified)
            continue;
        if (++shown > 20) {
            const char *more = arena_printf(sc->arena, _("; and %d more"), out->nunverified - 20);
            size_t m = strlen(more);
            if (len + m + 1 > cap)
                list = xrealloc(list, cap = 2 * (len + m + 1));
            memcpy(list + len, more, m + 1);
            len += m;
            break;
        }
        const char *item = arena_printf(sc->arena, _("%s%s (%s: %s)"), shown > 1 ? _("; ") : "", si->name,
                                        si->eval.weight.kind == TL_NUM ? fmt_val(sc, si->eval.weight)
                                                                       : _("weight unknown"),
                                        si->unverified_why);
        size_t m = strlen(item);
        if (len + m + 1 > cap)
            list = xrealloc(list, cap = 2 * (len + m + 1));
        memcpy(list + len, item, m + 1);
        len += m;
    }
    const char *stake;
    if (out->unverified_weight.kind == TL_NUM) {
        stake = arena_printf(sc->arena, _("%s points at stake"), fmt_val(sc, out->unverified_weight));
    } else { /* some weights unknown: the known ones, and how many are not */
        TlValue known = val_num(dzero());
        int unknown = 0;
        for (int i = 0; i < out->nind; i++)
            if (out->ind[i].unverified && out->ind[i].eval.weight.kind == TL_NUM)
                add_to(&known, out->ind[i].eval.weight);
            else if (out->ind[i].unverified)
                unknown++;
        stake = dec_is_zero(known.u.num)
                    ? _("an unknown number of points at stake")
                    : arena_printf(sc->arena, _("at least %s points at stake (%d of unknown weight)"),
                                   fmt_val(sc, known), unknown);
    }
    const char *what;
    switch (p->opt.unverified) {
    case UNVERIFIED_ZERO:
        what = arena_printf(sc->arena, _("counted as 0 (option unverified = zero): the total is %s"),
                            fmt_val(sc, out->total_min));
        break;
    case UNVERIFIED_REPORTED:
        what = cmp_dec(out->total_min.u.num, out->total_max.u.num) == 0
                   ? arena_printf(sc->arena, _("their self-awarded scores are kept (option unverified "
                                    "= reported): the total is %s"), fmt_val(sc, out->total_min))
                   : arena_printf(sc->arena, _("self-awarded scores kept where given (option unverified "
                                    "= reported): the total lies in %s–%s"),
                                  fmt_val(sc, out->total_min), fmt_val(sc, out->total_max));
        break;
    case UNVERIFIED_RANGE:
    default:
        what = out->total_max.kind == TL_NUM
                   ? arena_printf(sc->arena, _("the total lies in %s–%s"), fmt_val(sc, out->total_min),
                                  fmt_val(sc, out->total_max))
                   : arena_printf(sc->arena, _("the total is at least %s"), fmt_val(sc, out->total_min));
        break;
    }
    findings_add(&out->findings, F_UNVERIFIED, "总分", NULL, (Span){0, 0},
                 out->nunverified == 1 ? _("%d indicator could not be re-scored, %s: %s; %s")
                                       : _("%d indicators could not be re-scored, %s: %s; %s"),
                 out->nunverified, stake, list, what);
    free(list);
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
    out->total_min = out->total_max = total;
    out->unverified_weight = val_num(dzero());
    bool weight_unknown = false, open = false; /* missing stays missing: add_to restarts at 0 */
    for (int i = 0; i < out->nind; i++) {
        const ScoredIndicator *si = &out->ind[i];
        if (!si->unverified)
            continue;
        out->nunverified++;
        if (si->eval.weight.kind == TL_NUM)
            add_to(&out->unverified_weight, si->eval.weight);
        else
            weight_unknown = true;
        add_to(&out->total_min, si->lo);
        if (si->hi.kind == TL_NUM)
            add_to(&out->total_max, si->hi);
        else
            open = true;
    }
    if (weight_unknown)
        out->unverified_weight = val_missing();
    if (open)
        out->total_max = val_missing();
    out->max_total = p->has_total ? val_num(p->total) : sc->cache->weights;
    /* Unverified indicators cannot take the total past the scheme's maximum
     * (rows that weigh more than the framework are E_WEIGHT_MISMATCH already). */
    if (out->nunverified && out->max_total.kind == TL_NUM && out->total_min.kind == TL_NUM) {
        TlDec cap = cmp_dec(out->total_min.u.num, out->max_total.u.num) > 0 ? out->total_min.u.num
                                                                           : out->max_total.u.num;
        if (out->total_max.kind != TL_NUM || cmp_dec(out->total_max.u.num, cap) > 0)
            out->total_max = val_num(cap);
    }
    out->stated_total = r->stated_total;
    out->stated_grade = r->stated_grade;
    out->grade_min = grade_of(p, out->total_min);
    out->grade_max = out->total_max.kind == TL_NUM ? grade_of(p, out->total_max)
                                                   : p->ngrades ? p->grades[0].name : NULL;
    out->grade = out->grade_min && out->grade_max && strcmp(out->grade_min, out->grade_max) != 0
                     ? "待定" : out->grade_min;
    if (r->has_table) {
        out->reported_sum = val_missing();
        bool unreadable = false; /* a self-awarded score that cannot be read: the sum is unknown */
        for (size_t i = 0; i < r->nrows; i++) {
            if (r->rows[i].reported.kind == TL_NUM)
                add_to(&out->reported_sum, r->rows[i].reported);
            unreadable |= (r->rows[i].read & READ_BAD_REPORTED) != 0;
        }
        if (unreadable)
            out->reported_sum = val_missing();
    } else {
        out->reported_sum = val_missing();
    }
    report_unverified(sc, out);
    Span none = {0, 0};
    if (!p->has_table)
        return; /* a stated total and grade belong to the table's own framework */
    if (r->has_table && out->stated_total.kind != TL_NUM)
        findings_add(&out->findings, F_NO_STATED_TOTAL, "总分", NULL, none,
                     r->total_pos.file ? _("the 总分 row's total cell is empty: the report states no total")
                                      : _("the report states no total (no 总分 row)"));
    if (out->stated_total.kind == TL_NUM && out->reported_sum.kind == TL_NUM) {
        TlDec d;
        if (dec_sub(out->stated_total.u.num, out->reported_sum.u.num, &d) &&
            cmp_dec(dec_sign(d) < 0 ? dec_abs_unchecked(d) : d, p->opt.total_tolerance) > 0)
            findings_add(&out->findings, F_TOTAL_MISMATCH, "总分", NULL, none,
                         _("the self-awarded scores add up to %s, but the stated total is %s"),
                         fmt_val(sc, out->reported_sum), fmt_val(sc, out->stated_total));
    }
    if (out->stated_total.kind == TL_NUM && out->max_total.kind == TL_NUM &&
        (dec_sign(out->stated_total.u.num) < 0 ||
         cmp_dec(out->stated_total.u.num, out->max_total.u.num) > 0))
        findings_add(&out->findings, F_TOTAL_OUT_OF_RANGE, "总分", NULL, none,
                     _("the stated total %s is outside [0, %s]"), fmt_val(sc, out->stated_total),
                     fmt_val(sc, out->max_total));
    if (out->stated_grade && p->ngrades) {
        const char *by_stated = grade_of(p, out->stated_total);
        bool ranged = out->total_max.kind != TL_NUM ||
                      cmp_dec(out->total_min.u.num, out->total_max.u.num) != 0;
        if (by_stated && strcmp(by_stated, out->stated_grade) != 0)
            findings_add(&out->findings, F_GRADE_MISMATCH, "自评结论", NULL, none,
                         _("the stated grade is %s, but the stated total %s is %s"), out->stated_grade,
                         fmt_val(sc, out->stated_total), by_stated);
        else if (!ranged && out->grade && strcmp(out->grade, out->stated_grade) != 0)
            findings_add(&out->findings, F_GRADE_MISMATCH, "自评结论", NULL, none,
                         _("the stated grade is %s, but the recomputed total %s is %s"),
                         out->stated_grade, fmt_val(sc, out->total), out->grade);
        else if (ranged && !grade_reachable(p, out->stated_grade, out->total_min, out->total_max))
            findings_add(&out->findings, F_GRADE_MISMATCH, "自评结论", NULL, none,
                         _("the stated grade is %s, but the recomputed total lies in %s–%s, which is "
                         "%s%s%s"), out->stated_grade, fmt_val(sc, out->total_min),
                         out->total_max.kind == TL_NUM ? fmt_val(sc, out->total_max) : "?",
                         out->grade_min ? out->grade_min : "?",
                         strcmp(out->grade_min ? out->grade_min : "", out->grade_max ? out->grade_max : "")
                             ? _(" to ") : "",
                         strcmp(out->grade_min ? out->grade_min : "", out->grade_max ? out->grade_max : "")
                             ? out->grade_max : "");
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
                         fmt_val(sc, c->lhs),
                         program_text(p, cond->u.binary.b->span, sc->arena),
                         fmt_val(sc, c->rhs),
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

/* E_BAD_CELL: where the cell is, what it holds, why it cannot be read and
 * what would be; the same as a warning on standard error, FILE:LINE:COL. */
static void bad_cell(Scorer *sc, ReportResult *out, const BadCell *b)
{
    const char *where = b->pos.where  ? b->pos.where
                        : b->pos.column ? arena_printf(sc->arena, _("%s:%d, column \"%s\""),
                                                       out_file(b->pos.file), b->pos.line,
                                                       b->pos.column)
                                        : arena_printf(sc->arena, "%s:%d", out_file(b->pos.file),
                                                       b->pos.line);
    findings_add(&out->findings, F_BAD_CELL, b->subject, NULL, (Span){0, 0},
                 _("%s holds '%s': %s; a reader takes %s"), where, b->cell ? b->cell : "", b->problem,
                 b->accepted ? b->accepted : _("another cell"));
    if (b->pos.where && out->findings.len)
        out->findings.items[out->findings.len - 1].where = b->pos.where;
}

/* The bad cells on standard error as well, once the report's scoring is
 * final (compiled code may hand a report back to the interpreter). */
static void bad_cell_warnings(const BadCell *b, size_t n, DiagList *diags)
{
    for (size_t i = 0; diags && i < n; i++)
        diag_data(diags, DIAG_WARNING, b[i].pos.where ? b[i].pos.where : b[i].pos.file,
                  b[i].pos.where ? 0 : b[i].pos.line, b[i].pos.where ? 0 : b[i].field,
                  b[i].pos.where ? NULL : b[i].pos.column,
                  _("%s: '%s'; the report is scored without it"), b[i].problem, b[i].cell ? b[i].cell : "");
}

/* Notes about how a figure bound to input `in` was read: a column of bare
 * numbers read as percentages, a figure far off its column's magnitude. */
static void figure_notes(Scorer *sc, ReportResult *out, const Sym *in, const Figure *fig)
{
    if (fig->magnitude_off && in->type.kind != TY_TEXT && in->type.kind != TY_BOOL)
        findings_add(&out->findings, F_MAGNITUDE, fig->name, NULL, (Span){0, 0},
                     _("%s is about 10^%d times the size of the other reports' %s in this column: "
                     "is it in the wrong magnitude (元 for 万元)?"), fig->raw, fig->magnitude_off,
                     fig->name);
    if (bind_is_percent(in) && fig->value.kind == TL_NUM && fig->value.numkind == NUM_PLAIN &&
        fig->value.mag == 0 && (fig->percent_read == PCT_POINTS || fig->percent_read == PCT_RATIO))
        findings_add(&out->findings, F_PERCENT_READING, fig->name, NULL, (Span){0, 0},
                     _("%s read as %s: the bare numbers of this column are %s"), fig->raw,
                     fmt_val(sc, sc->st.inputs[in->index]),
                     fig->percent_read == PCT_POINTS ? _("all above 1.5, percentage points (85 is 85%)")
                                                     : _("all at most 1.5, ratios (0.85 is 85%)"));
}

/* N_PERCENT_READING for the table: how its bare numbers beside percentages
 * were read, once per column. */
static void table_notes(Scorer *sc, ReportResult *out, const Report *r)
{
    for (int col = 0; col < 2; col++) {
        PercentRead how = (PercentRead)(col ? r->target_read : r->actual_read);
        int n = col ? r->ntarget_read : r->nactual_read;
        if (how != PCT_POINTS && how != PCT_RATIO)
            continue;
        char names[512] = "";
        size_t len = 0;
        int shown = 0;
        for (size_t i = 0; i < r->nrows && shown < 5 && len < sizeof names; i++)
            if (r->rows[i].read & (col ? READ_TARGET_PERCENT : READ_ACTUAL_PERCENT))
                len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", shown++ ? ", " : "",
                                        r->rows[i].name);
        findings_add(&out->findings, F_PERCENT_READING, "总分", NULL, (Span){0, 0},
                     _("the bare %s beside percentage %s (%d: %s%s) are read as %s"), col ? _("targets") : _("actuals"),
                     col ? _("actuals") : _("targets"), n, names, n > shown ? ", ..." : "",
                     how == PCT_POINTS ? _("percentage points, all being above 1.5 (85 is 85%)")
                                       : _("ratios, all being at most 1.5 (0.85 is 85%)"));
        (void)sc;
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
    out->findings.no_messages = sc->opt.no_messages;
    out->total = out->stated_total = out->reported_sum = out->max_total = val_missing();
    out->total_min = out->total_max = out->unverified_weight = val_missing();
    if (r->error) {
        out->error = r->error;
        return;
    }
    EvalState *st = &sc->st;
    eval_reset(st);
    st->env.unverified = NULL;
    st->env.findings = &out->findings;
    st->env.arena = sc->arena;
    for (size_t i = 0; i < r->nbad; i++)
        bad_cell(sc, out, &r->bad[i]);
    BadCell *bound_bad = NULL; /* room for every input once one binds badly */
    size_t nbound_bad = 0;
    const size_t *figs = layout_figures(&sc->cache->layout, p, r);
    long brow = use_jit(sc) ? columns_row_of(sc->cache->columns, r) : -1; /* bound there already */
    for (int i = 0; i < p->ninputs; i++) {
        const Sym *in = p->inputs[i];
        const Figure *fig = figs[i] != SIZE_MAX ? &r->figures[figs[i]] : NULL;
        st->inputs[i] = val_missing();
        const char *problem = NULL, *accepted = NULL;
        if (fig && !columns_bound(sc->cache->columns, brow, i, &st->inputs[i]) &&
            !bind_input(sc->arena, p, in, fig, &st->inputs[i], &problem, &accepted)) {
            if (!bound_bad)
                bound_bad = arena_alloc_raw(sc->arena, ((size_t)p->ninputs + 1) * sizeof *bound_bad);
            BadCell *b = &bound_bad[nbound_bad++];
            *b = (BadCell){fig->pos, fig->field, fig->name, fig->raw, problem, accepted};
            bad_cell(sc, out, b);
        }
        if (fig)
            figure_notes(sc, out, in, fig);
    }
    if (p->has_table && r->has_table)
        table_notes(sc, out, r);
    /* not cleared: score_fixed and score_table set each entry they give
     * whole (440 bytes a row cleared, then most of them written, was 12 KB
     * a report of gen-long) */
    out->ind = arena_alloc_raw(sc->arena, (size_t)(p->nindicators + r->nrows + 1) * sizeof(ScoredIndicator));
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
    bad_cell_warnings(r->bad, r->nbad, diags);
    bad_cell_warnings(bound_bad, nbound_bad, diags);
    st->env.findings = NULL;
}
