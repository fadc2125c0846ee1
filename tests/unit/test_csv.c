/* test_csv.c - the RFC 4180 reader: quoting, line numbers, errors, limits. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/data/csv.h"

typedef struct Parsed {
    CsvReader r;
    CsvRecord rec;
} Parsed;

static void start(Parsed *p, const char *s)
{
    csv_init(&p->r, s, strlen(s));
}

static int next(Parsed *p)
{
    return csv_next(&p->r, &p->rec);
}

static void expect_fields(const CsvRecord *rec, size_t n, const char *const *want)
{
    assert_int_equal(rec->nfields, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(rec->fields[i].len, strlen(want[i]));
        assert_memory_equal(rec->fields[i].text, want[i], strlen(want[i]));
        assert_int_equal(rec->fields[i].text[rec->fields[i].len], '\0');
    }
}

#define EXPECT(rec, ...)                                                     \
    do {                                                                     \
        const char *const want_[] = {__VA_ARGS__};                           \
        expect_fields((rec), sizeof want_ / sizeof *want_, want_);           \
    } while (0)

static void test_simple(void **state)
{
    (void)state;
    Parsed p;
    start(&p, "a,b,c\n1,2,3\n");
    assert_int_equal(next(&p), CSV_RECORD);
    assert_int_equal(p.rec.line, 1);
    EXPECT(&p.rec, "a", "b", "c");
    assert_int_equal(next(&p), CSV_RECORD);
    assert_int_equal(p.rec.line, 2);
    EXPECT(&p.rec, "1", "2", "3");
    assert_int_equal(next(&p), CSV_EOF);
    assert_int_equal(next(&p), CSV_EOF);
    csv_free(&p.r);
}

static void test_quotes_and_escapes(void **state)
{
    (void)state;
    Parsed p;
    start(&p, "\"a \"\"q\"\" b\",\"\",\"\"\"\"\n");
    assert_int_equal(next(&p), CSV_RECORD);
    EXPECT(&p.rec, "a \"q\" b", "", "\"");
    assert_int_equal(next(&p), CSV_EOF);
    csv_free(&p.r);
}

static void test_embedded_comma_newline(void **state)
{
    (void)state;
    Parsed p;
    start(&p, "x,\"l1,\nl2\n\",y\nnext,\"社会\r\n效益\"\nlast,1\n");
    assert_int_equal(next(&p), CSV_RECORD);
    assert_int_equal(p.rec.line, 1);
    EXPECT(&p.rec, "x", "l1,\nl2\n", "y");
    assert_int_equal(p.rec.fields[2].line, 3);
    assert_int_equal(next(&p), CSV_RECORD);
    assert_int_equal(p.rec.line, 4);
    EXPECT(&p.rec, "next", "社会\r\n效益");
    assert_int_equal(next(&p), CSV_RECORD);
    assert_int_equal(p.rec.line, 6);
    EXPECT(&p.rec, "last", "1");
    assert_int_equal(next(&p), CSV_EOF);
    csv_free(&p.r);
}

static void test_crlf_bom_no_final_newline(void **state)
{
    (void)state;
    Parsed p;
    start(&p, "\xEF\xBB\xBFreport,x\r\nA,1\r\nB,\"2\"");
    assert_int_equal(next(&p), CSV_RECORD);
    EXPECT(&p.rec, "report", "x");
    assert_int_equal(next(&p), CSV_RECORD);
    assert_int_equal(p.rec.line, 2);
    EXPECT(&p.rec, "A", "1");
    assert_int_equal(next(&p), CSV_RECORD);
    assert_int_equal(p.rec.line, 3);
    EXPECT(&p.rec, "B", "2");
    assert_int_equal(next(&p), CSV_EOF);
    csv_free(&p.r);
}

static void test_blank_lines_counted(void **state)
{
    (void)state;
    Parsed p;
    start(&p, "\n\na\n\r\n\nb,\n,\n");
    assert_int_equal(next(&p), CSV_RECORD);
    assert_int_equal(p.rec.line, 3);
    EXPECT(&p.rec, "a");
    assert_int_equal(next(&p), CSV_RECORD);
    assert_int_equal(p.rec.line, 6);
    EXPECT(&p.rec, "b", "");
    assert_int_equal(next(&p), CSV_RECORD);
    assert_int_equal(p.rec.line, 7);
    EXPECT(&p.rec, "", "");
    assert_int_equal(next(&p), CSV_EOF);
    csv_free(&p.r);
}

static void test_lone_cr(void **state)
{
    (void)state;
    Parsed p;
    start(&p, "a\rb,c\r");
    assert_int_equal(next(&p), CSV_RECORD);
    EXPECT(&p.rec, "a\rb", "c");
    assert_int_equal(next(&p), CSV_EOF);
    csv_free(&p.r);
}

static void test_empty_input(void **state)
{
    (void)state;
    Parsed p;
    start(&p, "");
    assert_int_equal(next(&p), CSV_EOF);
    csv_free(&p.r);
    start(&p, "\xEF\xBB\xBF");
    assert_int_equal(next(&p), CSV_EOF);
    csv_free(&p.r);
}

static void test_unterminated_quote(void **state)
{
    (void)state;
    Parsed p;
    start(&p, "a,b\nc,\"open\nmore\nstuff");
    assert_int_equal(next(&p), CSV_RECORD);
    assert_int_equal(next(&p), CSV_ERROR);
    assert_string_equal(p.r.error, "unterminated quote");
    assert_int_equal(p.r.error_line, 2);
    assert_int_equal(p.r.error_col, 3);
    assert_int_equal(p.r.error_field, 2);
    assert_int_equal(p.rec.line, 2);
    EXPECT(&p.rec, "c");
    /* Reading goes on at the line after the quote, so nothing else is lost. */
    assert_int_equal(next(&p), CSV_RECORD);
    assert_int_equal(p.rec.line, 3);
    EXPECT(&p.rec, "more");
    assert_int_equal(next(&p), CSV_RECORD);
    assert_int_equal(p.rec.line, 4);
    EXPECT(&p.rec, "stuff");
    assert_int_equal(next(&p), CSV_EOF);
    csv_free(&p.r);
}

static void test_quote_in_unquoted_field(void **state)
{
    (void)state;
    Parsed p;
    start(&p, "id1,人数\"15,z\nok,1\n");
    assert_int_equal(next(&p), CSV_ERROR);
    assert_string_equal(p.r.error, "quote inside an unquoted field");
    assert_int_equal(p.r.error_line, 1);
    assert_int_equal(p.r.error_col, 7); /* counted in characters */
    assert_int_equal(p.r.error_field, 2);
    EXPECT(&p.rec, "id1");
    assert_int_equal(next(&p), CSV_RECORD);
    assert_int_equal(p.rec.line, 2);
    EXPECT(&p.rec, "ok", "1");
    csv_free(&p.r);
}

static void test_text_after_closing_quote(void **state)
{
    (void)state;
    Parsed p;
    start(&p, "\"ab\"x,1\nok\n");
    assert_int_equal(next(&p), CSV_ERROR);
    assert_string_equal(p.r.error, "text after a closing quote");
    assert_int_equal(p.r.error_line, 1);
    assert_int_equal(p.r.error_col, 5);
    assert_int_equal(p.r.error_field, 1);
    assert_int_equal(p.rec.nfields, 0);
    assert_int_equal(next(&p), CSV_RECORD);
    EXPECT(&p.rec, "ok");
    csv_free(&p.r);
}

/* The borrowed reader scans without AVX2 (test_borrowed_blocks). */
static bool no_avx2;

/* Read data whole in both modes (CsvReader.borrow off and on): the same
 * records, fields (by length), lines and errors. */
static void same_both_ways_sep(const char *data, size_t len, char sep, bool some_borrowed)
{
    CsvReader a, b;
    CsvRecord ra, rb;
    csv_init(&a, data, len);
    csv_init(&b, data, len);
    csv_set_separator(&a, sep);
    csv_set_separator(&b, sep);
    b.borrow = true;
    if (no_avx2)
        b.avx2 = false;
    size_t borrowed = 0;
    for (;;) {
        int ca = csv_next(&a, &ra), cb = csv_next(&b, &rb);
        assert_int_equal(ca, cb);
        assert_int_equal(ra.nfields, rb.nfields);
        assert_int_equal(ra.line, rb.line);
        for (size_t i = 0; i < ra.nfields; i++) {
            assert_int_equal(ra.fields[i].len, rb.fields[i].len);
            assert_memory_equal(ra.fields[i].text, rb.fields[i].text, ra.fields[i].len);
            assert_int_equal(ra.fields[i].line, rb.fields[i].line);
            borrowed += rb.fields[i].text >= data && rb.fields[i].text < data + len;
        }
        if (ca == CSV_ERROR) {
            assert_string_equal(a.error, b.error);
            assert_int_equal(a.error_line, b.error_line);
            assert_int_equal(a.error_col, b.error_col);
            assert_int_equal(a.error_field, b.error_field);
        }
        if (ca == CSV_EOF)
            break;
    }
    if (some_borrowed && len > 2)
        assert_true(borrowed > 0); /* the fields were not copied */
    csv_free(&a);
    csv_free(&b);
}

static void same_both_ways(const char *data, size_t len)
{
    same_both_ways_sep(data, len, ',', true);
}

static void test_borrowed_fields(void **state)
{
    (void)state;
    static const char *const inputs[] = {
        "a,b,c\n1,2,3\n",
        "x,\"q,\"\"uo\nted\",y\r\nplain,,\n\n\nlast",
        "\xEF\xBB\xBFid,v\r\n1,\"a\"b\n2,c\"d\n3,\"open\n4,ok\n",
        "报告,一级指标\n湘潭,产出指标（50分）\n,\n\"\",x\rlone\r",
        "a\tb\n",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++)
        same_both_ways(inputs[i], strlen(inputs[i]));
    /* the limits: a field over 1 MiB unquoted and quoted, a record over 16 MiB */
    size_t big = 2u << 20;
    char *s = malloc(2 * big + CSV_MAX_FIELD + 64), *o = s;
    o += sprintf(o, "x,");
    memset(o, 'a', big), o += big;
    o += sprintf(o, "\n\"");
    memset(o, 'b', big), o += big;
    o += sprintf(o, "\"\nok,");
    memset(o, 'c', CSV_MAX_FIELD), o += CSV_MAX_FIELD;
    o += sprintf(o, "\n");
    same_both_ways(s, (size_t)(o - s));
    free(s);
    size_t n = 17 * ((size_t)CSV_MAX_FIELD + 1);
    s = malloc(n + 8);
    for (size_t k = 0; k < 17; k++) {
        memset(s + k * (CSV_MAX_FIELD + 1), 'd', CSV_MAX_FIELD);
        s[k * (CSV_MAX_FIELD + 1) + CSV_MAX_FIELD] = ',';
    }
    memcpy(s + n, "\nok\n", 4);
    same_both_ways(s, n + 4);
    free(s);
}

/* A borrowed record without quotes or CRs is cut in one pass over the
 * masks of sixteen bytes (borrowed_line); anything else falls back to the
 * general path from the record's start.  Random texts of fields, quotes,
 * CRs, line ends and CJK, with commas and with tabs, read both ways; and
 * records at the limit of the number of fields and just over it. */
static void test_borrowed_random(void **state)
{
    (void)state;
    static const char *const parts[] = {"a", "bcdefghijklmnopqrstuvwxyz", "隆回县", ",", ",",
                                        "\t", "\n", "\n", "\r\n", "\r", "\"", "\"\"", "\",\"",
                                        " ", "≥91.7%"};
    uint64_t x = 0x2545F4914F6CDD1Dull;
    char buf[1200];
    for (int round = 0; round < 20000; round++) {
        size_t n = 0;
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t target = x % 1000;
        bool plain = x % 3 == 0; /* no quotes nor CRs: all on the fast path */
        while (n < target) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            size_t k = x % (sizeof parts / sizeof *parts);
            if (plain && (k >= 9 && k <= 12))
                k = 0;
            size_t len = strlen(parts[k]);
            memcpy(buf + n, parts[k], len);
            n += len;
        }
        same_both_ways_sep(buf, n, round % 2 ? ',' : '\t', false);
    }
    for (size_t fields = CSV_MAX_COLUMNS - 1; fields <= CSV_MAX_COLUMNS + 1; fields++) {
        char *s = malloc(2 * fields + 8);
        size_t n = 0;
        for (size_t k = 0; k < fields; k++)
            s[n++] = 'v', s[n++] = k + 1 < fields ? ',' : '\n';
        memcpy(s + n, "ok\n", 3);
        same_both_ways(s, n + 3);
        free(s);
    }
}

/* A borrowed record is cut by the masks of 64 bytes at a time (32 with
 * AVX2, 16 without): a separator, a line end, a quote and a CR at every
 * offset of the first blocks and across their edges, records that end at
 * and around an edge, data that ends there without a line end, and
 * records just under and over the field limit - with and without AVX2,
 * read both ways. */
static void test_borrowed_blocks(void **state)
{
    (void)state;
    char *buf = malloc(4096);
    for (int mode = 0; mode < 2; mode++) {
        no_avx2 = mode == 1;
        for (size_t k = 0; k < 200; k++) {
            for (const char *sp = ",\n\r\"\t"; *sp; sp++) {
                /* k bytes of fields of three, then the byte, then more */
                size_t n = 0;
                for (size_t j = 0; j < k; j++)
                    buf[n++] = j % 4 == 3 ? ',' : (char)('a' + j % 26);
                buf[n++] = *sp;
                memcpy(buf + n, "x,y,z\nlast,1\n", 14);
                same_both_ways_sep(buf, n + 14, ',', false);
                same_both_ways_sep(buf, n + 5, ',', false); /* ends without a LF */
                same_both_ways_sep(buf, k, ',', false);     /* ends at the byte */
            }
            /* a line of k bytes, a field a byte, and the next line */
            size_t n = 0;
            for (size_t j = 0; j < k; j++)
                buf[n++] = j % 2 ? ',' : '1';
            buf[n++] = '\n';
            for (size_t j = 0; j < 130; j++)
                buf[n++] = j % 2 ? ',' : '2';
            buf[n++] = '\n';
            same_both_ways_sep(buf, n, ',', true);
            same_both_ways_sep(buf, n - 1, ',', true);
        }
        /* a record of fields of the field limit's size around the limit */
        for (long d = -70; d <= 70; d += 7) {
            size_t n = (size_t)((long)CSV_MAX_FIELD + d);
            char *s = malloc(n + 16);
            for (size_t j = 0; j < n; j++)
                s[j] = j % 100 == 99 ? ',' : 'v';
            memcpy(s + n, "\nok\n", 4);
            same_both_ways_sep(s, n + 4, ',', true);
            same_both_ways_sep(s, n, ',', true);
            free(s);
        }
    }
    no_avx2 = false;
    free(buf);
}

/* The scanner takes plain bytes eight at a time: a special byte at every
 * offset of a word ends the field exactly there. */
static void test_special_at_every_offset(void **state)
{
    (void)state;
    char data[64];
    for (size_t k = 1; k < 40; k++) {
        memset(data, 'a', k);
        for (const char *sp = ",\n\r\""; *sp; sp++) {
            memcpy(data + k, sp, 1);
            memcpy(data + k + 1, "bcdefghijk\n", 12);
            size_t len = k + 12;
            for (int borrow = 0; borrow < 2; borrow++) {
                CsvReader r;
                CsvRecord rec;
                csv_init(&r, data, len);
                r.borrow = borrow;
                int rc = csv_next(&r, &rec);
                if (*sp == '"') {
                    assert_int_equal(rc, CSV_ERROR);
                    assert_int_equal(r.error_col, (int)k + 1);
                } else {
                    assert_int_equal(rc, CSV_RECORD);
                    size_t want = *sp == '\r' ? len - 1 : k; /* a lone CR is text */
                    assert_int_equal(rec.fields[0].len, want);
                    assert_int_equal(rec.nfields, *sp == ',' ? 2 : 1);
                    if (*sp == '\n') {
                        assert_int_equal(csv_next(&r, &rec), CSV_RECORD);
                        assert_int_equal(rec.fields[0].len, 10);
                        assert_int_equal(rec.line, 2);
                    }
                }
                assert_int_equal(csv_next(&r, &rec), CSV_EOF);
                csv_free(&r);
            }
        }
    }
}

static char *repeat(char c, size_t n)
{
    char *s = malloc(n + 1);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

static void test_field_limit(void **state)
{
    (void)state;
    size_t big = 2u << 20;
    /* "x,<2 MiB>\n"<2 MiB quoted>"\nok\n" */
    char *s = malloc(2 * big + 64), *o = s;
    o += sprintf(o, "x,");
    memset(o, 'a', big), o += big;
    o += sprintf(o, "\n\"");
    memset(o, 'b', big), o += big;
    o += sprintf(o, "\"\nok\n");
    CsvReader r;
    CsvRecord rec;
    csv_init(&r, s, (size_t)(o - s));
    assert_int_equal(csv_next(&r, &rec), CSV_ERROR);
    assert_string_equal(r.error, "field longer than 1 MiB");
    assert_int_equal(r.error_line, 1);
    assert_int_equal(r.error_col, 3);
    assert_int_equal(r.error_field, 2);
    assert_int_equal(csv_next(&r, &rec), CSV_ERROR);
    assert_string_equal(r.error, "field longer than 1 MiB");
    assert_int_equal(r.error_line, 2);
    assert_int_equal(csv_next(&r, &rec), CSV_RECORD);
    assert_int_equal(rec.line, 3);
    assert_memory_equal(rec.fields[0].text, "ok", 3);
    assert_int_equal(csv_next(&r, &rec), CSV_EOF);
    csv_free(&r);
    free(s);

    /* exactly at the limit is fine */
    s = repeat('c', CSV_MAX_FIELD);
    csv_init(&r, s, CSV_MAX_FIELD);
    assert_int_equal(csv_next(&r, &rec), CSV_RECORD);
    assert_int_equal(rec.fields[0].len, CSV_MAX_FIELD);
    csv_free(&r);
    free(s);
}

static void test_column_limit(void **state)
{
    (void)state;
    size_t n = 20000;
    char *s = malloc(2 * n + 8), *o = s;
    for (size_t i = 0; i < n; i++)
        *o++ = '1', *o++ = ',';
    o[-1] = '\n';
    o += sprintf(o, "ok\n");
    CsvReader r;
    CsvRecord rec;
    csv_init(&r, s, (size_t)(o - s));
    assert_int_equal(csv_next(&r, &rec), CSV_ERROR);
    assert_string_equal(r.error, "record has more than 10000 fields");
    assert_int_equal(r.error_field, CSV_MAX_COLUMNS + 1);
    assert_int_equal(rec.nfields, CSV_MAX_COLUMNS);
    assert_int_equal(csv_next(&r, &rec), CSV_RECORD);
    assert_int_equal(rec.line, 2);
    csv_free(&r);

    /* exactly CSV_MAX_COLUMNS fields is fine */
    o = s;
    for (size_t i = 0; i < CSV_MAX_COLUMNS; i++)
        *o++ = '1', *o++ = ',';
    o[-1] = '\n';
    csv_init(&r, s, (size_t)(o - s));
    assert_int_equal(csv_next(&r, &rec), CSV_RECORD);
    assert_int_equal(rec.nfields, CSV_MAX_COLUMNS);
    csv_free(&r);
    free(s);
}

static void test_record_limit(void **state)
{
    (void)state;
    size_t f = CSV_MAX_FIELD - 1, n = 17;
    char *s = malloc(n * (f + 1) + 1), *o = s;
    for (size_t i = 0; i < n; i++) {
        memset(o, 'r', f), o += f;
        *o++ = ',';
    }
    o[-1] = '\n';
    CsvReader r;
    CsvRecord rec;
    csv_init(&r, s, (size_t)(o - s));
    assert_int_equal(csv_next(&r, &rec), CSV_ERROR);
    assert_string_equal(r.error, "record longer than 16 MiB");
    assert_int_equal(r.error_field, 17);
    assert_int_equal(csv_next(&r, &rec), CSV_EOF);
    csv_free(&r);
    free(s);
}

static void test_20mb_without_newline(void **state)
{
    (void)state;
    size_t n = 20u * 1000 * 1000;
    char *s = repeat('z', n);
    CsvReader r;
    CsvRecord rec;
    csv_init(&r, s, n);
    assert_int_equal(csv_next(&r, &rec), CSV_ERROR);
    assert_string_equal(r.error, "field longer than 1 MiB");
    assert_true(r.bufcap <= CSV_MAX_FIELD + 1);
    assert_int_equal(csv_next(&r, &rec), CSV_EOF);
    csv_free(&r);

    /* the same with an opening quote: the quote is the cause */
    s[0] = '"';
    csv_init(&r, s, n);
    assert_int_equal(csv_next(&r, &rec), CSV_ERROR);
    assert_string_equal(r.error, "unterminated quote");
    assert_int_equal(r.error_line, 1);
    assert_int_equal(r.error_col, 1);
    assert_true(r.bufcap <= CSV_MAX_FIELD + 1);
    csv_free(&r);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple),
        cmocka_unit_test(test_quotes_and_escapes),
        cmocka_unit_test(test_embedded_comma_newline),
        cmocka_unit_test(test_crlf_bom_no_final_newline),
        cmocka_unit_test(test_blank_lines_counted),
        cmocka_unit_test(test_lone_cr),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_quote_in_unquoted_field),
        cmocka_unit_test(test_text_after_closing_quote),
        cmocka_unit_test(test_field_limit),
        cmocka_unit_test(test_column_limit),
        cmocka_unit_test(test_record_limit),
        cmocka_unit_test(test_20mb_without_newline),
        cmocka_unit_test(test_borrowed_fields),
        cmocka_unit_test(test_borrowed_random),
        cmocka_unit_test(test_special_at_every_offset),
        cmocka_unit_test(test_borrowed_blocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
