/* test_cell.c - report-cell parsing, units and value formatting (lang/base/value.c).
 * The table below is the one docs/data.md "Report cells" quotes. */
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

typedef struct CellCase {
    const char *in;
    bool ok;          /* what cell_parse returns */
    TlKind kind;
    TlNumKind numkind;
    TlQual qual;
    bool approx;
    const char *num;  /* dec_format of the stored number: scale matters */
    const char *unit; /* base unit of a quantity */
    int mag;
    const char *shown; /* val_format; for text also the stored text; for a failure the error */
} CellCase;

#define MISS(s) {s, true, TL_MISSING, 0, 0, false, NULL, NULL, 0, "—"}
#define TEXT(s, t) {s, true, TL_TEXT, 0, 0, false, NULL, NULL, 0, t}
#define PLAIN(s, q, a, num, mag, shown) {s, true, TL_NUM, NUM_PLAIN, q, a, num, NULL, mag, shown}
#define PCT(s, q, a, num, shown) {s, true, TL_NUM, NUM_PERCENT, q, a, num, NULL, 0, shown}
#define QTY(s, q, a, num, unit, mag, shown) {s, true, TL_NUM, NUM_QUANTITY, q, a, num, unit, mag, shown}
#define FAIL(s, err) {s, false, TL_MISSING, 0, 0, false, NULL, NULL, 0, err}
#define N QUAL_NONE

static const CellCase cases[] = {
    /* 附件4-2 of the seed report, cell by cell */
    QTY("1796.79万元", N, false, "17967900.00", "元", 4, "1796.79万元"),
    QTY("11458.23万元", N, false, "114582300.00", "元", 4, "11458.23万元"),
    PLAIN("10", N, false, "10", 0, "10"),
    PLAIN("9", N, false, "9", 0, "9"),
    PLAIN("5", N, false, "5", 0, "5"),
    PLAIN("4", N, false, "4", 0, "4"),
    QTY("15人", N, false, "15", "人", 0, "15人"),
    PCT("100%", N, false, "1.00", "100%"),
    QTY("20场", N, false, "20", "场", 0, "20场"),
    QTY("30场", N, false, "30", "场", 0, "30场"),
    PCT("90%", N, false, "0.90", "90%"),
    PCT("95%", N, false, "0.95", "95%"),
    PCT("97%", N, false, "0.97", "97%"),
    QTY("10824.18万元", N, false, "108241800.00", "元", 4, "10824.18万元"),
    QTY("620.23万元", N, false, "6202300.00", "元", 4, "620.23万元"),
    QTY("13.82万元", N, false, "138200.00", "元", 4, "13.82万元"),
    QTY("4650人", N, false, "4650", "人", 0, "4650人"),
    QTY("4673人", N, false, "4673", "人", 0, "4673人"),
    QTY("2600人", N, false, "2600", "人", 0, "2600人"),
    QTY("4646人", N, false, "4646", "人", 0, "4646人"),
    QTY("130个", N, false, "130", "个", 0, "130个"),
    QTY("142个", N, false, "142", "个", 0, "142个"),
    QTY("7500人", N, false, "7500", "人", 0, "7500人"),
    QTY("7786人", N, false, "7786", "人", 0, "7786人"),
    QTY("750人", N, false, "750", "人", 0, "750人"),
    QTY("1020人", N, false, "1020", "人", 0, "1020人"),
    QTY("1245人", N, false, "1245", "人", 0, "1245人"),
    QTY("1358人", N, false, "1358", "人", 0, "1358人"),
    TEXT("有所提升", "有所提升"),
    TEXT("建立长效管理制度", "建立长效管理制度"),
    TEXT("严格执行中央八项规定，发扬艰苦奋斗精神，严控公用经费，合理安排预算收支，优化支出结构。",
         "严格执行中央八项规定，发扬艰苦奋斗精神，严控公用经费，合理安排预算收支，优化支出结构。"),
    MISS("无"),
    MISS(""),
    /* narrative figures from the seed */
    QTY("3.12万人", N, false, "31200.00", "人", 4, "3.12万人"),
    QTY("6.31亿元", N, false, "631000000.00", "元", 8, "6.31亿元"),
    QTY("3.33万张", N, false, "33300.00", "张", 4, "3.33万张"),
    QTY("2.3亿元", N, false, "230000000.0", "元", 8, "2.3亿元"),
    PCT("100.49％", N, false, "1.0049", "100.49%"),
    PCT("178.7％", N, false, "1.787", "178.7%"),
    QTY("520余万元", N, true, "5200000", "元", 4, "约520万元"),
    QTY("约4000人", N, true, "4000", "人", 0, "约4000人"),
    QTY("近4000人", N, true, "4000", "人", 0, "约4000人"),
    QTY("超过6万人次", N, true, "60000", "人次", 4, "约6万人次"),
    QTY("150余家次", N, true, "150", "家次", 0, "约150家次"),
    QTY("10余个", N, true, "10", "个", 0, "约10个"),
    QTY("3万余人", N, true, "30000", "人", 4, "约3万人"),
    QTY("100多人", N, true, "100", "人", 0, "约100人"),
    PCT("97%以上", QUAL_GE, false, "0.97", "≥97%"),
    /* width folding and spaces */
    QTY("１５人", N, false, "15", "人", 0, "15人"),
    PCT("９０％", N, false, "0.90", "90%"),
    PCT("１００．５％", N, false, "1.005", "100.5%"),
    QTY("  15 人 ", N, false, "15", "人", 0, "15人"),
    QTY("\t15人\r\n", N, false, "15", "人", 0, "15人"),
    QTY("15\xe3\x80\x80人", N, false, "15", "人", 0, "15人"),
    PCT("90 %", N, false, "0.90", "90%"),
    PLAIN("１，２３４", N, false, "1234", 0, "1234"),
    TEXT("（1）", "(1)"),
    TEXT("3，5", "3,5"),
    TEXT("人员，经费", "人员，经费"),
    /* qualifiers */
    PCT("≥90%", QUAL_GE, false, "0.90", "≥90%"),
    PCT(">=90%", QUAL_GE, false, "0.90", "≥90%"),
    PCT("90%以上", QUAL_GE, false, "0.90", "≥90%"),
    PCT("90% 以上", QUAL_GE, false, "0.90", "≥90%"),
    PCT("不低于95%", QUAL_GE, false, "0.95", "≥95%"),
    QTY("不少于20场", QUAL_GE, false, "20", "场", 0, "≥20场"),
    PCT("大于等于90%", QUAL_GE, false, "0.90", "≥90%"),
    PCT(">90%", QUAL_GT, false, "0.90", ">90%"),
    PCT("＞90%", QUAL_GT, false, "0.90", ">90%"),
    QTY("≤5万元", QUAL_LE, false, "50000", "元", 4, "≤5万元"),
    QTY("不超过5万元", QUAL_LE, false, "50000", "元", 4, "≤5万元"),
    PCT("不高于3%", QUAL_LE, false, "0.03", "≤3%"),
    PCT("小于等于10%", QUAL_LE, false, "0.10", "≤10%"),
    PCT("<= 10%", QUAL_LE, false, "0.10", "≤10%"),
    QTY("3人以下", QUAL_LE, false, "3", "人", 0, "≤3人"),
    QTY("5万元以内", QUAL_LE, false, "50000", "元", 4, "≤5万元"),
    PCT("< 5%", QUAL_LT, false, "0.05", "<5%"),
    PCT("=100%", QUAL_EQ, false, "1.00", "=100%"),
    PCT("＝100%", QUAL_EQ, false, "1.00", "=100%"),
    PCT("100%左右", N, true, "1.00", "约100%"),
    PCT("≥约90%", QUAL_GE, true, "0.90", "≥约90%"),
    TEXT("≥", "≥"),
    TEXT("约", "约"),
    TEXT("≥≤5", "≥≤5"),
    TEXT("≤5%以上", "≤5%以上"),
    PCT("不低于90%以上", QUAL_GE, false, "0.90", "≥90%"),
    TEXT("≥有所提升", "≥有所提升"),
    /* every sign forms use (issue 12, pattern 6) */
    PCT("═100%", QUAL_EQ, false, "1.00", "=100%"),
    PCT("=>90%", QUAL_GE, false, "0.90", "≥90%"),
    PCT("=<5%", QUAL_LE, false, "0.05", "≤5%"),
    PCT("≧95%", QUAL_GE, false, "0.95", "≥95%"),
    PCT("≦5%", QUAL_LE, false, "0.05", "≤5%"),
    PCT("⩾95%", QUAL_GE, false, "0.95", "≥95%"),
    PCT("⩽5%", QUAL_LE, false, "0.05", "≤5%"),
    PCT("＞＝90%", QUAL_GE, false, "0.90", "≥90%"),
    PCT("＜＝10%", QUAL_LE, false, "0.10", "≤10%"),
    PCT("＜10%", QUAL_LT, false, "0.10", "<10%"),
    QTY("≧735人次", QUAL_GE, false, "735", "人次", 0, "≥735人次"),
    PCT("达到90%", QUAL_GE, false, "0.90", "≥90%"),
    PCT("至少90%", QUAL_GE, false, "0.90", "≥90%"),
    PCT("低于5%", QUAL_LT, false, "0.05", "<5%"),
    PCT("高于5%", QUAL_GT, false, "0.05", ">5%"),
    QTY("不多于3次", QUAL_LE, false, "3", "次", 0, "≤3次"),
    PCT("90%及以上", QUAL_GE, false, "0.90", "≥90%"),
    QTY("5万元及以下", QUAL_LE, false, "50000", "元", 4, "≤5万元"),
    PCT("约95%", N, true, "0.95", "约95%"),
    PCT("≥100百分比", QUAL_GE, false, "1.00", "≥100%"),
    /* a gap word before the percent sign is about that percentage (found by fuzz_cell:
     * "78多百分比" read as a quantity in 百分比, printed back as a percentage) */
    PCT("78多百分比", N, true, "0.78", "约78%"),
    PCT("78多%", N, true, "0.78", "约78%"),
    PCT("7.8余‰", N, true, "0.0078", "约0.78%"),
    TEXT("达到国家标准", "达到国家标准"),
    /* what spreadsheets write (issue 12, pattern 10) */
    QTY("¥1,234.56", N, false, "1234.56", "元", 0, "1234.56元"),
    QTY("￥1,234.56", N, false, "1234.56", "元", 0, "1234.56元"),
    QTY("-¥12.50", N, false, "-12.50", "元", 0, "-12.50元"),
    QTY("¥12万元", N, false, "120000", "元", 4, "12万元"),
    PLAIN("(12.50)", N, false, "-12.50", 0, "-12.5"),
    /* a comparison inside the parentheses: neither negative nor a bound
     * (found by fuzz_cell: "(0.2以内)" read as -0.2 with the unit 以内) */
    TEXT("(0.2以内)", "(0.2以内)"),
    TEXT("（≥5.0）", "(≥5.0)"),
    QTY("(¥1,234.56)", N, false, "-1234.56", "元", 0, "-1234.56元"),
    PLAIN("1.2E+03", N, false, "1200.0", 0, "1200"),
    PLAIN("1.5e-02", N, false, "0.015", 0, "0.015"),
    PCT("9.5E+01%", N, false, "0.950", "95%"),
    PLAIN("1 234.56", N, false, "1234.56", 0, "1234.56"),
    QTY("12 345 678元", N, false, "12345678", "元", 0, "12345678元"),
    TEXT("TRUE", "TRUE"),
    TEXT("√", "√"),
    TEXT("(-5)", "(-5)"),
    TEXT("¥人", "¥人"),
    TEXT("1 23", "1 23"),
    /* plain numbers, signs, separators */
    PLAIN("0.1", N, false, "0.1", 0, "0.1"),
    PLAIN("0.10", N, false, "0.10", 0, "0.1"),
    PLAIN("0", N, false, "0", 0, "0"),
    PLAIN("-5", N, false, "-5", 0, "-5"),
    PLAIN("+5", N, false, "5", 0, "5"),
    PLAIN("−5", N, false, "-5", 0, "-5"),
    PLAIN("1,234.5", N, false, "1234.5", 0, "1234.5"),
    PLAIN("1,234,567", N, false, "1234567", 0, "1234567"),
    QTY("1,234,567元", N, false, "1234567", "元", 0, "1234567元"),
    PLAIN("50余", N, true, "50", 0, "约50"),
    PLAIN("3万", N, false, "30000", 4, "3万"),
    PLAIN("1.5亿", N, false, "150000000.0", 8, "1.5亿"),
    PLAIN("2千万", N, false, "20000000", 7, "2千万"),
    PLAIN("1.5000000000000000000000", N, false, "1.500000000000000000", 0, "1.5"),
    PLAIN("9223372036854775807", N, false, "9223372036854775807", 0, "9223372036854775807"),
    PLAIN("-9223372036854775808", N, false, "-9223372036854775808", 0, "-9223372036854775808"),
    PLAIN("0.000000000000000001", N, false, "0.000000000000000001", 0, "0.000000000000000001"),
    TEXT("1,23", "1,23"),
    TEXT("12,34,567", "12,34,567"),
    TEXT("1234,567", "1234,567"),
    TEXT("1,2345", "1,2345"),
    TEXT("1多多约", "1多多约"),
    TEXT("3万万", "3万万"),
    TEXT(".5", ".5"),
    TEXT("5.", "5."),
    TEXT("1.2.3", "1.2.3"),
    /* percents and per mille */
    PCT("97.5%", N, false, "0.975", "97.5%"),
    PCT("0%", N, false, "0.00", "0%"),
    PCT("-3.5%", N, false, "-0.035", "-3.5%"),
    PCT("5‰", N, false, "0.005", "0.5%"),
    PCT("0.0000000000000001%", N, false, "0.000000000000000001", "0.0000000000000001%"),
    /* quantities */
    QTY("15人次", N, false, "15", "人次", 0, "15人次"),
    QTY("15 人次", N, false, "15", "人次", 0, "15人次"),
    QTY(">=80分", QUAL_GE, false, "80", "分", 0, "≥80分"),
    QTY("5 kg", N, false, "5", "kg", 0, "5kg"),
    QTY("-3.5万元", N, false, "-35000.0", "元", 4, "-3.5万元"),
    QTY("10824.10万元", N, false, "108241000.00", "元", 4, "10824.10万元"),
    QTY("15.0人", N, false, "15.0", "人", 0, "15.0人"),
    QTY("5个百分点", N, false, "5", "个百分点", 0, "5个百分点"),
    QTY("92233720368.5477亿元", N, false, "9223372036854770000", "元", 8, "92233720368.5477亿元"),
    /* not a number with a unit: text */
    TEXT("2024年度报告已完成", "2024年度报告已完成"),
    TEXT("15人/年", "15人/年"),
    TEXT("2020-2024", "2020-2024"),
    TEXT("5m3", "5m3"),
    TEXT("12%的", "12%的"),
    TEXT("5万%", "5万%"),
    TEXT("90%%", "90%%"),
    TEXT("15 人 次", "15 人 次"),
    TEXT("达到预期", "达到预期"),
    TEXT("  是 ", "是"),
    TEXT("\xff\xfe" "15人", "\xff\xfe" "15人"),
    TEXT("15\xe4\xba", "15\xe4\xba"),
    /* missing markers */
    MISS("-"), MISS("--"), MISS("—"), MISS("——"), MISS("－"), MISS("/"), MISS("／"),
    MISS("N/A"), MISS("n/a"), MISS("NA"), MISS("不适用"), MISS("   "), MISS(" 无 "),
    MISS("\xe3\x80\x80"),
    /* numbers that do not fit */
    FAIL("12345678901234567890", "number too large"),
    FAIL("100000000000亿元", "number too large"),
    FAIL("9223372036854775808", "number too large"),
    FAIL("0.1234567890123456789", "number has too many decimals"),
    FAIL("0.00000000000000001%", "number has too many decimals"),
    FAIL("1E+19", "number too large"),
    FAIL("1E-30", "number has too many decimals"),
};

static Arena arena;

static int arena_setup(void **state) {
    (void)state;
    arena_init(&arena);
    return 0;
}

static int arena_teardown(void **state) {
    (void)state;
    arena_free(&arena);
    return 0;
}

/* Spreadsheet errors are missing, with the error kept as the reason. */
static void test_cell_errors(void **state) {
    (void)state;
    static const char *const codes[] = {"#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!",
                                        "#NULL!"};
    for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
        TlValue v;
        assert_true(cell_parse(&arena, codes[i], strlen(codes[i]), &v, NULL));
        assert_int_equal(v.kind, TL_MISSING);
        assert_true(v.flags & VAL_CELL_ERROR);
        assert_string_equal(v.u.text, codes[i]);
        assert_non_null(cell_error_meaning(v.u.text));
    }
    TlValue v;
    assert_true(cell_parse(&arena, "#N/B", 4, &v, NULL));
    assert_int_equal(v.kind, TL_TEXT);
    assert_null(cell_error_meaning("N/A"));
}

/* Another list of missing markers: 无 becomes text, 暂无 missing. */
static void test_cell_missing_words(void **state) {
    (void)state;
    static const char *const words[] = {"-", "暂无", NULL};
    TlValue v;
    assert_true(cell_parse_with(&arena, "无", strlen("无"), words, &v, NULL));
    assert_int_equal(v.kind, TL_TEXT);
    assert_true(cell_parse_with(&arena, " 暂无 ", strlen(" 暂无 "), words, &v, NULL));
    assert_int_equal(v.kind, TL_MISSING);
    assert_true(cell_parse_with(&arena, "", 0, words, &v, NULL));
    assert_int_equal(v.kind, TL_MISSING);
    assert_true(cell_word_in("  N/A ", 6, cell_missing_default));
}

static const char *dec_text(TlDec d, char *buf) {
    dec_format(d, buf);
    return buf;
}

/* Same value: kind, dimensions, qualifier, flags and number (any scale). */
static void assert_same_value(const TlValue *a, const TlValue *b, const char *what) {
    if (a->kind != b->kind || a->numkind != b->numkind || a->qual != b->qual ||
        a->flags != b->flags || a->mag != b->mag)
        fail_msg("%s: kind/numkind/qual/flags/mag differ", what);
    if (a->kind == TL_NUM && dec_cmp(a->u.num, b->u.num) != 0)
        fail_msg("%s: numbers differ", what);
    if (a->kind == TL_TEXT && strcmp(a->u.text, b->u.text) != 0)
        fail_msg("%s: texts differ", what);
    if ((a->unit == NULL) != (b->unit == NULL) || (a->unit && strcmp(a->unit, b->unit) != 0))
        fail_msg("%s: units differ", what);
}

static void check_case(const CellCase *c) {
    TlValue v;
    const char *err = "unset";
    char buf[VAL_BUF], num[DEC_BUF];
    bool ok = cell_parse(&arena, c->in, strlen(c->in), &v, &err);
    if (ok != c->ok) fail_msg("[%s]: cell_parse returned %d", c->in, ok);
    if (!ok) {
        assert_int_equal(v.kind, TL_MISSING);
        if (!err || strcmp(err, c->shown) != 0)
            fail_msg("[%s]: error '%s', want '%s'", c->in, err ? err : "(null)", c->shown);
        return;
    }
    assert_null(err);
    if (v.kind != c->kind) fail_msg("[%s]: kind %d, want %d", c->in, v.kind, c->kind);
    if (v.kind == TL_TEXT) assert_string_equal(v.u.text, c->shown);
    if (v.kind == TL_NUM) {
        if (v.numkind != c->numkind) fail_msg("[%s]: numkind %d", c->in, v.numkind);
        if (strcmp(dec_text(v.u.num, num), c->num) != 0)
            fail_msg("[%s]: num %s, want %s", c->in, num, c->num);
        if (v.mag != c->mag) fail_msg("[%s]: mag %d, want %d", c->in, v.mag, c->mag);
    }
    if (v.qual != c->qual) fail_msg("[%s]: qual %d, want %d", c->in, v.qual, c->qual);
    if (((v.flags & VAL_APPROX) != 0) != c->approx) fail_msg("[%s]: approx flag", c->in);
    if ((v.unit == NULL) != (c->unit == NULL) || (v.unit && strcmp(v.unit, c->unit) != 0))
        fail_msg("[%s]: unit '%s', want '%s'", c->in, v.unit ? v.unit : "(null)",
                 c->unit ? c->unit : "(null)");
    int len = val_format(&v, buf);
    assert_int_equal(len, (int)strlen(buf));
    if (strlen(c->shown) >= VAL_BUF) {  /* long text: val_format shows a prefix */
        assert_true(len > 0 && strncmp(buf, c->shown, (size_t)len) == 0);
        return;
    }
    if (strcmp(buf, c->shown) != 0) fail_msg("[%s]: shown '%s', want '%s'", c->in, buf, c->shown);

    TlValue back;
    assert_true(cell_parse(&arena, buf, (size_t)len, &back, &err));
    assert_same_value(&v, &back, c->in);
}

static void test_cell_table(void **state) {
    (void)state;
    assert_true(sizeof cases / sizeof *cases >= 60);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) check_case(&cases[i]);
}

static void test_cell_long_and_odd_input(void **state) {
    (void)state;
    TlValue v;
    const char *err = NULL;
    char digits[201];
    memset(digits, '9', 200);
    digits[200] = '\0';
    assert_false(cell_parse(&arena, digits, 200, &v, &err));
    assert_string_equal(err, "number too large");
    assert_int_equal(v.kind, TL_MISSING);
    char more[220];
    snprintf(more, sizeof more, "%s万元", digits);
    assert_false(cell_parse(&arena, more, strlen(more), &v, NULL));
    /* an embedded NUL is not a unit */
    assert_true(cell_parse(&arena, "15\0人", 6, &v, &err));
    assert_int_equal(v.kind, TL_TEXT);
    /* the length is respected: no read past n */
    assert_true(cell_parse(&arena, "15人以上", 2, &v, &err));
    assert_int_equal(v.kind, TL_NUM);
    assert_int_equal(v.numkind, NUM_PLAIN);
}

/* Random strings of cell-like fragments: never crash, and every number
 * prints as something that parses back to the same value. */
static void test_cell_fragments_roundtrip(void **state) {
    (void)state;
    static const char *const frag[] = {
        "0", "5", "9", "1", ".", ",", "，", "-", "−", "%", "％", "‰", "１", "．",
        "万", "亿", "千", "元", "人", "次", "个", "余", "多", "约", "近", "左右",
        "以上", "以下", "≥", "<", "=", "不低于", "超过", " ", "\xe3\x80\x80", "\xff",
        "\xe9", "a", "无", "/", "年",
    };
    uint32_t seed = 12345;
    for (int iter = 0; iter < 50000; iter++) {
        char in[128];
        size_t n = 0;
        seed = seed * 1103515245u + 12345u;
        int parts = (int)((seed >> 16) % 8);
        for (int p = 0; p < parts; p++) {
            seed = seed * 1103515245u + 12345u;
            const char *f = frag[(seed >> 16) % (sizeof frag / sizeof *frag)];
            memcpy(in + n, f, strlen(f));
            n += strlen(f);
        }
        in[n] = '\0';
        TlValue v, back;
        const char *err;
        char buf[VAL_BUF];
        if (!cell_parse(&arena, in, n, &v, &err)) {
            assert_non_null(err);
            assert_int_equal(v.kind, TL_MISSING);
            continue;
        }
        int len = val_format(&v, buf);
        if (v.kind == TL_TEXT) continue;
        if (!cell_parse(&arena, buf, (size_t)len, &back, &err))
            fail_msg("[%s] printed as [%s] does not parse", in, buf);
        assert_same_value(&v, &back, in);
    }
}

static TlValue num_of(TlNumKind k, const char *unit, TlDec d, int mag) {
    TlValue v = val_num(d);
    v.numkind = (uint8_t)k;
    v.unit = unit;
    v.mag = (int8_t)mag;
    return v;
}

static void test_format_computed(void **state) {
    (void)state;
    char buf[VAL_BUF];
    TlValue v = num_of(NUM_PERCENT, NULL, dec_make(6666666667, 10), 0);
    val_format(&v, buf);
    assert_string_equal(buf, "66.66666667%");
    v = num_of(NUM_PERCENT, NULL, dec_make(10049, 4), 0);
    val_format(&v, buf);
    assert_string_equal(buf, "100.49%");
    v = num_of(NUM_QUANTITY, "人", dec_make(31200005, 3), 4);
    val_format(&v, buf);
    assert_string_equal(buf, "3.1200005万人");
    v = num_of(NUM_QUANTITY, "元", dec_make(108241800, 0), 4);
    val_format(&v, buf);
    assert_string_equal(buf, "10824.18万元");
    v = num_of(NUM_QUANTITY, "元", dec_make(5, 0), 8);
    val_format(&v, buf);
    assert_string_equal(buf, "0.00000005亿元");
    v = num_of(NUM_PLAIN, NULL, dec_make(2500, 3), 0);
    val_format(&v, buf);
    assert_string_equal(buf, "2.5");
    v = val_bool(true);
    assert_int_equal(val_format(&v, buf), 4);
    assert_string_equal(buf, "true");
    v = val_bool(false);
    val_format(&v, buf);
    assert_string_equal(buf, "false");
    v = val_missing();
    val_format(&v, buf);
    assert_string_equal(buf, "—");
    char longtext[300];
    for (int i = 0; i < 99; i++) memcpy(longtext + 3 * i, "隆", 3);
    longtext[297] = '\0';
    v = val_text(longtext);
    int len = val_format(&v, buf);
    assert_true(len < VAL_BUF);
    assert_int_equal(len % 3, 0);  /* cut at a character boundary */
}

static void test_units(void **state) {
    (void)state;
    static const char *const counts[] = {"个", "家", "所", "处", "项", "场", "次",
                                         "件", "起", "本", "张", "份", "台", "辆"};
    for (size_t i = 0; i < sizeof counts / sizeof *counts; i++)
        assert_true(unit_is_count_word(counts[i]));
    assert_false(unit_is_count_word("人"));
    assert_false(unit_is_count_word("人次"));
    assert_false(unit_is_count_word("元"));
    assert_false(unit_is_count_word("家次"));
    assert_false(unit_is_count_word(""));
    assert_false(unit_is_count_word(NULL));

    static const struct { const char *in, *base; int mag; } splits[] = {
        {"万元", "元", 4}, {"万人", "人", 4}, {"亿元", "元", 8}, {"人", "人", 0},
        {"千元", "元", 3}, {"百万元", "元", 6}, {"千万元", "元", 7}, {"万人次", "人次", 4},
        {"万亿元", "元", 12}, {"万", "万", 0}, {"亿", "亿", 0}, {"", "", 0}, {"%", "%", 0},
    };
    for (size_t i = 0; i < sizeof splits / sizeof *splits; i++) {
        int mag = -1;
        assert_string_equal(unit_split(splits[i].in, &mag), splits[i].base);
        assert_int_equal(mag, splits[i].mag);
    }

    TlDec one = dec_from_int(1);
    TlValue plain = num_of(NUM_PLAIN, NULL, one, 0), plain_wan = num_of(NUM_PLAIN, NULL, one, 4);
    TlValue pct = num_of(NUM_PERCENT, NULL, one, 0), pct2 = pct;
    TlValue ren = num_of(NUM_QUANTITY, "人", one, 0), wanren = num_of(NUM_QUANTITY, "人", one, 4);
    TlValue renci = num_of(NUM_QUANTITY, "人次", one, 0), yuan = num_of(NUM_QUANTITY, "元", one, 4);
    TlValue ge = num_of(NUM_QUANTITY, "个", one, 0), jia = num_of(NUM_QUANTITY, "家", one, 0);
    TlValue text = val_text("有所提升"), miss = val_missing();
    assert_int_equal(unit_compat(&plain, &plain_wan), UNIT_SAME);
    assert_int_equal(unit_compat(&pct, &pct2), UNIT_SAME);
    assert_int_equal(unit_compat(&ren, &wanren), UNIT_SAME);
    assert_int_equal(unit_compat(&ge, &jia), UNIT_COUNT_WORDS);
    assert_int_equal(unit_compat(&ge, &ge), UNIT_SAME);
    assert_int_equal(unit_compat(&ren, &renci), UNIT_INCOMPATIBLE);
    assert_int_equal(unit_compat(&yuan, &ren), UNIT_INCOMPATIBLE);
    assert_int_equal(unit_compat(&pct, &plain), UNIT_INCOMPATIBLE);
    assert_int_equal(unit_compat(&pct, &ge), UNIT_INCOMPATIBLE);
    assert_int_equal(unit_compat(&plain, &ren), UNIT_INCOMPATIBLE);
    assert_int_equal(unit_compat(&text, &text), UNIT_INCOMPATIBLE);
    assert_int_equal(unit_compat(&miss, &plain), UNIT_INCOMPATIBLE);
}

static void test_names(void **state) {
    (void)state;
    char buf[64];
    TlDec one = dec_from_int(1);
    TlValue v = val_missing();
    assert_string_equal(val_kind_name(&v, buf, sizeof buf), "missing");
    v = val_num(one);
    assert_string_equal(val_kind_name(&v, buf, sizeof buf), "number");
    v = num_of(NUM_PERCENT, NULL, one, 0);
    assert_string_equal(val_kind_name(&v, buf, sizeof buf), "percent");
    v = num_of(NUM_QUANTITY, "人", one, 0);
    assert_string_equal(val_kind_name(&v, buf, sizeof buf), "quantity (人)");
    v = val_bool(true);
    assert_string_equal(val_kind_name(&v, buf, sizeof buf), "boolean");
    v = val_text("x");
    assert_string_equal(val_kind_name(&v, buf, sizeof buf), "text");
    assert_string_equal(qual_symbol(QUAL_NONE), "");
    assert_string_equal(qual_symbol(QUAL_GE), "≥");
    assert_string_equal(qual_symbol(QUAL_GT), ">");
    assert_string_equal(qual_symbol(QUAL_LE), "≤");
    assert_string_equal(qual_symbol(QUAL_LT), "<");
    assert_string_equal(qual_symbol(QUAL_EQ), "=");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cell_table, arena_setup, arena_teardown),
        cmocka_unit_test_setup_teardown(test_cell_long_and_odd_input, arena_setup, arena_teardown),
        cmocka_unit_test_setup_teardown(test_cell_fragments_roundtrip, arena_setup, arena_teardown),
        cmocka_unit_test_setup_teardown(test_cell_errors, arena_setup, arena_teardown),
        cmocka_unit_test_setup_teardown(test_cell_missing_words, arena_setup, arena_teardown),
        cmocka_unit_test(test_format_computed),
        cmocka_unit_test(test_units),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
