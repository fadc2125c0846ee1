/* jit.c - the compile cache, the compiling child, and loading its result. */
#include "jit.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "gen.h"
#include "rt.h"

#ifndef TALLY_GCCJIT_VERSION
#define TALLY_GCCJIT_VERSION "none"
#endif

struct JitBuild {
    const Program *prog;
    JitOptions opt;
    char dir[PATH_MAX];      /* the cache directory, or the temporary one */
    char path[PATH_MAX];     /* the shared object */
    char tmp[PATH_MAX];      /* what the child writes */
    char key[256];           /* stored in the shared object */
    char hex[17];
    char scratch[PATH_MAX];  /* the child's TMPDIR: libgccjit's intermediate files ("" if none) */
    pid_t child;             /* 0: none running */
    long peak_kb;            /* the child's peak resident memory */
    int err_fd;              /* the child's messages */
    double started;
    struct timespec started_wall; /* the same moment by the file system's clock */
    JitProgram *done;        /* a cache hit, loaded by jit_start */
    char *why;               /* a failure found by jit_start */
};

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *format(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = xmalloc(n > 0 ? (size_t)n + 1 : 1);
    *s = 0;
    va_start(ap, fmt);
    if (n > 0)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* The cache key ----------------------------------------------------------- */

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

static void make_key(JitBuild *b)
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

/* Directories ----------------------------------------------------------------- */

static bool mkdirs(const char *path)
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

static bool cache_dir(const JitOptions *o, char *out, size_t n)
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
    return w > 0 && (size_t)w < n && mkdirs(out);
}

/* Is `name` an executable on PATH? */
static bool on_path(const char *name)
{
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/bin:/bin";
    char buf[PATH_MAX];
    for (const char *p = path;; p++) {
        const char *end = strchr(p, ':');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len && len + strlen(name) + 2 < sizeof buf) {
            memcpy(buf, p, len);
            snprintf(buf + len, sizeof buf - len, "/%s", name);
            if (access(buf, X_OK) == 0)
                return true;
        }
        if (!end)
            return false;
        p = end;
    }
}

/* The trailer ------------------------------------------------------------------ */

/* After the child has written the shared object it appends 24 bytes: a
 * magic word, the XXH3 hash of everything before, and that length.  The
 * dynamic loader ignores bytes after the ELF sections; the loader here reads
 * the file first and refuses it unless the trailer matches, so a truncated
 * or damaged cache entry is never mapped (it could fault inside dlopen). */
static const char trailer_magic[8] = {'T', 'A', 'L', 'L', 'Y', 'X', 'X', '3'};

static bool append_trailer(const char *path, char *err, size_t errn)
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

/* Open a shared object whose trailer checks out; -1 if it is absent or bad
 * (*bad then says whether it existed). */
static int open_verified(const char *path, bool *bad)
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

/* Loading --------------------------------------------------------------------- */

static void program_release(JitProgram *jp)
{
    if (!jp)
        return;
    if (jp->handle)
        dlclose(jp->handle);
    free(jp->ind);
    free(jp->batch);
    free(jp->batch_rows);
    free(jp->checks);
    free(jp->rows);
    free(jp->none);
    jit_consts_free(&jp->consts);
    jit_names_free(&jp->units);
    jit_names_free(&jp->texts);
    free(jp->batch_inputs);
    free(jp->info);
    free(jp);
}

typedef void (*JitInitFn)(const JitRuntime *rt, JitIndicatorFn *ind, JitRowFn *rows, JitCheckFn *checks,
                          JitBatchFn *batch, JitBatchLetsFn *batch_lets, JitBatchFn *batch_rows);

/* dlopen a verified shared object and check its key.  NULL with *why. */
static JitProgram *load(JitBuild *b, bool *bad, char **why)
{
    double t0 = now_seconds();
    *bad = false;
    int fd = open_verified(b->path, bad);
    if (fd < 0) {
        *why = format(*bad ? "%s: damaged (checksum)" : "%s: %s", b->path, strerror(ENOENT));
        return NULL;
    }
    /* Load the file just verified, not whatever the path names by now.  The
     * dynamic linker knows a loaded object by the name it was opened with,
     * so a descriptor number that named another object still loaded (tier 1
     * while tier 2 loads) would hand back that object: use a fresh number. */
    char fdpath[64];
    int lfd = fd;
    for (;;) {
        snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", lfd);
        void *old = dlopen(fdpath, RTLD_LAZY | RTLD_NOLOAD);
        if (!old)
            break;
        dlclose(old);
        int next = fcntl(fd, F_DUPFD_CLOEXEC, lfd + 1);
        if (lfd != fd)
            close(lfd);
        lfd = next;
        if (lfd < 0)
            break;
    }
    void *h = lfd >= 0 ? dlopen(fdpath, RTLD_NOW | RTLD_LOCAL) : NULL;
    if (!h)
        h = dlopen(b->path, RTLD_NOW | RTLD_LOCAL);
    if (lfd >= 0 && lfd != fd)
        close(lfd);
    close(fd);
    if (!h) {
        *bad = true;
        *why = format("%s: %s", b->path, dlerror());
        return NULL;
    }
    const char *key = dlsym(h, "tally_jit_key");
    JitInitFn init;
    *(void **)&init = dlsym(h, "tally_jit_init");
    if (!key || !init || strcmp(key, b->key) != 0) {
        dlclose(h);
        *bad = true;
        *why = format("%s: not the code for this rule file (key mismatch)", b->path);
        return NULL;
    }
    const Program *p = b->prog;
    JitProgram *jp = xcalloc(1, sizeof *jp);
    jp->handle = h;
    jp->nind = p->nindicators;
    jp->nrows = p->nrules;
    jp->ind = xcalloc((size_t)p->nindicators + 1, sizeof *jp->ind);
    jp->batch = xcalloc((size_t)p->nindicators + 1, sizeof *jp->batch);
    jp->batch_rows = xcalloc((size_t)p->nrules + 1, sizeof *jp->batch_rows);
    jp->checks = xcalloc((size_t)p->nchecks * CHECK_PARTS + 1, sizeof *jp->checks);
    jp->rows = xcalloc((size_t)p->nrules + 1, sizeof *jp->rows);
    jp->nnone = jit_max_params(p) > CTX_COUNT ? jit_max_params(p) : CTX_COUNT;
    jp->none = xcalloc((size_t)jp->nnone, sizeof *jp->none);
    jit_consts_build(p, false, &jp->consts);
    jit_units_build(p, &jp->consts, &jp->units);
    jit_texts_build(&jp->consts, &jp->texts);
    jp->info = xcalloc(1, sizeof *jp->info);
    init(&jit_runtime, jp->ind, jp->rows, jp->checks, jp->batch, &jp->batch_lets, jp->batch_rows);
    for (int i = 0; i < p->nindicators; i++)
        jp->nbatch += jp->batch[i] != NULL;
    for (int r = 0; r < p->nrules; r++)
        jp->nbatch_rows += jp->batch_rows[r] != NULL;
    jit_batch_inputs_build(p, jp);
    memcpy(jp->info->key, b->hex, sizeof jp->info->key);
    snprintf(jp->info->path, sizeof jp->info->path, "%s", b->path);
    jp->info->load_seconds = now_seconds() - t0;
    return jp;
}

/* The compiling child ----------------------------------------------------------- */

/* libgccjit keeps its intermediate files (fake.s, fake.so, the driver's
 * temporaries) in a directory of its own under $TMPDIR, which it removes
 * when a compile ends - but not when the compiling child is killed (a run
 * that ends before its compile does kills it: jit_abandon).  So the child's
 * TMPDIR is a fresh directory that the parent removes, whatever is in it,
 * once the child is gone. */
static void make_scratch(JitBuild *b)
{
    const char *tmpdir = getenv("TMPDIR");
    b->scratch[0] = 0;
    if (snprintf(b->scratch, sizeof b->scratch, "%s/tally-jit-XXXXXX",
                 tmpdir && *tmpdir ? tmpdir : "/tmp") >= (int)sizeof b->scratch ||
        !mkdtemp(b->scratch))
        b->scratch[0] = 0; /* then libgccjit's own choice, as it would be without tally */
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    if (flag == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

/* Remove the scratch directory and everything in it.  After a kill, a
 * system call that the assembler or linker had under way may still create
 * a file: try again a few times. */
static void remove_scratch(JitBuild *b)
{
    if (!*b->scratch)
        return;
    for (int i = 0; i < 5; i++) {
        nftw(b->scratch, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        if (access(b->scratch, F_OK) != 0)
            break;
        struct timespec pause = {0, 10 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    b->scratch[0] = 0;
}

static void child_fail(int fd, const char *msg)
{
    size_t n = strlen(msg);
    while (n > 0) {
        ssize_t w = write(fd, msg, n);
        if (w <= 0)
            break;
        msg += w;
        n -= (size_t)w;
    }
    _exit(1);
}

/* In the child, first: lead a process group of its own, so that killing
 * the group (build_free) also stops the assembler and linker libgccjit
 * runs - left alone they would go on and complain on our stderr - and die
 * with the parent, which alone can remove what the compile leaves. */
static void child_detach(pid_t parent)
{
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(1); /* the parent died before prctl */
}

/* In the child: generate, compile, append the trailer.  Never returns. */
static void child_main(JitBuild *b, int fd)
{
    char err[1024];
    char dump[PATH_MAX + 32];
    JitGenRequest rq = {.prog = b->prog, .key = b->key, .opt_level = b->opt.opt_level,
                        .typed = !b->opt.untyped, .native = b->opt.native, .so_path = b->tmp};
    if (b->opt.dump_dir) {
        snprintf(dump, sizeof dump, "%s/%s.jit.c", b->opt.dump_dir, b->hex);
        rq.dump_path = dump;
    }
    if (*b->scratch)
        setenv("TMPDIR", b->scratch, 1);
    if (!jit_generate(&rq, err, sizeof err))
        child_fail(fd, err);
    if (!append_trailer(b->tmp, err, sizeof err))
        child_fail(fd, err);
    char version[64];
    snprintf(version, sizeof version, "ok %s", jit_gen_gcc_version());
    if (write(fd, version, strlen(version)) < 0)
        _exit(1);
    _exit(0);
}

static bool spawn_compile(JitBuild *b, char **why)
{
    if (!jit_gen_available()) {
        *why = format("this build of tally has no JIT (libgccjit.h was not found when it was built)");
        return false;
    }
    if (!on_path("as") || !on_path("ld")) {
        *why = format("libgccjit needs the assembler 'as' and the linker 'ld' (binutils) on PATH, "
                      "and %s missing",
                      !on_path("as") && !on_path("ld") ? "both are" : !on_path("as") ? "'as' is" : "'ld' is");
        return false;
    }
    static unsigned counter;
    if (snprintf(b->tmp, sizeof b->tmp, "%s/%s.so.tmp.%ld.%u", b->dir, b->hex, (long)getpid(),
                 counter++) >= (int)sizeof b->tmp) {
        *why = format("the cache directory's name is too long");
        return false;
    }
    int fds[2];
    if (pipe(fds) != 0) {
        *why = format("cannot create a pipe: %s", strerror(errno));
        return false;
    }
    make_scratch(b);
    fflush(NULL);
    b->started = now_seconds();
    clock_gettime(CLOCK_REALTIME, &b->started_wall);
    pid_t parent = getpid(), pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        remove_scratch(b);
        *why = format("cannot fork the compiler: %s", strerror(errno));
        return false;
    }
    if (pid == 0) {
        close(fds[0]);
        child_detach(parent);
        child_main(b, fds[1]);
    }
    setpgid(pid, pid); /* as the child does: whichever runs first */
    close(fds[1]);
    b->child = pid;
    b->err_fd = fds[0];
    return true;
}

/* Wait for the child; true when it wrote the shared object. */
/* Seconds a compile may take before it is killed: GCC can loop or swap on
 * a pathological program, and --engine jit waits for it.  2,500 indicators
 * take about 30 s here; TALLY_JIT_TIMEOUT changes the limit. */
#define JIT_TIMEOUT_SECONDS 600

static double timeout_seconds(void)
{
    const char *t = getenv("TALLY_JIT_TIMEOUT");
    double v = t ? atof(t) : 0;
    return v > 0 ? v : JIT_TIMEOUT_SECONDS;
}

/* Kill the compile (its whole process group: GCC's assembler and linker). */
static void kill_compile(JitBuild *b)
{
    kill(-b->child, SIGKILL);
    kill(b->child, SIGKILL);
}

static bool wait_compile(JitBuild *b, char *version, size_t vn, char **why)
{
    char msg[1100];
    size_t len = 0;
    ssize_t r;
    double limit = timeout_seconds();
    bool timed_out = false;
    for (;;) {
        if (!timed_out) {
            double left = b->started + limit - now_seconds();
            struct pollfd pfd = {b->err_fd, POLLIN, 0};
            int p = left > 0 ? poll(&pfd, 1, left > 1e6 ? 1000000000 : (int)(left * 1000) + 1) : 0;
            if (p < 0 && errno == EINTR)
                continue;
            if (p == 0) {
                kill_compile(b); /* then read on to the end of the pipe */
                timed_out = true;
            }
        }
        if (len + 1 >= sizeof msg)
            break;
        r = read(b->err_fd, msg + len, sizeof msg - 1 - len);
        if (r == 0)
            break;
        if (r < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        len += (size_t)r;
    }
    msg[len] = 0;
    close(b->err_fd);
    int status = 0;
    pid_t w;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    while ((w = wait4(b->child, &status, 0, &ru)) < 0 && errno == EINTR)
        ;
    b->peak_kb = ru.ru_maxrss;
    b->child = 0;
    remove_scratch(b);
    /* With SIGCHLD ignored the child is reaped for us (ECHILD): then its
     * last word, "ok", written just before it exits cleanly, decides. */
    bool exited_ok = w < 0 ? errno == ECHILD : WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (exited_ok && strncmp(msg, "ok ", 3) == 0) {
        size_t n = strlen(msg + 3) < vn - 1 ? strlen(msg + 3) : vn - 1;
        memcpy(version, msg + 3, n);
        version[n] = 0;
        return true;
    }
    unlink(b->tmp);
    if (timed_out)
        *why = format("the compile took longer than %g s (TALLY_JIT_TIMEOUT) and was stopped", limit);
    else if (w > 0 && WIFSIGNALED(status))
        *why = format("the compiler process died (signal %d)%s%s", WTERMSIG(status), *msg ? ": " : "", msg);
    else
        *why = format("%s", *msg ? msg : "the compiler process failed");
    return false;
}

/* The interface ------------------------------------------------------------------ */

JitBuild *jit_start(const Program *prog, const JitOptions *opt)
{
    JitBuild *b = xcalloc(1, sizeof *b);
    b->prog = prog;
    b->opt = *opt;
    if (b->opt.opt_level < 0 || b->opt.opt_level > 3)
        b->opt.opt_level = JIT_DEFAULT_OPT;
    b->err_fd = -1;
    make_key(b);
    if (b->opt.no_cache) {
        const char *tmpdir = getenv("TMPDIR");
        snprintf(b->dir, sizeof b->dir, "%s/tally-jit-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
        if (!mkdtemp(b->dir)) {
            b->why = format("cannot create a temporary directory: %s", strerror(errno));
            return b;
        }
    } else if (!cache_dir(&b->opt, b->dir, sizeof b->dir)) {
        b->why = format("cannot create the cache directory %s: %s",
                        b->opt.cache_dir ? b->opt.cache_dir : "($XDG_CACHE_HOME or ~/.cache)/tally",
                        strerror(errno));
        return b;
    }
    if (b->opt.dump_dir && !mkdirs(b->opt.dump_dir)) {
        b->why = format("cannot create %s: %s", b->opt.dump_dir, strerror(errno));
        return b;
    }
    if (snprintf(b->path, sizeof b->path, "%s/%s.so", b->dir, b->hex) >= (int)sizeof b->path) {
        b->why = format("the cache directory's name is too long");
        return b;
    }
    if (!b->opt.no_cache && !b->opt.dump_dir) {
        bool bad;
        char *why = NULL;
        b->done = load(b, &bad, &why);
        free(why);
        if (b->done) {
            b->done->info->cache_hit = true;
            return b;
        }
        if (bad)
            unlink(b->path); /* damaged or foreign: rebuild it */
    }
    if (b->opt.cache_only) {
        b->why = format("not in the cache");
        return b;
    }
    spawn_compile(b, &b->why);
    return b;
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
    char buf[65536];
    size_t n;
    while (out && (n = fread(buf, 1, sizeof buf, in)) > 0)
        fwrite(buf, 1, n, out);
    if (out)
        fclose(out);
    if (in)
        fclose(in);
}

static void build_free(JitBuild *b)
{
    if (b->child > 0) {
        kill(-b->child, SIGKILL); /* the child's group: with its assembler and linker */
        kill(b->child, SIGKILL);
        waitpid(b->child, NULL, 0);
        unlink(b->tmp);
        close(b->err_fd);
    }
    remove_scratch(b);
    if (b->opt.no_cache && *b->dir) {
        unlink(b->path);
        rmdir(b->dir);
    }
    free(b->why);
    free(b);
}

/* How long the child took: until it last wrote its shared object (the
 * trailer), which is earlier than now when the caller polled late (jit_poll
 * between chunks, or after loading the data). */
static double compile_time(const JitBuild *b)
{
    double waited = now_seconds() - b->started;
    struct stat sb;
    if (stat(b->tmp, &sb) != 0)
        return waited;
    double written = (double)(sb.st_mtim.tv_sec - b->started_wall.tv_sec) +
                     (double)(sb.st_mtim.tv_nsec - b->started_wall.tv_nsec) * 1e-9;
    return written >= 0 && written < waited ? written : waited;
}

JitProgram *jit_finish(JitBuild *b, char **why)
{
    *why = NULL;
    JitProgram *jp = b->done;
    if (jp || b->why) {
        if (!jp)
            *why = xstrdup(b->why);
        build_free(b);
        return jp;
    }
    char version[32] = "";
    if (!wait_compile(b, version, sizeof version, why)) {
        build_free(b);
        return NULL;
    }
    double compile_seconds = compile_time(b);
    if (rename(b->tmp, b->path) != 0) {
        *why = format("cannot write %s: %s", b->path, strerror(errno));
        unlink(b->tmp);
        build_free(b);
        return NULL;
    }
    if (b->opt.dump_dir) {
        char to[PATH_MAX + 32];
        snprintf(to, sizeof to, "%s/%s.so", b->opt.dump_dir, b->hex);
        copy_file(b->path, to);
    }
    bool bad;
    jp = load(b, &bad, why);
    if (jp) {
        jp->info->compile_seconds = compile_seconds;
        jp->info->compile_peak_kb = b->peak_kb;
        snprintf(jp->info->gcc_version, sizeof jp->info->gcc_version, "%s", version);
    } else if (bad) {
        unlink(b->path);
    }
    build_free(b);
    return jp;
}

/* Has the compiling child exited (and every copy of its pipe closed), so
 * that jit_finish() would not block?  Asks without reaping it. */
static bool child_finished(JitBuild *b)
{
    struct pollfd pfd = {b->err_fd, POLLIN, 0};
    int r;
    while ((r = poll(&pfd, 1, 0)) < 0 && errno == EINTR)
        ;
    if (r <= 0 || !(pfd.revents & (POLLHUP | POLLERR | POLLNVAL)))
        return false; /* still writing, or still holding the pipe */
    siginfo_t si;
    memset(&si, 0, sizeof si);
    if (waitid(P_PID, (id_t)b->child, &si, WEXITED | WNOHANG | WNOWAIT) != 0)
        return errno == ECHILD; /* SIGCHLD ignored: reaped already */
    return si.si_pid == b->child;
}

JitProgram *jit_poll(JitBuild *b, bool *done, char **why)
{
    *why = NULL;
    *done = b->done || b->why || b->child <= 0 || child_finished(b) ||
            now_seconds() > b->started + timeout_seconds(); /* jit_finish stops it */
    return *done ? jit_finish(b, why) : NULL;
}

void jit_abandon(JitBuild *b)
{
    if (!b)
        return;
    program_release(b->done);
    build_free(b);
}

JitProgram *jit_compile(const Program *prog, const JitOptions *opt, char **why)
{
    return jit_finish(jit_start(prog, opt), why);
}

void jit_free(JitProgram *jp)
{
    program_release(jp);
}

const JitInfo *jit_info(const JitProgram *jp)
{
    return jp->info;
}
