/* test_text_out.c - the text format's cell widths (runtime/output/text.c):
 * the inline count of ASCII and ideographs against text_width(), its
 * definition, on random strings of every kind of character. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/base/text.h"
#include "runtime/output/formats.h"

static uint64_t rng = 99;

static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static size_t reference(const char *s)
{
    size_t n = strlen(s), w = text_width(s, n);
    for (size_t i = 0; i < n; i++)
        w += (unsigned char)s[i] < 0x20;
    return w;
}

static void test_cell_width_random(void **state)
{
    (void)state;
    /* ASCII, controls, DEL, ideographs (E4..E9 and the E3 block with its
     * combining marks), a combining accent, full-width and wide-range
     * characters, an emoji, invalid and cut sequences */
    static const char *const pieces[] = {
        "a", " ", "9", "~", "\n", "\t", "\x01", "\x7f", "万", "元", "鿿", "䀀", "、", "〪", "ぁ", "\xcc\x81",
        "（", "≥", "“", "😀", "\xff", "\xe4", "\xe4\xb8", "\xe4" "a", "\xe9\xbf", "\xc2\x85", "é", "ｱ",
    };
    char s[128];
    for (int i = 0; i < 200000; i++) {
        size_t len = 0;
        int k = (int)rnd(12);
        for (int j = 0; j < k; j++) {
            const char *p = pieces[rnd(sizeof pieces / sizeof *pieces)];
            memcpy(s + len, p, strlen(p));
            len += strlen(p);
        }
        s[len] = '\0';
        if (out_cell_width(s) != reference(s))
            fail_msg("out_cell_width(\"%s\") = %zu, want %zu", s, out_cell_width(s), reference(s));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cell_width_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
