/* test_idset.c - the report ids seen, spilled to sorted runs in a temporary
 * file (runtime/data/idset.c): every id found with its value, in memory or
 * in any run; no id found that was not added, even when every hash and
 * every Bloom filter says maybe; a write or a read that fails is an error. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "runtime/data/idset.h"

static void id_of(char *buf, size_t n, size_t i)
{
    snprintf(buf, n, "汨罗市市场监督管理局-%zu", i);
}

/* Every id added is found with its value; ids never added are not. */
static void check_all(IdSet *s, size_t n, void (*name)(char *, size_t, size_t))
{
    char id[512];
    for (size_t i = 0; i < n; i++) {
        uint64_t v = 0;
        name(id, sizeof id, i);
        assert_int_equal(idset_find(s, id, &v), 1);
        assert_int_equal(v, (uint64_t)i * 3 + 1);
        name(id, sizeof id, i + n);
        assert_int_equal(idset_find(s, id, &v), 0);
    }
}

static void add_all(IdSet *s, size_t n, void (*name)(char *, size_t, size_t))
{
    char id[512];
    for (size_t i = 0; i < n; i++) {
        uint64_t v;
        name(id, sizeof id, i);
        assert_int_equal(idset_find(s, id, &v), 0);
        assert_true(idset_add(s, id, (uint64_t)i * 3 + 1));
    }
    assert_int_equal(idset_len(s), n);
}

static void test_empty(void **state)
{
    (void)state;
    IdSet s = {0};
    uint64_t v;
    assert_int_equal(idset_find(&s, "x", &v), 0);
    assert_int_equal(idset_len(&s), 0);
    idset_clear(&s);
    idset_free(&s);
    assert_int_equal(idset_find(&s, "", &v), 0);
    assert_true(idset_add(&s, "", 5));
    assert_int_equal(idset_find(&s, "", &v), 1);
    assert_int_equal(v, 5);
    idset_free(&s);
}

/* Never spilling: many ids, all in memory. */
static void test_memory_only(void **state)
{
    (void)state;
    IdSet s = {0};
    add_all(&s, 100000, id_of);
    check_all(&s, 100000, id_of);
    assert_int_equal(s.nruns, 0);
    idset_free(&s);
}

/* Spilled every 1000 ids, and by bytes: ids in memory and in 100 runs. */
static void test_spilled_runs(void **state)
{
    (void)state;
    IdSet s = {.max_ids = 1000};
    add_all(&s, 100500, id_of);
    assert_int_equal(s.nruns, 100);
    assert_int_equal(s.len, 500);
    check_all(&s, 100500, id_of);
    idset_free(&s);

    /* the spill's sort by its fallback alone (sort_by_hash: heapsort) */
    IdSet h = {.max_ids = 1000, .heap_sort = true};
    add_all(&h, 20500, id_of);
    assert_int_equal(h.nruns, 20);
    check_all(&h, 20500, id_of);
    idset_free(&h);

    IdSet b = {.max_bytes = 256 << 10};
    add_all(&b, 200000, id_of);
    assert_true(b.nruns >= 10);
    assert_true(idset_memory(&b) < (size_t)(256 << 10) + 200000 * 2);
    check_all(&b, 200000, id_of);
    idset_free(&b);
}

/* The temporary file made as where O_TMPFILE is missing: removed at once. */
static void test_named_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_idset.XXXXXX";
    assert_non_null(mkdtemp(dir));
    IdSet s = {.max_ids = 10, .dir = dir, .named = true};
    add_all(&s, 1000, id_of);
    check_all(&s, 1000, id_of);
    assert_int_equal(rmdir(dir), 0); /* empty: the file has no name */
    idset_free(&s);
}

/* Every id hashes alike: the table, the fences and every Bloom filter say
 * maybe for every id, and only the text decides. */
static uint64_t same_hash(const char *id, size_t len)
{
    (void)id, (void)len;
    return 0x123456789abcdef0ULL;
}

/* Two hashes only, ids of equal length: found by their text. */
static uint64_t two_hashes(const char *id, size_t len)
{
    return len ? (uint64_t)(id[len - 1] & 1) : 0;
}

static void num_of(char *buf, size_t n, size_t i)
{
    snprintf(buf, n, "%08zu", i);
}

static void test_colliding(void **state)
{
    (void)state;
    IdSet s = {.max_ids = 37, .hash = same_hash};
    add_all(&s, 2000, id_of);
    check_all(&s, 2000, id_of);
    idset_free(&s);

    IdSet t = {.max_ids = 100, .hash = two_hashes};
    add_all(&t, 3000, num_of);
    check_all(&t, 3000, num_of);
    /* an id that differs from one added in its last byte only */
    uint64_t v;
    assert_int_equal(idset_find(&t, "0000000", &v), 0);
    assert_int_equal(idset_find(&t, "000000000", &v), 0);
    assert_int_equal(idset_find(&t, "00000010", &v), 1);
    assert_int_equal(v, 31);
    idset_free(&t);
}

/* Long ids, and ids of every length, some spanning a run's groups. */
static void long_of(char *buf, size_t n, size_t i)
{
    size_t len = 1 + (i * 7919) % 400;
    if (len >= n)
        len = n - 1;
    for (size_t k = 0; k < len; k++)
        buf[k] = (char)('a' + (i + k * 13) % 26);
    snprintf(buf + (len > 12 ? len - 12 : 0), n - (len > 12 ? len - 12 : 0), "#%zu", i);
}

static void test_long_ids(void **state)
{
    (void)state;
    IdSet s = {.max_bytes = 64 << 10};
    add_all(&s, 20000, long_of);
    assert_true(s.nruns > 10);
    check_all(&s, 20000, long_of);
    idset_free(&s);
}

/* Cleared (a form read twice): nothing found, and usable again. */
static void test_clear(void **state)
{
    (void)state;
    IdSet s = {.max_ids = 50};
    add_all(&s, 500, id_of);
    idset_clear(&s);
    uint64_t v;
    assert_int_equal(idset_len(&s), 0);
    assert_int_equal(idset_find(&s, "汨罗市市场监督管理局-3", &v), 0);
    add_all(&s, 500, id_of);
    check_all(&s, 500, id_of);
    idset_free(&s);
}

/* The last id not found is remembered until something is added: asked
 * again, it is still not found; once added, it is. */
static void test_last_miss(void **state)
{
    (void)state;
    IdSet s = {.max_ids = 4};
    add_all(&s, 10, id_of);
    uint64_t v;
    assert_int_equal(idset_find(&s, "x", &v), 0);
    assert_int_equal(idset_find(&s, "x", &v), 0);
    assert_true(idset_add(&s, "x", 77));
    assert_int_equal(idset_find(&s, "x", &v), 1);
    assert_int_equal(v, 77);
    assert_int_equal(idset_find(&s, "yy", &v), 0);
    assert_true(idset_add(&s, "z", 78)); /* spills: "x" and "z" are in a run */
    assert_int_equal(s.len, 0);
    assert_int_equal(idset_find(&s, "yy", &v), 0);
    assert_int_equal(idset_find(&s, "z", &v), 1);
    assert_int_equal(v, 78);
    assert_true(idset_add(&s, "yy", 79));
    assert_int_equal(idset_find(&s, "yy", &v), 1);
    assert_int_equal(v, 79);
    assert_int_equal(idset_find(&s, "q", &v), 0);
    idset_clear(&s);
    assert_true(idset_add(&s, "q", 80));
    assert_int_equal(idset_find(&s, "q", &v), 1);
    idset_free(&s);
}

/* An id is hashed once on its way in: the look-up that missed gives
 * idset_add its hash (issue 16), in memory and with runs; an id added that
 * is not the last missed is hashed itself, and every id stays findable. */
static size_t hashes;

static uint64_t counted_hash(const char *id, size_t len)
{
    hashes++;
    return idset_hash(id, len);
}

static void test_hashed_once(void **state)
{
    (void)state;
    IdSet s = {.max_ids = 100, .hash = counted_hash};
    char id[64];
    uint64_t v;
    for (size_t i = 0; i < 250; i++) {
        id_of(id, sizeof id, i);
        hashes = 0;
        assert_int_equal(idset_find(&s, id, &v), 0);
        assert_int_equal(idset_find(&s, id, &v), 0); /* asked twice: no hash */
        assert_true(idset_add(&s, id, i * 3 + 1));
        /* one hash, and one more for each id in a spill (the 100th id) */
        assert_int_equal(hashes, i % 100 == 99 ? 1 + 100 : 1);
    }
    assert_int_equal(s.nruns, 2);
    /* a miss, then another id added: that id's own hash, not the miss's */
    assert_int_equal(idset_find(&s, "甲", &v), 0);
    hashes = 0;
    assert_true(idset_add(&s, "乙", 1000));
    assert_int_equal(hashes, 1);
    assert_int_equal(idset_find(&s, "乙", &v), 1);
    assert_int_equal(v, 1000);
    assert_int_equal(idset_find(&s, "甲", &v), 0);
    /* the miss is forgotten once cleared: an add hashes its id again */
    idset_clear(&s);
    hashes = 0;
    assert_true(idset_add(&s, "甲", 1001));
    assert_int_equal(hashes, 1);
    assert_int_equal(idset_find(&s, "甲", &v), 1);
    assert_int_equal(v, 1001);
    idset_free(&s);

    IdSet t = {.hash = counted_hash};
    add_all(&t, 5000, id_of);
    check_all(&t, 5000, id_of);
    idset_free(&t);
}

/* A spill that cannot be written is an error, not ids silently lost: the
 * file size limit (SIGXFSZ ignored, as the program does), then a folder
 * that does not exist. */
static void test_write_failure(void **state)
{
    (void)state;
    struct rlimit old;
    getrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit small = {4096, old.rlim_max};
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    IdSet s = {.max_ids = 100};
    char id[64];
    bool ok = true;
    size_t i;
    for (i = 0; i < 1000 && ok; i++) {
        id_of(id, sizeof id, i);
        ok = idset_add(&s, id, i);
    }
    int err = errno;
    setrlimit(RLIMIT_FSIZE, &old);
    assert_false(ok);
    assert_int_equal(err, EFBIG);
    assert_true(i <= 200); /* the first spill or the second */
    /* the ids before the one refused are still there: the spill sorts in
     * the table's memory, and a failed one puts the table back */
    for (size_t j = 0; j + 1 < i; j++) {
        uint64_t v = 0;
        id_of(id, sizeof id, j);
        assert_int_equal(idset_find(&s, id, &v), 1);
        assert_int_equal(v, j);
    }
    idset_free(&s);

    IdSet d = {.max_ids = 3, .dir = "/nonexistent/folder"};
    assert_true(idset_add(&d, "a", 1));
    assert_true(idset_add(&d, "b", 2));
    assert_false(idset_add(&d, "c", 3));
    assert_int_equal(errno, ENOENT);
    idset_free(&d);
}

/* A spilled run that cannot be read back is an error, never "not seen":
 * the file cut short under the set, every id of a run asked for. */
static void test_read_failure(void **state)
{
    (void)state;
    IdSet s = {.max_ids = 10};
    add_all(&s, 100, id_of);
    assert_true(s.nruns >= 9);
    assert_int_equal(ftruncate(s.fd, 0), 0);
    char id[64];
    for (size_t i = 0; i < 90; i++) {
        uint64_t v;
        id_of(id, sizeof id, i);
        errno = 0;
        assert_int_equal(idset_find(&s, id, &v), -1);
        assert_int_equal(errno, EIO);
    }
    idset_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_memory_only),
        cmocka_unit_test(test_spilled_runs),
        cmocka_unit_test(test_named_file),
        cmocka_unit_test(test_colliding),
        cmocka_unit_test(test_long_ids),
        cmocka_unit_test(test_clear),
        cmocka_unit_test(test_last_miss),
        cmocka_unit_test(test_hashed_once),
        cmocka_unit_test(test_write_failure),
        cmocka_unit_test(test_read_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
