/* consts.c - what the code generator and the loader build alike from one
 * checked program (consts.h): the constant table, the unit and text ids. */
#include "consts.h"

#include <stdlib.h>
#include <string.h>

typedef struct ConstBuilder {
    TlValue *values;
    const void **keys;
    int len, cap;
} ConstBuilder;

static void const_push(ConstBuilder *b, const void *key, TlValue v)
{
    if (b->len == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 64;
        b->values = xrealloc(b->values, (size_t)b->cap * sizeof *b->values);
        b->keys = xrealloc(b->keys, (size_t)b->cap * sizeof *b->keys);
    }
    b->values[b->len] = v;
    b->keys[b->len] = key;
    b->len++;
}

static void const_walk(ConstBuilder *b, const Expr *e)
{
    if (!e)
        return;
    switch (e->kind) {
    case E_LIT:
        const_push(b, e, e->u.lit);
        return;
    case E_NAME:
        if (e->u.name.sym && e->u.name.sym->kind == SYM_CONST)
            const_push(b, e, val_text(e->u.name.sym->name));
        return;
    case E_CALL:
        for (int i = 0; i < e->u.call.nargs; i++)
            const_walk(b, e->u.call.args[i]);
        return;
    case E_UNARY:
        const_walk(b, e->u.unary.a);
        return;
    case E_BINARY:
        const_walk(b, e->u.binary.a);
        const_walk(b, e->u.binary.b);
        return;
    case E_IF:
        const_walk(b, e->u.cond.cond);
        const_walk(b, e->u.cond.then);
        const_walk(b, e->u.cond.els);
        return;
    case E_TIERS:
        const_walk(b, e->u.tiers.subject);
        for (int i = 0; i < e->u.tiers.ntiers; i++) {
            const_walk(b, e->u.tiers.tiers[i].edge);
            const_walk(b, e->u.tiers.tiers[i].score);
        }
        const_walk(b, e->u.tiers.els);
        return;
    }
}

static int by_key(const void *x, const void *y)
{
    const JitConstKey *a = x, *b = y;
    return a->key < b->key ? -1 : a->key > b->key;
}

void jit_consts_build(const Program *p, bool keyed, JitConsts *out)
{
    ConstBuilder b = {0};
    const_push(&b, NULL, val_missing());
    const_push(&b, NULL, val_bool(false));
    const_push(&b, NULL, val_bool(true));
    for (int i = 0; i < p->nindicators; i++)
        const_push(&b, NULL, val_num(p->indicators[i].weight));
    int first = b.len;
    for (int i = 0; i < p->nlets; i++)
        const_walk(&b, p->lets[i]->decl->u.let.value);
    for (int i = 0; i < p->nmethods; i++)
        const_walk(&b, p->methods[i]->decl->u.method.body);
    for (int i = 0; i < p->nindicators; i++) {
        const Decl *d = p->indicators[i].decl;
        const_walk(&b, d->u.indicator.value);
        const_walk(&b, d->u.indicator.target);
        const_walk(&b, p->indicators[i].score);
        const_walk(&b, p->indicators[i].method_call);
    }
    for (int i = 0; i < p->nrules; i++)
        const_walk(&b, p->rules[i].method);
    for (int i = 0; i < p->nchecks; i++) {
        const_walk(&b, p->checks[i]->u.check.cond);
        const_walk(&b, p->checks[i]->u.check.tolerance);
    }
    memset(out, 0, sizeof *out);
    out->values = b.values;
    out->len = b.len;
    out->nkeyed = keyed ? b.len - first : 0;
    out->order = xmalloc((size_t)(out->nkeyed + 1) * sizeof *out->order);
    for (int i = 0; i < out->nkeyed; i++)
        out->order[i] = (JitConstKey){(uintptr_t)b.keys[first + i], first + i};
    qsort(out->order, (size_t)out->nkeyed, sizeof *out->order, by_key);
    free(b.keys);
}

int jit_consts_slot(const JitConsts *k, const void *e)
{
    uintptr_t key = (uintptr_t)e;
    int lo = 0, hi = k->nkeyed;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (k->order[mid].key == key)
            return k->order[mid].slot;
        if (k->order[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

void jit_consts_free(JitConsts *k)
{
    free(k->values);
    free(k->order);
    memset(k, 0, sizeof *k);
}

static int by_name(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Sort and deduplicate names[0 .. n - 1] into *out. */
static void names_finish(const char **names, int n, JitNames *out)
{
    qsort(names, (size_t)n, sizeof *names, by_name);
    int len = 0;
    for (int i = 0; i < n; i++)
        if (len == 0 || strcmp(names[len - 1], names[i]) != 0)
            names[len++] = names[i];
    out->names = names;
    out->len = len < UINT16_MAX ? len : 0; /* ids are 16 bits; more names: none has an id */
}

void jit_units_build(const Program *p, const JitConsts *consts, JitNames *out)
{
    const char **names = xmalloc(((size_t)p->ninputs + (size_t)consts->len + 1) * sizeof *names);
    int n = 0;
    for (int i = 0; i < p->ninputs; i++)
        if (p->inputs[i]->type.kind == TY_NUM && p->inputs[i]->unit_written && p->inputs[i]->type.unit &&
            p->inputs[i]->type.unit[0])
            names[n++] = p->inputs[i]->type.unit;
    for (int i = 0; i < consts->len; i++)
        if (consts->values[i].kind == TL_NUM && consts->values[i].numkind == NUM_QUANTITY && consts->values[i].unit)
            names[n++] = consts->values[i].unit;
    names_finish(names, n, out);
}

void jit_texts_build(const JitConsts *consts, JitNames *out)
{
    const char **names = xmalloc(((size_t)consts->len + 1) * sizeof *names);
    int n = 0;
    for (int i = 0; i < consts->len; i++)
        if (consts->values[i].kind == TL_TEXT && consts->values[i].u.text)
            names[n++] = consts->values[i].u.text;
    names_finish(names, n, out);
}

int jit_name_id(const JitNames *u, const char *name)
{
    int lo = 0, hi = u->len;
    while (name && lo < hi) {
        int mid = lo + (hi - lo) / 2, c = strcmp(name, u->names[mid]);
        if (c == 0)
            return mid + 1;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

void jit_names_free(JitNames *u)
{
    free(u->names);
    memset(u, 0, sizeof *u);
}

int jit_max_params(const Program *p)
{
    int n = 0;
    for (int i = 0; i < p->nmethods; i++)
        if (p->methods[i]->decl->u.method.nparams > n)
            n = p->methods[i]->decl->u.method.nparams;
    return n;
}
