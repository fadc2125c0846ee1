/* cache.c - the compile cache: the key of a compile, the folder and its
 * secret, and the keyed MAC that lets nothing but what this user's tally
 * compiled be loaded: a damaged, foreign or planted object is refused
 * before anything of it is mapped (build.h; docs/performance.md, "The
 * compile cache"). */
#define _GNU_SOURCE /* memfd_create, F_ADD_SEALS */
#include "build.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>
#include <nettle/hmac.h>
#include <nettle/memops.h>

#include "lang/base/cleanup.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#ifndef TALLY_GCCJIT_VERSION
#define TALLY_GCCJIT_VERSION "none"
#endif

/* Keys are XXH3, 64 bits (libxxhash): fast, and a key need not resist an
 * attacker - the MAC below does that. */
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

/* The secret: JIT_SECRET_SIZE random bytes in the file "secret" of the
 * folder, made once (O_EXCL, 0600, published with link() so that a
 * concurrent run never reads half of it), readable by the user alone. */
static const char secret_name[] = "secret";

static bool secret_create(JitBuild *b)
{
    unsigned char key[JIT_SECRET_SIZE];
    if (getrandom(key, sizeof key, 0) != (ssize_t)sizeof key)
        return false;
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld.%u", secret_name, (long)getpid(), (unsigned)key[0]);
    int fd = openat(b->dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return false;
    bool ok = write(fd, key, sizeof key) == (ssize_t)sizeof key && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    ok = ok && (linkat(b->dirfd, tmp, b->dirfd, secret_name, 0) == 0 || errno == EEXIST);
    unlinkat(b->dirfd, tmp, 0);
    return ok;
}

static bool secret_read(JitBuild *b, char **why)
{
    int fd = openat(b->dirfd, secret_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0 && errno == ENOENT && secret_create(b))
        fd = openat(b->dirfd, secret_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        *why = jit_format("cannot read the cache's secret %s/%s: %s", b->dir, secret_name, strerror(errno));
        return false;
    }
    struct stat sb;
    bool ok = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_uid == geteuid() &&
              (sb.st_mode & 077) == 0 && sb.st_size == JIT_SECRET_SIZE &&
              read(fd, b->secret, JIT_SECRET_SIZE) == JIT_SECRET_SIZE;
    close(fd);
    if (!ok)
        *why = jit_format("the cache's secret %s/%s is not a %d-byte file of yours that only you can read: "
                          "not trusted (remove it to make a new one)",
                          b->dir, secret_name, JIT_SECRET_SIZE);
    return ok;
}

bool jit_cache_open_dir(JitBuild *b, char **why)
{
    b->dirfd = open(b->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    struct stat sb;
    if (b->dirfd < 0 || fstat(b->dirfd, &sb) != 0) {
        *why = jit_format("cannot open the cache folder %s: %s", b->dir, strerror(errno));
        return false;
    }
    if (sb.st_uid != geteuid()) {
        *why = jit_format("the cache folder %s is owned by another user (uid %ld): not trusted", b->dir,
                          (long)sb.st_uid);
        return false;
    }
    if (sb.st_mode & 022) {
        *why = jit_format("the cache folder %s is writable by %s (mode %04o): not trusted", b->dir,
                          sb.st_mode & 002 ? "others" : "its group", (unsigned)(sb.st_mode & 07777));
        return false;
    }
    if (!secret_read(b, why))
        return false;
    static bool swept;
    if (!swept) {
        swept = true;
        cleanup_stale(b->dirfd, "", ".tmp.");
    }
    return true;
}

/* The trailer: after the child has written the shared object it appends
 * JIT_TRAILER_SIZE bytes: a magic word, HMAC-SHA256 under the cache's secret
 * of the cache key and everything before, and that length.  The dynamic
 * loader ignores bytes after the ELF sections; the loader here copies the
 * file into sealed memory and refuses it unless the MAC matches, so only
 * objects this user's tally made for this very compile are ever mapped.
 * Nettle's HMAC, not XXH3: anyone can compute an unkeyed checksum, and a
 * checksum is what let a planted object run (docs/dependencies.md). */
static const char trailer_magic[8] = {'T', 'A', 'L', 'L', 'Y', 'M', 'A', '1'};
#define JIT_TRAILER_SIZE (8 + SHA256_DIGEST_SIZE + 8)

static void mac_start(const JitBuild *b, struct hmac_sha256_ctx *ctx)
{
    hmac_sha256_set_key(ctx, JIT_SECRET_SIZE, b->secret);
    hmac_sha256_update(ctx, strlen(b->key) + 1, (const uint8_t *)b->key);
}

bool jit_cache_append_trailer(const JitBuild *b, char *err, size_t errn)
{
    int fd = open(b->tmp, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errn, "cannot open %s: %s", b->tmp, strerror(errno));
        return false;
    }
    struct hmac_sha256_ctx ctx;
    mac_start(b, &ctx);
    uint64_t len = 0;
    unsigned char buf[65536];
    ssize_t r;
    while ((r = read(fd, buf, sizeof buf)) > 0) {
        hmac_sha256_update(&ctx, (size_t)r, buf);
        len += (uint64_t)r;
    }
    unsigned char t[JIT_TRAILER_SIZE];
    memcpy(t, trailer_magic, 8);
    hmac_sha256_digest(&ctx, SHA256_DIGEST_SIZE, t + 8);
    memcpy(t + 8 + SHA256_DIGEST_SIZE, &len, 8);
    /* private: the linker made it 0755 */
    bool ok = r == 0 && fchmod(fd, 0600) == 0 && write(fd, t, sizeof t) == (ssize_t)sizeof t;
    ok = close(fd) == 0 && ok;
    if (!ok)
        snprintf(err, errn, "cannot write %s: %s", b->tmp, strerror(errno));
    return ok;
}

/* Copy n bytes of fd into the memory file mfd (in the kernel when it can). */
static bool copy_into(int mfd, int fd, size_t n)
{
    while (n > 0) {
        ssize_t w = sendfile(mfd, fd, NULL, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        n -= (size_t)w;
    }
    if (n == 0)
        return true;
    unsigned char buf[65536];
    while (n > 0) {
        ssize_t r = read(fd, buf, n < sizeof buf ? n : sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0 || write(mfd, buf, (size_t)r) != r)
            return false;
        n -= (size_t)r;
    }
    return true;
}

int jit_cache_open_verified(JitBuild *b, JitEntryState *state, char **why)
{
    *state = JIT_ENTRY_ABSENT;
    int fd = openat(b->dirfd, b->entry, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (errno == ENOENT)
            return -1;
        *state = JIT_ENTRY_REFUSED;
        *why = jit_format("the cache entry %s is %s: not used", b->path,
                          errno == ELOOP ? "a symbolic link" : strerror(errno));
        return -1;
    }
    struct stat sb;
    memset(&sb, 0, sizeof sb);
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_uid != geteuid()) {
        *state = JIT_ENTRY_REFUSED;
        *why = !S_ISREG(sb.st_mode) ? jit_format("the cache entry %s is not a regular file: not used", b->path)
                                    : jit_format("the cache entry %s is owned by another user (uid %ld): not used",
                                                 b->path, (long)sb.st_uid);
        close(fd);
        return -1;
    }
    *state = JIT_ENTRY_BAD;
    if (sb.st_size <= JIT_TRAILER_SIZE || sb.st_size >= ((off_t)1 << 31)) {
        close(fd);
        return -1;
    }
    /* The bytes checked are the bytes loaded: a private memory file, sealed
     * before it is read for the MAC, so nothing can change it after. */
    size_t size = (size_t)sb.st_size;
    int mfd = memfd_create("tally-jit", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    bool ok = mfd >= 0 && copy_into(mfd, fd, size) &&
              fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) == 0;
    close(fd);
    if (mfd < 0) {
        *state = JIT_ENTRY_REFUSED;
        *why = jit_format("cannot make a memory file for %s: %s", b->path, strerror(errno));
        return -1;
    }
    const unsigned char *data = ok ? mmap(NULL, size, PROT_READ, MAP_PRIVATE, mfd, 0) : MAP_FAILED;
    ok = data != MAP_FAILED;
    if (ok) {
        uint64_t len;
        unsigned char mac[SHA256_DIGEST_SIZE];
        const unsigned char *t = data + size - JIT_TRAILER_SIZE;
        memcpy(&len, t + 8 + SHA256_DIGEST_SIZE, 8);
        ok = memcmp(t, trailer_magic, 8) == 0 && len == size - JIT_TRAILER_SIZE;
        if (ok) {
            struct hmac_sha256_ctx ctx;
            mac_start(b, &ctx);
            hmac_sha256_update(&ctx, len, data);
            hmac_sha256_digest(&ctx, sizeof mac, mac);
            ok = memeql_sec(mac, t + 8, sizeof mac);
        }
        munmap((void *)data, size);
    }
    if (!ok) {
        close(mfd);
        return -1;
    }
    *state = JIT_ENTRY_OK;
    return mfd;
}
