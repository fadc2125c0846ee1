/* rows.h - which rule scores a row of a report's own indicator table.
 *
 * A row belongs to the framework's table group its level-1 label names
 * (the group's name or an alias), must carry a level-2 category of that
 * group, and is scored by the first `rows` rule whose conditions all hold
 * (docs/language.md).  The scorer dispatches each row so, and the column
 * batch does the same ahead of it.
 */
#ifndef TALLY_ROWS_H
#define TALLY_ROWS_H

#include <stdbool.h>

#include "lang/program.h"
#include "runtime/data/report.h"

/* Labels match when equal, or equal once a trailing "指标" is dropped from
 * either ("满意度指标" and "满意度"). */
bool rows_label_match(const char *a, const char *b);
/* The table group a row's level-1 label names, or -1. */
int rows_group_of(const Program *p, const TableRow *row);
/* Is level2 a category of table group g? */
bool rows_category_ok(const Group *g, const char *level2);
/* The rows rule that scores a row of group g: the first whose conditions
 * all hold, or NULL. */
const RowRule *rows_rule_for(const Program *p, const TableRow *row, int g);
/* The whole dispatch: the index of the rows rule that scores row, or -1
 * (no group, no category, no rule). */
int rows_rule_index(const Program *p, const TableRow *row);

#endif
