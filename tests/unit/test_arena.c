/* test_arena.c - checked allocation, the block arena and PtrVec (lang/base/arena.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lang/base/arena.h"

/* Let huge requests fail with NULL under AddressSanitizer, as they do in libc. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "allocator_may_return_null=1"; }

static bool all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

static void test_alloc_aligned_zeroed_disjoint(void **state)
{
    (void)state;
    Arena a;
    arena_init(&a);
    enum { N = 3000 };
    static unsigned char *ptrs[N];
    static size_t sizes[N];
    for (size_t i = 0; i < N; i++) {
        sizes[i] = (i * 37) % 200 + (i % 500 == 0 ? 70000 : 0);
        ptrs[i] = arena_alloc(&a, sizes[i]);
        assert_non_null(ptrs[i]);
        assert_int_equal((uintptr_t)ptrs[i] % 16, 0);
        assert_true(all_zero(ptrs[i], sizes[i]));
        memset(ptrs[i], (int)(i % 251) + 1, sizes[i]);
    }
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < sizes[i]; j++)
            if (ptrs[i][j] != (unsigned char)(i % 251 + 1))
                fail_msg("allocation %zu was overwritten at byte %zu", i, j);
    arena_free(&a);
}

static void test_used_and_zero_size(void **state)
{
    (void)state;
    Arena a;
    arena_init(&a);
    assert_null(a.head);
    assert_int_equal(a.used, 0);
    void *p = arena_alloc(&a, 0), *q = arena_alloc(&a, 0);
    assert_non_null(p);
    assert_ptr_not_equal(p, q);
    size_t before = a.used;
    arena_alloc(&a, 100);
    assert_true(a.used >= before + 100);
    arena_free(&a);
    assert_null(a.head);
    assert_int_equal(a.used, 0);
    /* A freed arena is ready for use again. */
    char *s = arena_strdup(&a, "again");
    assert_string_equal(s, "again");
    arena_free(&a);
}

static void test_large_request_keeps_current_block(void **state)
{
    (void)state;
    Arena a;
    arena_init(&a);
    char *small1 = arena_alloc(&a, 16);
    unsigned char *big = arena_alloc(&a, 1u << 20);
    char *small2 = arena_alloc(&a, 16);
    assert_true(all_zero(big, 1u << 20));
    memset(big, 0xab, 1u << 20);
    /* Next to small1 (under AddressSanitizer, after a poisoned gap). */
    assert_true(small2 >= small1 + 16 && small2 <= small1 + 32);
    assert_true(a.used >= (1u << 20) + 32);
    /* A request of exactly one block size, and many that fill several blocks. */
    assert_true(all_zero(arena_alloc(&a, 64 * 1024), 64 * 1024));
    for (int i = 0; i < 100; i++)
        assert_true(all_zero(arena_alloc(&a, 4000), 4000));
    arena_free(&a);
}

static void test_strings(void **state)
{
    (void)state;
    Arena a;
    arena_init(&a);
    assert_string_equal(arena_strdup(&a, "abc"), "abc");
    assert_string_equal(arena_strdup(&a, ""), "");
    assert_string_equal(arena_strndup(&a, "hello", 3), "hel");
    assert_string_equal(arena_strndup(&a, "hi", 10), "hi");
    assert_string_equal(arena_strndup(&a, "a\0bc", 4), "a");
    assert_string_equal(arena_strdup(&a, "三支一扶合格人员数"), "三支一扶合格人员数");
    const char *src = "预算执行率,10824.18万元";
    assert_string_equal(arena_strndup(&a, src, strlen("预算执行率")), "预算执行率");
    arena_free(&a);
}

static void test_printf(void **state)
{
    (void)state;
    Arena a;
    arena_init(&a);
    assert_string_equal(arena_printf(&a, "%s:%d:%d: error: %s", "r.tally", 3, 14, "未知名称"),
                        "r.tally:3:14: error: 未知名称");
    assert_string_equal(arena_printf(&a, "%s", ""), "");
    size_t n = 200000;
    char *big = xmalloc(n + 1);
    memset(big, 'x', n);
    big[n] = '\0';
    char *p = arena_printf(&a, "<%s>", big);
    assert_int_equal(strlen(p), n + 2);
    assert_int_equal(p[0], '<');
    assert_int_equal(p[n + 1], '>');
    free(big);
    arena_free(&a);
}

static void test_checked_heap(void **state)
{
    (void)state;
    void *z = xmalloc(0);
    assert_non_null(z);
    free(z);
    unsigned char *c = xcalloc(100, 3);
    assert_true(all_zero(c, 300));
    free(c);
    char *r = xrealloc(NULL, 4);
    memcpy(r, "abc", 4);
    r = xrealloc(r, 1 << 16);
    assert_string_equal(r, "abc");
    free(r);
    char *s = xstrdup("万元");
    assert_string_equal(s, "万元");
    free(s);
    s = xstrndup("hello", 4);
    assert_string_equal(s, "hell");
    free(s);
    s = xstrndup("ab", 99);
    assert_string_equal(s, "ab");
    free(s);
}

static void test_ptrvec(void **state)
{
    (void)state;
    PtrVec v = {0};
    static int items[1000];
    for (int i = 0; i < 1000; i++)
        ptrvec_push(&v, &items[i]);
    assert_int_equal(v.len, 1000);
    assert_true(v.cap >= 1000);
    for (int i = 0; i < 1000; i++)
        assert_ptr_equal(v.items[i], &items[i]);
    ptrvec_push(&v, NULL);
    assert_null(v.items[1000]);
    ptrvec_free(&v);
    assert_null(v.items);
    assert_int_equal(v.len, 0);
    assert_int_equal(v.cap, 0);
    ptrvec_free(&v);
}

enum { OOM_MALLOC, OOM_CALLOC, OOM_CALLOC_OVERFLOW, OOM_REALLOC, OOM_ARENA, OOM_ARENA_OVERFLOW };

/* Impossible to allocate, yet not "negative" (valgrind reports those as errors). */
#define HUGE_SIZE ((SIZE_MAX >> 1) - 4096)

/* Run one impossible allocation in a child; it must print the message and exit 3. */
static void expect_out_of_memory(int which)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], 2);
        Arena a;
        arena_init(&a);
        switch (which) {
        case OOM_MALLOC: xmalloc(HUGE_SIZE); break;
        case OOM_CALLOC: xcalloc(HUGE_SIZE / 4, 4); break;
        case OOM_CALLOC_OVERFLOW: xcalloc(SIZE_MAX / 2, 4); break;
        case OOM_REALLOC: xrealloc(NULL, HUGE_SIZE); break;
        case OOM_ARENA: arena_alloc(&a, HUGE_SIZE); break;
        case OOM_ARENA_OVERFLOW: arena_alloc(&a, SIZE_MAX - 8); break;
        }
        _exit(0);
    }
    close(fds[1]);
    char buf[4096];
    size_t len = 0;
    ssize_t got;
    while ((got = read(fds[0], buf + len, sizeof buf - 1 - len)) > 0)
        len += (size_t)got;
    buf[len] = '\0';
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 3);
    assert_non_null(strstr(buf, "tally: out of memory\n"));
}

/* arena_reset keeps one block, zeroed: memory handed out again is zero, and
 * a reset after a large request frees the large block. */
static void test_reset_reuses_zeroed_block(void **state)
{
    (void)state;
    Arena a;
    arena_init(&a);
    for (int round = 0; round < 3; round++) {
        unsigned char *p = arena_alloc(&a, 1000);
        for (int i = 0; i < 1000; i++) {
            assert_int_equal(p[i], 0);
            p[i] = 0xAB;
        }
        char *big = arena_alloc(&a, 200 * 1024); /* its own block */
        big[0] = 'x';
        assert_true(a.used >= 1000 + 200 * 1024);
        arena_reset(&a);
        assert_int_equal(a.used, 0);
        assert_non_null(a.head);
    }
    unsigned char *q = arena_alloc(&a, 64);
    for (int i = 0; i < 64; i++)
        assert_int_equal(q[i], 0);
    arena_free(&a);
    arena_reset(&a); /* an empty arena stays empty */
    assert_null(a.head);
}

/* Blocks are not zeroed (issue 16): arena_alloc zeroes what it hands out,
 * arena_alloc_raw does not, and arena_strndup and arena_printf terminate
 * their strings themselves - in a block reused full of other bytes. */
static void test_raw_and_zeroed_in_a_reused_block(void **state)
{
    (void)state;
    Arena a;
    arena_init(&a);
    unsigned char *junk = arena_alloc_raw(&a, 60000);
    memset(junk, 0xAB, 60000);
    arena_reset(&a);
    char *s = arena_strndup(&a, "隆回县xyz", 9);
    assert_int_equal(strlen(s), 9);
    assert_string_equal(s, "隆回县");
    char *t = arena_strndup(&a, "abc", 2);
    assert_string_equal(t, "ab");
    char *u = arena_printf(&a, "%d-%s", 12, "x");
    assert_string_equal(u, "12-x");
    for (int round = 0; round < 50; round++) {
        unsigned char *p = arena_alloc(&a, (size_t)round * 37 + 1);
        for (int i = 0; i < round * 37 + 1; i++)
            assert_int_equal(p[i], 0);
        unsigned char *r = arena_alloc_raw(&a, 100);
        memset(r, 0xCD, 100);
    }
    arena_free(&a);
}

static void test_out_of_memory_exits_3(void **state)
{
    (void)state;
    for (int which = OOM_MALLOC; which <= OOM_ARENA_OVERFLOW; which++)
        expect_out_of_memory(which);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_aligned_zeroed_disjoint),
        cmocka_unit_test(test_used_and_zero_size),
        cmocka_unit_test(test_large_request_keeps_current_block),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_printf),
        cmocka_unit_test(test_checked_heap),
        cmocka_unit_test(test_ptrvec),
        cmocka_unit_test(test_reset_reuses_zeroed_block),
        cmocka_unit_test(test_raw_and_zeroed_in_a_reused_block),
        cmocka_unit_test(test_out_of_memory_exits_3),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
