/* versions.h - a policy: one rule file, or a folder of versions of it, each
 * stating the years it applies to (`applies`, docs/language.md), and the
 * choice of the version that scores a report, by the report's year (a year
 * column, JSON "year", or --year) - never by today's date.
 *
 * Used by `tally score`, `tally diff` and `tally check` (a folder).
 */
#ifndef TALLY_VERSIONS_H
#define TALLY_VERSIONS_H

#include <stdbool.h>

#include "lang/program.h"
#include "runtime/data/report.h"

typedef struct Policy {
    char *path;          /* as given */
    bool folder;         /* a folder of versions (else one rule file) */
    Program **versions;  /* in name order */
    char **names;        /* each version's file */
    int nversions;
} Policy;

/* Load a rule file, or a folder of versions: every *.tally file directly in
 * it that states `applies` (files that do not - shared bases - and
 * *_test.tally files are not versions, but every file is compiled, so
 * that an error in a base is seen).  Versions whose years overlap, and a
 * folder with no version, are errors.  Returns false, with every error in
 * diags, when the policy cannot be used. */
bool policy_load(Policy *pol, const char *path, DiagList *diags);
void policy_free(Policy *pol);

/* The version that scores a report of `year` (0: it states none), or -1
 * with the reason in *why (in arena).  One rule file scores every report
 * whose year it covers, and every report without a year; a folder needs
 * the year. */
int policy_choose(const Policy *pol, int year, const char **why, Arena *arena);

/* Do no two of the versions v[0 .. n) share a year?  An error at each that
 * overlaps an earlier one otherwise (its Source is kept in diags). */
bool versions_disjoint(Program *const *v, char *const *names, int n, DiagList *diags);
/* The *.tally files directly in folder `dir`, in name order (test files
 * too when `tests`); free each and the vector. */
void versions_files(const char *dir, bool tests, PtrVec *out);

/* "2022..2023 (rules/v/2022.tally), from 2024 (rules/v/2024.tally)": the
 * versions and their years, for messages. */
const char *policy_describe(const Policy *pol, Arena *arena);

#endif
