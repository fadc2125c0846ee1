/* text.h - UTF-8 helpers: decoding, validation, display width, and the
 * normalisation that report cells and table labels go through. */
#ifndef TALLY_TEXT_H
#define TALLY_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Decode one code point at s (n bytes available).  Returns the byte length
 * (1..4) and stores the code point, or returns 0 for an invalid sequence. */
int utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Encode cp into buf (4 bytes); returns the length. */
int utf8_encode(uint32_t cp, char *buf);
/* Offset of the first invalid byte, or (size_t)-1 when s is valid UTF-8. */
size_t utf8_invalid_at(const char *s, size_t n);
/* Number of code points in s. */
size_t utf8_count(const char *s, size_t n);

/* Terminal columns of one code point: 2 for East Asian wide/fullwidth
 * characters, 0 for combining marks and controls, otherwise 1. */
int cp_width(uint32_t cp);
/* Terminal columns of a UTF-8 string (invalid bytes count as 1). */
size_t text_width(const char *s, size_t n);

/* Where to end the first line of s (n bytes) in `cols` columns: the byte
 * length of its longest prefix that fits and ends where a line may break -
 * at a space, or beside a wide (CJK) character, but never before closing
 * punctuation (，。）) or after opening (（“) - or, when no such place fits,
 * the longest prefix that fits (at least one character).  n when all of s
 * fits.  The next line starts after the spaces at the break. */
size_t text_wrap_at(const char *s, size_t n, size_t cols);

/* Map full-width ASCII forms (U+FF01..U+FF5E) to ASCII, U+3000 and other
 * spaces to ' ', '．' to '.', '％' to '%', '（）' to '()', and full-width
 * comma between digits to ','.  Result is NUL-terminated in a new heap
 * buffer (caller frees); *out_len gets its length. */
char *text_fold_width(const char *s, size_t n, size_t *out_len);
/* Trim ASCII and Unicode spaces (after folding) from both ends; returns a
 * pointer into s and sets *len. */
const char *text_trim(const char *s, size_t *len);
/* Is s[0..n) empty once trimmed (text_trim)?  Decided by its first byte
 * when no space starts with it (issue 16: two cells a row), else by
 * text_is_blank_trimmed. */
bool text_is_blank_trimmed(const char *s, size_t n);
static inline bool text_is_blank(const char *s, size_t n) {
    if (n) {
        unsigned c = (unsigned char)s[0];
        if (c > ' ' && c != 0xC2 && c != 0xE2 && c != 0xE3 && c != 0xEF) return false;
    }
    return text_is_blank_trimmed(s, n);
}
/* Are a[0..n) and b[0..n) the same bytes?  Inline, by words and (x86-64)
 * sixteen bytes at a time up to 32 bytes, memcmp beyond (issue 16: the
 * labels and ids of every row, a call of memcmp each). */
static inline bool text_same_bytes(const char *a, const char *b, size_t n) {
    if (n >= 8 && n <= 16) {
        uint64_t x, y, u, v;
        memcpy(&x, a, 8), memcpy(&y, b, 8);
        memcpy(&u, a + n - 8, 8), memcpy(&v, b + n - 8, 8);
        return ((x ^ y) | (u ^ v)) == 0;
    }
    if (n > 16) {
#ifdef __SSE2__
        if (n <= 32) {
            __m128i x = _mm_xor_si128(_mm_loadu_si128((const __m128i *)(const void *)a),
                                      _mm_loadu_si128((const __m128i *)(const void *)b));
            __m128i y =
                _mm_xor_si128(_mm_loadu_si128((const __m128i *)(const void *)(a + n - 16)),
                              _mm_loadu_si128((const __m128i *)(const void *)(b + n - 16)));
            return _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_or_si128(x, y), _mm_setzero_si128())) ==
                   0xFFFF;
        }
#endif
        return memcmp(a, b, n) == 0;
    }
    if (n >= 4) {
        uint32_t p, q, r, t;
        memcpy(&p, a, 4), memcpy(&q, b, 4);
        memcpy(&r, a + n - 4, 4), memcpy(&t, b + n - 4, 4);
        return ((p ^ q) | (r ^ t)) == 0;
    }
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i]) return false;
    return true;
}
/* memcpy(d, s, n) inline up to 32 bytes - two loads and two stores that
 * overlap, none outside either range - and memcpy beyond (issue 16: a
 * row's labels and cells, a call of memcpy each). */
static inline void text_copy_bytes(char *d, const char *s, size_t n) {
    if (n >= 8 && n <= 16) {
        uint64_t x, y;
        memcpy(&x, s, 8), memcpy(&y, s + n - 8, 8);
        memcpy(d, &x, 8), memcpy(d + n - 8, &y, 8);
        return;
    }
    if (n > 16) {
#ifdef __SSE2__
        if (n <= 32) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
            __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(s + n - 16));
            _mm_storeu_si128((__m128i *)(void *)d, x);
            _mm_storeu_si128((__m128i *)(void *)(d + n - 16), y);
            return;
        }
#endif
        memcpy(d, s, n);
        return;
    }
    if (n >= 4) {
        uint32_t x, y;
        memcpy(&x, s, 4), memcpy(&y, s + n - 4, 4);
        memcpy(d, &x, 4), memcpy(d + n - 4, &y, 4);
        return;
    }
    for (size_t i = 0; i < n; i++) d[i] = s[i];
}
/* Copy s without any white space (ASCII, U+3000, newlines): "社会\n效益" ->
 * "社会效益".  Heap buffer, caller frees. */
char *text_strip_space(const char *s, size_t n);
/* A label of a form as compared: white space removed, full-width forms
 * folded, one trailing ':' dropped ("年度指标值（A）" -> "年度指标值(A)").
 * Heap buffer, caller frees. */
char *text_label_norm(const char *s, size_t n);
/* Levenshtein distance between two UTF-8 strings, counted in code points;
 * stops early and returns limit+1 once the distance exceeds limit. */
size_t text_edit_distance(const char *a, const char *b, size_t limit);

#endif
