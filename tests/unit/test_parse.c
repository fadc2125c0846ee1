/* test_parse.c - the scanner and the parser (grammar/): what parses, what
 * does not and with which message, literals, precedence, REPL input. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar/parse.h"
#include "lang/base/arena.h"
#include "lang/base/diag.h"
#include "lang/base/value.h"

typedef struct Parsed {
    Arena arena;
    DiagList diags;
    Source src;
    ParseResult pr;
    bool ok;
} Parsed;

static void parse_text(Parsed *p, const char *text, ParseMode mode)
{
    arena_init(&p->arena);
    diag_init(&p->diags);
    p->src = (Source){.name = "<test>", .text = text, .len = strlen(text), .first_line = 1};
    p->ok = parse_source(&p->arena, &p->src, mode, &p->diags, &p->pr);
}

static void parsed_free(Parsed *p)
{
    diag_free(&p->diags);
    arena_free(&p->arena);
}

typedef struct ParseCase {
    const char *text;
    int errors;         /* syntax and lexical errors */
    int decls;          /* declarations built (when errors == 0) */
    const char *first;  /* a part of the first message, or NULL */
    const char *hint;   /* a part of the first message's hint, or NULL */
} ParseCase;

static const ParseCase parse_cases[] = {
    /* declarations */
    {"scheme \"项目支出绩效自评（10/50/30/10）\" total 100", 0, 1, NULL, NULL},
    {"input 编制数, 实有人数 : 人", 0, 2, NULL, NULL},
    {"input 全年预算数", 0, 1, NULL, NULL},
    {"let 执行率 = 全年执行数 / 全年预算数   # 注释到行尾", 0, 1, NULL, NULL},
    {"option score_places = 2\noption total_tolerance = 0.01", 0, 2, NULL, NULL},
    {"grades 优 >= 90, 良 ≥ 80, 中 > 59.99, else 差", 0, 1, NULL, NULL},
    {"method 正向 = score_ge(target, actual, weight)", 0, 1, NULL, NULL},
    {"method 反向(方式) = score_le(target, actual, weight, 方式)", 0, 1, NULL, NULL},
    {"method m() = 1", 0, 1, NULL, NULL},
    {"indicator 在职人员控制率 weight 5 {\n value 实有人数 / 编制数\n target 100%\n"
     " score deduct(weight, 0.5, over(value, target, 1%))\n}", 0, 1, NULL, NULL},
    {"indicator 预算执行率 weight 10 using score_exec(全年预算数, 全年执行数, weight)", 0, 1, NULL,
     NULL},
    {"indicator i weight 5 using 反向(inverse) { target 1 actual 2 }", 0, 1, NULL, NULL},
    {"group 产出 weight 50 alias 产出指标 { group 数量 weight 50 { indicator a weight 50 "
     "{ score weight } } }", 0, 1, NULL, NULL},
    {"group 满意度指标 weight 10 { category 数量指标, 质量指标 category * }", 0, 1, NULL, NULL},
    {"check 支出平衡: 基本支出 + 项目支出 == 决算支出 within 0.01 万元", 0, 1, NULL, NULL},
    {"rows {\n when level1 预算执行 using 执行率\n when kind text, percent using 定性\n"
     " when qualifier <= and level2 成本指标 using 反向(linear2x)\n"
     " when qualifier missing using 正向\n when indicator 群众满意度 using 正向\n"
     " else using 正向\n}", 0, 1, NULL, NULL},
    /* lexical rules */
    {"let \"严格执行中央八项规定，发扬艰苦奋斗精神\" = 90%", 0, 1, NULL, NULL},
    {"let a = 1\xE3\x80\x80+ 1", 0, 1, NULL, NULL},           /* U+3000 is white space */
    {"let a = 'x' let b = 「有所提升」 let c = ''", 0, 3, NULL, NULL},
    {"let 甲·乙 = 1", 0, 1, NULL, NULL},                      /* U+00B7 is part of a name */
    {"let a = 1 ≠ 2 let b = 1 ≤ 2", 0, 2, NULL, NULL},
    {"let a = 1\r\nlet b = 2\r\n", 0, 2, NULL, NULL},
    /* errors */
    {"let a = 1；", 1, 0, "unexpected full-width character '；'", "declarations need no separator"},
    {"let 甲，乙 = 1", 1, 0, "unexpected full-width character '，'", "did you mean ','?"},
    {"method 正向 = score_ge（target)", 1, 0, "full-width character '（'", "did you mean '('?"},
    {"indicator \"未闭合 weight 5 { score 1 }", 1, 0, "quoted name is not closed on this line",
     NULL},
    {"let \"\" = 1", 1, 0, "empty quoted name", NULL},
    {"let a = '未闭合", 1, 0, "text is not closed on this line", NULL},
    {"let a = 「未闭合", 1, 0, "unexpected character '「' (U+300C)", NULL},
    {"let 第①项 = 1", 1, 0, "unexpected character '①' (U+2460)", NULL},
    {"let a = .5", 1, 0, "unexpected character '.'", NULL},
    {"let a = 1.1234567890123456789", 1, 0, "at most 18 digits after the point", NULL},
    {"let a = 1 < 2 < 3", 1, 0, "syntax error: unexpected '<'", NULL},
    {"check 平衡 1 == 1", 1, 0, "syntax error: unexpected number", "expected ':'"},
    {"let 1a = 1", 1, 0, "syntax error: unexpected number", "expected name or quoted name"},
    {"category a", 1, 0, "syntax error: unexpected 'category'", NULL},
    /* recovery at the next declaration: every error is reported */
    {"let a = * 1\nlet b = 2\nlet c = ) 3\nlet d = 4", 2, 0, "unexpected '*'", NULL},
    {"indicator i weight 5 { value 1 value 2 score 1 }", 1, 0, "has this clause twice", NULL},
    {"let a = tiers(1, else 0, >= 1: 1)", 1, 0, "the else branch of tiers must come last", NULL},
    /* imports, overrides, versions, tests (lang/imports.c, applies.c, tests.c) */
    {"import \"self-eval.tally\"\noverride method 反向 = score_le(target, actual, weight, inverse)\n"
     "override group 预算执行 weight 20\noverride group 产出 weight 40 alias 产出指标\n"
     "override input 编制数, 实有人数 : 人\nremove group 满意度指标, 效益指标", 0, 7, NULL, NULL},
    {"applies 2024 applies 2022..2023 applies from 2024", 0, 3, NULL, NULL},
    {"test 例 {\n row 产出指标, , 培训人数, 100人, ≥80%, 5, 4.5, 「原因，说明」\n"
     " figure 编制数 = 115人, 实有人数 = 131\n expect score 培训人数 4..4.5\n"
     " expect subtotal 产出指标 -1\n expect total missing\n expect grade 优\n"
     " expect grade missing\n expect finding E_FULL_MISSED on 培训人数\n"
     " expect no finding\n expect no finding W_OVERSHOOT\n}", 0, 1, NULL, NULL},
    {"test 'a b' { data \"x.csv\" report 甲局 expect total 1 }", 0, 1, NULL, NULL},
    /* a test block's words are names outside it */
    {"let row = 1 let expect = row let grade = expect", 0, 3, NULL, NULL},
    {"test t { row 1, 2 } let row = 1", 0, 2, NULL, NULL},
    {"import self-eval", 1, 0, "syntax error: unexpected name", "expected quoted name"},
    {"override import \"a\"", 1, 0, "syntax error: unexpected 'import'", NULL},
    {"remove rows", 1, 0, "syntax error: unexpected 'rows'", NULL},
    {"applies from", 1, 0, "syntax error: unexpected end of input", "expected number"},
    {"test t { expect score }", 1, 0, "syntax error: unexpected '}'", NULL},
};

/* A test block's cells are the source text between their first and last
 * tokens, empty cells are NULL, and expectations keep their values. */
static void test_parse_test_blocks(void **state)
{
    (void)state;
    Parsed p;
    parse_text(&p, "test 例 {\n  row 产出指标(40分), , 培训人数, ≥ 90%, 10824.18万元, 5, 4.5,\n"
                   "  figure 编制数 = 115 人\n  expect score 培训人数 4..4.5\n"
                   "  expect finding E_FULL_MISSED on 「培训人数」\n}", PARSE_FILE);
    assert_int_equal(p.diags.errors, 0);
    const Decl *t = p.pr.ast.decls[0];
    assert_int_equal(t->kind, D_TEST);
    assert_string_equal(t->name, "例");
    assert_int_equal(t->u.test.nrows, 1);
    const TestRow *row = &t->u.test.rows[0];
    assert_int_equal(row->ncells, 8);
    assert_string_equal(row->cells[0].text, "产出指标(40分)");
    assert_null(row->cells[1].text);
    assert_string_equal(row->cells[3].text, "≥ 90%");
    assert_string_equal(row->cells[4].text, "10824.18万元");
    assert_null(row->cells[7].text);
    assert_int_equal(t->u.test.nfigures, 1);
    assert_string_equal(t->u.test.figures[0].value.text, "115 人");
    assert_int_equal(t->u.test.nexpects, 2);
    const Expect *e = &t->u.test.expects[0];
    assert_int_equal(e->kind, EXPECT_SCORE);
    assert_true(e->range);
    assert_string_equal(e->name, "培训人数");
    assert_int_equal(t->u.test.expects[1].kind, EXPECT_FINDING);
    assert_string_equal(t->u.test.expects[1].subject, "培训人数");
    parsed_free(&p);
}

static void test_parse_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
        const ParseCase *c = &parse_cases[i];
        Parsed p;
        parse_text(&p, c->text, PARSE_FILE);
        if ((int)p.diags.errors != c->errors || (c->errors == 0 && p.pr.ast.ndecls != c->decls)) {
            fprintf(stderr, "case %zu: %s\n", i, c->text);
            diag_render_all(&p.diags, stderr, false);
        }
        assert_int_equal(p.diags.errors, c->errors);
        assert_true(p.ok == (c->errors == 0));
        if (c->errors == 0)
            assert_int_equal(p.pr.ast.ndecls, c->decls);
        if (c->first) {
            assert_true(p.diags.len > 0);
            if (!strstr(p.diags.items[0].message, c->first))
                fail_msg("case %zu: '%s' not in '%s'", i, c->first, p.diags.items[0].message);
        }
        if (c->hint) {
            assert_non_null(p.diags.items[0].hint);
            if (!strstr(p.diags.items[0].hint, c->hint))
                fail_msg("case %zu: '%s' not in hint '%s'", i, c->hint, p.diags.items[0].hint);
        }
        parsed_free(&p);
    }
}

/* The value of `let a = LITERAL`, the only declaration of text. */
static TlValue parse_literal(Parsed *p, const char *text)
{
    parse_text(p, text, PARSE_FILE);
    assert_int_equal(p->diags.errors, 0);
    assert_int_equal(p->pr.ast.ndecls, 1);
    const Decl *d = p->pr.ast.decls[0];
    assert_int_equal(d->kind, D_LET);
    assert_int_equal(d->u.let.value->kind, E_LIT);
    return d->u.let.value->u.lit;
}

static void assert_dec(TlDec d, const char *want)
{
    char buf[DEC_BUF];
    dec_format(d, buf);
    assert_string_equal(buf, want);
}

static void test_parse_literals(void **state)
{
    (void)state;
    Parsed p;
    TlValue v = parse_literal(&p, "let a = 90%");
    assert_int_equal(v.kind, TL_NUM);
    assert_int_equal(v.numkind, NUM_PERCENT);
    assert_dec(v.u.num, "0.90");
    parsed_free(&p);

    v = parse_literal(&p, "let a = 12.5 ％");
    assert_int_equal(v.numkind, NUM_PERCENT);
    assert_dec(v.u.num, "0.125");
    parsed_free(&p);

    v = parse_literal(&p, "let a = 10824.18 万元");
    assert_int_equal(v.numkind, NUM_QUANTITY);
    assert_string_equal(v.unit, "元");
    assert_int_equal(v.mag, 4);
    assert_int_equal(dec_cmp(v.u.num, dec_from_int(108241800)), 0);
    char buf[VAL_BUF];
    val_format(&v, buf);
    assert_string_equal(buf, "10824.18万元");
    parsed_free(&p);

    v = parse_literal(&p, "let a = 15人");
    assert_int_equal(v.numkind, NUM_QUANTITY);
    assert_string_equal(v.unit, "人");
    assert_int_equal(v.mag, 0);
    assert_dec(v.u.num, "15");
    parsed_free(&p);

    /* a magnitude word alone is a unit in a rule file */
    v = parse_literal(&p, "let a = 3 万");
    assert_int_equal(v.numkind, NUM_QUANTITY);
    assert_string_equal(v.unit, "万");
    assert_int_equal(v.mag, 0);
    parsed_free(&p);

    /* any name after a number is its unit: 1e5 is 1 of unit e5 */
    v = parse_literal(&p, "let a = 1e5");
    assert_int_equal(v.numkind, NUM_QUANTITY);
    assert_string_equal(v.unit, "e5");
    parsed_free(&p);

    v = parse_literal(&p, "let a = '有所提升'");
    assert_int_equal(v.kind, TL_TEXT);
    assert_string_equal(v.u.text, "有所提升");
    parsed_free(&p);

    v = parse_literal(&p, "let a = 「建立长效管理制度」");
    assert_int_equal(v.kind, TL_TEXT);
    assert_string_equal(v.u.text, "建立长效管理制度");
    parsed_free(&p);

    v = parse_literal(&p, "let a = missing");
    assert_int_equal(v.kind, TL_MISSING);
    parsed_free(&p);

    v = parse_literal(&p, "let a = true");
    assert_int_equal(v.kind, TL_BOOL);
    assert_true(v.u.b);
    parsed_free(&p);

    /* names: a quoted name is the name; a full-width comma ends a name */
    parse_text(&p, "let \"编制数\" = 1 let 三支一扶合格人员数 = 2", PARSE_FILE);
    assert_int_equal(p.diags.errors, 0);
    assert_string_equal(p.pr.ast.decls[0]->name, "编制数");
    assert_string_equal(p.pr.ast.decls[1]->name, "三支一扶合格人员数");
    parsed_free(&p);
}

/* Precedence: the shape of the tree built for an expression. */
static void test_parse_precedence(void **state)
{
    (void)state;
    Parsed p;
    parse_text(&p, "let a = not 1 + 2 * 3 > 4 and true or false", PARSE_FILE);
    assert_int_equal(p.diags.errors, 0);
    const Expr *e = p.pr.ast.decls[0]->u.let.value;
    assert_int_equal(e->kind, E_BINARY);
    assert_int_equal(e->u.binary.op, OP_OR);
    const Expr *and = e->u.binary.a;
    assert_int_equal(and->u.binary.op, OP_AND);
    const Expr *not = and->u.binary.a;
    assert_int_equal(not->kind, E_UNARY);
    assert_int_equal(not->u.unary.op, OP_NOT);
    const Expr *gt = not->u.unary.a;
    assert_int_equal(gt->u.binary.op, OP_GT);
    const Expr *plus = gt->u.binary.a;
    assert_int_equal(plus->u.binary.op, OP_ADD);
    assert_int_equal(plus->u.binary.b->u.binary.op, OP_MUL);
    parsed_free(&p);

    /* unary minus binds tighter than '*'; the else branch reaches right */
    parse_text(&p, "let a = -2 * 3 let b = 1 + if c then 1 else 2 + 3", PARSE_FILE);
    assert_int_equal(p.diags.errors, 0);
    e = p.pr.ast.decls[0]->u.let.value;
    assert_int_equal(e->u.binary.op, OP_MUL);
    assert_int_equal(e->u.binary.a->kind, E_UNARY);
    e = p.pr.ast.decls[1]->u.let.value;
    assert_int_equal(e->u.binary.op, OP_ADD);
    assert_int_equal(e->u.binary.b->kind, E_IF);
    assert_int_equal(e->u.binary.b->u.cond.els->kind, E_BINARY);
    parsed_free(&p);

    parse_text(&p, "let a = tiers(x, >= 90%: 5, > 80%: 4, = 0: 1, else 0)", PARSE_FILE);
    assert_int_equal(p.diags.errors, 0);
    e = p.pr.ast.decls[0]->u.let.value;
    assert_int_equal(e->kind, E_TIERS);
    assert_int_equal(e->u.tiers.ntiers, 3);
    assert_int_equal(e->u.tiers.tiers[0].op, OP_GE);
    assert_int_equal(e->u.tiers.tiers[1].op, OP_GT);
    assert_int_equal(e->u.tiers.tiers[2].op, OP_EQ);
    assert_non_null(e->u.tiers.els);
    parsed_free(&p);
}

typedef struct ReplCase {
    const char *text;
    int errors;
    bool incomplete;
    bool expr;          /* an expression was entered */
    int decls;
} ReplCase;

static const ReplCase repl_cases[] = {
    {"1 + 2", 0, false, true, 0},
    {"全年执行数 / 全年预算数", 0, false, true, 0},
    {"let x = 1", 0, false, false, 1},
    {"method m = weight let y = 2", 0, false, false, 2},
    {"", 0, false, false, 0},
    /* unfinished at the end of input: ask for another line */
    {"let x =", 1, true, false, 0},
    {"1 +", 1, true, false, 0},
    {"(1 + 2", 1, true, false, 0},
    {"score_ge(target,", 1, true, false, 0},
    {"indicator i weight 5 {", 1, true, false, 0},
    {"method 宽松反向 = score_le(target * 放宽, actual, weight,", 1, true, false, 0},
    {"if 1 > 2 then 1", 1, true, false, 0},
    {"rows { when level1 预算执行", 1, true, false, 0},
    /* wrong before the end: not incomplete */
    {"1 )", 1, false, false, 0},
    {"1 + * 2", 1, false, false, 0},
    {"let = 1 +", 1, false, false, 0},     /* the REPL stops at the first error */
    {"let a = '未闭合", 1, false, false, 0},
};

static void test_parse_repl(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof repl_cases / sizeof repl_cases[0]; i++) {
        const ReplCase *c = &repl_cases[i];
        Parsed p;
        parse_text(&p, c->text, PARSE_REPL);
        if ((int)p.diags.errors != c->errors || p.pr.incomplete != c->incomplete) {
            fprintf(stderr, "case %zu: %s\n", i, c->text);
            diag_render_all(&p.diags, stderr, false);
        }
        assert_int_equal(p.diags.errors, c->errors);
        assert_true(p.pr.incomplete == c->incomplete);
        if (c->errors == 0) {
            assert_true((p.pr.expr != NULL) == c->expr);
            assert_int_equal(p.pr.ast.ndecls, c->decls);
        }
        parsed_free(&p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_cases),
        cmocka_unit_test(test_parse_test_blocks),
        cmocka_unit_test(test_parse_literals),
        cmocka_unit_test(test_parse_precedence),
        cmocka_unit_test(test_parse_repl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
