/* columns.h - a run of reports laid out in columns for the batch kernels.
 *
 * Compiled code scores fixed indicators, and table rows a rows rule scores
 * by a formula, in batch kernels: loops over columns of unboxed decimals
 * (runtime/jit/rt.h JitColumns).  columns_run() binds the figures of up to
 * a few hundred reports as the scorer binds them (bind.h), writes the values
 * the kernels read into columns - per input a coefficient, a scale, a tag,
 * unit and magnitude ids, text ids - dispatches their table rows as the
 * scorer does (rows.h), and runs every kernel once.  The scorer then takes
 * each report's results from here (score.c) and scores the rest as always;
 * the results are the interpreter's, bit for bit.  A ColumnBatch knows
 * nothing of the scorer.
 */
#ifndef TALLY_COLUMNS_H
#define TALLY_COLUMNS_H

#include <stddef.h>

#include "bind.h"
#include "lang/program.h"
#include "runtime/data/report.h"
#include "runtime/jit/rt.h"

typedef struct ColumnBatch ColumnBatch;

ColumnBatch *columns_new(void);
void columns_free(ColumnBatch *b);
/* Forget the reports held (their results came from other code). */
void columns_clear(ColumnBatch *b);
/* Lay out reports r[0 .. k - 1] and run jp's batch kernels over them:
 * k >= 1 is as many of the n as fit (a few hundred at most, fewer for large
 * rule files).  Their table rows are dispatched ahead (columns_table) for
 * either engine: with jp NULL (the interpreter) or without batch kernels
 * only that is done, and k is n when p has no table groups (nothing is held
 * then).  Figures are found through `layout`, the caller's. */
size_t columns_run(ColumnBatch *b, const Program *p, const JitProgram *jp, InputLayout *layout,
                   const Report *r, size_t n);
/* r's row among the reports held by compiled code's kernels, or -1. */
long columns_row_of(const ColumnBatch *b, const Report *r);
/* Input i of row `row` (columns_row_of) as bound for the batch kernels:
 * true with its value when its figure was bound without a fault (what
 * bind_input gives); false - no row, an input the kernels do not read, no
 * figure or a bad one - and the caller binds it. */
bool columns_bound(const ColumnBatch *b, long row, int i, TlValue *out);
/* Indicator i's batch result for row `row` (columns_row_of), or NULL: no
 * row, or no batch kernel for i. */
const JitRowResult *columns_result(const ColumnBatch *b, long row, int i);
/* Where the table rows of r start among the rows dispatched ahead, or -1
 * when they were not (no row kernels, or r is not held). */
long columns_table(const ColumnBatch *b, const Report *r);
/* Row i of the table starting at `first` (columns_table): its group
 * (rows_group_of; -1: none) and whether its level-2 is a category of it
 * (rows_category_ok), as the dispatch found them; the rows rule that scores
 * it (-1: none covers it), and the rule's batch result, or NULL. */
int columns_row_group(const ColumnBatch *b, long first, size_t i, bool *category);
int columns_row_rule(const ColumnBatch *b, long first, size_t i);
/* Its target and actual as the program reads them (rows_target,
 * rows_actual), from how the dispatch found them read. */
void columns_row_cells(const ColumnBatch *b, long first, size_t i, const TableRow *row, TlValue *target,
                       TlValue *actual);
const JitRowResult *columns_row_result(const ColumnBatch *b, long first, size_t i);

#endif
