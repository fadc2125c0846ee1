/* test_text_wrap.c - display widths and line breaks (lang/base/text.c)
 * against their versions before issue 16 gave them fast paths: cp_width of
 * every code point, text_wrap_at on random texts at every width. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lang/base/text.h"

/* The reference: the functions as they were ----------------------------- */

typedef struct ref_Range { uint32_t lo, hi; } ref_Range;

static const ref_Range ref_zero_width[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A},
    {0x064B, 0x065F}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F},
    {0x202A, 0x202E}, {0x2060, 0x2064}, {0x20D0, 0x20FF}, {0x302A, 0x302D},
    {0x3099, 0x309A}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF},
    {0xE0100, 0xE01EF},
};

static const ref_Range ref_wide[] = {
    {0x1100, 0x115F}, {0x2E80, 0x303E}, {0x3040, 0xA4CF}, {0xAC00, 0xD7A3},
    {0xF900, 0xFAFF}, {0xFE30, 0xFE4F}, {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6},
    {0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF}, {0x20000, 0x3FFFD},
};

static bool ref_in_ranges(uint32_t cp, const ref_Range *r, size_t n) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < r[mid].lo) hi = mid;
        else if (cp > r[mid].hi) lo = mid + 1;
        else return true;
    }
    return false;
}

static int ref_cp_width(uint32_t cp) {
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return 0;
    if (cp < 0x300) return 1;
    if (ref_in_ranges(cp, ref_zero_width, sizeof ref_zero_width / sizeof *ref_zero_width)) return 0;
    if (ref_in_ranges(cp, ref_wide, sizeof ref_wide / sizeof *ref_wide)) return 2;
    return 1;
}
/* Punctuation a line may not start with, or end with. */
static bool ref_no_line_start(uint32_t cp)
{
    static const uint32_t closing[] = {0xFF0C, 0x3002, 0xFF09, 0xFF1B, 0xFF1A, 0x3001, 0x201D,
                                       0x2019, 0x300D, 0x300F, 0x3011, 0xFF01, 0xFF1F, 0x2026,
                                       0xFF05, ',', '.', ')', ';', ':', ']', '%', '!', '?'};
    for (size_t i = 0; i < sizeof closing / sizeof *closing; i++)
        if (cp == closing[i])
            return true;
    return false;
}

static bool ref_no_line_end(uint32_t cp)
{
    return cp == 0xFF08 || cp == 0x201C || cp == 0x2018 || cp == 0x300C || cp == 0x300E ||
           cp == 0x3010 || cp == '(' || cp == '[';
}

/* Part of a number or a word that a line break should not split from the
 * Chinese beside it ("10分", "11458.23万元"). */
static bool ref_wordlike(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
           cp == '.' || cp == '%' || cp == '_';
}

static bool ref_may_break(uint32_t prev, uint32_t cp)
{
    if (ref_no_line_start(cp) || ref_no_line_end(prev))
        return false;
    if (cp == ' ' || prev == ' ')
        return true;
    bool wp = ref_cp_width(prev) == 2, wc = ref_cp_width(cp) == 2;
    return (wp && wc) || (wp && !ref_wordlike(cp)) || (wc && !ref_wordlike(prev));
}

static size_t ref_text_wrap_at(const char *s, size_t n, size_t cols)
{
    size_t i = 0, w = 0, best = 0;
    uint32_t prev = 0;
    while (i < n) {
        uint32_t cp;
        int k = utf8_decode(s + i, n - i, &cp);
        if (k == 0) {
            k = 1;
            cp = 0xFFFD;
        }
        int cw = cp < 0x20 ? 1 : ref_cp_width(cp);
        /* A break before this character? */
        if (i > 0 && ref_may_break(prev, cp))
            best = i;
        if (cp != ' ' && w + (size_t)cw > cols)
            return best > 0 ? best : i > 0 ? i : (size_t)k;
        w += (size_t)cw;
        i += (size_t)k;
        prev = cp;
    }
    return n;
}

static uint64_t rng = 7;

static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static void test_cp_width_all(void **state)
{
    (void)state;
    for (uint32_t cp = 0; cp <= 0x110000; cp++)
        if (cp_width(cp) != ref_cp_width(cp))
            fail_msg("cp_width(U+%04X) = %d, want %d", cp, cp_width(cp), ref_cp_width(cp));
}

static void test_wrap_random(void **state)
{
    (void)state;
    /* what findings hold: ideographs, ASCII words and numbers, spaces, the
     * punctuation a line may not start or end with, wide and zero-width
     * characters, invalid bytes */
    static const char *const pieces[] = {
        "培训", "人数", "万元", "、", "，", "。", "（", "）", "“", "”", "：", "；", "…", "％", "《", "》", " ",
        "  ", "a", "word", "10", "11458.23", "%", ",", ".", "(", ")", "[", "]", ";", ":", "!", "?", "_",
        "\n", "\t", "\xcc\x81", "\xff", "😀", "ｱ", "가", "é", "〪", "≥", "-", "'",
    };
    char s[400];
    for (int i = 0; i < 100000; i++) {
        size_t len = 0;
        int k = (int)rnd(40);
        for (int j = 0; j < k; j++) {
            const char *p = pieces[rnd(sizeof pieces / sizeof *pieces)];
            memcpy(s + len, p, strlen(p));
            len += strlen(p);
        }
        s[len] = '\0';
        size_t cols = 1 + rnd(40);
        size_t got = text_wrap_at(s, len, cols), want = ref_text_wrap_at(s, len, cols);
        if (got != want)
            fail_msg("text_wrap_at(\"%s\", %zu) = %zu, want %zu", s, cols, got, want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cp_width_all),
        cmocka_unit_test(test_wrap_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
