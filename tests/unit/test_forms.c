/* test_forms.c - forms as published (runtime/data/form.c and its readers):
 * numbers as their format shows them, HTML spans, recognition of a 自评表
 * below its title rows, the budget block, 总分 and 自评结论, a target split
 * over three columns, places in the original, a rule file's own form, and
 * what a file is from its content. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/program.h"
#include "runtime/data/form.h"
#include "runtime/forms.h"

typedef struct Fixture {
    ReportSet set;
    DiagList dl;
    Arena arena;
    const FormSet *forms;
} Fixture;

static int setup(void **state)
{
    Fixture *f = calloc(1, sizeof *f);
    reportset_init(&f->set);
    diag_init(&f->dl);
    arena_init(&f->arena);
    f->forms = forms_for_program(NULL, &f->arena, &f->dl);
    assert_non_null(f->forms);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    diag_free(&f->dl);
    reportset_free(&f->set);
    arena_free(&f->arena);
    free(f);
    return 0;
}

static bool load(Fixture *f, const char *name, const char *text, const FormSet *forms)
{
    LoadOptions opt = {DATA_AUTO, NULL, forms ? forms : f->forms};
    return reportset_load_buffer(&f->set, name, text, strlen(text), &opt, &f->dl);
}

static const Report *last(Fixture *f)
{
    assert_true(f->set.len > 0);
    return &f->set.reports[f->set.len - 1];
}

static void show(double v, const char *digits, NumFormat fmt, bool d1904, const char *want)
{
    char buf[64];
    numfmt_show(v, digits, fmt, d1904, buf);
    assert_string_equal(buf, want);
}

static void test_numbers_as_shown(void **state)
{
    (void)state;
    show(0.9, "0.9", numfmt_from_code("0%"), false, "90%");
    show(1, "1", numfmt_builtin(9), false, "100%");
    show(0.9, "0.90000000000000002", numfmt_from_code("0.00%"), false, "90.00%");
    show(45747, "45747", numfmt_from_code("yyyy-mm-dd"), false, "2025-03-31");
    show(45747, NULL, numfmt_from_code("[$-804]yyyy\"年\"m\"月\"d\"日\";@"), false, "2025-03-31");
    show(44285, NULL, numfmt_builtin(14), true, "2025-03-31"); /* the 1904 system */
    show(59, NULL, numfmt_builtin(14), false, "1900-02-28");  /* before Excel's 29 February 1900 */
    show(5, "5.0", numfmt_from_code("General"), false, "5");
    show(11458.23, "11458.23", numfmt_builtin(0), false, "11458.23");
    show(0.1 + 0.2, NULL, numfmt_builtin(0), false, "0.3");
    show(3.5, NULL, numfmt_from_code("#,##0.00"), false, "3.50");
    assert_int_equal(numfmt_from_code("0.0%;[Red]-0.0%").show, SHOW_PERCENT);
    assert_int_equal(numfmt_from_code("\"%\"0").show, SHOW_FIXED); /* a quoted % is text */
}

static void test_html_spans(void **state)
{
    Fixture *f = *state;
    static const char page[] =
        "<html><body><p>预算单位名称：甲局</p><table>"
        "<tr><td rowspan=2>A</td><td colspan=2>B</td></tr>"
        "<tr><td>C<br>D</td><td>&nbsp;E </td></tr>"
        "<tr><td>F<table><tr><td>inner</td></tr></table></td><td></td><td>G</td></tr>"
        "</table><script>var t = '<table>';</script></body></html>";
    FormDoc doc;
    form_doc_init(&doc, &f->set.arena, "x.html", "HTML");
    html_read(&doc, page, sizeof page - 1);
    assert_null(doc.error);
    assert_int_equal(doc.ngrids, 2);
    const FormGrid *g = NULL;
    const char *text = NULL;
    for (size_t i = 0; i < doc.nitems; i++) {
        if (doc.items[i].grid && !g)
            g = doc.items[i].grid;
        if (doc.items[i].text && !text)
            text = doc.items[i].text;
    }
    assert_string_equal(text, "预算单位名称：甲局");
    assert_int_equal(g->nrows, 3);
    assert_string_equal(form_cell(g, 0, 0), "A");
    assert_string_equal(form_cell(g, 0, 2), "B");
    assert_string_equal(form_cell(g, 1, 0), "A");   /* rowspan */
    assert_string_equal(form_cell(g, 1, 1), "C\nD"); /* <br> */
    assert_string_equal(form_cell(g, 1, 2), "E");
    assert_string_equal(form_cell(g, 2, 0), "F");   /* the nested table is a grid of its own */
    assert_string_equal(form_cell(g, 2, 2), "G");
    form_doc_free(&doc);
}

/* A form saved from Excel: titles, a head, the budget block, merged level
 * cells flattened to blanks, a spacer, a placeholder, 总分 and 自评结论. */
static const char form_csv[] =
    "部门整体支出绩效自评表,,,,,,,\n"
    "单位名称：甲局,,,,,,,\n"
    "项目资金（万元）,,全年预算数(A),全年执行数(B),分值,执行率,得分,\n"
    ",年度资金总额:,100,95,10,95%,9,\n"
    "一级指标,二级指标,三级指标,年度指标值（A）,实际完成值（B）,分值,得分,偏差原因\n"
    "产出指标(50分),数量指标,培训人数,100人,80人,20,20,\n"
    ",,覆盖率,90%,95%,20,20,\n"
    ",质量指标,合格率,≥90%,95%,10,10,\n"
    ",,……,,,,,\n"
    ",,,,,,,\n"
    "满意度指标,满意度,群众满意度,90%,90%,40,38,无\n"
    "总分,,,,,100,88,\n"
    "自评结论,良,,,,,,\n"
    "注：此行在表外,,,,,,,\n";

static void test_recognition(void **state)
{
    Fixture *f = *state;
    assert_true(load(f, "dir/甲.csv", form_csv, NULL));
    const Report *r = last(f);
    assert_string_equal(r->id, "甲局");
    assert_int_equal(r->nrows, 5);
    /* the budget row: 全年预算数 and 全年执行数 in the block's 万元 */
    assert_string_equal(r->rows[0].level1, "预算执行");
    assert_string_equal(r->rows[0].name, "预算执行率");
    assert_string_equal(r->rows[0].target_raw, "100万元");
    assert_string_equal(r->rows[0].actual_raw, "95万元");
    /* merged blanks carried down; the level-2 only within its level-1 */
    assert_string_equal(r->rows[2].level1, "产出指标");
    assert_string_equal(r->rows[2].level2, "数量指标");
    assert_string_equal(r->rows[3].level2, "质量指标");
    assert_string_equal(r->rows[4].name, "群众满意度");
    assert_string_equal(r->rows[4].reason, "无");
    char buf[VAL_BUF];
    val_format(&r->stated_total, buf);
    assert_string_equal(buf, "88");
    assert_string_equal(r->stated_grade, "良"); /* without rules, any short text */
    /* rows say where they are: a CSV form by line */
    char place[128];
    assert_string_equal(row_place(&r->rows[1], ROW_ACTUAL, place, sizeof place), "dir/甲.csv:6");
}

static void test_grade_needs_rules(void **state)
{
    Fixture *f = *state;
    DiagList d;
    diag_init(&d);
    /* rules that score a table (a table group), with grades */
    static const char rules[] = "grades 优 >= 90, 良 >= 80, 中 >= 60, else 差\n"
                                "method 正向 = score_ge(target, actual, weight)\n"
                                "group 产出指标 weight 100 { category * }\n"
                                "rows { else using 正向 }\n";
    Program *p = program_compile("g.tally", rules, sizeof rules - 1, &d);
    assert_non_null(p);
    const FormSet *forms = forms_for_program(p, &f->arena, &d);
    assert_true(load(f, "甲.csv", form_csv, forms));
    assert_string_equal(last(f)->stated_grade, "良");
    program_free(p);
    diag_free(&d);
}

static void test_split_target_and_places(void **state)
{
    Fixture *f = *state;
    static const char page[] =
        "<table><tr><td>项目名称</td><td colspan=5>营养改善</td></tr>"
        "<tr><td>一级指标</td><td>三级指标</td><td>指标性质</td><td>指标值</td><td>度量单位</td>"
        "<td>实际完成值</td><td>分值</td><td>得分</td></tr>"
        "<tr><td>产出指标</td><td>受资助人数</td><td>≧</td><td>735</td><td>人次</td>"
        "<td>735人次</td><td>10</td><td>10</td></tr>"
        "<tr><td colspan=5>其他</td><td>总分</td><td>10</td><td>10</td></tr></table>";
    assert_true(load(f, "y.html", page, NULL));
    const Report *r = last(f);
    assert_string_equal(r->id, "营养改善");
    assert_int_equal(r->nrows, 1);
    assert_string_equal(r->rows[0].target_raw, "≧735人次");
    char place[128];
    assert_string_equal(row_place(&r->rows[0], ROW_REPORTED, place, sizeof place),
                        "y.html: table 1, row 3, 得分");
    assert_string_equal(pos_place(&r->total_pos, place, sizeof place),
                        "y.html: table 1, row 4, 得分");
}

static void test_own_form(void **state)
{
    Fixture *f = *state;
    static const char rules[] =
        "form 本省表 {\n"
        "  column indicator = 指标名称\n"
        "  column target = 目标\n"
        "  column actual = 结果\n"
        "  column weight = 满分\n"
        "  column reported = 自评分\n"
        "  total 合计得分\n"
        "}\n"
        "method 正向 = score_ge(target, actual, weight)\n"
        "group 产出指标 weight 10 { category * }\n"
        "rows { else using 正向 }\n";
    static const char csv[] = "指标名称,目标,结果,满分,自评分\n"
                              "培训人数,100人,100人,10,9\n"
                              "合计得分,,,10,9\n";
    DiagList d;
    diag_init(&d);
    Program *p = program_compile("own.tally", rules, sizeof rules - 1, &d);
    assert_non_null(p);
    assert_int_equal(p->nforms, 1);
    const FormSet *own = forms_for_program(p, &f->arena, &d);
    assert_true(load(f, "own.csv", csv, own));
    assert_string_equal(last(f)->rows[0].name, "培训人数");
    size_t n = f->set.len;
    /* the default forms know none of these words */
    assert_false(load(f, "own.csv", csv, NULL));
    assert_int_equal(f->set.len, n);
    program_free(p);
    diag_free(&d);
}

static void test_what_a_file_is(void **state)
{
    Fixture *f = *state;
    const char *why;
    assert_int_equal(form_sniff("report,x\n", 9, &f->arena, &why), SNIFF_TEXT);
    assert_int_equal(form_sniff("  <TABLE><tr>", 13, &f->arena, &why), SNIFF_HTML);
    assert_int_equal(form_sniff("<b>not a page</b>", 17, &f->arena, &why), SNIFF_TEXT);
    assert_int_equal(form_sniff("PK\3\4 cut short", 15, &f->arena, &why), SNIFF_REFUSED);
    assert_non_null(strstr(why, "corrupt zip archive"));
    char cfb[600] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    assert_int_equal(form_sniff(cfb, sizeof cfb, &f->arena, &why), SNIFF_REFUSED);
    assert_non_null(strstr(why, "compound file"));
    /* refused as a whole: no report, a message naming the file */
    size_t n = f->set.len;
    assert_false(load(f, "bad.xlsx", "PK\3\4 cut short", NULL));
    assert_int_equal(f->set.len, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers_as_shown),
        cmocka_unit_test_setup_teardown(test_html_spans, setup, teardown),
        cmocka_unit_test_setup_teardown(test_recognition, setup, teardown),
        cmocka_unit_test_setup_teardown(test_grade_needs_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_split_target_and_places, setup, teardown),
        cmocka_unit_test_setup_teardown(test_own_form, setup, teardown),
        cmocka_unit_test_setup_teardown(test_what_a_file_is, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
