/* finding.h - what an auditor must look at.
 *
 * Findings are raised while a report is scored: by built-ins (a missing
 * actual, a unit mismatch), by the interpreter (division by zero, overflow)
 * and by the scorer (a score that differs from the self-awarded one, a
 * stated total that does not add up).  Each has a stable kind code from the
 * catalogue in finding.c (documented in docs/findings.md) and a severity.
 */
#ifndef TALLY_FINDING_H
#define TALLY_FINDING_H

#include <stddef.h>

#include "lang/base/arena.h"
#include "lang/base/diag.h"

typedef enum FindingKind {
    F_SCORE_MISMATCH,     /* recomputed score differs from the self-awarded one */
    F_DEDUCTED_MET,       /* target met, points deducted, no deviation reason */
    F_FULL_MISSED,        /* full marks although the target was missed */
    F_SCORE_OUT_OF_RANGE, /* self-awarded score outside [0, weight] */
    F_TOTAL_MISMATCH,     /* self-awarded scores do not add up to the stated total */
    F_SUBTOTAL_MISMATCH,  /* a stated group weight/subtotal differs from its rows */
    F_WEIGHT_MISMATCH,    /* a group's row weights do not add up to its framework weight */
    F_GRADE_MISMATCH,     /* stated grade does not match the total */
    F_UNIT_MISMATCH,      /* target and actual in incompatible units */
    F_UNIT_WORDS,         /* different counting words (个 vs 家) */
    F_MISSING_TARGET,
    F_MISSING_ACTUAL,
    F_MISSING_VALUE,      /* a score could not be computed: an input was missing */
    F_BAD_TARGET,         /* negative target */
    F_TRIVIAL_TARGET,     /* target 0 for a ≥ indicator */
    F_QUAL_OUT_OF_BAND,   /* qualitative score outside its level's band */
    F_QUAL_UNKNOWN,       /* qualitative result that no level word matches */
    F_NON_MEASURABLE,     /* vague target (有所提升) */
    F_OVERSHOOT,          /* far above target: target possibly set too low */
    F_OVER_EXECUTION,     /* budget execution rate above 100% */
    F_BUDGET_ZERO,        /* budget of zero with spending */
    F_REASON_MISSING,     /* below target or threshold without a stated reason */
    F_CHECK_FAILED,       /* a rule file's check failed */
    F_DIV_ZERO,           /* division by zero in a formula */
    F_OVERFLOW,           /* a number too large for a formula */
    F_TYPE,               /* a value of the wrong kind at run time */
    F_CLAMPED,            /* a formula's score was clamped to [0, weight] */
    F_UNMATCHED_ROW,      /* a table row no rule or framework group covers */
    F_APPROX,             /* an approximate value (约, 余) fed an exact check */
    F_TOTAL_OUT_OF_RANGE, /* total outside [0, scheme total] */
    F_NO_STATED_TOTAL,    /* the report states no total (no 总分 row, or its cell empty) */
    F_UNVERIFIED,         /* rows that could not be re-scored: the total is a range */
    F_THRESHOLD_ONLY,     /* the actual only restates a threshold (≥80%): nothing measured */
    F_REPORTED_MISSING,   /* a row's self-awarded score is empty */
    F_BAD_CELL,           /* a cell no reader can interpret */
    F_MAGNITUDE,          /* an implausible magnitude: a 万 or 元 slip? */
    F_UNIT_ASSUMED,       /* a bare number took the other side's unit */
    F_ROUNDING,           /* a self-awarded score consistent under the form's rounding */
    F_PERCENT_READING,    /* how a column's bare numbers were read as percentages */
    F_KIND_COUNT
} FindingKind;

typedef struct FindingInfo {
    const char *code;      /* stable short code, e.g. "E_SCORE_MISMATCH" */
    DiagSeverity severity; /* error, warning, or note */
    const char *summary;   /* one line, in English (the msgid; finding_summary translates) */
} FindingInfo;

const FindingInfo *finding_info(FindingKind kind);
/* The kind's summary in the calling thread's language (lang/base/l10n.h). */
const char *finding_summary(FindingKind kind);

typedef struct Finding {
    FindingKind kind;
    const char *subject;   /* indicator, group or check name; "" for the report */
    const char *message;   /* with the numbers on both sides */
    const Source *src;     /* the rule that decided, or NULL */
    Span rule;
    const char *where;     /* the place in the report's original it is about
                              ("table.csv:7", "book.xlsx:自评表!H9"), set by the
                              scorer; NULL when none */
} Finding;

typedef struct FindingList {
    Finding *items;
    size_t len, cap;
    Arena *arena;          /* messages are allocated here */
    bool no_messages;      /* messages are not printed (--summary, --totals): each is ""
                              and nothing is formatted; kinds and subjects are kept */
} FindingList;

void findings_init(FindingList *fl, Arena *arena);
void findings_free(FindingList *fl);
void findings_add(FindingList *fl, FindingKind kind, const char *subject, const Source *src,
                  Span rule, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Is there a finding of this kind for this subject already? */
int findings_has(const FindingList *fl, FindingKind kind, const char *subject);

#endif
