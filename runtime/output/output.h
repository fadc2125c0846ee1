/* output.h - rendering scored reports as text, CSV, JSON, an xlsx workbook
 * or an HTML page.
 *
 * Output streams: each report is written as soon as it is scored and nothing
 * of it is kept afterwards, so a batch of a million reports needs no more
 * memory than one.  The formats that open with a summary of the whole batch
 * (xlsx, HTML, and --summary in text, CSV and JSON) keep one small summary
 * row per report (summary.h) and write each report's detail as it comes
 * (the page's to a temporary file, the workbook's through libxlsxwriter's
 * constant-memory mode).  The formats are described in docs/output.md.
 */
#ifndef TALLY_OUTPUT_H
#define TALLY_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "lang/program.h"
#include "runtime/score/score.h"

typedef enum OutFormat { OUT_TEXT, OUT_CSV, OUT_JSON, OUT_XLSX, OUT_HTML } OutFormat;

struct OutSummary;
struct OutBook;
struct OutPage;

typedef struct Output {
    FILE *f;
    OutFormat fmt;
    bool explain;          /* method, formula and explanation lines per indicator */
    bool color;            /* ANSI colour (text format only) */
    int width;             /* text format: the terminal's columns (long names and findings
                              wrapped, a legend of the markers); 0 for no limit, one line
                              per row and per finding */
    bool bom;              /* a UTF-8 byte-order mark first (CSV for Excel) */
    bool excel;            /* CSV for Excel: fields Excel would read as formulas get a ' */
    bool summary;          /* the batch summary instead of each report (text, CSV, JSON) */
    bool totals;           /* one line per report, its totals, instead of its rows (text, CSV,
                              JSON; docs/output.md, "Totals") */
    size_t expected;       /* reports in the batch, 0 if unknown (the workbook's layout) */
    const Program *prog;   /* for the score tolerance and the grades; may be NULL */
    bool versions;         /* the rules are versions by year: say which scored each report */
    const char *version;   /* the version scoring the reports being written (its file), or NULL */
    const char *version_years; /* the years it applies to ("2022..2023", "from 2024") */
    size_t count;          /* reports written */
    size_t failed;         /* reports that could not be scored */
    size_t flagged;        /* reports with a finding of severity error or warning */
    /* Kept by the output itself: */
    struct OutSummary *sum; /* the summary rows (xlsx, HTML, --summary), else NULL */
    struct OutBook *book;   /* the workbook being written (xlsx) */
    struct OutPage *page;   /* the page being written (HTML) */
    const char *error;      /* why the results could not be written, once they could not */
} Output;

/* Start the output: the CSV header line, "[" for JSON, the workbook or the
 * page.  False (o->error says why) when it cannot start. */
bool output_begin(Output *o);
/* Write one report (scored, or marked with its error). */
void output_report(Output *o, const ReportResult *r);
/* Finish: "]" for JSON, a one-line summary for text, the summary and the
 * closing of the workbook or the page, and free what the output kept.
 * False (o->error says why) when the results could not be written. */
bool output_end(Output *o);
/* Does the output print findings' messages?  Not --summary nor --totals:
 * their scorers may skip formatting them (ScoreOptions.no_messages). */
bool output_prints_messages(const Output *o);
/* Must every report be written on the thread that called output_begin()
 * (the workbook: libxlsxwriter is not shared between threads)? */
bool output_serial(const Output *o);

/* A stream that writes to dst what is written to it, converted from UTF-8
 * to `encoding` (iconv; bytes that are not UTF-8 become '?').  Closing it
 * flushes it and leaves dst open.  NULL when iconv does not know the
 * encoding. */
FILE *output_encoder(FILE *dst, const char *encoding);

/* Writing in parts (batch.c formats chunks of reports on other threads):
 * output_part() makes `part` write to f, with o's settings, the reports
 * from the index-th (0-based) on, exactly as o would write them there (the
 * separators between reports depend only on the index); it writes nothing
 * itself.  output_join() counts a written part into o, with its summary
 * rows, and frees what the part kept; parts are joined in report order, and
 * o must not be written to meanwhile.  Not for serial outputs. */
void output_part(const Output *o, FILE *f, size_t index, Output *part);
void output_join(Output *o, const Output *part);

#endif
