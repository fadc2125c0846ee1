/* test_value_format.c - numbers written without printf (issue 16):
 * val_format() and dec_format() against references written the plain way
 * (val_format as it was before, digits by snprintf), on random values. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/base/value.h"

/* The reference: val_format before issue 16's last changes --------------- */

static const struct { const char *word; int mag; } magnitudes[] = {
    {"万亿", 12}, {"千万", 7}, {"百万", 6}, {"亿", 8}, {"万", 4}, {"千", 3},
};

static const char *magnitude_word(int mag)
{
    for (size_t i = 0; i < sizeof magnitudes / sizeof *magnitudes; i++)
        if (magnitudes[i].mag == mag)
            return magnitudes[i].word;
    return NULL;
}
/* An exact decimal's text with its scale, digits by snprintf. */
static int ref_dec(TlDec a, char *buf)
{
    char digits[40];
    unsigned long long m = a.coef < 0 ? 0ULL - (unsigned long long)a.coef : (unsigned long long)a.coef;
    int nd = snprintf(digits, sizeof digits, "%llu", m);
    char padded[64];
    int pad = nd <= a.scale ? a.scale + 1 - nd : 0;
    memset(padded, '0', (size_t)pad);
    memcpy(padded + pad, digits, (size_t)nd + 1);
    nd += pad;
    int ip = nd - a.scale;
    if (a.scale == 0)
        return snprintf(buf, DEC_BUF, "%s%s", a.coef < 0 ? "-" : "", padded);
    return snprintf(buf, DEC_BUF, "%s%.*s.%s", a.coef < 0 ? "-" : "", ip, padded, padded + ip);
}

static int ref_trim(TlDec a, char *buf) { return ref_dec(dec_normalize(a), buf); }


static int ref_shifted(TlDec d, int shift, int keep, char *out) {
    char digits[32], *o = out;
    uint64_t mag = d.coef < 0 ? -(uint64_t)d.coef : (uint64_t)d.coef;
    int nd = 0; /* the digits of mag, without printf (issue 16: every value written) */
    char rev[24];
    uint64_t m = mag;
    do rev[nd++] = (char)('0' + m % 10), m /= 10; while (m);
    for (int i = 0; i < nd; i++) digits[i] = rev[nd - 1 - i];
    digits[nd] = '\0';
    int e = d.scale + shift;  /* digits * 10^-e */
    if (d.coef < 0) *o++ = '-';
    if (e <= 0) {
        memcpy(o, digits, (size_t)nd), o += nd;
        for (int i = 0; i < -e && mag != 0; i++) *o++ = '0';
        *o = '\0';
        return (int)(o - out);
    }
    int int_digits = nd > e ? nd - e : 0;
    if (int_digits == 0) *o++ = '0';
    else memcpy(o, digits, (size_t)int_digits), o += int_digits;
    char *point = o;
    *o++ = '.';
    for (int i = 0; i < e - nd; i++) *o++ = '0';
    memcpy(o, digits + int_digits, (size_t)(nd - int_digits)), o += nd - int_digits;
    while (o - point - 1 > keep && o[-1] == '0') o--;
    if (o == point + 1) o--;
    *o = '\0';
    return (int)(o - out);
}

/* Append s to buf at *len, stopping short of VAL_BUF at a UTF-8 boundary. */
static void ref_append(char *buf, int *len, const char *s) {
    size_t n = strlen(s), room = VAL_BUF - 1 - (size_t)*len;
    if (n > room) {
        n = room;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    }
    memcpy(buf + *len, s, n);
    *len += (int)n;
    buf[*len] = '\0';
}

static int ref_format(const TlValue *v, char *buf) {
    char num[DEC_BUF + 40];
    int len = 0;
    buf[0] = '\0';
    switch ((TlKind)v->kind) {
    case TL_MISSING: ref_append(buf, &len, "—"); return len;
    case TL_BOOL: ref_append(buf, &len, v->u.b ? "true" : "false"); return len;
    case TL_TEXT: ref_append(buf, &len, v->u.text ? v->u.text : ""); return len;
    case TL_NUM: break;
    }
    ref_append(buf, &len, qual_symbol((TlQual)v->qual));
    if (v->flags & VAL_APPROX) ref_append(buf, &len, "约");
    const char *mword = v->mag ? magnitude_word(v->mag) : NULL;
    int shift = mword ? v->mag : 0;
    switch ((TlNumKind)v->numkind) {
    case NUM_PERCENT:
        ref_shifted(v->u.num, -2, 0, num);
        ref_append(buf, &len, num);
        ref_append(buf, &len, "%");
        break;
    case NUM_PLAIN:
        if (mword) ref_shifted(v->u.num, shift, 0, num);
        else ref_trim(v->u.num, num);
        ref_append(buf, &len, num);
        if (mword) ref_append(buf, &len, mword);
        break;
    case NUM_QUANTITY:
        ref_shifted(v->u.num, shift, v->u.num.scale, num);
        ref_append(buf, &len, num);
        if (mword) ref_append(buf, &len, mword);
        ref_append(buf, &len, v->unit ? v->unit : "");
        break;
    }
    return len;
}


static uint64_t rng = 42;

static uint64_t rnd64(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static unsigned rnd(unsigned n) { return (unsigned)(rnd64() % n); }

/* A coefficient of 0 to 19 digits, either sign, or an extreme. */
static int64_t coef(void)
{
    switch (rnd(12)) {
    case 0: return INT64_MIN;
    case 1: return INT64_MAX;
    case 2: return 0;
    default: {
        uint64_t m = rnd64();
        int digits = (int)rnd(19);
        uint64_t p = 1;
        for (int i = 0; i < digits; i++)
            p *= 10;
        int64_t c = (int64_t)(m % p);
        if (rnd(4) == 0 && c <= INT64_MAX / 100)
            c *= (int64_t)(1 + rnd(9)) * 10; /* trailing zeros */
        return rnd(2) ? -c : c;
    }
    }
}

static void test_dec_format_random(void **state)
{
    (void)state;
    char got[DEC_BUF], want[DEC_BUF];
    for (int i = 0; i < 200000; i++) {
        TlDec d = dec_make(coef(), (int)rnd(DEC_MAX_SCALE + 1));
        int n = dec_format(d, got), wn = ref_dec(d, want);
        if (strcmp(got, want) != 0 || n != wn)
            fail_msg("dec_format(%lld, %d) = %s, want %s", (long long)d.coef, (int)d.scale, got, want);
        int places = (int)rnd(DEC_MAX_SCALE + 1);
        n = dec_format_trim(d, places, got);
        wn = ref_dec(dec_normalize(dec_round(d, places)), want);
        if (strcmp(got, want) != 0 || n != wn)
            fail_msg("dec_format_trim(%lld, %d, %d) = %s, want %s", (long long)d.coef, (int)d.scale, places,
                     got, want);
        uint64_t m = rnd64() >> rnd(64);
        char end[24], *p = dec_digits_back(m, end + sizeof end);
        snprintf(want, sizeof want, "%llu", (unsigned long long)m);
        if ((size_t)(end + sizeof end - p) != strlen(want) || memcmp(p, want, strlen(want)) != 0)
            fail_msg("dec_digits_back(%s)", want);
        if ((size_t)dec_digit_count(m) != strlen(want))
            fail_msg("dec_digit_count(%s) = %d", want, dec_digit_count(m));
    }
}

static void test_val_format_random(void **state)
{
    (void)state;
    static char longtext[300];
    memset(longtext, 'u', 100);
    strcpy(longtext + 100, "单位单位单位单位单位单位单位单位单位单位单位单位单位单位单位单位单位单位单位单位单位单位单位单位单位单位单位单位单位单位");
    static const char *const units[] = {"元", "人", "个", "场", "%", longtext, "km²"};
    static const int mags[] = {0, 0, 0, 3, 4, 4, 6, 7, 8, 12, 5};
    char got[VAL_BUF], want[VAL_BUF];
    for (int i = 0; i < 200000; i++) {
        TlValue v;
        switch (rnd(10)) {
        case 0: v = val_missing(); break;
        case 1: v = val_bool(rnd(2)); break;
        case 2: v = val_text(rnd(3) ? "有所提升" : longtext); break;
        default:
            v = val_num(dec_make(coef(), (int)rnd(DEC_MAX_SCALE + 1)));
            v.numkind = (uint8_t)rnd(3);
            v.qual = (uint8_t)rnd(6);
            v.flags = rnd(4) == 0 ? VAL_APPROX : 0;
            v.mag = (int8_t)mags[rnd(sizeof mags / sizeof *mags)];
            if (v.numkind == NUM_QUANTITY)
                v.unit = rnd(8) ? units[rnd(sizeof units / sizeof *units)] : NULL;
            break;
        }
        int n = val_format(&v, got), wn = ref_format(&v, want);
        if (strcmp(got, want) != 0 || n != wn)
            fail_msg("val_format = %s (%d), want %s (%d)", got, n, want, wn);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dec_format_random),
        cmocka_unit_test(test_val_format_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
