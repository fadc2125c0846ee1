/* outbuf.c - a report's output built in memory, written in large pieces
 * (outbuf.h). */
#include "outbuf.h"

#include <stdint.h>

#include "lang/base/dec.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

void outbuf_init(OutBuf *b, FILE *f, char *mem, size_t size)
{
    b->start = b->p = mem;
    b->end = mem + size;
    b->f = f;
}

void outbuf_flush(OutBuf *b)
{
    if (b->p > b->start)
        fwrite_unlocked(b->start, 1, (size_t)(b->p - b->start), b->f);
    b->p = b->start;
}

void outbuf_write_slow(OutBuf *b, const char *s, size_t n)
{
    outbuf_flush(b);
    if (n <= (size_t)(b->end - b->p)) {
        memcpy(b->p, s, n);
        b->p += n;
    } else {
        fwrite_unlocked(s, 1, n, b->f);
    }
}

void outbuf_int(OutBuf *b, long long v)
{
    char digits[24], *end = digits + sizeof digits;
    const char *d = dec_digits_back(v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, end);
    char *p = outbuf_room(b, 24);
    if (v < 0)
        *p++ = '-';
    memcpy(p, d, (size_t)(end - d));
    b->p = p + (end - d);
}

/* The bytes that make a CSV field need quotes. */
static const unsigned char csv_stop[256] = {[','] = 1, ['"'] = 1, ['\r'] = 1, ['\n'] = 1};

/* The bytes a JSON string escapes. */
static const unsigned char json_stop[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x00 - 0x0F */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x10 - 0x1F */
    ['"'] = 1, ['\\'] = 1};

static bool plain_scan(const unsigned char *stop, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (stop[(unsigned char)s[i]])
            return false;
    return true;
}

#if defined(__SSE2__)
/* A mask of the bytes of v that need quotes. */
static inline int stops16(__m128i v)
{
    __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')),
                                          _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))),
                             _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')),
                                          _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))));
    return _mm_movemask_epi8(m);
}

/* A mask of the bytes of v that a JSON string escapes. */
static inline int json_stops16(__m128i v)
{
    __m128i ctl = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1F)), _mm_set1_epi8(0x1F));
    __m128i m = _mm_or_si128(ctl, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                               _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
    return _mm_movemask_epi8(m);
}
#endif

/* Copy the n bytes at s when none needs quoting in CSV (json: escaping in
 * JSON): true; else false, b->p unmoved. */
static inline bool plain_copy(OutBuf *b, const char *s, size_t n, bool json)
{
    const unsigned char *stop = json ? json_stop : csv_stop;
    if ((size_t)(b->end - b->p) < n) {
        outbuf_flush(b);
        if ((size_t)(b->end - b->p) < n) { /* larger than the buffer: straight through */
            if (!plain_scan(stop, s, n))
                return false;
            fwrite_unlocked(s, 1, n, b->f);
            return true;
        }
    }
    char *d = b->p;
#if defined(__SSE2__)
    /* 16 bytes loaded, stored and tested at a time; the last block overlaps
     * the one before it, so nothing is read or written outside s[0, n) and
     * d[0, n) */
    if (n >= 16) {
        size_t i = 0;
        for (; i + 16 <= n; i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            _mm_storeu_si128((__m128i *)(void *)(d + i), v);
            if (json ? json_stops16(v) : stops16(v))
                return false;
        }
        if (i < n) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + n - 16));
            _mm_storeu_si128((__m128i *)(void *)(d + n - 16), v);
            if (json ? json_stops16(v) : stops16(v))
                return false;
        }
        b->p = d + n;
        return true;
    }
#endif
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (stop[c])
            return false;
        d[i] = (char)c;
    }
    b->p = d + n;
    return true;
}

bool outbuf_csv_plain(OutBuf *b, const char *s, size_t n) { return plain_copy(b, s, n, false); }

bool outbuf_json_plain(OutBuf *b, const char *s, size_t n) { return plain_copy(b, s, n, true); }
