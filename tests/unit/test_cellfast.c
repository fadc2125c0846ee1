/* test_cellfast.c - cell parsing's fast paths (lang/base/cellfast.c) give
 * exactly what the general grammar gives (cell_parse_general, the
 * definition), on every cell they take: random cells built from digits,
 * points, percent signs, separators, signs, spaces, qualifiers, units,
 * magnitude, gap and affix words and words, and a table of the cells real
 * reports write. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/base/arena.h"
#include "lang/base/dec.h"
#include "lang/base/value.h"

/* Same value, field by field (the number's coefficient and scale too). */
static void assert_same(const char *cell, const TlValue *a, const TlValue *b)
{
    bool same = a->kind == b->kind && a->numkind == b->numkind && a->qual == b->qual &&
                a->flags == b->flags && a->mag == b->mag &&
                (a->unit == NULL) == (b->unit == NULL) &&
                (!a->unit || strcmp(a->unit, b->unit) == 0);
    if (same && a->kind == TL_NUM)
        same = a->u.num.coef == b->u.num.coef && a->u.num.scale == b->u.num.scale;
    if (same && (a->kind == TL_TEXT || (a->flags & VAL_CELL_ERROR)))
        same = strcmp(a->u.text, b->u.text) == 0;
    if (!same)
        fail_msg("cell '%s': the fast path and the general grammar differ", cell);
}

/* The units met by check_cell's cells, across cells (cell_parse_fast_units). */
static CellUnits seen_units;

/* One cell: when the fast path takes it, the general path agrees; and
 * cell_parse_kept of a kept copy gives what cell_parse gives, whatever
 * path it takes. */
static bool check_cell(Arena *a, const char *cell)
{
    TlValue fast, general;
    const char *err = NULL;
    size_t n = strlen(cell);
    TlValue kept, whole;
    const char *copy = arena_strdup(a, cell);
    const char *kerr = NULL;
    bool kept_ok = cell_parse_kept(a, copy, n, &kept, &kerr);
    assert_int_equal(kept_ok, cell_parse(a, cell, n, &whole, &err));
    assert_true(kerr == err); /* a message of the general grammar, or none */
    if (kept_ok)
        assert_same(cell, &kept, &whole);
    /* with the units of the cells before: what the fast path gives without
     * them, the unit still the kept copy's own tail */
    TlValue cached, uncached;
    bool cached_ok = cell_parse_fast_units(a, copy, n, NULL, true, &seen_units, &cached);
    assert_int_equal(cached_ok, cell_parse_fast_kept(a, copy, n, NULL, true, &uncached));
    if (cached_ok) {
        assert_same(cell, &cached, &uncached);
        assert_ptr_equal(cached.unit, uncached.unit);
    }
    /* the inline plain decimal: what the general grammar gives, and taken
     * wherever the fast path reads a bare number of digits and a point */
    TlDec d;
    bool plain = cell_plain_decimal(cell, n, &d);
    if (plain) {
        TlValue pv = val_num(d);
        assert_true(cell_parse_general(a, cell, n, &general, &err));
        assert_same(cell, &pv, &general);
    }
    if (!cell_parse_fast(a, cell, n, NULL, &fast)) {
        assert_false(plain);
        return false;
    }
    if (fast.kind == TL_NUM && fast.numkind == NUM_PLAIN && fast.qual == QUAL_NONE &&
        strspn(cell, "0123456789.") == n)
        assert_true(plain);
    assert_true(cell_parse_general(a, cell, n, &general, &err));
    assert_same(cell, &fast, &general);
    /* and cell_parse, which takes the fast path first */
    TlValue viaparse;
    assert_true(cell_parse(a, cell, n, &viaparse, &err));
    assert_same(cell, &viaparse, &general);
    return true;
}

static void test_real_cells(void **state)
{
    (void)state;
    Arena a;
    arena_init(&a);
    static const char *const taken[] = {"5", "10", "0", "00", "007", "1870.02", "98.5%", "100%",
                                        "0.5%", "12.0", "1.50", "123456789012345", "0.000001%",
                                        "", "≥90%", "≤620.23万元", "5分", "121人", "1870.02万元",
                                        "3万", "1.5亿元", "≥20场", "12人次", "有所提升", "长期",
                                        "12345万亿元", "≥0",
                                        /* tails alike in their first eight bytes */
                                        "12万元每人", "12万元每年", "7万元每人", "3千元每人"};
    for (size_t i = 0; i < sizeof taken / sizeof *taken; i++)
        assert_true(check_cell(&a, taken[i]));
    static const char *const left[] = {"12万元每多" /* the tails above but the last */, "-5", "+5", " 5", "5 ", "1,234", "1.", ".5", "5%%",
                                       "1234567890123456", "1e3", "５", "5‰", "N/A", "-",
                                       "≥", "≥ 90%", "≥≥5", "≥有所提升", "5余人", "5万余元",
                                       "5人以上", "5万万", "5百分比", "5人左右", "5多", "无",
                                       "不适用", "有所提升。", "5人 ", "5 人", "5五个六七八",
                                       "5个人次数目", ">5", "约5人", "123456789012345万亿元"};
    for (size_t i = 0; i < sizeof left / sizeof *left; i++)
        assert_false(check_cell(&a, left[i]));
    /* magnitudes at the edge of a coefficient's range: multiplied inline
     * when the product fits, else as value_magnify does it, or left */
    static const char *const edge[] = {"9223372万亿元", "9223373万亿元", "92233.73万亿元",
                                       "922337203685477万", "922337203685478千万", "0.001亿",
                                       "999999999999999亿", "9223372036.854775百万"};
    for (size_t i = 0; i < sizeof edge / sizeof *edge; i++)
        check_cell(&a, edge[i]);
    /* every default missing marker is missing by the fast path too (its
     * check of the ideograph ones does not walk the list) */
    for (size_t i = 0; cell_missing_default[i]; i++) {
        const char *w = cell_missing_default[i];
        TlValue m;
        if (cell_parse_fast(&a, w, strlen(w), NULL, &m))
            assert_int_equal(m.kind, TL_MISSING);
        assert_true(cell_parse(&a, w, strlen(w), &m, NULL));
        assert_int_equal(m.kind, TL_MISSING);
    }
    /* a rule file's missing markers instead of the default ones */
    static const char *const words[] = {"暂无", NULL};
    TlValue v;
    assert_false(cell_parse_fast(&a, "暂无", strlen("暂无"), words, &v));
    assert_true(cell_parse_fast(&a, "无", strlen("无"), words, &v));
    assert_int_equal(v.kind, TL_TEXT);
    assert_string_equal(v.u.text, "无");
    assert_true(cell_parse_with(&a, "无", strlen("无"), words, &v, NULL));
    assert_int_equal(v.kind, TL_TEXT);
    arena_free(&a);
}

/* cell_plain_decimal takes digits with at most one inner point, up to
 * fifteen digits, and nothing else. */
static void test_plain_decimal(void **state)
{
    (void)state;
    static const struct {
        const char *cell;
        int64_t coef;
        int scale;
    } taken[] = {{"5", 5, 0},       {"4.5", 45, 1},     {"007", 7, 0},       {"0", 0, 0},
                 {"0.25", 25, 2},   {"12.0", 120, 1},   {"123456789012345", 123456789012345, 0},
                 {"1.23456789012345", 123456789012345, 14}};
    for (size_t i = 0; i < sizeof taken / sizeof *taken; i++) {
        TlDec d = {-1, -1};
        assert_true(cell_plain_decimal(taken[i].cell, strlen(taken[i].cell), &d));
        assert_int_equal(d.coef, taken[i].coef);
        assert_int_equal(d.scale, taken[i].scale);
    }
    static const char *const left[] = {"", "1.", ".5", ".", "1.2.3", "-5", "+5", "5%", "5分",
                                       " 5", "5 ", "1,234", "1234567890123456",
                                       "1.234567890123456", "12345678901234.56", "５", "1e3"};
    for (size_t i = 0; i < sizeof left / sizeof *left; i++) {
        TlDec d;
        if (cell_plain_decimal(left[i], strlen(left[i]), &d))
            fail_msg("cell '%s' taken for a plain decimal", left[i]);
    }
    /* every cell of one and two bytes (the short path): taken exactly when
     * all its bytes are digits, with their value */
    for (unsigned x = 0; x < 256 * 257; x++) {
        char c[2] = {(char)(x & 0xFF), (char)(x >> 8)};
        size_t n = x < 256 ? 1 : 2;
        if (x >= 256)
            c[1] = (char)((x - 256) >> 8), c[0] = (char)((x - 256) & 0xFF);
        bool digits = c[0] >= '0' && c[0] <= '9' && (n == 1 || (c[1] >= '0' && c[1] <= '9'));
        TlDec e = {-1, -1};
        assert_int_equal(cell_plain_decimal(c, n, &e), digits);
        if (digits) {
            assert_int_equal(e.coef, n == 1 ? c[0] - '0' : (c[0] - '0') * 10 + (c[1] - '0'));
            assert_int_equal(e.scale, 0);
        }
    }
    /* the length is the cell's, not up to a NUL: "5" of "5分" is a cell of its own */
    TlDec d;
    assert_true(cell_plain_decimal("5分", 1, &d));
    assert_int_equal(d.coef, 5);
}

/* A kept cell's unit or text is the cell's own tail, not a copy. */
static void test_kept_cells(void **state)
{
    (void)state;
    Arena a;
    arena_init(&a);
    TlValue v;
    const char *cell = arena_strdup(&a, "1870.02万元");
    assert_true(cell_parse_kept(&a, cell, strlen(cell), &v, NULL));
    assert_int_equal(v.numkind, NUM_QUANTITY);
    assert_int_equal(v.mag, 4);
    assert_ptr_equal(v.unit, cell + strlen("1870.02万"));
    assert_string_equal(v.unit, "元");
    cell = arena_strdup(&a, "≥20场");
    assert_true(cell_parse_kept(&a, cell, strlen(cell), &v, NULL));
    assert_ptr_equal(v.unit, cell + strlen("≥20"));
    cell = arena_strdup(&a, "有所提升");
    assert_true(cell_parse_kept(&a, cell, strlen(cell), &v, NULL));
    assert_int_equal(v.kind, TL_TEXT);
    assert_ptr_equal(v.u.text, cell);
    /* the general grammar copies (a trimmed text) */
    cell = arena_strdup(&a, " 有所提升 ");
    assert_true(cell_parse_kept(&a, cell, strlen(cell), &v, NULL));
    assert_string_equal(v.u.text, "有所提升");
    /* not kept: the cell ends at its length, whatever follows it */
    assert_true(cell_parse_fast(&a, "1234", 2, NULL, &v));
    assert_int_equal(v.u.num.coef, 12);
    assert_true(cell_parse_fast(&a, "12.345", 4, NULL, &v));
    assert_int_equal(v.u.num.coef, 123);
    assert_int_equal(v.u.num.scale, 1);
    /* not kept: a copy of its own */
    assert_true(cell_parse_fast(&a, "121人", strlen("121人"), NULL, &v));
    assert_string_equal(v.unit, "人");
    arena_free(&a);
}

static unsigned long test_units_hits(void) { return seen_units.hits; }

static void test_random_cells(void **state)
{
    (void)state;
    static const char *const parts[] = {"0", "1", "2", "5", "9", "0", "7", ".", ".", "%", ",",
                                        "-", "+", " ", "≥", "≤", "万", "元", "约", "以上", "分",
                                        "E", "00", "123", "999", "人", "人次", "场", "万元", "亿",
                                        "千", "百", "千万", "百万", "余", "多", "左右", "以内",
                                        "及以下", "百分比", "有所提升", "无", "不适用", "长期",
                                        "，", "、", "%", "≥", "个", "分比", "﹪", "\xe4\xb7\xbf"};
    const size_t nparts = sizeof parts / sizeof *parts;
    Arena a;
    arena_init(&a);
    uint64_t x = 0x9E3779B97F4A7C15ull;
    size_t taken = 0, units = 0, texts = 0;
    for (int round = 0; round < 200000; round++) {
        char cell[128] = "";
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int len = (int)(x % 9);
        for (int k = 0; k < len; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            /* digits and points most of the time, so that many cells are numbers */
            size_t p = x % 4 ? x % 9 : x % nparts;
            strcat(cell, parts[p]);
        }
        if (check_cell(&a, cell)) {
            TlValue v;
            assert_true(cell_parse_fast(&a, cell, strlen(cell), NULL, &v));
            taken++;
            units += v.kind == TL_NUM && (v.unit || v.mag);
            texts += v.kind == TL_TEXT;
        }
        if (round % 1000 == 0)
            arena_reset(&a);
    }
    assert_true(taken > 10000); /* the fast path was exercised */
    assert_true(units > 1000 && texts > 1000);
    assert_true(test_units_hits() > 1000); /* tails found among the units met */
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_cells),
        cmocka_unit_test(test_plain_decimal),
        cmocka_unit_test(test_kept_cells),
        cmocka_unit_test(test_random_cells),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
