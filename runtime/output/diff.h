/* diff.h - the same report scored under two policies (`tally diff`), written
 * as text, CSV or JSON: per report the totals and grades under each and the
 * indicators whose score moved, with the method and branch that decided each
 * side; then a summary (reports that change grade, the largest moves).
 * Streamed like output.h: one report at a time; the summary keeps counts and
 * the few largest moves only.  docs/output.md, "tally diff".
 */
#ifndef TALLY_DIFF_H
#define TALLY_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "output.h"

/* The summary keeps this many of the largest moves of the total. */
#define DIFF_LARGEST 5

typedef struct DiffMove {
    char *id;
    TlValue a, b;           /* the totals */
    TlDec change;           /* b - a */
} DiffMove;

typedef struct DiffTransition {
    char *a, *b;            /* grades ("" for none) */
    size_t reports;
} DiffTransition;

typedef struct DiffOutput {
    FILE *f;
    OutFormat fmt;                /* text, CSV or JSON */
    const char *a_name, *b_name;  /* the two policies as given */
    bool versions;                /* one of them is a folder of versions: name each report's */
    /* What was written: */
    size_t count;                 /* reports */
    size_t errors;                /* reports not scored under A or B */
    size_t moved;                 /* reports where anything moved */
    size_t total_changed, up, down, grade_changed;
    DiffMove largest[DIFF_LARGEST];
    size_t nlargest;
    DiffTransition *transitions;
    size_t ntransitions;
} DiffOutput;

/* Start: "A:"/"B:" lines, the CSV header, or the JSON object's head. */
void diff_begin(DiffOutput *d);
/* One report scored under A and under B (either may carry an error);
 * a_version and b_version name the rule files that scored it (NULL when
 * none could).  Returns whether anything moved. */
bool diff_report(DiffOutput *d, const ReportResult *a, const char *a_version, const ReportResult *b,
                 const char *b_version);
/* The summary, and the end of the JSON object. */
void diff_end(DiffOutput *d);
void diff_free(DiffOutput *d);

#endif
