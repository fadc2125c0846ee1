/* forms.c - a rule file's `form` declarations as a FormSet (forms.h), the
 * words normalised as the form layer compares them; the default forms are
 * rules/forms.tally, compiled from the copy the build embeds. */
#include "forms.h"

#include <stdlib.h>
#include <string.h>

#include "lang/base/text.h"
#include "lang/form.h"

extern const char tally_forms_default[];
extern const unsigned long tally_forms_default_len;

const char *forms_default_text(size_t *len)
{
    *len = tally_forms_default_len;
    return tally_forms_default;
}

_Static_assert(FC_COUNT == 10 && FB_COUNT == 6 && FIG_BUDGET == 6,
               "lang/form.c names the roles in formspec.h's order");

static const char *norm(Arena *a, const char *w)
{
    char *n = text_label_norm(w, strlen(w));
    const char *out = arena_strdup(a, n);
    free(n);
    return out;
}

static FormWords words_of(Arena *a, const FormValue *v, int n)
{
    const char **words = arena_alloc(a, (size_t)(n + 1) * sizeof *words);
    for (int i = 0; i < n; i++)
        words[i] = norm(a, v[i].word);
    return (FormWords){words, (size_t)n};
}

static bool wanted(const Program *p, const char *name)
{
    if (!p || strcmp(name, "年度") == 0 || strcmp(name, "year") == 0)
        return true; /* the report's year: versions by year choose by it */
    for (int i = 0; i < p->ninputs; i++)
        if (strcmp(p->inputs[i]->name, name) == 0)
            return true;
    return false;
}

static void convert(const Decl *d, const Program *want, FormSpec *f, Arena *a)
{
    memset(f, 0, sizeof *f);
    f->name = arena_strdup(a, d->name);
    f->figures = arena_alloc(a, (size_t)(d->u.form.nentries + 1) * sizeof *f->figures);
    for (int i = 0; i < d->u.form.nentries; i++) {
        const FormEntry *e = &d->u.form.entries[i];
        if (strcmp(e->head, "column") == 0 && e->key) {
            int k = form_role_index(form_column_roles, e->key);
            if (k >= 0)
                f->column[k] = words_of(a, e->values, e->nvalues);
        } else if (strcmp(e->head, "total") == 0) {
            f->total = words_of(a, e->values, e->nvalues);
        } else if (strcmp(e->head, "grade") == 0) {
            f->grade = words_of(a, e->values, e->nvalues);
        } else if (strcmp(e->head, "name") == 0) {
            f->head = words_of(a, e->values, e->nvalues);
        } else if (strcmp(e->head, "budget") == 0) {
            f->budget_row = words_of(a, e->values, e->nvalues);
            for (int j = 0; j < e->nentries; j++) {
                const FormEntry *b = &e->entries[j];
                int k = b->key ? form_role_index(form_budget_roles, b->key) : -1;
                if (k >= 0)
                    f->budget[k] = words_of(a, b->values, b->nvalues);
            }
        } else if (strcmp(e->head, "figure") == 0 && e->key && e->nvalues == 1 &&
                   wanted(want, e->key)) {
            const FormValue *v = &e->values[0];
            FormFigure *fg = &f->figures[f->nfigures++];
            memset(fg, 0, sizeof *fg);
            fg->name = arena_strdup(a, e->key);
            fg->how = (FormFigureHow)form_role_index(form_figure_kinds, v->word);
            fg->budget_column = -1;
            if (fg->how == FIG_BUDGET)
                fg->budget_column = v->nargs ? form_role_index(form_budget_roles, v->args[0].word) : -1;
            else {
                fg->label = v->nargs > 0 ? norm(a, v->args[0].word) : "";
                fg->context = v->nargs > 1 ? norm(a, v->args[1].word) : NULL;
            }
            /* after(LABEL, WORDS) and tick(LABEL, QUESTION): the words inside the cell */
        }
    }
}

static FormSet *set_of(const Program *src, const Program *want, const char *origin, Arena *a)
{
    FormSet *set = arena_alloc(a, sizeof *set);
    memset(set, 0, sizeof *set);
    FormSpec *forms = arena_alloc(a, (size_t)(src->nforms + 1) * sizeof *forms);
    for (int i = 0; i < src->nforms; i++)
        convert(src->forms[i], want, &forms[i], a);
    set->forms = forms;
    set->n = (size_t)src->nforms;
    set->origin = arena_strdup(a, origin);
    set->tables = !want || want->has_table;
    if (want && want->ngrades) {
        const char **g = arena_alloc(a, (size_t)want->ngrades * sizeof *g);
        for (int i = 0; i < want->ngrades; i++)
            g[i] = arena_strdup(a, want->grades[i].name);
        set->grades = g;
        set->ngrades = (size_t)want->ngrades;
    }
    return set;
}

const FormSet *forms_for_program(const Program *p, Arena *arena, DiagList *diags)
{
    if (p && p->nforms > 0)
        return set_of(p, p, p->src.name, arena);
    size_t len;
    const char *text = forms_default_text(&len);
    Program *dflt = program_compile("rules/forms.tally", text, len, diags);
    if (!dflt)
        return NULL;
    FormSet *set = set_of(dflt, p, "rules/forms.tally", arena);
    program_free(dflt);
    return set;
}
