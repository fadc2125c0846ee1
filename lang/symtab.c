/* symtab.c - the names a program knows (symtab.h). */
#include "symtab.h"

#include <stdlib.h>

#include "lang/base/strmap.h"

struct SymTable {
    StrMap index;   /* name -> position in syms */
    PtrVec syms;    /* Sym *, in declaration order */
};

SymTable *symtab_new(void)
{
    return xcalloc(1, sizeof(SymTable));
}

void symtab_free(SymTable *t)
{
    if (!t)
        return;
    strmap_free(&t->index);
    ptrvec_free(&t->syms);
    free(t);
}

Sym *symtab_get(const SymTable *t, const char *name)
{
    size_t *at = strmap_find(&t->index, name);
    return at ? t->syms.items[*at] : NULL;
}

void symtab_put(SymTable *t, Sym *s)
{
    strmap_put(&t->index, s->name, t->syms.len);
    ptrvec_push(&t->syms, s);
}

size_t symtab_count(const SymTable *t)
{
    return t->syms.len;
}

Sym *symtab_at(const SymTable *t, size_t i)
{
    return t->syms.items[i];
}
