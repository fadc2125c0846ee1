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

#include "lang/program.h"
#include "runtime/score/score.h"

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

/* Writing in parts (batch.c formats chunks of reports on other threads):
 * output_part() makes `part` write to f, with o's settings, the reports
 * from the index-th (0-based) on, exactly as o would write them there (the
 * separators between reports depend only on the index); it writes nothing
 * itself.  output_join() counts a written part into o; parts are joined in
 * report order, and o must not be written to meanwhile. */
void output_part(const Output *o, FILE *f, size_t index, Output *part);
void output_join(Output *o, const Output *part);

#endif
