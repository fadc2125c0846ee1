/* test_interp.c - the reference interpreter (lang/interp.c) with the
 * operators (lang/operators.c) and built-ins (lang/builtins.c).
 *
 * The cases are one table: an expression over the inputs x and y (declared
 * `cell`, so their units are known only at run time), the report cells bound
 * to them, the value expected (as val_format prints it) and the finding
 * expected.  docs/language.md §4–§7 describe the same semantics. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/base/arena.h"
#include "lang/base/diag.h"
#include "lang/base/value.h"
#include "lang/coverage.h"
#include "lang/finding.h"
#include "lang/interp.h"
#include "lang/program.h"

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
    {"score_ge(x, y, 5)", "90%", "80%", "4.4444444444", NO_FINDING},
    /* the product before the quotient (docs/numbers.md §4): exactly 2.995, not 2.9949999999 */
    {"score_ge(x, y, 3)", "600人", "599人", "2.995", NO_FINDING},
    {"round(score_ge(x, y, 3), 2)", "600人", "599人", "3", NO_FINDING},
    {"round(y / x * 3, 2)", "600", "599", "2.99", NO_FINDING},
    {"score_le(x, y, 3, linear2x)", "600人", "601人", "2.995", NO_FINDING},
    {"score_eq(x, y, 3, 0, strict)", "600", "601", "2.995", NO_FINDING},
    {"score_exec(x, y, 3)", "600万元", "599万元", "2.995", NO_FINDING},
    {"score_ge(x, y, 5)", "90%", "90%", "5", NO_FINDING},
    {"score_ge(x, y, 5)", "90%", "95%", "5", NO_FINDING},
    {"score_ge(x, y, 5)", "0", "5", "5", F_TRIVIAL_TARGET},
    {"score_ge(x, y, 5)", "0人", "0人", "5", F_TRIVIAL_TARGET},
    {"score_ge(x, y, 5)", "-1", "5", "—", F_BAD_TARGET},
    {"score_ge(x, y, 5)", "10人", "-3人", "0", NO_FINDING},
    {"score_ge(x, y, 5)", NULL, "80%", "—", F_MISSING_TARGET},
    {"score_ge(x, y, 5)", "90%", NULL, "—", F_MISSING_ACTUAL},
    {"score_ge(x, y, 5)", "15人", "100%", "—", F_UNIT_MISMATCH},
    {"score_ge(x, y, 5)", "90%", "0.9", "5", NO_FINDING}, /* percentages and numbers mix (§6) */
    {"score_ge(x, y, 5)", "90%", "85", "5", F_MAGNITUDE},  /* 85 for 85%: 9444% of the target */
    /* actual / target on the magnitude test's edges at dec_div's 10 places
     * (builtins.c check_magnitude decides them without dividing): rounded
     * to 10 or to 0.001 (within), half a unit of the last place (rounded
     * away from zero), beyond; exponents outside 0..18 (dec_div itself) */
    {"score_ge(x, y, 5) >= 0", "3", "30.0000000001", "true", NO_FINDING},
    {"score_ge(x, y, 5) >= 0", "3", "30.0000000002", "true", F_MAGNITUDE},
    {"score_ge(x, y, 5) >= 0", "2", "20.0000000001", "true", F_MAGNITUDE},
    {"score_ge(x, y, 5) >= 0", "2", "20.00000000009", "true", NO_FINDING},
    {"score_ge(x, y, 5) >= 0", "7", "70.00000000035", "true", F_MAGNITUDE},
    {"score_ge(x, y, 5) >= 0", "7", "70.00000000034", "true", NO_FINDING},
    {"score_ge(x, y, 5) >= 0", "2.0", "0.00199999989", "true", F_MAGNITUDE},
    {"score_ge(x, y, 5) >= 0", "2.0", "0.0019999999", "true", NO_FINDING},
    {"score_ge(x, y, 5) >= 0", "2.0", "0.0019999998", "true", F_MAGNITUDE},
    {"score_ge(x, y, 5) >= 0", "3.0", "0.00299999985", "true", NO_FINDING},
    {"score_ge(x, y, 5) >= 0", "3.0", "0.00299999984", "true", F_MAGNITUDE},
    {"score_ge(x, y, 5) >= 0", "0.0000000001", "1", "true", F_MAGNITUDE},
    {"score_ge(x, y, 5) >= 0", "1", "0.000000000001", "true", F_MAGNITUDE},
    {"score_ge(x, y, 10)", "≥735人次", "735", "10", F_UNIT_ASSUMED},
    {"score_ge(x, y, 10)", "3.12万人", "3.5", "10", F_UNIT_ASSUMED},
    {"score_exec(x, y, 10)", "1000万元", "950万", "9.5", F_UNIT_ASSUMED},
    {"score_exec(x, y, 10)", "11458.23万元", "11458.23", "10", F_UNIT_ASSUMED},
    {"round(score_exec(x, y, 10), 2)", "11458.23万元", "11458.23元", "0", F_MAGNITUDE},
    {"score_ge(x, y, 10)", "≥80%", "≥80%", "10", F_THRESHOLD_ONLY},
    {"score_ge(x, y, 10)", "≥80%", "≥70%", "—", F_THRESHOLD_ONLY},
    {"score_le(x, y, 10)", "≤5%", "<5%", "10", F_THRESHOLD_ONLY},
    {"score_le(x, y, 10)", "≤5%", "≥5%", "—", F_THRESHOLD_ONLY},
    {"score_ge(x, y, 5)", "90%", "#DIV/0!", "—", F_MISSING_ACTUAL},
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
    {"score_le(x, y, 6, inverse)", "10", "15", "4", NO_FINDING},
    {"score_le(x, y, 6, inverse)", "10", "30", "2", NO_FINDING},
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
    {"qual_level(x, y)", "建立长效管理制度", "不清楚", "unknown", F_QUAL_UNKNOWN},
    {"qual_level(x, y)", "是", "√", "达成", NO_FINDING},
    {"qual_level(x, y)", "否", "×", "达成", NO_FINDING},
    {"qual_level(x, y)", "否", "TRUE", "未达成", NO_FINDING},
    {"qual_level(x, y)", "建立制度", "Y", "达成", NO_FINDING},
    {"qual_level(x, y)", "显著提升", "显著提升", "达成", NO_FINDING},
    {"qual_level(x, y)", "群众满意度有所提升", "达成", "达成", F_NON_MEASURABLE},
    {"score_qual(x, y, 10, 9)", "建立制度", "达成", "10", NO_FINDING},
    {"score_qual(x, y, 10, 7)", "建立制度", "达成", "10", F_QUAL_OUT_OF_BAND},
    {"score_qual(x, y, 10, 7)", "建立制度", "部分达成", "7", NO_FINDING},
    {"score_qual(x, y, 10, 9)", "建立制度", "部分达成", "7.99", F_QUAL_OUT_OF_BAND},
    {"score_qual(x, y, 10, 5)", "建立制度", "部分达成", "6", F_QUAL_OUT_OF_BAND},
    {"score_qual(x, y, 10, 5, hubei2020)", "建立制度", "部分达成", "5", NO_FINDING},
    {"score_qual(x, y, 10, 3)", "建立制度", "未达成", "3", NO_FINDING},
    {"score_qual(x, y, 10, 4)", "建立制度", "不清楚", "—", F_QUAL_UNKNOWN},
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

/* `let r = EXPR` evaluated with at most max_steps steps: the steps taken and
 * whether the evaluation stopped at the limit. */
static void evaluate_limited(const char *expr, long max_steps, long *steps, bool *stopped)
{
    char text[1024];
    snprintf(text, sizeof text, "input x, y : cell\nlet r = %s\n", expr);
    DiagList diags;
    diag_init(&diags);
    Program *p = program_compile("<test>", text, strlen(text), &diags);
    assert_non_null(p);
    assert_int_equal(diags.errors, 0);
    Arena arena;
    arena_init(&arena);
    EvalState st;
    eval_init(&st, p, &arena);
    eval_reset(&st);
    st.max_steps = max_steps;
    FindingList fl;
    findings_init(&fl, &arena);
    st.env.findings = &fl;
    st.env.subject = "r";
    Sym *r = program_lookup(p, "r");
    assert_non_null(r);
    Frame none = {{{0}}, NULL};
    (void)eval_expr(&st, r->decl->u.let.value, &none);
    *steps = st.steps;
    *stopped = st.stopped;
    findings_free(&fl);
    arena_free(&arena);
    program_free(p);
    diag_free(&diags);
}

/* The step limit holds to the step, whatever node takes the last one: a
 * call's arguments that are literals are counted without a call of
 * eval_expr (interp.c eval_leaf), and must stop where it would. */
static void test_eval_step_limit(void **state)
{
    (void)state;
    static const char *const exprs[] = {"min(1, 2, 3)", "max(min(1, 2), 3, x)", "score_ge(x, 90, 5)",
                                        "min(1, 2) + max(3, 4, 5)"};
    for (size_t i = 0; i < sizeof exprs / sizeof *exprs; i++) {
        long need, steps;
        bool stopped;
        evaluate_limited(exprs[i], 1000000, &need, &stopped);
        assert_false(stopped);
        assert_true(need >= 3);
        for (long m = 0; m <= need + 1; m++) {
            evaluate_limited(exprs[i], m, &steps, &stopped);
            if (stopped != (m < need))
                fail_msg("'%s' with at most %ld steps of %ld: %s", exprs[i], m, need,
                         stopped ? "stopped" : "not stopped");
            assert_true(steps <= m + 1);
        }
    }
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
    /* 廊坊 2019 (S9, docs/policy-sources.md): 37.24 of 43.2 is 86.2%, which scores 8 here */
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

/* Regressions (fixed) ------------------------------------------------------ */

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

/* Coverage: the interpreter marks the arms it takes, and what it never took
 * is reported - if arms, tiers, a built-in's decisions, methods - while the
 * scores stay what they are without coverage. */
static void test_eval_coverage(void **state)
{
    (void)state;
    const char *text = "input x : cell\n"
                       "method 正向 = score_ge(target, actual, weight)\n"
                       "method 未用 = 1\n"
                       "indicator a weight 5 { score if x > 1 then weight else 0 }\n"
                       "indicator b weight 5 { score tiers(x, >= 3: 5, >= 2: 3, else 0) }\n"
                       "indicator c weight 5 using 正向 { target 2 value x }\n";
    DiagList diags;
    diag_init(&diags);
    Program *p = program_compile("<test>", text, strlen(text), &diags);
    assert_non_null(p);
    Coverage *cov = coverage_new(p);
    Arena arena;
    arena_init(&arena);
    CoverageGap *gaps;
    size_t total, n = coverage_gaps(cov, &arena, &gaps, &total);
    /* 3 indicators, 2 methods, if 2, tiers 3, score_ge 3 */
    assert_int_equal(total, 13);
    assert_int_equal(n, 13);
    EvalState st;
    eval_init(&st, p, &arena);
    st.env.cover = cov;
    const char *xs[] = {"2", "0.5"};
    const char *scores[][3] = {{"5", "3", "5"}, {"0", "0", "1.25"}};
    for (int r = 0; r < 2; r++) {
        eval_reset(&st);
        TlValue v;
        assert_true(cell_parse(&arena, xs[r], strlen(xs[r]), &v, NULL));
        st.inputs[0] = v;
        for (int i = 0; i < 3; i++) {
            ScoreEval se;
            eval_indicator(&st, i, &se);
            char buf[VAL_BUF];
            val_format(&se.score, buf);
            assert_string_equal(buf, scores[r][i]);
        }
    }
    coverage_indicator(cov, 0);
    n = coverage_gaps(cov, &arena, &gaps, &total);
    /* left: indicators b and c, method 未用, tier 1 (>= 3), score_ge 'target 0: full marks' */
    const char *want[] = {"never decided 'target 0: full marks'", "method 未用", "indicator b",
                          "tiers(x, ...): tier 1 (>= 3: 5)", "indicator c"};
    if (n != 5)
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, "gap: %s\n", gaps[i].what);
    assert_int_equal(n, 5);
    for (size_t i = 0; i < 5; i++)
        if (!strstr(gaps[i].what, want[i]))
            fail_msg("gap %zu: '%s' not in '%s'", i, want[i], gaps[i].what);
    coverage_free(cov);
    arena_free(&arena);
    program_free(p);
    diag_free(&diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eval_cases),
        cmocka_unit_test(test_eval_lets),
        cmocka_unit_test(test_eval_step_limit),
        cmocka_unit_test(test_eval_indicator_clamp_round),
        cmocka_unit_test(test_eval_check_within),
        cmocka_unit_test(test_regression_over_under_units),
        cmocka_unit_test(test_eval_coverage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
