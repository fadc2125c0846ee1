/* text.h - UTF-8 helpers: decoding, validation, display width, and the
 * normalisation that report cells and table labels go through. */
#ifndef TALLY_TEXT_H
#define TALLY_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
