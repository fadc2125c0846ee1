/* test_report.c - loading report data: wide CSV, long CSV, JSON, encodings. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <iconv.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/data/inline.h"
#include "runtime/data/loader.h"
#include "runtime/data/report.h"
#include "runtime/data/sniff.h"

typedef struct Fixture {
    ReportSet set;
    DiagList dl;
} Fixture;

static int setup(void **state)
{
    Fixture *f = calloc(1, sizeof *f);
    reportset_init(&f->set);
    diag_init(&f->dl);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    diag_free(&f->dl);
    reportset_free(&f->set);
    free(f);
    return 0;
}

static bool load_as(Fixture *f, const char *name, const char *text, DataFormat fmt,
                    const char *encoding)
{
    LoadOptions opt = {fmt, encoding, NULL};
    return reportset_load_buffer(&f->set, name, text, strlen(text), &opt, &f->dl);
}

static bool load(Fixture *f, const char *name, const char *text)
{
    return load_as(f, name, text, DATA_AUTO, NULL);
}

/* The diagnostic with this severity, line and column name whose message
 * contains `part`; NULL when there is none.  line -1 / column "*" match any. */
static const Diag *find_diag(const Fixture *f, DiagSeverity sev, int line, const char *column,
                             const char *part)
{
    for (size_t i = 0; i < f->dl.len; i++) {
        const Diag *d = &f->dl.items[i];
        if (d->severity != sev || (line >= 0 && d->line != line))
            continue;
        if (!(column && strcmp(column, "*") == 0) &&
            (column ? !d->column || strcmp(d->column, column) != 0 : d->column != NULL))
            continue;
        if (strstr(d->message, part))
            return d;
    }
    return NULL;
}

static void dump_diags(const Fixture *f)
{
    diag_render_all(&f->dl, stderr, false);
}

#define EXPECT_DIAG(f, sev, line, column, part)                                   \
    do {                                                                          \
        if (!find_diag((f), (sev), (line), (column), (part))) {                   \
            dump_diags(f);                                                        \
            fail_msg("no diagnostic at line %d column %s containing \"%s\"",      \
                     (line), (column) ? (column) : "(none)", (part));             \
        }                                                                         \
    } while (0)

static const Report *find_report(const Fixture *f, const char *id)
{
    for (size_t i = 0; i < f->set.len; i++)
        if (strcmp(f->set.reports[i].id, id) == 0)
            return &f->set.reports[i];
    return NULL;
}

static const Report *get_report(const Fixture *f, const char *id)
{
    const Report *r = find_report(f, id);
    if (!r)
        fail_msg("no report '%s'", id);
    return r;
}

static void assert_int_value(TlValue v, int64_t want)
{
    assert_int_equal(v.kind, TL_NUM);
    assert_int_equal(dec_cmp(v.u.num, dec_from_int(want)), 0);
}

static void assert_dec_value(TlValue v, int64_t coef, int scale)
{
    assert_int_equal(v.kind, TL_NUM);
    assert_int_equal(dec_cmp(v.u.num, dec_make(coef, scale)), 0);
}

/* Wide CSV ---------------------------------------------------------------- */

static void test_wide_basic(void **state)
{
    Fixture *f = *state;
    assert_true(load(f, "d.csv",
                     "report,全年预算数,全年执行数,编制数,备注\n"
                     "A,11458.23万元,11458.23万元,120,有所提升\n"
                     "B,100,,90%,\n"));
    assert_int_equal(f->dl.errors, 0);
    assert_int_equal(f->set.len, 2);
    const Report *a = get_report(f, "A");
    assert_int_equal(a->nfigures, 4);
    assert_false(a->has_table);
    assert_null(a->error);
    assert_int_equal(a->pos.line, 2);
    const Figure *fig = report_figure(a, "全年预算数");
    assert_non_null(fig);
    assert_string_equal(fig->raw, "11458.23万元");
    assert_int_equal(fig->value.kind, TL_NUM);
    assert_int_equal(fig->value.numkind, NUM_QUANTITY);
    assert_string_equal(fig->pos.column, "全年预算数");
    assert_int_equal(fig->pos.line, 2);
    assert_int_equal(report_figure(a, "备注")->value.kind, TL_TEXT);
    assert_int_value(report_figure(a, "编制数")->value, 120);
    const Report *b = get_report(f, "B");
    assert_int_equal(report_figure(b, "全年执行数")->value.kind, TL_MISSING);
    assert_int_equal(report_figure(b, "编制数")->value.numkind, NUM_PERCENT);
    assert_null(report_figure(b, "report"));
    assert_null(report_figure(b, "nope"));
}

/* Each figure's raw cell as written, NUL-terminated: a record read by one
 * copy (csv_wide.c record_copy), one with a quoted field (copied cell by
 * cell), a short and a long record, CRLF line ends. */
static void assert_raw(const Report *r, const char *name, const char *want)
{
    const Figure *fig = report_figure(r, name);
    assert_non_null(fig);
    assert_string_equal(fig->raw, want);
}

static void test_wide_raw_cells(void **state)
{
    Fixture *f = *state;
    assert_true(load(f, "d.csv",
                     "report,x,y,z\r\n"
                     "A,1,22万元,333\r\n"
                     "B,\"4,5\",,6%\r\n"
                     "C,\"7\"\"\",8,9\r\n"
                     "D,10\r\n"
                     "E,11,12,13,14\r\n"
                     "F,,,\r\n"));
    const Report *a = get_report(f, "A"), *b = get_report(f, "B"), *c = get_report(f, "C");
    assert_raw(a, "x", "1");
    assert_raw(a, "y", "22万元");
    assert_raw(a, "z", "333");
    assert_int_value(report_figure(a, "z")->value, 333);
    assert_raw(b, "x", "4,5");
    assert_raw(b, "y", "");
    assert_raw(b, "z", "6%");
    assert_raw(c, "x", "7\"");
    assert_raw(c, "y", "8");
    assert_raw(c, "z", "9");
    assert_raw(get_report(f, "D"), "x", "10");
    assert_raw(get_report(f, "D"), "z", "");
    assert_raw(get_report(f, "E"), "z", "13");
    assert_raw(get_report(f, "F"), "x", "");
    assert_raw(get_report(f, "F"), "z", "");
}

static void test_wide_ragged_row(void **state)
{
    Fixture *f = *state;
    assert_true(load(f, "d.csv", "report,x,y\nA,1,2\nB,1\nC,1,2,3\n,\n"));
    EXPECT_DIAG(f, DIAG_ERROR, 3, NULL, "row has 2 fields, header has 3");
    EXPECT_DIAG(f, DIAG_ERROR, 4, NULL, "row has 4 fields, header has 3");
    assert_int_equal(f->set.len, 3); /* ",\n" is an empty row and skipped */
    assert_null(get_report(f, "A")->error);
    assert_string_equal(get_report(f, "B")->error, "row has 2 fields, header has 3");
    assert_int_equal(report_figure(get_report(f, "B"), "y")->value.kind, TL_MISSING);
    assert_non_null(get_report(f, "C")->error);
}

static void test_wide_duplicate_and_empty_id(void **state)
{
    Fixture *f = *state;
    assert_true(load(f, "d.csv", "x,report\n1,A\n2,B\n3,A\n4,  \n"));
    EXPECT_DIAG(f, DIAG_ERROR, 4, "report", "duplicate report id 'A' (first at line 2)");
    EXPECT_DIAG(f, DIAG_ERROR, 5, "report", "empty report id");
    assert_int_equal(f->set.len, 4);
    assert_null(f->set.reports[0].error);
    assert_string_equal(f->set.reports[2].id, "A");
    assert_string_equal(f->set.reports[2].error, "duplicate report id (first at line 2)");
    assert_int_value(report_figure(&f->set.reports[2], "x")->value, 3);
    assert_string_equal(f->set.reports[3].id, "line 5");
    assert_string_equal(f->set.reports[3].error, "column \"report\": empty report id");
    assert_int_equal(f->dl.items[0].col, 2);
}

static void test_wide_excel_style(void **state)
{
    Fixture *f = *state;
    assert_true(load(f, "export.csv",
                     "\xEF\xBB\xBF单位名称,\"基本支出, 万元\",说明\r\n"
                     "\"隆回县人力资源和社会保障局\",\"11,444.41\",\"第一行\r\n第二行\"\r\n"
                     "某局,12,\r\n"));
    assert_int_equal(f->dl.errors, 0);
    assert_int_equal(f->set.len, 2);
    const Report *r = get_report(f, "隆回县人力资源和社会保障局");
    assert_dec_value(report_figure(r, "基本支出, 万元")->value, 1144441, 2);
    assert_string_equal(report_figure(r, "说明")->raw, "第一行\r\n第二行");
    assert_int_equal(get_report(f, "某局")->pos.line, 4);
}

static void test_wide_header_errors(void **state)
{
    Fixture *f = *state;
    assert_false(load(f, "d.csv", "id,x\nA,1\n"));
    EXPECT_DIAG(f, DIAG_ERROR, 1, NULL, "no 'report' column");
    assert_false(load(f, "d.csv", "report,x, x \nA,1,2\n"));
    EXPECT_DIAG(f, DIAG_ERROR, 1, "x", "duplicate column name 'x' (columns 2 and 3)");
    assert_false(load(f, "d.csv", "report,\"x\ny\n"));
    EXPECT_DIAG(f, DIAG_ERROR, 1, NULL, "unterminated quote at character 8 (in the header)");
    assert_int_equal(f->set.len, 0);
}

static void test_wide_cell_errors(void **state)
{
    Fixture *f = *state;
    assert_true(load(f, "d.csv",
                     "report,big,,note\n"
                     "A,123456789012345678901234,,ok\n"
                     "B,1,stray,\n"
                     "C,1,\"x\"y,\n"
                     "D,1,,\n"));
    EXPECT_DIAG(f, DIAG_ERROR, 3, NULL, "value in column 3, which has no name in the header");
    EXPECT_DIAG(f, DIAG_ERROR, 4, NULL, "text after a closing quote at character 8");
    /* a cell that cannot be read is a bad cell of the report, which is still scored */
    assert_null(get_report(f, "A")->error);
    assert_int_equal(get_report(f, "A")->nbad, 1);
    assert_string_equal(get_report(f, "A")->bad[0].problem, "number too large");
    assert_string_equal(get_report(f, "A")->bad[0].pos.column, "big");
    assert_int_equal(get_report(f, "A")->bad[0].pos.line, 2);
    assert_int_equal(get_report(f, "A")->bad[0].field, 2);
    assert_non_null(get_report(f, "B")->error);
    assert_string_equal(get_report(f, "C")->error,
                        "malformed CSV record at line 4: text after a closing quote");
    assert_null(get_report(f, "D")->error);
    assert_int_equal(get_report(f, "D")->nfigures, 2);
}

static void test_wide_unterminated_quote_mid_file(void **state)
{
    Fixture *f = *state;
    assert_true(load(f, "d.csv", "report,x\nA,1\nB,\"2\nC,3\n"));
    EXPECT_DIAG(f, DIAG_ERROR, 3, "x", "unterminated quote at character 3");
    /* C is read: the reader resumes at the line after the open quote. */
    assert_int_equal(f->set.len, 3);
    assert_null(get_report(f, "A")->error);
    assert_non_null(get_report(f, "B")->error);
    assert_null(get_report(f, "C")->error);
}

/* Encodings ------------------------------------------------------------------ */

static char *to_encoding(const char *enc, const char *utf8, size_t *outlen)
{
    iconv_t cd = iconv_open(enc, "UTF-8");
    assert_true(cd != (iconv_t)-1);
    size_t il = strlen(utf8), cap = 4 * il + 16, ol = cap;
    char *out = malloc(cap), *ip = (char *)utf8, *op = out;
    assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
    iconv_close(cd);
    *outlen = cap - ol;
    out[*outlen] = '\0';
    return out;
}

static void test_gb18030(void **state)
{
    Fixture *f = *state;
    size_t n;
    char *gb = to_encoding("GB18030", "report,人数,满意度\n人社局,15人,90％\n财政局,3,95%\n", &n);
    LoadOptions opt = {DATA_AUTO, "GB18030", NULL};
    assert_true(reportset_load_buffer(&f->set, "gb.csv", gb, n, &opt, &f->dl));
    assert_int_equal(f->dl.errors, 0);
    const Report *r = get_report(f, "人社局");
    assert_string_equal(report_figure(r, "人数")->raw, "15人");
    assert_int_equal(report_figure(r, "满意度")->value.numkind, NUM_PERCENT);
    assert_non_null(find_report(f, "财政局"));

    free(gb);

    /* without --encoding: not UTF-8, but GB18030, read as such with a note */
    gb = to_encoding("GB18030", "report,人数\n民政局,7人\n", &n);
    assert_true(reportset_load_buffer(&f->set, "gb2.csv", gb, n, NULL, &f->dl));
    assert_non_null(find_diag(f, DIAG_NOTE, 0, NULL, "not UTF-8: read as GB18030"));
    assert_string_equal(report_figure(get_report(f, "民政局"), "人数")->raw, "7人");
    assert_int_equal(f->set.len, 3);
    free(gb);
}

static void test_invalid_utf8_position(void **state)
{
    Fixture *f = *state;
    assert_false(load(f, "d.csv", "report,x\nA,1\nBé,\xff\n"));
    const Diag *d = find_diag(f, DIAG_ERROR, 3, NULL, "invalid UTF-8 (byte 0xFF)");
    assert_non_null(d);
    assert_int_equal(d->col, 4);
    assert_false(load(f, "d.csv", "\xEF\xBB\xBFreport,\xff\n"));
    d = find_diag(f, DIAG_ERROR, 1, NULL, "invalid UTF-8 (byte 0xFF)");
    assert_int_equal(d->col, 8); /* the byte-order mark is not a character */
    assert_int_equal(f->set.len, 0);
}

static void test_conversion_errors(void **state)
{
    Fixture *f = *state;
    assert_false(load_as(f, "d.csv", "report,x\nA,1\nB,\x81\x20\n", DATA_AUTO, "GB18030"));
    EXPECT_DIAG(f, DIAG_ERROR, 3, NULL, "invalid GB18030 byte sequence at byte offset 15");
    assert_false(load_as(f, "d.csv", "report,x\nA,\xB0", DATA_AUTO, "GBK"));
    EXPECT_DIAG(f, DIAG_ERROR, 2, NULL, "incomplete GBK character at the end of the file");
    assert_false(load_as(f, "d.csv", "report\nA\n", DATA_AUTO, "NO-SUCH-CODE"));
    EXPECT_DIAG(f, DIAG_ERROR, 0, NULL, "unknown encoding 'NO-SUCH-CODE'");
    assert_true(load_as(f, "d.csv", "report\nA\n", DATA_AUTO, "utf-8"));
}

static void test_empty_and_binary(void **state)
{
    Fixture *f = *state;
    assert_false(load(f, "d.csv", ""));
    assert_false(load(f, "d.csv", "\xEF\xBB\xBF \r\n\n"));
    assert_false(load(f, "d.json", "  "));
    assert_int_equal(f->dl.errors, 3);
    EXPECT_DIAG(f, DIAG_ERROR, 0, NULL, "empty data file");
    assert_false(reportset_load_buffer(&f->set, "d.csv", "r\0x", 3, NULL, &f->dl));
    EXPECT_DIAG(f, DIAG_ERROR, 1, NULL, "NUL byte in data file");
    /* UTF-16 with a byte-order mark is read; one cut in half is not */
    assert_false(load(f, "d.csv", "\xFF\xFEr"));
    EXPECT_DIAG(f, DIAG_ERROR, 1, NULL, "incomplete UTF-16LE character at the end of the file");
    assert_false(load(f, "d.csv", "report,x\n"));
    EXPECT_DIAG(f, DIAG_ERROR, 0, NULL, "no reports in data file (a header and no rows)");
    assert_false(load(f, "d.json", "[]"));
    EXPECT_DIAG(f, DIAG_ERROR, 0, NULL, "no reports in data file");
    assert_int_equal(f->set.len, 0);
    static const char utf16[] = "\xFF\xFEr\0e\0p\0o\0r\0t\0,\0x\0\n\0A\0,\0" "1\0\n\0";
    assert_true(reportset_load_buffer(&f->set, "u.csv", utf16, sizeof utf16 - 1, NULL, &f->dl));
    assert_string_equal(report_figure(get_report(f, "A"), "x")->raw, "1");
}

/* sniff.h, the one place that tells a text file's encoding, separator and
 * line ends: what each kind of file gives. */
static void test_sniff(void **state)
{
    (void)state;
    DataSniff s;
#define BYTES(t, given) data_sniff_bytes(t, sizeof t - 1, given, &s)
#define TEXT(t) data_sniff_text(t, sizeof t - 1, &s)
    BYTES("report,x\n", NULL);
    assert_null(s.encoding);
    assert_true(s.utf8);
    assert_int_equal(s.bom, 0);
    BYTES("\xEF\xBB\xBFreport", NULL); /* UTF-8's mark: skipped, no conversion */
    assert_null(s.encoding);
    assert_int_equal(s.bom, 3);
    BYTES("\xFF\xFEr\0", NULL);
    assert_string_equal(s.encoding, "UTF-16LE");
    assert_int_equal(s.bom, 2);
    assert_true(s.utf16);
    BYTES("\xFE\xFF\0r", "UTF-8"); /* the mark wins over --encoding UTF-8 */
    assert_string_equal(s.encoding, "UTF-16BE");
    BYTES("r,\xC3\xF1\n", NULL); /* 民 in GB18030: not UTF-8, a guess */
    assert_string_equal(s.encoding, "GB18030");
    assert_true(s.gb18030);
    assert_false(s.utf8);
    BYTES("r,\xC3\xF1\n", "UTF-8"); /* said to be UTF-8: no guess */
    assert_null(s.encoding);
    BYTES("r,\xC3\xF1\n", "GBK"); /* said: no note */
    assert_string_equal(s.encoding, "GBK");
    assert_false(s.gb18030);
    assert_int_equal(s.bom, 0);
    BYTES("r,\xFF\xFF\n", NULL); /* neither: UTF-8's check names the byte */
    assert_null(s.encoding);
    assert_false(s.gb18030);
    BYTES("r\0x", NULL); /* a NUL: never a guess */
    assert_null(s.encoding);

    TEXT("a\tb,c\td\n1,2\n"); /* more tabs than commas */
    assert_int_equal(s.separator, '\t');
    assert_false(s.cr_only);
    TEXT("\"a\tb\",c\n"); /* a tab inside quotes does not count */
    assert_int_equal(s.separator, ',');
    TEXT("\xEF\xBB\xBF" "a,b\rc,d\r");
    assert_int_equal(s.separator, ',');
    assert_true(s.cr_only);
    TEXT("a,b\r\nc,d\r\n");
    assert_false(s.cr_only);
#undef BYTES
#undef TEXT
}

/* Excel's "Unicode text": UTF-16LE with a byte-order mark, tab-separated,
 * CRLF; and tab-separated UTF-8; and CR-only line ends (sniff.c). */
static void test_utf16_tabs_and_cr(void **state)
{
    Fixture *f = *state;
    static const char utf16[] = "\xFF\xFEr\0e\0p\0o\0r\0t\0\t\0x\0\r\0\n\0A\0\t\0" "1\0\r\0\n\0";
    assert_true(reportset_load_buffer(&f->set, "u.txt", utf16, sizeof utf16 - 1, NULL, &f->dl));
    assert_true(load(f, "t.tsv", "report\ty\tz\nB\t2\t\"a,b\"\n"));
    assert_true(load(f, "c.csv", "report,w\rC,3\r"));
    EXPECT_DIAG(f, DIAG_WARNING, 0, NULL, "the lines end in CR alone (classic Mac OS line ends): read as line ends");
    assert_int_equal(f->dl.errors, 0);
    assert_int_value(report_figure(get_report(f, "A"), "x")->value, 1);
    assert_int_value(report_figure(get_report(f, "B"), "y")->value, 2);
    assert_string_equal(report_figure(get_report(f, "B"), "z")->raw, "a,b");
    assert_int_value(report_figure(get_report(f, "C"), "w")->value, 3);
}

static void test_load_file_and_errors(void **state)
{
    Fixture *f = *state;
    char path[] = "/tmp/tally_test_report_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *text = "report,x\nA,1\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    assert_true(reportset_load(&f->set, path, NULL, &f->dl));
    assert_int_equal(f->set.len, 1);
    assert_string_equal(f->set.reports[0].pos.file, path);
    assert_non_null(freopen(path, "r", stdin));
    assert_true(reportset_load(&f->set, "-", NULL, &f->dl));
    EXPECT_DIAG(f, DIAG_ERROR, 2, "report", "duplicate report id 'A' (first in");
    assert_int_equal(f->set.len, 2);
    assert_string_equal(f->set.reports[1].pos.file, "<stdin>");
    unlink(path);
    assert_false(reportset_load(&f->set, "/nonexistent/data.csv", NULL, &f->dl));
    EXPECT_DIAG(f, DIAG_ERROR, 0, NULL, "cannot open data file: No such file or directory");
    assert_false(reportset_load(&f->set, "/tmp", NULL, &f->dl));
    EXPECT_DIAG(f, DIAG_ERROR, 0, NULL, "cannot read data file");
}

/* Long CSV ------------------------------------------------------------------- */

static const char seed_like[] =
    "report,level1,level2,indicator,target,actual,weight,reported,reason\n"
    "隆回县人社局,预算执行,,预算执行率,11458.23万元,11458.23万元,10,9,\n"
    "隆回县人社局,\"产出指标\n(50分)\",数量指标,三支一扶合格人员数,15人,100%,5,5,无\n"
    "隆回县人社局,产出指标(50分),数量指标,春风行动招聘活动次数,20场,30场,5,5,\n"
    "隆回县人社局,产出指标(50分),成本指标,人员经费支出,10824.18万元,10824.18万元,5,5分,无\n"
    "隆回县人社局,效益指标（30分）,\"社会\n效益\n指标\",加强对三支一扶人员的管理,有所提升,有所提升,3,3,\n"
    "隆回县人社局,效益指标（30分）,,,,,,,\n"
    "隆回县人社局,满意度指标（10分）,\"服务\r\n对象\r\n满意度\r\n指标\",群众满意度,≥90%,90%,4,3,无\n"
    "隆回县人社局,总分,,,,,100,97,\n"
    "隆回县人社局,自评结论,,,, 优 ,,,\n";

static void test_long_seed_like(void **state)
{
    Fixture *f = *state;
    assert_true(load(f, "table.csv", seed_like));
    assert_int_equal(f->dl.errors, 0);
    assert_int_equal(f->dl.warnings, 0);
    assert_int_equal(f->set.len, 1);
    const Report *r = get_report(f, "隆回县人社局");
    assert_true(r->has_table);
    assert_null(r->error);
    assert_int_equal(r->nrows, 6);
    assert_int_value(r->stated_total, 97);
    assert_int_value(r->stated_max, 100);
    assert_string_equal(r->stated_grade, "优");

    const TableRow *b = &r->rows[0];
    assert_string_equal(b->level1, "预算执行");
    assert_string_equal(b->level2, "");
    assert_int_equal(b->level1_stated_weight, -1);
    assert_string_equal(b->name, "预算执行率");
    assert_string_equal(b->target_raw, "11458.23万元");
    assert_int_equal(b->target.numkind, NUM_QUANTITY);
    assert_int_value(b->weight, 10);
    assert_int_value(b->reported, 9);
    assert_string_equal(b->reason, "");
    assert_int_equal(b->pos.line, 2);

    const TableRow *p = &r->rows[1];
    assert_string_equal(p->level1, "产出指标");
    assert_string_equal(p->level1_raw, "产出指标\n(50分)");
    assert_int_equal(p->level1_stated_weight, 50);
    assert_string_equal(p->level2, "数量指标");
    assert_int_equal(p->actual.numkind, NUM_PERCENT);
    assert_string_equal(p->reason, "无");
    assert_int_equal(p->pos.line, 3);
    assert_int_equal(r->rows[2].pos.line, 5);
    assert_int_value(r->rows[3].reported, 5); /* "5分" */

    const TableRow *s = &r->rows[4];
    assert_string_equal(s->level1, "效益指标");
    assert_int_equal(s->level1_stated_weight, 30);
    assert_string_equal(s->level2, "社会效益指标");
    assert_int_equal(s->target.kind, TL_TEXT);
    assert_int_equal(s->reported.kind, TL_NUM);

    const TableRow *m = &r->rows[5];
    assert_string_equal(m->level1, "满意度指标");
    assert_int_equal(m->level1_stated_weight, 10);
    assert_string_equal(m->level2, "服务对象满意度指标");
    assert_int_equal(m->target.qual, QUAL_GE);
}

/* Labels and names interned per chunk (loader.c label_intern): a long file
 * whose labels recur out of order, are written several ways, and whose
 * names outnumber the cache (so it is emptied mid-chunk), read whole and in
 * chunks of three reports (so it is emptied with each chunk's arena): every
 * row has the labels its own cells say. */
#define INTERN_REPORTS 40
#define INTERN_ROWS 30
static const char *const intern_l1[] = {"产出指标(50分)", " 产出指标 ", "效益指标（30分）",
                                        "满意度指标", "效益指标(30分)"};
static const char *const intern_l1_norm[] = {"产出指标", "产出指标", "效益指标", "满意度指标",
                                             "效益指标"};
static const int intern_l1_weight[] = {50, -1, 30, -1, 30};

static void intern_cells(int r, int k, const char **l1, const char **l2, char *name, size_t n)
{
    *l1 = intern_l1[(r + k * 7) % 5];
    *l2 = (k % 3 == 0) ? "效益指标(30分)" : (k % 3 == 1) ? "数量指标" : "";
    if (k % 4 == 0)
        snprintf(name, n, " 指标%d ", k); /* recurs in every report */
    else
        snprintf(name, n, "指标%d-%d", r, k); /* 30 x 40 distinct: more than the cache holds */
}

static char *intern_file(void)
{
    size_t cap = 1 << 18, len = 0;
    char *buf = malloc(cap);
    len += (size_t)snprintf(buf, cap, "report,level1,level2,indicator,target,actual,weight,"
                                      "reported,reason\n");
    for (int r = 0; r < INTERN_REPORTS; r++)
        for (int k = 0; k < INTERN_ROWS; k++) {
            const char *l1, *l2;
            char name[64];
            intern_cells(r, k, &l1, &l2, name, sizeof name);
            len += (size_t)snprintf(buf + len, cap - len, "R%d,%s,%s,%s,5人,4人,2,1,%s\n", r, l1,
                                    l2, name, k % 2 ? " 无" : "原因");
        }
    return buf;
}

static int intern_checked;

static void intern_check(const ReportSet *set)
{
    for (size_t i = 0; i < set->len; i++) {
        const Report *rep = &set->reports[i];
        int r = atoi(rep->id + 1);
        assert_int_equal(rep->nrows, INTERN_ROWS);
        for (int k = 0; k < INTERN_ROWS; k++) {
            const TableRow *row = &rep->rows[k];
            const char *l1, *l2;
            char name[64], trimmed[64];
            intern_cells(r, k, &l1, &l2, name, sizeof name);
            int w = (r + k * 7) % 5;
            assert_string_equal(row->level1_raw, l1);
            assert_string_equal(row->level1, intern_l1_norm[w]);
            assert_int_equal(row->level1_stated_weight, intern_l1_weight[w]);
            assert_string_equal(row->level2_raw, l2);
            assert_string_equal(row->level2, k % 3 == 0 ? "效益指标" : l2);
            sscanf(name, " %63s", trimmed);
            assert_string_equal(row->name, trimmed);
            assert_string_equal(row->reason, k % 2 ? "无" : "原因");
            intern_checked++;
        }
    }
}

static void intern_sink(void *ctx, ReportSet *set, DiagList *diags)
{
    (void)ctx;
    intern_check(set);
    reportset_clear(set);
    diag_clear(diags);
}

/* Streaming checks each block of a refill as it is read (report.c
 * window_check_clean); a fault in one block is found as a check of the
 * whole refill finds it: a NUL byte in a later block of the same refill
 * wins over invalid UTF-8 before it.  A 3 MiB window refills 1 MiB blocks
 * from 6 MiB on; rows of about 60 bytes. */
typedef struct FaultSink {
    size_t reports;
    char messages[2048];
} FaultSink;

static void fault_sink(void *ctx, ReportSet *set, DiagList *diags)
{
    FaultSink *fs = ctx;
    fs->reports += set->len;
    for (size_t i = 0; i < diags->len; i++) {
        size_t used = strlen(fs->messages);
        if (diags->items[i].severity != DIAG_ERROR)
            continue;
        snprintf(fs->messages + used, sizeof fs->messages - used, "%d:%d %s\n",
                 diags->items[i].line, diags->items[i].col, diags->items[i].message);
    }
    reportset_clear(set);
    diag_clear(diags);
}

static void stream_with_faults(long bad_line, long nul_line, FaultSink *out)
{
    char path[] = "/tmp/tally-window-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("report,level1,level2,indicator,target,actual,weight,reported\n", f);
    for (long line = 2; line < 200000; line++) {
        long k = line - 2;
        fprintf(f, "报告%06ld,产出指标,数量指标,指标%ld,1%s", k / 25, k % 25,
                line == bad_line ? "\xff" : "");
        if (line == nul_line)
            fputc('\0', f);
        fputs(",1,5,5\n", f);
    }
    fclose(f);
    ReportSet set;
    DiagList dl;
    Arena keep;
    reportset_init(&set);
    diag_init(&dl);
    arena_init(&keep);
    memset(out, 0, sizeof *out);
    LoadSink sink = {.fn = fault_sink, .ctx = out, .window = 3u << 20, .keep = &keep};
    bool ok = reportset_stream(&set, path, NULL, &dl, &sink);
    fault_sink(out, &set, &dl);
    assert_int_equal(ok, bad_line == 0 && nul_line == 0);
    reportset_free(&set);
    diag_free(&dl);
    arena_free(&keep);
    unlink(path);
}

static void test_stream_window_faults(void **state)
{
    (void)state;
    FaultSink fs;
    stream_with_faults(0, 0, &fs);
    assert_int_equal(fs.reports, (200000 - 2 + 24) / 25);
    assert_string_equal(fs.messages, "");
    /* line 125000 lies near 6.6 MiB, 160000 near 8.5 MiB: the first and the last block of one refill */
    stream_with_faults(125000, 0, &fs);
    assert_non_null(strstr(fs.messages, "125000:"));
    assert_non_null(strstr(fs.messages, "invalid UTF-8 (byte 0xFF)"));
    stream_with_faults(125000, 160000, &fs);
    assert_non_null(strstr(fs.messages, "160000:0 NUL byte in data file"));
    assert_null(strstr(fs.messages, "invalid UTF-8"));
    stream_with_faults(0, 160000, &fs);
    assert_non_null(strstr(fs.messages, "160000:0 NUL byte in data file"));
}

/* A streamed wide CSV reads its columns over the whole file (loader.h
 * ColStats): the first pass counts exactly the figures of the reports the
 * second keeps, and every chunk - the first too - gets the whole file's
 * reading.  Column p: ratios, and percentage points only in the last
 * report (mixed everywhere); q: ratios, points only in records that do not
 * count (a malformed record, the good record after it with the same id, a
 * duplicate id, an empty id); m: 100 in the first 150 reports, 1000000 in
 * the 250 after (the median: seven digits, so the first 150 are 10^4 off). */
#define COLS_REPORTS 400
typedef struct ColsSink {
    int seen[COLS_REPORTS];
    int p_read[COLS_REPORTS], q_read[COLS_REPORTS], m_off[COLS_REPORTS];
} ColsSink;

static const Figure *figure_named(const Report *r, const char *name)
{
    for (size_t k = 0; k < r->nfigures; k++)
        if (strcmp(r->figures[k].name, name) == 0)
            return &r->figures[k];
    return NULL;
}

static void cols_take(ColsSink *cs, const ReportSet *set)
{
    for (size_t i = 0; i < set->len; i++) {
        const Report *r = &set->reports[i];
        int k;
        if (r->error || sscanf(r->id, "R%d", &k) != 1 || k < 0 || k >= COLS_REPORTS)
            continue; /* the duplicates and the malformed record */
        const Figure *p = figure_named(r, "p"), *q = figure_named(r, "q"), *m = figure_named(r, "m");
        assert_non_null(p);
        assert_non_null(q);
        assert_non_null(m);
        cs->seen[k]++;
        cs->p_read[k] = p->percent_read;
        cs->q_read[k] = q->percent_read;
        cs->m_off[k] = m->magnitude_off;
    }
}

static void cols_sink(void *ctx, ReportSet *set, DiagList *diags)
{
    cols_take(ctx, set);
    reportset_clear(set);
    diag_clear(diags);
}

static char *cols_file(void)
{
    size_t cap = 64 * COLS_REPORTS + 512, len = 0;
    char *t = malloc(cap);
    len += (size_t)snprintf(t + len, cap - len, "report,p,q,m,note\n");
    for (int k = 0; k < COLS_REPORTS; k++) {
        if (k == 200) /* none of these counts */
            len += (size_t)snprintf(t + len, cap - len,
                                    "Rbad,0.5,90,1000000,a\"b\n" /* malformed: claims Rbad */
                                    "Rbad,0.5,90,1000000,x\n"    /* its duplicate */
                                    "R1,0.5,90,1000000,x\n"      /* a duplicate */
                                    " ,0.5,90,1000000,x\n"       /* an empty id */
                                    ",,,,\n");                   /* blank */
        len += (size_t)snprintf(t + len, cap - len, "R%d,%s,0.4,%d,x\n", k,
                                k == COLS_REPORTS - 1 ? "85" : "0.5", k < 150 ? 100 : 1000000);
    }
    return t;
}

static void cols_check(const ColsSink *cs)
{
    for (int k = 0; k < COLS_REPORTS; k++) {
        assert_int_equal(cs->seen[k], 1);
        assert_int_equal(cs->p_read[k], PCT_MIXED);
        assert_int_equal(cs->q_read[k], PCT_RATIO);
        assert_int_equal(cs->m_off[k], k < 150 ? -4 : 0);
    }
}

static void test_wide_stream_columns_whole_file(void **state)
{
    (void)state;
    char *text = cols_file();
    /* read whole */
    ColsSink whole = {0};
    ReportSet set;
    DiagList dl;
    reportset_init(&set);
    diag_init(&dl);
    assert_false(reportset_load_buffer(&set, "w.csv", text, strlen(text), NULL, &dl) && dl.errors == 0);
    cols_take(&whole, &set);
    cols_check(&whole);
    reportset_free(&set);
    diag_free(&dl);

    char path[] = "/tmp/tally-cols-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *out = fdopen(fd, "w");
    fputs(text, out);
    fclose(out);
    /* streamed twice through a 4 KiB window (the file is larger), and read
     * into memory at once (the default window), in chunks of 1 and 7 */
    size_t windows[] = {4096, 0}, chunks[] = {1, 7};
    for (int w = 0; w < 2; w++)
        for (int c = 0; c < 2; c++) {
            ColsSink got = {0};
            Arena keep;
            reportset_init(&set);
            diag_init(&dl);
            arena_init(&keep);
            LoadSink sink = {.fn = cols_sink, .ctx = &got, .chunk_reports = chunks[c],
                             .window = windows[w], .keep = &keep};
            reportset_stream(&set, path, NULL, &dl, &sink);
            cols_sink(&got, &set, &dl);
            cols_check(&got);
            reportset_free(&set);
            diag_free(&dl);
            arena_free(&keep);
        }
    unlink(path);
    free(text);
}

/* A column's reading and a figure's size, read whole (loader.c
 * count_reading, int_digits): 1.5 is a ratio, anything above it points,
 * zeros and numbers with a % or a magnitude word are not bare; digits
 * before the point as written (1.2万 has one, 5% is 5: one). */
static void test_wide_column_reading_edges(void **state)
{
    Fixture *f = *state;
    assert_true(load(f, "e.csv",
                     "report,r1,r2,r3,r4,d\n"
                     "A,1.5,1.5000001,-1.6,0,1\n"
                     "B,0.2,2,0.3,0.0,2\n"
                     "C,,,,5%,3\n"
                     "D,,,,,5\n"
                     "E,,,,,0.0005\n"
                     "F,,,,,12345\n"
                     "G,,,,,99999.99\n"
                     "H,,,,,1.2万\n"
                     "I,,,,,12000\n"
                     "J,,,,,5%\n"));
    static const char *ids = "ABCDEFGHIJ";
    static const int off[] = {0, 0, 0, 0, 0, 4, 4, 0, 4, 0};
    for (int k = 0; k < 10; k++) {
        char id[2] = {ids[k], 0};
        const Report *r = get_report(f, id);
        assert_int_equal(figure_named(r, "r1")->percent_read, PCT_RATIO);
        assert_int_equal(figure_named(r, "r2")->percent_read, PCT_POINTS);
        assert_int_equal(figure_named(r, "r3")->percent_read, PCT_MIXED);
        assert_int_equal(figure_named(r, "r4")->percent_read, PCT_NONE);
        assert_int_equal(figure_named(r, "d")->magnitude_off, off[k]);
    }
}

/* The first pass's plain decimals and percentages
 * (loader_colstat_count_plain) count exactly as the cell parsed and counted
 * would: random cells of digits, points, signs and what makes a cell
 * something else, and random decimals up to 20 digits, half with a %. */
static void count_both(const char *s, size_t n, Arena *a)
{
    ColStat fast = {0}, ref = {0};
    TlValue v;
    if (!loader_colstat_count_plain(&fast, s, n) && cell_parse(a, s, n, &v, NULL))
        loader_colstat_count(&fast, &v);
    if (cell_parse(a, s, n, &v, NULL))
        loader_colstat_count(&ref, &v);
    if (memcmp(&fast, &ref, sizeof fast) != 0)
        fail_msg("'%.*s': counted differently", (int)n, s);
}

/* A figure's distance from its column's median (loader_figure_read: two
 * comparisons for a plain number near it) against the digits counted by
 * hand: every median from none to 22, numbers of 1 to 18 digits at every
 * scale, signed, plain, percentages and with a magnitude word. */
static void test_wide_figure_magnitude_off(void **state)
{
    (void)state;
    uint64_t x = 25;
    for (int k = 0; k < 300000; k++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        int nd = 1 + (int)((x >> 33) % 18), scale = (int)((x >> 40) % (DEC_MAX_SCALE + 1));
        int median = (int)((x >> 45) % 24) - 1, kind = (int)((x >> 52) % 4);
        if (kind == 1 && nd > 16) /* a percentage's points or 万 shifted within range */
            nd = 16;
        if (kind == 2 && scale > DEC_MAX_SCALE - 4)
            scale = DEC_MAX_SCALE - 4;
        uint64_t y = x * 2862933555777941757ull + 3037000493ull, m = 1 + (y >> 4) % 9;
        for (int d = 1; d < nd; d++) {
            y = y * 2862933555777941757ull + 3037000493ull;
            m = m * 10 + (y >> 60) % 10;
        }
        Figure f = {0};
        f.value = val_num(dec_make((x >> 63) ? -(int64_t)m : (int64_t)m, scale));
        if (kind == 1)
            f.value.numkind = NUM_PERCENT;
        else if (kind == 2)
            f.value.mag = 4;
        loader_figure_read(&f, PCT_RATIO, median);
        assert_int_equal(f.percent_read, PCT_RATIO);
        /* the digits before the point as written, by hand */
        int shift = kind == 1 ? 2 : kind == 2 ? -4 : 0, w = nd - scale + shift;
        if (w < 1)
            w = 1;
        int off = median < 0 ? 0 : w - median;
        if (off > -4 && off < 4)
            off = 0;
        if (f.magnitude_off != off)
            fail_msg("%s%" PRIu64 "e-%d (kind %d), median %d: off %d, by hand %d", (x >> 63) ? "-" : "",
                     m, scale, kind, median, f.magnitude_off, off);
    }
}

static void test_wide_plain_cells_counted(void **state)
{
    (void)state;
    static const char *const fixed[] = {"0", "-0", "0.0", "00", "01", "1.5", "1.50", "1.5000001",
                                        "-1.5", "-1.6", "15", "0.15", "1.", ".5", "+5", "-",
                                        "12345678901234567", "123456789012345678",
                                        "1234567890123456789", "0.00000000000000001", "85%",
                                        " 85", "1,000", "1e5", "5万", "--5", "-.5", "",
                                        "0%", "-0%", "-5%", "1.50%", "0.015%", "150%", "01%",
                                        "12345678901234567%", "123456789012345678%", "5%%",
                                        "%", "-%", ".5%", "5.%", "5 %", "5％"};
    Arena a;
    arena_init(&a);
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        count_both(fixed[i], strlen(fixed[i]), &a);
    static const char alphabet[] = "0000123456789..--+ ,%e";
    uint64_t x = 16;
    char buf[32];
    for (int k = 0; k < 200000; k++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        size_t n = 1 + (x >> 60) % 9;
        if (k % 2) { /* a decimal of up to 20 digits, maybe signed */
            size_t len = 0, nd = 1 + (x >> 33) % 20, point = (x >> 40) % (nd + 1);
            if ((x >> 50) & 1)
                buf[len++] = '-';
            for (size_t d = 0; d < nd; d++) {
                if (d == point && d)
                    buf[len++] = '.';
                x = x * 6364136223846793005ull + 1442695040888963407ull;
                buf[len++] = (char)('0' + (x >> 59) % 10);
            }
            if ((x >> 20) & 1) /* a percentage: counted, not bare */
                buf[len++] = '%';
            n = len;
        } else {
            for (size_t i = 0; i < n; i++) {
                x = x * 6364136223846793005ull + 1442695040888963407ull;
                buf[i] = alphabet[(x >> 40) % (sizeof alphabet - 1)];
            }
        }
        count_both(buf, n, &a);
        arena_reset(&a);
    }
    arena_free(&a);
}

/* The first window of a streamed file is checked once, by the test that
 * decides it streams (report.c streamable): the pass goes on from where
 * that check stopped, a character cut by the window's end included, with a
 * byte-order mark dropped before.  A 3 MiB window reads 6 MiB first;
 * `tail` is written so that its first `back` bytes end the first window. */
static void stream_first_window_edge(bool bom, const char *tail, size_t back, FaultSink *out,
                                     bool *ok)
{
    const size_t edge = (size_t)6 << 20;
    size_t cap = edge + (1u << 20), len = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    if (bom)
        memcpy(buf, "\xEF\xBB\xBF", 3), len = 3;
    len += (size_t)sprintf(buf + len, "report,level1,level2,indicator,target,actual,weight,reported\n");
    long k = 0;
    while (len < edge - 200)
        len += (size_t)sprintf(buf + len, "报告%06ld,产出指标,数量指标,指标%ld,1,1,5,5\n", k / 25, k % 25), k++;
    len += (size_t)sprintf(buf + len, "报告%06ld,产出指标,数量指标,指标", k / 25), k++;
    while (len < edge - back)
        buf[len++] = 'x';
    len += (size_t)sprintf(buf + len, "%s,1,1,5,5\n", tail);
    while (len < edge + 100000)
        len += (size_t)sprintf(buf + len, "报告%06ld,产出指标,数量指标,指标%ld,1,1,5,5\n", k / 25, k % 25), k++;
    char path[] = "/tmp/tally-edge-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_int_equal(fwrite(buf, 1, len, f), len);
    fclose(f);
    free(buf);
    ReportSet set;
    DiagList dl;
    Arena keep;
    reportset_init(&set);
    diag_init(&dl);
    arena_init(&keep);
    memset(out, 0, sizeof *out);
    LoadSink sink = {.fn = fault_sink, .ctx = out, .window = 3u << 20, .keep = &keep};
    *ok = reportset_stream(&set, path, NULL, &dl, &sink);
    fault_sink(out, &set, &dl);
    reportset_free(&set);
    diag_free(&dl);
    arena_free(&keep);
    unlink(path);
}

static void test_stream_first_window_edge(void **state)
{
    (void)state;
    FaultSink fs;
    bool ok;
    for (int bom = 0; bom < 2; bom++) {
        /* a character cut by the first window's end, whose next byte is no
         * continuation: found at its line */
        stream_first_window_edge(bom, "\xE4" "A", 1, &fs, &ok);
        assert_false(ok);
        assert_non_null(strstr(fs.messages, "invalid UTF-8 (byte 0xE4)"));
        stream_first_window_edge(bom, "\xF0\x9F\x98" "A", 3, &fs, &ok);
        assert_false(ok);
        assert_non_null(strstr(fs.messages, "invalid UTF-8 (byte 0xF0)"));
        /* three- and four-byte characters cut by the first window's end, or
         * ending there */
        for (size_t back = 1; back <= 4; back++) {
            stream_first_window_edge(bom, "\xE4\xB8\xAD\xE6\x96\x87", back, &fs, &ok);
            assert_true(ok);
            assert_string_equal(fs.messages, "");
            stream_first_window_edge(bom, "\xF0\x9F\x98\x80\xF0\x9F\x98\x80", back, &fs, &ok);
            assert_true(ok);
            assert_string_equal(fs.messages, "");
        }
    }
}

static void test_long_labels_interned(void **state)
{
    Fixture *f = *state;
    char *text = intern_file();
    intern_checked = 0;
    assert_true(load(f, "labels.csv", text));
    assert_int_equal(f->set.len, INTERN_REPORTS);
    intern_check(&f->set);

    char path[] = "/tmp/tally-labels-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *out = fdopen(fd, "w");
    fputs(text, out);
    fclose(out);
    ReportSet set;
    DiagList dl;
    Arena keep;
    reportset_init(&set);
    diag_init(&dl);
    arena_init(&keep);
    LoadSink sink = {.fn = intern_sink, .chunk_reports = 3, .keep = &keep};
    assert_true(reportset_stream(&set, path, NULL, &dl, &sink));
    intern_check(&set);
    assert_int_equal(dl.errors, 0);
    assert_int_equal(intern_checked, 2 * INTERN_REPORTS * INTERN_ROWS);
    reportset_free(&set);
    diag_free(&dl);
    arena_free(&keep);
    unlink(path);
    free(text);
}

/* A table's bare actuals beside percent targets, and bare targets beside
 * percent actuals, read as percentages; a report whose table has no bare
 * cell is not read for them (Meta.bare) and keeps its cells. */
static void test_long_bare_percents(void **state)
{
    Fixture *f = *state;
    assert_true(load(f, "t.csv",
                     "report,level1,level2,indicator,target,actual,weight,reported\n"
                     "A,产出指标,数量指标,x,90%,85,5,5\n"
                     "A,产出指标,数量指标,y,5人,6人,5,5\n"
                     "B,产出指标,数量指标,x,0.9,95%,5,5\n"
                     "C,产出指标,数量指标,x,90%,95%,5,5\n"
                     "C,产出指标,数量指标,y,5,6人,5,5\n"));
    const Report *a = get_report(f, "A"), *b = get_report(f, "B"), *c = get_report(f, "C");
    assert_int_equal(a->rows[0].actual.numkind, NUM_PERCENT);
    assert_dec_value(a->rows[0].actual, 85, 2);
    assert_true(a->rows[0].read & READ_ACTUAL_PERCENT);
    assert_int_equal(a->actual_read, PCT_POINTS);
    assert_int_equal(b->rows[0].target.numkind, NUM_PERCENT);
    assert_true(b->rows[0].read & READ_TARGET_PERCENT);
    assert_int_equal(b->target_read, PCT_RATIO);
    assert_int_equal(c->actual_read, PCT_NONE);
    assert_int_equal(c->target_read, PCT_NONE);
    assert_int_equal(c->rows[1].target.numkind, NUM_PLAIN);
    assert_int_equal(c->rows[1].read, 0);
}

/* Labels alike but for one byte, at every place of every length up to 40
 * (the intern slots' hash reads only some of their bytes, and labels are
 * compared a word at a time): each row keeps its own level-1 label and
 * name, so no row is taken for a duplicate of another. */
static void test_long_labels_alike(void **state)
{
    Fixture *f = *state;
    size_t cap = 1 << 17, len = 0;
    char *buf = malloc(cap);
    len += (size_t)snprintf(buf, cap, "report,level1,level2,indicator,target,actual,weight,"
                                      "reported,reason\n");
    size_t rows = 0;
    for (int n = 1; n <= 40; n++)
        for (int p = -1; p < n; p++) {
            char name[48];
            memset(name, 'x', (size_t)n);
            name[n] = '\0';
            if (p >= 0)
                name[p] = 'y';
            /* reasons: the name, " 无 " or empty, each repeated or not */
            const char *reason = rows % 5 < 2 ? name : rows % 5 < 4 ? " 无 " : "";
            len += (size_t)snprintf(buf + len, cap - len, "A,%s,,%s,1,1,1,1,%s\n", name, name,
                                    reason);
            rows++;
        }
    assert_true(len < cap);
    assert_true(load(f, "alike.csv", buf));
    free(buf);
    const Report *a = get_report(f, "A");
    assert_int_equal(f->dl.errors, 0);
    assert_int_equal(a->nbad, 0);
    assert_int_equal(a->nrows, rows);
    size_t k = 0;
    for (int n = 1; n <= 40; n++)
        for (int p = -1; p < n; p++, k++) {
            char name[48];
            memset(name, 'x', (size_t)n);
            name[n] = '\0';
            if (p >= 0)
                name[p] = 'y';
            assert_string_equal(a->rows[k].name, name);
            assert_string_equal(a->rows[k].level1, name);
            assert_string_equal(a->rows[k].reason, k % 5 < 2 ? name : k % 5 < 4 ? "无" : "");
        }
}

/* The interned labels are emptied when half their slots are used - here
 * by the reason of row 256 (every row's name and reason new, but row 2's
 * reason, row 1's again): that row's key is still its name's, so row 257,
 * which repeats that name, is a duplicate. */
static void test_long_labels_emptied_by_reason(void **state)
{
    Fixture *f = *state;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    len += (size_t)snprintf(buf, cap, "report,level1,level2,indicator,target,actual,weight,"
                                      "reported,reason\n");
    for (int i = 1; i <= 257; i++)
        len += (size_t)snprintf(buf + len, cap - len, "A,产出指标,数量指标,n%d,1,1,1,1,r%d\n",
                                i == 257 ? 256 : i, i == 2 ? 1 : i);
    assert_true(len < cap);
    assert_true(load(f, "emptied.csv", buf));
    free(buf);
    EXPECT_DIAG(f, DIAG_ERROR, 258, "indicator",
                "duplicate indicator 'n256' in 产出指标/数量指标 (first at line 257)");
    const Report *a = get_report(f, "A");
    assert_int_equal(a->nrows, 256);
}

static void test_long_chinese_header_without_reason(void **state)
{
    Fixture *f = *state;
    assert_true(load(f, "t.csv",
                     "报告, 一级指标 ,二级指标,三级指标,年度指标值,实际完成值,分值,得分\n"
                     "A,产出指标（５０）,数量指标,x,1,1,5,5\n"
                     "A,总分,,,,,100,\n"));
    assert_int_equal(f->dl.errors, 0);
    const Report *r = get_report(f, "A");
    assert_int_equal(r->nrows, 1);
    assert_null(r->rows[0].reason);
    assert_int_equal(r->rows[0].level1_stated_weight, 50);
    assert_string_equal(r->rows[0].level1, "产出指标");
    assert_int_equal(r->stated_total.kind, TL_MISSING);
    assert_int_value(r->stated_max, 100);

    assert_true(load(f, "t2.csv",
                     "报告,一级指标,二级指标,三级指标,年度指标值,实际完成值,分值,得分,偏差原因分析及改进措施\n"
                     "B,效益指标(三十分),,y,1,1,5,5,无\n"));
    r = get_report(f, "B");
    assert_string_equal(r->rows[0].reason, "无");
    assert_string_equal(r->rows[0].level1, "效益指标(三十分)"); /* not a number: kept */
    assert_int_equal(r->rows[0].level1_stated_weight, -1);
}

static void test_long_report_resumes(void **state)
{
    Fixture *f = *state;
    assert_true(load(f, "t.csv",
                     "report,level1,level2,indicator,target,actual,weight,reported\n"
                     "A,产出指标,数量指标,x,1,1,5,5\n"
                     "A,产出指标,数量指标,y,1,1,5,5\n"
                     "B,产出指标,数量指标,x,1,1,5,5\n"
                     "A,产出指标,数量指标,z,1,1,5,5\n"
                     "B,总分,,,,,100,10\n"));
    EXPECT_DIAG(f, DIAG_ERROR, 5, "report",
                "rows of report A resume at line 5 after report B started at line 4");
    EXPECT_DIAG(f, DIAG_ERROR, 6, "report",
                "rows of report B resume at line 6 after report A started at line 5");
    assert_int_equal(f->set.len, 2);
    const Report *a = get_report(f, "A");
    assert_int_equal(a->nrows, 3);
    assert_string_equal(a->rows[2].name, "z");
    assert_non_null(a->error);
    assert_non_null(strstr(a->error, "resume at line 5"));
    assert_int_value(get_report(f, "B")->stated_total, 10);
}

/* A row's id written as the row that started its report was is that
 * report without trimming (csv_long.c long_report); written with spaces, or
 * empty after a run of empty ids, it is still decided by its trimmed text. */
static void test_long_ids_as_written(void **state)
{
    Fixture *f = *state;
    assert_true(load(f, "t.csv",
                     "report,level1,level2,indicator,target,actual,weight,reported\n"
                     " A,产出指标,数量指标,x,1,1,5,5\n"
                     "A,产出指标,数量指标,y,1,1,5,5\n"
                     " A,产出指标,数量指标,z,1,1,5,5\n"
                     "A ,产出指标,数量指标,w,1,1,5,5\n"
                     "AB,产出指标,数量指标,x,1,1,5,5\n"
                     " ,产出指标,数量指标,x,1,1,5,5\n"
                     ",产出指标,数量指标,y,1,1,5,5\n"
                     " A,产出指标,数量指标,v,1,1,5,5\n"));
    EXPECT_DIAG(f, DIAG_ERROR, 9, "report",
                "rows of report A resume at line 9 after report  started at line 7");
    const Report *a = get_report(f, "A");
    assert_int_equal(a->nrows, 5);
    assert_string_equal(a->rows[3].name, "w");
    assert_int_equal(get_report(f, "AB")->nrows, 1);
    assert_int_equal(f->set.len, 3);
}

static void test_long_bad_numbers(void **state)
{
    Fixture *f = *state;
    assert_true(load(f, "t.csv",
                     "report,level1,level2,indicator,target,actual,weight,reported\n"
                     "A,产出指标,数量指标,x,1,1,abc,5\n"
                     "A,产出指标,数量指标,y,1,1,,5\n"
                     "A,产出指标,数量指标,z,1,1,5,90%\n"
                     "A,总分,,,,,100,97\n"
                     "B,产出指标,数量指标,x,1,1,5,\n"
                     "B,总分,,,,,100,\n"));
    /* every bad cell is named, none is an error of the report */
    const Report *a = get_report(f, "A");
    assert_null(a->error);
    assert_int_equal(a->nbad, 3);
    assert_string_equal(a->bad[0].problem, "weight is not a number");
    assert_string_equal(a->bad[0].cell, "abc");
    assert_string_equal(a->bad[0].subject, "x");
    assert_int_equal(a->bad[0].field, 7);
    assert_string_equal(a->bad[1].problem, "weight is missing");
    assert_string_equal(a->bad[2].problem, "reported score is not a number");
    assert_string_equal(a->bad[2].cell, "90%");
    assert_string_equal(a->bad[2].pos.column, "reported");
    assert_int_equal(a->nrows, 3);
    assert_int_equal(a->rows[0].weight.kind, TL_MISSING);
    assert_true(a->rows[0].read & READ_BAD_WEIGHT);
    assert_true(a->rows[2].read & READ_BAD_REPORTED);
    const Report *b = get_report(f, "B");
    assert_null(b->error); /* a missing reported score is not an error */
    assert_int_equal(b->rows[0].reported.kind, TL_MISSING);
}

/* A row's target and actual kept as written, each its own string, whether
 * they lie side by side in the record (one copy of both) or not: empty,
 * quoted (read the general way), with spaces, CRLF line ends. */
static void test_long_raw_cells(void **state)
{
    Fixture *f = *state;
    static const char *const files[] = {
        "report,level1,level2,indicator,target,actual,weight,reported\n"
        "A,产出指标,数量指标,a,≥20场,21场,5,5\n"
        "A,产出指标,数量指标,b,,5人,5,5\n"
        "A,产出指标,数量指标,c,5人,,5,5\n"
        "A,产出指标,数量指标,d,,,5,5\n"
        "A,产出指标,数量指标,e,\"1,000人\",900人,5,5\n"
        "A,产出指标,数量指标,f, 有所提升 ,\"达成\",5,4.5\n"
        "A,总分,,,,,100,30\n",
        "report,level1,level2,indicator,target,actual,weight,reported\r\n"
        "A,产出指标,数量指标,a,≥20场,21场,5,5\r\n"
        "A,产出指标,数量指标,b,,5人,5,5\r\n"
        "A,产出指标,数量指标,c,5人,,5,5\r\n"
        "A,产出指标,数量指标,d,,,5,5\r\n"
        "A,产出指标,数量指标,e,\"1,000人\",900人,5,5\r\n"
        "A,产出指标,数量指标,f, 有所提升 ,\"达成\",5,4.5\r\n"
        "A,总分,,,,,100,30\r\n",
    };
    static const char *const want[][2] = {{"≥20场", "21场"}, {"", "5人"}, {"5人", ""}, {"", ""},
                                          {"1,000人", "900人"}, {" 有所提升 ", "达成"}};
    for (size_t k = 0; k < 2; k++) {
        reportset_free(&f->set);
        reportset_init(&f->set);
        assert_true(load(f, "t.csv", files[k]));
        const Report *a = get_report(f, "A");
        assert_int_equal(a->nrows, 6);
        for (size_t i = 0; i < 6; i++) {
            assert_string_equal(a->rows[i].target_raw, want[i][0]);
            assert_string_equal(a->rows[i].actual_raw, want[i][1]);
        }
        assert_dec_value(a->rows[0].target, 20, 0);
        assert_int_equal(a->rows[0].target.qual, QUAL_GE);
        assert_string_equal(a->rows[0].target.unit, "场");
        assert_dec_value(a->rows[0].actual, 21, 0);
        assert_int_equal(a->rows[1].target.kind, TL_MISSING);
        assert_dec_value(a->rows[1].actual, 5, 0);
        assert_dec_value(a->rows[2].target, 5, 0);
        assert_int_equal(a->rows[2].actual.kind, TL_MISSING);
        assert_dec_value(a->rows[4].target, 1000, 0);
        assert_int_equal(a->rows[5].target.kind, TL_TEXT);
        assert_string_equal(a->rows[5].target.u.text, "有所提升");
        assert_string_equal(a->rows[5].actual.u.text, "达成");
        /* points read inline (cell_plain_decimal) */
        assert_dec_value(a->rows[5].weight, 5, 0);
        assert_dec_value(a->rows[5].reported, 45, 1);
        assert_int_equal(a->rows[5].reported.numkind, NUM_PLAIN);
        assert_int_equal(a->rows[5].read, 0);
    }
}

/* Many rows' targets and actuals, of every length up to 300 bytes and some
 * over 2 KiB (a room of their own), copied into rooms of 16 KiB carved
 * from the arena (raw_room): each row keeps its own text. */
static void test_long_raw_rooms(void **state)
{
    Fixture *f = *state;
    size_t cap = 1 << 22, len = 0;
    char *buf = malloc(cap);
    len += (size_t)snprintf(buf, cap, "report,level1,level2,indicator,target,actual,weight,"
                                      "reported\n");
    enum { ROWS = 900 };
    for (int i = 0; i < ROWS; i++) {
        size_t tn = (size_t)(i * 7 % 301), an = (size_t)(i * 13 % 257);
        if (i % 97 == 5)
            tn = 2100 + (size_t)i; /* over RAW_ROOM / 8 */
        len += (size_t)snprintf(buf + len, cap - len, "A,产出指标,数量指标,r%d,", i);
        for (size_t k = 0; k < tn; k++)
            buf[len++] = (char)('a' + (i + (int)k) % 26);
        buf[len++] = ',';
        for (size_t k = 0; k < an; k++)
            buf[len++] = (char)('A' + (i * 3 + (int)k) % 26);
        len += (size_t)snprintf(buf + len, cap - len, ",5,5\n");
    }
    len += (size_t)snprintf(buf + len, cap - len, "A,总分,,,,,100,100\n");
    assert_true(load(f, "t.csv", buf));
    const Report *a = get_report(f, "A");
    assert_int_equal(a->nrows, ROWS);
    for (int i = 0; i < ROWS; i++) {
        size_t tn = (size_t)(i * 7 % 301), an = (size_t)(i * 13 % 257);
        if (i % 97 == 5)
            tn = 2100 + (size_t)i;
        const char *t = a->rows[i].target_raw, *u = a->rows[i].actual_raw;
        assert_int_equal(strlen(t), tn);
        assert_int_equal(strlen(u), an);
        for (size_t k = 0; k < tn; k++)
            assert_int_equal(t[k], (char)('a' + (i + (int)k) % 26));
        for (size_t k = 0; k < an; k++)
            assert_int_equal(u[k], (char)('A' + (i * 3 + (int)k) % 26));
    }
    free(buf);
}

static void test_long_duplicate_indicator_and_no_total(void **state)
{
    Fixture *f = *state;
    assert_true(load(f, "t.csv",
                     "report,level1,level2,indicator,target,actual,weight,reported\n"
                     "A,产出指标(50分),数量指标,x,1,1,5,5\n"
                     "A,产出指标,数量指标, x ,1,1,5,5\n"
                     "A,产出指标,质量指标,x,1,1,5,5\n"
                     "A,总分,,,,,100,15\n"
                     "A,总分,,,,,100,15\n"
                     "B,产出指标,数量指标,x,1,1,5,5\n"));
    EXPECT_DIAG(f, DIAG_ERROR, 3, "indicator",
                "duplicate indicator 'x' in 产出指标/数量指标 (first at line 2)");
    EXPECT_DIAG(f, DIAG_ERROR, 6, "level1", "stated total given twice (first at line 5)");
    EXPECT_DIAG(f, DIAG_WARNING, 7, NULL, "report B has no 总分 row: stated total unknown");
    assert_int_equal(f->dl.warnings, 1);
    const Report *a = get_report(f, "A");
    assert_int_equal(a->nrows, 2);
    assert_non_null(a->error);
    const Report *b = get_report(f, "B");
    assert_null(b->error);
    assert_int_equal(b->stated_total.kind, TL_MISSING);
}

/* The indicator keys of a report (loader.c add_key): 700 indicators, so
 * that the keys' table grows and the interned labels are emptied within
 * the report (equal keys then have no shared pointer), then the first,
 * a middle and the last indicator again - one written with spaces around
 * it - each a duplicate; names that differ only at the end, and the same
 * name under another level-2 label, are not; the next report starts afresh. */
static void test_long_duplicates_many(void **state)
{
    Fixture *f = *state;
    size_t cap = 1 << 17, len = 0;
    char *text = malloc(cap);
    len += (size_t)sprintf(text + len, "report,level1,level2,indicator,target,actual,weight,reported\n");
    for (const char *id = "A"; id; id = *id == 'A' ? "B" : NULL) {
        for (int k = 0; k < 700; k++)
            len += (size_t)sprintf(text + len, "%s,产出指标,数量指标,指标%d,1,1,1,1\n", id, k);
        len += (size_t)sprintf(text + len, "%s,产出指标,质量指标,指标0,1,1,1,1\n", id);
        len += (size_t)sprintf(text + len, "%s,产出指标,数量指标, 指标0 ,1,1,1,1\n", id);
        len += (size_t)sprintf(text + len, "%s,产出指标(50分),数量指标,指标350,1,1,1,1\n", id);
        len += (size_t)sprintf(text + len, "%s,产出指标,数量指标,指标699,1,1,1,1\n", id);
        len += (size_t)sprintf(text + len, "%s,产出指标,数量指标,指标6990,1,1,1,1\n", id);
    }
    assert_true(len < cap);
    text[len] = '\0';
    assert_true(load(f, "dups.csv", text));
    free(text);
    /* A: lines 2..701, then 702..706; B: 707..1406, then 1407..1411 */
    int first[3] = {2, 352, 701};
    const char *name[3] = {"指标0", "指标350", "指标699"};
    for (int r = 0; r < 2; r++)
        for (int d = 0; d < 3; d++) {
            char want[128];
            snprintf(want, sizeof want,
                     "duplicate indicator '%s' in 产出指标/数量指标 (first at line %d)", name[d],
                     first[d] + 705 * r);
            EXPECT_DIAG(f, DIAG_ERROR, 703 + d + 705 * r, "indicator", want);
        }
    size_t dups = 0;
    for (size_t i = 0; i < f->dl.len; i++)
        dups += strstr(f->dl.items[i].message, "duplicate indicator") != NULL;
    assert_int_equal(dups, 6);
    assert_int_equal(get_report(f, "A")->nrows, 702);
    assert_int_equal(get_report(f, "B")->nrows, 702);
    /* the rows kept in order while their array grew (loader.c push_row) */
    for (const char *id = "A"; id; id = *id == 'A' ? "B" : NULL) {
        const Report *r = get_report(f, id);
        for (int k = 0; k < 700; k++) {
            char want[32];
            snprintf(want, sizeof want, "指标%d", k);
            assert_string_equal(r->rows[k].name, want);
            assert_string_equal(r->rows[k].level2, "数量指标");
        }
        assert_string_equal(r->rows[700].level2, "质量指标");
        assert_string_equal(r->rows[701].name, "指标6990");
    }
}

/* A row's indicator key is level1 0x1F level2 0x1F name, hashed from its
 * labels' hashes (loader.c add_key): keys that are the same bytes are the
 * same key however the separator falls, and labels that differ do not
 * collide into a duplicate. */
static void test_long_duplicate_keys_hashed(void **state)
{
    Fixture *f = *state;
    assert_true(load(f, "keys.csv",
                     "report,level1,level2,indicator,target,actual,weight,reported\n"
                     "A,产出指标,数量指标,指标1,1,1,1,1\n"
                     "A,产出指标,质量指标,指标1,1,1,1,1\n"
                     "A,效益指标,数量指标,指标1,1,1,1,1\n"
                     "A,产出指标,数量指标,指标2,1,1,1,1\n"
                     "A,产出指标(50分),数量指标, 指标1 ,1,1,1,1\n"
                     "A,a\x1f" "b,c,d,1,1,1,1\n"
                     "A,a,b\x1f" "c,d,1,1,1,1\n"
                     "A,a,b,c\x1f" "d,1,1,1,1\n"
                     "A,a,b,c,1,1,1,1\n"
                     "A,a\x1f" "b,c,d,1,1,1,1\n"));
    EXPECT_DIAG(f, DIAG_ERROR, 6, "indicator",
                "duplicate indicator '指标1' in 产出指标/数量指标 (first at line 2)");
    EXPECT_DIAG(f, DIAG_ERROR, 8, "indicator",
                "duplicate indicator 'd' in a/b\x1f" "c (first at line 7)");
    EXPECT_DIAG(f, DIAG_ERROR, 9, "indicator",
                "duplicate indicator 'c\x1f" "d' in a/b (first at line 7)");
    EXPECT_DIAG(f, DIAG_ERROR, 11, "indicator",
                "duplicate indicator 'd' in a\x1f" "b/c (first at line 7)");
    size_t dups = 0;
    for (size_t i = 0; i < f->dl.len; i++)
        dups += strstr(f->dl.items[i].message, "duplicate indicator") != NULL;
    assert_int_equal(dups, 4);
    assert_int_equal(get_report(f, "A")->nrows, 6);
}

static void test_long_empty_id_and_ragged(void **state)
{
    Fixture *f = *state;
    assert_true(load(f, "t.csv",
                     "report,level1,level2,indicator,target,actual,weight,reported\n"
                     "A,产出指标,数量指标,x,1,1,5,5\n"
                     ",产出指标,数量指标,y,1,1,5,5\n"
                     ",产出指标,数量指标,z,1,1,5,5\n"
                     "C,产出指标,数量指标,x,1,1\n"
                     "C,总分,,,,,100,5\n"));
    EXPECT_DIAG(f, DIAG_ERROR, 3, "report", "empty report id");
    EXPECT_DIAG(f, DIAG_ERROR, 5, NULL, "row has 6 fields, header has 8");
    assert_int_equal(f->set.len, 3);
    assert_string_equal(f->set.reports[1].id, "line 3");
    assert_int_equal(f->set.reports[1].nrows, 2);
    assert_string_equal(get_report(f, "C")->error, "row has 6 fields, header has 8");
    assert_int_equal(get_report(f, "C")->nrows, 0);
}

static void test_long_header_variants(void **state)
{
    Fixture *f = *state;
    assert_false(load(f, "t.csv",
                      "report,level1,level2,indicator,target,actual,weight,reported,note\nA\n"));
    EXPECT_DIAG(f, DIAG_ERROR, 1, "note", "unexpected column after 'reported'");
    assert_false(load(f, "t.csv",
                      "report,level1,level2,indicator,target,actual,weight,reported,reason,x\n"));
    EXPECT_DIAG(f, DIAG_ERROR, 1, "x", "a long CSV may only add 'reason'");
    assert_false(load_as(f, "t.csv", "report,x\nA,1\n", DATA_CSV_LONG, NULL));
    EXPECT_DIAG(f, DIAG_ERROR, 1, NULL, "not a long CSV");
    /* forced wide: the long header's columns become figures */
    assert_true(load_as(f, "w.csv",
                        "report,level1,level2,indicator,target,actual,weight,reported\n"
                        "A,a,b,c,d,e,f,g\n",
                        DATA_CSV_WIDE, NULL));
    assert_int_equal(get_report(f, "A")->nfigures, 7);
    assert_false(get_report(f, "A")->has_table);
}

static void test_wide_and_long_merge(void **state)
{
    Fixture *f = *state;
    assert_true(load(f, "figures.csv", "report,全年预算数\nA,100万元\nB,50万元\n"));
    assert_true(load(f, "table.csv",
                     "report,level1,level2,indicator,target,actual,weight,reported\n"
                     "A,产出指标,数量指标,x,1,1,5,5\nA,总分,,,,,5,5\n"));
    assert_int_equal(f->set.len, 2);
    const Report *a = get_report(f, "A");
    assert_int_equal(a->nfigures, 1);
    assert_int_equal(a->nrows, 1);
    assert_true(a->has_table);
    assert_null(a->error);
    assert_string_equal(a->pos.file, "figures.csv");
    /* a second wide file with the same id is a duplicate */
    assert_true(load(f, "again.csv", "report,x\nB,1\n"));
    EXPECT_DIAG(f, DIAG_ERROR, 2, "report", "duplicate report id 'B' (first in figures.csv at line 3)");
    assert_int_equal(f->set.len, 3);
    assert_non_null(f->set.reports[2].error);
}

/* JSON ----------------------------------------------------------------------- */

static void test_json_single_object(void **state)
{
    Fixture *f = *state;
    assert_true(load(f, "r.json",
                     "{\n"
                     "  \"report\": \"A\",\n"
                     "  \"figures\": {\"全年预算数\": \"11458.23万元\", \"编制数\": 120,\n"
                     "              \"率\": 0.1, \"小\": 1.5e-7, \"空\": null, \"是\": true},\n"
                     "  \"table\": [\n"
                     "    {\"level1\": \"产出指标(50分)\", \"level2\": \"数量指标\", \"indicator\": \"x\",\n"
                     "     \"target\": \"15人\", \"actual\": \"16人\", \"weight\": 5, \"reported\": \"5\"},\n"
                     "    {\"level1\": \"总分\", \"weight\": 100, \"reported\": 97},\n"
                     "    {\"level1\": \"自评结论\", \"actual\": \"优\"}\n"
                     "  ]\n"
                     "}\n"));
    assert_int_equal(f->dl.errors, 0);
    assert_int_equal(f->dl.warnings, 0);
    const Report *r = get_report(f, "A");
    assert_int_equal(r->pos.line, 1);
    assert_int_equal(r->nfigures, 6);
    assert_string_equal(report_figure(r, "率")->raw, "0.1");
    assert_dec_value(report_figure(r, "率")->value, 1, 1);
    assert_string_equal(report_figure(r, "小")->raw, "0.00000015");
    assert_int_value(report_figure(r, "编制数")->value, 120);
    assert_int_equal(report_figure(r, "空")->value.kind, TL_MISSING);
    assert_int_equal(report_figure(r, "是")->value.kind, TL_BOOL);
    assert_true(r->has_table);
    assert_int_equal(r->nrows, 1);
    assert_string_equal(r->rows[0].level1, "产出指标");
    assert_int_equal(r->rows[0].level1_stated_weight, 50);
    assert_int_equal(r->rows[0].pos.line, 6);
    assert_null(r->rows[0].reason);
    assert_int_value(r->stated_total, 97);
    assert_int_value(r->stated_max, 100);
    assert_string_equal(r->stated_grade, "优");
}

static void test_json_array_and_keys(void **state)
{
    Fixture *f = *state;
    assert_true(load(f, "r.json",
                     "[\n"
                     "  {\"report\": \"A\", \"stated_total\": \"97\", \"stated_grade\": \"优\",\n"
                     "   \"colour\": \"blue\"},\n"
                     "  {\"figures\": {\"x\": 1}},\n"
                     "  {\"report\": \"C\", \"table\": [\n"
                     "     {\"indicator\": \"y\", \"weight\": \"abc\", \"shade\": 1}]},\n"
                     "  42\n"
                     "]\n"));
    EXPECT_DIAG(f, DIAG_WARNING, 2, "colour", "unknown key \"colour\" in a report object");
    EXPECT_DIAG(f, DIAG_ERROR, 4, NULL, "report object has no \"report\" key");
    EXPECT_DIAG(f, DIAG_WARNING, 6, "table[0].shade", "unknown key \"shade\" in a table row");
    EXPECT_DIAG(f, DIAG_WARNING, 5, NULL, "report C has no 总分 row");
    EXPECT_DIAG(f, DIAG_ERROR, 7, NULL, "array element 3 is not a report object");
    assert_int_equal(f->set.len, 4);
    const Report *a = get_report(f, "A");
    assert_null(a->error);
    assert_int_value(a->stated_total, 97);
    assert_string_equal(f->set.reports[1].id, "line 4");
    assert_non_null(f->set.reports[1].error);
    assert_int_equal(f->set.reports[1].nfigures, 1);
    assert_null(get_report(f, "C")->error); /* a bad cell, named where it is */
    assert_int_equal(get_report(f, "C")->nbad, 1);
    assert_string_equal(get_report(f, "C")->bad[0].pos.column, "table[0].weight");
    assert_string_equal(get_report(f, "C")->bad[0].problem, "weight is not a number");
    assert_string_equal(f->set.reports[3].id, "line 7");
}

static void test_json_lines(void **state)
{
    Fixture *f = *state;
    assert_true(load(f, "r.jsonl",
                     "{\"report\": \"A\", \"figures\": {\"x\": \"1\"}}\n"
                     "\n"
                     "{\"report\": \"B\", \"figures\": {\"x\": 2}}\n"
                     "{\"report\": \"C\", \"figures\": {\"x\": tru}}\n"
                     "{\"report\": \"D\", \"figures\": {\"x\": 4}}\n"));
    EXPECT_DIAG(f, DIAG_ERROR, 4, NULL, "JSON syntax error: invalid token near 'tru'");
    const Diag *d = find_diag(f, DIAG_ERROR, 4, NULL, "JSON syntax");
    assert_int_equal(d->col, 36);
    assert_int_equal(f->set.len, 4);
    assert_int_equal(get_report(f, "B")->pos.line, 3);
    assert_string_equal(f->set.reports[2].id, "line 4");
    assert_non_null(f->set.reports[2].error);
    assert_int_equal(get_report(f, "D")->pos.line, 5);
    assert_null(get_report(f, "D")->error);
    assert_int_equal(f->dl.errors, 1);

    /* several values in a .json file are read the same way */
    assert_true(load(f, "more.json", "{\"report\": \"E\"}\n{\"report\": \"F\"}\n"));
    assert_int_equal(get_report(f, "F")->pos.line, 2);
    /* a duplicate id across values */
    assert_true(load(f, "dup.json", "{\"report\": \"G\"} {\"report\": \"G\"}"));
    EXPECT_DIAG(f, DIAG_ERROR, 1, "report", "duplicate report id 'G' (first at line 1)");
}

static void test_json_syntax_error(void **state)
{
    Fixture *f = *state;
    assert_false(load(f, "bad.json", "{\n  \"report\": \"A\",\n  \"figures\": {\"x\": 1,}\n}\n"));
    const Diag *d = find_diag(f, DIAG_ERROR, 3, NULL, "JSON syntax error");
    assert_non_null(d);
    assert_int_equal(d->col, 22);
    assert_int_equal(f->set.len, 0);
    assert_false(load(f, "stdin", "  [1, 2"));
    EXPECT_DIAG(f, DIAG_ERROR, 1, NULL, "JSON syntax error");
    assert_false(load(f, "dup.json", "{\"report\": \"A\", \"report\": \"B\"}"));
    EXPECT_DIAG(f, DIAG_ERROR, 1, NULL, "duplicate object key");
    assert_int_equal(f->set.len, 0);
}

/* The year a report is about: a wide `year`/`年度` column (not a figure), or
 * JSON "year"; a cell that is no year is an error of its report. */
static void test_report_year(void **state)
{
    Fixture *f = *state;
    assert_true(load(f, "w.csv", "report,年度,人数\n甲,2023,5\n乙,2024年度,6\n丙,,7\n丁,二〇二四,8\n"));
    assert_int_equal(f->set.len, 4);
    assert_int_equal(f->set.reports[0].year, 2023);
    assert_int_equal(f->set.reports[0].nfigures, 1);
    assert_string_equal(f->set.reports[0].figures[0].name, "人数");
    assert_int_equal(f->set.reports[1].year, 2024);
    assert_int_equal(f->set.reports[2].year, 0);
    assert_null(f->set.reports[2].error);
    assert_non_null(f->set.reports[3].error);
    assert_non_null(find_diag(f, DIAG_ERROR, 5, "年度", "not a year: '二〇二四'"));
    assert_true(load(f, "r.json", "{\"report\": \"戊\", \"year\": 2022, \"figures\": {\"人数\": 1}}\n"
                                  "{\"report\": \"己\", \"year\": \"2021年\"}\n"));
    assert_int_equal(f->set.reports[4].year, 2022);
    assert_int_equal(f->set.reports[5].year, 2021);
}

/* A report written inline (a rule file's test) is read as CSV would read it:
 * the cells, the 总分 and 自评结论 rows, errors at the test's lines and columns. */
static void test_report_inline(void **state)
{
    Fixture *f = *state;
    InlineRow rows[] = {
        {{"预算执行", NULL, "预算执行率", "100万元", "95万元", "10", "9.5", NULL}, {0}, 3},
        {{"产出指标(50分)", "数量指标", "培训人数", "≥100人", "80人", "5", "4", "招聘延期"}, {0}, 4},
        {{"总分", NULL, NULL, NULL, NULL, "15", "13.5", NULL}, {0}, 5},
        {{"自评结论", NULL, NULL, NULL, "差", NULL, NULL, NULL}, {0}, 6},
    };
    InlineFigure figs[] = {{"编制数", "115人", 7, 10}};
    InlineReport r = {"例", "t.tally", 2, figs, 1, rows, 4, true, 2024};
    reportset_add_inline(&f->set, &r, &f->dl);
    assert_int_equal(f->dl.errors, 0);
    assert_int_equal(f->set.len, 1);
    const Report *rep = &f->set.reports[0];
    assert_null(rep->error);
    assert_int_equal(rep->year, 2024);
    assert_int_equal(rep->nrows, 2);
    assert_string_equal(rep->rows[1].level1, "产出指标");
    assert_int_equal(rep->rows[1].level1_stated_weight, 50);
    assert_int_equal(rep->rows[1].target.qual, QUAL_GE);
    assert_string_equal(rep->rows[1].reason, "招聘延期");
    assert_string_equal(rep->rows[0].reason, "");
    assert_string_equal(rep->stated_grade, "差");
    assert_true(rep->stated_total.kind == TL_NUM);
    assert_int_equal(rep->nfigures, 1);
    assert_int_equal(rep->figures[0].value.numkind, NUM_QUANTITY);
    assert_int_equal(rep->rows[0].pos.line, 3);

    InlineRow bad[] = {{{"产出指标", "数量指标", "a", "1", "1", "五", "1", NULL}, {1, 2, 3, 4, 5, 36, 7, 0}, 9}};
    InlineReport b = {"坏", "t.tally", 8, NULL, 0, bad, 1, false, 0};
    reportset_add_inline(&f->set, &b, &f->dl);
    /* A weight that is not a number is a bad cell at the test's line and
     * column (issue 12): the report is still scored, the row unverified. */
    const Report *bad_rep = &f->set.reports[1];
    assert_null(bad_rep->error);
    assert_int_equal(bad_rep->nbad, 1);
    assert_int_equal(bad_rep->bad[0].pos.line, 9);
    assert_int_equal(bad_rep->bad[0].field, 36);
    assert_string_equal(bad_rep->bad[0].cell, "五");
    assert_non_null(strstr(bad_rep->bad[0].problem, "weight is not a number"));
    assert_true(bad_rep->rows[0].read & READ_BAD_WEIGHT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_wide_basic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wide_raw_cells, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wide_ragged_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wide_duplicate_and_empty_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wide_excel_style, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wide_header_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wide_cell_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wide_unterminated_quote_mid_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gb18030, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_utf8_position, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conversion_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_and_binary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sniff, setup, teardown),
        cmocka_unit_test_setup_teardown(test_utf16_tabs_and_cr, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_file_and_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_seed_like, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_chinese_header_without_reason, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_report_resumes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_ids_as_written, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_bad_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_raw_cells, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_raw_rooms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_labels_emptied_by_reason, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_labels_alike, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_bare_percents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_duplicates_many, setup, teardown),
        cmocka_unit_test(test_stream_window_faults),
        cmocka_unit_test(test_wide_stream_columns_whole_file),
        cmocka_unit_test(test_wide_plain_cells_counted),
        cmocka_unit_test(test_wide_figure_magnitude_off),
        cmocka_unit_test_setup_teardown(test_wide_column_reading_edges, setup, teardown),
        cmocka_unit_test(test_stream_first_window_edge),
        cmocka_unit_test_setup_teardown(test_long_duplicate_indicator_and_no_total, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_long_duplicate_keys_hashed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_empty_id_and_ragged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_header_variants, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wide_and_long_merge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_single_object, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_array_and_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_syntax_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_year, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_inline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_labels_interned, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
