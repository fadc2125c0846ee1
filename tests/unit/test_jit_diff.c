/* test_jit_diff.c - differential test: compiled code against the interpreter.
 *
 * A seeded generator writes random well-typed rule files (inputs of several
 * units, lets, methods - one recursive -, indicators in every form, groups,
 * tiers, if, and/or, built-ins, checks; or a table framework with rows
 * rules, words, direction conditions and an unverified policy) and random
 * report data (missing cells, zeros, huge and tiny decimals, text where
 * numbers belong, values on tier edges, actuals that only restate a
 * threshold, bare numbers beside units and percentages, spreadsheet cells,
 * bad cells).  Unverified indicators, their reasons and ranges, and the
 * total's range are compared too.  Each program
 * is compiled with libgccjit and every report is scored by both engines;
 * every field of every result - each ScoreEval value's kind, unit, decimal
 * coefficient and scale, every finding's kind, subject, message and span -
 * must be identical.
 *
 * TALLY_DIFF_LONG=1 runs ten times as many programs; TALLY_DIFF_SEED=N runs
 * one program (seed N) and keeps its rule file and data in /tmp for study.
 * When libgccjit cannot compile at all, the test is skipped, loudly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lang/program.h"
#include "runtime/data/report.h"
#include "runtime/jit/jit.h"
#include "runtime/score/score.h"
#include "tests/support.h"

/* Random numbers and text ------------------------------------------------------ */

typedef struct Rng {
    uint64_t s;
} Rng;

static uint64_t rnd(Rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static int below(Rng *r, int n)
{
    return (int)(rnd(r) % (uint64_t)n);
}

static const char *pick(Rng *r, const char *const *list, int n)
{
    return list[below(r, n)];
}
#define PICK(r, arr) pick(r, arr, (int)(sizeof arr / sizeof arr[0]))

/* The program generator ------------------------------------------------------------ */

typedef enum Cls { C_PLAIN, C_YUAN, C_REN, C_ANY, C_BOOL, C_CLS } Cls;

typedef struct Gen {
    Rng *r;
    Buf *b;
    bool ctx_words;      /* inside an indicator, a method or a rows rule */
    bool params;         /* inside method M0 (parameters x, y) */
    bool methods;        /* may call methods */
    int nlets[C_CLS];    /* lets declared so far, by class */
    char lets[C_CLS][16][12];
    int nind;            /* indicators declared so far (their scores are plain) */
    bool recursive;      /* method 递归(n) exists */
    bool in_method;      /* target, actual, reported have no static unit here */
    bool inputs;         /* the program declares the report figures a, b, ... */
} Gen;

static void gen(Gen *g, Cls c, int depth);

static const char *const plain_lits[] = {
    "0", "1", "2", "0.5", "3.25", "10", "100", "90%", "80%", "100%", "0%", "12.5%", "0.333",
    "0.000001", "1.000000000000000001", "123456789012.5", "9223372036854775807", "0.1", "5", "60%",
    "0.000000001", "0.123456789", "2.5", "33.333333333",
};
static const char *const yuan_lits[] = {"0 元", "100 元", "1 万元", "10824.18 万元", "0.01 万元",
                                        "1.5 亿元", "99999999999 万元", "3 元"};
static const char *const ren_lits[] = {"0 人", "1 人", "15 人", "200 人", "3.5 人", "1 千人"};

static void leaf(Gen *g, Cls c)
{
    Rng *r = g->r;
    Buf *b = g->b;
    int k = below(r, 10);
    if (k < 2 && g->nlets[c] > 0) {
        put(b, "%s", g->lets[c][below(r, g->nlets[c])]);
        return;
    }
    switch (c) {
    case C_PLAIN:
        if (k < 4)
            put(b, "%s", PICK(r, plain_lits));
        else if (k < 7 && g->inputs)
            put(b, "%s", (const char *[]){"a", "b", "p"}[below(r, 3)]);
        else if (k < 8 && g->ctx_words)
            put(b, "weight");
        else if (k < 9 && g->nind > 0 && !g->ctx_words)
            put(b, "I%d", below(r, g->nind)); /* an earlier indicator's score */
        else if (k < 9 && g->nind > 0)
            put(b, "I%d", below(r, g->nind));
        else
            put(b, "%s", PICK(r, plain_lits));
        return;
    case C_YUAN:
        if (k < 5 || !g->inputs)
            put(b, "%s", PICK(r, yuan_lits));
        else
            put(b, "%s", below(r, 2) ? "m1" : "m2");
        return;
    case C_REN:
        if (k < 5 || !g->inputs)
            put(b, "%s", PICK(r, ren_lits));
        else
            put(b, "%s", below(r, 2) ? "n1" : "n2");
        return;
    case C_ANY:
        /* Only what has no unit the checker knows. */
        if (g->params && k < 3)
            put(b, "%s", below(r, 2) ? "x" : "y");
        else if (g->in_method && (k < 7 || !g->inputs))
            put(b, "%s", (const char *[]){"target", "actual", "reported"}[below(r, 3)]);
        else if (!g->inputs)
            put(b, "%s", PICK(r, plain_lits));
        else
            put(b, "%s", below(r, 2) ? "c1" : "c2");
        return;
    case C_BOOL:
        /* Some conditions raise findings (unit mismatch, division by zero,
         * a cell that is not a boolean): evaluating them or not shows. */
        if (k < 4)
            put(b, "%s", (const char *[]){"true", "false", "f1", "f1"}[below(r, g->inputs ? 4 : 2)]);
        else if (g->in_method && k < 7)
            put(b, "%s", (const char *[]){"(target > actual)", "(actual / target >= 1)",
                                          "(reported < weight)"}[below(r, 3)]);
        else if (g->inputs)
            put(b, "%s", (const char *[]){"(c1 > c2)", "(a / b > 1)", "(c1 >= 5)", "(m1 / m2 < 1)",
                                          "(c2 == '达成')"}[below(r, 5)]);
        else
            put(b, "%s", below(r, 2) ? "true" : "false");
        return;
    case C_CLS:
        break;
    }
}

static Cls num_cls(Rng *r)
{
    int k = below(r, 10);
    return k < 5 ? C_PLAIN : k < 7 ? C_YUAN : k < 8 ? C_REN : C_ANY;
}

static const char *const cmp_ops[] = {"==", "!=", "<", "<=", ">", ">="};

static void gen_bool(Gen *g, int depth)
{
    Rng *r = g->r;
    Buf *b = g->b;
    if (depth <= 0) {
        leaf(g, C_BOOL);
        return;
    }
    switch (below(r, 10)) {
    case 0:
    case 1: {
        Cls c = num_cls(r);
        put(b, "(");
        gen(g, c, depth - 1);
        put(b, " %s ", PICK(r, cmp_ops));
        gen(g, c, depth - 1);
        put(b, ")");
        return;
    }
    case 2:
    case 3:
    case 8:
        put(b, "(");
        gen_bool(g, depth - 1);
        put(b, below(r, 2) ? " and " : " or ");
        gen_bool(g, depth - 1);
        put(b, ")");
        return;
    case 4:
        put(b, "(not ");
        gen(g, C_BOOL, depth - 1);
        put(b, ")");
        return;
    case 5:
        put(b, "is_missing(");
        gen(g, (Cls)below(r, 4), depth - 1);
        put(b, ")");
        return;
    case 6:
        put(b, "is_text(");
        gen(g, C_ANY, depth - 1);
        put(b, ")");
        return;
    case 7:
        if (g->inputs)
            put(b, below(r, 2) ? "(t1 == '有所提升')" : "(unit(c1) == '人')");
        else
            put(b, "(unit(target) == '人')");
        return;
    default:
        leaf(g, C_BOOL);
        return;
    }
}

/* A number of class c (C_ANY: any number or cell). */
static void gen_num(Gen *g, Cls c, int depth)
{
    Rng *r = g->r;
    Buf *b = g->b;
    Cls same = c;
    switch (below(r, 22)) {
    case 0:
    case 1:
        put(b, "(");
        gen(g, same, depth - 1);
        put(b, below(r, 2) ? " + " : " - ");
        gen(g, same, depth - 1);
        put(b, ")");
        return;
    case 2:
    case 3:
        put(b, "(");
        gen(g, same, depth - 1);
        put(b, below(r, 2) ? " * " : " / ");
        gen(g, c == C_ANY ? C_ANY : C_PLAIN, depth - 1);
        put(b, ")");
        return;
    case 4:
        if (c == C_PLAIN) { /* a ratio of two like quantities */
            Cls q = (Cls)(1 + below(r, 2));
            put(b, "(");
            gen(g, q, depth - 1);
            put(b, " / ");
            gen(g, q, depth - 1);
            put(b, ")");
            return;
        }
        put(b, "(-");
        gen(g, same, depth - 1);
        put(b, ")");
        return;
    case 5:
        put(b, "(if ");
        gen_bool(g, depth - 1);
        put(b, " then ");
        gen(g, same, depth - 1);
        put(b, " else ");
        gen(g, same, depth - 1);
        put(b, ")");
        return;
    case 6:
    case 7: {
        /* tiers over a subject of some class, edges of that class */
        Cls s = num_cls(r);
        int n = 1 + below(r, 4);
        put(b, "tiers(");
        gen(g, s, depth - 1);
        for (int i = 0; i < n; i++) {
            put(b, ", %s ", (const char *[]){">=", ">", "<=", "<", "=", "!="}[below(r, 6)]);
            gen(g, s, 0);
            put(b, ": ");
            gen(g, same, depth - 1);
        }
        if (below(r, 4))
            put(b, ", else ");
        else
            put(b, ")");
        if (b->s[b->len - 1] == ' ') {
            gen(g, same, depth - 1);
            put(b, ")");
        }
        return;
    }
    case 8:
        put(b, "%s(", below(r, 2) ? "min" : "max");
        gen(g, same, depth - 1);
        put(b, ", ");
        gen(g, same, depth - 1);
        if (below(r, 3) == 0) {
            put(b, ", ");
            gen(g, same, depth - 1);
        }
        put(b, ")");
        return;
    case 9:
        put(b, "clamp(");
        gen(g, same, depth - 1);
        put(b, ", ");
        gen(g, same, 0);
        put(b, ", ");
        gen(g, same, 0);
        put(b, ")");
        return;
    case 10: {
        int f = below(r, 4);
        put(b, "%s(", (const char *[]){"abs", "round", "ceil", "floor"}[f]);
        gen(g, same, depth - 1);
        if (f > 0 && below(r, 2))
            put(b, ", %d", below(r, 4));
        put(b, ")");
        return;
    }
    case 11:
        put(b, "default(");
        gen(g, same, depth - 1);
        put(b, ", ");
        gen(g, same, 0);
        put(b, ")");
        return;
    default:
        break;
    }
    if (c != C_PLAIN) {
        leaf(g, c);
        return;
    }
    /* Built-ins giving plain numbers. */
    Cls q = num_cls(r);
    switch (below(r, 12)) {
    case 0:
        put(b, "%s(", (const char *[]){"ratio_capped", "inverse_ratio", "linear_to_zero", "change_rate"}[below(r, 4)]);
        gen(g, q, depth - 1);
        put(b, ", ");
        gen(g, q, depth - 1);
        put(b, ")");
        return;
    case 1:
    case 2: {
        const char *f = (const char *[]){"score_ge", "score_le", "score_eq"}[below(r, 3)];
        put(b, "%s(", f);
        gen(g, q, depth - 1);
        put(b, ", ");
        gen(g, q, depth - 1);
        put(b, ", ");
        gen(g, C_PLAIN, 0);
        if (below(r, 3) == 0) {
            if (strcmp(f, "score_le") == 0)
                put(b, ", %s", below(r, 2) ? "linear2x" : "inverse");
            else if (strcmp(f, "score_eq") == 0)
                put(b, ", %s, %s", below(r, 2) ? "0" : "1", below(r, 2) ? "ge_like" : "strict");
            else
                put(b, ", 50%%, %s", below(r, 2) ? "1" : "2");
        }
        put(b, ")");
        return;
    }
    case 3:
        put(b, "score_qual(");
        gen(g, C_ANY, depth - 1);
        put(b, ", ");
        gen(g, C_ANY, depth - 1);
        put(b, ", 10, ");
        gen(g, C_PLAIN, 0);
        put(b, "%s)", below(r, 2) ? "" : ", hubei2020");
        return;
    case 4:
        put(b, "num(");
        gen(g, C_ANY, depth - 1);
        put(b, ")");
        return;
    case 5:
        put(b, "deduct(");
        gen(g, C_PLAIN, depth - 1);
        put(b, ", 0.5, ");
        gen(g, C_PLAIN, depth - 1);
        put(b, "%s)", below(r, 2) ? "" : ", 1");
        return;
    case 6:
        put(b, "%s(", below(r, 2) ? "over" : "under");
        gen(g, q, depth - 1);
        put(b, ", ");
        gen(g, q, 0);
        put(b, ", ");
        gen(g, q, 0);
        put(b, "%s)", (const char *[]){"", ", exact", ", up", ", down"}[below(r, 4)]);
        return;
    case 7:
        put(b, "exec_rate(");
        gen(g, C_YUAN, depth - 1);
        put(b, ", ");
        gen(g, C_YUAN, depth - 1);
        put(b, ")");
        return;
    case 8:
        put(b, "score_exec(");
        gen(g, C_YUAN, depth - 1);
        put(b, ", ");
        gen(g, C_YUAN, depth - 1);
        put(b, ", 10%s)", below(r, 2) ? "" : ", 2, 5%");
        return;
    case 9:
        if (g->methods && g->ctx_words) {
            if (g->recursive && below(r, 3) == 0) {
                put(b, "递归(");
                gen(g, C_PLAIN, 0);
                put(b, ")");
                return;
            }
            put(b, below(r, 2) ? "M1" : "M0(");
            if (b->s[b->len - 1] == '(') {
                gen(g, C_ANY, depth - 1);
                put(b, ", ");
                gen(g, C_ANY, depth - 1);
                put(b, ")");
            }
            return;
        }
        leaf(g, c);
        return;
    default:
        leaf(g, c);
        return;
    }
}

static void gen(Gen *g, Cls c, int depth)
{
    if (depth <= 0 || below(g->r, 4) == 0) {
        if (c == C_BOOL && depth > 0)
            gen_bool(g, depth);
        else
            leaf(g, c);
        return;
    }
    if (c == C_BOOL)
        gen_bool(g, depth);
    else
        gen_num(g, c, depth);
}

/* A whole rule file: fixed indicators over report figures. */
static void gen_fixed_program(Rng *r, Buf *b, int nind, bool limits)
{
    Gen g = {r, b, false, false, false, {0}, {{{0}}}, 0, limits, false, true};
    put(b, "# generated (seed-driven) for test_jit_diff\n");
    put(b, "option score_places = %d\n", below(r, 5));
    put(b, "option unverified = %s\n", (const char *[]){"range", "zero", "reported"}[below(r, 3)]);
    if (below(r, 2))
        put(b, "grades 优 >= 60, 良 >= 30, else 差\n");
    put(b, "input a, b : number\ninput p : percent\ninput m1, m2 : 万元\ninput n1, n2 : 人\n"
           "input c1, c2 : cell\ninput t1 : text\ninput f1 : boolean\n");
    int nlets = 2 + below(r, 6);
    for (int i = 0; i < nlets; i++) {
        Cls c = (Cls)below(r, C_CLS);
        put(b, "let L%d = ", i);
        gen(&g, c, 2 + below(r, 3));
        put(b, "\n");
        if (c != C_BOOL || 1) {
            int k = g.nlets[c]++;
            snprintf(g.lets[c][k], sizeof g.lets[c][k], "L%d", i);
        }
    }
    g.ctx_words = true;
    g.params = true;
    g.in_method = true;
    put(b, "method M0(x, y) = ");
    gen(&g, C_PLAIN, 3);
    put(b, "\n");
    g.params = false;
    put(b, "method M1 = ");
    gen(&g, C_PLAIN, 3);
    put(b, "\n");
    g.in_method = false;
    if (g.recursive)
        put(b, "method 递归(n) = if n <= 0 then 0 else 递归(n - 1) + 1\n"
               "method 分叉(n) = if n <= 0 then 1 else 分叉(n - 1) + 分叉(n - 1)\n"
               "method 无限 = 无限 + weight\n"
               "indicator R0 weight 5 { score min(递归(a), 5) }\n"
               "indicator R1 weight 5 { score min(分叉(b), 5) }\n"
               "indicator R2 weight 5 using 无限\n");
    g.methods = true;
    /* Weights first, so that a group can state the sum of its members'. */
    double *weights = calloc((size_t)nind + 1, sizeof *weights);
    for (int i = 0; i < nind; i++)
        weights[i] = below(r, 5) == 0 ? 2.5 : 1 + below(r, 20);
    bool groups = below(r, 3) != 0;
    int in_group = 0, group = 0;
    for (int i = 0; i < nind; i++) {
        if (groups && in_group == 0 && below(r, 3) == 0) {
            in_group = 1 + below(r, 4);
            if (in_group > nind - i)
                in_group = nind - i;
            double sum = 0;
            for (int k = 0; k < in_group; k++)
                sum += weights[i + k];
            put(b, "group G%d weight %g {\n", group++, sum);
        }
        put(b, "indicator I%d weight %g", i, weights[i]);
        int form = below(r, 6);
        if (form == 1)
            put(b, " using %s", (const char *[]){"score_ge", "score_le", "score_eq", "score_qual"}[below(r, 4)]);
        else if (form == 2)
            put(b, " using M1");
        else if (form == 3) {
            put(b, " using M0(");
            gen(&g, C_ANY, 1);
            put(b, ", ");
            gen(&g, C_ANY, 1);
            put(b, ")");
        } else if (form == 4) {
            put(b, " using score_ge(target, value, weight)");
        }
        put(b, " {\n");
        if (below(r, 4)) {
            put(b, "  value ");
            gen(&g, num_cls(r), 3);
            put(b, "\n");
        }
        if (below(r, 3)) {
            put(b, "  target ");
            gen(&g, num_cls(r), 2);
            put(b, "\n");
        }
        if (form == 0) {
            put(b, "  score ");
            gen(&g, C_PLAIN, 4);
            put(b, "\n");
        } else if (form == 5) {
            put(b, "  score if ");
            gen_bool(&g, 3);
            put(b, " then weight else ");
            gen(&g, C_PLAIN, 2);
            put(b, "\n");
        }
        put(b, "}\n");
        g.nind++;
        if (in_group && --in_group == 0)
            put(b, "}\n");
    }
    free(weights);
    g.ctx_words = false;
    g.methods = false;
    int nchecks = below(r, 4);
    for (int i = 0; i < nchecks; i++) {
        put(b, "check C%d: ", i);
        Cls c = num_cls(r);
        if (c == C_ANY)
            c = C_PLAIN;
        gen(&g, c, 2);
        put(b, " %s ", PICK(r, cmp_ops));
        gen(&g, c, 2);
        if (below(r, 2))
            put(b, " within %s", c == C_YUAN ? "1 元" : c == C_REN ? "1 人" : "0.5");
        put(b, "\n");
    }
}

/* A rule file for reports' own indicator tables. */
static void gen_table_program(Rng *r, Buf *b)
{
    Gen g = {r, b, true, false, false, {0}, {{{0}}}, 0, false, true, false};
    put(b, "# generated (seed-driven) for test_jit_diff: table framework\n");
    put(b, "option score_places = %d\n", below(r, 4));
    put(b, "option unverified = %s\n", (const char *[]){"range", "zero", "reported"}[below(r, 3)]);
    if (below(r, 2))
        put(b, "option form_rate_places = %d\noption form_score_step = %s\n", below(r, 2),
            below(r, 2) ? "1" : "0.5");
    /* the words a rule file may change (docs/language.md §3.14) */
    if (below(r, 2))
        put(b, "words missing += 暂无\n");
    if (below(r, 2))
        put(b, "words achieved += 良好, 显著提升\n");
    if (below(r, 2))
        put(b, "words vague = 有所提升, 显著提升\n");
    if (below(r, 2))
        put(b, "words lower += 投资额, 损耗\n");
    put(b, "words 时效指标 = 进度指标\n");
    put(b, "method 正向 = score_ge(target, actual, weight)\n");
    put(b, "method 反向(方式) = score_le(target, actual, weight, 方式)\n");
    put(b, "method 定性 = score_qual(target, actual, weight, reported%s)\n", below(r, 2) ? "" : ", hubei2020");
    put(b, "method 执行率 = score_exec(target, actual, weight)\n");
    /* score_ge and score_le of the row's cells: row kernels
     * (jit_row_scoring_call) */
    put(b, "method 正向超 = score_ge(target, actual, weight, %s)\n", (const char *[]){"0", "10%", "50%", "1"}[below(r, 4)]);
    put(b, "method 反向线 = score_le(target, actual, weight, linear2x)\n");
    put(b, "method 反向倒 = score_le(actual, target, weight, inverse)\n");
    /* cells compared as texts or numbers (gen_typed.c kcells_equal) */
    put(b, "method 同 = if actual == target then weight else 0\n");
    put(b, "method 异 = if target != actual then weight / 2 else weight\n");
    put(b, "method 报 = if (reported == actual) or (actual == target) then weight else 0\n");
    /* formulas of the row's cells alone: rows rules using them get batch
     * kernels (runtime/jit/gen_batch.c), which decline on text, units and
     * missing cells */
    put(b, "method 比例 = if actual >= target then weight else weight * actual / target\n");
    put(b, "method 档次 = tiers(actual / target, >= 1: weight, >= 0.8: weight * 0.8, >= 0.5: weight / 2, else 0)\n");
    put(b, "method 扣分 = max(0, min(weight, weight - (target - actual) * 0.5)) + 0 * reported\n");
    put(b, "method 随机 = ");
    gen(&g, C_PLAIN, 4);
    put(b, "\nmethod M1 = ");
    gen(&g, C_PLAIN, 3);
    put(b, "\n");
    g.params = true;
    put(b, "method M0(x, y) = ");
    gen(&g, C_PLAIN, 3);
    put(b, "\n");
    put(b, "group 预算执行 weight 10 { category * }\n"
           "group 产出指标 weight 50 alias 产出 { category 数量指标, 质量指标, 时效指标, 成本指标 }\n"
           "group 效益指标 weight 30 alias 效益 { category * }\n"
           "group 满意度指标 weight 10 alias 满意度 { category * }\n");
    put(b, "rows {\n");
    put(b, "  when level1 预算执行 using 执行率\n");
    const char *const conds[] = {"kind text", "qualifier <=", "level2 成本指标", "kind percent",
                                 "qualifier missing", "indicator 群众满意度", "kind quantity",
                                 "level1 效益指标", "kind number", "qualifier >=", "direction lower",
                                 "direction higher", "direction unknown", "level2 时效指标",
                                 "direction lower and kind number"};
    const char *const methods[] = {"定性", "反向(linear2x)", "反向(inverse)", "随机", "M1",
                                   "M0(target, 2)", "score_ge", "score_le", "score_eq", "正向",
                                   "score_exec(target, actual, weight, 1, 5%)", "M0(actual, weight)",
                                   "比例", "档次", "扣分", "比例", "档次", "正向超", "反向线", "反向倒",
                                   "同", "异", "报", "同"};
    int n = 2 + below(r, 6);
    for (int i = 0; i < n; i++)
        put(b, "  when %s using %s\n", PICK(r, conds), PICK(r, methods));
    put(b, "  else using %s\n}\n", below(r, 2) ? "正向" : PICK(r, methods));
}

/* A table framework scored by score_ge and score_le alone, in the forms the
 * row kernels take (runtime/jit/rt.c jit_row_scoring_call) and a few they
 * do not (a parameter, a rule's method named with arguments). */
static void gen_scoring_program(Rng *r, Buf *b)
{
    put(b, "# generated (seed-driven) for test_jit_diff: score_ge, score_le, score_exec and score_qual over table rows\n");
    put(b, "option score_places = %d\n", below(r, 4));
    put(b, "option unverified = %s\n", (const char *[]){"range", "zero", "reported"}[below(r, 3)]);
    static const char *const thetas[] = {"0", "10%", "50%", "1", "0.000001", "200%"};
    static const char *const weights[] = {"weight", "weight", "weight", "reported", "4", "2.5", "0"};
    put(b, "method G1 = score_ge(target, actual, %s)\n", PICK(r, weights));
    put(b, "method G2 = score_ge(target, actual, %s, %s)\n", PICK(r, weights), PICK(r, thetas));
    put(b, "method G3 = score_ge(actual, target, %s)\n", PICK(r, weights));
    put(b, "method L1 = score_le(target, actual, %s)\n", PICK(r, weights));
    put(b, "method L2 = score_le(target, actual, %s, linear2x)\n", PICK(r, weights));
    put(b, "method L3 = score_le(target, actual, %s, inverse)\n", PICK(r, weights));
    put(b, "method L4 = score_le(actual, target, %s, inverse)\n", PICK(r, weights));
    put(b, "method P(m) = score_le(target, actual, weight, m)\n");
    put(b, "method Q = if actual == target then weight else 0\n");
    put(b, "method E1 = score_exec(target, actual, %s)\n", PICK(r, weights));
    put(b, "method E2 = score_exec(actual, target, %s)\n", PICK(r, weights));
    put(b, "method E3 = score_exec(target, actual, weight, 1, 10%%)\n"); /* per and step: boxed */
    put(b, "method Q1 = score_qual(target, actual, %s, reported)\n", PICK(r, weights));
    put(b, "method Q2 = score_qual(actual, target, %s, reported, hubei2020)\n", PICK(r, weights));
    put(b, "method Q3 = score_qual(target, actual, weight, %s, cz2020)\n",
        (const char *[]){"3", "0", "4.5", "100"}[below(r, 4)]);
    if (below(r, 2))
        put(b, "words vague = 有所提升, 长期\n");
    put(b, "group 预算执行 weight 10 { category * }\n"
           "group 产出指标 weight 50 { category * }\n"
           "group 效益指标 weight 30 { category * }\n"
           "group 满意度指标 weight 10 { category * }\n");
    static const char *const conds[] = {"kind text", "kind percent", "kind quantity", "kind number", "qualifier <=",
                                        "qualifier >=", "level2 成本指标", "direction lower",
                                        "level1 效益指标", "level1 预算执行"};
    static const char *const methods[] = {"G1", "G2", "G3", "L1", "L2", "L3", "L4", "P(inverse)",
                                          "score_ge", "G2", "L2", "Q", "E1", "E2", "E3", "E1", "Q1", "Q2",
                                          "Q3", "Q1"};
    put(b, "rows {\n");
    int n = 1 + below(r, 5);
    for (int i = 0; i < n; i++)
        put(b, "  when %s using %s\n", PICK(r, conds), PICK(r, methods));
    put(b, "  else using %s\n}\n", PICK(r, methods));
}

/* A target and an actual of one row, around score_ge's and score_le's
 * edges: met exactly, just below and above, twice the target, ratios at
 * 0.1% and 1000%, zero and negative targets and actuals, percentages beside
 * plain numbers, quantities in the same unit, another magnitude, another
 * unit or count word, a bare number beside a unit, bounds, text, missing. */
static void scoring_pair(Rng *r, char *t, char *a, size_t n)
{
    static const char *const bases[] = {"100", "50", "0", "-5", "1", "0.001", "1000", "3.5", "7",
                                        "123456.789", "0.3", "90"};
    static const double factors[] = {1, 1, 0.5, 0, 2, 1.999, 2.001, 1.5, 1.4999, 0.0009, 0.001, 0.00101,
                                     10, 10.01, 9.99, -1, 0.3333333333, 1.1, 1.0000001, 0.9999999};
    static const char *const units[] = {"", "", "%", "人", "万元", "元", "个", "家", "天"};
    const char *base = PICK(r, bases);
    double x = strtod(base, NULL) * factors[below(r, (int)(sizeof factors / sizeof *factors))];
    const char *tu = PICK(r, units);
    const char *au = below(r, 5) ? tu : PICK(r, units);
    static const char *const quals[] = {"", "", "", "≥", "≤"};
    snprintf(t, n, "%s%s%s", PICK(r, quals), base, tu);
    int k = below(r, 20);
    if (k == 0)
        snprintf(a, n, "%s", "");
    else if (k == 1)
        snprintf(a, n, "%s", "达成");
    else if (k == 4) /* a text target, met or not */
        snprintf(t, n, "%s", "达成");
    else if (k == 5 || k == 6) { /* texts for score_qual: the same, vague, with a figure, spaced, level words */
        static const char *const texts[] = {
            "长期", "有所提升", "完成3项", "建立 制度", "建立制度", "基本完成", "未完成", "是", "√", "已完成",
            "逐步完善", "有所提升", "部分完成", "未达到预期", "正在推进", "否", "×", "达到预期", "明显提升",
            " 基本完成", "未 完成", "有所 提升", "有所提升3%", "较好", "差",
            /* longer than a formatted value holds (VAL_BUF): compared as truncated */
            "建立长效管理制度建立长效管理制度建立长效管理制度建立长效管理制度甲",
            "建立长效管理制度建立长效管理制度建立长效管理制度建立长效管理制度乙"};
        const char *same = PICK(r, texts);
        snprintf(t, n, "%s", same);
        snprintf(a, n, "%s", below(r, 3) ? same : PICK(r, texts));
    }
    else if (k == 7) { /* actual / target on F_MAGNITUDE's edges at dec_div's 10 places: rounded to 10
                        * or 0.001 exactly (within), half a unit of the last place (rounded away), beyond */
        static const char *const edges[][2] = {
            {"3", "30.0000000001"}, {"3", "30.0000000002"}, {"2", "20.0000000001"}, {"2", "20.00000000009"},
            {"2", "20"}, {"2", "20.00000000011"}, {"3.000", "0.0029999999998"}, {"3.000", "0.0029999999999"},
            {"2.000", "0.0019999999999"}, {"2.000", "0.0019999999998"}, {"2.000", "0.002"},
            {"2", "0.0019999999999"}, {"0.0000000001", "1"}, {"7", "70.00000000035"}, {"7", "70.00000000034"},
            {"2.0", "0.00199999989"}, {"2.0", "0.0019999999"}, {"2.0", "0.0019999998"}, {"3.0", "0.00299999985"},
            {"3.0", "0.00299999984"}};
        int e = below(r, (int)(sizeof edges / sizeof *edges));
        snprintf(t, n, "%s%s", below(r, 4) ? "" : "≥", edges[e][0]);
        snprintf(a, n, "%s", edges[e][1]);
    }
    else if (k == 2)
        snprintf(a, n, "≥%s%s", base, tu);
    else if (k == 3)
        snprintf(a, n, "约%.6g%s", x, au);
    else
        snprintf(a, n, "%.10g%s", x, au);
}

static void gen_scoring_data(Rng *r, Buf *b, int nreports)
{
    static const char *const level1[] = {"预算执行", "产出指标", "效益指标", "满意度指标"};
    static const char *const level2[] = {"数量指标", "质量指标", "成本指标", "社会效益指标", ""};
    static const char *const names[] = {"群众满意度", "培训人次", "完成率", "成本", "投资额"};
    static const char *const weights[] = {"10", "5", "2.5", "20", "0", "3.333", "5%", "", "abc"};
    static const char *const reported[] = {"10", "5", "4.5", "", "0", "2.25", "100", "-1", "3.33",
                                           "4", "3.99", "好", "≥4", "8", "1.999", "是", "3", "2.5", "6",
                                           "7.9999", "1.25", "12", "1.5", "60%", "2人"};
    put(b, "report,level1,level2,indicator,target,actual,weight,reported\n");
    for (int i = 0; i < nreports; i++) {
        int rows = 1 + below(r, 12);
        for (int k = 0; k < rows; k++) {
            char t[64], a[64];
            scoring_pair(r, t, a, sizeof t);
            put(b, "S%d,%s,%s,%s,\"%s\",\"%s\",%s,%s\n", i, PICK(r, level1), PICK(r, level2),
                PICK(r, names), t, a, PICK(r, weights), PICK(r, reported));
        }
        if (below(r, 2))
            put(b, "S%d,总分,,,,,100,%s\n", i, PICK(r, reported));
    }
}

/* score_qual rows alone (the row kernel of every level, runtime/jit/gen_typed.c
 * kqual): texts of every level and none, the same text and another, vague
 * targets (words vague of the binary or of the rule file), yes/no words
 * against each other, spaces, texts longer than a formatted value holds;
 * weights from cells and literals, both schemes; self-awarded scores on
 * each band's edges, just inside and outside them, text and missing. */
static void gen_qual_program(Rng *r, Buf *b)
{
    static const char *const weights[] = {"weight", "weight", "weight", "5", "2.5", "0"};
    static const char *const schemes[] = {"", ", cz2020", ", hubei2020", ", hubei2020"};
    put(b, "# generated (seed-driven) for test_jit_diff: score_qual over table rows\n");
    put(b, "option score_places = %d\n", below(r, 4));
    put(b, "option unverified = %s\n", (const char *[]){"range", "zero", "reported"}[below(r, 3)]);
    put(b, "method Q1 = score_qual(target, actual, %s, reported%s)\n", PICK(r, weights), PICK(r, schemes));
    put(b, "method Q2 = score_qual(actual, target, %s, reported%s)\n", PICK(r, weights), PICK(r, schemes));
    put(b, "method Q3 = score_qual(target, actual, weight, %s%s)\n",
        (const char *[]){"3", "0", "4.5", "100", "2.5", "4"}[below(r, 6)], PICK(r, schemes));
    if (below(r, 2))
        put(b, "words vague = 有所提升, 长期\n");
    if (below(r, 3) == 0)
        put(b, "words partly_achieved = 部分完成, 正在推进\n");
    put(b, "group 产出指标 weight 50 { category * }\ngroup 效益指标 weight 30 { category * }\n");
    static const char *const conds[] = {"kind text", "level1 效益指标", "level2 质量指标", "kind number"};
    static const char *const methods[] = {"Q1", "Q2", "Q3"};
    put(b, "rows {\n");
    int n = below(r, 3);
    for (int i = 0; i < n; i++)
        put(b, "  when %s using %s\n", PICK(r, conds), PICK(r, methods));
    put(b, "  else using %s\n}\n", PICK(r, methods));
}

static void gen_qual_data(Rng *r, Buf *b, int nreports)
{
    static const char *const texts[] = {
        "长期", "有所提升", "完成3项", "建立 制度", "建立制度", "基本完成", "未完成", "是", "√", "已完成",
        "逐步完善", "部分完成", "未达到预期", "正在推进", "否", "×", "达到预期", "明显提升", " 基本完成",
        "未 完成", "有所 提升", "有所提升3%", "较好", "差", "", "90%",
        "建立长效管理制度建立长效管理制度建立长效管理制度建立长效管理制度甲",
        "建立长效管理制度建立长效管理制度建立长效管理制度建立长效管理制度乙"};
    static const char *const weights[] = {"10", "5", "2.5", "20", "0", "3.333", "", "abc"};
    static const char *const reported[] = {"10", "8", "7.9999", "6", "5.9999", "5", "4.9999", "4", "3.9999", "3",
                                           "2.9999", "2.5", "2.4999", "2", "1.9999", "1.5", "1.25", "0",
                                           "-0.0001", "12", "16", "15.9999", "", "好", "≥4", "60%", "3人", "2.6664"};
    put(b, "report,level1,level2,indicator,target,actual,weight,reported\n");
    for (int i = 0; i < nreports; i++) {
        int rows = 1 + below(r, 10);
        for (int k = 0; k < rows; k++) {
            const char *t = PICK(r, texts), *a = below(r, 3) == 0 ? t : PICK(r, texts);
            /* one in four: the actual the target with a space after its first character
             * (the reader trims the ends) - the same text to qual_level */
            char spaced[256];
            if (below(r, 4) == 0 && *t) {
                size_t first = 1;
                while (((unsigned char)t[first] & 0xC0) == 0x80)
                    first++;
                snprintf(spaced, sizeof spaced, "%.*s%s%s", (int)first, t, below(r, 2) ? " " : "\u3000", t + first);
                a = spaced;
            }
            put(b, "S%d,%s,%s,指标%d,\"%s\",\"%s\",%s,%s\n", i, below(r, 2) ? "产出指标" : "效益指标",
                below(r, 2) ? "质量指标" : "社会效益指标", k, t, a, PICK(r, weights), PICK(r, reported));
        }
    }
}

/* Programs of abs, deduct, over and under (exact, up, down), exec_rate,
 * change_rate and methods with parameters in fixed indicators and lets (the
 * typed kernels take them):
 * around deduct's floor (given or 0) and "nothing to deduct", over/under at
 * the standard exactly and one step off, steps of 0 and below (F_DIV_ZERO),
 * negative and huge per-point deductions, quotients dec.c rounds, whole
 * steps up and down of negative and positive counts, quantities in one unit
 * and in two (F_UNIT_MISMATCH), a plain 0 step beside quantities, a
 * quantity deducted from (its unit and magnitude kept), abs of negatives,
 * execution rates of budgets 0 and below (nothing spent: 100%), beyond
 * 0.1% and 1000% (F_MAGNITUDE), a bare number beside a quantity, changes
 * from 0. */
static void gen_deduct_program(Rng *r, Buf *b, int nind)
{
    static const char *const pers[] = {"0.5", "1", "2", "0", "0.333", "-1", "1000000000000", "0.4", "b"};
    static const char *const steps[] = {"1%", "5%", "0.01", "1", "0", "-1%", "0.0000001", "3", "0.3"};
    static const char *const floors[] = {"0", "1", "-2", "2.5", "10%", "a"};
    static const char *const values[] = {"a / b", "p", "a", "(a - b) / b", "m1 / m2", "abs(a - b)",
                                         "abs(p - q)", "q", "-a", "abs(-p)", "exec_rate(m2, m1)",
                                         "exec_rate(b, a)", "change_rate(a, b)", "change_rate(m1, m2)",
                                         "exec_rate(m1, n1)", "exec_rate(p, a)", "R", "C", "S",
                                         "change_rate(n1, 10人)", "exec_rate(q, p)", "比率(a, b)",
                                         "比率(m1 - m2, m2)", "W(a, b)", "N(a)", "Bad(b)", "比率(n1, 3人)",
                                         "W(p, q) + 比率(exec_rate(m2, m1), 2)"};
    static const char *const targets[] = {"100%", "0%", "b", "q", "1", "0", "90%"};
    static const char *const qsteps[] = {"1万元", "0.5万元", "1元", "1人", "0", "-1万元", "3万元"};
    put(b, "# generated (seed-driven) for test_jit_diff: abs, deduct, over, under\n");
    put(b, "option score_places = %d\n", below(r, 4));
    put(b, "input a, b : number\ninput p, q : percent\ninput m1, m2 : 万元\ninput n1 : 人\n");
    /* methods with parameters, inlined into kernels; one reading an input
     * and one calling a method stay boxed */
    put(b, "method 比率(分子, 分母) = 0%% + 分子 / 分母\nmethod W(x, y) = if x > y then x - y else 0 - (y - x) / 2\n"
           "method K(x) = weight * min(1, x)\nmethod Bad(x) = x + a\nmethod N(x) = 比率(x, 2)\n");
    /* lets of built-ins that record no branch: batch lets */
    put(b, "let R = exec_rate(%s)\nlet C = change_rate(%s)\nlet S = %s\n",
        (const char *[]){"m2, m1", "b, a", "m1, m2"}[below(r, 3)], (const char *[]){"a, b", "m1, m2"}[below(r, 2)],
        (const char *[]){"over(a, b, 1)", "under(p, q, 5%, down)", "abs(a) + max(a, b)"}[below(r, 3)]);
    for (int i = 0; i < nind; i++) {
        static const char *const weights[] = {"5", "4", "2.5", "10", "0.3", "2"};
        put(b, "indicator D%d weight %s {\n", i, PICK(r, weights));
        int k = below(r, 13);
        if (k == 10) { /* a quantity deducted from: the value keeps 万元 and its magnitude */
            put(b, "  value deduct(m1, %s, over(m1, m2, %s)%s)\n  target m2\n"
                   "  score if value <= target then weight else weight * 0.5\n}\n",
                PICK(r, pers), PICK(r, qsteps), below(r, 3) ? "" : ", 0万元");
            continue;
        }
        if (k == 11) { /* abs of a quantity, compared with quantities */
            put(b, "  value abs(m1 - m2)\n  score tiers(value, <= 0万元: weight, <= m2: weight / 2, else 0)\n}\n");
            continue;
        }
        put(b, "  value %s\n  target %s\n  score ", PICK(r, values), PICK(r, targets));
        switch (k) {
        case 0:
        case 1:
            put(b, "deduct(weight, %s, over(value, target, %s))", PICK(r, pers), PICK(r, steps));
            break;
        case 2:
        case 3:
            put(b, "deduct(weight, %s, under(value, target, %s))", PICK(r, pers), PICK(r, steps));
            break;
        case 4:
            put(b, "deduct(weight, %s, %s(value, target, %s), %s)", PICK(r, pers), below(r, 2) ? "over" : "under",
                PICK(r, steps), PICK(r, floors));
            break;
        case 5:
            put(b, "tiers(abs(value), = 0: weight, <= 10%%: weight * 0.8, <= 20%%: weight / 2, else 0)");
            break;
        case 6:
            put(b, below(r, 2) ? "weight * max(0, 1 - abs(value - target))" : "K(value / target)");
            break;
        case 7:
            put(b, "deduct(weight, a, b)");
            break;
        case 8: /* quantities: one unit, two units, a count word */
            put(b, "deduct(weight, %s, %s)", PICK(r, pers),
                (const char *[]){"over(m1, m2, 1万元)", "under(m1, m2, 0.5万元)", "over(m1, m2, 1人)",
                                 "under(n1, 10人, 1人)", "over(m1, n1, 1人)", "over(m1, 0, 1万元)",
                                 "over(m1, m2, 0)"}[below(r, 7)]);
            break;
        case 9: /* a step from the data: 0, below 0, text, missing */
            put(b, "deduct(weight, %s, %s(value, target, a))", below(r, 2) ? "0" : PICK(r, pers),
                below(r, 2) ? "over" : "under");
            break;
        default: /* a mode word: whole steps, up or down */
            put(b, "deduct(weight, %s, %s(value, target, %s, %s))", PICK(r, pers), below(r, 2) ? "over" : "under",
                PICK(r, steps), (const char *[]){"up", "down", "exact"}[below(r, 3)]);
            break;
        }
        put(b, "\n}\n");
    }
}

static void gen_deduct_data(Rng *r, Buf *b, int nreports)
{
    static const char *const nums[] = {"", "0", "1", "-1", "0.5", "100", "99", "101", "100.5", "-100",
                                       "1e3", "9223372036854775807", "0.000000001", "N/A", "x", "1.01",
                                       "0.99", "3", "7", "2"};
    static const char *const pcts[] = {"100%", "99%", "101%", "0%", "-5%", "1", "0.99", "120%", "≥90%",
                                       "", "95%", "105.5%", "90%", "33.333333333%"};
    static const char *const yuan[] = {"100", "100万元", "99.99万元", "0", "-3万元", "3元", "15人",
                                       "约100万元", "101万元", "1.5亿元", "", "100.5"};
    static const char *const ren[] = {"10", "9人", "11人", "0", "", "10.5人", "3家"};
    put(b, "report,a,b,p,q,m1,m2,n1\n");
    for (int i = 0; i < nreports; i++)
        put(b, "D%d,\"%s\",\"%s\",\"%s\",\"%s\",\"%s\",\"%s\",\"%s\"\n", i, PICK(r, nums), PICK(r, nums),
            PICK(r, pcts), PICK(r, pcts), PICK(r, yuan), PICK(r, yuan), PICK(r, ren));
}

/* Report data ------------------------------------------------------------------------ */

static const char *const num_cells[] = {
    "", "0", "1", "-3", "0.5", "100", "99.99", "1e3", "123456789.123456", "0.000000000000000001",
    "922337203685477580.7", "9223372036854775807", "12", "-", "3.0", "60", "90", "N/A", "2", "5",
    "0.123456789012345678", "1.50", "7.0000001", "0.3333333333", "-0.000000001"};
static const char *const pct_cells[] = {"", "90%", "0%", "100%", "85.5%", "0.9", "120%", "-5%", "80%",
                                        "99.999999%", "12.345678901234567%"};
static const char *const yuan_cells[] = {"", "0", "1796.79", "10824.18万元", "3元", "100",
                                         "99999999999999", "0.01", "约100万元", "1.5亿元", "15人"};
static const char *const ren_cells[] = {"", "0", "15", "15人", "200人", "3", "-1", "1000000"};
static const char *const any_cells[] = {"", "15人", "90%", "有所提升", "≥90%", "约100万元", "-", "3.5",
                                        "100元", "≤10天", "达成", "0", "12", "1e5", "1,234.5", "≥15人",
                                        "基本达成", "30天以内", "95%以上", "未达成",
                                        /* issue 12: signs, bounds, spreadsheet cells, bare numbers */
                                        "═100%", "=>90%", "≧735人次", "735", "85", "0.85", "#DIV/0!",
                                        "√", "×", "是", "TRUE", "(12.50)", "¥1,234.56", "1.2E+03",
                                        "1234.56万", "暂无", "良好", "显著提升", "<5%", "99999999999999999999999"};
static const char *const text_cells[] = {"", "有所提升", "达成", "是", "x"};
static const char *const bool_cells[] = {"", "是", "否", "true", "false", "是", "否", "maybe"};

static void gen_wide_data(Rng *r, Buf *b, int nreports)
{
    put(b, "report,a,b,p,m1,m2,n1,n2,c1,c2,t1,f1\n");
    for (int i = 0; i < nreports; i++) {
        put(b, "R%d,%s,%s,%s,%s,%s,%s,%s,\"%s\",\"%s\",%s,%s\n", i, PICK(r, num_cells),
            PICK(r, num_cells), PICK(r, pct_cells), PICK(r, yuan_cells), PICK(r, yuan_cells),
            PICK(r, ren_cells), PICK(r, ren_cells), PICK(r, any_cells), PICK(r, any_cells),
            PICK(r, text_cells), below(r, 20) ? PICK(r, bool_cells) + 0 : "maybe");
    }
}

static void gen_long_data(Rng *r, Buf *b, int nreports)
{
    static const char *const level1[] = {"预算执行", "产出指标", "产出", "效益指标", "效益", "满意度指标",
                                         "满意度", "其他"};
    static const char *const level2[] = {"数量指标", "质量指标", "时效指标", "成本指标", "社会效益指标",
                                         "服务对象满意度指标", "", "进度指标"};
    static const char *const names[] = {"群众满意度", "培训人次", "完成率", "成本", "预算执行率",
                                        "计划完成率", "人员经费支出"};
    static const char *const weights[] = {"10", "5", "2.5", "20", "", "0", "30", "abc"};
    static const char *const reported[] = {"10", "5", "4.5", "", "0", "2.25", "100", "-1", "十"};
    put(b, "report,level1,level2,indicator,target,actual,weight,reported\n");
    for (int i = 0; i < nreports; i++) {
        int rows = 1 + below(r, 10);
        for (int k = 0; k < rows; k++)
            put(b, "T%d,%s,%s,%s,\"%s\",\"%s\",%s,%s\n", i, PICK(r, level1), PICK(r, level2),
                PICK(r, names), PICK(r, any_cells), PICK(r, any_cells), PICK(r, weights),
                PICK(r, reported));
        if (below(r, 2))
            put(b, "T%d,总分,,,,,100,%s\n", i, PICK(r, reported));
    }
}


/* Plain programs: what the JIT's typed kernels take (runtime/jit/gen_typed.c)
 * - plain number inputs, lets, literals, weight/value/target, + - * /, comparisons,
 * and/or/not, if, tiers, min, max - mixed with a little they do not (an
 * earlier indicator's score, a percent), over data full of what makes a
 * kernel decline: missing and text cells, zeros, huge and tiny decimals,
 * scores to clamp. */
typedef struct Plain {
    Rng *r;
    Buf *b;
    int nlets, nbool_lets;
    int nind;
    bool ctx;            /* inside an indicator: weight */
    bool value, target;  /* value / target known here */
} Plain;

static const char *const plain_only_lits[] = {
    "0", "1", "2", "0.5", "3.25", "10", "100", "0.333", "0.000001", "1.000000000000000001",
    "123456789012.5", "9223372036854775807", "0.1", "5", "0.000000001", "0.123456789", "2.5",
    "33.333333333", "0.9", "0.95", "0.8", "0.6", "1.5", "60", "99.99"};

static void plain_num(Plain *q, int depth);

static void plain_bool(Plain *q, int depth)
{
    Rng *r = q->r;
    Buf *b = q->b;
    int k = depth <= 0 ? 9 : below(r, 10);
    if (k < 4) {
        put(b, "(");
        plain_num(q, depth - 1);
        put(b, " %s ", PICK(r, cmp_ops));
        plain_num(q, depth - 1);
        put(b, ")");
    } else if (k < 6) {
        put(b, "(");
        plain_bool(q, depth - 1);
        put(b, below(r, 2) ? " and " : " or ");
        plain_bool(q, depth - 1);
        put(b, ")");
    } else if (k < 7) {
        put(b, "(not ");
        plain_bool(q, depth - 1);
        put(b, ")");
    } else if (k < 8 && q->nbool_lets) {
        put(b, "B%d", below(r, q->nbool_lets));
    } else if (below(r, 3) == 0) {
        /* quantities compared: same unit, 万元 and 元, a literal with a unit */
        put(b, "%s", (const char *[]){"(m1 > m2)", "((m1 - m2) >= 0万元)", "(m1 <= 100万元)", "(n1 != 0人)",
                                      "(m2 == m1)"}[below(r, 5)]);
    } else if (below(r, 4) == 0) {
        /* texts compared: with literals, and with themselves (the kernel
         * cannot tell two texts no literal spells apart: it declines) */
        put(b, "%s", (const char *[]){"(t1 == '达成')", "(t1 != '有所提升')", "('是' == t1)", "(t1 == t2)",
                                      "(t1 != 'x')", "(t2 != t1)"}[below(r, 6)]);
    } else {
        put(b, "%s", (const char *[]){"true", "false", "f1", "(a > b)", "(a2 >= 1)"}[below(r, 5)]);
    }
}

/* A number from quantities (万元 m1, m2; 人 n1): ratios of the same unit,
 * a quantity scaled and divided again. */
static const char *const unit_ratios[] = {
    "(m1 / m2)", "((m1 - m2) / m2)", "(m1 * 0.5 / m2)", "((2 * m1 + m2) / (m2 - 3万元))", "(-m1 / m2)",
    "(max(m1, m2, 1元) / min(m1, m2 + 1万元))", "(n1 / 3人)", "(if m1 > m2 then m1 / m2 else m2 / 1.5万元)",
    "(m1 / n1 / (m2 / n1))"};

static void plain_leaf(Plain *q)
{
    Rng *r = q->r;
    Buf *b = q->b;
    int k = below(r, 60);
    if (k < 15)
        put(b, "%s", PICK(r, plain_only_lits));
    else if (k < 35)
        put(b, "%s", (const char *[]){"a", "b", "a2", "b2", "p"}[below(r, 5)]);
    else if (k < 41 && q->nlets)
        put(b, "L%d", below(r, q->nlets));
    else if (k < 47 && q->ctx)
        put(b, "weight");
    else if (k < 52 && q->value)
        put(b, "value");
    else if (k < 57 && q->target)
        put(b, "target");
    else if (k == 58 && q->nind && q->ctx)
        put(b, "I%d", below(r, q->nind)); /* not for a kernel: the interpreter scores it */
    else if (k == 59)
        put(b, "%s", (const char *[]){"90%", "12.5%", "0%", "100%"}[below(r, 4)]);
    else if (k == 57)
        put(b, "%s", PICK(r, unit_ratios));
    else
        put(b, "%s", PICK(r, plain_only_lits));
}

static void plain_num(Plain *q, int depth)
{
    Rng *r = q->r;
    Buf *b = q->b;
    if (depth <= 0 || below(r, 5) == 0) {
        plain_leaf(q);
        return;
    }
    switch (below(r, 9)) {
    case 0:
    case 1:
    case 2:
        put(b, "(");
        plain_num(q, depth - 1);
        put(b, " %s ", (const char *[]){"+", "-", "*", "/"}[below(r, 4)]);
        plain_num(q, depth - 1);
        put(b, ")");
        return;
    case 3:
        put(b, "(-");
        plain_num(q, depth - 1);
        put(b, ")");
        return;
    case 4:
        put(b, "(if ");
        plain_bool(q, depth - 1);
        put(b, " then ");
        plain_num(q, depth - 1);
        put(b, " else ");
        plain_num(q, depth - 1);
        put(b, ")");
        return;
    case 5:
    case 6: {
        int n = 1 + below(r, 4);
        put(b, "tiers(");
        plain_num(q, depth - 1);
        for (int i = 0; i < n; i++) {
            put(b, ", %s ", (const char *[]){">=", ">", "<=", "<", "=", "!="}[below(r, 6)]);
            plain_num(q, 0);
            put(b, ": ");
            plain_num(q, depth - 1);
        }
        put(b, below(r, 6) ? ", else " : ")");
        if (b->s[b->len - 1] == ' ') {
            plain_num(q, depth - 1);
            put(b, ")");
        }
        return;
    }
    default: {
        int n = 2 + below(r, 3);
        put(b, "%s(", below(r, 2) ? "min" : "max");
        for (int i = 0; i < n; i++) {
            if (i)
                put(b, ", ");
            plain_num(q, depth - 1);
        }
        put(b, ")");
        return;
    }
    }
}

static void gen_plain_program(Rng *r, Buf *b, int nind)
{
    Plain q = {r, b, 0, 0, 0, false, false, false};
    put(b, "# generated (seed-driven, plain numbers) for test_jit_diff\n");
    put(b, "option score_places = %d\n", below(r, 5));
    put(b, "input a, b, a2, b2 : number\ninput p : percent\ninput f1 : boolean\n");
    put(b, "input m1, m2 : 万元\ninput n1 : 人\ninput t1, t2 : text\n");
    int nlets = 1 + below(r, 5);
    for (int i = 0; i < nlets; i++) {
        put(b, "let L%d = ", i);
        plain_num(&q, 1 + below(r, 3));
        put(b, "\n");
        q.nlets++;
    }
    int nb = below(r, 3);
    for (int i = 0; i < nb; i++) {
        put(b, "let B%d = ", i);
        plain_bool(&q, 2);
        put(b, "\n");
        q.nbool_lets++;
    }
    q.ctx = true;
    for (int i = 0; i < nind; i++) {
        put(b, "indicator I%d weight %g {\n", i, below(r, 5) == 0 ? 2.5 : 1 + below(r, 20));
        q.value = q.target = false;
        if (below(r, 6) == 0) {
            /* a quantity as the value: output with its unit and magnitude */
            put(b, "  value %s\n  target %s\n  score if value <= target then weight else weight * %s\n}\n",
                (const char *[]){"m1 - m2", "m1 * 2", "(m1 + m2) / 2", "max(m1, m2)", "-m2"}[below(r, 5)],
                (const char *[]){"0万元", "m2", "150万元", "100元"}[below(r, 4)], PICK(r, unit_ratios));
            q.nind++;
            continue;
        }
        if (below(r, 4)) {
            put(b, "  value ");
            plain_num(&q, 2);
            put(b, "\n");
            q.value = true;
        }
        if (below(r, 2)) {
            put(b, "  target ");
            plain_num(&q, 2);
            put(b, "\n");
            q.target = true;
        }
        put(b, "  score ");
        if (below(r, 3) == 0) {
            put(b, "if ");
            plain_bool(&q, 2);
            put(b, " then weight else ");
            plain_num(&q, 2);
        } else {
            plain_num(&q, 3);
        }
        put(b, "\n}\n");
        q.nind++;
    }
}

static void gen_plain_data(Rng *r, Buf *b, int nreports)
{
    static const char *const cells[] = {"0.9", "1", "100", "85.5", "3", "12", "0.5", "250", "1000000",
                                        "99.99", "2.50", "7"};
    static const char *const yuan[] = {"100", "250.5", "10824.18万元", "3元", "0.5亿元", "1796.79", "12万元"};
    put(b, "report,a,b,a2,b2,p,f1,m1,m2,n1,t1,t2\n");
    for (int i = 0; i < nreports; i++) {
        put(b, "R%d", i);
        for (int k = 0; k < 4; k++) /* mostly ordinary figures; one cell in five anything */
            put(b, ",\"%s\"", below(r, 5) ? PICK(r, cells) : PICK(r, num_cells));
        put(b, ",\"%s\"", PICK(r, pct_cells));
        put(b, ",%s", PICK(r, bool_cells));
        for (int k = 0; k < 2; k++)
            put(b, ",\"%s\"", below(r, 4) ? PICK(r, yuan) : PICK(r, yuan_cells));
        put(b, ",\"%s\"", PICK(r, ren_cells));
        for (int k = 0; k < 2; k++) /* some texts no literal spells, alike or not */
            put(b, ",%s", below(r, 6) ? PICK(r, text_cells) : below(r, 2) ? "另一段文字" : "第三段");
        put(b, "\n");
    }
}

/* Comparing results ------------------------------------------------------------------ */

static bool same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static bool same_value(const TlValue *x, const TlValue *y)
{
    if (x->kind != y->kind)
        return false;
    switch ((TlKind)x->kind) {
    case TL_MISSING:
        return true;
    case TL_BOOL:
        return x->u.b == y->u.b;
    case TL_TEXT:
        return same_str(x->u.text, y->u.text);
    case TL_NUM:
        return x->numkind == y->numkind && x->qual == y->qual && x->flags == y->flags &&
               x->mag == y->mag && same_str(x->unit, y->unit) &&
               memcmp(&x->u.num.coef, &y->u.num.coef, sizeof x->u.num.coef) == 0 &&
               x->u.num.scale == y->u.num.scale;
    }
    return false;
}

static bool same_eval(const ScoreEval *x, const ScoreEval *y)
{
    return same_value(&x->value, &y->value) && same_value(&x->target, &y->target) &&
           same_value(&x->weight, &y->weight) && same_value(&x->reported, &y->reported) &&
           same_value(&x->raw, &y->raw) && same_value(&x->score, &y->score) &&
           x->clamped == y->clamped && same_str(x->unverified, y->unverified);
}

static const char *compare(const ReportResult *x, const ReportResult *y, char *why, size_t n)
{
    if (!same_str(x->error, y->error))
        return "error";
    if (x->nind != y->nind || x->ngroups != y->ngroups || x->nchecks != y->nchecks)
        return "counts";
    for (int i = 0; i < x->nind; i++) {
        const ScoredIndicator *a = &x->ind[i], *b = &y->ind[i];
        if (!same_str(a->name, b->name) || !same_str(a->level1, b->level1) ||
            !same_str(a->level2, b->level2) || a->from_table != b->from_table ||
            !same_str(a->method, b->method) || !same_str(a->why, b->why) ||
            !same_str(a->formula, b->formula)) {
            snprintf(why, n, "indicator %d (%s): labels", i, a->name);
            return why;
        }
        if (!same_str(a->branch, b->branch)) {
            snprintf(why, n, "indicator %d (%s): branch %s / %s", i, a->name,
                     a->branch ? a->branch : "(none)", b->branch ? b->branch : "(none)");
            return why;
        }
        if (a->unverified != b->unverified || !same_str(a->unverified_why, b->unverified_why) ||
            !same_value(&a->lo, &b->lo) || !same_value(&a->hi, &b->hi)) {
            snprintf(why, n, "indicator %d (%s): unverified %s / %s", i, a->name,
                     a->unverified ? a->unverified_why : "no", b->unverified ? b->unverified_why : "no");
            return why;
        }
        if (a->scaled != b->scaled ||
            (a->scaled && (a->scaled_weight.coef != b->scaled_weight.coef ||
                           a->scaled_weight.scale != b->scaled_weight.scale ||
                           a->scaled_rate.coef != b->scaled_rate.coef ||
                           a->scaled_rate.scale != b->scaled_rate.scale))) {
            snprintf(why, n, "indicator %d (%s): weight x rate recorded differently", i, a->name);
            return why;
        }
        if (!same_eval(&a->eval, &b->eval)) {
            char r1[VAL_BUF], r2[VAL_BUF], s1[VAL_BUF], s2[VAL_BUF];
            val_format(&a->eval.raw, r1);
            val_format(&b->eval.raw, r2);
            val_format(&a->eval.score, s1);
            val_format(&b->eval.score, s2);
            snprintf(why, n, "indicator %d (%s): values: raw %s / %s, score %s / %s", i, a->name, r1,
                     r2, s1, s2);
            return why;
        }
    }
    for (int i = 0; i < x->ngroups; i++) {
        const ScoredGroup *a = &x->groups[i], *b = &y->groups[i];
        if (!same_str(a->name, b->name) || a->depth != b->depth ||
            dec_cmp(a->weight, b->weight) != 0 || !same_value(&a->rows_weight, &b->rows_weight) ||
            !same_value(&a->subtotal, &b->subtotal) || !same_value(&a->reported, &b->reported))
            return "groups";
    }
    for (int i = 0; i < x->nchecks; i++) {
        const ScoredCheck *a = &x->checks[i], *b = &y->checks[i];
        if (!same_str(a->name, b->name) || a->result != b->result || !same_value(&a->lhs, &b->lhs) ||
            !same_value(&a->rhs, &b->rhs))
            return "checks";
    }
    if (!same_value(&x->total, &y->total) || !same_value(&x->max_total, &y->max_total) ||
        !same_value(&x->stated_total, &y->stated_total) ||
        !same_value(&x->reported_sum, &y->reported_sum) || !same_str(x->grade, y->grade) ||
        !same_str(x->stated_grade, y->stated_grade) || !same_value(&x->total_min, &y->total_min) ||
        !same_value(&x->total_max, &y->total_max) || x->nunverified != y->nunverified ||
        !same_str(x->grade_min, y->grade_min) || !same_str(x->grade_max, y->grade_max))
        return "totals";
    if (x->findings.len != y->findings.len) {
        snprintf(why, n, "%zu findings / %zu", x->findings.len, y->findings.len);
        return why;
    }
    for (size_t i = 0; i < x->findings.len; i++) {
        const Finding *a = &x->findings.items[i], *b = &y->findings.items[i];
        if (a->kind != b->kind || !same_str(a->subject, b->subject) ||
            !same_str(a->message, b->message) || a->src != b->src || a->rule.start != b->rule.start ||
            a->rule.end != b->rule.end) {
            snprintf(why, n, "finding %zu: %s / %s", i, a->message, b->message);
            return why;
        }
    }
    return NULL;
}

/* One program ----------------------------------------------------------------------------- */

typedef struct Totals {
    int programs, rejected, compared_reports, compared_rows, replayed;
    size_t batch_scores;     /* indicator scores the JIT side took from batch kernels */
    size_t scoring_batch;    /* of those, in programs of score_ge and score_le rows */
    size_t deduct_batch;     /* of those, in programs of abs, deduct, over and under */
    size_t qual_batch;       /* of those, in programs of score_qual */
} Totals;

/* Seeds from here on generate score_ge/score_le programs (gen_scoring_program). */
#define SCORING_SEEDS 1000000u
#define DEDUCT_SEEDS 2000000u
#define QUAL_SEEDS 3000000u

static char cache_dir[256];

/* Generate program `seed`, compile it, score its data both ways; false on
 * a difference (after printing it). */
static bool run_seed(uint64_t seed, Totals *t, bool keep)
{
    Rng r = {seed * 0x9E3779B97F4A7C15ULL + 12345};
    Buf rules = {0}, data = {0};
    bool quals = seed >= QUAL_SEEDS;
    bool deducts = seed >= DEDUCT_SEEDS && !quals;
    bool scoring = seed >= SCORING_SEEDS && !deducts && !quals;
    bool table = scoring || quals || (!deducts && below(&r, 4) == 0);
    /* One program in eight runs into the interpreter's limits (64 calls
     * deep, 2000 levels, a million steps): few reports, each slow. */
    bool limits = !table && !deducts && seed % 8 == 0;
    int nreports = table ? 120 : limits ? 40 : 150;
    if (quals) {
        gen_qual_program(&r, &rules);
        gen_qual_data(&r, &data, nreports);
    } else if (deducts) {
        gen_deduct_program(&r, &rules, 4 + below(&r, 12));
        gen_deduct_data(&r, &data, nreports);
    } else if (scoring) {
        gen_scoring_program(&r, &rules);
        gen_scoring_data(&r, &data, nreports);
    } else if (!table && !limits && seed % 3 == 2) {
        gen_plain_program(&r, &rules, 4 + below(&r, 20));
        gen_plain_data(&r, &data, nreports);
    } else if (table) {
        gen_table_program(&r, &rules);
        gen_long_data(&r, &data, nreports);
    } else {
        gen_fixed_program(&r, &rules, 6 + below(&r, 30), limits);
        gen_wide_data(&r, &data, nreports);
    }
    if (keep) {
        char path[64];
        snprintf(path, sizeof path, "/tmp/jitdiff-%llu.tally", (unsigned long long)seed);
        FILE *f = fopen(path, "w");
        fputs(rules.s, f);
        fclose(f);
        snprintf(path, sizeof path, "/tmp/jitdiff-%llu.csv", (unsigned long long)seed);
        f = fopen(path, "w");
        fputs(data.s, f);
        fclose(f);
        printf("kept /tmp/jitdiff-%llu.tally and .csv\n", (unsigned long long)seed);
    }
    DiagList diags;
    diag_init(&diags);
    Program *p = program_compile("generated.tally", rules.s, rules.len, &diags);
    if (!p) {
        if (keep)
            diag_render_all(&diags, stdout, false);
        t->rejected++;
        diag_free(&diags);
        free(rules.s);
        free(data.s);
        return true;
    }
    diag_clear(&diags);
    /* Every third program at -O0, every other without the typed fast path. */
    JitOptions jo = {.cache_dir = cache_dir, .opt_level = seed % 3 == 0 ? 0 : -1,
                     .untyped = !scoring && !deducts && seed % 2 == 0, .native = seed % 5 == 4};
    char *why = NULL;
    JitProgram *jp = jit_compile(p, &jo, &why);
    if (!jp) {
        print_error("seed %llu: no compiled code: %s\n", (unsigned long long)seed, why);
        free(why);
        program_free(p);
        diag_free(&diags);
        free(rules.s);
        free(data.s);
        return false;
    }
    ReportSet set;
    reportset_init(&set);
    LoadOptions lo = {0};
    reportset_load_buffer(&set, table ? "data-long.csv" : "data-wide.csv", data.s, data.len, &lo, &diags);
    Arena a1, a2;
    arena_init(&a1);
    arena_init(&a2);
    Scorer s1, s2;
    ScoreOptions so = {.explain = false};
    scorer_init(&s1, p, &so, &a1);
    scorer_init(&s2, p, &so, &a2);
    scorer_set_jit(&s2, jp);
    if (seed % 4 == 1) {
        /* A low step limit (as the fuzzer sets it): reports stop part way, so
         * compiled code must count the interpreter's steps exactly - the
         * checks, interpreted afterwards, go on from its count. */
        s1.st.max_steps = s2.st.max_steps = 20 + (long)(seed * 7919 % 400);
    }
    bool ok = true;
    /* The compiled side scores ahead in columns (scorer_batch), in windows
     * of a few reports for some programs and as many as it takes for the
     * others. */
    size_t ahead_end = 0, window = seed % 3 == 0 ? set.len : 1 + seed % 7;
    for (size_t i = 0; i < set.len && ok; i++) {
        if (i >= ahead_end) {
            size_t n = set.len - i < window ? set.len - i : window;
            ahead_end = i + scorer_batch(&s2, &set.reports[i], n);
        }
        ReportResult x, y;
        DiagList d1, d2;
        diag_init(&d1);
        diag_init(&d2);
        score_report(&s1, &set.reports[i], &x, &d1);
        score_report(&s2, &set.reports[i], &y, &d2);
        char why_buf[1024];
        const char *diff = compare(&x, &y, why_buf, sizeof why_buf);
        if (!diff && d1.len != d2.len)
            diff = "data diagnostics";
        if (diff) {
            print_error("seed %llu, report %s: engines differ: %s\n(rerun with TALLY_DIFF_SEED=%llu)\n",
                        (unsigned long long)seed, set.reports[i].id, diff, (unsigned long long)seed);
            ok = false;
        }
        for (int k = 0; k < x.nind; k++)
            t->compared_rows++;
        for (size_t k = 0; k < x.findings.len; k++)
            if (x.findings.items[k].kind == F_OVERFLOW &&
                (strstr(x.findings.items[k].message, "deep") ||
                 strstr(x.findings.items[k].message, "steps"))) {
                t->replayed++;
                break;
            }
        t->compared_reports++;
        result_free(&x);
        result_free(&y);
        diag_free(&d1);
        diag_free(&d2);
        arena_free(&a1);
        arena_init(&a1);
        arena_free(&a2);
        arena_init(&a2);
    }
    t->batch_scores += s2.batch_scores;
    if (scoring)
        t->scoring_batch += s2.batch_scores;
    if (deducts)
        t->deduct_batch += s2.batch_scores;
    if (quals)
        t->qual_batch += s2.batch_scores;
    scorer_free(&s1);
    scorer_free(&s2);
    arena_free(&a1);
    arena_free(&a2);
    reportset_free(&set);
    jit_free(jp);
    program_free(p);
    diag_free(&diags);
    free(rules.s);
    free(data.s);
    t->programs++;
    return ok;
}

static void test_engines_agree(void **state)
{
    (void)state;
    const char *one = getenv("TALLY_DIFF_SEED");
    const char *lng = getenv("TALLY_DIFF_LONG");
    int nprograms = lng && *lng == '1' ? 400 : 40;
    snprintf(cache_dir, sizeof cache_dir, "/tmp/tally-jitdiff-XXXXXX");
    assert_non_null(mkdtemp(cache_dir));

    /* Can this machine compile at all? */
    DiagList diags;
    diag_init(&diags);
    Program *probe = program_compile("probe.tally", "indicator x weight 1 { score 1 }", 32, &diags);
    assert_non_null(probe);
    JitOptions jo = {.cache_dir = cache_dir, .opt_level = -1};
    char *why = NULL;
    JitProgram *jp = jit_compile(probe, &jo, &why);
    if (!jp) {
        printf("SKIPPED: libgccjit cannot compile here: %s\n", why);
        free(why);
        program_free(probe);
        diag_free(&diags);
        skip();
    }
    jit_free(jp);
    program_free(probe);
    diag_free(&diags);

    Totals t = {0};
    bool ok = true;
    if (one) {
        ok = run_seed(strtoull(one, NULL, 10), &t, true);
    } else {
        for (int i = 0; i < nprograms; i++)
            ok &= run_seed((uint64_t)i + 1, &t, false);
        for (int i = 0; i < nprograms / 2; i++)
            ok &= run_seed((uint64_t)SCORING_SEEDS + (uint64_t)i, &t, false);
        for (int i = 0; i < nprograms / 2; i++)
            ok &= run_seed((uint64_t)DEDUCT_SEEDS + (uint64_t)i, &t, false);
        for (int i = 0; i < nprograms / 4; i++)
            ok &= run_seed((uint64_t)QUAL_SEEDS + (uint64_t)i, &t, false);
    }
    printf("jit-diff: %d programs compiled and compared (%d generated programs refused by the "
           "checker), %d reports, %d scored indicators and rows, %d reports stopped at a limit "
           "(scored again by the interpreter), %zu indicator scores from batch kernels (%zu of "
           "score_ge/score_le rows, %zu of abs/deduct/over/under, %zu of score_qual rows)\n",
           t.programs, t.rejected, t.compared_reports, t.compared_rows, t.replayed, t.batch_scores,
           t.scoring_batch, t.deduct_batch, t.qual_batch);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", cache_dir);
    if (system(cmd) != 0)
        printf("could not remove %s\n", cache_dir);
    assert_true(ok);
    assert_true(t.programs >= (one ? 1 : nprograms / 2));
    if (!one)
        assert_true(t.batch_scores > 0); /* the columnar path was compared too */
    if (!one)
        assert_true(t.scoring_batch > 0); /* and row kernels of score_ge/score_le */
    if (!one)
        assert_true(t.deduct_batch > 0); /* and kernels of abs, deduct, over and under */
    if (!one)
        assert_true(t.qual_batch > 0); /* and score_qual's row kernel */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_engines_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
