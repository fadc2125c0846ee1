/* failmalloc.c - allocation-failure injection for tests/errors/check-memory,
 * in the manner of SQLite's malloc tests: loaded with LD_PRELOAD, it
 * counts every malloc, calloc, realloc and aligned allocation of the
 * process - tally's own, libc's (stdio's memory streams, iconv), jansson's
 * - and makes the Nth fail (FAILMALLOC_N=N), or the Nth and every later one
 * (FAILMALLOC_PERSIST=1).  FAILMALLOC_COUNT=FILE writes the number of
 * allocations made to FILE at exit, so a test knows the range of N.
 * Memory comes from glibc's own allocator (__libc_malloc and friends), so
 * free() needs no wrapper.  A test program, never linked into tally. */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
void *memalign(size_t, size_t); /* <malloc.h> declares it; this file replaces it */

static atomic_long count;
static long fail_at = -1; /* -1: not read yet; 0: never */
static int persist;

static void setup(void)
{
    const char *n = getenv("FAILMALLOC_N");
    const char *p = getenv("FAILMALLOC_PERSIST");
    persist = p && *p == '1';
    fail_at = n ? atol(n) : 0;
}

/* Should this allocation fail? */
static int failing(void)
{
    if (fail_at < 0)
        setup();
    long k = atomic_fetch_add(&count, 1) + 1;
    if (fail_at > 0 && (k == fail_at || (persist && k > fail_at))) {
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

void *malloc(size_t n) { return failing() ? NULL : __libc_malloc(n); }
void *calloc(size_t c, size_t n) { return failing() ? NULL : __libc_calloc(c, n); }
void *realloc(void *p, size_t n) { return failing() ? NULL : __libc_realloc(p, n); }
void *memalign(size_t a, size_t n) { return failing() ? NULL : __libc_memalign(a, n); }
void *aligned_alloc(size_t a, size_t n) { return failing() ? NULL : __libc_memalign(a, n); }

int posix_memalign(void **out, size_t a, size_t n)
{
    if (failing())
        return ENOMEM;
    void *p = __libc_memalign(a, n);
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

__attribute__((destructor)) static void report(void)
{
    const char *f = getenv("FAILMALLOC_COUNT");
    if (!f)
        return;
    char buf[32];
    int len = snprintf(buf, sizeof buf, "%ld\n", (long)atomic_load(&count));
    FILE *out = fopen(f, "w");
    if (out) {
        fwrite(buf, 1, (size_t)len, out);
        fclose(out);
    }
}
