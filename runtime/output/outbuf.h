/* outbuf.h - a report's output built in memory and handed to its stream in
 * large writes (internal to runtime/output/).
 *
 * A writer that called stdio for every field spent a fifth of a CSV run in
 * fwrite and putc (issue 16).  An OutBuf is a caller's array (on the stack:
 * one report's lines) filled with plain stores and written to the stream
 * with one fwrite when full and when the report is done.  A failed write
 * is the stream's error (ferror), checked where the results are closed, as
 * for any other write. */
#ifndef TALLY_OUTBUF_H
#define TALLY_OUTBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* Room every OutBuf keeps: what the writers ask for at once (a number, a
 * place) fits in it, and a buffer is at least twice as large. */
#define OUTBUF_RESERVE 1024
#define OUTBUF_STACK 16384 /* the arrays the writers give an OutBuf */

typedef struct OutBuf {
    char *p;     /* the next byte */
    char *end;   /* the end of the array */
    char *start; /* the array: [start, p) is not written out yet */
    FILE *f;
} OutBuf;

/* An empty buffer over the caller's array mem (size >= 2 * OUTBUF_RESERVE)
 * writing to f. */
void outbuf_init(OutBuf *b, FILE *f, char *mem, size_t size);
/* Write what is buffered to the stream (an error stays in ferror(f)). */
void outbuf_flush(OutBuf *b);
/* n bytes written as they are, buffered or (large ones) straight through. */
void outbuf_write_slow(OutBuf *b, const char *s, size_t n);

/* At least n (<= OUTBUF_RESERVE) bytes of room at b->p. */
static inline char *outbuf_room(OutBuf *b, size_t n)
{
    if ((size_t)(b->end - b->p) < n)
        outbuf_flush(b);
    return b->p;
}

static inline void outbuf_write(OutBuf *b, const char *s, size_t n)
{
    if ((size_t)(b->end - b->p) >= n) {
        memcpy(b->p, s, n);
        b->p += n;
    } else {
        outbuf_write_slow(b, s, n);
    }
}

static inline void outbuf_puts(OutBuf *b, const char *s) { outbuf_write(b, s, strlen(s)); }

static inline void outbuf_byte(OutBuf *b, char c)
{
    if (b->p == b->end)
        outbuf_flush(b);
    *b->p++ = c;
}

/* An int in decimal, without printf. */
void outbuf_int(OutBuf *b, long long v);

/* A CSV field of n bytes at s that holds no comma, quote, CR or LF, copied
 * as it is: true; else false and nothing written.  The bytes are scanned
 * and copied in one pass (16 at a time with SSE2). */
bool outbuf_csv_plain(OutBuf *b, const char *s, size_t n);

/* The n bytes at s as the inside of a JSON string when none needs an
 * escape (a quote, a backslash, a control character): true; else false
 * and nothing written.  One pass, as outbuf_csv_plain.  The caller has
 * checked s is valid UTF-8. */
bool outbuf_json_plain(OutBuf *b, const char *s, size_t n);

#endif
