/* strbuf: a growing byte string, always NUL-terminated once anything was
 * added (the one buffer the readers and writers build texts in). */
#ifndef TALLY_STRBUF_H
#define TALLY_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct StrBuf {
    char *s;     /* NULL until the first addition, unless it starts in a caller's array */
    size_t len;  /* bytes, without the terminating NUL */
    size_t cap;
    bool heap;   /* s was allocated here (strbuf_free frees it) */
} StrBuf;

/* An empty buffer whose first cap bytes are the caller's array small:
 * nothing is allocated until the text outgrows it. */
void strbuf_init_in(StrBuf *b, char *small, size_t cap);
/* Append n bytes (which may hold NULs); exits with status 3 when memory
 * runs out, as every checked allocation does. */
void strbuf_add(StrBuf *b, const char *s, size_t n);
void strbuf_adds(StrBuf *b, const char *s);
/* Empty the text, keeping the memory. */
void strbuf_reset(StrBuf *b);
/* The text, "" when nothing was added. */
const char *strbuf_str(const StrBuf *b);
void strbuf_free(StrBuf *b);

#endif
