/* cellfast.c - the fast paths of cell parsing (value.h cell_parse_fast).
 *
 * Most cells of a real table are plain numbers ("5", "1870.02") or
 * percentages ("98.5%"): these are read here in one pass, without
 * folding, trimming or allocating.  Anything else - a sign, a space, a
 * qualifier, a unit, a separator, too many digits - is left to the general
 * grammar (cell_parse in value.c), which stays the definition: for every
 * cell the fast path takes, it gives exactly what the general path gives
 * (tests/unit/test_cellfast.c compares them on random cells). */
#include "value.h"

#include <string.h>

#include "dec.h"

/* Digits the fast path takes at most: well inside TlDec's range. */
#define FAST_DIGITS 15

bool cell_parse_fast(const char *s, size_t n, TlValue *out)
{
    size_t i = 0, digits = 0, frac = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    digits = i;
    if (digits == 0)
        return false;
    if (i < n && s[i] == '.') {
        size_t j = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        frac = i - j;
        if (frac == 0)
            return false;
    }
    bool percent = i + 1 == n && s[i] == '%';
    if (i != n && !percent)
        return false;
    if (digits + frac > FAST_DIGITS)
        return false;
    TlDec d;
    if (!dec_parse(s, i, &d))
        return false;
    if (percent) /* at most FAST_DIGITS + 2 decimals: no rounding, no normalising */
        d = dec_make(d.coef, d.scale + 2);
    *out = val_missing();
    out->kind = TL_NUM;
    out->numkind = percent ? NUM_PERCENT : NUM_PLAIN;
    out->mag = 0;
    out->u.num = d;
    return true;
}
