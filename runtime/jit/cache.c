/* cache.c - the compile cache: the key of a compile, the directory, and
 * the trailer that lets a damaged or foreign object be refused before it is
 * mapped (build.h). */
#include "build.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#ifndef TALLY_GCCJIT_VERSION
#define TALLY_GCCJIT_VERSION "none"
#endif

/* Keys and checksums are XXH3, 64 bits (libxxhash): a cache hit checks a
 * whole shared object, 2 MB at 2,500 indicators, and byte-wise FNV-1a took
 * 2.8 ms of it where XXH3 takes a few hundredths of that. */
static XXH3_state_t *hash_new(void)
{
    XXH3_state_t *h = XXH3_createState();
    if (!h || XXH3_64bits_reset(h) != XXH_OK)
        xalloc_failed();
    return h;
}

/* The digest; frees h. */
static uint64_t hash_end(XXH3_state_t *h)
{
    uint64_t d = XXH3_64bits_digest(h);
    XXH3_freeState(h);
    return d;
}

static void hash_add(XXH3_state_t *h, const void *data, size_t n)
{
    XXH3_64bits_update(h, data, n); /* fails only for a NULL state */
}

static void hash_str(XXH3_state_t *h, const char *s)
{
    hash_add(h, s, strlen(s) + 1);
}

/* What the code was built for: the CPU's identity and feature words.
 * Generated code uses no CPU-specific instructions yet, but a cache shared
 * between machines must not hand one machine's code to another. */
static void cpu_identity(XXH3_state_t *h)
{
#if defined(__x86_64__) || defined(__i386__)
    unsigned a, b, c, d;
    if (__get_cpuid(0, &a, &b, &c, &d)) {
        unsigned words[] = {b, d, c};
        hash_add(h, words, sizeof words);
    }
    if (__get_cpuid(1, &a, &b, &c, &d)) {
        unsigned words[] = {a, c, d};
        hash_add(h, words, sizeof words);
    }
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        unsigned words[] = {b, c, d};
        hash_add(h, words, sizeof words);
    }
#else
    hash_str(h, "no-cpuid");
#endif
}

/* The libgccjit that would compile: the version this build was configured
 * with and the identity of the library file (an upgrade changes its size,
 * time or inode).  Loading libgccjit to ask it costs ~3.5 ms, more than a
 * whole cache hit may take. */
static void gccjit_identity(XXH3_state_t *h)
{
    hash_str(h, TALLY_GCCJIT_VERSION);
#ifdef TALLY_GCCJIT_LIB
    struct stat sb;
    if (stat(TALLY_GCCJIT_LIB, &sb) == 0) {
        long long words[] = {(long long)sb.st_size, (long long)sb.st_mtime, (long long)sb.st_ino};
        hash_add(h, words, sizeof words);
    }
#endif
}

void jit_cache_key(JitBuild *b)
{
    const Program *p = b->prog;
    XXH3_state_t *st = hash_new();
    hash_str(st, "tally-jit");
    hash_str(st, TALLY_VERSION);
    int abi[] = {JIT_ABI_VERSION, (int)sizeof(TlValue), (int)sizeof(JitCtx), b->opt.opt_level,
                 b->opt.untyped, b->opt.native};
    hash_add(st, abi, sizeof abi);
    gccjit_identity(st);
    cpu_identity(st);
    hash_add(st, p->src.text, p->src.len);
    uint64_t h = hash_end(st);
    snprintf(b->hex, sizeof b->hex, "%016llx", (unsigned long long)h);
    snprintf(b->key, sizeof b->key,
             "tally-jit %s abi %d key %s len %zu ind %d rules %d lets %d methods %d -O%d%s%s", TALLY_VERSION,
             JIT_ABI_VERSION, b->hex, p->src.len, p->nindicators, p->nrules, p->nlets, p->nmethods,
             b->opt.opt_level, b->opt.untyped ? " untyped" : "", b->opt.native ? " native" : "");
}

bool jit_cache_mkdirs(const char *path)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return false;
    for (char *s = buf + 1; *s; s++)
        if (*s == '/') {
            *s = 0;
            if (mkdir(buf, 0700) != 0 && errno != EEXIST)
                return false;
            *s = '/';
        }
    return mkdir(buf, 0700) == 0 || errno == EEXIST;
}

bool jit_cache_dir(const JitOptions *o, char *out, size_t n)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    int w;
    if (o->cache_dir)
        w = snprintf(out, n, "%s", o->cache_dir);
    else if (xdg && *xdg == '/')
        w = snprintf(out, n, "%s/tally", xdg);
    else if (home && *home)
        w = snprintf(out, n, "%s/.cache/tally", home);
    else
        return false;
    return w > 0 && (size_t)w < n && jit_cache_mkdirs(out);
}

/* The trailer: after the child has written the shared object it appends 24 bytes: a
 * magic word, the XXH3 hash of everything before, and that length.  The
 * dynamic loader ignores bytes after the ELF sections; the loader here reads
 * the file first and refuses it unless the trailer matches, so a truncated
 * or damaged cache entry is never mapped (it could fault inside dlopen). */
static const char trailer_magic[8] = {'T', 'A', 'L', 'L', 'Y', 'X', 'X', '3'};

bool jit_cache_append_trailer(const char *path, char *err, size_t errn)
{
    int fd = open(path, O_RDWR);
    if (fd < 0) {
        snprintf(err, errn, "cannot open %s: %s", path, strerror(errno));
        return false;
    }
    XXH3_state_t *st = hash_new();
    uint64_t len = 0;
    unsigned char buf[65536];
    ssize_t r;
    while ((r = read(fd, buf, sizeof buf)) > 0) {
        hash_add(st, buf, (size_t)r);
        len += (uint64_t)r;
    }
    uint64_t h = hash_end(st);
    unsigned char t[24];
    memcpy(t, trailer_magic, 8);
    memcpy(t + 8, &h, 8);
    memcpy(t + 16, &len, 8);
    bool ok = r == 0 && write(fd, t, sizeof t) == (ssize_t)sizeof t;
    ok = close(fd) == 0 && ok;
    if (!ok)
        snprintf(err, errn, "cannot write %s: %s", path, strerror(errno));
    return ok;
}

int jit_cache_open_verified(const char *path, bool *bad)
{
    *bad = false;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat sb;
    bool ok = fstat(fd, &sb) == 0 && sb.st_size > 24 && sb.st_size < ((off_t)1 << 31);
    if (ok) {
        /* hashed where it lies in the page cache: no copy (a read() into a
         * fresh buffer was a third of a cache hit at 2,500 indicators) */
        size_t size = (size_t)sb.st_size;
        const unsigned char *data = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
        ok = data != MAP_FAILED;
        if (ok) {
            uint64_t h, len;
            memcpy(&h, data + size - 16, 8);
            memcpy(&len, data + size - 8, 8);
            ok = memcmp(data + size - 24, trailer_magic, 8) == 0 && len == size - 24 &&
                 XXH3_64bits(data, size - 24) == h;
            munmap((void *)data, size);
        }
    }
    if (!ok) {
        close(fd);
        *bad = true;
        return -1;
    }
    return fd;
}
