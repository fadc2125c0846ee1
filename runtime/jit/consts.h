/* consts.h - what the code generator (in the compiling child) and the
 * loader (in the parent) build alike from one checked program: the
 * constant table compiled code reads literals from, and the ids batch
 * kernels know units and texts by.  Built in one deterministic order, so
 * that no pointer of the parent is ever baked into compiled code.
 */
#ifndef TALLY_JIT_CONSTS_H
#define TALLY_JIT_CONSTS_H

#include <stdbool.h>
#include <stdint.h>

#include "lang/program.h"

/* Slots of the constant table that every program has. */
enum { JIT_CONST_MISSING, JIT_CONST_FALSE, JIT_CONST_TRUE, JIT_CONST_WEIGHTS };

/* The constant table: literals, option words and indicator weights, in one
 * deterministic order, so the code generator (in the compiling child) and
 * the loader (in the parent) build the same table from the same Program. */
typedef struct JitConstKey {
    uintptr_t key;        /* the Expr (literal or option word) */
    int slot;
} JitConstKey;

typedef struct JitConsts {
    TlValue *values;
    int len;
    JitConstKey *order;   /* the keyed slots, sorted by key (code generator only) */
    int nkeyed;
} JitConsts;

/* `keyed`: also the order by key that jit_consts_slot() searches (the code
 * generator's need; the loader only needs the values). */
void jit_consts_build(const Program *p, bool keyed, JitConsts *out);
/* The slot of a literal or option word; -1 if e has none. */
int jit_consts_slot(const JitConsts *k, const void *e);
void jit_consts_free(JitConsts *k);

/* Strings batch kernels know by id, sorted, id = index + 1 (0: none of
 * them).  Built the same way by the code generator and the loader.
 *   units: every unit an input declares or a literal carries.  A quantity
 *          in another unit (a cell written in a count word other than the
 *          declared one) gets no id: the kernels decline it.
 *   texts: every text literal and option word.  A text cell no literal
 *          spells gets 0: unequal to every literal, and two such cells
 *          compared make the kernel decline. */
typedef struct JitNames {
    const char **names;   /* [id - 1], pointers into the Program */
    int len;
} JitNames;

void jit_units_build(const Program *p, const JitConsts *consts, JitNames *out);
void jit_texts_build(const JitConsts *consts, JitNames *out);
/* The id of a name, 0 if it has none. */
int jit_name_id(const JitNames *u, const char *name);
void jit_names_free(JitNames *u);

/* The largest number of parameters of any method (for JitCtx.none). */
int jit_max_params(const Program *p);

#endif
