/* encode.c - results in another encoding than UTF-8 (--output-encoding,
 * docs/output.md): a stream that converts what is written to it with iconv
 * and passes it on, so that every writer keeps writing UTF-8. */
#define _GNU_SOURCE /* fopencookie */
#include "output.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "lang/base/arena.h"

typedef struct Encoder {
    iconv_t cd;
    FILE *dst;
    char pending[8];  /* the start of a character cut by the end of a write */
    size_t npending;
} Encoder;

/* Convert in[0 .. n) to e->dst; what ends in an incomplete character is
 * kept for the next write, unless `last`.  Bytes iconv cannot convert are
 * written as '?'.  False when dst fails. */
static bool encoder_put(Encoder *e, const char *in, size_t n, bool last)
{
    char out[4096];
    char *ip = (char *)in;
    while (n > 0) {
        char *op = out;
        size_t room = sizeof out;
        size_t rc = iconv(e->cd, &ip, &n, &op, &room);
        int err = rc == (size_t)-1 ? errno : 0;
        if (op > out && fwrite(out, 1, (size_t)(op - out), e->dst) != (size_t)(op - out))
            return false;
        if (err == E2BIG)
            continue;
        if (err == EINVAL && !last && n < sizeof e->pending) {
            memcpy(e->pending, ip, n);
            e->npending = n;
            return true;
        }
        if (err == EILSEQ || err == EINVAL) {
            if (fputc('?', e->dst) == EOF)
                return false;
            ip++;
            n--;
        }
    }
    return true;
}

static ssize_t encoder_write(void *cookie, const char *buf, size_t size)
{
    Encoder *e = cookie;
    size_t used = 0;
    while (e->npending && used < size) { /* complete the character the last write cut */
        char joined[sizeof e->pending + 1];
        size_t k = e->npending;
        memcpy(joined, e->pending, k);
        joined[k++] = buf[used++];
        e->npending = 0;
        if (!encoder_put(e, joined, k, false))
            return -1;
    }
    if (!encoder_put(e, buf + used, size - used, false))
        return -1;
    return (ssize_t)size;
}

static int encoder_close(void *cookie)
{
    Encoder *e = cookie;
    bool ok = true;
    if (e->npending)
        ok = encoder_put(e, e->pending, e->npending, true);
    char out[64], *op = out;
    size_t room = sizeof out;
    iconv(e->cd, NULL, NULL, &op, &room); /* the shift back to the initial state, if any */
    if (op > out)
        ok = fwrite(out, 1, (size_t)(op - out), e->dst) == (size_t)(op - out) && ok;
    iconv_close(e->cd);
    free(e);
    return ok ? 0 : EOF;
}

FILE *output_encoder(FILE *dst, const char *encoding)
{
    iconv_t cd = iconv_open(encoding, "UTF-8");
    if (cd == (iconv_t)-1 && errno == ENOMEM)
        xalloc_failed();
    if (cd == (iconv_t)-1)
        return NULL;
    Encoder *e = xcalloc(1, sizeof *e);
    e->cd = cd;
    e->dst = dst;
    cookie_io_functions_t io = {NULL, encoder_write, NULL, encoder_close};
    FILE *f = fopencookie(e, "w", io);
    if (!f) {
        iconv_close(cd);
        free(e);
    }
    return f;
}
