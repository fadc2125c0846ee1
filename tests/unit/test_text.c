/* test_text.c - UTF-8, display width and normalisation (lang/base/text.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lang/base/text.h"

static void test_decode_valid(void **state) {
    (void)state;
    static const struct { const char *s; uint32_t cp; int len; } cases[] = {
        {"A", 'A', 1},           {"\xc2\xa0", 0xA0, 2},    {"隆", 0x9686, 3},
        {"％", 0xFF05, 3},       {"\xf0\x9f\x98\x80", 0x1F600, 4},
        {"\xf4\x8f\xbf\xbf", 0x10FFFF, 4},                 {"\xef\xbf\xbd", 0xFFFD, 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        uint32_t cp = 0;
        char buf[4];
        assert_int_equal(utf8_decode(cases[i].s, strlen(cases[i].s), &cp), cases[i].len);
        assert_int_equal(cp, cases[i].cp);
        assert_int_equal(utf8_encode(cp, buf), cases[i].len);
        assert_memory_equal(buf, cases[i].s, (size_t)cases[i].len);
    }
}

static void test_decode_invalid(void **state) {
    (void)state;
    static const char *const bad[] = {
        "\x80",             /* lone continuation */
        "\xc0\x80",         /* overlong NUL */
        "\xc1\xbf",         /* overlong */
        "\xe0\x80\x80",     /* overlong 3-byte */
        "\xe0\x9f\xbf",     /* overlong 3-byte, highest */
        "\xf0\x8f\xbf\xbf", /* overlong 4-byte */
        "\xed\xa0\x80",     /* surrogate D800 */
        "\xed\xbf\xbf",     /* surrogate DFFF */
        "\xf4\x90\x80\x80", /* U+110000 */
        "\xf5\x80\x80\x80", /* lead byte beyond range */
        "\xff",
        "\xe9\x9a",         /* truncated */
        "\xe9\x41\x86",     /* bad continuation */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        uint32_t cp;
        assert_int_equal(utf8_decode(bad[i], strlen(bad[i]), &cp), 0);
        assert_int_equal(utf8_invalid_at(bad[i], strlen(bad[i])), 0);
    }
    uint32_t cp;
    assert_int_equal(utf8_decode("", 0, &cp), 0);
    assert_int_equal(utf8_decode("隆", 2, &cp), 0); /* n limits the read */
}

static void test_encode_replaces_unencodable(void **state) {
    (void)state;
    char buf[4];
    assert_int_equal(utf8_encode(0xD800, buf), 3);
    assert_memory_equal(buf, "\xef\xbf\xbd", 3);
    assert_int_equal(utf8_encode(0x110000, buf), 3);
    assert_int_equal(utf8_encode(0x7FF, buf), 2);
    assert_int_equal(utf8_encode(0x800, buf), 3);
    assert_int_equal(utf8_encode(0x10000, buf), 4);
}

static void test_invalid_at_and_count(void **state) {
    (void)state;
    const char *s = "15人\xff万";
    assert_int_equal(utf8_invalid_at(s, strlen(s)), 5);
    assert_int_equal(utf8_count(s, strlen(s)), 5);
    assert_int_equal(utf8_invalid_at("隆回县", strlen("隆回县")), (size_t)-1);
    assert_int_equal(utf8_count("隆回县abc", strlen("隆回县abc")), 6);
    assert_int_equal(utf8_invalid_at("", 0), (size_t)-1);
    assert_int_equal(utf8_count("", 0), 0);
}

/* The reference: utf8_decode over the text, code point by code point. */
static size_t invalid_at_slowly(const char *s, size_t n) {
    uint32_t cp;
    for (size_t i = 0; i < n;) {
        int k = utf8_decode(s + i, n - i, &cp);
        if (k == 0) return i;
        i += (size_t)k;
    }
    return (size_t)-1;
}

/* utf8_invalid_at's runs (ASCII words, three-byte characters a word at a
 * time) find the first invalid byte exactly where decoding does: random
 * texts of CJK, ASCII and broken or truncated sequences. */
static void test_invalid_at_random(void **state) {
    (void)state;
    static const char *const parts[] = {"隆", "回", "县", "a", "bc", "\xE0\xA4\x85", "\xED\x9F\xBF",
                                        "\xED\xA0\x80", "\xE4\xB8", "\xE4", "\x80", "\xC3\xA9",
                                        "\xF0\x9F\x98\x80", "\xEF\xBC\x90", "\xE1\x80\x80", ","};
    uint64_t x = 0x2545F4914F6CDD1Dull;
    size_t invalid = 0;
    for (int round = 0; round < 100000; round++) {
        char buf[256] = "";
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int len = (int)(x % 24);
        for (int k = 0; k < len; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            /* mostly characters of 隆回县, so that runs of them are long */
            strcat(buf, parts[x % 5 ? x % 3 : x % (sizeof parts / sizeof *parts)]);
        }
        size_t n = strlen(buf);
        size_t want = invalid_at_slowly(buf, n);
        assert_int_equal(utf8_invalid_at(buf, n), want);
        invalid += want != (size_t)-1;
    }
    assert_true(invalid > 1000);
}

/* utf8_invalid_at's blocks (32 bytes at a time where AVX2 is) find the
 * first invalid byte exactly where decoding does: long random texts of
 * valid characters at every edge of UTF-8, runs of ASCII, and now and then
 * a broken piece - overlongs, surrogates, code points above U+10FFFF,
 * stray and missing continuation bytes, leads that cannot start anything -
 * at every offset and alignment, and cut at every length. */
static void test_invalid_at_blocks(void **state) {
    (void)state;
    static const char *const good[] = {
        "隆", "中", "县", "a", ",", "0123456789abcdefghijklmnopqrstuvwxyz0123456789",
        "\xC2\x80", "\xDF\xBF", "\xC3\xA9", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80",
        "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF0\x9F\x98\x80", "\xF3\xBF\xBF\xBF",
        "\xF4\x80\x80\x80", "\xF4\x8F\xBF\xBF", "\xE1\x80\x80", "\xEC\xBF\xBF"};
    static const char *const bad[] = {
        "\x80", "\x8F", "\x90", "\x9F", "\xA0", "\xBF", "\xC0", "\xC1", "\xC2", "\xDF",
        "\xE0", "\xED", "\xEF", "\xF0", "\xF4", "\xF5", "\xF8", "\xFF", "\xC0\xAF",
        "\xC1\xBF", "\xE0\x80\xAF", "\xE0\x9F\xBF", "\xF0\x80\x80\x80", "\xF0\x8F\xBF\xBF",
        "\xED\xA0\x80", "\xED\xBF\xBF", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80",
        "\xF7\xBF\xBF\xBF", "\xE4\xB8", "\xF0\x9F\x98", "\xF0\x9F", "\xC3\xA9\xA9",
        "\xE4\xB8\xAD\x80", "\xF8\x88\x80\x80\x80"};
    uint64_t x = 0x9E3779B97F4A7C15ull;
#define NEXT() (x ^= x << 13, x ^= x >> 7, x ^= x << 17, x)
    size_t invalid = 0, late = 0;
    char buf[640];
    for (int round = 0; round < 40000; round++) {
        size_t n = 0, target = NEXT() % 500;
        bool broken = NEXT() % 2;
        while (n < target) {
            const char *part = broken && NEXT() % 40 == 0
                                   ? bad[NEXT() % (sizeof bad / sizeof *bad)]
                                   : good[NEXT() % (sizeof good / sizeof *good)];
            size_t k = strlen(part);
            memcpy(buf + n, part, k);
            n += k;
        }
        size_t off = NEXT() % 8; /* any alignment; a cut at any length */
        if (off > n) off = n;
        size_t len = n - off - (NEXT() % 2 ? NEXT() % (n - off + 1) : 0);
        size_t want = invalid_at_slowly(buf + off, len);
        assert_int_equal(utf8_invalid_at(buf + off, len), want);
        invalid += want != (size_t)-1;
        late += want != (size_t)-1 && want >= 64;
    }
    assert_true(invalid > 10000);
    assert_true(late > 2000);
    /* every byte value at every place of a valid text, and every cut of it */
    char text[200];
    size_t n = 0;
    for (int k = 0; n + 4 <= sizeof text; k++) {
        const char *part = good[(size_t)k * 7 % (sizeof good / sizeof *good)];
        size_t len = strlen(part);
        if (n + len > sizeof text) break;
        memcpy(text + n, part, len);
        n += len;
    }
    assert_int_equal(utf8_invalid_at(text, n), (size_t)-1);
    for (size_t len = 0; len <= n; len++)
        assert_int_equal(utf8_invalid_at(text, len), invalid_at_slowly(text, len));
    for (size_t at = 0; at < n; at++)
        for (int v = 0; v < 256; v++) {
            char saved = text[at];
            text[at] = (char)v;
            assert_int_equal(utf8_invalid_at(text, n), invalid_at_slowly(text, n));
            text[at] = saved;
        }
#undef NEXT
}

static void test_cp_width(void **state) {
    (void)state;
    static const struct { uint32_t cp; int w; } cases[] = {
        {'a', 1},     {' ', 1},     {0x00, 0},    {'\n', 0},    {0x7F, 0},
        {0x9F, 0},    {0xA0, 1},    {0xE9, 1},    {0x0301, 0},  {0x036F, 0},
        {0x200B, 0},  {0x200D, 0},  {0xFEFF, 0},  {0xFE0F, 0},  {0x1100, 2},
        {0x115F, 2},  {0x1160, 1},  {0x2E80, 2},  {0x3000, 2},  {0x303E, 2},
        {0x303F, 1},  {0x3040, 2},  {0x9686, 2},  {0xA4CF, 2},  {0xA4D0, 1},
        {0xAC00, 2},  {0xD7A3, 2},  {0xD7A4, 1},  {0xF900, 2},  {0xFAFF, 2},
        {0xFE30, 2},  {0xFE4F, 2},  {0xFE50, 1},  {0xFF01, 2},  {0xFF60, 2},
        {0xFF61, 1},  {0xFFE0, 2},  {0xFFE6, 2},  {0xFFE7, 1},  {0x1F300, 2},
        {0x1F600, 2}, {0x1F64F, 2}, {0x1F650, 1}, {0x1F900, 2}, {0x1F9FF, 2},
        {0x20000, 2}, {0x3FFFD, 2}, {0x3FFFE, 1}, {0x2014, 1},  {0x2265, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        if (cp_width(cases[i].cp) != cases[i].w)
            fail_msg("cp_width(U+%04X) = %d, want %d", (unsigned)cases[i].cp,
                     cp_width(cases[i].cp), cases[i].w);
    }
}

static void test_text_width(void **state) {
    (void)state;
    static const struct { const char *s; size_t w; } cases[] = {
        {"", 0},
        {"abc", 3},
        {"隆回县", 6},
        {"15人", 4},
        {"10824.18万元", 12},
        {"９０％", 6},
        {"e\xcc\x81", 1},         /* e + combining acute */
        {"a\xff" "b", 3},        /* invalid byte counts as 1 */
        {"社会\n效益", 8},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        assert_int_equal(text_width(cases[i].s, strlen(cases[i].s)), cases[i].w);
}

static void test_fold_width(void **state) {
    (void)state;
    static const struct { const char *in, *out; } cases[] = {
        {"１５人", "15人"},
        {"９０％", "90%"},
        {"１００．４９％", "100.49%"},
        {"（一）", "(一)"},
        {"ＡＢＣ～", "ABC~"},
        {"＞＝", ">="},
        {"１，２３４", "1,234"},
        {"1，234", "1,234"},
        {"人员，经费", "人员，经费"},
        {"3，", "3，"},
        {"，5", "，5"},
        {"a\xe3\x80\x80" "b", "a b"},
        {"a\xc2\xa0" "b", "a b"},
        {"a\xe2\x80\x83" "b", "a b"},
        {"a\xe2\x80\x8b" "b", "a b"},
        {"隆回县", "隆回县"},
        {"—", "—"},
        {"－", "-"},
        {"\xff１", "\xff" "1"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t len = 99;
        char *got = text_fold_width(cases[i].in, strlen(cases[i].in), &len);
        assert_string_equal(got, cases[i].out);
        assert_int_equal(len, strlen(cases[i].out));
        free(got);
    }
}

static void test_trim(void **state) {
    (void)state;
    static const struct { const char *in, *out; } cases[] = {
        {"  15 人 ", "15 人"},
        {"\t\r\n有所提升\r\n", "有所提升"},
        {"\xe3\x80\x80" "90%" "\xe3\x80\x80", "90%"},
        {"\xc2\xa0x\xc2\xa0", "x"},
        {"   ", ""},
        {"", ""},
        {"人", "人"},
        {"a \xff", "a \xff"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t len = strlen(cases[i].in);
        const char *t = text_trim(cases[i].in, &len);
        assert_int_equal(len, strlen(cases[i].out));
        assert_memory_equal(t, cases[i].out, len);
    }
}

/* The trim's fast path decides by the last bytes whether a text could end
 * in a space: every code point of the ranges that hold the spaces (and of
 * CJK, whose last bytes are the same 80..BF) after "x" and after "万", is
 * trimmed exactly when it is a space. */
static void test_trim_ends(void **state) {
    (void)state;
    static const uint32_t ranges[][2] = {
        {0x01, 0x7F}, {0x80, 0x7FF}, {0x2000, 0x206F}, {0x3000, 0x303F},
        {0x4E00, 0x4EFF}, {0xFE00, 0xFFFD}, {0x1F600, 0x1F64F},
    };
    for (size_t r = 0; r < sizeof ranges / sizeof *ranges; r++)
        for (uint32_t cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
            if (cp >= 0xD800 && cp <= 0xDFFF) continue;
            bool space = cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0xA0 ||
                         (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F ||
                         cp == 0x3000 || cp == 0xFEFF;
            for (int head = 0; head < 2; head++) {
                char buf[16];
                size_t h = head ? 3 : 1;
                memcpy(buf, head ? "万" : "x", h);
                size_t n = h + (size_t)utf8_encode(cp, buf + h);
                size_t len = n;
                const char *t = text_trim(buf, &len);
                assert_ptr_equal(t, buf);
                assert_int_equal(len, space ? h : n);
            }
        }
}

/* text_is_blank is text_trim's emptiness: every code point of the ranges
 * above alone, twice, and after or before a space. */
static void test_is_blank(void **state) {
    (void)state;
    static const uint32_t ranges[][2] = {
        {0x01, 0x7F}, {0x80, 0x7FF}, {0x2000, 0x206F}, {0x3000, 0x303F},
        {0x4E00, 0x4EFF}, {0xFE00, 0xFFFD}, {0x1F600, 0x1F64F},
    };
    assert_true(text_is_blank("", 0));
    assert_true(text_is_blank(" \xe3\x80\x80\t", 5));
    assert_false(text_is_blank("\xe3\x80\x80x", 4));
    for (size_t r = 0; r < sizeof ranges / sizeof *ranges; r++)
        for (uint32_t cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
            if (cp >= 0xD800 && cp <= 0xDFFF) continue;
            char one[8], buf[16];
            size_t k = (size_t)utf8_encode(cp, one);
            for (int form = 0; form < 4; form++) {
                size_t n = 0;
                if (form == 2) buf[n++] = ' ';
                memcpy(buf + n, one, k), n += k;
                if (form == 1) memcpy(buf + n, one, k), n += k;
                if (form == 3) buf[n++] = ' ';
                size_t len = n;
                text_trim(buf, &len);
                if (text_is_blank(buf, n) != (len == 0))
                    fail_msg("U+%04X, form %d: text_is_blank differs from text_trim", cp, form);
            }
        }
}

static void test_strip_space(void **state) {
    (void)state;
    static const struct { const char *in, *out; } cases[] = {
        {"社会\n效益", "社会效益"},
        {" 满意度\r\n指标\t", "满意度指标"},
        {"服务\xe3\x80\x80对象\xc2\xa0满意度", "服务对象满意度"},
        {"", ""},
        {"abc", "abc"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = text_strip_space(cases[i].in, strlen(cases[i].in));
        assert_string_equal(got, cases[i].out);
        free(got);
    }
}

static void test_edit_distance(void **state) {
    (void)state;
    static const struct { const char *a, *b; size_t limit, d; } cases[] = {
        {"", "", 5, 0},
        {"abc", "abc", 5, 0},
        {"kitten", "sitting", 5, 3},
        {"城镇新增就业", "城镇新增就业", 3, 0},
        {"城镇新增就业", "城镇新增就业人数", 3, 2},
        {"群众满意度", "群众满意率", 3, 1},
        {"社会效益", "经济效益", 3, 2},
        {"社会效益指标", "满意度", 2, 3},     /* length gap beyond the limit */
        {"abcdef", "uvwxyz", 2, 3},          /* cut off row by row */
        {"abc", "", 10, 3},
        {"", "人次", 10, 2},
        {"a\xff", "a\xfe", 5, 1},
        {"abc", "acb", (size_t)-1, 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t d = text_edit_distance(cases[i].a, cases[i].b, cases[i].limit);
        if (d != cases[i].d)
            fail_msg("distance(%s, %s, %zu) = %zu, want %zu", cases[i].a, cases[i].b,
                     cases[i].limit, d, cases[i].d);
    }
}

/* text_same_bytes against memcmp: every length up to 70, the texts equal
 * or differing in one byte at each place, at every alignment of both. */
static void test_same_bytes(void **state) {
    (void)state;
    char a[96], b[96];
    for (size_t n = 0; n <= 70; n++)
        for (size_t off = 0; off < 8; off++) {
            for (size_t i = 0; i < n; i++) a[off + i] = b[(off * 3) % 8 + i] = (char)('a' + i % 23);
            const char *x = a + off, *y = b + (off * 3) % 8;
            assert_true(text_same_bytes(x, y, n));
            for (size_t p = 0; p < n; p++) {
                char keep = y[p];
                b[(off * 3) % 8 + p] = (char)0xE4;
                assert_int_equal(text_same_bytes(x, y, n), memcmp(x, y, n) == 0);
                assert_false(text_same_bytes(x, y, n));
                b[(off * 3) % 8 + p] = keep;
            }
        }
}

/* text_copy_bytes against memcpy: every length up to 70, at every
 * alignment of both, the bytes around the copy untouched. */
static void test_copy_bytes(void **state) {
    (void)state;
    char src[96], dst[112], want[112];
    for (size_t i = 0; i < sizeof src; i++) src[i] = (char)(0x80 + i);
    for (size_t n = 0; n <= 70; n++)
        for (size_t so = 0; so < 8; so++)
            for (size_t d0 = 0; d0 < 8; d0++) {
                memset(dst, '.', sizeof dst), memset(want, '.', sizeof want);
                memcpy(want + 8 + d0, src + so, n);
                text_copy_bytes(dst + 8 + d0, src + so, n);
                assert_memory_equal(dst, want, sizeof dst);
            }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_valid),
        cmocka_unit_test(test_decode_invalid),
        cmocka_unit_test(test_encode_replaces_unencodable),
        cmocka_unit_test(test_invalid_at_and_count),
        cmocka_unit_test(test_invalid_at_random),
        cmocka_unit_test(test_invalid_at_blocks),
        cmocka_unit_test(test_cp_width),
        cmocka_unit_test(test_text_width),
        cmocka_unit_test(test_fold_width),
        cmocka_unit_test(test_trim),
        cmocka_unit_test(test_trim_ends),
        cmocka_unit_test(test_is_blank),
        cmocka_unit_test(test_strip_space),
        cmocka_unit_test(test_edit_distance),
        cmocka_unit_test(test_same_bytes),
        cmocka_unit_test(test_copy_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
