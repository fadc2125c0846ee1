/* load.c - a compiled rule file loaded: the verified shared object
 * dlopen()ed, its key checked, its entry points and the constant table
 * (consts.h) gathered into a JitProgram (build.h, rt.h). */
#include "build.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void mark_inputs(const Program *p, const Expr *e, bool *input, bool *let)
{
    if (!e)
        return;
    switch (e->kind) {
    case E_LIT:
        return;
    case E_NAME: {
        const Sym *s = e->u.name.sym;
        if (s && s->kind == SYM_INPUT)
            input[s->index] = true;
        else if (s && s->kind == SYM_LET && !let[s->index]) {
            let[s->index] = true;
            mark_inputs(p, s->decl->u.let.value, input, let);
        }
        return;
    }
    case E_CALL:
        for (int i = 0; i < e->u.call.nargs; i++)
            mark_inputs(p, e->u.call.args[i], input, let);
        return;
    case E_UNARY:
        mark_inputs(p, e->u.unary.a, input, let);
        return;
    case E_BINARY:
        mark_inputs(p, e->u.binary.a, input, let);
        mark_inputs(p, e->u.binary.b, input, let);
        return;
    case E_IF:
        mark_inputs(p, e->u.cond.cond, input, let);
        mark_inputs(p, e->u.cond.then, input, let);
        mark_inputs(p, e->u.cond.els, input, let);
        return;
    case E_TIERS:
        mark_inputs(p, e->u.tiers.subject, input, let);
        for (int i = 0; i < e->u.tiers.ntiers; i++) {
            mark_inputs(p, e->u.tiers.tiers[i].edge, input, let);
            mark_inputs(p, e->u.tiers.tiers[i].score, input, let);
        }
        mark_inputs(p, e->u.tiers.els, input, let);
        return;
    }
}

/* jp->batch_inputs from jp->batch: the inputs the batch kernels read,
 * directly or through lets, in input order. */
static void batch_inputs_build(const Program *p, JitProgram *jp)
{
    bool *input = xcalloc((size_t)p->ninputs + 1, sizeof *input);
    bool *let = xcalloc((size_t)p->nlets + 1, sizeof *let);
    for (int i = 0; i < p->nindicators; i++)
        if (jp->batch[i]) {
            const Indicator *ind = &p->indicators[i];
            mark_inputs(p, ind->decl->u.indicator.value, input, let);
            mark_inputs(p, ind->decl->u.indicator.target, input, let);
            mark_inputs(p, ind->score, input, let);
        }
    jp->batch_inputs = xmalloc(((size_t)p->ninputs + 1) * sizeof *jp->batch_inputs);
    jp->nbatch_inputs = 0;
    for (int i = 0; i < p->ninputs; i++)
        if (input[i])
            jp->batch_inputs[jp->nbatch_inputs++] = i;
    free(input);
    free(let);
}

void jit_release(JitProgram *jp)
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

JitProgram *jit_load(JitBuild *b, JitEntryState *state, char **why)
{
    double t0 = jit_now();
    int fd = jit_cache_open_verified(b, state, why);
    if (fd < 0) {
        if (*state != JIT_ENTRY_REFUSED)
            *why = jit_format(*state == JIT_ENTRY_BAD ? "%s: damaged or not made by this cache (MAC)" : "%s: %s",
                              b->path, strerror(ENOENT));
        return NULL;
    }
    /* Load the verified copy, never the path.  The dynamic linker knows a
     * loaded object by the name it was opened with, so a descriptor number
     * that named another object still loaded (tier 1 while tier 2 loads)
     * would hand back that object: use a fresh number. */
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
    if (lfd >= 0 && lfd != fd)
        close(lfd);
    close(fd);
    if (!h) {
        *state = JIT_ENTRY_BAD;
        *why = jit_format("%s: %s", b->path, dlerror());
        return NULL;
    }
    const char *key = dlsym(h, "tally_jit_key");
    JitInitFn init;
    *(void **)&init = dlsym(h, "tally_jit_init");
    if (!key || !init || strcmp(key, b->key) != 0) {
        dlclose(h);
        *state = JIT_ENTRY_BAD;
        *why = jit_format("%s: not the code for this rule file (key mismatch)", b->path);
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
    batch_inputs_build(p, jp);
    memcpy(jp->info->key, b->hex, sizeof jp->info->key);
    snprintf(jp->info->path, sizeof jp->info->path, "%s", b->path);
    jp->info->load_seconds = jit_now() - t0;
    return jp;
}
