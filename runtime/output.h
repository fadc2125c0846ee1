/* output.h - rendering scored reports as text, CSV or JSON.
 *
 * Output streams: each report is written as soon as it is scored and nothing
 * of it is kept afterwards, so a batch of a million reports needs no more
 * memory than one.  The formats are described in docs/output.md.
 */
#ifndef TALLY_OUTPUT_H
#define TALLY_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "program.h"
#include "score.h"

typedef enum OutFormat { OUT_TEXT, OUT_CSV, OUT_JSON } OutFormat;

typedef struct Output {
    FILE *f;
    OutFormat fmt;
    bool explain;          /* method, formula and explanation lines per indicator */
    bool color;            /* ANSI colour (text format only) */
    const Program *prog;   /* for the score tolerance; may be NULL */
    size_t count;          /* reports written */
    size_t failed;         /* reports that could not be scored */
    size_t flagged;        /* reports with a finding of severity error or warning */
} Output;

/* Start the output: the CSV header line, or "[" for JSON. */
void output_begin(Output *o);
/* Write one report (scored, or marked with its error). */
void output_report(Output *o, const ReportResult *r);
/* Finish: "]" for JSON, a one-line summary for text. */
void output_end(Output *o);

#endif
