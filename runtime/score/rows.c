/* rows.c - which rule scores a row of a report's own indicator table
 * (rows.h). */
#include "rows.h"

#include <string.h>

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
    return -1;
}

bool rows_category_ok(const Group *g, const char *level2)
{
    for (int i = 0; i < g->ncategories; i++)
        if (strcmp(g->categories[i], "*") == 0 || rows_label_match(g->categories[i], level2))
            return true;
    return false;
}

/* What `kind` tests: the target's kind, or the actual's without a target. */
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

/* Does condition c hold for row, a row of group `group` (-1: none)? */
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
                if (rows_label_match(v, level1) || rows_label_match(v, row->level1)) return true;
                break;
            case COND_LEVEL2:
                if (rows_label_match(v, row->level2)) return true;
                break;
            case COND_INDICATOR:
                if (strcmp(v, row->name) == 0) return true;
                break;
            case COND_KIND:
                if (strcmp(v, cell_kind(row)) == 0) return true;
                break;
            case COND_QUALIFIER: /* decided above */
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
    if (g < 0 || !rows_category_ok(&p->groups[g], row->level2))
        return -1;
    const RowRule *rule = rows_rule_for(p, row, g);
    return rule ? (int)(rule - p->rules) : -1;
}
