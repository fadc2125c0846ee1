/* dec.c - exact decimals: int64 coefficient, 0..18 decimal places.
 *
 * Every result is computed exactly in 128 bits first (|coef| <= 2^63 and
 * 10^18 < 2^60, so an aligned operand or a product always fits) and rounded
 * at most once, from that exact value.  docs/numbers.md explains the rules.
 */
#include "dec.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef __int128 i128;

static const int64_t POW10[DEC_MAX_SCALE + 1] = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
    10000000000, 100000000000, 1000000000000, 10000000000000, 100000000000000,
    1000000000000000, 10000000000000000, 100000000000000000, 1000000000000000000,
};

/* 10^e as a 128-bit integer, 0 <= e <= 38. */
static i128 pow10_128(int e)
{
    assert(e >= 0 && e <= 38);
    if (e <= DEC_MAX_SCALE)
        return POW10[e];
    i128 p = 1;
    for (; e > DEC_MAX_SCALE; e -= DEC_MAX_SCALE)
        p *= POW10[DEC_MAX_SCALE];
    return p * POW10[e];
}

static bool fits_int64(i128 c) { return c >= INT64_MIN && c <= INT64_MAX; }

static i128 abs128(i128 v) { return v < 0 ? -v : v; }

/* n / d rounded half away from zero; d != 0.  When both fit in 64 bits
 * (the usual case) the division is done in 64 bits: a 128-bit division is a
 * library call several times slower, and the quotient is the same. */
static i128 div_round(i128 n, i128 d)
{
    if (n > INT64_MIN && n <= INT64_MAX && d > INT64_MIN && d <= INT64_MAX) {
        int64_t n64 = (int64_t)n, d64 = (int64_t)d;
        int64_t q = n64 / d64, r = n64 % d64;
        int64_t ar = r < 0 ? -r : r, ad = d64 < 0 ? -d64 : d64;
        if (ar >= ad - ar) /* 2|r| >= |d|, without overflow */
            q += ((n64 < 0) != (d64 < 0)) ? -1 : 1;
        return q;
    }
    i128 q = n / d, r = n % d;
    if (2 * abs128(r) >= abs128(d))
        q += ((n < 0) != (d < 0)) ? -1 : 1;
    return q;
}

/* Store the exact value c * 10^-scale, dropping trailing zeros only when the
 * coefficient would not fit otherwise. */
static bool store_exact(i128 c, int scale, TlDec *out)
{
    while (!fits_int64(c) && scale > 0 && c % 10 == 0) {
        c /= 10;
        scale--;
    }
    if (!fits_int64(c))
        return false;
    *out = (TlDec){(int64_t)c, scale};
    return true;
}

TlDec dec_from_int(int64_t v) { return (TlDec){v, 0}; }

TlDec dec_make(int64_t coef, int scale)
{
    assert(scale >= 0 && scale <= DEC_MAX_SCALE);
    return (TlDec){coef, scale};
}

/* a's coefficient expressed at `scale` (>= a.scale); always fits in 128 bits. */
static i128 aligned(TlDec a, int scale) { return (i128)a.coef * pow10_128(scale - a.scale); }

static int max_scale(TlDec a, TlDec b) { return a.scale > b.scale ? a.scale : b.scale; }

/* a and b's coefficients at their larger scale, in 64 bits: false when one
 * does not fit (the 128-bit way then decides).  Points, amounts and rates
 * almost always fit, and most pairs have the same scale. */
static inline bool aligned64(TlDec a, TlDec b, int64_t *x, int64_t *y, int *scale)
{
    *x = a.coef;
    *y = b.coef;
    *scale = a.scale;
    if (a.scale == b.scale)
        return true;
    if (a.scale < b.scale) {
        *scale = b.scale;
        return !__builtin_mul_overflow(a.coef, POW10[b.scale - a.scale], x);
    }
    return !__builtin_mul_overflow(b.coef, POW10[a.scale - b.scale], y);
}

bool dec_add(TlDec a, TlDec b, TlDec *out)
{
    int64_t x, y, sum;
    int s;
    if (aligned64(a, b, &x, &y, &s) && !__builtin_add_overflow(x, y, &sum)) {
        *out = (TlDec){sum, s};
        return true;
    }
    s = max_scale(a, b);
    return store_exact(aligned(a, s) + aligned(b, s), s, out);
}

bool dec_sub(TlDec a, TlDec b, TlDec *out)
{
    int64_t x, y, diff;
    int s;
    if (aligned64(a, b, &x, &y, &s) && !__builtin_sub_overflow(x, y, &diff)) {
        *out = (TlDec){diff, s};
        return true;
    }
    s = max_scale(a, b);
    return store_exact(aligned(a, s) - aligned(b, s), s, out);
}

bool dec_mul(TlDec a, TlDec b, TlDec *out)
{
    i128 p = (i128)a.coef * b.coef;
    int s = a.scale + b.scale;
    for (int r = s > DEC_MAX_SCALE ? s - DEC_MAX_SCALE : 0; r <= s; r++) {
        i128 q = r ? div_round(p, pow10_128(r)) : p;
        if (fits_int64(q)) {
            *out = (TlDec){(int64_t)q, s - r};
            return true;
        }
    }
    return false;
}

bool dec_div(TlDec a, TlDec b, TlDec *out)
{
    if (b.coef == 0)
        return false;
    /* a/b * 10^t = a.coef * 10^(t - a.scale + b.scale) / b.coef */
    for (int t = DEC_DIV_SCALE; t >= 0; t--) {
        int k = t - a.scale + b.scale;
        i128 n = a.coef, d = b.coef;
        /* a.coef * 10^k beyond 2^127 means a quotient beyond 2^64: try fewer places. */
        if (k < 0)
            d *= pow10_128(-k);
        else if (__builtin_mul_overflow(n, pow10_128(k), &n))
            continue;
        i128 q = div_round(n, d);
        if (fits_int64(q)) {
            *out = (TlDec){(int64_t)q, t};
            return true;
        }
    }
    return false;
}

bool dec_neg(TlDec a, TlDec *out)
{
    if (a.coef == INT64_MIN)
        return false;
    *out = (TlDec){-a.coef, a.scale};
    return true;
}

TlDec dec_abs_unchecked(TlDec a)
{
    assert(a.coef != INT64_MIN);
    return a.coef < 0 ? (TlDec){-a.coef, a.scale} : a;
}

bool dec_shift(TlDec a, int exp10, TlDec *out)
{
    if (exp10 >= 0) {
        int drop = exp10 < a.scale ? exp10 : a.scale;
        long long up = (long long)exp10 - drop;
        int64_t c = a.coef;
        if (c != 0 && (up > DEC_MAX_SCALE ||
                       __builtin_mul_overflow(c, POW10[up], &c)))
            return false;
        *out = (TlDec){c, a.scale - drop};
        return true;
    }
    long long s = (long long)a.scale - exp10;
    if (s <= DEC_MAX_SCALE) {
        *out = (TlDec){a.coef, (int)s};
        return true;
    }
    long long r = s - DEC_MAX_SCALE;
    i128 q = r > 38 ? 0 : div_round(a.coef, pow10_128((int)r));
    *out = (TlDec){(int64_t)q, DEC_MAX_SCALE};
    return true;
}

int dec_cmp(TlDec a, TlDec b)
{
    int64_t x64, y64;
    int s;
    if (aligned64(a, b, &x64, &y64, &s))
        return (x64 > y64) - (x64 < y64);
    s = max_scale(a, b);
    i128 x = aligned(a, s), y = aligned(b, s);
    return (x > y) - (x < y);
}

bool dec_is_zero(TlDec a) { return a.coef == 0; }

int dec_sign(TlDec a) { return (a.coef > 0) - (a.coef < 0); }

/* Mode of reduce(): which way a discarded non-zero remainder moves the result. */
enum { ROUND_HALF_AWAY, ROUND_CEIL, ROUND_FLOOR };

/* a reduced to `places` decimals (clamped to 0..18); unchanged if already fewer. */
static TlDec reduce(TlDec a, int places, int mode)
{
    if (places < 0)
        places = 0;
    if (places >= a.scale)
        return a;
    int64_t d = POW10[a.scale - places];
    int64_t q = a.coef / d, r = a.coef % d;
    switch (mode) {
    case ROUND_HALF_AWAY:
        if (r >= d - r) q++;
        else if (-r >= d + r) q--;
        break;
    case ROUND_CEIL:
        if (r > 0) q++;
        break;
    case ROUND_FLOOR:
        if (r < 0) q--;
        break;
    }
    return (TlDec){q, places};
}

TlDec dec_round(TlDec a, int places) { return reduce(a, places, ROUND_HALF_AWAY); }
TlDec dec_ceil(TlDec a, int places) { return reduce(a, places, ROUND_CEIL); }
TlDec dec_floor(TlDec a, int places) { return reduce(a, places, ROUND_FLOOR); }

TlDec dec_normalize(TlDec a)
{
    if (a.coef == 0)
        return (TlDec){0, 0};
    while (a.scale > 0 && a.coef % 10 == 0) {
        a.coef /= 10;
        a.scale--;
    }
    return a;
}

/* Grammar: [+-]? [0-9]+ ( '.' [0-9]+ )?  -- ".5", "5." and "" are rejected. */
bool dec_parse(const char *s, size_t n, TlDec *out)
{
    size_t i = 0;
    bool neg = false;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t m = 0;
    int scale = 0;
    bool in_fraction = false;
    size_t digits = 0;
    for (; i < n; i++) {
        char c = s[i];
        if (c == '.' && !in_fraction && digits > 0) {
            in_fraction = true;
            digits = 0;
            continue;
        }
        if (c < '0' || c > '9')
            return false;
        unsigned d = (unsigned)(c - '0');
        if (m > (limit - d) / 10)
            return false;
        m = m * 10 + d;
        digits++;
        if (in_fraction && ++scale > DEC_MAX_SCALE)
            return false;
    }
    if (digits == 0)
        return false;
    if (m > (uint64_t)INT64_MAX)
        *out = (TlDec){INT64_MIN, scale};
    else
        *out = (TlDec){neg ? -(int64_t)m : (int64_t)m, scale};
    return true;
}

static const char DIGIT_PAIRS[201] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                      "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                      "8081828384858687888990919293949596979899";

char *dec_digits_back(uint64_t m, char *end)
{
    /* two digits a division (issue 16: every number written goes here) */
    while (m >= 100) {
        unsigned r = (unsigned)(m % 100);
        m /= 100;
        end -= 2;
        memcpy(end, DIGIT_PAIRS + 2 * r, 2);
    }
    if (m >= 10) {
        end -= 2;
        memcpy(end, DIGIT_PAIRS + 2 * m, 2);
    } else {
        *--end = (char)('0' + m);
    }
    return end;
}

int dec_digit_count(uint64_t m)
{
    int n = 1;
    for (uint64_t p = 10; n < 20 && m >= p; p *= 10)
        n++;
    return n;
}

int dec_format(TlDec a, char *buf)
{
    /* written from the end backwards, straight into buf: the fraction's
     * digits (zeros once m runs out), the point, the integer's digits */
    uint64_t m = a.coef < 0 ? (uint64_t)-(a.coef + 1) + 1 : (uint64_t)a.coef;
    int nd = dec_digit_count(m), s = a.scale;
    int len = (a.coef < 0) + (nd > s ? nd : s + 1) + (s > 0);
    char *p = buf + len;
    *p = '\0';
    if (s > 0) {
        for (int i = 0; i < s; i++) {
            *--p = (char)('0' + m % 10);
            m /= 10;
        }
        *--p = '.';
    }
    p = dec_digits_back(m, p);
    if (a.coef < 0)
        *--p = '-';
    return len;
}

int dec_format_trim(TlDec a, int places, char *buf)
{
    /* trailing zeros trimmed from the text: what dec_normalize() would
     * drop, without a division per zero */
    TlDec r = dec_round(a, places);
    int n = dec_format(r, buf);
    if (r.scale > 0) {
        while (buf[n - 1] == '0')
            n--;
        if (buf[n - 1] == '.')
            n--;
        buf[n] = '\0';
    }
    return n;
}

/* Exponent notation keeps strtod independent of the locale's decimal point. */
double dec_to_double(TlDec a)
{
    char buf[DEC_BUF];
    snprintf(buf, sizeof buf, "%" PRId64 "e-%d", a.coef, (int)a.scale);
    return strtod(buf, NULL);
}
