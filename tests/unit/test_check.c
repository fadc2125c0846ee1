/* test_check.c - the semantic pass (lang/check.c): the errors and warnings
 * a rule file gets, where they point, and the bundled rule files. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lang/base/arena.h"
#include "lang/base/text.h"
#include "lang/base/diag.h"
#include "lang/program.h"

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
    /* words (docs/language.md §3.14) */
    {"unknown word list", "words achieve += 良好", 1, 0, "unknown word list 'achieve'",
     "did you mean 'achieved'?"},
    {"word list neither list nor category", "words 进度指标 += 时效", 1, 0,
     "unknown word list '进度指标'", "or a category of a table group"},
    {"empty word list", "words vague =\nlet a = 1", 1, 0, "words vague = needs at least one word",
     "'+=' adds words"},
    {"empty word", "words missing += ''", 1, 0, "a word cannot be empty",
     "an empty cell is always missing"},
    {"list replaced twice", "words yes = 是\nwords yes = 对", 1, 0,
     "words yes is replaced twice (first at line 1)", NULL},
    {"word in two lists", "words no += '√'", 1, 0, "'√' is in both yes and no",
     "a word means one thing"},
    {"level word in two levels", "words achieved += 基本完成", 1, 0,
     "'基本完成' is in both achieved and partly_achieved", NULL},
    {"alias of two categories", "method m = 1\ngroup g weight 10 { category 时效指标, 质量指标 }\n"
                                "words 时效指标 += 进度指标\nwords 质量指标 += 进度指标\n"
                                "rows { else using m }",
     1, 0, "'进度指标' already names the category '时效指标'", NULL},
    {"alias that is a category", "method m = 1\ngroup g weight 10 { category 时效指标, 质量指标 }\n"
                                 "words 时效指标 += 质量指标\nrows { else using m }",
     1, 0, "'质量指标' is a category of its own", NULL},
    {"words are fine", "method m = 1\ngroup g weight 10 { category 时效指标 }\n"
                       "words 时效指标 = 进度指标\nwords missing += 暂无\nwords achieved += 良好, true\n"
                       "rows { when direction lower using m else using m }",
     0, 0, NULL, NULL},
    {"bad direction", "method m = 1\ngroup g weight 10 { category * }\n"
                      "rows { when direction down using m else using m }",
     1, 0, "direction is higher, lower or unknown, not 'down'", NULL},
    {"unverified option", "option unverified = maybe", 1, 0,
     "option unverified is range, zero or reported", "无佐证不得分"},
    {"rate places option", "option form_rate_places = 0.5", 1, 0,
     "form_rate_places is 0 (whole percents) to 2", NULL},
    {"score step option", "option form_score_step = 0", 1, 0, "form_score_step must be above 0",
     NULL},
    /* the traps of a rule file (pattern 11): warnings with a fix */
    {"tiers without else", "input r : percent\nindicator i weight 5 { score tiers(r, >= 90%: 5) }",
     0, 1, "tiers without else", "', else 0'"},
    {"tier edge against a ratio", "input a, b : 万元\n"
                                  "indicator i weight 5 { score tiers(a / b, >= 95: 5, else 0) }",
     0, 1, "tier edge 95 against a ratio", "95%"},
    {"tier edge against a percent input", "input r : percent\n"
                                          "indicator i weight 5 { score tiers(r, >= 1.5: 5, >= 80: 4, else 0) }",
     0, 1, "tier edge 80 against a ratio", NULL},
    {"level compared with a word", "input s : text\n"
                                   "indicator i weight 5 { score if qual_level('完成', s) == '完成' then weight else 0 }",
     0, 1, "qual_level gives 达成, 部分达成, 未达成 or unknown, never '完成'", "words achieved"},
    {"a ratio of amounts against a percentage", "input a, b : 万元\n"
                                                "indicator i weight 5 { score score_ge(100%, a / b, weight) }",
     0, 0, NULL, NULL},
    /* options, versions, tests (lang/applies.c, lang/tests.c) */
    {"option twice", "option score_places = 2\noption score_places = 3", 1, 0,
     "option 'score_places' is already set at line 1", NULL},
    {"applies twice", "applies 2024\napplies from 2025", 1, 0, "applies is declared twice", NULL},
    {"applies backwards", "applies 2024..2022", 1, 0, "the years run backwards: 2024..2022", NULL},
    {"applies not a year", "applies 2024.5", 1, 0, "a year is a whole number such as 2024", NULL},
    {"override without an import", "method m = 1\noverride method m = 2", 1, 0,
     "override method 'm': it is declared in this file, at line 1", NULL},
    {"test: figure not an input", "input 人数\nindicator i weight 5 { score if 人数 > 0 then weight else 0 }\n"
                                  "test t { figure 人员 = 3 expect total 5 }",
     1, 0, "figure '人员' is not an input of the rules", NULL},
    {"test: unknown indicator", "input 人数\nindicator i weight 5 { score if 人数 > 0 then weight else 0 }\n"
                                "test t { figure 人数 = 3 expect score j 5 }",
     1, 0, "'j' is neither an indicator of the rules nor a row of this test", NULL},
    {"test: unknown finding", "input 人数\nindicator i weight 5 { score if 人数 > 0 then weight else 0 }\n"
                              "test t { figure 人数 = 3 expect finding E_CHECK_FAIL }",
     1, 0, "unknown finding kind 'E_CHECK_FAIL'", "did you mean 'E_CHECK_FAILED'?"},
    {"test: no report", "input 人数\nindicator i weight 5 { score if 人数 > 0 then weight else 0 }\n"
                        "test t { expect total 5 }",
     1, 0, "test 't' has no report", NULL},
    {"test: a row of 6 cells", "method m = weight\ngroup g weight 5 { category * }\nrows { else using m }\n"
                               "test t { row g, , a, 1, 1, 5 expect score a 5 }",
     1, 0, "a row has 7 cells or 8, not 6", NULL},
    {"test: grade not of the rules", "grades 优 >= 4, else 差\ninput 人数\n"
                                     "indicator i weight 5 { score if 人数 > 0 then weight else 0 }\n"
                                     "test t { figure 人数 = 3 expect grade 良 }",
     1, 0, "'良' is not a grade of the rules", "the grades are 优, 差"},
    {"test expects nothing", "input 人数\nindicator i weight 5 { score if 人数 > 0 then weight else 0 }\n"
                             "test t { figure 人数 = 3 }",
     0, 1, "test 't' expects nothing", NULL},
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

/* Compile text as the file at path: it must be accepted without an error
 * (the diagnostics are shown when it is not).  The caller frees both. */
static Program *expect_compiles(const char *path, const char *text, DiagList *diags)
{
    diag_init(diags);
    Program *p = program_compile(path, text, strlen(text), diags);
    if (!p || diags->errors)
        diag_render_all(diags, stderr, false);
    assert_non_null(p);
    assert_int_equal(diags->errors, 0);
    return p;
}

/* Compile text as the file at path: it must be refused with exactly one
 * error whose message holds `message` (and whose hint holds `hint`). */
static void expect_one_error(const char *path, const char *text, const char *message,
                             const char *hint)
{
    DiagList diags;
    diag_init(&diags);
    Program *p = program_compile(path, text, strlen(text), &diags);
    if (p || diags.errors != 1 || !strstr(diags.items[0].message, message)) {
        fprintf(stderr, "compiling: %s\n", text);
        diag_render_all(&diags, stderr, false);
    }
    assert_null(p);
    assert_int_equal(diags.errors, 1);
    assert_non_null(strstr(diags.items[0].message, message));
    if (hint)
        assert_true(diags.items[0].hint && strstr(diags.items[0].hint, hint));
    diag_free(&diags);
}

/* The path of NAME in the repository's rules/ folder, so that
 * `import "self-eval.tally"` finds the bundled file. */
static const char *in_rules(const char *name, char *buf, size_t n)
{
    const char *root = getenv("TALLY_SOURCE_DIR");
    snprintf(buf, n, "%s/rules/%s", root ? root : ".", name);
    return buf;
}

/* Regressions (fixed) ------------------------------------------------------ */

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
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        expect_one_error("<test>", texts[i], "not a method", NULL);
}

/* Regression (fixed): score_qual scores a qualitative indicator from its target and actual
 * texts (docs/language.md, built-ins), but the checker demands numbers for every argument
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
    program_free(expect_compiles("<test>", text, &diags));
    diag_free(&diags);
}

/* Regression (fixed): "zero fits any unit" holds at run time (builtins.c units_fit: `0 +
 * 15人` is 15人, `16人 > 0` is true) but the checker treats a plain literal as
 * "no unit" and refuses `全年执行数 > 0` or `max(余额, 0)` for a quantity, the
 * most common guards in a rule file. */
/* The words a program reads cells with: the defaults, a replaced list, an
 * extended one, category aliases. */
static void test_check_words(void **state)
{
    (void)state;
    DiagList diags;
    diag_init(&diags);
    const char text[] = "method m = 1\ngroup g weight 10 { category 时效指标 }\n"
                        "words 时效指标 = 进度指标\nwords vague = 显著提升\nwords achieved += 良好\n"
                        "rows { else using m }\n";
    Program *p = program_compile("<rules>", text, strlen(text), &diags);
    assert_non_null(p);
    assert_true(vocab_has(&p->vocab, VOCAB_VAGUE, "显著提升"));
    assert_false(vocab_has(&p->vocab, VOCAB_VAGUE, "有所提升")); /* replaced */
    assert_true(vocab_has(&p->vocab, VOCAB_ACHIEVED, "良好"));
    assert_true(vocab_has(&p->vocab, VOCAB_ACHIEVED, "达成")); /* extended */
    assert_true(vocab_has(&p->vocab, VOCAB_YES, " √ "));   /* a default, spaces ignored */
    /* white space inside a word too, after words that differ: the stripped
     * copy made once serves every word compared */
    assert_true(vocab_has(&p->vocab, VOCAB_ACHIEVED, "良 好"));
    assert_true(vocab_has(&p->vocab, VOCAB_ACHIEVED, "\xe3\x80\x80已 完\xe3\x80\x80成 ")); /* U+3000 */
    assert_false(vocab_has(&p->vocab, VOCAB_ACHIEVED, "良 好 吗"));
    assert_false(vocab_has(&p->vocab, VOCAB_ACHIEVED, NULL));
    /* vocab_has_stripped (score_qual's words, issue 16) answers as vocab_has
     * for the word stripped of white space, in every list */
    static const char *const words[] = {"良好", "良 好", " √ ", "\xe3\x80\x80已 完\xe3\x80\x80成 ", "良 好 吗",
                                        "显著提升", "有所提升", "是", "否", "×", "部分 达成", "未达成", "",
                                        "完成率", "成本", "暂无", "-"};
    for (int l = 0; l < VOCAB_COUNT; l++)
        for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
            char *s = text_strip_space(words[i], strlen(words[i]));
            assert_int_equal(vocab_has_stripped(&p->vocab, (VocabList)l, s),
                             vocab_has(&p->vocab, (VocabList)l, words[i]));
            free(s);
        }
    assert_true(vocab_has_stripped(&p->vocab, VOCAB_ACHIEVED, "良好"));
    assert_false(vocab_has_stripped(&p->vocab, VOCAB_ACHIEVED, NULL));
    assert_string_equal(vocab_alias_of(&p->vocab, "进度指标"), "时效指标");
    assert_string_equal(vocab_alias_of(&p->vocab, "进度"), "时效指标");
    assert_null(vocab_alias_of(&p->vocab, "质量指标"));
    const char *w;
    assert_int_equal(vocab_direction(&p->vocab, "费用支付及时率", &w), 1);
    assert_string_equal(w, "及时率");
    assert_int_equal(vocab_direction(&p->vocab, "人员经费支出", &w), -1);
    assert_int_equal(vocab_direction(&p->vocab, "优化支出结构。", &w), 0);
    assert_int_equal(vocab_direction(&p->vocab, "群众满意度（%）", &w), 1);
    assert_int_equal(vocab_direction(&p->vocab, "成本指标", &w), -1);
    program_free(p);
    diag_free(&diags);
    /* the defaults never contradict each other */
    Vocab v;
    vocab_init(&v);
    for (const char *const *y = vocab_default(VOCAB_YES); *y; y++)
        assert_false(vocab_has(&v, VOCAB_NO, *y));
    for (const char *const *a = vocab_default(VOCAB_ACHIEVED); *a; a++)
        assert_false(vocab_has(&v, VOCAB_PARTLY, *a) || vocab_has(&v, VOCAB_NOT_ACHIEVED, *a));
}

static void test_regression_zero_fits_any_unit_statically(void **state)
{
    (void)state;
    const char *text = "input 全年预算数, 结余 : 万元\n"
                       "let 有预算 = 全年预算数 > 0\n"
                       "let 非负结余 = max(结余, 0)\n"
                       "check c: 有预算 and 非负结余 >= 0\n";
    DiagList diags;
    program_free(expect_compiles("<test>", text, &diags));
    diag_free(&diags);
}

static Program *compile_in_rules(const char *name, const char *text, DiagList *diags)
{
    char path[4096];
    return program_compile(in_rules(name, path, sizeof path), text, strlen(text), diags);
}

static int group_index(const Program *p, const char *name)
{
    for (int g = 0; g < p->ngroups; g++)
        if (strcmp(p->groups[g].decl->name, name) == 0)
            return g;
    return -1;
}

/* An override keeps the place of what it replaces; a short group override
 * keeps the members and aliases; a removal takes a group out; a new group
 * comes after the imported ones. */
static void test_imports_override_in_place(void **state)
{
    (void)state;
    DiagList diags;
    diag_init(&diags);
    Program *p = compile_in_rules("variant.tally",
                                  "import \"self-eval.tally\"\n"
                                  "override group 预算执行 weight 20\n"
                                  "override method 反向 = score_le(target, actual, weight, inverse)\n"
                                  "remove group 满意度指标\n"
                                  "group 其他 weight 0 { category * }\n"
                                  "override group 效益指标 weight 30 alias 效益, 满意度 { category * }\n",
                                  &diags);
    diag_render_all(&diags, stderr, false);
    assert_non_null(p);
    assert_int_equal(p->ngroups, 4);
    assert_int_equal(group_index(p, "预算执行"), 0);
    assert_int_equal(group_index(p, "产出指标"), 1);
    assert_int_equal(group_index(p, "效益指标"), 2);
    assert_int_equal(group_index(p, "满意度指标"), -1);
    assert_int_equal(group_index(p, "其他"), 3);
    assert_true(dec_cmp(p->groups[0].weight, dec_from_int(20)) == 0);
    assert_int_equal(p->groups[0].ncategories, 1);           /* kept: category * */
    assert_int_equal(p->groups[1].decl->u.group.naliases, 1); /* 产出, untouched */
    assert_int_equal(p->groups[2].decl->u.group.naliases, 2); /* replaced with the body */
    /* The overriding method is the variant's, in the variant's file. */
    const Sym *m = program_lookup(p, "反向");
    assert_non_null(m);
    assert_false(source_in_part(&p->src, m->decl->span.start));
    const Sym *z = program_lookup(p, "正向");
    assert_true(source_in_part(&p->src, z->decl->span.start));
    assert_non_null(strstr(source_file_at(&p->src, z->decl->span.start, NULL, NULL), "self-eval.tally"));
    program_free(p);
    diag_free(&diags);
}

/* A redefinition without override names the imported file and line; an
 * error in an imported file points into it. */
static void test_imports_diagnostics(void **state)
{
    (void)state;
    DiagList diags;
    diag_init(&diags);
    Program *p = compile_in_rules("variant.tally",
                                  "import \"self-eval.tally\"\nmethod 正向 = 1\n", &diags);
    assert_null(p);
    assert_int_equal(diags.errors, 1);
    assert_non_null(strstr(diags.items[0].message, "'正向' is already declared as a method at "));
    assert_non_null(strstr(diags.items[0].message, "rules/self-eval.tally:38"));
    assert_non_null(strstr(diags.items[0].hint, "override method"));
    diag_free(&diags);

    char dir[] = "/tmp/tally-imports-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char a[256], b[256];
    snprintf(a, sizeof a, "%s/a.tally", dir);
    snprintf(b, sizeof b, "%s/b.tally", dir);
    FILE *f = fopen(b, "w");
    fputs("let x = 1\nlet y = 未知\n", f);
    fclose(f);
    diag_init(&diags);
    const char *text = "import \"b.tally\"\ncheck c: x + y > 0\n";
    p = program_compile(a, text, strlen(text), &diags);
    assert_null(p);
    assert_int_equal(diags.errors, 1);
    int line, col;
    source_position(diags.items[0].src, diags.items[0].span.start, &line, &col);
    assert_string_equal(source_file_at(diags.items[0].src, diags.items[0].span.start, NULL, NULL), b);
    assert_int_equal(line, 2);
    assert_int_equal(col, 9);
    diag_free(&diags);

    /* A imports B imports A: a cycle, named. */
    f = fopen(b, "w");
    fputs("import \"a.tally\"\n", f);
    fclose(f);
    f = fopen(a, "w");
    fputs(text, f);
    fclose(f);
    diag_init(&diags);
    p = program_load(a, &diags);
    assert_null(p);
    assert_int_equal(diags.errors, 1);
    assert_non_null(strstr(diags.items[0].message, "import cycle: "));
    assert_non_null(strstr(diags.items[0].message, "which imports"));
    diag_free(&diags);
    unlink(a);
    unlink(b);
    rmdir(dir);
}

static bool has_word(const Program *p, VocabList l, const char *w)
{
    for (const char **x = p->vocab.list[l]; x && *x; x++)
        if (strcmp(*x, w) == 0)
            return true;
    return false;
}

/* Word lists over an import: `override words L =` replaces the list the base
 * states (its = and its +=), `words L +=` adds to it, `remove words L` goes
 * back to the default list (a category's other names: none); a second
 * `words L =` without override is an error that says to override. */
static void test_imports_words(void **state)
{
    (void)state;
    DiagList diags;
    char path[4096];
    Program *p = expect_compiles(in_rules("variant.tally", path, sizeof path),
                                 "import \"self-eval.tally\"\n"
                                 "override words higher = 完成率, 进度\n"
                                 "words lower += 损耗\n"
                                 "remove words vague, 成本指标\n"
                                 "override words 时效指标 = 进度指标\n"
                                 "override option unverified = zero\n",
                                 &diags);
    assert_true(has_word(p, VOCAB_HIGHER, "进度"));
    assert_false(has_word(p, VOCAB_HIGHER, "满意度"));
    assert_true(has_word(p, VOCAB_LOWER, "损耗"));
    assert_true(has_word(p, VOCAB_LOWER, "成本"));
    assert_false(p->vocab.custom[VOCAB_VAGUE]);
    assert_true(p->vocab.custom[VOCAB_MISSING]);
    assert_int_equal(p->vocab.naliases, 1);
    assert_string_equal(p->vocab.aliases[0].alias, "进度指标");
    assert_int_equal(p->opt.unverified, UNVERIFIED_ZERO);
    program_free(p);
    diag_free(&diags);

    static const struct {
        const char *text, *message, *hint;
    } bad[] = {
        {"words yes = 对", "words yes is replaced twice (first at line ", "override words"},
        {"override words yes += 对", "override words yes +=: '+=' adds to the imported list",
         "'words yes += ...'"},
        {"override words 进度 = 完成", "override words '进度': no imported file declares", NULL},
        {"remove words nosuch", "remove words 'nosuch': no imported file declares", NULL},
        {"option unverified = zero", "option 'unverified' is already set at line ", "override option"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[512];
        snprintf(text, sizeof text, "import \"self-eval.tally\"\n%s\n", bad[i].text);
        expect_one_error(in_rules("variant.tally", path, sizeof path), text, bad[i].message,
                         bad[i].hint);
    }
}

/* The bundled Hubei variant imports the base and states what differs. */
static void test_imports_bundled_variant(void **state)
{
    (void)state;
    const char *root = getenv("TALLY_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/rules/self-eval-hubei.tally", root ? root : ".");
    DiagList diags;
    diag_init(&diags);
    Program *p = program_load(path, &diags);
    diag_render_all(&diags, stderr, false);
    assert_non_null(p);
    assert_int_equal(diags.errors + diags.warnings, 0);
    assert_int_equal(p->ngroups, 2);
    assert_int_equal(p->src.nparts, 1);
    assert_int_equal(p->nrules, 5);                  /* the base's rows, direction included */
    assert_string_equal(p->scheme_name, "项目支出绩效自评（湖北 2020 式 20/80）");
    assert_int_equal(p->opt.unverified, UNVERIFIED_RANGE);
    assert_true(p->vocab.custom[VOCAB_HIGHER]);      /* the base's words, inherited */
    assert_int_equal(p->vocab.naliases, 0);          /* remove words 时效指标, 成本指标 */
    program_free(p);
    diag_free(&diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_cases),
        cmocka_unit_test(test_check_positions),
        cmocka_unit_test(test_check_bundled_rules),
        cmocka_unit_test(test_regression_using_a_non_method),
        cmocka_unit_test(test_regression_score_qual_on_text),
        cmocka_unit_test(test_regression_zero_fits_any_unit_statically),
        cmocka_unit_test(test_check_words),
        cmocka_unit_test(test_imports_override_in_place),
        cmocka_unit_test(test_imports_diagnostics),
        cmocka_unit_test(test_imports_bundled_variant),
        cmocka_unit_test(test_imports_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
