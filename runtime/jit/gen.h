/* gen.h - generate native code for a checked program with libgccjit.
 *
 * Runs only in the compiling child process (child.c): it loads libgccjit,
 * builds one context for the whole program and writes a shared object.
 */
#ifndef TALLY_JIT_GEN_H
#define TALLY_JIT_GEN_H

#include <stdbool.h>
#include <stddef.h>

#include "lang/program.h"

typedef struct JitGenRequest {
    const Program *prog;
    const char *key;        /* stored in the shared object as tally_jit_key */
    int opt_level;          /* GCC -O level, 0 to 3 */
    bool typed;             /* inline decimal code where the checker knows the types */
    bool native;            /* for this CPU: jit_gen_native_flags() */
    const char *so_path;    /* the shared object to write */
    const char *dump_path;  /* NULL, or where to write the generated code as C-like text */
} JitGenRequest;

/* Is code generation compiled in (libgccjit.h was found at build time)? */
bool jit_gen_available(void);
/* Generate and compile.  Returns false with a message in err. */
bool jit_generate(const JitGenRequest *rq, char *err, size_t errn);
/* The -m options that stand for -march=native on this CPU (libgccjit
 * refuses -march=native itself: only the gcc driver expands it), one
 * space-separated string such as "-msse4.2 -mavx2 -mbmi2". */
const char *jit_gen_native_flags(void);
/* libgccjit's version as "12.2.0" (after a successful jit_generate). */
const char *jit_gen_gcc_version(void);

#endif
