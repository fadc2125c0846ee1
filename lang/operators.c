/* operators.c - the operators of the rule language on values (operators.h):
 * arithmetic, comparison, and/or/not, and the unit rules they follow. */
#include "operators.h"

#include <string.h>

#include "grammar/ast.h"
#include "lang/base/l10n.h"

/* A number without a unit: a plain number or a percentage. */
static bool is_dimensionless(const TlValue *v)
{
    return v->kind == TL_NUM && v->numkind != NUM_QUANTITY;
}

/* The verb of an arithmetic operator for messages ("add"); "compare" for the rest. */
static const char *op_verb(int op)
{
    switch (op) {
    case OP_ADD: return _("add");
    case OP_SUB: return _("subtract");
    case OP_MUL: return _("multiply");
    case OP_DIV: return _("divide");
    default: return _("compare");
    }
}

bool value_units_fit(EvalEnv *env, int op, const TlValue *a, const TlValue *b, Span at)
{
    if (is_dimensionless(a) && is_dimensionless(b))
        return true;
    if (a->numkind == NUM_QUANTITY && b->numkind == NUM_QUANTITY) {
        if (strcmp(a->unit, b->unit) == 0 || (unit_is_count_word(a->unit) && unit_is_count_word(b->unit)))
            return true;
    } else if ((is_dimensionless(a) && dec_is_zero(a->u.num)) ||
               (is_dimensionless(b) && dec_is_zero(b->u.num))) {
        return true;
    }
    env_raise(env, F_UNIT_MISMATCH, at, _("cannot %s %s and %s: the units differ"), op_verb(op),
              env_show(a, 0), env_show(b, 1));
    return false;
}

/* Raise E_OVERFLOW for `a op b`; missing is the result. */
static TlValue overflow(EvalEnv *env, int op, const TlValue *a, const TlValue *b, Span at)
{
    env_raise(env, F_OVERFLOW, at, _("the result of %s %s %s is too large"), env_show(a, 0),
              op_symbol((Op)op), env_show(b, 1));
    return val_missing();
}

/* -1, 0 or 1 for numbers (unequal: 1, for texts and booleans); *ok false,
 * with a finding, when a and b cannot be compared. */
static int compare_values(EvalEnv *env, int op, const TlValue *a, const TlValue *b, Span at,
                          bool *ok)
{
    *ok = true;
    if (a->kind == TL_NUM && b->kind == TL_NUM) {
        if (!value_units_fit(env, op, a, b, at)) {
            *ok = false;
            return 0;
        }
        return dec_cmp(a->u.num, b->u.num);
    }
    if (a->kind == TL_TEXT && b->kind == TL_TEXT && (op == OP_EQ || op == OP_NE))
        return strcmp(a->u.text, b->u.text) != 0;
    if (a->kind == TL_BOOL && b->kind == TL_BOOL && (op == OP_EQ || op == OP_NE))
        return a->u.b != b->u.b;
    env_raise(env, F_TYPE, at, _("cannot compare %s with %s"), env_show(a, 0), env_show(b, 1));
    *ok = false;
    return 0;
}

void value_bound_used(EvalEnv *env, const TlValue *v, Span at)
{
    if (env->findings && !findings_has(env->findings, F_THRESHOLD_ONLY, env->subject))
        env_raise(env, F_THRESHOLD_ONLY, at,
                  _("the actual %s only restates a threshold: it is a bound, not a result"),
                  env_show(v, 0));
    env_unverified(env, _("the actual %s is a bound, not a result"), env_show(v, 0));
}

TlValue value_binary(EvalEnv *env, int op, TlValue a, TlValue b, Span at)
{
    if (op == OP_AND || op == OP_OR) {
        int x = value_truth(env, a, at), y = value_truth(env, b, at);
        if (op == OP_AND)
            return x == 0 || y == 0 ? val_bool(false) : x < 0 || y < 0 ? val_missing() : val_bool(true);
        return x == 1 || y == 1 ? val_bool(true) : x < 0 || y < 0 ? val_missing() : val_bool(false);
    }
    if (a.kind == TL_MISSING || b.kind == TL_MISSING)
        return val_missing();
    if ((a.kind == TL_NUM && (a.flags & VAL_BOUND)) || (b.kind == TL_NUM && (b.flags & VAL_BOUND)))
        value_bound_used(env, a.flags & VAL_BOUND ? &a : &b, at);
    if (op >= OP_EQ && op <= OP_GE) {
        bool ok;
        int c = compare_values(env, op, &a, &b, at, &ok);
        if (!ok)
            return val_missing();
        switch (op) {
        case OP_EQ: return val_bool(c == 0);
        case OP_NE: return val_bool(c != 0);
        case OP_LT: return val_bool(c < 0);
        case OP_LE: return val_bool(c <= 0);
        case OP_GT: return val_bool(c > 0);
        default: return val_bool(c >= 0);
        }
    }
    if (a.kind != TL_NUM || b.kind != TL_NUM) {
        env_raise(env, F_TYPE, at, _("cannot %s %s and %s: both must be numbers"), op_verb(op),
                  env_show(&a, 0), env_show(&b, 1));
        return val_missing();
    }
    TlValue r = a;
    switch (op) {
    case OP_ADD:
    case OP_SUB:
        if (!value_units_fit(env, op, &a, &b, at))
            return val_missing();
        if (!(op == OP_ADD ? dec_add : dec_sub)(a.u.num, b.u.num, &r.u.num))
            return overflow(env, op, &a, &b, at);
        if (a.numkind != NUM_QUANTITY && b.numkind == NUM_QUANTITY) {
            r.numkind = NUM_QUANTITY;
            r.unit = b.unit;
            r.mag = b.mag;
        } else if (a.numkind != NUM_QUANTITY) {
            r.numkind = a.numkind == NUM_PERCENT || b.numkind == NUM_PERCENT ? NUM_PERCENT : NUM_PLAIN;
        }
        break;
    case OP_MUL:
        if (a.numkind == NUM_QUANTITY && b.numkind == NUM_QUANTITY) {
            env_raise(env, F_UNIT_MISMATCH, at, _("cannot multiply %s by %s: both have units"),
                      env_show(&a, 0), env_show(&b, 1));
            return val_missing();
        }
        if (!dec_mul(a.u.num, b.u.num, &r.u.num))
            return overflow(env, op, &a, &b, at);
        if (b.numkind == NUM_QUANTITY) {
            r.numkind = NUM_QUANTITY;
            r.unit = b.unit;
            r.mag = b.mag;
        } else if (a.numkind != NUM_QUANTITY) {
            r.numkind = NUM_PLAIN;
        }
        break;
    case OP_DIV:
        if (dec_is_zero(b.u.num)) {
            env_raise(env, F_DIV_ZERO, at, _("division by zero: %s / %s"), env_show(&a, 0),
                      env_show(&b, 1));
            return val_missing();
        }
        if (is_dimensionless(&a) && b.numkind == NUM_QUANTITY) {
            env_raise(env, F_UNIT_MISMATCH, at, _("cannot divide %s by %s"), env_show(&a, 0),
                      env_show(&b, 1));
            return val_missing();
        }
        if (!dec_div(a.u.num, b.u.num, &r.u.num))
            return overflow(env, op, &a, &b, at);
        if (a.numkind == NUM_QUANTITY && b.numkind == NUM_QUANTITY) {
            if (strcmp(a.unit, b.unit) == 0 ||
                (unit_is_count_word(a.unit) && unit_is_count_word(b.unit))) {
                r.numkind = NUM_PLAIN;
                r.unit = NULL;
                r.mag = 0;
            } else {
                r.unit = arena_printf(env->arena, "%s/%s", a.unit, b.unit);
                r.mag = 0;
            }
        } else if (a.numkind != NUM_QUANTITY) {
            r.numkind = NUM_PLAIN;
        }
        break;
    default:
        return val_missing();
    }
    r.qual = QUAL_NONE;
    r.flags = 0;
    return r;
}

TlValue value_unary(EvalEnv *env, int op, TlValue a, Span at)
{
    if (a.kind == TL_MISSING)
        return a;
    if (op == OP_NOT) {
        int t = value_truth(env, a, at);
        return t < 0 ? val_missing() : val_bool(!t);
    }
    if (a.kind != TL_NUM) {
        env_raise(env, F_TYPE, at, _("cannot negate %s"), env_show(&a, 0));
        return val_missing();
    }
    if (a.flags & VAL_BOUND)
        value_bound_used(env, &a, at);
    TlValue r = a;
    if (!dec_neg(a.u.num, &r.u.num)) {
        env_raise(env, F_OVERFLOW, at, _("cannot negate %s"), env_show(&a, 0));
        return val_missing();
    }
    r.qual = QUAL_NONE;
    return r;
}

int value_truth(EvalEnv *env, TlValue v, Span at)
{
    if (v.kind == TL_BOOL)
        return v.u.b;
    if (v.kind != TL_MISSING)
        env_raise(env, F_TYPE, at, _("a condition must be true or false, not %s"), env_show(&v, 0));
    return -1;
}
