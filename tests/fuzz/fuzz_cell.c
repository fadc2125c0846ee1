/* fuzz_cell.c - libFuzzer harness for the report-cell parser (cell_parse).
 * Besides crashes it checks the promise of docs/data.md: every number
 * printed by val_format parses back to the same value. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/base/value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same_number(const TlValue *a, const TlValue *b)
{
    if (a->kind != TL_NUM || b->kind != TL_NUM)
        return false;
    if (dec_cmp(a->u.num, b->u.num) != 0 || a->numkind != b->numkind || a->qual != b->qual)
        return false;
    if ((a->flags & VAL_APPROX) != (b->flags & VAL_APPROX))
        return false;
    if ((a->unit == NULL) != (b->unit == NULL) || (a->unit && strcmp(a->unit, b->unit) != 0))
        return false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Arena arena;
    arena_init(&arena);
    TlValue v;
    const char *err = NULL;
    if (cell_parse(&arena, (const char *)data, size, &v, &err)) {
        char buf[VAL_BUF];
        int n = val_format(&v, buf);
        if (n < 0 || n >= VAL_BUF || strlen(buf) != (size_t)n)
            abort();
        if (v.kind == TL_NUM) {
            TlValue back;
            const char *err2 = NULL;
            if (!cell_parse(&arena, buf, (size_t)n, &back, &err2) || !same_number(&v, &back)) {
                fprintf(stderr, "cell '%.*s' prints as '%s', which reads back differently\n",
                        (int)size, (const char *)data, buf);
                abort();
            }
        }
    } else if (!err || v.kind != TL_MISSING) {
        abort();
    }
    arena_free(&arena);
    return 0;
}
