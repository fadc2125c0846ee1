/* env.c - where evaluation reports: findings and explanation lines (env.h). */
#include "env.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void explain_add(EvalEnv *env, const char *fmt, ...)
{
    Explain *ex = env->explain;
    if (!ex)
        return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (ex->len == ex->cap) {
        int cap = ex->cap ? ex->cap * 2 : 8;
        const char **lines = arena_alloc(env->arena, (size_t)cap * sizeof *lines);
        if (ex->len)
            memcpy(lines, ex->lines, (size_t)ex->len * sizeof *lines);
        ex->lines = lines;
        ex->cap = cap;
    }
    ex->lines[ex->len++] = arena_strdup(env->arena, buf);
}

void env_raise(EvalEnv *env, FindingKind kind, Span at, const char *fmt, ...)
{
    if (!env->findings)
        return;
    if (env->findings->no_messages) { /* nothing printed: nothing formatted (findings_add) */
        findings_add(env->findings, kind, env->subject ? env->subject : "", env->src, at, "%s", "");
        return;
    }
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    findings_add(env->findings, kind, env->subject ? env->subject : "", env->src, at, "%s", buf);
}

void env_unverified(EvalEnv *env, const char *fmt, ...)
{
    if (env->unverified || !env->arena)
        return;
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    env->unverified = arena_strdup(env->arena, buf);
}

const char *env_show(const TlValue *v, int slot)
{
    static _Thread_local char buf[4][VAL_BUF]; /* per thread: batch.c scores on several */
    val_format(v, buf[slot & 3]);
    return buf[slot & 3];
}

const char *env_show_dec(TlDec d, int slot)
{
    static _Thread_local char buf[4][DEC_BUF];
    dec_format_trim(d, DEC_DIV_SCALE, buf[slot & 3]);
    return buf[slot & 3];
}
