/* build.h - a compile of a rule file, as the JIT's own files share it
 * (internal to runtime/jit/).
 *
 * jit.c runs a compile through its life (jit.h): the cache key and the
 * cache directory, the trailer that guards a cached object (cache.c); the
 * child that generates and compiles code (child.c, running gen.c); the
 * loaded object (load.c).
 */
#ifndef TALLY_JIT_BUILD_H
#define TALLY_JIT_BUILD_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "jit.h"
#include "rt.h"

/* Bytes of the cache's secret, the key of its MAC. */
#define JIT_SECRET_SIZE 32

struct JitBuild {
    const Program *prog;
    JitOptions opt;
    char dir[PATH_MAX];      /* the cache directory, or the temporary one */
    int dirfd;               /* that directory, checked (jit_cache_open_dir); -1 */
    unsigned char secret[JIT_SECRET_SIZE]; /* the cache's secret */
    char entry[32];          /* the shared object's name in it: KEY.so */
    char path[PATH_MAX];     /* the same as a path, for messages */
    char tmpname[NAME_MAX + 1]; /* what the child writes, in the directory */
    char tmp[PATH_MAX];      /* the same as a path */
    char dumpname[NAME_MAX + 1]; /* --dump-jit: the generated code, in the directory until copied */
    int tmp_slot, scratch_slot, child_slot, dir_slot, dump_slot; /* cleanup.h: removed on every exit */
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

/* Seconds on the monotonic clock. */
double jit_now(void);
/* printf into a new heap string (a reason for *why). */
char *jit_format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The cache (cache.c) ---------------------------------------------------------- */

/* b->key and b->hex from the program's text, tally's and libgccjit's
 * versions, the CPU and b->opt: what the code was built for. */
void jit_cache_key(JitBuild *b);
/* mkdir -p, mode 0700. */
bool jit_cache_mkdirs(const char *path);
/* The cache directory of o (created), or false. */
bool jit_cache_dir(const JitOptions *o, char *out, size_t n);
/* Open b->dir as b->dirfd and trust it only if it belongs to the effective
 * user and no one else may write to it; read its secret (made on first
 * use); remove what runs killed long ago left in it.  False with *why: then
 * nothing in it may be loaded. */
bool jit_cache_open_dir(JitBuild *b, char **why);
/* In the child: make b->tmp private (0600) and append the trailer - a magic
 * word, HMAC-SHA256 under the secret of b->key and the file, its length -
 * that jit_cache_open_verified() checks. */
bool jit_cache_append_trailer(const JitBuild *b, char *err, size_t errn);

typedef enum JitEntryState {
    JIT_ENTRY_OK,
    JIT_ENTRY_ABSENT,
    JIT_ENTRY_BAD,      /* damaged, foreign or forged: remove it and compile again */
    JIT_ENTRY_REFUSED,  /* not a regular file of the user's (a link, a FIFO): *why, the interpreter */
} JitEntryState;
/* Open b->entry (O_NOFOLLOW | O_NONBLOCK, checked with fstat), copy it into
 * a sealed memory file and check its MAC; that file's descriptor, or -1
 * with *state (and *why when refused).  Nothing of an entry is mapped
 * before its MAC checks out. */
int jit_cache_open_verified(JitBuild *b, JitEntryState *state, char **why);

/* The compiling child (child.c) ---------------------------------------------- */

/* Fork the child that generates and compiles b into b->tmp; false with
 * *why when it cannot start. */
bool jit_child_spawn(JitBuild *b, char **why);
/* Wait for the child (killing it past jit_child_timeout()); true when it
 * wrote the shared object, with libgccjit's version in version. */
bool jit_child_wait(JitBuild *b, char *version, size_t vn, char **why);
/* Has the child exited (and closed its pipe), so that waiting would not
 * block?  Asks without reaping it. */
bool jit_child_finished(JitBuild *b);
/* Seconds a compile may take (TALLY_JIT_TIMEOUT, else 600). */
double jit_child_timeout(void);
/* How long the child took to write its object. */
double jit_child_compile_time(const JitBuild *b);
/* Remove the child's TMPDIR and whatever libgccjit left in it. */
void jit_child_remove_scratch(JitBuild *b);

/* Loading (load.c) ----------------------------------------------------------- */

/* dlopen the verified copy of b->entry and check its key; NULL with *state
 * and *why. */
JitProgram *jit_load(JitBuild *b, JitEntryState *state, char **why);
/* Unload and free (NULL is allowed). */
void jit_release(JitProgram *jp);

#endif
