/* cellfast.c - the fast paths of cell parsing (value.h cell_parse_fast).
 *
 * Most cells of a real table are plain numbers ("5", "1870.02"),
 * percentages ("98.5%"), numbers with a unit ("121人", "1870.02万元"), any
 * of them after a comparison sign ("≥91.7%", "≤620.23万元"), or words
 * ("有所提升"): these are read here in one pass, without folding, trimming
 * or allocating anything but the unit or the text kept.  Anything else - a
 * space, a separator, an affix word, a gap word, too many digits, a
 * character that is neither a digit nor a CJK ideograph - is left to the
 * general grammar (cell_parse in value.c), which stays the definition: for
 * every cell the fast path takes, it gives exactly what the general path
 * gives (tests/unit/test_cellfast.c compares them on random cells). */
#include "value.h"

#include <stdint.h>
#include <string.h>

#include "dec.h"

/* Digits the fast path takes at most: well inside TlDec's range. */
#define FAST_DIGITS CELL_FAST_DIGITS

/* The code point of the CJK ideograph (U+4E00..U+9FFF, three bytes in
 * UTF-8) at s[0..n), or 0 when there is none. */
static inline uint32_t ideograph_at(const unsigned char *s, size_t n)
{
    if (n < 3 || s[0] < 0xE4 || s[0] > 0xE9 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
        (s[0] == 0xE4 && s[1] < 0xB8))
        return 0;
    return ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
}

/* Is s[0..n) (n > 0) ideographs only?  Its first and last ones in *first
 * and *last (issue 16: each looked at once). */
static bool all_ideographs(const char *s, size_t n, uint32_t *first, uint32_t *last)
{
    uint32_t cp = 0;
    for (size_t i = 0; i < n; i += 3) {
        cp = ideograph_at((const unsigned char *)s + i, n - i);
        if (!cp)
            return false;
        if (i == 0)
            *first = cp;
    }
    *last = cp;
    return true;
}

/* Ideographs the general grammar gives a meaning next to a number, where
 * the fast path declines: gap words (余 多), the last characters of affix
 * words (以上 以下 以内 左右 及以上 ...), and the first ones of magnitude
 * words (万 亿 千 and 百万) and of 百分比. */
static bool gap_or_affix_end(uint32_t cp)
{
    return cp == 0x4F59 /* 余 */ || cp == 0x591A /* 多 */ || cp == 0x4E0A /* 上 */ ||
           cp == 0x4E0B /* 下 */ || cp == 0x5185 /* 内 */ || cp == 0x53F3 /* 右 */;
}

static bool magnitude_start(uint32_t cp)
{
    return cp == 0x4E07 /* 万 */ || cp == 0x4EBF /* 亿 */ || cp == 0x5343 /* 千 */ ||
           cp == 0x767E /* 百 */;
}

/* The magnitude word at the start of s, whose first ideograph is `first`
 * (magnitude_start), and the second one, if any: the general grammar's
 * list, longest first (万亿 千万 百万 亿 万 千), by code point rather than
 * by bytes (issue 16: every unit cell).  Its byte length, or 0. */
static size_t magnitude_word(const char *s, size_t n, uint32_t first, int *mag)
{
    uint32_t second = n > 3 ? ideograph_at((const unsigned char *)s + 3, n - 3) : 0;
    *mag = 0;
    switch (first) {
    case 0x4E07: /* 万 */
        *mag = second == 0x4EBF /* 亿 */ ? 12 : 4;
        return *mag == 12 ? 6 : 3;
    case 0x5343: /* 千 */
        *mag = second == 0x4E07 ? 7 : 3;
        return *mag == 7 ? 6 : 3;
    case 0x767E: /* 百 */
        if (second != 0x4E07)
            return 0;
        *mag = 6;
        return 6;
    case 0x4EBF: /* 亿 */
        *mag = 8;
        return 3;
    default:
        return 0;
    }
}

/* The bytes s[at .. n) of the cell as a string: s itself from `at` when
 * the cell is kept (NUL-terminated at n, living as long as the arena's
 * strings), else a copy in the arena. */
static const char *cell_tail(Arena *arena, const char *s, size_t at, size_t n, bool kept)
{
    return kept ? s + at : arena_strndup(arena, s + at, n - at);
}

/* Is s[0..n), ideographs only, one of the default missing markers?  Of
 * cell_missing_default only 无 and 不适用 are ideographs (issue 16: the
 * list trimmed and walked for every text cell; test_cellfast checks the
 * list against this). */
static bool default_missing_ideographs(const char *s, size_t n)
{
    return (n == 3 && memcmp(s, "无", 3) == 0) || (n == 9 && memcmp(s, "不适用", 9) == 0);
}

/* A cell of ideographs only: text, unless it is a missing marker. */
static bool text_cell(Arena *arena, const char *s, size_t n, const char *const *missing,
                      bool kept, TlValue *out)
{
    uint32_t first, last;
    if (!all_ideographs(s, n, &first, &last) ||
        (missing ? cell_word_in(s, n, missing) : default_missing_ideographs(s, n)))
        return false;
    *out = val_text(cell_tail(arena, s, 0, n, kept));
    return true;
}

bool cell_parse_fast(Arena *arena, const char *s, size_t n, const char *const *missing,
                     TlValue *out)
{
    return cell_parse_fast_kept(arena, s, n, missing, false, out);
}

bool cell_parse_fast_kept(Arena *arena, const char *s, size_t n, const char *const *missing,
                          bool kept, TlValue *out)
{
    return cell_parse_fast_units(arena, s, n, missing, kept, NULL, out);
}

/* The bytes of a tail of 1 to 16 bytes as two words: with its length, they
 * tell it from every other tail (the loads overlap, never reach past it). */
static inline void units_key(const char *t, size_t n, uint64_t *a, uint64_t *b)
{
    if (n >= 8) {
        memcpy(a, t, 8), memcpy(b, t + n - 8, 8);
    } else if (n >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, t, 4), memcpy(&hi, t + n - 4, 4);
        *a = (uint64_t)lo | (uint64_t)hi << 32;
        *b = 0;
    } else {
        *a = (uint64_t)(unsigned char)t[0] | (uint64_t)(unsigned char)t[n / 2] << 8 |
             (uint64_t)(unsigned char)t[n - 1] << 16;
        *b = 0;
    }
}

bool cell_parse_fast_units(Arena *arena, const char *s, size_t n, const char *const *missing,
                           bool kept, CellUnits *units, TlValue *out)
{
    if (n == 0) {
        *out = val_missing();
        return true;
    }
    size_t i = 0, digits = 0, frac = 0;
    uint8_t qual = QUAL_NONE;
    if (n > 3 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x89 &&
        ((unsigned char)s[2] == 0xA5 || (unsigned char)s[2] == 0xA4)) { /* ≥ ≤ */
        qual = (unsigned char)s[2] == 0xA5 ? QUAL_GE : QUAL_LE;
        i = 3;
    }
    /* the coefficient as dec_parse makes it: at most FAST_DIGITS digits fit */
    uint64_t coef = 0;
    size_t start = i;
    if (kept) /* s[n] is NUL, no digit: the run ends there without a test of n */
        for (unsigned v; (v = (unsigned)(unsigned char)s[i] - '0') <= 9; i++)
            coef = coef * 10 + v;
    else
        while (i < n && s[i] >= '0' && s[i] <= '9')
            coef = coef * 10 + (unsigned)(s[i++] - '0');
    digits = i - start;
    if (digits == 0)
        return qual == QUAL_NONE && (unsigned char)s[0] >= 0xE4 &&
               text_cell(arena, s, n, missing, kept, out);
    if (i < n && s[i] == '.') {
        size_t j = ++i;
        const size_t stop = n - j > FAST_DIGITS ? j + FAST_DIGITS : n; /* one bound, not two */
        for (unsigned v; i < stop && (v = (unsigned)(unsigned char)s[i] - '0') <= 9; i++)
            coef = coef * 10 + v;
        frac = i - j;
        if (i < n && s[i] >= '0' && s[i] <= '9')
            return false;
        if (frac == 0)
            return false;
    }
    if (digits + frac > FAST_DIGITS)
        return false;
    bool percent = i + 1 == n && s[i] == '%';
    int mag = 0;
    const char *unit = NULL;
    if (i != n && !percent) {
        size_t tl = n - i;
        uint64_t ka = 0, kb = 0;
        if (units && tl <= 16) {
            units_key(s + i, tl, &ka, &kb);
            for (int k = 0; k < CELL_UNITS; k++)
                if (units->e[k].len == tl && units->e[k].a == ka && units->e[k].b == kb) {
                    units->hits++;
                    mag = units->e[k].mag;
                    unit = units->e[k].unit == 0xFF ? NULL : s + i + units->e[k].unit;
                    goto number;
                }
        }
        /* a unit: ideographs, after an optional magnitude word */
        const size_t at = i;
        uint32_t first, last;
        if (!all_ideographs(s + i, n - i, &first, &last) || gap_or_affix_end(first) ||
            gap_or_affix_end(last))
            return false;
        if (magnitude_start(first))
            i += magnitude_word(s + i, n - i, first, &mag);
        if (i < n) {
            uint32_t next = ideograph_at((const unsigned char *)s + i, n - i);
            if (gap_or_affix_end(next) || magnitude_start(next) || n - i > 12)
                return false; /* a word twice, 百分比, or more than four characters */
            unit = s + i;
        }
        if (units && tl <= 16) {
            unsigned k = units->next++ % CELL_UNITS;
            units->e[k].a = ka, units->e[k].b = kb;
            units->e[k].len = (uint8_t)tl;
            units->e[k].mag = (int8_t)mag;
            units->e[k].unit = unit ? (uint8_t)(unit - (s + at)) : 0xFF;
        }
    }
number:;
    /* at most FAST_DIGITS digits and FAST_DIGITS + 2 decimals: within a
     * TlDec's range and scale, as dec_make checks */
    TlDec d = {(int64_t)coef, (int)frac};
    if (percent) { /* no rounding, no normalising */
        d.scale += 2;
    } else if (mag) {
        /* coef * 10^mag when it fits, as value_magnify gives it; else that */
        static const int64_t pow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
                                        100000000, 1000000000, 10000000000, 100000000000,
                                        1000000000000};
        if (mag < (int)(sizeof pow10 / sizeof *pow10) && d.coef <= INT64_MAX / pow10[mag])
            d.coef *= pow10[mag];
        else if (!value_magnify(d, mag, &d))
            return false;
    }
    *out = val_missing();
    out->kind = TL_NUM;
    out->numkind = percent ? NUM_PERCENT : unit ? NUM_QUANTITY : NUM_PLAIN;
    out->qual = qual;
    out->mag = (int8_t)mag;
    out->unit = unit ? cell_tail(arena, s, (size_t)(unit - s), n, kept) : NULL;
    out->u.num = d;
    return true;
}
