/* symtab.h - the names a program knows: what it declares and what the
 * language predeclares (context words, built-ins, mode words), each with
 * its Sym, kept in the order they were declared. */
#ifndef TALLY_SYMTAB_H
#define TALLY_SYMTAB_H

#include <stddef.h>

#include "program.h"

/* An empty table (symtab_free releases it). */
SymTable *symtab_new(void);
void symtab_free(SymTable *t);
/* The Sym of a name, or NULL. */
Sym *symtab_get(const SymTable *t, const char *name);
/* Add s under s->name, which the table does not hold yet. */
void symtab_put(SymTable *t, Sym *s);
/* How many names, and the i-th declared (0 <= i < symtab_count). */
size_t symtab_count(const SymTable *t);
Sym *symtab_at(const SymTable *t, size_t i);

#endif
