/* child.c - the compiling child: a forked process that loads libgccjit,
 * generates code for the checked program (gen.c) and writes a shared
 * object; the parent waits for it, or stops it (build.h).  libgccjit's
 * lock, memory and crashes stay in the child. */
#include "build.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gen.h"
#include "lang/base/cleanup.h"

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

/* libgccjit keeps its intermediate files (fake.s, fake.so, the driver's
 * temporaries) in a directory of its own under $TMPDIR, which it removes
 * when a compile ends - but not when the compiling child is killed (a run
 * that ends before its compile does kills it: jit_abandon).  So the child's
 * TMPDIR is a fresh directory, tally-jit-PID-XXXXXX, that the parent
 * removes, whatever is in it, once the child is gone - or, when the parent
 * is killed, its signal handler (cleanup.h), or, after a SIGKILL, the next
 * run that compiles (a day later: cleanup_stale). */
static void make_scratch(JitBuild *b)
{
    const char *tmpdir = getenv("TMPDIR");
    if (!tmpdir || !*tmpdir)
        tmpdir = "/tmp";
    static bool swept;
    if (!swept) {
        swept = true;
        int fd = open(tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd >= 0) {
            cleanup_stale(fd, "tally-jit-", "tally-jit-");
            close(fd);
        }
    }
    b->scratch[0] = 0;
    if (snprintf(b->scratch, sizeof b->scratch, "%s/tally-jit-%ld-XXXXXX", tmpdir, (long)getpid()) >=
            (int)sizeof b->scratch ||
        !mkdtemp(b->scratch))
        b->scratch[0] = 0; /* then libgccjit's own choice, as it would be without tally */
    else
        b->scratch_slot = cleanup_add_tree(b->scratch);
}

/* After a kill, a system call that the assembler or linker had under way
 * may still create a file: try again a few times. */
void jit_child_remove_scratch(JitBuild *b)
{
    if (!*b->scratch)
        return;
    for (int i = 0; i < 5 && !cleanup_remove_tree(AT_FDCWD, b->scratch); i++) {
        struct timespec pause = {0, 10 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    cleanup_forget(b->scratch_slot);
    b->scratch_slot = -1;
    b->scratch[0] = 0;
}

/* Coverage builds (tests/coverage, TALLY_COVERAGE) count what the child
 * runs - the code generator - only if it writes its counts before _exit,
 * which skips the handler that would. */
#ifdef TALLY_COVERAGE
void __gcov_dump(void);
#endif

static _Noreturn void child_exit(int status)
{
#ifdef TALLY_COVERAGE
    __gcov_dump();
#endif
    _exit(status);
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
    child_exit(1);
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
    char dump[PATH_MAX + NAME_MAX + 2];
    JitGenRequest rq = {.prog = b->prog, .key = b->key, .opt_level = b->opt.opt_level,
                        .typed = !b->opt.untyped, .native = b->opt.native, .so_path = b->tmp};
    if (*b->dumpname) { /* into the cache's own folder; the parent copies it out (outfile.h) */
        snprintf(dump, sizeof dump, "%s/%s", b->dir, b->dumpname);
        rq.dump_path = dump;
    }
    if (*b->scratch)
        setenv("TMPDIR", b->scratch, 1);
    if (!jit_generate(&rq, err, sizeof err))
        child_fail(fd, err);
    if (!jit_cache_append_trailer(b, err, sizeof err))
        child_fail(fd, err);
    char version[64];
    snprintf(version, sizeof version, "ok %s", jit_gen_gcc_version());
    if (write(fd, version, strlen(version)) < 0)
        child_exit(1);
    child_exit(0);
}

bool jit_child_spawn(JitBuild *b, char **why)
{
    if (!jit_gen_available()) {
        *why = jit_format("this build of tally has no JIT (libgccjit.h was not found when it was built)");
        return false;
    }
    if (!on_path("as") || !on_path("ld")) {
        *why = jit_format("libgccjit needs the assembler 'as' and the linker 'ld' (binutils) on PATH, "
                      "and %s missing",
                      !on_path("as") && !on_path("ld") ? "both are" : !on_path("as") ? "'as' is" : "'ld' is");
        return false;
    }
    static unsigned counter;
    unsigned n = counter++;
    snprintf(b->tmpname, sizeof b->tmpname, "%s.so.tmp.%ld.%u", b->hex, (long)getpid(), n);
    if (snprintf(b->tmp, sizeof b->tmp, "%s/%s", b->dir, b->tmpname) >= (int)sizeof b->tmp) {
        *why = jit_format("the cache directory's name is too long");
        *b->tmpname = 0;
        return false;
    }
    b->tmp_slot = cleanup_add_file(b->dirfd, b->tmpname);
    if (b->opt.dump_dir) {
        snprintf(b->dumpname, sizeof b->dumpname, "%s.jit.c.tmp.%ld.%u", b->hex, (long)getpid(), n);
        b->dump_slot = cleanup_add_file(b->dirfd, b->dumpname);
    }
    int fds[2];
    if (pipe(fds) != 0) {
        *why = jit_format("cannot create a pipe: %s", strerror(errno));
        return false;
    }
    make_scratch(b);
    fflush(NULL);
    b->started = jit_now();
    clock_gettime(CLOCK_REALTIME, &b->started_wall);
    pid_t parent = getpid(), pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        jit_child_remove_scratch(b);
        *why = jit_format("cannot fork the compiler: %s", strerror(errno));
        return false;
    }
    if (pid == 0) {
        close(fds[0]);
        child_detach(parent);
        child_main(b, fds[1]);
    }
    setpgid(pid, pid); /* as the child does: whichever runs first */
    b->child_slot = cleanup_add_group(pid);
    close(fds[1]);
    b->child = pid;
    b->err_fd = fds[0];
    return true;
}

/* Seconds a compile may take before it is killed: GCC can loop or swap on
 * a pathological program, and --engine jit waits for it.  2,500 indicators
 * take about 30 s here; TALLY_JIT_TIMEOUT changes the limit. */
#define JIT_TIMEOUT_SECONDS 600

double jit_child_timeout(void)
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

bool jit_child_wait(JitBuild *b, char *version, size_t vn, char **why)
{
    char msg[1100];
    size_t len = 0;
    ssize_t r;
    double limit = jit_child_timeout();
    bool timed_out = false;
    for (;;) {
        if (!timed_out) {
            double left = b->started + limit - jit_now();
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
    cleanup_forget(b->child_slot);
    b->child_slot = -1;
    jit_child_remove_scratch(b);
    /* With SIGCHLD ignored the child is reaped for us (ECHILD): then its
     * last word, "ok", written just before it exits cleanly, decides. */
    bool exited_ok = w < 0 ? errno == ECHILD : WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (exited_ok && strncmp(msg, "ok ", 3) == 0) {
        size_t n = strlen(msg + 3) < vn - 1 ? strlen(msg + 3) : vn - 1;
        memcpy(version, msg + 3, n);
        version[n] = 0;
        return true;
    }
    unlinkat(b->dirfd, b->tmpname, 0);
    if (timed_out)
        *why = jit_format("the compile took longer than %g s (TALLY_JIT_TIMEOUT) and was stopped", limit);
    else if (w > 0 && WIFSIGNALED(status))
        *why = jit_format("the compiler process died (signal %d)%s%s", WTERMSIG(status), *msg ? ": " : "", msg);
    else
        *why = jit_format("%s", *msg ? msg : "the compiler process failed");
    return false;
}

bool jit_child_finished(JitBuild *b)
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

/* How long the child took: until it last wrote its shared object (the
 * trailer), which is earlier than now when the caller polled late (jit_poll
 * between chunks, or after loading the data). */
double jit_child_compile_time(const JitBuild *b)
{
    double waited = jit_now() - b->started;
    struct stat sb;
    if (stat(b->tmp, &sb) != 0)
        return waited;
    double written = (double)(sb.st_mtim.tv_sec - b->started_wall.tv_sec) +
                     (double)(sb.st_mtim.tv_nsec - b->started_wall.tv_nsec) * 1e-9;
    return written >= 0 && written < waited ? written : waited;
}
