/* form.c - the meaning of `form` declarations (form.h): the entries a form
 * may have and what each needs, checked with every error reported. */
#include "form.h"

#include <stdlib.h>
#include <string.h>

#include "lang/base/strmap.h"
#include "lang/base/text.h"
#include "lang/base/l10n.h"

const char *const form_column_roles[] = {"level1", "level2", "indicator", "target", "actual",
                                         "weight", "reported", "reason", "sign", "unit", NULL};
const char *const form_budget_roles[] = {"planned", "budget", "spent", "weight", "rate",
                                         "reported", NULL};
const char *const form_figure_kinds[] = {"right", "below", "cell", "after", "tick", "actual",
                                         "budget", NULL};
/* Arguments each figure kind takes: at least, at most. */
static const int figure_args[][2] = {{1, 2}, {1, 1}, {2, 2}, {2, 2}, {2, 2}, {1, 1}, {1, 1}};

int form_role_index(const char *const *roles, const char *word)
{
    for (int i = 0; roles[i]; i++)
        if (strcmp(roles[i], word) == 0)
            return i;
    return -1;
}

static void list_roles(Diag *d, const char *what, const char *const *roles)
{
    char buf[256];
    size_t n = 0;
    buf[0] = 0;
    for (int i = 0; roles[i] && n + 32 < sizeof buf; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", i ? ", " : "", roles[i]);
    diag_set_hint(d, "%s: %s", what, buf);
}

/* The words of an entry must be plain words, not word(...). */
static bool plain_words(const Source *src, const FormEntry *e, DiagList *diags)
{
    bool ok = true;
    for (int i = 0; i < e->nvalues; i++)
        if (e->values[i].call) {
            diag_at(diags, DIAG_ERROR, src, e->values[i].span,
                    _("'%s' takes words, not %s(...)"), e->head, e->values[i].word);
            ok = false;
        }
    if (e->nvalues == 0) {
        diag_at(diags, DIAG_ERROR, src, e->span, _("'%s' needs at least one word"), e->head);
        ok = false;
    }
    return ok;
}

typedef struct Seen {
    StrMap words;          /* normalised word -> role */
    int role_line[16];     /* where each role was first given (entry index + 1) */
} Seen;

/* `column ROLE = WORDS`: a known role, given once, its words given to no
 * other role of the same table. */
static void check_column(const Source *src, const FormEntry *e, const char *const *roles,
                         const char *where, Seen *seen, DiagList *diags)
{
    if (!e->key || !e->assign) {
        Diag *d = diag_at(diags, DIAG_ERROR, src, e->span,
                          _("write a column as 'column ROLE = WORD, WORD, ...'"));
        list_roles(d, "roles", roles);
        return;
    }
    int role = form_role_index(roles, e->key);
    if (role < 0) {
        Diag *d = diag_at(diags, DIAG_ERROR, src, e->key_span, _("unknown column role '%s' in %s"),
                          e->key, where);
        list_roles(d, "roles", roles);
        return;
    }
    if (seen->role_line[role]) {
        diag_at(diags, DIAG_ERROR, src, e->key_span, _("column '%s' is declared twice in %s"),
                e->key, where);
        return;
    }
    seen->role_line[role] = 1;
    if (!plain_words(src, e, diags))
        return;
    for (int i = 0; i < e->nvalues; i++) {
        char *n = text_label_norm(e->values[i].word, strlen(e->values[i].word));
        size_t *other = strmap_find(&seen->words, n);
        if (other && (int)*other != role)
            diag_at(diags, DIAG_ERROR, src, e->values[i].span,
                    _("'%s' is a word of column '%s' and of column '%s' in %s: a header cell "
                    "must name one column"),
                    e->values[i].word, roles[*other], e->key, where);
        else if (!other)
            strmap_put(&seen->words, n, (size_t)role);
        free(n);
    }
}

static void check_figure(const Source *src, const FormEntry *e, StrMap *names, DiagList *diags)
{
    if (!e->key || !e->assign || e->nvalues != 1 || !e->values[0].call) {
        Diag *d = diag_at(diags, DIAG_ERROR, src, e->span,
                          _("write a figure as 'figure NAME = KIND(WORD, ...)'"));
        list_roles(d, "kinds", form_figure_kinds);
        return;
    }
    if (strmap_find(names, e->key))
        diag_at(diags, DIAG_ERROR, src, e->key_span, _("figure '%s' is declared twice"), e->key);
    else
        strmap_put(names, e->key, 1);
    const FormValue *v = &e->values[0];
    int kind = form_role_index(form_figure_kinds, v->word);
    if (kind < 0) {
        Diag *d = diag_at(diags, DIAG_ERROR, src, v->span, _("unknown way to find a figure '%s'"),
                          v->word);
        list_roles(d, "kinds", form_figure_kinds);
        return;
    }
    if (v->nargs < figure_args[kind][0] || v->nargs > figure_args[kind][1]) {
        if (figure_args[kind][0] == figure_args[kind][1])
            diag_at(diags, DIAG_ERROR, src, v->span, _("%s takes %d word%s, %d given"), v->word,
                    figure_args[kind][0], figure_args[kind][0] == 1 ? "" : "s", v->nargs);
        else
            diag_at(diags, DIAG_ERROR, src, v->span, _("%s takes %d to %d words, %d given"),
                    v->word, figure_args[kind][0], figure_args[kind][1], v->nargs);
        return;
    }
    for (int i = 0; i < v->nargs; i++)
        if (v->args[i].call)
            diag_at(diags, DIAG_ERROR, src, v->args[i].span, _("%s takes words, not %s(...)"),
                    v->word, v->args[i].word);
    if (kind == 6 && form_role_index(form_budget_roles, v->args[0].word) < 0) {
        Diag *d = diag_at(diags, DIAG_ERROR, src, v->args[0].span,
                          _("unknown column role '%s' of the budget block"), v->args[0].word);
        list_roles(d, "roles", form_budget_roles);
    }
}

void form_check_decl(const Source *src, const Decl *d, DiagList *diags)
{
    Seen table = {0}, budget = {0};
    StrMap figures = {0};
    bool have[4] = {false, false, false, false}; /* total, grade, name, budget */
    static const char *const singles[] = {"total", "grade", "name", "budget"};
    for (int i = 0; i < d->u.form.nentries; i++) {
        const FormEntry *e = &d->u.form.entries[i];
        if (strcmp(e->head, "column") == 0 && !e->block) {
            check_column(src, e, form_column_roles, "the indicator table", &table, diags);
        } else if (strcmp(e->head, "figure") == 0 && !e->block) {
            check_figure(src, e, &figures, diags);
        } else if ((strcmp(e->head, "total") == 0 || strcmp(e->head, "grade") == 0 ||
                    strcmp(e->head, "name") == 0) && !e->block && !e->key) {
            int k = strcmp(e->head, "total") == 0 ? 0 : strcmp(e->head, "grade") == 0 ? 1 : 2;
            if (have[k])
                diag_at(diags, DIAG_ERROR, src, e->head_span, _("'%s' is declared twice in form '%s'"),
                        e->head, d->name);
            have[k] = true;
            plain_words(src, e, diags);
        } else if (strcmp(e->head, "budget") == 0 && e->block && !e->key) {
            if (have[3])
                diag_at(diags, DIAG_ERROR, src, e->head_span, _("'budget' is declared twice in form '%s'"),
                        d->name);
            have[3] = true;
            plain_words(src, e, diags);
            for (int j = 0; j < e->nentries; j++) {
                const FormEntry *b = &e->entries[j];
                if (strcmp(b->head, "column") == 0 && !b->block)
                    check_column(src, b, form_budget_roles, "the budget block", &budget, diags);
                else
                    diag_at(diags, DIAG_ERROR, src, b->head_span,
                            _("a budget block holds 'column ROLE = WORDS' lines, not '%s'"), b->head);
            }
            if (!budget.role_line[1] || !budget.role_line[2])
                diag_at(diags, DIAG_ERROR, src, e->head_span,
                        _("the budget block needs the words of its columns 'budget' and 'spent'"));
        } else {
            Diag *dg = diag_at(diags, DIAG_ERROR, src, e->head_span, _("unknown form entry '%s'"),
                               e->head);
            diag_set_hint(dg, _("a form has 'column ROLE = WORDS', 'budget WORDS { column ... }', "
                              "'total WORDS', 'grade WORDS', 'name WORDS' and 'figure NAME = "
                              "KIND(WORDS)'"));
        }
    }
    static const int needed[] = {2, 3, 4, 5}; /* indicator, target, actual, weight */
    for (size_t k = 0; k < sizeof needed / sizeof *needed; k++)
        if (!table.role_line[needed[k]])
            diag_at(diags, DIAG_ERROR, src, d->name_span,
                    _("form '%s' has no words for column '%s', which finds its table"), d->name,
                    form_column_roles[needed[k]]);
    (void)singles;
    strmap_free(&table.words);
    strmap_free(&budget.words);
    strmap_free(&figures);
}
