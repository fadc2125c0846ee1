/* jit.h - compile a checked program to native code, cached on disk.
 *
 * jit_start() looks the program up in the compile cache; on a miss it forks
 * a child that loads libgccjit, generates code for the checked tree
 * (gen.c) and writes a shared object under a temporary name, which the
 * parent renames into the cache once the child exits cleanly.  jit_finish()
 * waits for that child (so a caller may load its data meanwhile), verifies
 * the shared object (a trailer with a checksum, then the key stored inside
 * it) and dlopen()s it.  A compile that fails in any way - libgccjit absent,
 * no assembler or linker, a GCC error, a crashed child - costs the host
 * nothing but a message: the caller scores with the interpreter.
 *
 * The host never loads libgccjit itself, so its memory stays bounded however
 * often it reloads a policy, and two processes compiling the same rule file
 * at once both succeed (each writes its own temporary file; rename is atomic).
 *
 * A JitProgram borrows its Program (constants point into it): free the
 * JitProgram first.  Scores come out bit for bit as the interpreter's; the
 * scorer uses compiled code through scorer_set_jit() (score.h).
 */
#ifndef TALLY_JIT_H
#define TALLY_JIT_H

#include <stdbool.h>

#include "lang/program.h"

typedef struct JitProgram JitProgram;
typedef struct JitBuild JitBuild;

/* The GCC -O level used unless JitOptions says otherwise. */
#define JIT_DEFAULT_OPT 1

typedef struct JitOptions {
    const char *cache_dir;  /* NULL: $XDG_CACHE_HOME/tally, else ~/.cache/tally */
    bool no_cache;          /* compile into a temporary directory, delete after loading */
    const char *dump_dir;   /* NULL, or write NAME.jit.c (the generated code) and NAME.so here */
    int opt_level;          /* 0 to 3; -1: JIT_DEFAULT_OPT */
    bool untyped;           /* no inline decimal fast paths: every operation calls its helper */
    bool native;            /* for this CPU's extensions (-march=native, spelled out as -m options) */
    bool cache_only;        /* look in the cache, never compile: a miss fails ("not in the cache") */
} JitOptions;

typedef struct JitInfo {
    bool cache_hit;         /* loaded from the cache without compiling */
    double compile_seconds; /* the child's run (0 on a cache hit) */
    long compile_peak_kb;   /* the compiling child's peak resident memory (0 on a hit) */
    double load_seconds;    /* verify + dlopen + look-up */
    char key[17];           /* hex of the cache key */
    char path[4096];        /* the shared object (removed again with no_cache) */
    char gcc_version[32];   /* libgccjit's version, as the child reported it ("" on a hit) */
} JitInfo;

/* Start compiling (or find in the cache).  Never fails: errors are reported
 * by jit_finish(). */
JitBuild *jit_start(const Program *prog, const JitOptions *opt);
/* Wait for the compile and load the result.  NULL on failure, with a
 * malloc'd one-line reason in *why (the caller frees it). */
JitProgram *jit_finish(JitBuild *b, char **why);
/* jit_finish() without waiting: when the compile is over (or there was
 * nothing to compile) sets *done and returns what jit_finish() returns,
 * having freed b; otherwise clears *done and returns NULL at once (b stays
 * valid: poll again, or jit_finish, or jit_abandon). */
JitProgram *jit_poll(JitBuild *b, bool *done, char **why);
/* Give up on b: kill the compiling child if it still runs and reap it,
 * remove its temporary file (and the temporary directory of no_cache),
 * free whatever was loaded, free b.  NULL is allowed. */
void jit_abandon(JitBuild *b);
/* jit_start + jit_finish. */
JitProgram *jit_compile(const Program *prog, const JitOptions *opt, char **why);
void jit_free(JitProgram *jp);
const JitInfo *jit_info(const JitProgram *jp);

#endif
