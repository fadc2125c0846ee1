/* text.c - UTF-8 decoding, display width and cell-text normalisation.
 * Tables live here: nothing depends on the C locale or wcwidth(). */
#include "text.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"

int utf8_decode(const char *s, size_t n, uint32_t *cp) {
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0) return 0;
    unsigned c = u[0];
    int len;
    uint32_t v, min;
    if (c < 0x80) { *cp = c; return 1; }
    else if (c >= 0xC2 && c <= 0xDF) { len = 2; v = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; v = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; v = c & 0x07; min = 0x10000; }
    else return 0;
    if (n < (size_t)len) return 0;
    for (int i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (u[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return len;
}

/* Code points that cannot be encoded become U+FFFD. */
int utf8_encode(uint32_t cp, char *buf) {
    unsigned char *b = (unsigned char *)buf;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) { b[0] = (unsigned char)cp; return 1; }
    if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | (cp >> 6));
        b[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (cp >> 12));
        b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    b[0] = (unsigned char)(0xF0 | (cp >> 18));
    b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    b[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* The check from u[i], a character's first byte, to u[n).  Fast paths
 * (issue 16: whole data files are checked): ASCII eight bytes at a time,
 * once a run of it starts; three-byte characters (CJK) inline, both
 * continuation bytes tested at once; anything else as utf8_decode()
 * decides, which is the definition. */
static size_t invalid_from(const unsigned char *u, size_t i, size_t n) {
    uint32_t cp;
    while (i < n) {
        unsigned c = u[i];
        if (c < 0x80) {
            i++;
            if (i + 8 <= n && !(u[i] & 0x80))
                while (i + 8 <= n) {
                    uint64_t w;
                    memcpy(&w, u + i, 8);
                    if (w & 0x8080808080808080ull) break;
                    i += 8;
                }
            continue;
        }
        if (c - 0xE1u <= 0xEC - 0xE1u && i + 2 < n) {
            uint16_t t;
            memcpy(&t, u + i + 1, 2);
            if ((t & 0xC0C0) == 0x8080) {
                i += 3; /* E1..EC: always in range, never a surrogate */
                continue;
            }
        }
        int k = utf8_decode((const char *)u + i, n - i, &cp);
        if (k == 0) return i;
        i += (size_t)k;
    }
    return (size_t)-1;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define TEXT_AVX2 1

/* Where the scalar check may resume at u[at] when u[0..at) is valid UTF-8
 * but for a character it may cut: the first byte of the last character
 * that starts at most three bytes before (a byte that is no continuation
 * byte starts a character in valid text). */
static size_t char_start_before(const unsigned char *u, size_t at) {
    size_t p = at < 3 ? 0 : at - 3;
    while (p < at && (u[p] & 0xC0) == 0x80) p++;
    return p;
}

#define V32(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p)                                    \
    _mm256_setr_epi8((char)(a), (char)(b), (char)(c), (char)(d), (char)(e), (char)(f), (char)(g), \
                     (char)(h), (char)(i), (char)(j), (char)(k), (char)(l), (char)(m), (char)(n), \
                     (char)(o), (char)(p), (char)(a), (char)(b), (char)(c), (char)(d), (char)(e), \
                     (char)(f), (char)(g), (char)(h), (char)(i), (char)(j), (char)(k), (char)(l), \
                     (char)(m), (char)(n), (char)(o), (char)(p))

/* 32 bytes at a time with AVX2 (issue 16: the window's check was 7% of a
 * run): each byte is classified with the one before it by three nibble
 * look-ups (the "lookup" algorithm of Keiser and Lemire, "Validating UTF-8
 * in less than one instruction per byte", 2021), and the bytes two and
 * three after a lead of three and four bytes must be continuation bytes.
 * The blocks only say whether a fault is in or just before them: this
 * returns where invalid_from() must go on, which finds where the fault is
 * and checks the last bytes, so the answer is the scalar one by
 * construction (tests/unit/test_text.c compares them on random texts). */
__attribute__((target("avx2"))) static size_t valid_prefix_avx2(const unsigned char *u, size_t n) {
    enum {
        SHORT = 1 << 0,      /* a lead, then no continuation byte */
        LONG = 1 << 1,       /* ASCII, then a continuation byte */
        OVER3 = 1 << 2,      /* E0 80..9F */
        LARGE = 1 << 3,      /* F4 90..BF, F5..FF 90..BF */
        SURR = 1 << 4,       /* ED A0..BF */
        OVER2 = 1 << 5,      /* C0, C1 */
        LARGE80 = 1 << 6,    /* F5..FF 80..8F; F0 80..8F (overlong) */
        TWOCONT = 1 << 7,    /* a continuation byte after one: fine only
                                as a third or fourth byte */
    };
    enum { CARRY = SHORT | LONG | TWOCONT };
    const __m256i hi1 = V32(LONG, LONG, LONG, LONG, LONG, LONG, LONG, LONG, TWOCONT, TWOCONT,
                            TWOCONT, TWOCONT, SHORT | OVER2, SHORT, SHORT | OVER3 | SURR,
                            SHORT | LARGE | LARGE80);
    const __m256i lo1 =
        V32(CARRY | OVER3 | OVER2 | LARGE80, CARRY | OVER2, CARRY, CARRY, CARRY | LARGE,
            CARRY | LARGE | LARGE80, CARRY | LARGE | LARGE80, CARRY | LARGE | LARGE80,
            CARRY | LARGE | LARGE80, CARRY | LARGE | LARGE80, CARRY | LARGE | LARGE80,
            CARRY | LARGE | LARGE80, CARRY | LARGE | LARGE80, CARRY | LARGE | LARGE80 | SURR,
            CARRY | LARGE | LARGE80, CARRY | LARGE | LARGE80);
    const __m256i hi2 = V32(SHORT, SHORT, SHORT, SHORT, SHORT, SHORT, SHORT, SHORT,
                            LONG | OVER2 | TWOCONT | OVER3 | LARGE80,
                            LONG | OVER2 | TWOCONT | OVER3 | LARGE,
                            LONG | OVER2 | TWOCONT | SURR | LARGE,
                            LONG | OVER2 | TWOCONT | SURR | LARGE, SHORT, SHORT, SHORT, SHORT);
    const __m256i nib = _mm256_set1_epi8(0x0F), high = _mm256_set1_epi8((char)0x80);
    const __m256i third = _mm256_set1_epi8((char)(0xE0 - 0x80)),
                  fourth = _mm256_set1_epi8((char)(0xF0 - 0x80));
    /* the last three bytes of a block may start a character it cuts */
    const __m256i cut = _mm256_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                         -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                         -1, (char)(0xF0 - 1), (char)(0xE0 - 1), (char)(0xC0 - 1));
    __m256i prev = _mm256_setzero_si256(), incomplete = _mm256_setzero_si256();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m256i in = _mm256_loadu_si256((const __m256i *)(const void *)(u + i)), err;
        if (!_mm256_movemask_epi8(in)) {
            err = incomplete;
            incomplete = _mm256_setzero_si256();
        } else {
            /* the 32 bytes before each byte's position: prev's high lane, in's low */
            __m256i before = _mm256_permute2x128_si256(prev, in, 0x21);
            __m256i p1 = _mm256_alignr_epi8(in, before, 15);
            __m256i p2 = _mm256_alignr_epi8(in, before, 14);
            __m256i p3 = _mm256_alignr_epi8(in, before, 13);
            __m256i special = _mm256_and_si256(
                _mm256_and_si256(
                    _mm256_shuffle_epi8(hi1, _mm256_and_si256(_mm256_srli_epi16(p1, 4), nib)),
                    _mm256_shuffle_epi8(lo1, _mm256_and_si256(p1, nib))),
                _mm256_shuffle_epi8(hi2, _mm256_and_si256(_mm256_srli_epi16(in, 4), nib)));
            __m256i must23 = _mm256_and_si256(
                _mm256_or_si256(_mm256_subs_epu8(p2, third), _mm256_subs_epu8(p3, fourth)), high);
            err = _mm256_xor_si256(must23, special);
            incomplete = _mm256_subs_epu8(in, cut);
        }
        prev = in;
        if (!_mm256_testz_si256(err, err))
            break;
    }
    /* the scalar code after this is SSE: leave no dirty upper halves (GCC
     * put no vzeroupper before its tail call, and SSE code ran 2x slower) */
    _mm256_zeroupper();
    return char_start_before(u, i);
}
#endif

size_t utf8_invalid_at(const char *s, size_t n) {
    const unsigned char *u = (const unsigned char *)s;
#ifdef TEXT_AVX2
    static int avx2 = -1; /* races only to store the same answer */
    if (n >= 64) {
        int have = __atomic_load_n(&avx2, __ATOMIC_RELAXED);
        if (have < 0) {
            __builtin_cpu_init();
            have = __builtin_cpu_supports("avx2") ? 1 : 0;
            __atomic_store_n(&avx2, have, __ATOMIC_RELAXED);
        }
        if (have) return invalid_from(u, valid_prefix_avx2(u, n), n);
    }
#endif
    return invalid_from(u, 0, n);
}

/* Invalid bytes count as one code point each. */
size_t utf8_count(const char *s, size_t n) {
    size_t count = 0;
    uint32_t cp;
    for (size_t i = 0; i < n; count++) {
        int k = utf8_decode(s + i, n - i, &cp);
        i += k ? (size_t)k : 1;
    }
    return count;
}

/* Width tables --------------------------------------------------------- */

typedef struct Range { uint32_t lo, hi; } Range;

static const Range zero_width[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A},
    {0x064B, 0x065F}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F},
    {0x202A, 0x202E}, {0x2060, 0x2064}, {0x20D0, 0x20FF}, {0x302A, 0x302D},
    {0x3099, 0x309A}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF},
    {0xE0100, 0xE01EF},
};

static const Range wide[] = {
    {0x1100, 0x115F}, {0x2E80, 0x303E}, {0x3040, 0xA4CF}, {0xAC00, 0xD7A3},
    {0xF900, 0xFAFF}, {0xFE30, 0xFE4F}, {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6},
    {0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF}, {0x20000, 0x3FFFD},
};

static bool in_ranges(uint32_t cp, const Range *r, size_t n) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < r[mid].lo) hi = mid;
        else if (cp > r[mid].hi) lo = mid + 1;
        else return true;
    }
    return false;
}

int cp_width(uint32_t cp) {
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return 0;
    if (cp < 0x300) return 1;
    if (cp - 0x4000u <= 0x9FFFu - 0x4000u) return 2; /* ideographs, the common case */
    if (in_ranges(cp, zero_width, sizeof zero_width / sizeof *zero_width)) return 0;
    if (in_ranges(cp, wide, sizeof wide / sizeof *wide)) return 2;
    return 1;
}

size_t text_width(const char *s, size_t n) {
    size_t w = 0;
    uint32_t cp;
    for (size_t i = 0; i < n;) {
        int k = utf8_decode(s + i, n - i, &cp);
        if (k == 0) { w++; i++; continue; }
        w += (size_t)cp_width(cp);
        i += (size_t)k;
    }
    return w;
}

/* Normalisation -------------------------------------------------------- */

/* Spaces other than ASCII ones that folding maps to ' ' and trimming drops. */
static bool is_unicode_space(uint32_t cp) {
    return cp == 0x00A0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200B) ||
           cp == 0x202F || cp == 0x205F || cp == 0xFEFF;
}

static bool is_space_cp(uint32_t cp) {
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' ||
           cp == '\f' || is_unicode_space(cp);
}

/* Is the code point at s[i..n) an ASCII or full-width digit? */
static bool digit_at(const char *s, size_t n, size_t i) {
    uint32_t cp;
    if (i >= n || utf8_decode(s + i, n - i, &cp) == 0) return false;
    return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
}

char *text_fold_width(const char *s, size_t n, size_t *out_len) {
    char *out = xmalloc(n + 1);   /* folding never lengthens the text */
    size_t o = 0;
    uint32_t cp;
    for (size_t i = 0; i < n;) {
        int k = utf8_decode(s + i, n - i, &cp);
        if (k == 0) { out[o++] = s[i++]; continue; }
        if (cp == 0xFF0C) {
            bool between = o > 0 && out[o - 1] >= '0' && out[o - 1] <= '9' &&
                           digit_at(s, n, i + (size_t)k);
            if (between) out[o++] = ',';
            else { memcpy(out + o, s + i, (size_t)k); o += (size_t)k; }
        } else if (cp >= 0xFF01 && cp <= 0xFF5E) {
            out[o++] = (char)(cp - 0xFEE0);
        } else if (is_unicode_space(cp)) {
            out[o++] = ' ';
        } else {
            memcpy(out + o, s + i, (size_t)k);
            o += (size_t)k;
        }
        i += (size_t)k;
    }
    out[o] = '\0';
    if (out_len) *out_len = o;
    return out;
}

/* Can the byte start a space (ASCII, or the lead byte of U+00A0, U+2000..,
 * U+3000, U+FEFF)? */
static bool may_start_space(unsigned char c) {
    return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xC2 || c == 0xE2 || c == 0xE3 || c == 0xEF;
}

/* Could s[0..n) (n > 0) start with a space: its first bytes as is_space_cp's
 * code points begin in UTF-8 (C2 A0; E2 80, E2 81; E3 80; EF BB)? */
static bool may_open_space(const unsigned char *s, size_t n) {
    unsigned c = s[0], d = n > 1 ? s[1] : 0;
    if (c < 0x80) return may_start_space((unsigned char)c);
    return (c == 0xC2 && d == 0xA0) || (c == 0xE2 && (d == 0x80 || d == 0x81)) ||
           (c == 0xE3 && d == 0x80) || (c == 0xEF && d == 0xBB);
}

/* Could s[0..n) (n > 0) end with a space: an ASCII space, or the last
 * bytes of one of is_unicode_space's code points (C2 A0; E2 80 80..8B,
 * E2 80 AF, E2 81 9F; E3 80 80; EF BB BF)?  Exact in its bytes, so that
 * text ending in CJK whose last byte is 80..8B (one character in five)
 * takes the fast path too (issue 16). */
static bool may_close_space(const unsigned char *s, size_t n) {
    unsigned c = s[n - 1];
    if (c < 0x80) return may_start_space((unsigned char)c);
    if (n >= 2 && s[n - 2] == 0xC2 && c == 0xA0) return true;
    if (n < 3) return false;
    unsigned a = s[n - 3], b = s[n - 2];
    return (a == 0xE2 && ((b == 0x80 && (c <= 0x8B || c == 0xAF)) || (b == 0x81 && c == 0x9F))) ||
           (a == 0xE3 && b == 0x80 && c == 0x80) || (a == 0xEF && b == 0xBB && c == 0xBF);
}

const char *text_trim(const char *s, size_t *len) {
    size_t n = *len, b = 0;
    uint32_t cp;
    /* fast path: neither end is a space, nor could be (issue 16: CJK at
     * either end, and signs such as "≥", decided by their bytes) */
    if (n == 0 || (!may_open_space((const unsigned char *)s, n) &&
                   !may_close_space((const unsigned char *)s, n)))
        return s;
    while (b < n) {
        int k = utf8_decode(s + b, n - b, &cp);
        if (k == 0 || !is_space_cp(cp)) break;
        b += (size_t)k;
    }
    while (n > b) {
        /* step back to the start of the last code point */
        size_t p = n - 1;
        while (p > b && n - p < 4 && ((unsigned char)s[p] & 0xC0) == 0x80) p--;
        int k = utf8_decode(s + p, n - p, &cp);
        if (k == 0 || (size_t)k != n - p || !is_space_cp(cp)) break;
        n = p;
    }
    *len = n - b;
    return s + b;
}

bool text_is_blank_trimmed(const char *s, size_t n) {
    text_trim(s, &n);
    return n == 0;
}

char *text_strip_space(const char *s, size_t n) {
    char *out = xmalloc(n + 1);
    size_t o = 0;
    uint32_t cp;
    for (size_t i = 0; i < n;) {
        int k = utf8_decode(s + i, n - i, &cp);
        if (k == 0) { out[o++] = s[i++]; continue; }
        if (!is_space_cp(cp)) { memcpy(out + o, s + i, (size_t)k); o += (size_t)k; }
        i += (size_t)k;
    }
    out[o] = '\0';
    return out;
}

/* Code points of s into a new array; invalid bytes become distinct
 * values above U+10FFFF so they only match themselves. */
static uint32_t *decode_all(const char *s, size_t *count) {
    size_t n = strlen(s), c = 0;
    uint32_t *cps = xmalloc((n + 1) * sizeof *cps), cp;
    for (size_t i = 0; i < n; c++) {
        int k = utf8_decode(s + i, n - i, &cp);
        if (k == 0) { cps[c] = 0x110000u + (unsigned char)s[i]; i++; }
        else { cps[c] = cp; i += (size_t)k; }
    }
    *count = c;
    return cps;
}

/* Two-row Levenshtein over code points a[0..la) and b[0..lb); returns over
 * as soon as a whole row exceeds limit. */
static size_t levenshtein(const uint32_t *ca, size_t la, const uint32_t *cb, size_t lb,
                          size_t limit, size_t over) {
    size_t *prev = xmalloc((lb + 1) * sizeof *prev);
    size_t *cur = xmalloc((lb + 1) * sizeof *cur);
    bool cut = false;
    for (size_t j = 0; j <= lb; j++) prev[j] = j;
    for (size_t i = 1; i <= la && !cut; i++) {
        cur[0] = i;
        size_t row_min = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t d = prev[j - 1] + (ca[i - 1] != cb[j - 1]);
            if (prev[j] + 1 < d) d = prev[j] + 1;
            if (cur[j - 1] + 1 < d) d = cur[j - 1] + 1;
            cur[j] = d;
            if (d < row_min) row_min = d;
        }
        cut = row_min > limit;
        size_t *t = prev; prev = cur; cur = t;
    }
    size_t result = cut || prev[lb] > limit ? over : prev[lb];
    free(prev);
    free(cur);
    return result;
}

size_t text_edit_distance(const char *a, const char *b, size_t limit) {
    size_t la, lb;
    size_t over = limit == (size_t)-1 ? limit : limit + 1;
    uint32_t *ca = decode_all(a, &la), *cb = decode_all(b, &lb);
    size_t result = (la > lb ? la - lb : lb - la) > limit
                        ? over : levenshtein(ca, la, cb, lb, limit, over);
    free(ca);
    free(cb);
    return result;
}

char *text_label_norm(const char *s, size_t n)
{
    size_t flen;
    char *folded = text_fold_width(s, n, &flen);
    char *t = text_strip_space(folded, flen);
    free(folded);
    size_t len = strlen(t);
    if (len >= 1 && t[len - 1] == ':')
        t[len - 1] = 0;
    return t;
}

/* Punctuation a line may not start with, or end with. */
static bool no_line_start(uint32_t cp)
{
    /* ASCII and the ideographs decided at once (issue 16: every character
     * of every finding the text format wraps) */
    if (cp < 0x80)
        return cp == ',' || cp == '.' || cp == ')' || cp == ';' || cp == ':' || cp == ']' || cp == '%' ||
               cp == '!' || cp == '?';
    if (cp - 0x3400u < 0xFF00u - 0x3400u)
        return false;
    static const uint32_t closing[] = {0xFF0C, 0x3002, 0xFF09, 0xFF1B, 0xFF1A, 0x3001, 0x201D,
                                       0x2019, 0x300D, 0x300F, 0x3011, 0xFF01, 0xFF1F, 0x2026,
                                       0xFF05, ',', '.', ')', ';', ':', ']', '%', '!', '?'};
    for (size_t i = 0; i < sizeof closing / sizeof *closing; i++)
        if (cp == closing[i])
            return true;
    return false;
}

static bool no_line_end(uint32_t cp)
{
    return cp == 0xFF08 || cp == 0x201C || cp == 0x2018 || cp == 0x300C || cp == 0x300E ||
           cp == 0x3010 || cp == '(' || cp == '[';
}

/* Part of a number or a word that a line break should not split from the
 * Chinese beside it ("10分", "11458.23万元"). */
static bool wordlike(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
           cp == '.' || cp == '%' || cp == '_';
}

/* pw and cw: whether prev and cp take two columns (cp_width). */
static bool may_break(uint32_t prev, bool pw, uint32_t cp, bool cw)
{
    if (no_line_start(cp) || no_line_end(prev))
        return false;
    if (cp == ' ' || prev == ' ')
        return true;
    bool wp = pw, wc = cw;
    return (wp && wc) || (wp && !wordlike(cp)) || (wc && !wordlike(prev));
}

size_t text_wrap_at(const char *s, size_t n, size_t cols)
{
    size_t i = 0, w = 0, best = 0;
    uint32_t prev = 0;
    bool prev_wide = false; /* each character's width found once */
    while (i < n) {
        uint32_t cp;
        int k = utf8_decode(s + i, n - i, &cp);
        if (k == 0) {
            k = 1;
            cp = 0xFFFD;
        }
        int width = cp_width(cp), cw = cp < 0x20 ? 1 : width;
        /* A break before this character? */
        if (i > 0 && may_break(prev, prev_wide, cp, width == 2))
            best = i;
        if (cp != ' ' && w + (size_t)cw > cols)
            return best > 0 ? best : i > 0 ? i : (size_t)k;
        w += (size_t)cw;
        i += (size_t)k;
        prev = cp;
        prev_wide = width == 2;
    }
    return n;
}
