/* test_lang.c - the language: scanner and parser (grammar/), checker
 * (lang/check.c) and reference interpreter (lang/interp.c, lang/builtins.c).
 *
 * The interpreter cases are one table: an expression over the inputs x and y
 * (declared `cell`, so their units are known only at run time), the report
 * cells bound to them, the value expected (as val_format prints it) and the
 * finding expected.  docs/language.md §4–§7 describe the same semantics. */
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
#include "lang/finding.h"
#include "lang/interp.h"
#include "lang/program.h"

/* Parser ------------------------------------------------------------------ */

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
    p->src = (Source){"<test>", text, strlen(text), 1};
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
};

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

/* Checker ----------------------------------------------------------------- */

typedef struct CheckCase {
    const char *name;
    const char *text;
    int errors;
    int warnings;
    const char *first;  /* a part of the first message */
    const char *hint;   /* a part of the first message's hint, or NULL */
} CheckCase;

static const CheckCase check_cases[] = {
    {"unknown name", "input 全年预算数, 全年执行数 : 万元\n"
                     "check c: 全年执行书 <= 全年预算数",
     1, 1, "unknown name '全年执行书'", "did you mean '全年执行数'?"},
    {"unknown function", "let a = scor_ge(1, 1, 1)", 1, 0, "unknown function 'scor_ge'",
     "did you mean 'score_ge'?"},
    {"one-character name: no suggestion", "let 甲 = 1\nlet b = 乙", 1, 0, "unknown name '乙'",
     NULL},
    {"duplicate indicator", "indicator 在职人员控制率 weight 5 { score weight }\n"
                            "indicator 在职人员控制率 weight 5 { score weight }",
     1, 0, "'在职人员控制率' is already declared as an indicator at line 1", NULL},
    {"duplicate across kinds", "input 编制数\nlet 编制数 = 1", 1, 1,
     "'编制数' is already declared as", NULL},
    {"predeclared", "let min = 1", 1, 0,
     "'min' is the name of a built-in function and cannot be redeclared", NULL},
    {"duplicate check", "check c: true\ncheck c: false", 1, 0, "check 'c' is already declared",
     NULL},
    {"text as number", "input 完成情况 : text\nindicator 制度建设 weight 5 { score weight * 完成情况 }",
     1, 0, "'*' needs a number, but this is text", NULL},
    {"unit mismatch", "input 项目资金 : 万元\ninput 受益人数 : 人\ncheck c: 项目资金 + 受益人数 > 0 万元",
     1, 0, "quantity in 元 + quantity in 人: units differ", NULL},
    {"product of quantities", "input a : 万元\ninput b : 人\nlet c = a * b\ncheck d: c > 0",
     1, 0, "a product of two quantities has no unit Tally knows", NULL},
    {"wrong arity", "method 正向 = score_ge(target, actual)", 1, 0,
     "score_ge takes 3 to 5 arguments, 2 given", "usage: score_ge(target, actual, weight"},
    {"method arity", "method m(a) = a\nindicator i weight 5 using m(1, 2)", 1, 0,
     "method 'm' takes 1 argument, 2 given", NULL},
    {"group weights", "group 产出指标 weight 50 {\n"
                      "  indicator 培训人次 weight 20 { score weight }\n"
                      "  indicator 就业人数 weight 20 { score weight }\n}",
     1, 0, "the weights in group '产出指标' add up to 40, but the group's weight is 50",
     "so that they agree"},
    {"scheme total", "scheme \"部门整体支出绩效评价\" total 100\n"
                     "indicator 预算执行率 weight 10 { score weight }\n"
                     "indicator 产出 weight 50 { score weight }",
     1, 0, "the top-level weights add up to 60, but the scheme's total is 100", NULL},
    {"grade order", "grades 优 >= 90, 中 >= 60, 良 >= 80, else 差", 1, 0,
     "grade bands out of order: '良' starts at 80, not below '中' at 60",
     "from the highest band to the lowest"},
    {"else grade last", "grades 优 >= 90, else 差, 良 >= 80", 1, 0,
     "the else grade must come last", NULL},
    {"let cycle", "let 执行率 = 调整率 + 1\nlet 调整率 = 执行率 * 2", 2, 0,
     "'执行率' is defined in terms of itself", "directly or through other lets"},
    {"let names itself", "let a = a + 1", 1, 0, "'a' is defined in terms of itself", NULL},
    {"score above weight", "input 达标 : boolean\n"
                           "indicator 就业率 weight 10 { score if 达标 then weight * 1.2 else 0 }",
     1, 0, "the score of '就业率' can reach 12, above its weight 10", NULL},
    {"score below zero", "indicator i weight 10 { score weight - 11 }", 1, 0,
     "the score of 'i' can fall to -1, below 0", NULL},
    {"method score above weight", "method m = tiers(1, >= 1: weight + 1, else 0)\n"
                                  "indicator i weight 10 using m",
     1, 0, "the score of 'i' can reach 11, above its weight 10", NULL},
    {"unknown option", "option score_place = 2", 1, 0, "unknown option 'score_place'",
     "did you mean 'score_places'?"},
    {"option na", "option na = maybe", 1, 0, "unknown option 'na'", NULL},
    {"context word in let", "let a = target", 1, 0,
     "'target' is only defined inside an indicator, a method or a rows rule", NULL},
    {"not a constant weight", "let w = 5\nindicator i weight w { score 0 }", 1, 0,
     "a weight must be a constant number", NULL},
    {"both score and method", "indicator i weight 5 using m { score 1 }\nmethod m = 1", 1, 0,
     "indicator 'i' has both a score formula and a method", NULL},
    {"neither", "indicator i weight 5 { value 1 }", 1, 0,
     "indicator 'i' needs a score formula or 'using' a method", NULL},
    {"table group needs rows", "group g weight 10 { category * }", 1, 0,
     "table groups need a 'rows' block", NULL},
    {"rows using a let", "let k = 1\ngroup g weight 10 { category * }\nrows { else using k }", 1, 0,
     "'k' is a let, not a method", NULL},
    {"bad kind", "method m = 1\ngroup g weight 10 { category * }\n"
                 "rows { when kind numbr using m else using m }",
     1, 0, "kind is number, percent, quantity, text or missing, not 'numbr'", NULL},
    {"within a non-comparison", "check c: 1 + 1 within 1", 2, 0,
     "a check needs a condition (true or false)", NULL},
    {"tolerance unit", "input a, b : 万元\ncheck c: a == b within 0.01", 1, 0,
     "the tolerance is number (no unit) but the values are quantity in 元", NULL},
    {"if branches", "let a = if true then 1 else '一'", 1, 0,
     "the branches of 'if' differ: number (no unit) and text", NULL},
    {"five mistakes", "scheme \"部门整体支出绩效自评\" total 15\n"
                      "grades 优 >= 90, 中 >= 60, 良 >= 80, else 差\n"
                      "input 全年预算数, 全年执行数, 项目资金 : 万元\n"
                      "input 实有人数, 编制数 : 人\n"
                      "indicator 预算执行率 weight 10 { score score_exec(全年预算数, 全年执行书, weight) }\n"
                      "indicator 在职人员控制率 weight 5 { score deduct(weight, 0.5) }\n"
                      "indicator 在职人员控制率 weight 5 { score weight }\n"
                      "check 资金: 项目资金 + 实有人数 <= 全年预算数\n"
                      "check 执行: 全年执行数 <= 全年预算数\n"
                      "check 编制: 实有人数 <= 编制数\n",
     5, 0, "grade bands out of order", NULL},
    {"invalid UTF-8", "let 执行率 = 0.9  # \xBC\xA8", 1, 0, "the rule file is not valid UTF-8",
     NULL},
    {"syntax error stops the checks", "let a = 未知\nlet b = ", 1, 0,
     "syntax error: unexpected end of input", NULL},
    /* warnings only: the program is built */
    {"unused input", "input 编制数, 实有人数 : 人\ncheck c: 实有人数 > 0 人", 0, 1,
     "input '编制数' is never used", NULL},
    {"empty group", "group g weight 0 { }", 0, 1, "group 'g' is empty", NULL},
    {"rules after else", "method m = 1\ngroup g weight 10 { category * }\n"
                         "rows { else using m when level1 g using m }",
     0, 1, "rules after 'else' are never used", NULL},
    {"clean", "scheme s total 10\nindicator i weight 10 { score weight }", 0, 0, NULL, NULL},
};

/* The diagnostic a case is about: the first error, or the first warning. */
static const Diag *first_diag(const DiagList *dl)
{
    for (size_t i = 0; i < dl->len; i++)
        if (dl->items[i].severity == DIAG_ERROR)
            return &dl->items[i];
    return dl->len ? &dl->items[0] : NULL;
}

static void test_check_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof check_cases / sizeof check_cases[0]; i++) {
        const CheckCase *c = &check_cases[i];
        DiagList diags;
        diag_init(&diags);
        Program *p = program_compile("<test>", c->text, strlen(c->text), &diags);
        if ((int)diags.errors != c->errors || (int)diags.warnings != c->warnings) {
            fprintf(stderr, "case '%s':\n", c->name);
            diag_render_all(&diags, stderr, false);
        }
        assert_int_equal(diags.errors, c->errors);
        assert_int_equal(diags.warnings, c->warnings);
        assert_true((p == NULL) == (c->errors > 0));
        const Diag *d = first_diag(&diags);
        if (c->first) {
            assert_non_null(d);
            if (!strstr(d->message, c->first))
                fail_msg("case '%s': '%s' not in '%s'", c->name, c->first, d->message);
        }
        if (c->hint) {
            if (!d->hint || !strstr(d->hint, c->hint))
                fail_msg("case '%s': hint '%s' not in '%s'", c->name, c->hint,
                         d->hint ? d->hint : "(none)");
        } else if (strstr(c->name, "no suggestion")) {
            assert_null(d->hint);
        }
        program_free(p);
        diag_free(&diags);
    }
}

/* Diagnostics point at characters, not bytes, and come in source order. */
static void test_check_positions(void **state)
{
    (void)state;
    const char *text = "input 全年预算数 : 万元\n"
                       "check 预算: 全年执行书 <= 全年预算数\n"
                       "let 甲乙 = 丙丁 + 1\n";
    DiagList diags;
    diag_init(&diags);
    Program *p = program_compile("x.tally", text, strlen(text), &diags);
    assert_null(p);
    assert_int_equal(diags.errors, 2);
    int line, col;
    source_position(diags.items[0].src, diags.items[0].span.start, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 11);
    source_position(diags.items[1].src, diags.items[1].span.start, &line, &col);
    assert_int_equal(line, 3);
    assert_int_equal(col, 10);
    /* the diagnostics outlive the failed program */
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    diag_render_all(&diags, mem, false);
    fclose(mem);
    assert_non_null(strstr(buf, "x.tally:2:11: error: unknown name '全年执行书'\n"
                                "    check 预算: 全年执行书 <= 全年预算数\n"
                                "                ^~~~~~~~~~\n"));
    free(buf);
    diag_free(&diags);
}

/* The bundled rule files compile cleanly. */
static void test_check_bundled_rules(void **state)
{
    (void)state;
    const char *root = getenv("TALLY_SOURCE_DIR");
    if (!root)
        skip();
    const char *files[] = {"rules/self-eval.tally", "rules/self-eval-hubei.tally"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", root, files[i]);
        DiagList diags;
        diag_init(&diags);
        Program *p = program_load(path, &diags);
        diag_render_all(&diags, stderr, false);
        assert_non_null(p);
        assert_int_equal(diags.errors, 0);
        assert_int_equal(diags.warnings, 0);
        assert_true(p->has_table);
        assert_true(p->has_total);
        program_free(p);
        diag_free(&diags);
    }
}

/* Interpreter ------------------------------------------------------------- */

enum { NO_FINDING = -1 };

typedef struct EvalCase {
    const char *expr;   /* over inputs x and y (cells) */
    const char *x, *y;  /* report cells; NULL is missing */
    const char *want;   /* val_format of the result */
    int finding;        /* the first finding's kind, or NO_FINDING */
} EvalCase;

static const EvalCase eval_cases[] = {
    /* exact decimals */
    {"10824.19 + 620.23 == 11444.42", NULL, NULL, "true", NO_FINDING},
    {"0.1 + 0.2 == 0.3", NULL, NULL, "true", NO_FINDING},
    {"x + y", "10824.19万元", "620.23万元", "11444.42万元", NO_FINDING},
    {"x + y == 11444.42 万元", "10824.19万元", "620.23万元", "true", NO_FINDING},
    {"x * y", "10824.18", "0.9", "9741.762", NO_FINDING},
    {"x / y", "2", "3", "0.6666666667", NO_FINDING},
    {"x / y", "37.24", "43.2", "0.862037037", NO_FINDING},
    {"round(x, 2)", "2.345", NULL, "2.35", NO_FINDING},
    {"round(x, 2)", "-2.345", NULL, "-2.35", NO_FINDING},
    {"round(x, 2)", "2.344", NULL, "2.34", NO_FINDING},
    {"round(x, 1)", "12.345%", NULL, "12.3%", NO_FINDING},
    {"round(x, 2)", "1.234567万元", NULL, "1.23万元", NO_FINDING},
    {"-2 * 3 + 2 * 3", NULL, NULL, "0", NO_FINDING},
    /* tiers: first match wins; each edge inclusive or exclusive as written */
    {"tiers(x, >= 90%: 5, >= 80%: 4, else 0)", "90%", NULL, "5", NO_FINDING},
    {"tiers(x, >= 90%: 5, >= 80%: 4, else 0)", "89.99%", NULL, "4", NO_FINDING},
    {"tiers(x, >= 90%: 5, >= 80%: 4, else 0)", "80%", NULL, "4", NO_FINDING},
    {"tiers(x, >= 90%: 5, >= 80%: 4, else 0)", "79.99%", NULL, "0", NO_FINDING},
    {"tiers(x, > 80%: 5, else 1)", "80%", NULL, "1", NO_FINDING},
    {"tiers(x, > 80%: 5, else 1)", "80.01%", NULL, "5", NO_FINDING},
    {"tiers(x, = 0: 5, <= 10%: 4, <= 20%: 3, <= 30%: 2, else 0)", "0", NULL, "5", NO_FINDING},
    {"tiers(x, = 0: 5, <= 10%: 4, <= 20%: 3, <= 30%: 2, else 0)", "10%", NULL, "4", NO_FINDING},
    {"tiers(x, = 0: 5, <= 10%: 4, <= 20%: 3, <= 30%: 2, else 0)", "10.01%", NULL, "3", NO_FINDING},
    {"tiers(x, = 0: 5, <= 10%: 4, <= 20%: 3, <= 30%: 2, else 0)", "30.01%", NULL, "0", NO_FINDING},
    {"tiers(x, < 60%: 0, < 70%: 2, else 5)", "60%", NULL, "2", NO_FINDING},
    {"tiers(x, >= 90%: 5)", "50%", NULL, "—", NO_FINDING},
    {"tiers(x, >= 90%: 5, else 0)", NULL, NULL, "—", NO_FINDING},
    {"tiers(x, >= 90 人: 5, else 0)", "95%", NULL, "—", F_UNIT_MISMATCH},
    /* deductions, 扣完为止 */
    {"deduct(5, 0.5, x)", "3", NULL, "3.5", NO_FINDING},
    {"deduct(5, 0.5, x)", "10", NULL, "0", NO_FINDING},
    {"deduct(5, 0.5, x)", "13.91", NULL, "0", NO_FINDING},
    {"deduct(5, 0.5, x, 2)", "30", NULL, "2", NO_FINDING},
    {"deduct(5, 0.5, x, 2)", "4", NULL, "3", NO_FINDING},
    {"deduct(5, 0.5, x)", NULL, NULL, "—", NO_FINDING},
    /* over / under: exact, up, down */
    {"over(x, 100%, 1%)", "113.91%", NULL, "13.91", NO_FINDING},
    {"over(x, 100%, 1%, up)", "113.91%", NULL, "14", NO_FINDING},
    {"over(x, 100%, 1%, down)", "113.91%", NULL, "13", NO_FINDING},
    {"over(x, 100%, 1%, up)", "113%", NULL, "13", NO_FINDING},
    {"over(x, 100%, 1%)", "90%", NULL, "0", NO_FINDING},
    {"under(x, 100%, 5%)", "86%", NULL, "2.8", NO_FINDING},
    {"under(x, 100%, 5%, up)", "86%", NULL, "3", NO_FINDING},
    {"under(x, 100%, 5%, down)", "86%", NULL, "2", NO_FINDING},
    {"under(x, 100%, 5%)", "120%", NULL, "0", NO_FINDING},
    {"over(x, 1, 0)", "5", NULL, "—", F_DIV_ZERO},
    {"deduct(5, 0.5, over(x / y, 100%, 1%, up))", "11391", "10000", "0", NO_FINDING},
    /* score_ge: positive indicators */
    {"score_ge(x, y, 5)", "90%", "80%", "4.4444444445", NO_FINDING},
    {"score_ge(x, y, 5)", "90%", "90%", "5", NO_FINDING},
    {"score_ge(x, y, 5)", "90%", "95%", "5", NO_FINDING},
    {"score_ge(x, y, 5)", "0", "5", "5", F_TRIVIAL_TARGET},
    {"score_ge(x, y, 5)", "0人", "0人", "5", F_TRIVIAL_TARGET},
    {"score_ge(x, y, 5)", "-1", "5", "—", F_BAD_TARGET},
    {"score_ge(x, y, 5)", "10人", "-3人", "0", NO_FINDING},
    {"score_ge(x, y, 5)", NULL, "80%", "—", F_MISSING_TARGET},
    {"score_ge(x, y, 5)", "90%", NULL, "—", F_MISSING_ACTUAL},
    {"score_ge(x, y, 5)", "15人", "100%", "—", F_UNIT_MISMATCH},
    {"score_ge(x, y, 5)", "90%", "0.9", "—", F_UNIT_MISMATCH},
    {"score_ge(x, y, 5)", "142个", "142家", "5", F_UNIT_WORDS},
    {"score_ge(x, y, 5)", "有所提升", "有所提升", "—", F_TYPE},
    {"score_ge(x, y, 5)", "≥20场", "30场", "5", NO_FINDING},
    {"score_ge(x, y, 5, 50%)", "10人", "30人", "5", F_OVERSHOOT},
    {"score_ge(x, y, 5, 50%)", "10人", "15人", "5", NO_FINDING},
    {"score_ge(x, y, 5, 50%, 1)", "10人", "30人", "0", F_OVERSHOOT},
    {"score_ge(x, y, 5, 50%, 0.5)", "10人", "20人", "3.75", F_OVERSHOOT},
    /* score_le: cost indicators */
    {"score_le(x, y, 6)", "10", "15", "3", NO_FINDING},
    {"score_le(x, y, 6)", "10", "20", "0", NO_FINDING},
    {"score_le(x, y, 6)", "10", "25", "0", NO_FINDING},
    {"score_le(x, y, 6)", "10", "10", "6", NO_FINDING},
    {"score_le(x, y, 6)", "10", "-5", "6", NO_FINDING},
    {"score_le(x, y, 6, linear2x)", "10824.18万元", "10824.18万元", "6", NO_FINDING},
    {"score_le(x, y, 6, inverse)", "10", "15", "4.0000000002", NO_FINDING},
    {"score_le(x, y, 6, inverse)", "10", "30", "1.9999999998", NO_FINDING},
    {"score_le(x, y, 6)", "0", "1", "0", NO_FINDING},
    {"score_le(x, y, 6)", "0", "0", "6", NO_FINDING},
    {"score_le(x, y, 6)", "-1", "0", "—", F_BAD_TARGET},
    {"score_le(x, y, 6)", "10", NULL, "—", F_MISSING_ACTUAL},
    /* score_eq: exact targets */
    {"score_eq(x, y, 6)", "10", "10", "6", NO_FINDING},
    {"score_eq(x, y, 6)", "10", "11", "6", NO_FINDING},
    {"score_eq(x, y, 6)", "10", "9", "5.4", NO_FINDING},
    {"score_eq(x, y, 6)", "10", "-2", "0", NO_FINDING},
    {"score_eq(x, y, 6, 1)", "10", "9", "6", NO_FINDING},
    {"score_eq(x, y, 6, 0, strict)", "10", "8", "4.8", NO_FINDING},
    {"score_eq(x, y, 6, 0, strict)", "10", "12", "4.8", NO_FINDING},
    {"score_eq(x, y, 6, 0, strict)", "10", "30", "0", NO_FINDING},
    {"score_eq(x, y, 6)", "0", "0", "6", NO_FINDING},
    {"score_eq(x, y, 6)", "0", "1", "0", NO_FINDING},
    {"score_eq(x, y, 6, 0.1%)", "100%", "99.9%", "6", NO_FINDING},
    /* qualitative */
    {"qual_level(x, y)", "有所提升", "有所提升", "达成", F_NON_MEASURABLE},
    {"qual_level(x, y)", "建立长效管理制度", "基本完成", "部分达成", NO_FINDING},
    {"qual_level(x, y)", "建立长效管理制度", "未完成", "未达成", NO_FINDING},
    {"qual_level(x, y)", "建立长效管理制度", "不清楚", "unknown", NO_FINDING},
    {"score_qual(x, y, 10, 9)", "建立制度", "达成", "10", NO_FINDING},
    {"score_qual(x, y, 10, 7)", "建立制度", "达成", "10", F_QUAL_OUT_OF_BAND},
    {"score_qual(x, y, 10, 7)", "建立制度", "部分达成", "7", NO_FINDING},
    {"score_qual(x, y, 10, 9)", "建立制度", "部分达成", "7.99", F_QUAL_OUT_OF_BAND},
    {"score_qual(x, y, 10, 5)", "建立制度", "部分达成", "6", F_QUAL_OUT_OF_BAND},
    {"score_qual(x, y, 10, 5, hubei2020)", "建立制度", "部分达成", "5", NO_FINDING},
    {"score_qual(x, y, 10, 3)", "建立制度", "未达成", "3", NO_FINDING},
    {"score_qual(x, y, 10, 4)", "建立制度", "不清楚", "4", F_QUAL_UNKNOWN},
    {"score_qual(x, y, 10, missing)", "建立制度", "部分达成", "—", F_MISSING_VALUE},
    {"score_qual(x, y, 10, 4)", "建立制度", NULL, "—", F_MISSING_ACTUAL},
    /* budget execution */
    {"exec_rate(x, y)", "11458.23万元", "11458.23万元", "100%", NO_FINDING},
    {"exec_rate(x, y)", "100万元", "90万元", "90%", NO_FINDING},
    {"exec_rate(x, y)", "0万元", "0万元", "100%", NO_FINDING},
    {"exec_rate(x, y)", "0万元", "1万元", "—", F_BUDGET_ZERO},
    {"score_exec(x, y, 10)", "100万元", "90万元", "9", NO_FINDING},
    {"score_exec(x, y, 10)", "100万元", "120万元", "10", F_OVER_EXECUTION},
    {"score_exec(x, y, 10)", "100万元", "90人", "—", F_UNIT_MISMATCH},
    {"score_exec(x, y, 10)", NULL, "90万元", "—", F_MISSING_TARGET},
    {"score_exec(x, y, 10, 2, 5%)", "100万元", "86万元", "4", NO_FINDING},
    {"score_exec(x, y, 10, 2, 5%)", "100万元", "95万元", "8", NO_FINDING},
    {"score_exec(x, y, 10, 2, 5%)", "100万元", "40万元", "0", NO_FINDING},
    /* ratios */
    {"ratio_capped(x, y)", "100", "50", "0.5", NO_FINDING},
    {"ratio_capped(x, y)", "100", "150", "1", NO_FINDING},
    {"ratio_capped(x, y)", "0", "-5", "0", NO_FINDING},
    {"inverse_ratio(x, y)", "100", "150", "0.6666666667", NO_FINDING},
    {"linear_to_zero(x, y)", "100", "150", "0.5", NO_FINDING},
    {"linear_to_zero(x, y)", "100", "250", "0", NO_FINDING},
    {"change_rate(x, y)", "110万元", "100万元", "10%", NO_FINDING},
    {"change_rate(x, y)", "0", "0", "0%", NO_FINDING},
    {"change_rate(x, y)", "5", "0", "—", F_DIV_ZERO},
    /* units at run time */
    {"x + y", "1万元", "15人", "—", F_UNIT_MISMATCH},
    {"x > y", "1万元", "15人", "—", F_UNIT_MISMATCH},
    {"x * y", "1万元", "2人", "—", F_UNIT_MISMATCH},
    {"x / y", "10", "2人", "—", F_UNIT_MISMATCH},
    {"x + y", "1人", "1人次", "—", F_UNIT_MISMATCH},
    {"x + y", "90%", "15人", "—", F_UNIT_MISMATCH},
    {"x + y", "0", "15人", "15人", NO_FINDING},          /* zero fits any unit */
    {"x > y", "16人", "0", "true", NO_FINDING},
    {"x + y", "1个", "1家", "2个", NO_FINDING},
    {"x == y", "1万元", "10000元", "true", NO_FINDING},
    {"x + y", "1万元", "1元", "1.0001万元", NO_FINDING},
    {"x / y", "10人", "2人", "5", NO_FINDING},
    {"x * y", "15人", "2", "30人", NO_FINDING},
    {"x + y", "90%", "0.1", "100%", NO_FINDING},
    {"x == y", "90%", "0.9", "true", NO_FINDING},
    {"x == y", "有所提升", "有所提升", "true", NO_FINDING},
    {"x < y", "有所提升", "有所提升", "—", F_TYPE},
    {"x == y", "有所提升", "5", "—", F_TYPE},
    /* division by zero and overflow give missing and say so */
    {"x / y", "1", "0", "—", F_DIV_ZERO},
    {"x / y", "0", "0", "—", F_DIV_ZERO},
    {"x * y", "9000000000000000000", "10", "—", F_OVERFLOW},
    {"x + y", "9000000000000000000", "9000000000000000000", "—", F_OVERFLOW},
    {"-x - y", "9000000000000000000", "9000000000000000000", "—", F_OVERFLOW},
    /* missing propagates silently */
    {"x + 1", NULL, NULL, "—", NO_FINDING},
    {"x > 1", NULL, NULL, "—", NO_FINDING},
    {"-x", NULL, NULL, "—", NO_FINDING},
    {"not (x > 1)", NULL, NULL, "—", NO_FINDING},
    {"if x > 1 then 1 else 2", NULL, NULL, "—", NO_FINDING},
    {"min(x, 1)", NULL, NULL, "—", NO_FINDING},
    {"round(x, 2)", NULL, NULL, "—", NO_FINDING},
    {"num(x)", NULL, NULL, "—", NO_FINDING},
    {"default(x, 3) + 1", NULL, NULL, "4", NO_FINDING},
    {"default(x, 3) + 1", "1", NULL, "2", NO_FINDING},
    {"is_missing(x)", NULL, NULL, "true", NO_FINDING},
    {"is_missing(x)", "0", NULL, "false", NO_FINDING},
    {"is_missing(x)", "无", NULL, "true", NO_FINDING},
    {"x", "", NULL, "—", NO_FINDING},
    /* and / or with missing: three-valued */
    {"(x > 1) and false", NULL, NULL, "false", NO_FINDING},
    {"false and (x > 1)", NULL, NULL, "false", NO_FINDING},
    {"(x > 1) and true", NULL, NULL, "—", NO_FINDING},
    {"true and (x > 1)", NULL, NULL, "—", NO_FINDING},
    {"(x > 1) or true", NULL, NULL, "true", NO_FINDING},
    {"true or (x > 1)", NULL, NULL, "true", NO_FINDING},
    {"(x > 1) or false", NULL, NULL, "—", NO_FINDING},
    {"(x > 1) or (y > 1)", NULL, "5", "true", NO_FINDING},
    {"(x > 1) and (y > 1)", NULL, "0", "false", NO_FINDING},
    {"if x > 1 then 'a' else 'b'", "2", NULL, "a", NO_FINDING},
    {"if x then 1 else 2", "5", NULL, "—", F_TYPE},
    /* cells */
    {"num(x)", "15人", NULL, "15", NO_FINDING},
    {"num(x)", "10824.18万元", NULL, "10824.18", NO_FINDING},
    {"num(x)", "90%", NULL, "0.9", NO_FINDING},
    {"num(x)", "有所提升", NULL, "—", F_TYPE},
    {"unit(x)", "10824.18万元", NULL, "万元", NO_FINDING},
    {"unit(x)", "90%", NULL, "%", NO_FINDING},
    {"unit(x)", "5", NULL, "", NO_FINDING},
    {"qual(x)", "≥90%", NULL, "≥", NO_FINDING},
    {"qual(x)", "不超过500元", NULL, "≤", NO_FINDING},
    {"qual(x)", "90%", NULL, "", NO_FINDING},
    {"qual(x)", NULL, NULL, "", NO_FINDING},
    {"text(x)", "90%", NULL, "90%", NO_FINDING},
    {"is_text(x)", "有所提升", NULL, "true", NO_FINDING},
    {"is_text(x)", "15人", NULL, "false", NO_FINDING},
    {"min(x, y, 3)", "5", "2", "2", NO_FINDING},
    {"max(x, y)", "5人", "7人", "7人", NO_FINDING},
    {"max(x, y)", "5人", "7万元", "—", F_UNIT_MISMATCH},
    {"clamp(x, 0, 3)", "5", NULL, "3", NO_FINDING},
    {"clamp(x, 0, 3)", "-1", NULL, "0", NO_FINDING},
    {"abs(x)", "-3人", NULL, "3人", NO_FINDING},
};

typedef struct Evaluated {
    char value[VAL_BUF];
    int finding;        /* first finding's kind, or NO_FINDING */
    size_t nfindings;
} Evaluated;

/* Compile `input x, y : cell` and `let r = EXPR`, bind x and y to the cells,
 * evaluate r once. */
static void evaluate(const char *expr, const char *x, const char *y, Evaluated *out)
{
    char text[1024];
    snprintf(text, sizeof text, "input x, y : cell\nlet r = %s\n", expr);
    DiagList diags;
    diag_init(&diags);
    Program *p = program_compile("<test>", text, strlen(text), &diags);
    if (!p || diags.errors) {
        diag_render_all(&diags, stderr, false);
        fail_msg("'%s' does not compile", expr);
    }
    Arena arena;
    arena_init(&arena);
    EvalState st;
    eval_init(&st, p, &arena);
    eval_reset(&st);
    FindingList fl;
    findings_init(&fl, &arena);
    st.env.findings = &fl;
    st.env.subject = "r";
    const char *cells[2] = {x, y};
    const char *names[2] = {"x", "y"};
    for (int i = 0; i < 2; i++) {
        Sym *s = program_lookup(p, names[i]);
        assert_non_null(s);
        assert_int_equal(s->kind, SYM_INPUT);
        TlValue v = val_missing();
        if (cells[i])
            assert_true(cell_parse(&arena, cells[i], strlen(cells[i]), &v, NULL));
        st.inputs[s->index] = v;
    }
    Sym *r = program_lookup(p, "r");
    assert_non_null(r);
    Frame none = {{{0}}, NULL};
    TlValue v = eval_expr(&st, r->decl->u.let.value, &none);
    val_format(&v, out->value);
    out->nfindings = fl.len;
    out->finding = fl.len ? (int)fl.items[0].kind : NO_FINDING;
    findings_free(&fl);
    arena_free(&arena);
    program_free(p);
    diag_free(&diags);
}

static const char *kind_code(int kind)
{
    return kind == NO_FINDING ? "(none)" : finding_info((FindingKind)kind)->code;
}

static void test_eval_cases(void **state)
{
    (void)state;
    int bad = 0;
    for (size_t i = 0; i < sizeof eval_cases / sizeof eval_cases[0]; i++) {
        const EvalCase *c = &eval_cases[i];
        Evaluated e;
        evaluate(c->expr, c->x, c->y, &e);
        if (strcmp(e.value, c->want) != 0 || e.finding != c->finding) {
            fprintf(stderr, "%s  [x=%s, y=%s]: got %s %s, want %s %s\n", c->expr,
                    c->x ? c->x : "missing", c->y ? c->y : "missing", e.value,
                    kind_code(e.finding), c->want, kind_code(c->finding));
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

/* Lets are computed once per report and forgotten by eval_reset. */
static void test_eval_lets(void **state)
{
    (void)state;
    const char *text = "input 全年预算数, 全年执行数 : 万元\n"
                       "let 执行率 = 全年执行数 / 全年预算数\n"
                       "let 合计 = 全年预算数 + 620.23 万元\n"
                       "let 达标 = 执行率 >= 90%\n"
                       "let 分 = tiers(执行率, >= 90%: 10, >= 80%: 8, else 0)\n";
    DiagList diags;
    diag_init(&diags);
    Program *p = program_compile("<test>", text, strlen(text), &diags);
    assert_non_null(p);
    assert_int_equal(diags.errors, 0);
    Arena arena;
    arena_init(&arena);
    EvalState st;
    eval_init(&st, p, &arena);
    FindingList fl;
    findings_init(&fl, &arena);
    st.env.findings = &fl;
    Sym *budget = program_lookup(p, "全年预算数"), *spent = program_lookup(p, "全年执行数");
    const char *lets[] = {"执行率", "合计", "达标", "分"};
    /* 廊坊 2019 (DOMAIN.md S9): 37.24 of 43.2 is 86.2%, which scores 8 here */
    const char *want[2][4] = {{"0.9", "11444.42万元", "true", "10"},
                              {"0.862037037", "663.43万元", "false", "8"}};
    const char *cells[2][2] = {{"10824.19万元", "9741.771万元"}, {"43.2万元", "37.24万元"}};
    for (int r = 0; r < 2; r++) {
        eval_reset(&st);
        TlValue b, s;
        assert_true(cell_parse(&arena, cells[r][0], strlen(cells[r][0]), &b, NULL));
        assert_true(cell_parse(&arena, cells[r][1], strlen(cells[r][1]), &s, NULL));
        st.inputs[budget->index] = b;
        st.inputs[spent->index] = s;
        for (int i = 0; i < 4; i++) {
            Sym *l = program_lookup(p, lets[i]);
            assert_non_null(l);
            assert_int_equal(l->kind, SYM_LET);
            Expr name = {.kind = E_NAME, .span = l->decl->name_span};
            name.u.name.name = l->name;
            name.u.name.sym = l;
            Frame none = {{{0}}, NULL};
            TlValue v = eval_expr(&st, &name, &none);
            char buf[VAL_BUF];
            val_format(&v, buf);
            if (strcmp(buf, want[r][i]) != 0)
                fail_msg("report %d, %s: got %s, want %s", r, lets[i], buf, want[r][i]);
        }
    }
    assert_int_equal(fl.len, 0);
    findings_free(&fl);
    arena_free(&arena);
    program_free(p);
    diag_free(&diags);
}

/* A fixed indicator's score is clamped to [0, weight], then rounded. */
static void test_eval_indicator_clamp_round(void **state)
{
    (void)state;
    static const struct {
        const char *options;
        const char *x;
        const char *score;
        bool clamped;
        int finding;
    } cases[] = {
        {"", "2.345", "2.35", false, NO_FINDING},
        {"", "2.344", "2.34", false, NO_FINDING},
        {"option score_places = 1\n", "2.35", "2.4", false, NO_FINDING},
        {"option score_places = 0\n", "2.5", "3", false, NO_FINDING},
        {"", "7", "5", true, F_CLAMPED},
        {"", "5.004", "5", true, F_CLAMPED},
        {"", "4.996", "5", false, NO_FINDING},
        {"", "-1", "0", true, F_CLAMPED},
        {"", "", "—", false, NO_FINDING},
        {"", "有所提升", "—", false, F_TYPE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[512];
        snprintf(text, sizeof text, "%sinput x : cell\nindicator 指标 weight 5 { score x }\n",
                 cases[i].options);
        DiagList diags;
        diag_init(&diags);
        Program *p = program_compile("<test>", text, strlen(text), &diags);
        assert_non_null(p);
        Arena arena;
        arena_init(&arena);
        EvalState st;
        eval_init(&st, p, &arena);
        eval_reset(&st);
        FindingList fl;
        findings_init(&fl, &arena);
        st.env.findings = &fl;
        TlValue v;
        assert_true(cell_parse(&arena, cases[i].x, strlen(cases[i].x), &v, NULL));
        st.inputs[program_lookup(p, "x")->index] = v;
        ScoreEval se;
        eval_indicator(&st, 0, &se);
        char buf[VAL_BUF];
        val_format(&se.score, buf);
        if (strcmp(buf, cases[i].score) != 0 || se.clamped != cases[i].clamped ||
            (fl.len ? (int)fl.items[0].kind : NO_FINDING) != cases[i].finding)
            fail_msg("case %zu (x = %s): got %s clamped=%d %s", i, cases[i].x, buf, se.clamped,
                     kind_code(fl.len ? (int)fl.items[0].kind : NO_FINDING));
        if (se.score.kind == TL_NUM)
            assert_int_equal(se.score.numkind, NUM_PLAIN);
        findings_free(&fl);
        arena_free(&arena);
        program_free(p);
        diag_free(&diags);
    }
}

/* check ... within: |a - b| <= t for ==, a - b <= t for <=, a - b >= -t for >=. */
static void test_eval_check_within(void **state)
{
    (void)state;
    static const struct {
        const char *check;
        const char *a, *b;
        int result;
    } cases[] = {
        {"a == b within 0.01 万元", "11444.42万元", "11444.43万元", 1},
        {"a == b within 0.01 万元", "11444.42万元", "11444.44万元", 0},
        {"a == b", "11444.42万元", "114444200元", 1},
        {"a <= b within 0.01 万元", "100.01万元", "100万元", 1},
        {"a <= b within 0.01 万元", "100.02万元", "100万元", 0},
        {"a >= b within 0.01 万元", "99.99万元", "100万元", 1},
        {"a >= b within 0.01 万元", "99.98万元", "100万元", 0},
        {"a < b within 0.01 万元", "100.01万元", "100万元", 0},
        {"a != b within 0.01 万元", "100.02万元", "100万元", 1},
        {"a == b within 0.01 万元", "", "100万元", -1},
        {"a + b > 0 万元", "", "100万元", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[512];
        snprintf(text, sizeof text, "input a, b : cell\ncheck c: %s\n", cases[i].check);
        DiagList diags;
        diag_init(&diags);
        Program *p = program_compile("<test>", text, strlen(text), &diags);
        assert_non_null(p);
        Arena arena;
        arena_init(&arena);
        EvalState st;
        eval_init(&st, p, &arena);
        eval_reset(&st);
        TlValue a, b, lhs, rhs;
        assert_true(cell_parse(&arena, cases[i].a, strlen(cases[i].a), &a, NULL));
        assert_true(cell_parse(&arena, cases[i].b, strlen(cases[i].b), &b, NULL));
        st.inputs[program_lookup(p, "a")->index] = a;
        st.inputs[program_lookup(p, "b")->index] = b;
        int r = eval_check(&st, 0, &lhs, &rhs);
        if (r != cases[i].result)
            fail_msg("case %zu: %s with a = %s, b = %s gave %d", i, cases[i].check, cases[i].a,
                     cases[i].b, r);
        arena_free(&arena);
        program_free(p);
        diag_free(&diags);
    }
}

/* Known bugs ---------------------------------------------------------------
 * Each test below FAILS today; it states what the language promises
 * (docs/language.md, DOMAIN.md).  Remove this note when it passes. */

/* Regression (fixed): `using` an input, a let or an indicator is not refused by the checker
 * (rows rules are: "'k' is a let, not a method"); `tally score` then
 * segfaults in eval_method_ref, which reads decl->u.method.body of a
 * non-method declaration. */
static void test_regression_using_a_non_method(void **state)
{
    (void)state;
    const char *texts[] = {
        "input x\nindicator i weight 5 { score x }\nindicator j weight 5 using x",
        "let k = 1\nindicator j weight 5 using k",
        "indicator i weight 5 { score 1 }\nindicator j weight 5 using i",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        DiagList diags;
        diag_init(&diags);
        Program *p = program_compile("<test>", texts[i], strlen(texts[i]), &diags);
        if (p)
            fprintf(stderr, "accepted: %s\n", texts[i]);
        assert_null(p);
        assert_int_equal(diags.errors, 1);
        assert_non_null(strstr(diags.items[0].message, "not a method"));
        diag_free(&diags);
    }
}

/* Regression (fixed): score_qual scores a qualitative indicator from its target and actual
 * texts (DOMAIN.md §3.2), but the checker demands numbers for every argument
 * of a scoring built-in, so `score_qual` over `text` inputs (or text
 * literals) is refused: "score_qual needs a number, but this is text".  It
 * works only with `cell` inputs and context words, whose type is unknown. */
static void test_regression_score_qual_on_text(void **state)
{
    (void)state;
    const char *text = "input 年度指标值, 实际完成值 : text\n"
                       "indicator 制度建设 weight 5 { score score_qual(年度指标值, 实际完成值, weight, 4) }\n"
                       "let 等级 = qual_level('有所提升', '有所提升')\n"
                       "let 得分 = score_qual('建立制度', '达成', 5, 5)\n"
                       "check c: 等级 == '达成' and 得分 == 5\n";
    DiagList diags;
    diag_init(&diags);
    Program *p = program_compile("<test>", text, strlen(text), &diags);
    diag_render_all(&diags, stderr, false);
    assert_non_null(p);
    assert_int_equal(diags.errors, 0);
    program_free(p);
    diag_free(&diags);
}

/* Regression (fixed): "zero fits any unit" holds at run time (builtins.c units_fit: `0 +
 * 15人` is 15人, `16人 > 0` is true) but the checker treats a plain literal as
 * "no unit" and refuses `全年执行数 > 0` or `max(余额, 0)` for a quantity, the
 * most common guards in a rule file. */
static void test_regression_zero_fits_any_unit_statically(void **state)
{
    (void)state;
    const char *text = "input 全年预算数, 结余 : 万元\n"
                       "let 有预算 = 全年预算数 > 0\n"
                       "let 非负结余 = max(结余, 0)\n"
                       "check c: 有预算 and 非负结余 >= 0\n";
    DiagList diags;
    diag_init(&diags);
    Program *p = program_compile("<test>", text, strlen(text), &diags);
    diag_render_all(&diags, stderr, false);
    assert_non_null(p);
    assert_int_equal(diags.errors, 0);
    program_free(p);
    diag_free(&diags);
}

/* Regression (fixed): over() and under() subtract their arguments' raw numbers without
 * checking units, so `over(5万元, 100%, 1%)` is 4999900 steps, silently, where
 * every other built-in gives missing and E_UNIT_MISMATCH ("never a wrong
 * number", builtins.c). */
static void test_regression_over_under_units(void **state)
{
    (void)state;
    static const EvalCase cases[] = {
        {"over(x, 100%, 1%)", "5万元", NULL, "—", F_UNIT_MISMATCH},
        {"under(x, 100%, 5%)", "90人", NULL, "—", F_UNIT_MISMATCH},
        {"over(x, y, 1人)", "113人", "100万元", "—", F_UNIT_MISMATCH},
    };
    int bad = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Evaluated e;
        evaluate(cases[i].expr, cases[i].x, cases[i].y, &e);
        if (strcmp(e.value, cases[i].want) != 0 || e.finding != cases[i].finding) {
            fprintf(stderr, "%s  [x=%s, y=%s]: got %s %s, want %s %s\n", cases[i].expr,
                    cases[i].x, cases[i].y ? cases[i].y : "missing", e.value, kind_code(e.finding),
                    cases[i].want, kind_code(cases[i].finding));
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_cases),
        cmocka_unit_test(test_parse_literals),
        cmocka_unit_test(test_parse_precedence),
        cmocka_unit_test(test_parse_repl),
        cmocka_unit_test(test_check_cases),
        cmocka_unit_test(test_check_positions),
        cmocka_unit_test(test_check_bundled_rules),
        cmocka_unit_test(test_eval_cases),
        cmocka_unit_test(test_eval_lets),
        cmocka_unit_test(test_eval_indicator_clamp_round),
        cmocka_unit_test(test_eval_check_within),
        cmocka_unit_test(test_regression_using_a_non_method),
        cmocka_unit_test(test_regression_score_qual_on_text),
        cmocka_unit_test(test_regression_zero_fits_any_unit_statically),
        cmocka_unit_test(test_regression_over_under_units),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
