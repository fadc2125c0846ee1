/* test_strmap.c - the string map (lang/base/strmap.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "lang/base/strmap.h"

static void test_empty_map(void **state)
{
    (void)state;
    StrMap m = {0};
    assert_null(strmap_find(&m, "x"));
    strmap_clear(&m);
    strmap_free(&m);
    assert_null(strmap_find(&m, ""));
}

/* Keys are copied: the caller's buffer may change after a put. */
static void test_put_find_overwrite(void **state)
{
    (void)state;
    StrMap m = {0};
    char key[16] = "三支一扶";
    strmap_put(&m, key, 7);
    strcpy(key, "other");
    assert_non_null(strmap_find(&m, "三支一扶"));
    assert_int_equal(*strmap_find(&m, "三支一扶"), 7);
    assert_null(strmap_find(&m, "other"));
    strmap_put(&m, "三支一扶", 9);
    assert_int_equal(*strmap_find(&m, "三支一扶"), 9);
    assert_int_equal(m.len, 1);
    *strmap_find(&m, "三支一扶") = 11; /* the value is the caller's to change */
    assert_int_equal(*strmap_find(&m, "三支一扶"), 11);
    strmap_put(&m, "", 1);
    assert_int_equal(*strmap_find(&m, ""), 1);
    strmap_free(&m);
}

/* Many keys: every one found with its value across the table's growth,
 * the table never more than half full. */
static void test_many_keys(void **state)
{
    (void)state;
    StrMap m = {0};
    char key[32];
    for (size_t i = 0; i < 20000; i++) {
        snprintf(key, sizeof key, "k%zu", i);
        strmap_put(&m, key, i * 3);
        assert_true(2 * m.len <= m.cap);
    }
    assert_int_equal(m.len, 20000);
    for (size_t i = 0; i < 20000; i++) {
        snprintf(key, sizeof key, "k%zu", i);
        size_t *v = strmap_find(&m, key);
        assert_non_null(v);
        assert_int_equal(*v, i * 3);
    }
    assert_null(strmap_find(&m, "k20000"));
    strmap_free(&m);
}

/* clear forgets every key, keeping a small table and releasing a large one. */
static void test_clear(void **state)
{
    (void)state;
    StrMap m = {0};
    strmap_put(&m, "a", 1);
    strmap_put(&m, "b", 2);
    size_t cap = m.cap;
    strmap_clear(&m);
    assert_int_equal(m.len, 0);
    assert_int_equal(m.cap, cap);
    assert_null(strmap_find(&m, "a"));
    strmap_put(&m, "a", 3);
    assert_int_equal(*strmap_find(&m, "a"), 3);
    char key[32];
    for (size_t i = 0; i < 1000; i++) {
        snprintf(key, sizeof key, "%zu", i);
        strmap_put(&m, key, i);
    }
    strmap_clear(&m);
    assert_int_equal(m.len, 0);
    assert_int_equal(m.cap, 0);
    assert_null(strmap_find(&m, "5"));
    strmap_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_map),
        cmocka_unit_test(test_put_find_overwrite),
        cmocka_unit_test(test_many_keys),
        cmocka_unit_test(test_clear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
