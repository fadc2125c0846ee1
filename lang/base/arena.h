/* arena.h - region allocator and checked allocation.
 *
 * One arena per compiled rule file or loaded data set: everything allocated
 * from it is freed by one arena_free().  Allocation never returns NULL: on
 * out-of-memory the process prints a message and exits with status 3.
 */
#ifndef TALLY_ARENA_H
#define TALLY_ARENA_H

#include <stddef.h>

typedef struct ArenaBlock ArenaBlock;
typedef struct Arena {
    ArenaBlock *head;
    size_t used;       /* bytes handed out, for limits and statistics */
} Arena;

/* "tally: out of memory" and exit status 3: what the x*alloc functions do
 * on failure, from any thread; what the run leaves is removed first
 * (cleanup.h). */
_Noreturn void xalloc_failed(void);
/* The same for another failure the run cannot go on after (a temporary
 * file that cannot be written): "tally: MESSAGE", cleanup, exit status 3. */
_Noreturn void xfatal(const char *message);
/* Words added in parentheses to that message (the memory limit in force). */
void xalloc_set_note(const char *note);
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

void arena_init(Arena *a);
void arena_free(Arena *a);
/* Free everything allocated, keeping one block's memory for what comes next
 * (cheaper than arena_free + arena_init between reports). */
void arena_reset(Arena *a);
/* Zeroed, 16-byte aligned storage that lives until arena_free(). */
void *arena_alloc(Arena *a, size_t n);
/* The same, not zeroed: for a caller that writes all n bytes at once. */
void *arena_alloc_raw(Arena *a, size_t n);
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_strdup(Arena *a, const char *s);
/* printf into the arena. */
char *arena_printf(Arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A growable array of pointers, heap-backed (not arena) so it can be freed. */
typedef struct PtrVec {
    void **items;
    size_t len, cap;
} PtrVec;
void ptrvec_push(PtrVec *v, void *p);
void ptrvec_free(PtrVec *v);

#endif
