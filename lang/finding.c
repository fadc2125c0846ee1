/* finding.c - the catalogue of finding kinds, and the findings list. */
#include "finding.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/base/l10n.h"

static const FindingInfo catalogue[F_KIND_COUNT] = {
    [F_SCORE_MISMATCH] = {"E_SCORE_MISMATCH", DIAG_ERROR,
                          N_("recomputed score differs from the self-awarded one")},
    [F_DEDUCTED_MET] = {"E_DEDUCTED_MET", DIAG_ERROR,
                        N_("target met but points deducted, no deviation reason")},
    [F_FULL_MISSED] = {"E_FULL_MISSED", DIAG_ERROR,
                       N_("full marks although the target was missed")},
    [F_SCORE_OUT_OF_RANGE] = {"E_SCORE_OUT_OF_RANGE", DIAG_ERROR,
                              N_("self-awarded score outside [0, weight]")},
    [F_TOTAL_MISMATCH] = {"E_TOTAL_MISMATCH", DIAG_ERROR,
                          N_("scores do not add up to the stated total")},
    [F_SUBTOTAL_MISMATCH] = {"E_SUBTOTAL_MISMATCH", DIAG_ERROR,
                             N_("a stated group weight differs from its rows")},
    [F_WEIGHT_MISMATCH] = {"E_WEIGHT_MISMATCH", DIAG_ERROR,
                           N_("group weights do not match the framework")},
    [F_GRADE_MISMATCH] = {"E_GRADE_MISMATCH", DIAG_ERROR,
                          N_("stated grade does not match the total")},
    [F_UNIT_MISMATCH] = {"E_UNIT_MISMATCH", DIAG_ERROR,
                         N_("target and actual in incompatible units")},
    [F_UNIT_WORDS] = {"W_UNIT_WORDS", DIAG_WARNING,
                      N_("different counting words")},
    [F_MISSING_TARGET] = {"E_MISSING_TARGET", DIAG_ERROR, N_("target missing")},
    [F_MISSING_ACTUAL] = {"E_MISSING_ACTUAL", DIAG_ERROR, N_("actual value missing")},
    [F_MISSING_VALUE] = {"E_MISSING_VALUE", DIAG_ERROR,
                         N_("a score could not be computed from missing data")},
    [F_BAD_TARGET] = {"E_BAD_TARGET", DIAG_ERROR, N_("negative target")},
    [F_TRIVIAL_TARGET] = {"W_TRIVIAL_TARGET", DIAG_WARNING, N_("target of 0")},
    [F_QUAL_OUT_OF_BAND] = {"E_QUAL_OUT_OF_BAND", DIAG_ERROR,
                            N_("qualitative score outside its level's band")},
    [F_QUAL_UNKNOWN] = {"W_QUAL_UNKNOWN", DIAG_WARNING,
                        N_("qualitative result matches no level")},
    [F_NON_MEASURABLE] = {"W_NON_MEASURABLE", DIAG_WARNING,
                          N_("vague, non-measurable target")},
    [F_OVERSHOOT] = {"W_OVERSHOOT", DIAG_WARNING,
                     N_("far above target: target possibly set too low")},
    [F_OVER_EXECUTION] = {"W_OVER_EXECUTION", DIAG_WARNING,
                          N_("budget execution above 100%")},
    [F_BUDGET_ZERO] = {"E_BUDGET_ZERO", DIAG_ERROR, N_("spending against a zero budget")},
    [F_REASON_MISSING] = {"W_REASON_MISSING", DIAG_WARNING,
                          N_("shortfall without a stated reason")},
    [F_CHECK_FAILED] = {"E_CHECK_FAILED", DIAG_ERROR, N_("a consistency check failed")},
    [F_DIV_ZERO] = {"E_DIV_ZERO", DIAG_ERROR, N_("division by zero in a formula")},
    [F_OVERFLOW] = {"E_OVERFLOW", DIAG_ERROR, N_("a number too large")},
    [F_TYPE] = {"E_TYPE", DIAG_ERROR, N_("a value of the wrong kind")},
    [F_CLAMPED] = {"N_CLAMPED", DIAG_NOTE, N_("score clamped to [0, weight]")},
    [F_UNMATCHED_ROW] = {"E_UNMATCHED_ROW", DIAG_ERROR,
                         N_("a table row that no rule covers")},
    [F_APPROX] = {"W_APPROX", DIAG_WARNING, N_("an approximate value in an exact check")},
    [F_TOTAL_OUT_OF_RANGE] = {"E_TOTAL_OUT_OF_RANGE", DIAG_ERROR,
                              N_("total outside the scheme's range")},
    [F_NO_STATED_TOTAL] = {"W_NO_STATED_TOTAL", DIAG_WARNING, N_("no stated total")},
    [F_UNVERIFIED] = {"W_UNVERIFIED", DIAG_WARNING,
                      N_("rows that could not be re-scored: the total is a range")},
    [F_THRESHOLD_ONLY] = {"W_THRESHOLD_ONLY", DIAG_WARNING,
                          N_("the actual only restates a threshold")},
    [F_REPORTED_MISSING] = {"W_REPORTED_MISSING", DIAG_WARNING,
                            N_("self-awarded score missing")},
    [F_BAD_CELL] = {"E_BAD_CELL", DIAG_ERROR, N_("a cell no reader can interpret")},
    [F_MAGNITUDE] = {"W_MAGNITUDE", DIAG_WARNING,
                     N_("an implausible magnitude")},
    [F_UNIT_ASSUMED] = {"N_UNIT_ASSUMED", DIAG_NOTE,
                        N_("a bare number took the other side's unit")},
    [F_ROUNDING] = {"N_ROUNDING", DIAG_NOTE,
                    N_("self-awarded score consistent under the form's rounding")},
    [F_PERCENT_READING] = {"N_PERCENT_READING", DIAG_NOTE,
                           N_("how bare numbers were read as percentages")},
};

const FindingInfo *finding_info(FindingKind kind)
{
    return &catalogue[kind];
}

const char *finding_summary(FindingKind kind)
{
    return _(catalogue[kind].summary);
}

void findings_init(FindingList *fl, Arena *arena)
{
    memset(fl, 0, sizeof *fl);
    fl->arena = arena;
}

void findings_free(FindingList *fl)
{
    free(fl->items);
    fl->items = NULL;
    fl->len = fl->cap = 0;
}

/* Append a finding with its message (already in fl's arena, or static). */
static void finding_push(FindingList *fl, FindingKind kind, const char *subject, const Source *src,
                         Span rule, const char *msg)
{
    if (fl->len == fl->cap) {
        fl->cap = fl->cap ? fl->cap * 2 : 8;
        fl->items = xrealloc(fl->items, fl->cap * sizeof *fl->items);
    }
    Finding *f = &fl->items[fl->len++];
    f->kind = kind;
    f->subject = subject ? subject : "";
    f->message = msg;
    f->src = src;
    f->rule = rule;
    f->where = NULL;
}

void findings_add(FindingList *fl, FindingKind kind, const char *subject, const Source *src,
                  Span rule, const char *fmt, ...)
{
    if (!fl)
        return;
    if (fl->no_messages) {
        finding_push(fl, kind, subject, src, rule, "");
        return;
    }
    /* formatted once into a buffer on the stack, again only when longer
     * (issue 16: measuring then formatting every message was 8% of a CSV
     * run's scoring thread) */
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    size_t len = (size_t)(n < 0 ? 0 : n);
    char *msg = arena_alloc(fl->arena, len + 1);
    if (len < sizeof small) {
        memcpy(msg, small, len);
        msg[len] = '\0';
    } else {
        va_start(ap, fmt);
        vsnprintf(msg, len + 1, fmt, ap);
        va_end(ap);
    }
    finding_push(fl, kind, subject, src, rule, msg);
}

int findings_has(const FindingList *fl, FindingKind kind, const char *subject)
{
    for (size_t i = 0; fl && i < fl->len; i++)
        if (fl->items[i].kind == kind && strcmp(fl->items[i].subject, subject ? subject : "") == 0)
            return 1;
    return 0;
}
