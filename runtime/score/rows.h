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
#include <string.h>

#include "lang/program.h"
#include "runtime/data/report.h"

/* A cell of the report as the program reads it: the loader parsed it with
 * the default missing markers; a rule file's own `words missing` makes a
 * marker it dropped text again, and a word it added missing. */
TlValue rows_cell(const Program *p, const TlValue *parsed, const char *raw);
/* How rows_cell reads a cell: as parsed, as missing, or as its raw text -
 * decided by the cell's kind, flags and raw text alone, so the column batch
 * asks once per kind of row (columns.c) and hands the answer to the scorer. */
typedef enum RowsRead { ROWS_AS_PARSED, ROWS_AS_MISSING, ROWS_AS_TEXT } RowsRead;
RowsRead rows_cell_read(const Program *p, const TlValue *parsed, const char *raw);
/* The cell read so: rows_cell(p, parsed, raw) when how is rows_cell_read's. */
static inline TlValue rows_cell_as(RowsRead how, const TlValue *parsed, const char *raw)
{
    switch (how) {
    case ROWS_AS_MISSING: return val_missing();
    case ROWS_AS_TEXT: return val_text(raw);
    case ROWS_AS_PARSED: break;
    }
    return *parsed;
}
/* The target and actual of a table row, so read. */
TlValue rows_target(const Program *p, const TableRow *row);
TlValue rows_actual(const Program *p, const TableRow *row);

/* Two labels the same text: the reader interns them, so mostly the same
 * address (a run of rows under one label), and strcmp only otherwise. */
static inline bool rows_same_label(const char *a, const char *b)
{
    return a == b || strcmp(a, b) == 0;
}

/* Labels match when equal, or equal once a trailing "指标" is dropped from
 * either ("满意度指标" and "满意度"). */
bool rows_label_match(const char *a, const char *b);
/* The table group a row's level-1 label names, or -1.  A label that is empty
 * once its stated weight is dropped ("(50分)") takes the one group that lists
 * the row's level-2 category by name. */
int rows_group_of(const Program *p, const TableRow *row);
/* Is level2 a category of table group g, by its name or through a `words`
 * alias (进度指标 for 时效指标)? */
bool rows_category_ok(const Program *p, const Group *g, const char *level2);

/* Which way a row's indicator is better (docs/language.md §3.11): its
 * target's comparison sign, then the words of its name, then those of its
 * level-2 category (the program's `higher` and `lower` words). */
typedef enum RowDirection { DIR_UNKNOWN, DIR_HIGHER, DIR_LOWER } RowDirection;
typedef enum DirectionFrom { FROM_NONE, FROM_SIGN, FROM_NAME, FROM_CATEGORY } DirectionFrom;
/* The direction, what decided it and, for a name or category, the word. */
RowDirection rows_direction(const Program *p, const TableRow *row, DirectionFrom *from,
                            const char **word);
/* "higher", "lower", "unknown". */
const char *rows_direction_name(RowDirection d);
/* The index of the first rows rule that tests the direction, or -1: a row
 * scored by it or a later rule had its direction asked. */
int rows_first_direction_rule(const Program *p);
/* The rows rule that scores a row of group g: the first whose conditions
 * all hold, or NULL. */
const RowRule *rows_rule_for(const Program *p, const TableRow *row, int g);
/* The whole dispatch: the index of the rows rule that scores row, or -1
 * (no group, no category, no rule). */
int rows_rule_index(const Program *p, const TableRow *row);

#endif
