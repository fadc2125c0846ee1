/* dec.h - exact decimal numbers.
 *
 * A TlDec is coef * 10^-scale with a signed 64-bit coefficient and
 * 0 <= scale <= DEC_MAX_SCALE.  Addition, subtraction and comparison are
 * exact at the precision written (0.1 + 0.2 == 0.3).  Multiplication is exact
 * when the result fits; otherwise its scale is reduced, rounding half away
 * from zero.  Division yields DEC_DIV_SCALE decimal places, fewer when the
 * integer part is too large for them, rounding half away from zero.  Every
 * operation that cannot represent its result returns false (overflow); no
 * operation ever returns a wrong number.
 *
 * The same functions are called by the interpreter and by JIT-compiled code,
 * so both engines agree bit for bit.
 */
#ifndef TALLY_DEC_H
#define TALLY_DEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DEC_MAX_SCALE 18
#define DEC_DIV_SCALE 10

typedef struct TlDec {
    int64_t coef;
    int32_t scale;
} TlDec;

TlDec dec_from_int(int64_t v);
/* Exact value of coef * 10^-scale; scale must be in [0, DEC_MAX_SCALE]. */
TlDec dec_make(int64_t coef, int scale);

bool dec_add(TlDec a, TlDec b, TlDec *out);
bool dec_sub(TlDec a, TlDec b, TlDec *out);
bool dec_mul(TlDec a, TlDec b, TlDec *out);
/* b must not be zero (callers report division by zero themselves). */
bool dec_div(TlDec a, TlDec b, TlDec *out);
bool dec_neg(TlDec a, TlDec *out);
TlDec dec_abs_unchecked(TlDec a); /* a.coef != INT64_MIN */
/* Multiply by 10^exp10 (exp10 may be negative: then exact or rounded). */
bool dec_shift(TlDec a, int exp10, TlDec *out);

/* -1, 0, 1: exact comparison regardless of scale. */
int dec_cmp(TlDec a, TlDec b);
bool dec_is_zero(TlDec a);
int dec_sign(TlDec a);

/* Round half away from zero to `places` decimals (0..DEC_MAX_SCALE).
 * Never increases the scale. */
TlDec dec_round(TlDec a, int places);
/* Ceiling / floor to `places` decimals. */
TlDec dec_ceil(TlDec a, int places);
TlDec dec_floor(TlDec a, int places);
/* Remove trailing zero digits after the point (1.500 -> 1.5). */
TlDec dec_normalize(TlDec a);

/* Parse an ASCII decimal: optional sign, digits, optional '.' and digits.
 * No exponent, no separators.  Digits beyond DEC_MAX_SCALE decimals or a
 * coefficient beyond int64 fail (returns false).  Exactly [+-]?[0-9]+(.[0-9]+)?:
 * ".5" and "5." are rejected; the scale is the number of decimals written. */
bool dec_parse(const char *s, size_t n, TlDec *out);
/* Exact decimal text, keeping the scale ("10824.18", "-0.50"); returns the
 * length written (buffer of DEC_BUF bytes always suffices). */
#define DEC_BUF 48
int dec_format(TlDec a, char *buf);
/* Text with at most `places` decimals, trailing zeros trimmed ("0.95238"). */
int dec_format_trim(TlDec a, int places, char *buf);
/* The decimal digits of m written backwards so that they end at `end` (20
 * bytes before it suffice); returns where they start. */
char *dec_digits_back(uint64_t m, char *end);
/* How many decimal digits m has (1 for 0). */
int dec_digit_count(uint64_t m);
double dec_to_double(TlDec a);

#endif
