/* jit.c - a compile through its life (jit.h): looked up in the cache,
 * else compiled by a child; waited for, polled, or abandoned; loaded. */
#include "jit.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build.h"
#include "lang/base/cleanup.h"
#include "lang/base/outfile.h"

double jit_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

char *jit_format(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        xalloc_failed();
    char *s = xmalloc(n > 0 ? (size_t)n + 1 : 1);
    *s = 0;
    va_start(ap, fmt);
    if (n > 0)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

JitBuild *jit_start(const Program *prog, const JitOptions *opt)
{
    JitBuild *b = xcalloc(1, sizeof *b);
    b->prog = prog;
    b->opt = *opt;
    if (b->opt.opt_level < 0 || b->opt.opt_level > 3)
        b->opt.opt_level = JIT_DEFAULT_OPT;
    b->err_fd = b->dirfd = -1;
    b->tmp_slot = b->scratch_slot = b->child_slot = b->dir_slot = b->dump_slot = -1;
    jit_cache_key(b);
    if (b->opt.no_cache) {
        const char *tmpdir = getenv("TMPDIR");
        snprintf(b->dir, sizeof b->dir, "%s/tally-jit-%ld-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp",
                 (long)getpid());
        if (!mkdtemp(b->dir)) {
            b->why = jit_format("cannot create a temporary directory: %s", strerror(errno));
            *b->dir = 0;
            return b;
        }
        b->dir_slot = cleanup_add_tree(b->dir);
    } else if (!jit_cache_dir(&b->opt, b->dir, sizeof b->dir)) {
        b->why = jit_format("cannot create the cache directory %s: %s",
                        b->opt.cache_dir ? b->opt.cache_dir : "($XDG_CACHE_HOME or ~/.cache)/tally",
                        strerror(errno));
        return b;
    }
    if (!jit_cache_open_dir(b, &b->why))
        return b;
    if (b->opt.dump_dir && !jit_cache_mkdirs(b->opt.dump_dir)) {
        b->why = jit_format("cannot create %s: %s", b->opt.dump_dir, strerror(errno));
        return b;
    }
    snprintf(b->entry, sizeof b->entry, "%s.so", b->hex);
    if (snprintf(b->path, sizeof b->path, "%s/%s", b->dir, b->entry) >= (int)sizeof b->path) {
        b->why = jit_format("the cache directory's name is too long");
        return b;
    }
    if (!b->opt.no_cache && !b->opt.dump_dir) {
        JitEntryState state;
        char *why = NULL;
        b->done = jit_load(b, &state, &why);
        if (b->done) {
            b->done->info->cache_hit = true;
            return b;
        }
        if (state == JIT_ENTRY_REFUSED) {
            b->why = why;
            return b;
        }
        free(why);
        if (state == JIT_ENTRY_BAD)
            unlinkat(b->dirfd, b->entry, 0); /* damaged, foreign or forged: rebuild it */
    }
    if (b->opt.cache_only) {
        b->why = jit_format("not in the cache");
        return b;
    }
    jit_child_spawn(b, &b->why);
    return b;
}

static void build_free(JitBuild *b)
{
    if (b->child > 0) {
        kill(-b->child, SIGKILL); /* the child's group: with its assembler and linker */
        kill(b->child, SIGKILL);
        waitpid(b->child, NULL, 0);
        close(b->err_fd);
    }
    cleanup_forget(b->child_slot);
    if (b->dirfd >= 0 && *b->tmpname)
        unlinkat(b->dirfd, b->tmpname, 0);
    cleanup_forget(b->tmp_slot);
    if (b->dirfd >= 0 && *b->dumpname)
        unlinkat(b->dirfd, b->dumpname, 0);
    cleanup_forget(b->dump_slot);
    jit_child_remove_scratch(b);
    if (b->opt.no_cache && *b->dir)
        cleanup_remove_tree(AT_FDCWD, b->dir);
    cleanup_forget(b->dir_slot);
    if (b->dirfd >= 0)
        close(b->dirfd);
    free(b->why);
    free(b);
}

/* --dump-jit: the generated code and the verified object, written to the
 * dump folder as output files are (outfile.h): never through a link another
 * user planted there.  False with *why. */
static bool dump_files(JitBuild *b, char **why)
{
    char err[PATH_MAX + 256], to[PATH_MAX + 32];
    JitEntryState state;
    bool ok = true;
    int fd = openat(b->dirfd, b->dumpname, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0) {
        snprintf(to, sizeof to, "%s/%s.jit.c", b->opt.dump_dir, b->hex);
        ok = outfile_copy_fd(to, fd, err, sizeof err);
        close(fd);
    }
    if (ok) {
        fd = jit_cache_open_verified(b, &state, why);
        if (fd < 0)
            return false;
        lseek(fd, 0, SEEK_SET);
        snprintf(to, sizeof to, "%s/%s.so", b->opt.dump_dir, b->hex);
        ok = outfile_copy_fd(to, fd, err, sizeof err);
        close(fd);
    }
    if (!ok)
        *why = jit_format("%s", err);
    return ok;
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
    if (!jit_child_wait(b, version, sizeof version, why)) {
        build_free(b);
        return NULL;
    }
    double compile_seconds = jit_child_compile_time(b);
    if (renameat(b->dirfd, b->tmpname, b->dirfd, b->entry) != 0) {
        *why = jit_format("cannot write %s: %s", b->path, strerror(errno));
        build_free(b);
        return NULL;
    }
    *b->tmpname = 0;
    JitEntryState state;
    jp = jit_load(b, &state, why);
    if (jp) {
        jp->info->compile_seconds = compile_seconds;
        jp->info->compile_peak_kb = b->peak_kb;
        snprintf(jp->info->gcc_version, sizeof jp->info->gcc_version, "%s", version);
        if (b->opt.dump_dir && !dump_files(b, why)) {
            jit_release(jp);
            jp = NULL;
        }
    } else if (state == JIT_ENTRY_BAD) {
        unlinkat(b->dirfd, b->entry, 0);
    }
    build_free(b);
    return jp;
}

JitProgram *jit_poll(JitBuild *b, bool *done, char **why)
{
    *why = NULL;
    *done = b->done || b->why || b->child <= 0 || jit_child_finished(b) ||
            jit_now() > b->started + jit_child_timeout(); /* jit_finish stops it */
    return *done ? jit_finish(b, why) : NULL;
}

void jit_abandon(JitBuild *b)
{
    if (!b)
        return;
    jit_release(b->done);
    build_free(b);
}

JitProgram *jit_compile(const Program *prog, const JitOptions *opt, char **why)
{
    return jit_finish(jit_start(prog, opt), why);
}

void jit_free(JitProgram *jp)
{
    jit_release(jp);
}

const JitInfo *jit_info(const JitProgram *jp)
{
    return jp->info;
}
