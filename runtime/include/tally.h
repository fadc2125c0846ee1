/* tally.h - the public API: embed Tally in another program.
 *
 * Compile a rule file, load report data, score a report, read its total,
 * grade and findings (or the whole result as JSON).  A host can compile a new
 * version of a policy at any time and free the old one; nothing is global.
 * Errors come back as rendered diagnostics (FILE:LINE:COL: error: ...), in a
 * string the caller frees with free().
 */
#ifndef TALLY_H
#define TALLY_H

#include <stdbool.h>
#include <stddef.h>

/* libtally is built with hidden visibility: what this header declares is
 * what the shared library exports (docs/api.md). */
#pragma GCC visibility push(default)

typedef struct TallyRules TallyRules;
typedef struct TallyData TallyData;
typedef struct TallyResult TallyResult;

/* Version of the library, "MAJOR.MINOR.PATCH". */
const char *tally_version(void);

/* The language of the messages the calling thread gets from now on
 * (findings, diagnostics, errors): "zh" or a Chinese locale name
 * ("zh_CN.UTF-8") for Chinese, "en", "C" or "POSIX" for English, the
 * default.  Per thread; the library never calls setlocale().  False, and
 * no change, for a name of another language. */
bool tally_set_language(const char *lang);
/* Where the Chinese catalogue is (DIR/zh_CN/LC_MESSAGES/tally.mo) when it
 * is not in the LOCALEDIR Tally was installed with; before the first
 * message is translated.  Messages stay English when none is found. */
void tally_set_localedir(const char *dir);

/* A checked rule file, or NULL with *errors set (when errors is not NULL).
 * A rule file loaded from disk may import others (relative to its folder);
 * rule text compiled from memory may not (an `import` is an error), so that
 * text from elsewhere - a database, a request - never makes the host read
 * its files. */
TallyRules *tally_rules_load(const char *path, char **errors);
TallyRules *tally_rules_compile(const char *name, const char *text, size_t len, char **errors);
/* Score these rules with compiled code from now on (docs/performance.md):
 * compile them with libgccjit in a child process, or load them from the
 * compile cache in cache_dir (NULL: $XDG_CACHE_HOME/tally, else
 * ~/.cache/tally).  Results are the interpreter's bit for bit; tally_score
 * with explain set still uses the interpreter.  True when compiled code is
 * in use (also when it already was).  False, with a one-line reason in
 * *errors (the caller frees it), when it cannot be had - libgccjit, `as` or
 * `ld` missing, a cache directory that cannot be created, a compile error:
 * the rules then go on scoring with the interpreter.  Without it, rules
 * always use the interpreter. */
bool tally_rules_use_jit(TallyRules *rules, const char *cache_dir, char **errors);
/* Free results scored with these rules first. */
void tally_rules_free(TallyRules *rules);

/* Report data (wide or long CSV, JSON; see docs/data.md).  Problems confined
 * to one report mark that report and are also returned in *errors; NULL only
 * when the file could not be read at all.  encoding may be NULL (UTF-8). */
TallyData *tally_data_load(const char *path, const char *encoding, char **errors);
TallyData *tally_data_parse(const char *name, const char *text, size_t len, char **errors);
size_t tally_data_count(const TallyData *data);
const char *tally_data_report_id(const TallyData *data, size_t i);
void tally_data_free(TallyData *data);

/* Score report i with rules.  The result holds its own storage. */
TallyResult *tally_score(const TallyRules *rules, const TallyData *data, size_t i, bool explain);
void tally_result_free(TallyResult *result);

const char *tally_result_report(const TallyResult *r);
/* Why the report could not be scored, or NULL. */
const char *tally_result_error(const TallyResult *r);
/* Exact decimals as text ("95", "8.6"); NULL when missing. */
const char *tally_result_total(const TallyResult *r);
const char *tally_result_stated_total(const TallyResult *r);
/* Grade from the recomputed total, NULL when the rules have no grades. */
const char *tally_result_grade(const TallyResult *r);
size_t tally_result_finding_count(const TallyResult *r);
/* Finding i: its stable code ("E_SCORE_MISMATCH"), severity ("error",
 * "warning", "note"), subject (indicator, group or check) and message. */
const char *tally_result_finding_code(const TallyResult *r, size_t i);
const char *tally_result_finding_severity(const TallyResult *r, size_t i);
const char *tally_result_finding_subject(const TallyResult *r, size_t i);
const char *tally_result_finding_message(const TallyResult *r, size_t i);
/* The whole result as the JSON object `tally score --format json` prints
 * for one report (docs/output.md); the caller frees it. */
char *tally_result_json(const TallyResult *r);

/* Diagnostics as data ------------------------------------------------------
 * A host that shows rule-file problems its own way (a database error with
 * the line and column, an editor's margin) reads them one by one. */
typedef struct TallyDiagnostics TallyDiagnostics;

/* tally_rules_compile, with every diagnostic (errors, and the warnings of a
 * rule file that compiles) in *diagnostics when it is not NULL; the caller
 * frees them with tally_diagnostics_free.  *diagnostics is set (possibly
 * empty) whatever the outcome. */
TallyRules *tally_rules_compile_with_diagnostics(const char *name, const char *text, size_t len,
                                                 TallyDiagnostics **diagnostics);
size_t tally_diagnostics_count(const TallyDiagnostics *d);
/* How many of them are errors. */
size_t tally_diagnostics_errors(const TallyDiagnostics *d);
/* Diagnostic i: "error", "warning" or "note". */
const char *tally_diagnostic_severity(const TallyDiagnostics *d, size_t i);
/* The message alone, without position ("unknown name '未知'"). */
const char *tally_diagnostic_message(const TallyDiagnostics *d, size_t i);
/* An extra line ("did you mean ...?"), or NULL. */
const char *tally_diagnostic_hint(const TallyDiagnostics *d, size_t i);
/* 1-based line and column (in characters) in the rule text; 0 when the
 * diagnostic is about the whole file. */
int tally_diagnostic_line(const TallyDiagnostics *d, size_t i);
int tally_diagnostic_column(const TallyDiagnostics *d, size_t i);
/* All of them rendered as tally prints them (FILE:LINE:COL: error: ...,
 * the source line and a caret); "" when there are none.  Owned by d. */
const char *tally_diagnostics_text(const TallyDiagnostics *d);
void tally_diagnostics_free(TallyDiagnostics *d);

/* Report data built by the host --------------------------------------------
 * A database or a form hands over cells, not files: reports are added to a
 * TallyData cell by cell, read exactly as the long and wide CSV readers read
 * them (docs/data.md: cells, level labels, the 总分 and 自评结论 rows). */

/* An empty set of reports to add to. */
TallyData *tally_data_new(void);

/* One row of a report's indicator table.  NULL is an empty cell, except for
 * reason, where NULL means "no reason column" (as in an 8-column long CSV)
 * and "" an empty reason.  line numbers the row in messages and in the
 * result's "row" member (SOURCE:LINE). */
typedef struct TallyRow {
    int line;
    const char *level1, *level2, *indicator, *target, *actual, *weight, *reported;
    const char *reason;
} TallyRow;

/* Append the report `report` (NULL or blank: listed as "line N" and marked)
 * whose indicator table is rows[0 .. nrows - 1], in that order; source names
 * where the rows came from ("hrss_rows", a table name).  Problems confined to
 * the report mark it (tally_result_error) and are also returned in *errors
 * (when errors is not NULL; the caller frees it, NULL when there are none).
 * Returns the report's index for tally_score: a report whose figures were
 * added before under the same id gets its table joined to them. */
size_t tally_data_add_table(TallyData *data, const char *source, const char *report,
                            const TallyRow *rows, size_t nrows, char **errors);
/* Append (or join to the table of the same id) a report's named figures:
 * names[k] holds cells[k] (NULL: missing), as one row of a wide CSV would;
 * line numbers the report in messages.  Errors and the result as above. */
size_t tally_data_add_figures(TallyData *data, const char *source, int line, const char *report,
                              const char *const *names, const char *const *cells, size_t n,
                              char **errors);

#pragma GCC visibility pop

#endif
