/* memstream.c - a FILE that writes into memory and never loses a byte
 * (memstream.h): fopencookie over a buffer grown with xrealloc. */
#define _GNU_SOURCE /* fopencookie */
#include "memstream.h"

#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "arena.h"

typedef struct MemStream {
    char **buf;
    size_t *len;
    size_t cap;
} MemStream;

static ssize_t ms_write(void *cookie, const char *data, size_t n)
{
    MemStream *m = cookie;
    if (*m->len + n + 1 > m->cap) {
        size_t cap = m->cap ? m->cap : 4096;
        while (cap < *m->len + n + 1)
            cap *= 2;
        *m->buf = xrealloc(*m->buf, cap); /* never a short write */
        m->cap = cap;
    }
    memcpy(*m->buf + *m->len, data, n);
    *m->len += n;
    (*m->buf)[*m->len] = 0;
    return (ssize_t)n;
}

static int ms_close(void *cookie)
{
    free(cookie);
    return 0;
}

FILE *memstream_open(char **buf, size_t *len)
{
    MemStream *m = xcalloc(1, sizeof *m);
    m->buf = buf;
    m->len = len;
    *len = 0;
    *buf = xmalloc(1);
    **buf = 0;
    m->cap = 1;
    cookie_io_functions_t io = {NULL, ms_write, NULL, ms_close};
    FILE *f = fopencookie(m, "w", io);
    if (!f)
        xalloc_failed();
    return f;
}
