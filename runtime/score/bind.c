/* bind.c - a report's figures bound to the rules' inputs (bind.h). */
#include "bind.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lang/base/l10n.h"
#include "lang/base/text.h"
#include "rows.h"

/* 10^k, k = 0..18: a bare number in 万元 scaled by one multiplication */
static const int64_t pow10_i64[19] = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
    10000000000, 100000000000, 1000000000000, 10000000000000, 100000000000000,
    1000000000000000, 10000000000000000, 100000000000000000, 1000000000000000000,
};

BindResult bind_convert(const Program *p, const Sym *in, const Figure *fig, TlValue *out)
{
    TlValue v = rows_cell(p, &fig->value, fig->raw);
    *out = v;
    /* A yes/no answer reads the `yes` and `no` words first: 无, a missing
     * marker in cells, means no there. */
    if (in->type.kind == TY_BOOL && vocab_has(&p->vocab, VOCAB_NO, fig->raw)) {
        *out = val_bool(false);
        return BIND_OK;
    }
    if (in->type.kind == TY_BOOL && vocab_has(&p->vocab, VOCAB_YES, fig->raw)) {
        *out = val_bool(true);
        return BIND_OK;
    }
    if (v.kind == TL_MISSING)
        return BIND_OK;
    if (in->type.kind == TY_TEXT) {
        if (v.kind != TL_TEXT)
            *out = val_text(fig->raw);
        return BIND_OK;
    }
    if (in->type.kind == TY_BOOL)
        return BIND_BAD; /* neither a yes word nor a no word */
    if (in->type.kind == TY_ANY)
        return BIND_OK;
    if (v.kind != TL_NUM)
        return BIND_BAD;
    if (bind_is_percent(in) && v.numkind == NUM_PLAIN && v.mag == 0) {
        /* the column's bare numbers are read one way: 85 is 85%, or 0.85 is 85% */
        switch ((PercentRead)fig->percent_read) {
        case PCT_MIXED:
            if (!dec_is_zero(v.u.num)) {
                *out = val_missing();
                return BIND_MIXED_PERCENT;
            }
            break;
        case PCT_POINTS:
            if (!dec_shift(v.u.num, -2, &out->u.num))
                return BIND_TOO_LARGE;
            break;
        case PCT_RATIO: case PCT_NONE:
            break;
        }
        out->numkind = NUM_PERCENT;
        return BIND_OK;
    }
    if (in->unit_written) {
        const char *base = in->type.unit;
        if (v.numkind == NUM_PLAIN) {
            /* A bare number in a column declared in 万元 is in 万元:
             * value_magnify, its coefficient times 10^mag at the same scale
             * when that fits (issue 16: by one multiplication, not mag) */
            int64_t c;
            if (in->mag >= 0 && in->mag <= 18 &&
                !__builtin_mul_overflow(v.u.num.coef, pow10_i64[in->mag], &c))
                out->u.num = (TlDec){c, v.u.num.scale};
            else if (!value_magnify(v.u.num, in->mag, &out->u.num))
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

bool bind_input(Arena *arena, const Program *p, const Sym *in, const Figure *fig, TlValue *out,
                const char **problem, const char **accepted)
{
    const char *t = in->decl->u.input.type_name;
    switch (bind_convert(p, in, fig, out)) {
    case BIND_OK:
        return true;
    case BIND_TOO_LARGE:
        *problem = _("the figure is too large a number");
        *accepted = _("a number that fits 18 significant digits");
        break;
    case BIND_NOT_IN_UNIT:
        *problem = arena_printf(arena, _("the figure is not in %s, the unit the rules declare"), t);
        *accepted = arena_printf(arena, _("an amount in %s (or a bare number, read in %s)"), t, t);
        break;
    case BIND_MIXED_PERCENT:
        *problem = _("a bare number in a percent column whose bare numbers are both above 1.5 "
                   "(percentage points) and at most 1.5 (ratios)");
        *accepted = _("85% with its sign: write the % sign, or the whole column one way (all "
                      "percentage points, or all ratios)");
        break;
    case BIND_BAD:
        if (in->type.kind == TY_BOOL) {
            *problem = _("the figure is neither a yes nor a no word");
            *accepted = _("a word of the rule file's words yes or no (是, 否, √, ×, TRUE, FALSE, ...)");
        } else {
            *problem = _("the figure is not a number");
            *accepted = strcmp(t, "percent") == 0 ? _("a percentage (85%) or a number (0.85, 85)")
                                                  : _("a number, with or without its unit");
        }
        break;
    }
    *out = val_missing();
    return false;
}

/* Reports of one data file name the same figures in the same order, so the
 * look-up by name is done again only when the names differ from the last
 * report's. */
const size_t *layout_figures(InputLayout *l, const Program *p, const Report *r)
{
    /* named as the last report was: no name compared (issue 16: twice a
     * report, a strcmp and the first touch of every figure of a wide file) */
    if (l->valid && r->figure_layout && l->layout == r->figure_layout && l->n == r->nfigures)
        return l->fig;
    bool same = l->valid && l->n == r->nfigures;
    for (size_t k = 0; same && k < r->nfigures; k++)
        same = strcmp(l->text + l->off[k], r->figures[k].name) == 0;
    if (same) {
        l->layout = r->figure_layout;
        return l->fig;
    }
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
    for (int i = 0; i < p->ninputs; i++) {
        const Figure *fig = report_figure(r, p->inputs[i]->name);
        l->fig[i] = fig ? (size_t)(fig - r->figures) : SIZE_MAX;
    }
    l->n = r->nfigures;
    l->layout = r->figure_layout;
    l->valid = true;
    return l->fig;
}

void layout_init(InputLayout *l, const Program *p)
{
    memset(l, 0, sizeof *l);
    l->fig = xcalloc((size_t)p->ninputs + 1, sizeof *l->fig);
}

void layout_free(InputLayout *l)
{
    free(l->off);
    free(l->text);
    free(l->fig);
    memset(l, 0, sizeof *l);
}

/* Columns ----------------------------------------------------------------------- */

/* The figure names of one data file: the union over its reports. */
static void file_columns(const ReportSet *set, const char *file, PtrVec *names)
{
    for (size_t i = 0; i < set->len; i++) {
        const Report *r = &set->reports[i];
        if (r->pos.file != file && (!r->pos.file || strcmp(r->pos.file, file) != 0))
            continue;
        for (size_t k = 0; k < r->nfigures; k++) {
            /* a wide CSV's reports name their figures by the header's
             * strings, in its order: found at once (issue 16) */
            bool seen = k < names->len && names->items[k] == r->figures[k].name;
            for (size_t j = 0; j < names->len && !seen; j++)
                seen = strcmp(names->items[j], r->figures[k].name) == 0;
            if (!seen)
                ptrvec_push(names, (void *)r->figures[k].name);
        }
    }
}

/* The candidate closest to name, for "did you mean", or NULL. */
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

void bind_check_columns(const Program *prog, const ReportSet *set, DiagList *diags)
{
    if (!prog->ninputs)
        return;
    PtrVec files = {0};
    for (size_t i = 0; i < set->len; i++) {
        const char *f = set->reports[i].pos.file;
        bool seen = false;
        for (size_t j = 0; j < files.len && !seen; j++)
            seen = files.items[j] == f || strcmp(files.items[j], f) == 0;
        if (f && !seen)
            ptrvec_push(&files, (void *)f);
    }
    for (size_t fi = 0; fi < files.len; fi++) {
        const char *file = files.items[fi];
        PtrVec cols = {0}, unused = {0};
        file_columns(set, file, &cols);
        /* a form's figures are found by the form's `figure` lines, not columns */
        bool form = false;
        for (size_t i = 0; i < set->len && !form; i++)
            form = set->reports[i].pos.where && strcmp(set->reports[i].pos.file, file) == 0;
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
                Diag *d = form ? diag_data(diags, DIAG_ERROR, file, 0, 0, NULL,
                                           _("no figure \"%s\" in the form, which the rules need"),
                                           name)
                               : diag_data(diags, DIAG_ERROR, file, 1, 0, NULL,
                                           _("no column \"%s\", which the rules need (every "
                                           "report lacks it)"),
                                           name);
                const char *near = nearest(name, &unused);
                if (near)
                    diag_set_hint(d, _("did you mean the column \"%s\"?"), near);
            }
            /* a form's figures are those its `figure` lines find: none is a column
             * the rules ignore (the API reads forms with every default figure) */
            for (size_t c = 0; c < unused.len && !form; c++) {
                Diag *d = diag_data(diags, DIAG_WARNING, file, 1, 0, unused.items[c],
                                    _("not an input of the rules: ignored"));
                (void)d;
            }
        }
        ptrvec_free(&cols);
        ptrvec_free(&unused);
    }
    ptrvec_free(&files);
}
