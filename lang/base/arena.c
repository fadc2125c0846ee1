/* arena.c - checked allocation and a block arena.
 *
 * Each allocation is zeroed as it is handed out (arena_alloc), or not at
 * all when its caller writes it whole (arena_alloc_raw); blocks are
 * malloc'ed (issue 16: calloc'ed blocks were zeroed whole, 80 MB for 31 MB
 * of long CSV, most of it rows copied over at once).  Nothing handed out
 * is ever reused before arena_free() or arena_reset().
 */
#include "arena.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"

#define ARENA_ALIGN 16
#define ARENA_BLOCK_SIZE ((size_t)64 * 1024)

/* Under AddressSanitizer the free part of a block is poisoned and every
 * allocation is followed by a poisoned gap, so that a read or write past the
 * end of arena memory is reported like one past a malloc'ed buffer. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define ARENA_ASAN 1
#endif
#ifdef ARENA_ASAN
#include <sanitizer/asan_interface.h>
#define ARENA_GAP ARENA_ALIGN
#else
#define ASAN_POISON_MEMORY_REGION(p, n) ((void)(p), (void)(n))
#define ASAN_UNPOISON_MEMORY_REGION(p, n) ((void)(p), (void)(n))
#define ARENA_GAP 0
#endif

_Static_assert(_Alignof(max_align_t) >= ARENA_ALIGN, "malloc must return 16-byte aligned memory");

struct ArenaBlock {
    ArenaBlock *next;
    size_t cap, used;
    _Alignas(ARENA_ALIGN) unsigned char data[];
};

static char failed_note[256];

void xalloc_set_note(const char *note)
{
    snprintf(failed_note, sizeof failed_note, "%s", note ? note : "");
}

/* Any thread may run out of memory, several at once: the first says so,
 * removes what the run leaves (cleanup.h: -o's temporary file, the
 * compiler's scratch folder) and ends the process; the others wait for
 * that.  write() and _exit(), not stdio and exit(): no allocation, no
 * locks another thread may hold, no atexit handlers running while other
 * threads still work. */
static atomic_flag dying = ATOMIC_FLAG_INIT;

_Noreturn void xalloc_failed(void)
{
    if (atomic_flag_test_and_set(&dying))
        for (;;)
            pause();
    static const char msg[] = "tally: out of memory";
    ssize_t w = write(2, msg, sizeof msg - 1);
    if (*failed_note) {
        w = write(2, " (", 2);
        w = write(2, failed_note, strlen(failed_note));
        w = write(2, ")", 1);
    }
    w = write(2, "\n", 1);
    (void)w;
    cleanup_run();
    _exit(3);
}

_Noreturn void xfatal(const char *message)
{
    if (atomic_flag_test_and_set(&dying))
        for (;;)
            pause();
    static const char prefix[] = "tally: ";
    ssize_t w = write(2, prefix, sizeof prefix - 1);
    w = write(2, message, strlen(message));
    w = write(2, "\n", 1);
    (void)w;
    cleanup_run();
    _exit(3);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        xalloc_failed();
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        xalloc_failed();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        xalloc_failed();
    return p;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

/* Like strndup: copies at most n bytes, stopping early at a NUL. */
char *xstrndup(const char *s, size_t n)
{
    n = strnlen(s, n);
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void arena_init(Arena *a) { *a = (Arena){NULL, 0}; }

void arena_free(Arena *a)
{
    for (ArenaBlock *b = a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    arena_init(a);
}

/* Free everything but one ordinary block, which is kept: a caller that
 * resets per report then reuses it instead of allocating a fresh 64 KB
 * block for every report. */
void arena_reset(Arena *a)
{
    ArenaBlock *keep = a->head && a->head->cap == ARENA_BLOCK_SIZE ? a->head : NULL;
    for (ArenaBlock *b = a->head, *next; b; b = next) {
        next = b->next;
        if (b != keep)
            free(b);
    }
    if (keep) {
        ASAN_POISON_MEMORY_REGION(keep->data, keep->cap);
        keep->used = 0;
        keep->next = NULL;
    }
    a->head = keep;
    a->used = 0;
}

/* A new block with room for cap bytes (not zeroed: arena_alloc zeroes). */
static ArenaBlock *block_new(size_t cap)
{
    if (cap > SIZE_MAX - sizeof(ArenaBlock))
        xalloc_failed();
    ArenaBlock *b = xmalloc(sizeof(ArenaBlock) + cap);
    b->next = NULL;
    b->cap = cap;
    b->used = 0;
    ASAN_POISON_MEMORY_REGION(b->data, cap);
    return b;
}

void *arena_alloc_raw(Arena *a, size_t n)
{
    if (n > SIZE_MAX - ARENA_ALIGN - ARENA_GAP)
        xalloc_failed();
    size_t asked = n;
    n = n ? (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1) : ARENA_ALIGN;
    n += ARENA_GAP;
    ArenaBlock *b = a->head;
    if (!b || b->cap - b->used < n) {
        if (n > ARENA_BLOCK_SIZE) {
            /* A request larger than a block gets its own block, kept behind
             * the current one so the current block's free space stays usable. */
            b = block_new(n);
            b->next = a->head ? a->head->next : NULL;
            if (a->head)
                a->head->next = b;
            else
                a->head = b;
        } else {
            b = block_new(ARENA_BLOCK_SIZE);
            b->next = a->head;
            a->head = b;
        }
    }
    void *p = b->data + b->used;
    b->used += n;
    a->used += n - ARENA_GAP;
    ASAN_UNPOISON_MEMORY_REGION(p, asked);
    (void)asked;
    return p;
}

void *arena_alloc(Arena *a, size_t n)
{
    void *p = arena_alloc_raw(a, n);
    memset(p, 0, n);
    return p;
}

/* Like strndup: copies at most n bytes, stopping early at a NUL. */
char *arena_strndup(Arena *a, const char *s, size_t n)
{
    n = strnlen(s, n);
    char *p = arena_alloc_raw(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(Arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

char *arena_printf(Arena *a, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        xalloc_failed(); /* only EOVERFLOW (> INT_MAX bytes) or a bad wide char */
    char *p = arena_alloc_raw(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

void ptrvec_push(PtrVec *v, void *p)
{
    if (v->len == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        if (cap > SIZE_MAX / sizeof(void *))
            xalloc_failed();
        v->items = xrealloc(v->items, cap * sizeof(void *));
        v->cap = cap;
    }
    v->items[v->len++] = p;
}

void ptrvec_free(PtrVec *v)
{
    free(v->items);
    *v = (PtrVec){NULL, 0, 0};
}
