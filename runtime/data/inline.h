/* inline.h - a report written inline: the small report of a rule file's
 * test block (docs/language.md, "Tests"), read as the readers of data
 * files read theirs. */
#ifndef TALLY_INLINE_H
#define TALLY_INLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "report.h"

/* The cells of an inline table row, in the order of a long CSV's columns
 * after `report`: level1, level2, indicator, target, actual, weight,
 * reported, reason.  NULL is an empty cell. */
#define INLINE_CELLS 8

typedef struct InlineFigure {
    const char *name;
    const char *text;        /* the cell as written; NULL: empty */
    int line, col;           /* where it is written */
} InlineFigure;

typedef struct InlineRow {
    const char *cell[INLINE_CELLS];
    int col[INLINE_CELLS];   /* where each cell is written on the row's line */
    int line;
} InlineRow;

typedef struct InlineReport {
    const char *id;
    const char *file;        /* the file it is written in, for positions */
    int line;
    const InlineFigure *figures;
    size_t nfigures;
    const InlineRow *rows;
    size_t nrows;
    bool has_reason;         /* the rows have a reason cell (a long CSV's ninth column) */
    int year;                /* the report's year, or 0 */
} InlineReport;

/* Append r to set: its figures read as a wide CSV's cells, its rows as a
 * long CSV's (docs/data.md: the same cells, the 总分 and 自评结论
 * conventions, the same errors), messages at r->file's lines and columns. */
void reportset_add_inline(ReportSet *set, const InlineReport *r, DiagList *diags);

#endif
