/* formats.h - what the writers of the output formats share (internal to
 * runtime/output/): one writer per format (text.c, csv.c, json.c; the
 * writers of this wave's new formats go beside them), called by
 * output_report() (output.c) for one scored report, and the few ways of
 * showing values they have in common. */
#ifndef TALLY_FORMATS_H
#define TALLY_FORMATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "output.h"

#define OUT_PLACES 10 /* decimals kept for points: every score and total the rules produce */

/* Write one report in each format; o->count already counts it. */
void out_text_report(const Output *o, const ReportResult *r);
void out_csv_report(const Output *o, const ReportResult *r);
void out_json_report(const Output *o, const ReportResult *r);
/* The CSV header line, written by output_begin(). */
extern const char out_csv_header[];

/* "error", "warning", "note", by DiagSeverity. */
extern const char *const out_severity_name[3];

/* A value as written ("15人", "90%", a text in full); NULL when missing. */
const char *out_value_text(const TlValue *v, char *buf);
/* Points (weights, scores, totals): the exact decimal without trailing zeros;
 * any other value as written; NULL when missing.  buf holds VAL_BUF bytes. */
const char *out_points_text(const TlValue *v, char *buf);
/* A decimal as points; buf holds DEC_BUF bytes. */
const char *out_dec_text(TlDec d, char *buf);
/* "FILE:LINE" of the rule that decided a finding, or NULL. */
const char *out_rule_text(const Finding *fi, char *buf, size_t n);

static inline const char *out_or_empty(const char *s) { return s ? s : ""; }
static inline bool out_nonempty(const char *s) { return s && *s; }

#endif
