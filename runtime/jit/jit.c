/* jit.c - a compile through its life (jit.h): looked up in the cache,
 * else compiled by a child; waited for, polled, or abandoned; loaded. */
#include "jit.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build.h"

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
    b->err_fd = -1;
    jit_cache_key(b);
    if (b->opt.no_cache) {
        const char *tmpdir = getenv("TMPDIR");
        snprintf(b->dir, sizeof b->dir, "%s/tally-jit-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
        if (!mkdtemp(b->dir)) {
            b->why = jit_format("cannot create a temporary directory: %s", strerror(errno));
            return b;
        }
    } else if (!jit_cache_dir(&b->opt, b->dir, sizeof b->dir)) {
        b->why = jit_format("cannot create the cache directory %s: %s",
                        b->opt.cache_dir ? b->opt.cache_dir : "($XDG_CACHE_HOME or ~/.cache)/tally",
                        strerror(errno));
        return b;
    }
    if (b->opt.dump_dir && !jit_cache_mkdirs(b->opt.dump_dir)) {
        b->why = jit_format("cannot create %s: %s", b->opt.dump_dir, strerror(errno));
        return b;
    }
    if (snprintf(b->path, sizeof b->path, "%s/%s.so", b->dir, b->hex) >= (int)sizeof b->path) {
        b->why = jit_format("the cache directory's name is too long");
        return b;
    }
    if (!b->opt.no_cache && !b->opt.dump_dir) {
        bool bad;
        char *why = NULL;
        b->done = jit_load(b, &bad, &why);
        free(why);
        if (b->done) {
            b->done->info->cache_hit = true;
            return b;
        }
        if (bad)
            unlink(b->path); /* damaged or foreign: rebuild it */
    }
    if (b->opt.cache_only) {
        b->why = jit_format("not in the cache");
        return b;
    }
    jit_child_spawn(b, &b->why);
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
    jit_child_remove_scratch(b);
    if (b->opt.no_cache && *b->dir) {
        unlink(b->path);
        rmdir(b->dir);
    }
    free(b->why);
    free(b);
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
    if (rename(b->tmp, b->path) != 0) {
        *why = jit_format("cannot write %s: %s", b->path, strerror(errno));
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
    jp = jit_load(b, &bad, why);
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
