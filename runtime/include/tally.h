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

typedef struct TallyRules TallyRules;
typedef struct TallyData TallyData;
typedef struct TallyResult TallyResult;

/* Version of the library, "MAJOR.MINOR.PATCH". */
const char *tally_version(void);

/* A checked rule file, or NULL with *errors set (when errors is not NULL). */
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

#endif
