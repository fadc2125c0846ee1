#include "strbuf.h"

#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void strbuf_init_in(StrBuf *b, char *small, size_t cap)
{
    *b = (StrBuf){small, 0, cap, false};
    if (cap)
        small[0] = '\0';
}

void strbuf_add(StrBuf *b, const char *s, size_t n)
{
    if (n >= b->cap - b->len || !b->s) {
        size_t need = b->len + n + 1;
        if (need <= b->len) /* wrapped around: no such buffer */
            xalloc_failed();
        size_t cap = b->cap > 64 ? b->cap : 64;
        while (cap < need)
            cap = cap > SIZE_MAX / 2 ? need : cap * 2;
        if (b->s && !b->heap) {
            char *big = xmalloc(cap);
            memcpy(big, b->s, b->len + 1);
            b->s = big;
        } else {
            b->s = xrealloc(b->s, cap);
        }
        b->heap = true;
        b->cap = cap;
    }
    if (n)
        memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void strbuf_adds(StrBuf *b, const char *s) { strbuf_add(b, s, strlen(s)); }

void strbuf_reset(StrBuf *b)
{
    b->len = 0;
    if (b->s)
        b->s[0] = '\0';
}

const char *strbuf_str(const StrBuf *b) { return b->s ? b->s : ""; }

void strbuf_free(StrBuf *b)
{
    if (b->heap)
        free(b->s);
    *b = (StrBuf){0};
}
