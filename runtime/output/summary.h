/* summary.h - what the formats that summarise a whole batch keep of each
 * report, and the summary computed from it (internal to runtime/output/):
 * grade counts, the distribution of recomputed totals, the reports whose
 * stated total is furthest from the recomputed one, the most common
 * findings, the ranking.  Used by --summary (text, CSV, JSON), the
 * workbook's summary sheet and the page's charts (docs/output.md,
 * "Summary").
 *
 * Memory: one SumRow per report (about 150 bytes and its id and grades) and
 * a counter per finding kind; nothing else of a report is kept.
 */
#ifndef TALLY_SUMMARY_H
#define TALLY_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>

#include "lang/base/arena.h"
#include "output.h"

/* How many reports the "largest gaps" list names. */
#define SUM_TOP_GAPS 10
/* Bins of the distribution of recomputed totals (tenths of the maximum). */
#define SUM_BINS 10

typedef struct SumRow {
    size_t index;            /* 0-based place in the input */
    const char *id;
    const char *error;       /* not scored: why; NULL when scored */
    TlValue total;           /* recomputed (TL_NUM or missing), as the other points below;
                                with unverified indicators, the lower end of its range */
    TlValue total_max;       /* the upper end (missing: unknown); total when no range */
    TlValue max;
    TlValue stated;          /* the stated total */
    TlValue reported_sum;    /* the sum of the self-awarded scores */
    const char *grade;       /* NULL: none */
    const char *stated_grade;
    int by_severity[3];      /* findings: errors, warnings, notes */
    bool claimed_known;      /* claimed and gap below are known */
    bool claimed_is_stated;  /* the claim is the stated total (else the reported sum) */
    TlDec claimed;           /* the stated total, or without one the reported sum */
    TlDec gap;               /* claimed - recomputed total (the nearer end of its range;
                                0 when the claim lies inside it) */
} SumRow;

typedef struct OutSummary {
    Arena arena;             /* ids, grades, errors */
    SumRow *rows;
    size_t len, cap;
    size_t kind_findings[F_KIND_COUNT]; /* findings of each kind */
    size_t kind_reports[F_KIND_COUNT];  /* reports with a finding of each kind */
} OutSummary;

OutSummary *sum_new(void);
void sum_free(OutSummary *s);
/* Keep what the summary needs of r, the index-th report. */
void sum_add(OutSummary *s, const ReportResult *r, size_t index);
/* Move the rows and counts of part (reports that follow s's) into s; part is freed. */
void sum_join(OutSummary *s, OutSummary *part);

/* The summary of a whole batch, computed at the end. */
typedef struct SumGrade {
    const char *name;        /* NULL: scored, but no grade */
    size_t count;
} SumGrade;

typedef struct SumBin {
    char from[DEC_BUF], to[DEC_BUF]; /* points, or percent of the maximum ("40%") */
    size_t count;
} SumBin;

typedef struct SumKind {
    FindingKind kind;
    size_t findings, reports;
} SumKind;

typedef struct SumStats {
    size_t reports, scored, not_scored, flagged;
    SumGrade *grades;        /* the program's grades in order, then "no grade" if any */
    int ngrades;
    size_t grade_differs;    /* the stated grade differs from the recomputed one */
    size_t with_total;       /* reports with a recomputed total */
    bool common_max;         /* every total is out of the same maximum */
    TlValue max;             /* that maximum */
    TlValue min_total, median_total, mean_total, max_total; /* missing without totals */
    SumBin bins[SUM_BINS];   /* recomputed totals by tenths of the maximum */
    size_t with_claim;       /* reports with a stated total or reported sum and a total */
    size_t gap_nonzero;      /* ... whose claim differs from the recomputed total */
    const SumRow **gaps;     /* the largest |gap| first, at most SUM_TOP_GAPS */
    int ngaps;
    SumKind *kinds;          /* finding kinds by number of findings, most first */
    int nkinds;
    const SumRow **ranking;  /* every report, highest recomputed total first, unscored last */
    const SumRow **unscored; /* the reports that could not be scored (not_scored of them), in order */
} SumStats;

/* Compute the summary of s's rows with prog's grades (prog may be NULL). */
void sum_stats(const OutSummary *s, const Program *prog, SumStats *st);
void sum_stats_free(SumStats *st);

/* The batch summary in o's format (text, CSV or JSON) to o->f. */
void sum_write(const Output *o, const SumStats *st);

#endif
