/* test_strbuf.c - the growing string (lang/base/strbuf.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "lang/base/strbuf.h"

/* A zeroed buffer allocates on its first addition; empty reads as "". */
static void test_zeroed(void **state)
{
    (void)state;
    StrBuf b = {0};
    assert_string_equal(strbuf_str(&b), "");
    strbuf_add(&b, NULL, 0);
    assert_non_null(b.s);
    assert_true(b.heap);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.s, "");
    strbuf_adds(&b, "绩效");
    strbuf_add(&b, "自评表", 3);
    assert_string_equal(b.s, "绩效自");
    assert_int_equal(b.len, 9);
    strbuf_free(&b);
    assert_null(b.s);
    assert_int_equal(b.len, 0);
}

/* In the caller's array until it no longer fits; then on the heap with the
 * text kept, byte for byte, through many doublings. */
static void test_small_then_heap(void **state)
{
    (void)state;
    char small[8];
    small[0] = 'x';
    StrBuf b;
    strbuf_init_in(&b, small, sizeof small);
    assert_string_equal(b.s, "");
    strbuf_adds(&b, "1234567");
    assert_ptr_equal(b.s, small);
    assert_false(b.heap);
    strbuf_adds(&b, "8");
    assert_ptr_not_equal(b.s, small);
    assert_true(b.heap);
    assert_string_equal(b.s, "12345678");
    assert_string_equal(small, "1234567"); /* the array is left as it was */
    char expect[10000];
    strcpy(expect, "12345678");
    for (size_t i = 8; i < sizeof expect - 1; i++) {
        char c = (char)('a' + i % 26);
        strbuf_add(&b, &c, 1);
        expect[i] = c;
        expect[i + 1] = '\0';
    }
    assert_int_equal(b.len, sizeof expect - 1);
    assert_true(b.cap > b.len);
    assert_string_equal(b.s, expect);
    strbuf_free(&b);
}

/* Bytes are bytes: NULs inside (a table of NUL-separated strings). */
static void test_embedded_nul_and_reset(void **state)
{
    (void)state;
    StrBuf b = {0};
    strbuf_add(&b, "a", 2);
    strbuf_add(&b, "bc", 3);
    assert_int_equal(b.len, 5);
    assert_memory_equal(b.s, "a\0bc\0", 6);
    size_t cap = b.cap;
    strbuf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.s, "");
    assert_int_equal(b.cap, cap);
    strbuf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zeroed),
        cmocka_unit_test(test_small_then_heap),
        cmocka_unit_test(test_embedded_nul_and_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
