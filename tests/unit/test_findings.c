/* test_findings.c - a finding's message (lang/finding.c): formatted whole
 * at every length, the short ones through the stack buffer, the long ones
 * formatted again into the arena. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/finding.h"

static void test_message_lengths(void **state)
{
    (void)state;
    static char text[6000], want[7000];
    memset(text, 'x', sizeof text - 1);
    Arena a;
    arena_init(&a);
    FindingList fl;
    findings_init(&fl, &a);
    const size_t lens[] = {0, 1, 500, 509, 510, 511, 512, 513, 1000, 5990};
    const size_t n = sizeof lens / sizeof *lens;
    for (size_t i = 0; i < n; i++)
        findings_add(&fl, F_SCORE_MISMATCH, "培训人数", NULL, (Span){0, 0}, "%.*s|%d", (int)lens[i], text,
                     (int)i);
    assert_int_equal(fl.len, n);
    for (size_t i = 0; i < n; i++) {
        snprintf(want, sizeof want, "%.*s|%d", (int)lens[i], text, (int)i);
        assert_string_equal(fl.items[i].message, want);
        assert_string_equal(fl.items[i].subject, "培训人数");
    }
    findings_add(&fl, F_CLAMPED, NULL, NULL, (Span){0, 0}, "%s", "");
    assert_string_equal(fl.items[n].message, "");
    assert_string_equal(fl.items[n].subject, "");
    findings_free(&fl);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_message_lengths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
