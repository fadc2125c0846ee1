/* formats.h - what the writers of the output formats share (internal to
 * runtime/output/): one writer per format (text.c, csv.c, json.c, xlsx.c,
 * html.c), called by output_report() (output.c) for one scored report, and
 * the few ways of showing values they have in common. */
#ifndef TALLY_FORMATS_H
#define TALLY_FORMATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "lang/base/l10n.h"
#include "output.h"
#include "summary.h"

#define OUT_PLACES 10 /* decimals kept for points: every score and total the rules produce */

/* A stream is written by one thread at a time (runtime/batch.c: stdout by
 * the writer, each chunk's memory stream by its worker), so the writers
 * use stdio without its lock: a locked putc or fputs per field cost a
 * quarter of a CSV run (issue 16). */
static inline void out_puts_unlocked(const char *s, FILE *f)
{
    for (; *s; s++)
        putc_unlocked(*s, f);
}

#undef putc
#define putc(c, f) putc_unlocked((c), (f))
#define fputs(s, f) out_puts_unlocked((s), (f))

/* The columns s takes in the text format, its control characters shown as
 * spaces: text_width() plus one for each byte below 0x20 (text.c). */
size_t out_cell_width(const char *s);

/* Write one report in each format; o->count already counts it. */
void out_text_report(const Output *o, const ReportResult *r);
void out_csv_report(const Output *o, const ReportResult *r);
void out_json_report(const Output *o, const ReportResult *r);
/* The CSV header line, written by output_begin(). */
void out_csv_header(const Output *o);
/* --totals: one line per report in each format, and the CSV header line. */
void out_text_totals(const Output *o, const ReportResult *r);
void out_csv_totals(const Output *o, const ReportResult *r);
void out_json_totals(const Output *o, const ReportResult *r);
void out_csv_totals_header(const Output *o);
/* A report's findings for --totals: how many are errors and warnings, and
 * the distinct codes in order of first appearance (codes[0 .. *ncodes - 1]). */
void out_finding_counts(const ReportResult *r, int *errors, int *warnings, const char **codes,
                        int *ncodes);
/* One CSV field (RFC 4180 quoting, and for Excel the formula guard); NULL is empty. */
void out_csv_field(const Output *o, const char *s);

/* The workbook (xlsx.c) and the page (html.c): begin makes o->book or
 * o->page (false with o->error set when it cannot), report writes one
 * report's detail, end writes the summary of st, finishes the file into
 * o->f and frees the state (false with o->error when it could not). */
bool out_xlsx_begin(Output *o);
void out_xlsx_report(const Output *o, const ReportResult *r);
bool out_xlsx_end(Output *o, const SumStats *st);
bool out_html_begin(Output *o);
void out_html_report(const Output *o, const ReportResult *r);
bool out_html_end(Output *o, const SumStats *st);

/* Write s escaped for a format: each valid UTF-8 sequence as it is, each
 * byte that is not as `invalid`, each ASCII byte as esc(c, buf) says (a
 * text to write instead, built in buf if need be, or NULL: the byte itself). */
typedef const char *(*OutEscape)(unsigned char c, char buf[8]);
void out_escaped(FILE *f, const char *s, const char *invalid, OutEscape esc);
/* The same for the n bytes at s, into a report's buffer (outbuf.h). */
struct OutBuf;
void out_escaped_to(struct OutBuf *b, const char *s, size_t n, const char *invalid, OutEscape esc);
/* A JSON string, escaped, invalid UTF-8 as U+FFFD; NULL is null. */
void out_json_str(FILE *f, const char *s);
/* Does the recomputed score differ from the self-awarded one by more than
 * the rule file's tolerance? */
bool out_score_differs(const Output *o, const ScoreEval *e);
/* Copy the rest of `from` (from its start) to `to`; false on a read or write error. */
bool out_copy_file(FILE *from, FILE *to);

/* "error", "warning", "note", by DiagSeverity. */
extern const char *const out_severity_name[3];
/* The label for a memo format (xlsx, HTML): in Chinese the translation of
 * en; in English both, "中文 English" as the memo formats have always shown
 * them (`sep` between; zh first unless en_first).  Static or arena storage:
 * in buf (OUT_LABEL_BUF bytes) when both are shown. */
#define OUT_LABEL_BUF 512
/* A label of the memo formats written as they have always been, "中文 English"
 * ("复核得分 Recomputed total"): itself in English, its Chinese half (up to
 * the first space) in Chinese.  Thread-local storage, a few at a time. */
const char *out_bi(const char *label);
const char *out_label(const char *en, const char *sep, bool en_first, char *buf);

/* A value as written ("15人", "90%", a text in full); NULL when missing. */
const char *out_value_text(const TlValue *v, char *buf);
/* As out_value_text, to the rule file's option show_places (text and HTML
 * only: CSV and JSON keep every figure exact). */
const char *out_shown_text(const Output *o, const TlValue *v, char *buf);
/* Points (weights, scores, totals): the exact decimal without trailing zeros;
 * any other value as written; NULL when missing.  buf holds VAL_BUF bytes. */
const char *out_points_text(const TlValue *v, char *buf);
/* A recomputed total and what it may reach (docs/output.md, unverified
 * indicators): r's lower and upper ends (the total itself when no range was
 * computed), and whether they differ. */
void out_total_range(const ReportResult *r, const TlValue **lo, const TlValue **hi);
bool out_is_range(const TlValue *lo, const TlValue *hi);
/* The total as an auditor reads it: "95", "47.5–87.5", or "at least 90" (an
 * unverified indicator of unknown weight); NULL when there is none.  buf holds
 * OUT_TOTAL_BUF bytes. */
#define OUT_TOTAL_BUF (2 * DEC_BUF + 16)
const char *out_total_text(const TlValue *lo, const TlValue *hi, char *buf);
/* A decimal as points; buf holds DEC_BUF bytes. */
const char *out_dec_text(TlDec d, char *buf);
/* "FILE:LINE" of the rule that decided a finding, or NULL. */
const char *out_rule_text(const Finding *fi, char *buf, size_t n);

static inline const char *out_or_empty(const char *s) { return s ? s : ""; }
static inline bool out_nonempty(const char *s) { return s && *s; }

#endif
