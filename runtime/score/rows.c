/* rows.c - which rule scores a row of a report's own indicator table
 * (rows.h). */
#include "rows.h"

#include <stdlib.h>
#include <string.h>

#include "lang/base/text.h"

RowsRead rows_cell_read(const Program *p, const TlValue *parsed, const char *raw)
{
    if (!p->vocab.custom[VOCAB_MISSING] || !raw || (parsed->kind != TL_MISSING && parsed->kind != TL_TEXT) ||
        (parsed->flags & (VAL_CELL_ERROR | VAL_UNREADABLE)))
        return ROWS_AS_PARSED;
    size_t n;
    char *folded = text_fold_width(raw, strlen(raw), &n);
    const char *t = text_trim(folded, &n);
    bool marker = n == 0 || cell_word_in(t, n, (const char *const *)p->vocab.list[VOCAB_MISSING]);
    free(folded);
    if (parsed->kind == TL_TEXT)
        return marker ? ROWS_AS_MISSING : ROWS_AS_PARSED;
    return marker ? ROWS_AS_PARSED : ROWS_AS_TEXT;
}

TlValue rows_cell(const Program *p, const TlValue *parsed, const char *raw)
{
    return rows_cell_as(rows_cell_read(p, parsed, raw), parsed, raw);
}

TlValue rows_target(const Program *p, const TableRow *row)
{
    return rows_cell(p, &row->target, row->target_raw);
}

TlValue rows_actual(const Program *p, const TableRow *row)
{
    return rows_cell(p, &row->actual, row->actual_raw);
}

bool rows_label_match(const char *a, const char *b)
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

int rows_group_of(const Program *p, const TableRow *row)
{
    for (int g = 0; g < p->ngroups; g++) {
        const Group *gr = &p->groups[g];
        if (!gr->is_table)
            continue;
        if (rows_label_match(gr->decl->name, row->level1))
            return g;
        for (int a = 0; a < gr->decl->u.group.naliases; a++)
            if (rows_label_match(gr->decl->u.group.aliases[a], row->level1))
                return g;
    }
    if (*row->level1)
        return -1;
    /* A level-1 cell holding only its weight ("(50分)", the group's name
     * printed elsewhere): the one table group that lists the row's level-2
     * category by name. */
    int found = -1;
    const char *alias = vocab_alias_of(&p->vocab, row->level2);
    for (int g = 0; g < p->ngroups; g++) {
        const Group *gr = &p->groups[g];
        for (int i = 0; gr->is_table && i < gr->ncategories; i++) {
            const char *cat = gr->categories[i];
            if (strcmp(cat, "*") != 0 && *row->level2 &&
                (rows_label_match(cat, row->level2) || (alias && rows_label_match(cat, alias)))) {
                if (found >= 0 && found != g)
                    return -1;
                found = g;
            }
        }
    }
    return found;
}

bool rows_category_ok(const Program *p, const Group *g, const char *level2)
{
    const char *alias = vocab_alias_of(&p->vocab, level2);
    for (int i = 0; i < g->ncategories; i++)
        if (strcmp(g->categories[i], "*") == 0 || rows_label_match(g->categories[i], level2) ||
            (alias && rows_label_match(g->categories[i], alias)))
            return true;
    return false;
}

RowDirection rows_direction(const Program *p, const TableRow *row, DirectionFrom *from,
                            const char **word)
{
    *word = NULL;
    TlValue target = rows_target(p, row);
    switch ((TlQual)target.qual) {
    case QUAL_GE: case QUAL_GT:
        *from = FROM_SIGN;
        return DIR_HIGHER;
    case QUAL_LE: case QUAL_LT:
        *from = FROM_SIGN;
        return DIR_LOWER;
    case QUAL_EQ: case QUAL_NONE:
        break;
    }
    int d = vocab_direction(&p->vocab, row->name, word);
    *from = FROM_NAME;
    if (!d) {
        const char *alias = vocab_alias_of(&p->vocab, row->level2);
        d = vocab_direction(&p->vocab, alias ? alias : row->level2, word);
        *from = FROM_CATEGORY;
    }
    if (!d)
        *from = FROM_NONE;
    return d > 0 ? DIR_HIGHER : d < 0 ? DIR_LOWER : DIR_UNKNOWN;
}

const char *rows_direction_name(RowDirection d)
{
    switch (d) {
    case DIR_HIGHER: return "higher";
    case DIR_LOWER: return "lower";
    case DIR_UNKNOWN: break;
    }
    return "unknown";
}

int rows_first_direction_rule(const Program *p)
{
    for (int r = 0; r < p->nrules; r++)
        for (int c = 0; c < p->rules[r].nconds; c++)
            if (p->rules[r].conds[c].kind == COND_DIRECTION)
                return r;
    return -1;
}

/* What `kind` tests: the target's kind, or the actual's without a target. */
static const char *cell_kind(const Program *p, const TableRow *row)
{
    TlValue target = rows_target(p, row), actual = rows_actual(p, row);
    const TlValue *v = target.kind != TL_MISSING ? &target : &actual;
    switch ((TlKind)v->kind) {
    case TL_MISSING: return "missing";
    case TL_TEXT: case TL_BOOL: return "text";
    case TL_NUM:
        return v->numkind == NUM_PERCENT ? "percent" : v->numkind == NUM_QUANTITY ? "quantity" : "number";
    }
    return "missing";
}

/* Does condition c hold for row, a row of group `group` (-1: none)? */
static bool cond_holds(const Program *p, const RowCond *c, const TableRow *row, int group)
{
    const char *level1 = group >= 0 ? p->groups[group].decl->name : row->level1;
    const char *alias = NULL;
    switch (c->kind) {
    case COND_QUALIFIER:
        return rows_target(p, row).qual == c->qual;
    case COND_DIRECTION: {
        DirectionFrom from;
        const char *word;
        const char *d = rows_direction_name(rows_direction(p, row, &from, &word));
        for (int i = 0; i < c->nvalues; i++)
            if (strcmp(c->values[i], d) == 0)
                return true;
        return false;
    }
    case COND_LEVEL2:
        alias = vocab_alias_of(&p->vocab, row->level2);
        /* fall through */
    case COND_LEVEL1:
    case COND_INDICATOR:
    case COND_KIND:
        for (int i = 0; i < c->nvalues; i++) {
            const char *v = c->values[i];
            switch (c->kind) {
            case COND_LEVEL1:
                if (rows_label_match(v, level1) || rows_label_match(v, row->level1)) return true;
                break;
            case COND_LEVEL2:
                if (rows_label_match(v, row->level2) || (alias && rows_label_match(v, alias)))
                    return true;
                break;
            case COND_INDICATOR:
                if (strcmp(v, row->name) == 0) return true;
                break;
            case COND_KIND:
                if (strcmp(v, cell_kind(p, row)) == 0) return true;
                break;
            case COND_QUALIFIER: case COND_DIRECTION: /* decided above */
                break;
            }
        }
        return false;
    }
    return false;
}

const RowRule *rows_rule_for(const Program *p, const TableRow *row, int g)
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

int rows_rule_index(const Program *p, const TableRow *row)
{
    int g = rows_group_of(p, row);
    if (g < 0 || !rows_category_ok(p, &p->groups[g], row->level2))
        return -1;
    const RowRule *rule = rows_rule_for(p, row, g);
    return rule ? (int)(rule - p->rules) : -1;
}
