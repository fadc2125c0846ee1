/* shortread.c - short reads for tests/batch/check-reads, loaded with
 * LD_PRELOAD: fread, read and pread return fewer bytes than asked at
 * random (one byte, up to 4 KB, anything up to the count, or the count),
 * as any read of a file or pipe may; read and pread fail with EINTR one
 * call in eight, as they may when a signal arrives.  SHORTREAD_SEED=N
 * picks the sequence.  SHORTREAD_FAIL=N: the Nth fread fails as glibc's
 * fails when its read() is interrupted - 0 bytes, errno EINTR, the stream's
 * error indicator set.  A test program, never linked into tally. */
#define _GNU_SOURCE /* RTLD_NEXT */
#include <dlfcn.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static _Thread_local uint64_t state;
static atomic_long freads;

static uint64_t next_random(void)
{
    if (!state) {
        const char *s = getenv("SHORTREAD_SEED");
        state = 0x9E3779B97F4A7C15ULL * (1 + (s ? strtoull(s, NULL, 10) : 0)) | 1;
    }
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    return state >> 11;
}

/* A count in [1, n] for a read of n bytes. */
static size_t shorten(size_t n)
{
    if (n <= 1)
        return n;
    switch (next_random() % 4) {
    case 0: return 1;
    case 1: return 1 + (size_t)(next_random() % (n < 4096 ? n : 4096));
    case 2: return 1 + (size_t)(next_random() % n);
    default: return n;
    }
}

size_t fread(void *p, size_t size, size_t n, FILE *f)
{
    static size_t (*real)(void *, size_t, size_t, FILE *);
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "fread");
    const char *fail = getenv("SHORTREAD_FAIL");
    if (fail && atol(fail) == atomic_fetch_add(&freads, 1) + 1) {
#ifdef _IO_ERR_SEEN
        f->_flags |= _IO_ERR_SEEN;
#endif
        errno = EINTR;
        return 0;
    }
    return real(p, size, size == 1 ? shorten(n) : n, f);
}

ssize_t read(int fd, void *p, size_t n)
{
    static ssize_t (*real)(int, void *, size_t);
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "read");
    if (next_random() % 8 == 0) {
        errno = EINTR;
        return -1;
    }
    return real(fd, p, shorten(n));
}

ssize_t pread(int fd, void *p, size_t n, off_t at)
{
    static ssize_t (*real)(int, void *, size_t, off_t);
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "pread");
    if (next_random() % 8 == 0) {
        errno = EINTR;
        return -1;
    }
    return real(fd, p, shorten(n), at);
}
