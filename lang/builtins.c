/* builtins.c - the built-in functions of the rule language.
 *
 * Shared by the interpreter and compiled code, so there is one definition
 * of every built-in.  Every function is total: bad input yields missing
 * and a finding, never a crash or a wrong number.
 */
#include "builtins.h"

#include <stdlib.h>
#include <string.h>

#include "grammar/ast.h"
#include "lang/base/l10n.h"
#include "lang/base/text.h"
#include "operators.h"

static const Builtin builtins[] = {
    {BI_MIN, "min", 2, -1, "min(a, b, ...)", "the smallest argument"},
    {BI_MAX, "max", 2, -1, "max(a, b, ...)", "the largest argument"},
    {BI_CLAMP, "clamp", 3, 3, "clamp(x, lo, hi)", "x limited to [lo, hi]"},
    {BI_ABS, "abs", 1, 1, "abs(x)", "absolute value"},
    {BI_ROUND, "round", 1, 2, "round(x, places)", "round half away from zero (places 0 by default)"},
    {BI_CEIL, "ceil", 1, 2, "ceil(x, places)", "round up (towards +infinity)"},
    {BI_FLOOR, "floor", 1, 2, "floor(x, places)", "round down (towards -infinity)"},
    {BI_IS_MISSING, "is_missing", 1, 1, "is_missing(x)", "true when x is missing"},
    {BI_DEFAULT, "default", 2, 2, "default(x, d)", "x, or d when x is missing"},
    {BI_NUM, "num", 1, 1, "num(cell)", "the number of a cell without its unit (15人 -> 15, 90% -> 0.9)"},
    {BI_UNIT, "unit", 1, 1, "unit(cell)", "the unit of a cell as text (\"人\", \"万元\", \"%\")"},
    {BI_TEXT, "text", 1, 1, "text(cell)", "a cell as text"},
    {BI_QUAL, "qual", 1, 1, "qual(cell)", "the qualifier of a cell (\"≥\", \"≤\", \"=\", or \"\")"},
    {BI_IS_TEXT, "is_text", 1, 1, "is_text(cell)", "true when a cell holds text, not a number"},
    {BI_RATIO_CAPPED, "ratio_capped", 2, 2, "ratio_capped(target, actual)",
     "actual / target capped at 1 (target 0: 1 when actual >= 0)"},
    {BI_INVERSE_RATIO, "inverse_ratio", 2, 2, "inverse_ratio(target, actual)",
     "target / actual capped at 1: lower is better"},
    {BI_LINEAR_TO_ZERO, "linear_to_zero", 2, 2, "linear_to_zero(target, actual)",
     "1 up to the target, falling linearly to 0 at twice the target"},
    {BI_SCORE_GE, "score_ge", 3, 5, "score_ge(target, actual, weight[, overshoot, penalty])",
     "positive indicator: full marks when actual >= target, else weight * actual / target"},
    {BI_SCORE_LE, "score_le", 3, 4, "score_le(target, actual, weight[, linear2x|inverse])",
     "cost indicator: full marks when actual <= target, then linear to 0 at 2x target or target/actual"},
    {BI_SCORE_EQ, "score_eq", 3, 5, "score_eq(target, actual, weight[, tolerance, ge_like|strict])",
     "exact-target indicator"},
    {BI_SCORE_QUAL, "score_qual", 4, 5, "score_qual(target, actual, weight, reported[, cz2020|hubei2020])",
     "qualitative indicator: 达成 full marks; other levels keep a self-awarded score inside their band"},
    {BI_QUAL_LEVEL, "qual_level", 2, 2, "qual_level(target, actual)",
     "达成, 部分达成, 未达成 or unknown"},
    {BI_EXEC_RATE, "exec_rate", 2, 2, "exec_rate(budget, spent)", "spent / budget"},
    {BI_SCORE_EXEC, "score_exec", 3, 5, "score_exec(budget, spent, weight[, per, step])",
     "budget execution: weight * min(1, rate), or per points off for each step below 100%"},
    {BI_DEDUCT, "deduct", 3, 4, "deduct(base, per, units[, floor])",
     "base - per * units, not below floor (0): 扣完为止"},
    {BI_OVER, "over", 3, 4, "over(value, standard, step[, exact|up|down])",
     "how many steps value is above standard (0 when not above)"},
    {BI_UNDER, "under", 3, 4, "under(value, standard, step[, exact|up|down])",
     "how many steps value is below standard (0 when not below)"},
    {BI_CHANGE_RATE, "change_rate", 2, 2, "change_rate(current, previous)",
     "(current - previous) / previous"},
};

static const char *mode_words[] = {
    "linear2x", "inverse", "ge_like", "strict", "cz2020", "hubei2020", "exact", "up", "down",
    "zero", "exclude", NULL,
};

const Builtin *builtin_find(const char *name)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (strcmp(builtins[i].name, name) == 0)
            return &builtins[i];
    return NULL;
}

const Builtin *builtin_at(int i)
{
    return i >= 0 && (size_t)i < sizeof builtins / sizeof builtins[0] ? &builtins[i] : NULL;
}

bool builtin_is_mode_word(const char *name)
{
    for (int i = 0; mode_words[i]; i++)
        if (strcmp(mode_words[i], name) == 0)
            return true;
    return false;
}

const char *builtin_mode_word(int i)
{
    return i >= 0 && (size_t)i < sizeof mode_words / sizeof mode_words[0] ? mode_words[i] : NULL;
}

/* Explanation lines cost formatting of their arguments: only with --explain. */
#define EXPLAIN(env, ...)                  \
    do {                                   \
        if ((env)->explain)                \
            explain_add((env), __VA_ARGS__); \
    } while (0)

static TlValue plain(TlDec d)
{
    TlValue v = val_num(d);
    v.numkind = NUM_PLAIN;
    return v;
}

/* Helpers for the scoring built-ins ----------------------------------------- */

static bool num_args(EvalEnv *env, const Builtin *b, const TlValue *args, int n, Span at)
{
    for (int i = 0; i < n; i++)
        if (args[i].kind != TL_NUM) {
            if (args[i].kind != TL_MISSING)
                env_raise(env, F_TYPE, at, _("%s needs numbers, but argument %d is %s"), b->name,
                          i + 1, env_show(&args[i], 0));
            return false;
        }
    return true;
}

static const char *mode_of(const TlValue *args, int n, int i, const char *dflt)
{
    return i < n && args[i].kind == TL_TEXT ? args[i].u.text : dflt;
}

static TlDec d_zero(void) { return dec_from_int(0); }
static TlDec d_one(void) { return dec_from_int(1); }

static TlDec dmin(TlDec a, TlDec b) { return dec_cmp(a, b) <= 0 ? a : b; }
static TlDec dmax(TlDec a, TlDec b) { return dec_cmp(a, b) >= 0 ? a : b; }

/* " (the cell holds #DIV/0!: a division by zero in the spreadsheet)" for a
 * missing value that was a spreadsheet error, else "". */
static const char *missing_cause(EvalEnv *env, const TlValue *v)
{
    if ((v->flags & VAL_UNREADABLE) && v->u.text)
        return arena_printf(env->arena, _(" (%s)"), v->u.text);
    if (!(v->flags & VAL_CELL_ERROR) || !v->u.text)
        return "";
    const char *meaning = cell_error_meaning(v->u.text);
    return arena_printf(env->arena, _(" (the cell holds %s: %s)"), v->u.text,
                        meaning ? meaning : _("an error"));
}

static bool dimensionless(const TlValue *v)
{
    return v->kind == TL_NUM && v->numkind != NUM_QUANTITY;
}

/* A bare number beside a quantity is in the quantity's unit, as any reader
 * takes it: 735 against ≥735人次 is 735人次 (N_UNIT_ASSUMED).  A number
 * written with a magnitude alone (1234.56万) is already that many 元 (or 人):
 * it only takes the base unit.  False when the value cannot be held. */
static bool adopt_unit(EvalEnv *env, TlValue *bare, const TlValue *q, bool is_actual, Span at)
{
    TlValue was = *bare;
    if (!bare->mag && !value_magnify(bare->u.num, q->mag, &bare->u.num))
        return false;
    if (!was.mag)
        bare->mag = q->mag;
    bare->numkind = NUM_QUANTITY;
    bare->unit = q->unit;
    char a[VAL_BUF], b[VAL_BUF];
    val_format(&was, a);
    val_format(bare, b);
    env_raise(env, F_UNIT_ASSUMED, at, _("the %s %s has no unit: read as %s, in the unit of the %s"),
              is_actual ? _("actual") : _("target"), a, b, is_actual ? _("target") : _("actual"));
    return true;
}

/* An actual that is a bound, not a measurement: ≥80%, <5万元. */
static bool is_bound(const TlValue *v)
{
    return v->kind == TL_NUM &&
           (v->qual == QUAL_GE || v->qual == QUAL_GT || v->qual == QUAL_LE || v->qual == QUAL_LT);
}

static bool bound_up(const TlValue *v) { return v->qual == QUAL_GE || v->qual == QUAL_GT; }

/* An actual that only restates a threshold: met for sure when the bound
 * lies on the right side of the target (W_THRESHOLD_ONLY, full marks, true);
 * otherwise the result cannot be told (unverified, false). */
static bool threshold_met(EvalEnv *env, const TlValue *t, const TlValue *a, bool met, Span at)
{
    if (met) {
        env_raise(env, F_THRESHOLD_ONLY, at,
                  _("the actual %s only restates a threshold: the target %s is met for sure, but no "
                  "result was measured"), env_show(a, 0), env_show(t, 1));
        env->branch = N_("threshold restated: met for sure");
        EXPLAIN(env, _("actual %s is a bound on the right side of target %s: met"), env_show(a, 0),
                env_show(t, 1));
        return true;
    }
    env_raise(env, F_THRESHOLD_ONLY, at,
              _("the actual %s only gives a bound: whether the target %s was met cannot be told"),
              env_show(a, 0), env_show(t, 1));
    env_unverified(env, _("the actual %s is a bound, not a result"), env_show(a, 0));
    env->branch = N_("threshold restated: cannot tell");
    EXPLAIN(env, _("actual %s is only a bound: no score"), env_show(a, 0));
    return false;
}

/* A ratio of actual to target outside [0.1%, 1000%] is more often a slip of
 * magnitude (元 for 万元, 85 for 85%) than a result: W_MAGNITUDE. */
static void check_magnitude(EvalEnv *env, const TlValue *t, const TlValue *a, Span at)
{
    TlDec r;
    if (t->u.num.coef <= 0 || a->u.num.coef <= 0)
        return;
    /* dec_div's first way, 10 places, decided without dividing (issue 16:
     * once a row): r = A / T rounded half away from zero, A = a.coef x
     * 10^e, T = t.coef, lies in [0.001, 10] when 2A >= (2 x 10^7 - 1) T and
     * 2A < (2 x 10^11 + 1) T; a quotient beyond 64 bits (dec_div then tries
     * fewer places) is above 10 either way.  The same kernels' test
     * (runtime/jit/gen_typed.c kratio_within). */
    _Static_assert(DEC_DIV_SCALE == 10, "the bounds below are 0.001 and 10 at 10 places");
    static const int64_t pow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
                                    1000000000, 10000000000, 100000000000, 1000000000000,
                                    10000000000000, 100000000000000, 1000000000000000,
                                    10000000000000000, 100000000000000000, 1000000000000000000};
    int e = DEC_DIV_SCALE - a->u.num.scale + t->u.num.scale;
    if (e >= 0 && e <= 18) {
        __int128 a2 = (__int128)a->u.num.coef * pow10[e] * 2, tc = t->u.num.coef;
        if (a2 >= (2 * 10000000LL - 1) * tc && a2 < (2 * 100000000000LL + 1) * tc)
            return;
    }
    if (!dec_div(a->u.num, t->u.num, &r))
        return;
    bool low = dec_cmp(r, dec_make(1, 3)) < 0, high = dec_cmp(r, dec_from_int(10)) > 0;
    if (!low && !high)
        return;
    TlValue pct = plain(dec_round(r, low ? 8 : 2));
    pct.numkind = NUM_PERCENT;
    env_raise(env, F_MAGNITUDE, at,
              _("the actual %s is %s of the target %s: is one of them in the wrong magnitude or unit "
              "(元 for 万元, 85 for 85%%)?"), env_show(a, 0), env_show(&pct, 1), env_show(t, 2));
}

/* Target and actual of a scoring built-in: both present, numbers, in units
 * that can be compared (a plain number and a percentage can, §6; a bare
 * number takes the other side's unit).  Raises the finding, says why the
 * score cannot be verified and returns false otherwise. */
static bool target_actual(EvalEnv *env, const Builtin *b, TlValue *t, TlValue *a, Span at)
{
    /* An unreadable cell is already a finding of its own (E_BAD_CELL). */
    if (t->kind == TL_MISSING) {
        const char *cause = missing_cause(env, t);
        if (!(t->flags & VAL_UNREADABLE))
            env_raise(env, F_MISSING_TARGET, at, _("%s: the target is missing%s"), b->name, cause);
        env_unverified(env, t->flags & VAL_UNREADABLE ? _("target unreadable%s") : _("target missing%s"), cause);
        env->branch = N_("target missing: no score");
        return false;
    }
    if (a->kind == TL_MISSING) {
        const char *cause = missing_cause(env, a);
        if (!(a->flags & VAL_UNREADABLE))
            env_raise(env, F_MISSING_ACTUAL, at, _("%s: the actual value is missing%s"), b->name, cause);
        env_unverified(env, a->flags & VAL_UNREADABLE ? _("actual unreadable%s") : _("actual missing%s"), cause);
        env->branch = N_("actual missing: no score");
        return false;
    }
    if (t->kind != TL_NUM || a->kind != TL_NUM) {
        env_raise(env, F_TYPE, at, _("%s needs a numeric target and actual, got %s and %s"), b->name,
                  env_show(t, 0), env_show(a, 1));
        env_unverified(env, _("target %s and actual %s are not both numbers"), env_show(t, 0),
                       env_show(a, 1));
        return false;
    }
    if (t->numkind == NUM_QUANTITY && a->numkind == NUM_PLAIN && !adopt_unit(env, a, t, true, at))
        return false;
    if (a->numkind == NUM_QUANTITY && t->numkind == NUM_PLAIN && !adopt_unit(env, t, a, false, at))
        return false;
    UnitCompat u = dimensionless(t) && dimensionless(a) ? UNIT_SAME : unit_compat(t, a);
    switch (u) {
    case UNIT_SAME:
        check_magnitude(env, t, a, at);
        return true;
    case UNIT_COUNT_WORDS:
        env_raise(env, F_UNIT_WORDS, at, _("target %s and actual %s count with different words"),
                  env_show(t, 0), env_show(a, 1));
        check_magnitude(env, t, a, at);
        return true;
    case UNIT_INCOMPATIBLE:
        break;
    }
    env_raise(env, F_UNIT_MISMATCH, at, _("target %s and actual %s are in incompatible units"),
              env_show(t, 0), env_show(a, 1));
    env_unverified(env, _("target %s and actual %s are in incompatible units"), env_show(t, 0),
                   env_show(a, 1));
    env->branch = N_("units incompatible: no score");
    EXPLAIN(env, _("target %s and actual %s cannot be compared: no score"), env_show(t, 0),
            env_show(a, 1));
    return false;
}

/* The scoring built-ins record what they multiplied, for the rounding-aware
 * audit (score.c): a score that is weight x rate. */
static TlValue recorded(EvalEnv *env, TlValue v, TlDec w, TlDec num, TlDec den)
{
    TlDec rate;
    env->scaled = v.kind == TL_NUM && !dec_is_zero(den) && dec_div(num, den, &rate);
    if (env->scaled) {
        env->scaled_result = v;
        env->scaled_weight = w;
        env->scaled_rate = rate;
    }
    return v;
}

static TlValue scaled(EvalEnv *env, TlDec w, TlDec ratio, Span at)
{
    TlDec r;
    if (!dec_mul(w, ratio, &r)) {
        env_raise(env, F_OVERFLOW, at, _("score overflow"));
        return val_missing();
    }
    return plain(r);
}

/* weight x num / den with one rounding: the exact product first, then the
 * quotient at 10 places (docs/numbers.md), so that 3 x 599 / 600 is exactly
 * 2.995; if the product cannot be held, weight x (num / den).  Missing,
 * with E_OVERFLOW, when neither fits. */
static TlValue scaled_ratio(EvalEnv *env, TlDec w, TlDec num, TlDec den, Span at)
{
    TlDec p, r;
    if (dec_mul(w, num, &p) && dec_div(p, den, &r))
        return plain(r);
    if (dec_div(num, den, &p) && dec_mul(w, p, &r))
        return plain(r);
    env_raise(env, F_OVERFLOW, at, _("score overflow"));
    return val_missing();
}

/* actual / target, or false (with a finding) on overflow. */
static bool ratio_of(EvalEnv *env, TlDec a, TlDec t, TlDec *out, Span at)
{
    if (dec_div(a, t, out))
        return true;
    env_raise(env, F_OVERFLOW, at, _("ratio overflow"));
    return false;
}

static TlValue score_ge(EvalEnv *env, const Builtin *b, const TlValue *args, int n, Span at)
{
    TlValue t = args[0], a = args[1], w = args[2];
    if (!target_actual(env, b, &t, &a, at) || !num_args(env, b, &w, 1, at))
        return val_missing();
    TlDec T = t.u.num, A = a.u.num, W = w.u.num;
    if (dec_sign(T) < 0) {
        env_raise(env, F_BAD_TARGET, at, _("the target %s is negative"), env_show(&t, 0));
        env_unverified(env, _("the target %s is negative"), env_show(&t, 0));
        return val_missing();
    }
    if (dec_sign(A) < 0) {
        EXPLAIN(env, _("actual %s is negative: counted as 0"), env_show(&a, 0));
        A = d_zero();
    }
    if (dec_is_zero(T)) {
        env_raise(env, F_TRIVIAL_TARGET, at, _("the target is 0: any result meets it"));
        env->branch = N_("target 0: full marks");
        EXPLAIN(env, _("target is 0: full marks %s"), env_show_dec(W, 0));
        return plain(W);
    }
    if (is_bound(&a))
        return threshold_met(env, &t, &a, bound_up(&a) && dec_cmp(A, T) >= 0, at) ? plain(W)
                                                                                 : val_missing();
    if (dec_cmp(A, T) >= 0) {
        env->branch = N_("target met: full marks");
        EXPLAIN(env, _("actual %s >= target %s: full marks %s"), env_show(&a, 0), env_show(&t, 1),
                    env_show_dec(W, 2));
        if (n > 3 && args[3].kind == TL_NUM) {
            TlDec dev, theta = args[3].u.num;
            if (dec_sub(A, T, &dev) && dec_div(dev, T, &dev) && dec_cmp(dev, theta) > 0) {
                TlValue devp = plain(dec_round(dev, 4)), thp = plain(theta);
                devp.numkind = thp.numkind = NUM_PERCENT;
                env_raise(env, F_OVERSHOOT, at,
                          _("actual %s is %s above target %s (more than %s): was the target set too low?"),
                          env_show(&a, 0), env_show(&devp, 1), env_show(&t, 2), env_show(&thp, 3));
                if (n > 4 && args[4].kind == TL_NUM) {
                    TlDec excess, cut, keep;
                    if (dec_sub(dev, theta, &excess) && dec_mul(excess, args[4].u.num, &cut) &&
                        dec_sub(d_one(), cut, &keep)) {
                        keep = dmax(d_zero(), keep);
                        env->branch = N_("over-achievement penalty");
                        EXPLAIN(env, _("over-achievement penalty: weight x %s"),
                                env_show_dec(keep, 0));
                        return scaled(env, W, keep, at);
                    }
                }
            }
        }
        return plain(W);
    }
    env->branch = N_("below target: weight x actual / target");
    EXPLAIN(env, _("actual %s < target %s: weight %s x %s / %s"), env_show(&a, 0), env_show(&t, 1),
                env_show_dec(W, 2), env_show(&a, 3), env_show(&t, 1));
    return recorded(env, scaled_ratio(env, W, A, T, at), W, A, T);
}

static TlValue score_le(EvalEnv *env, const Builtin *b, const TlValue *args, int n, Span at)
{
    TlValue t = args[0], a = args[1], w = args[2];
    const char *mode = mode_of(args, n, 3, "linear2x");
    if (!target_actual(env, b, &t, &a, at) || !num_args(env, b, &w, 1, at))
        return val_missing();
    TlDec T = t.u.num, A = a.u.num, W = w.u.num;
    if (dec_sign(T) < 0) {
        env_raise(env, F_BAD_TARGET, at, _("the target %s is negative"), env_show(&t, 0));
        env_unverified(env, _("the target %s is negative"), env_show(&t, 0));
        return val_missing();
    }
    if (dec_sign(A) < 0)
        A = d_zero();
    if (is_bound(&a))
        return threshold_met(env, &t, &a, !bound_up(&a) && dec_cmp(A, T) <= 0, at) ? plain(W)
                                                                                  : val_missing();
    if (dec_cmp(A, T) <= 0) {
        env->branch = N_("within target: full marks");
        EXPLAIN(env, _("actual %s <= target %s: full marks %s"), env_show(&a, 0), env_show(&t, 1),
                    env_show_dec(W, 2));
        return plain(W);
    }
    if (dec_is_zero(T)) {
        env->branch = N_("target 0 exceeded: 0");
        EXPLAIN(env, _("target 0 exceeded (actual %s): 0"), env_show(&a, 0));
        return plain(d_zero());
    }
    if (strcmp(mode, "inverse") == 0) {
        env->branch = N_("over target: weight x target / actual");
        EXPLAIN(env, _("actual %s > target %s, inverse ratio: weight %s x %s / %s"), env_show(&a, 0),
                    env_show(&t, 1), env_show_dec(W, 2), env_show(&t, 1), env_show(&a, 0));
        return recorded(env, scaled_ratio(env, W, T, A, at), W, T, A);
    }
    TlDec twice;
    if (!dec_add(T, T, &twice)) {
        env_raise(env, F_OVERFLOW, at, _("target overflow"));
        return val_missing();
    }
    if (dec_cmp(A, twice) >= 0) {
        env->branch = N_("twice the target or more: 0");
        EXPLAIN(env, _("actual %s >= twice the target %s: 0"), env_show(&a, 0), env_show(&t, 1));
        return plain(d_zero());
    }
    /* W x (1 - (A - T) / T) = W x (2T - A) / T, the product first */
    TlDec left;
    if (!dec_sub(twice, A, &left)) {
        env_raise(env, F_OVERFLOW, at, _("target overflow"));
        return val_missing();
    }
    env->branch = N_("over target: linear to 0 at twice the target");
    EXPLAIN(env, _("actual %s > target %s, linear to 0 at 2x: weight %s x (1 - (%s - %s) / %s)"),
            env_show(&a, 0), env_show(&t, 1), env_show_dec(W, 2), env_show(&a, 0), env_show(&t, 1),
            env_show(&t, 1));
    return recorded(env, scaled_ratio(env, W, left, T, at), W, left, T);
}

static TlValue score_eq(EvalEnv *env, const Builtin *b, const TlValue *args, int n, Span at)
{
    TlValue t = args[0], a = args[1], w = args[2];
    TlDec tol = n > 3 && args[3].kind == TL_NUM ? args[3].u.num : d_zero();
    const char *mode = mode_of(args, n, 4, "ge_like");
    if (!target_actual(env, b, &t, &a, at) || !num_args(env, b, &w, 1, at))
        return val_missing();
    TlDec T = t.u.num, A = a.u.num, W = w.u.num, diff;
    if (dec_sign(T) < 0) {
        env_raise(env, F_BAD_TARGET, at, _("the target %s is negative"), env_show(&t, 0));
        env_unverified(env, _("the target %s is negative"), env_show(&t, 0));
        return val_missing();
    }
    if (dec_sign(A) < 0)
        A = d_zero(); /* S4: a negative actual counts as 0 */
    if (is_bound(&a)) /* like >= (ge_like): a bound at or above the target meets it */
        return threshold_met(env, &t, &a,
                             strcmp(mode, "strict") != 0 && bound_up(&a) && dec_cmp(A, T) >= 0, at)
                   ? plain(W)
                   : val_missing();
    if (!dec_sub(A, T, &diff)) {
        env_raise(env, F_OVERFLOW, at, _("difference overflow"));
        return val_missing();
    }
    if (dec_cmp(dec_abs_unchecked(diff), tol) <= 0) {
        env->branch = N_("equal to target: full marks");
        EXPLAIN(env, _("actual %s = target %s (within %s): full marks %s"), env_show(&a, 0),
                    env_show(&t, 1), env_show_dec(tol, 2), env_show_dec(W, 3));
        return plain(W);
    }
    if (dec_is_zero(T)) {
        env->branch = N_("target 0 not met: 0");
        EXPLAIN(env, _("target 0 not met (actual %s): 0"), env_show(&a, 0));
        return plain(d_zero());
    }
    if (strcmp(mode, "strict") == 0) {
        /* W x max(0, 1 - |A - T| / |T|) = W x max(0, |T| - |A - T|) / |T| */
        TlDec left;
        if (!dec_sub(dec_abs_unchecked(T), dec_abs_unchecked(diff), &left)) {
            env_raise(env, F_OVERFLOW, at, _("difference overflow"));
            return val_missing();
        }
        env->branch = N_("differs from target: weight x (1 - |A - T| / |T|)");
        EXPLAIN(env, _("actual %s differs from target %s: weight x (1 - |A - T| / |T|)"),
                    env_show(&a, 0), env_show(&t, 1));
        left = dmax(d_zero(), left);
        return recorded(env, scaled_ratio(env, W, left, dec_abs_unchecked(T), at), W, left,
                        dec_abs_unchecked(T));
    }
    if (dec_sign(diff) > 0) {
        env->branch = N_("above target: full marks");
        EXPLAIN(env, _("actual %s above target %s (scored like >=): full marks %s"), env_show(&a, 0),
                    env_show(&t, 1), env_show_dec(W, 2));
        return plain(W);
    }
    env->branch = N_("below target: weight x actual / target");
    EXPLAIN(env, _("actual %s below target %s: weight x actual / target"), env_show(&a, 0),
            env_show(&t, 1));
    return recorded(env, scaled_ratio(env, W, A, T, at), W, A, T);
}

/* Qualitative levels (docs/language.md §7.4): the order of the tests matters.
 * The words are the program's (`words achieved`, ..., vocab.h). */
static bool has_digit(const char *s)
{
    for (; *s; s++)
        if (*s >= '0' && *s <= '9')
            return true;
    return false;
}

/* A target that cannot be measured: text of the vague words, no figure;
 * ts is t formatted and stripped of spaces. */
static bool vague_target(const Vocab *v, const TlValue *t, const char *ts)
{
    return t->kind == TL_TEXT && !has_digit(ts) && vocab_contains(v, VOCAB_VAGUE, ts);
}

bool builtin_qual_vague(const Vocab *v, const TlValue *t)
{
    if (t->kind != TL_TEXT)
        return false;
    char tb[VAL_BUF];
    val_format(t, tb);
    char *ts = text_strip_space(tb, strlen(tb));
    bool vague = vague_target(v, t, ts);
    free(ts);
    return vague;
}

/* F_NON_MEASURABLE for the target ts (formatted, stripped), once a subject. */
static void raise_vague(EvalEnv *env, const char *ts, Span at)
{
    if (env->findings && !findings_has(env->findings, F_NON_MEASURABLE, env->subject))
        env_raise(env, F_NON_MEASURABLE, at, _("the target '%s' cannot be measured"), ts);
}

void builtin_qual_raise_vague(EvalEnv *env, const TlValue *t, Span at)
{
    char tb[VAL_BUF];
    val_format(t, tb);
    char *ts = text_strip_space(tb, strlen(tb));
    if (vague_target(env->vocab, t, ts))
        raise_vague(env, ts, at);
    free(ts);
}

unsigned builtin_qual_words(const Vocab *v, const TlValue *text)
{
    if (text->kind != TL_TEXT || !text->u.text)
        return 0;
    char tb[VAL_BUF];
    int n = val_format(text, tb);
    char *ts = text_strip_space(tb, strlen(tb));
    unsigned w = (vocab_has_stripped(v, VOCAB_YES, ts) ? BUILTIN_QW_YES : 0) |
                 (vocab_has_stripped(v, VOCAB_NO, ts) ? BUILTIN_QW_NO : 0) |
                 (vocab_has_stripped(v, VOCAB_ACHIEVED, ts) ? BUILTIN_QW_ACHIEVED : 0) |
                 (vocab_has_stripped(v, VOCAB_PARTLY, ts) ? BUILTIN_QW_PARTLY : 0) |
                 (vocab_has_stripped(v, VOCAB_NOT_ACHIEVED, ts) ? BUILTIN_QW_NOT : 0) |
                 (vague_target(v, text, ts) ? BUILTIN_QW_VAGUE : 0) |
                 (n >= 0 && (size_t)n < VAL_BUF - 1 && strcmp(ts, text->u.text) == 0 ? BUILTIN_QW_AS_WRITTEN : 0);
    free(ts);
    return w;
}

int builtin_qual_level(unsigned tw, unsigned aw, bool same)
{
    bool ay = aw & BUILTIN_QW_YES, an = aw & BUILTIN_QW_NO, ty = tw & BUILTIN_QW_YES, tn = tw & BUILTIN_QW_NO;
    if (same)
        return BUILTIN_LEVEL_MET;
    if ((ay || an) && (ty || tn))
        return ay == ty ? BUILTIN_LEVEL_MET : BUILTIN_LEVEL_NOT;
    if (ay || (aw & BUILTIN_QW_ACHIEVED))
        return BUILTIN_LEVEL_MET;
    if (aw & BUILTIN_QW_PARTLY)
        return BUILTIN_LEVEL_PARTLY;
    if (an || (aw & BUILTIN_QW_NOT))
        return BUILTIN_LEVEL_NOT;
    return 0;
}

static const char *qual_level(EvalEnv *env, const TlValue *t, const TlValue *a, Span at)
{
    const Vocab *v = env->vocab;
    char tb[VAL_BUF], ab[VAL_BUF];
    val_format(t, tb);
    val_format(a, ab);
    char *ts = text_strip_space(tb, strlen(tb)), *as = text_strip_space(ab, strlen(ab));
    const char *level = "unknown";
    bool ay = vocab_has_stripped(v, VOCAB_YES, as), an = vocab_has_stripped(v, VOCAB_NO, as);
    bool ty = vocab_has_stripped(v, VOCAB_YES, ts), tn = vocab_has_stripped(v, VOCAB_NO, ts);
    if (a->kind == TL_MISSING)
        level = "unknown";
    else if (t->kind != TL_MISSING && strcmp(ts, as) == 0)
        level = "达成";
    else if ((ay || an) && (ty || tn)) /* 是 against √, 否 against ×: the same answer */
        level = ay == ty ? "达成" : "未达成";
    else if (ay || vocab_has_stripped(v, VOCAB_ACHIEVED, as))
        level = "达成";
    else if (vocab_has_stripped(v, VOCAB_PARTLY, as))
        level = "部分达成";
    else if (an || vocab_has_stripped(v, VOCAB_NOT_ACHIEVED, as))
        level = "未达成";
    if (vague_target(v, t, ts))
        raise_vague(env, ts, at);
    if (strcmp(level, "unknown") == 0) {
        if (a->kind == TL_MISSING) {
            env_unverified(env, _("actual missing%s"), missing_cause(env, a));
        } else {
            if (env->findings && !findings_has(env->findings, F_QUAL_UNKNOWN, env->subject))
                env_raise(env, F_QUAL_UNKNOWN, at,
                          _("'%s' is not a level word the rules know: add it to words achieved, "
                          "partly_achieved or not_achieved in the rule file"), as);
            env_unverified(env, _("'%s' is not a known level word"), as);
        }
    }
    free(ts);
    free(as);
    return level;
}

static TlValue score_qual(EvalEnv *env, const Builtin *b, const TlValue *args, int n, Span at)
{
    const TlValue *t = &args[0], *a = &args[1], *w = &args[2], *rep = &args[3];
    const char *scheme = mode_of(args, n, 4, "cz2020");
    if (!num_args(env, b, w, 1, at))
        return val_missing();
    if (a->kind == TL_MISSING) {
        const char *cause = missing_cause(env, a);
        env_raise(env, F_MISSING_ACTUAL, at, _("%s: the actual result is missing%s"), b->name, cause);
        env_unverified(env, _("actual missing%s"), cause);
        return val_missing();
    }
    const char *level = qual_level(env, t, a, at);
    TlDec W = w->u.num, lo, hi, zero = d_zero();
    TlDec top = dec_make(8, 1), mid = strcmp(scheme, "hubei2020") == 0 ? dec_make(5, 1) : dec_make(6, 1);
    bool hi_open = true;
    if (strcmp(level, "达成") == 0) {
        env->branch = BUILTIN_BRANCH_QUAL_MET;
        EXPLAIN(env, _("qualitative: '%s' against '%s' is 达成: full marks %s"), env_show(a, 0),
                    env_show(t, 1), env_show_dec(W, 2));
        if (rep->kind == TL_NUM && dec_mul(W, top, &lo) && dec_cmp(rep->u.num, lo) < 0)
            env_raise(env, F_QUAL_OUT_OF_BAND, at,
                      _("达成 scores between %s and %s, but %s was awarded"), env_show_dec(lo, 0),
                      env_show_dec(W, 1), env_show(rep, 2));
        return plain(W);
    }
    if (strcmp(level, "unknown") == 0) {
        env->branch = N_("level unknown: no score");
        EXPLAIN(env, _("qualitative: '%s' is no known level: no score"), env_show(a, 0));
        return val_missing();
    }
    if (strcmp(level, "部分达成") == 0) {
        if (!dec_mul(W, mid, &lo) || !dec_mul(W, top, &hi))
            return val_missing();
    } else {
        lo = zero;
        if (!dec_mul(W, mid, &hi))
            return val_missing();
    }
    if (rep->kind != TL_NUM) {
        env_raise(env, F_MISSING_VALUE, at, _("%s: a %s score must be awarded within [%s, %s)"),
                  b->name, level, env_show_dec(lo, 0), env_show_dec(hi, 1));
        env_unverified(env, _("%s: the score lies in [%s, %s), none was awarded"), level,
                       env_show_dec(lo, 0), env_show_dec(hi, 1));
        return val_missing();
    }
    TlDec r = rep->u.num;
    if (dec_cmp(r, lo) < 0 || (hi_open ? dec_cmp(r, hi) >= 0 : dec_cmp(r, hi) > 0)) {
        env_raise(env, F_QUAL_OUT_OF_BAND, at, _("%s scores within [%s, %s), but %s was awarded"),
                  level, env_show_dec(lo, 0), env_show_dec(hi, 1), env_show(rep, 2));
        TlDec nudge = dec_make(1, 2); /* the highest score below an open upper edge */
        if (dec_cmp(r, lo) < 0)
            r = lo;
        else if (!dec_sub(hi, nudge, &r))
            r = lo;
        env->branch = N_("self-awarded score moved into its band");
        EXPLAIN(env, _("qualitative: %s, awarded score moved into its band: %s"), level,
                    env_show_dec(r, 0));
        return plain(r);
    }
    env->branch = BUILTIN_BRANCH_QUAL_IN_BAND;
    EXPLAIN(env, _("qualitative: %s, self-awarded %s lies in [%s, %s)"), level, env_show(rep, 0),
                env_show_dec(lo, 1), env_show_dec(hi, 2));
    return plain(r);
}

static TlValue exec_rate(EvalEnv *env, const Builtin *b, const TlValue *args, Span at)
{
    TlValue budget = args[0], spent = args[1];
    if (budget.kind == TL_MISSING) {
        const char *cause = missing_cause(env, &budget);
        env_raise(env, F_MISSING_TARGET, at, _("%s: the budget is missing%s"), b->name, cause);
        env_unverified(env, _("budget missing%s"), cause);
        return val_missing();
    }
    if (spent.kind == TL_MISSING) {
        const char *cause = missing_cause(env, &spent);
        env_raise(env, F_MISSING_ACTUAL, at, _("%s: the amount spent is missing%s"), b->name, cause);
        env_unverified(env, _("amount spent missing%s"), cause);
        return val_missing();
    }
    if (!target_actual(env, b, &budget, &spent, at))
        return val_missing();
    if (is_bound(&spent)) {
        threshold_met(env, &budget, &spent, false, at);
        return val_missing();
    }
    if (dec_sign(budget.u.num) <= 0) {
        if (dec_is_zero(spent.u.num)) {
            EXPLAIN(env, _("no budget and nothing spent: rate 100%%"));
            TlValue r = plain(d_one());
            r.numkind = NUM_PERCENT;
            return r;
        }
        env_raise(env, F_BUDGET_ZERO, at, _("budget %s but %s spent"), env_show(&budget, 0),
                  env_show(&spent, 1));
        env_unverified(env, _("budget %s but %s spent"), env_show(&budget, 0), env_show(&spent, 1));
        return val_missing();
    }
    TlValue r;
    r = plain(d_zero());
    if (!ratio_of(env, spent.u.num, budget.u.num, &r.u.num, at))
        return val_missing();
    r.numkind = NUM_PERCENT;
    return r;
}

static TlValue steps(EvalEnv *env, const Builtin *b, const TlValue *args, int n, Span at,
                     bool over)
{
    if (!num_args(env, b, args, 3, at))
        return val_missing();
    const char *mode = mode_of(args, n, 3, "exact");
    if (!value_units_fit(env, OP_SUB, &args[0], &args[1], at) ||
        !value_units_fit(env, OP_DIV, &args[0], &args[2], at))
        return val_missing();
    TlDec diff, r;
    if (!(over ? dec_sub(args[0].u.num, args[1].u.num, &diff)
               : dec_sub(args[1].u.num, args[0].u.num, &diff))) {
        env_raise(env, F_OVERFLOW, at, _("%s overflow"), b->name);
        return val_missing();
    }
    if (dec_sign(diff) <= 0)
        return plain(d_zero());
    if (dec_sign(args[2].u.num) <= 0) {
        env_raise(env, F_DIV_ZERO, at, _("%s: the step must be above 0"), b->name);
        return val_missing();
    }
    if (!ratio_of(env, diff, args[2].u.num, &r, at))
        return val_missing();
    if (strcmp(mode, "up") == 0)
        r = dec_ceil(r, 0);
    else if (strcmp(mode, "down") == 0)
        r = dec_floor(r, 0);
    EXPLAIN(env, _("%s %s %s by %s steps of %s"), env_show(&args[0], 0), over ? "above" : "below",
                env_show(&args[1], 1), env_show_dec(r, 2), env_show(&args[2], 3));
    return plain(r);
}

static TlValue deduct(EvalEnv *env, const Builtin *b, const TlValue *args, int n, Span at)
{
    if (!num_args(env, b, args, n, at))
        return val_missing();
    TlDec cut, r, floor_ = n > 3 ? args[3].u.num : d_zero();
    if (!dec_mul(args[1].u.num, args[2].u.num, &cut) || !dec_sub(args[0].u.num, cut, &r)) {
        env_raise(env, F_OVERFLOW, at, _("deduct overflow"));
        return val_missing();
    }
    if (dec_cmp(r, floor_) < 0) {
        env->branch = N_("deducted to the floor (扣完为止)");
        EXPLAIN(env, _("deduct %s x %s = %s from %s: floor %s reached (扣完为止)"), env_show(&args[1], 0),
                env_show(&args[2], 1), env_show_dec(cut, 2), env_show(&args[0], 3),
                env_show_dec(floor_, 0));
        return plain(floor_);
    }
    env->branch = dec_is_zero(cut) ? N_("nothing to deduct") : N_("deducted");
    EXPLAIN(env, _("deduct %s x %s = %s from %s"), env_show(&args[1], 0), env_show(&args[2], 1),
                env_show_dec(cut, 2), env_show(&args[0], 3));
    TlValue v = args[0];
    v.u.num = r;
    v.qual = QUAL_NONE;
    return v;
}

static TlValue round_like(EvalEnv *env, const Builtin *b, const TlValue *args, int n, Span at)
{
    if (!num_args(env, b, args, n, at))
        return val_missing();
    int places = n > 1 ? (int)args[1].u.num.coef : 0;
    if (n > 1 && (args[1].u.num.scale != 0 || places < 0 || places > DEC_MAX_SCALE)) {
        env_raise(env, F_TYPE, at, _("%s: places must be a whole number from 0 to %d"), b->name,
                  DEC_MAX_SCALE);
        return val_missing();
    }
    TlValue r = args[0];
    /* Quantities round in the magnitude they are written in (万元 to 0.01万元). */
    int shift = r.numkind == NUM_QUANTITY ? r.mag : r.numkind == NUM_PERCENT ? -2 : 0;
    TlDec x;
    if (!dec_shift(r.u.num, -shift, &x)) {
        env_raise(env, F_OVERFLOW, at, _("%s overflow"), b->name);
        return val_missing();
    }
    x = b->id == BI_ROUND ? dec_round(x, places) : b->id == BI_CEIL ? dec_ceil(x, places)
                                                                  : dec_floor(x, places);
    if (!dec_shift(x, shift, &r.u.num)) {
        env_raise(env, F_OVERFLOW, at, _("%s overflow"), b->name);
        return val_missing();
    }
    return r;
}

TlValue builtin_apply(EvalEnv *env, const Builtin *b, const TlValue *args, int n, Span at)
{
    switch (b->id) {
    case BI_IS_MISSING:
        return val_bool(args[0].kind == TL_MISSING);
    case BI_IS_TEXT:
        return val_bool(args[0].kind == TL_TEXT);
    case BI_DEFAULT:
        return args[0].kind == TL_MISSING ? args[1] : args[0];
    case BI_QUAL:
        return val_text(qual_symbol((TlQual)args[0].qual));
    case BI_QUAL_LEVEL:
        return val_text(qual_level(env, &args[0], &args[1], at));
    case BI_TEXT:
        if (args[0].kind == TL_MISSING || args[0].kind == TL_TEXT)
            return args[0];
        else {
            char buf[VAL_BUF];
            TlValue v = args[0];
            v.qual = QUAL_NONE;
            v.flags = 0;
            val_format(&v, buf);
            return val_text(arena_strdup(env->arena, buf));
        }
    case BI_UNIT:
        if (args[0].kind != TL_NUM)
            return args[0].kind == TL_MISSING ? args[0] : val_text("");
        if (args[0].numkind == NUM_PERCENT)
            return val_text("%");
        if (args[0].numkind == NUM_PLAIN)
            return val_text("");
        {
            static const char *mags[] = {"", "", "", "千", "万", "", "百万", "千万", "亿"};
            int m = args[0].mag >= 0 && args[0].mag <= 8 ? args[0].mag : 0;
            return val_text(arena_printf(env->arena, "%s%s", mags[m], args[0].unit));
        }
    case BI_NUM:
        if (args[0].kind != TL_NUM) {
            if (args[0].kind != TL_MISSING)
                env_raise(env, F_TYPE, at, _("num: %s is not a number"), env_show(&args[0], 0));
            return val_missing();
        }
        {
            TlDec x = args[0].u.num;
            if (args[0].numkind == NUM_QUANTITY && !dec_shift(x, -args[0].mag, &x))
                return val_missing();
            return plain(x);
        }
    default:
        break;
    }
    /* A bound (an actual that only restates a threshold) in arithmetic: the
     * scoring built-ins know what to make of one, the rest do not. */
    if (b->id != BI_SCORE_GE && b->id != BI_SCORE_LE && b->id != BI_SCORE_EQ &&
        b->id != BI_SCORE_EXEC && b->id != BI_EXEC_RATE)
        for (int i = 0; i < n; i++)
            if (args[i].kind == TL_NUM && (args[i].flags & VAL_BOUND))
                value_bound_used(env, &args[i], at);
    for (int i = 0; i < n; i++)
        if (args[i].kind == TL_MISSING && b->id != BI_SCORE_GE && b->id != BI_SCORE_LE &&
            b->id != BI_SCORE_EQ && b->id != BI_SCORE_QUAL && b->id != BI_EXEC_RATE &&
            b->id != BI_SCORE_EXEC)
            return val_missing();
    switch (b->id) {
    case BI_MIN:
    case BI_MAX: {
        if (!num_args(env, b, args, n, at))
            return val_missing();
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (!value_units_fit(env, OP_LT, &args[best], &args[i], at))
                return val_missing();
            int c = dec_cmp(args[i].u.num, args[best].u.num);
            if (b->id == BI_MIN ? c < 0 : c > 0)
                best = i;
        }
        EXPLAIN(env, _("%s(...) = %s (argument %d)"), b->name, env_show(&args[best], 0), best + 1);
        return args[best];
    }
    case BI_CLAMP: {
        if (!num_args(env, b, args, n, at) || !value_units_fit(env, OP_LT, &args[0], &args[1], at) ||
            !value_units_fit(env, OP_LT, &args[0], &args[2], at))
            return val_missing();
        if (dec_cmp(args[0].u.num, args[1].u.num) < 0)
            return args[1];
        if (dec_cmp(args[0].u.num, args[2].u.num) > 0)
            return args[2];
        return args[0];
    }
    case BI_ABS: {
        if (!num_args(env, b, args, 1, at))
            return val_missing();
        TlValue r = args[0];
        if (dec_sign(r.u.num) < 0 && !dec_neg(r.u.num, &r.u.num)) {
            env_raise(env, F_OVERFLOW, at, _("abs overflow"));
            return val_missing();
        }
        return r;
    }
    case BI_ROUND:
    case BI_CEIL:
    case BI_FLOOR:
        return round_like(env, b, args, n, at);
    case BI_RATIO_CAPPED:
    case BI_INVERSE_RATIO:
    case BI_LINEAR_TO_ZERO: {
        TlValue t = args[0], a = args[1];
        if (!target_actual(env, b, &t, &a, at))
            return val_missing();
        TlDec T = t.u.num, A = a.u.num, r;
        if (b->id == BI_RATIO_CAPPED) {
            if (dec_sign(T) <= 0)
                return plain(dec_sign(A) >= 0 ? d_one() : d_zero());
            if (!ratio_of(env, A, T, &r, at))
                return val_missing();
            return plain(dmax(d_zero(), dmin(d_one(), r)));
        }
        if (dec_cmp(A, T) <= 0)
            return plain(d_one());
        if (dec_sign(T) <= 0)
            return plain(d_zero());
        if (b->id == BI_INVERSE_RATIO)
            return ratio_of(env, T, A, &r, at) ? plain(dmin(d_one(), r)) : val_missing();
        TlDec over, keep;
        if (!dec_sub(A, T, &over) || !ratio_of(env, over, T, &r, at) || !dec_sub(d_one(), r, &keep))
            return val_missing();
        return plain(dmax(d_zero(), keep));
    }
    case BI_SCORE_GE:
        return score_ge(env, b, args, n, at);
    case BI_SCORE_LE:
        return score_le(env, b, args, n, at);
    case BI_SCORE_EQ:
        return score_eq(env, b, args, n, at);
    case BI_SCORE_QUAL:
        return score_qual(env, b, args, n, at);
    case BI_EXEC_RATE:
        return exec_rate(env, b, args, at);
    case BI_SCORE_EXEC: {
        if (!num_args(env, b, &args[2], n - 2, at))
            return val_missing();
        TlValue rate = exec_rate(env, b, args, at);
        if (rate.kind != TL_NUM)
            return val_missing();
        TlDec W = args[2].u.num;
        if (dec_cmp(rate.u.num, d_one()) > 0)
            env_raise(env, F_OVER_EXECUTION, at, _("execution rate %s is above 100%%"),
                      env_show(&rate, 0));
        if (n > 4) {
            TlValue shortfall[4] = {rate, plain(d_one()), args[4], val_text("up")};
            shortfall[1].numkind = NUM_PERCENT;
            TlValue units = steps(env, b, shortfall, 4, at, false);
            TlValue d[3] = {args[2], args[3], units};
            EXPLAIN(env, _("execution rate %s"), env_show(&rate, 0));
            return units.kind == TL_NUM ? deduct(env, b, d, 3, at) : val_missing();
        }
        env->branch = BUILTIN_BRANCH_EXEC_RATE;
        EXPLAIN(env, _("execution rate %s: weight %s x %s"), env_show(&rate, 0), env_show_dec(W, 1),
                    dec_cmp(rate.u.num, d_one()) > 0 ? "100% (capped)" : env_show(&rate, 2));
        if (dec_cmp(rate.u.num, d_one()) >= 0)
            return plain(W);
        /* W x spent / budget, the product first; units as exec_rate read them */
        TlValue bu = args[0], sp = args[1];
        EvalEnv quiet = *env;
        quiet.findings = NULL;
        quiet.explain = NULL;
        if (!target_actual(&quiet, b, &bu, &sp, at))
            return val_missing();
        return recorded(env, scaled_ratio(env, W, sp.u.num, bu.u.num, at), W, sp.u.num, bu.u.num);
    }
    case BI_DEDUCT:
        return deduct(env, b, args, n, at);
    case BI_OVER:
        return steps(env, b, args, n, at, true);
    case BI_UNDER:
        return steps(env, b, args, n, at, false);
    case BI_CHANGE_RATE: {
        if (!num_args(env, b, args, 2, at) || !value_units_fit(env, OP_SUB, &args[0], &args[1], at))
            return val_missing();
        if (dec_is_zero(args[1].u.num)) {
            if (dec_is_zero(args[0].u.num)) {
                TlValue z = plain(d_zero());
                z.numkind = NUM_PERCENT;
                return z;
            }
            env_raise(env, F_DIV_ZERO, at, _("change_rate: the previous value is 0"));
            return val_missing();
        }
        TlDec diff, r;
        if (!dec_sub(args[0].u.num, args[1].u.num, &diff) || !ratio_of(env, diff, args[1].u.num, &r, at))
            return val_missing();
        TlValue v = plain(r);
        v.numkind = NUM_PERCENT;
        return v;
    }
    default:
        break;
    }
    return val_missing();
}

/* Decisions, for test coverage (builtins.h): the branch strings the scoring
 * built-ins above set, listed per built-in and mode. */
static const char *const ge_decisions[] = {
    "target 0: full marks", "target met: full marks", "below target: weight x actual / target", NULL};
static const char *const ge_penalty_decisions[] = {
    "target 0: full marks", "target met: full marks", "over-achievement penalty",
    "below target: weight x actual / target", NULL};
static const char *const le_linear_decisions[] = {
    "within target: full marks", "target 0 exceeded: 0", "twice the target or more: 0",
    "over target: linear to 0 at twice the target", NULL};
static const char *const le_inverse_decisions[] = {
    "within target: full marks", "target 0 exceeded: 0", "over target: weight x target / actual", NULL};
static const char *const le_any_decisions[] = {
    "within target: full marks", "target 0 exceeded: 0", "twice the target or more: 0",
    "over target: linear to 0 at twice the target", "over target: weight x target / actual", NULL};
static const char *const eq_ge_like_decisions[] = {
    "equal to target: full marks", "target 0 not met: 0", "above target: full marks",
    "below target: weight x actual / target", NULL};
static const char *const eq_strict_decisions[] = {
    "equal to target: full marks", "target 0 not met: 0",
    "differs from target: weight x (1 - |A - T| / |T|)", NULL};
static const char *const eq_any_decisions[] = {
    "equal to target: full marks", "target 0 not met: 0", "above target: full marks",
    "below target: weight x actual / target", "differs from target: weight x (1 - |A - T| / |T|)", NULL};
static const char *const qual_decisions[] = {
    "达成: full marks", "self-awarded score within its band", "self-awarded score moved into its band",
    "level unknown: no score", NULL};
static const char *const exec_decisions[] = {BUILTIN_BRANCH_EXEC_RATE, NULL};
static const char *const deduct_decisions[] = {
    "nothing to deduct", "deducted", "deducted to the floor (扣完为止)", NULL};

int builtin_mode_arg(BuiltinId id)
{
    return id == BI_SCORE_LE ? 3 : id == BI_SCORE_EQ ? 4 : id == BI_SCORE_QUAL ? 4 : -1;
}

const char *const *builtin_decisions(BuiltinId id, int nargs, const char *mode)
{
    switch (id) {
    case BI_SCORE_GE:
        return nargs > 4 ? ge_penalty_decisions : ge_decisions;
    case BI_SCORE_LE:
        if (nargs <= 3)
            mode = "linear2x";
        return !mode ? le_any_decisions : strcmp(mode, "inverse") == 0 ? le_inverse_decisions
                                                                        : le_linear_decisions;
    case BI_SCORE_EQ:
        if (nargs <= 4)
            mode = "ge_like";
        return !mode ? eq_any_decisions : strcmp(mode, "strict") == 0 ? eq_strict_decisions
                                                                       : eq_ge_like_decisions;
    case BI_SCORE_QUAL:
        return qual_decisions;
    case BI_SCORE_EXEC:
        return nargs > 4 ? deduct_decisions : exec_decisions;
    case BI_DEDUCT:
        return deduct_decisions;
    default:
        return NULL;
    }
}
