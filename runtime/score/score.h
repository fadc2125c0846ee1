/* score.h - score reports with a checked program.
 *
 * score_report() runs a Program over one Report: the fixed indicators (rule
 * file), the report's own indicator table (rows dispatched by the `rows`
 * rules), group subtotals, the total and grade, the checks, and every finding.
 * The result lives in the arena given and is rendered by output.c.
 */
#ifndef TALLY_SCORE_H
#define TALLY_SCORE_H

#include <stdbool.h>

#include "lang/builtins.h"
#include "lang/finding.h"
#include "lang/interp.h"
#include "lang/program.h"
#include "runtime/data/report.h"

typedef struct ScoredIndicator {
    const char *name;
    const char *level1;      /* group (fixed) or level-1 (table) */
    const char *level2;      /* table rows: level-2 category; "" otherwise */
    bool from_table;
    int group;               /* the framework group it counts for (a table row's, as matched), or -1 */
    const char *method;      /* method or built-in that scored it, or "formula" */
    const char *why;         /* why that method: "rows rule line 12: level2 成本指标" */
    const char *formula;     /* source text of the formula or method body */
    const char *branch;      /* the last decision the formula took, or NULL */
    ScoreEval eval;          /* value, target, weight, reported, raw, score, clamped */
    Explain explain;         /* filled with --explain */
    DataPos pos;             /* table rows: where the row is */
    /* A score that cannot be verified (docs/findings.md W_UNVERIFIED): eval.score
     * is missing, `unverified_why` says why, and [lo, hi] is what it counts for
     * under the rule file's `option unverified` (range: 0 to the weight). */
    bool unverified;
    const char *unverified_why;
    TlValue lo, hi;
    /* The rounding-aware audit: what a scoring built-in multiplied. */
    bool scaled;
    TlDec scaled_weight, scaled_rate;
} ScoredIndicator;

typedef struct ScoredGroup {
    const char *name;
    int depth;
    TlDec weight;            /* framework weight */
    TlValue rows_weight;     /* table groups: sum of the rows' weights */
    TlValue subtotal;        /* recomputed */
    TlValue reported;        /* sum of self-awarded scores, table groups */
    bool weight_unknown;     /* a row's weight could not be read: rows_weight is a lower bound */
} ScoredGroup;

typedef struct ScoredCheck {
    const char *name;
    int result;              /* 1 passed, 0 failed, -1 could not be evaluated */
    TlValue lhs, rhs;
} ScoredCheck;

typedef struct ReportResult {
    const Report *report;
    const char *id;
    const char *error;       /* the report could not be scored: why */
    ScoredIndicator *ind;
    int nind;
    ScoredGroup *groups;
    int ngroups;
    ScoredCheck *checks;
    int nchecks;
    TlValue total;           /* recomputed: the verified points (unverified count 0) */
    TlValue total_min, total_max; /* the total with what unverified indicators count for */
    int nunverified;         /* indicators that could not be re-scored */
    TlValue unverified_weight; /* their weights added up */
    const char *grade_min, *grade_max; /* grades of total_min and total_max */
    TlValue max_total;       /* the scheme's total */
    TlValue stated_total;
    TlValue reported_sum;    /* sum of the self-awarded scores */
    const char *grade;       /* from the recomputed total, NULL without grades; 待定
                                when total_min and total_max have different grades */
    const char *stated_grade;
    FindingList findings;
} ReportResult;

typedef struct ScoreOptions {
    bool explain;
    bool no_messages;        /* findings' messages are not printed (--summary, --totals): none
                                is formatted; kinds, subjects, counts and scores are the same */
} ScoreOptions;

typedef struct Scorer {
    const Program *prog;
    ScoreOptions opt;
    EvalState st;
    Arena state;             /* the interpreter's slots, for the scorer's life */
    Arena *arena;            /* per-report storage, reset by the caller */
    const struct JitProgram *jit; /* compiled code (jit.h), or NULL: the interpreter */
    struct JitCtx *jit_ctx;
    /* What depends on the program alone, computed once (score.c): each
     * indicator's and rows rule's method, formula and group texts, in
     * `state`; and the last data layout's figure names with the figure
     * each input reads, so reports with the same columns skip the look-up
     * by name. */
    struct ScorerCache *cache;
    size_t batch_scores;     /* indicator scores taken from batch kernels (scorer_batch) */
    size_t jit_scores;       /* indicator and row scores compiled code was asked for (TALLY_JIT_STATS) */
} Scorer;

/* Prepare to score with prog; results are allocated in `arena`. */
void scorer_init(Scorer *sc, const Program *prog, const ScoreOptions *opt, Arena *arena);
void scorer_free(Scorer *sc);
/* Score with compiled code from now on (NULL: the interpreter again).  The
 * results are the interpreter's, bit for bit; --explain (opt.explain)
 * always uses the interpreter, which alone writes explanations. */
void scorer_set_jit(Scorer *sc, const struct JitProgram *jp);
/* Score one report; out lives in sc->arena until the caller resets it, and
 * its texts about the rules (method, why, formula, group names) are the
 * scorer's or the program's: use out before scorer_free().
 * Also reports data problems that depend on the rules (a figure that is not
 * a number where the rules need one) into `diags`. */
void score_report(Scorer *sc, const Report *r, ReportResult *out, DiagList *diags);
/* Columnar batch scoring: lay the reports r[0 .. n - 1] out in columns and
 * run the compiled batch kernels over them (columns.h), so that
 * score_report() of each of them takes its indicators' scores from there
 * instead of computing them one report at a time.  Prepares at most a few
 * hundred reports (fewer for large rule files) and returns how many, k >= 1:
 * score r[0 .. k - 1] next, then call again for the rest.  Without batch
 * kernels (the interpreter, --explain) it prepares nothing and returns n.
 * The results are the same either way, bit for bit. */
size_t scorer_batch(Scorer *sc, const Report *r, size_t n);
void result_free(ReportResult *res);

/* Worst severity among a result's findings: DIAG_ERROR, DIAG_WARNING,
 * DIAG_NOTE, or -1 when there are none. */
int result_worst(const ReportResult *res);

#endif
