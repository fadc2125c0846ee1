/* rows.c - the aggregates that score a report from its table rows:
 *   tally_score_rows(rules, source, report, line, level1, level2, indicator,
 *                    target, actual, weight, reported [, reason])
 *   tally_score_rows_named(rule_set, source, report, line, ...)
 * used with GROUP BY report.  A NULL cell is an empty cell; the form without
 * reason reads as a long CSV without a reason column.  Rows are collected in the aggregate's memory
 * context and put in line order by the final function, which scores them
 * (a table's rows have no order of their own; line also numbers the row in
 * the result's "row" member, source:line).
 */
#include "tally_pg.h"

#include "miscadmin.h"
#include "utils/builtins.h"

enum { ARG_RULES = 1, ARG_SOURCE, ARG_REPORT, ARG_LINE, ARG_FIRST_CELL };
#define CELLS 8 /* level1 .. reported, reason */

typedef struct RowIn {
    TallyRow row;
    int64 seq; /* arrival order: rows with the same line keep it */
} RowIn;

typedef struct RowsState {
    struct varlena *rules; /* rule text, or the rule set's name, as passed (raw) */
    char *source;
    char *report;       /* NULL: a NULL report id */
    RowIn *rows;
    int64 n, cap;
} RowsState;

/* A copy of a text datum as passed: 18 bytes for a TOAST pointer, which
 * stays valid for the query. */
static struct varlena *raw_copy(Datum d)
{
    struct varlena *raw = (struct varlena *)DatumGetPointer(d);
    struct varlena *copy = palloc(VARSIZE_ANY(raw));
    memcpy(copy, raw, VARSIZE_ANY(raw));
    return copy;
}

/* Do two text datums hold the same text?  Equal raw bytes are enough (the
 * same constant, the same TOAST pointer); else compare the texts. */
static bool same_text(struct varlena *a, Datum bd)
{
    struct varlena *b = (struct varlena *)DatumGetPointer(bd);
    if (VARSIZE_ANY(a) == VARSIZE_ANY(b) && memcmp(a, b, VARSIZE_ANY(a)) == 0)
        return true;
    text *ta = DatumGetTextPP(PointerGetDatum(a)), *tb = DatumGetTextPP(bd);
    return VARSIZE_ANY_EXHDR(ta) == VARSIZE_ANY_EXHDR(tb) &&
           memcmp(VARDATA_ANY(ta), VARDATA_ANY(tb), VARSIZE_ANY_EXHDR(ta)) == 0;
}

static char *cell_arg(FunctionCallInfo fcinfo, int k)
{
    return k < PG_NARGS() && !PG_ARGISNULL(k) ? text_to_cstring(PG_GETARG_TEXT_PP(k)) : NULL;
}

static void require_arg(FunctionCallInfo fcinfo, int k, const char *what)
{
    if (PG_ARGISNULL(k))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("%s must not be NULL", what)));
}

/* The first row of a group fixes rules, source and report; every other row
 * must agree, or the query grouped the rows wrongly. */
static void check_group(FunctionCallInfo fcinfo, RowsState *st)
{
    if (!same_text(st->rules, PG_GETARG_DATUM(ARG_RULES)))
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("the rules differ between rows of one report"),
                        errhint("Give every row of a report the same rules.")));
    char *source = text_to_cstring(PG_GETARG_TEXT_PP(ARG_SOURCE));
    if (strcmp(source, st->source) != 0)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("rows from sources \"%s\" and \"%s\" in one group", st->source,
                               source)));
    char *report = cell_arg(fcinfo, ARG_REPORT);
    if ((report == NULL) != (st->report == NULL) || (report && strcmp(report, st->report) != 0))
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("rows of reports \"%s\" and \"%s\" in one group",
                               st->report ? st->report : "NULL", report ? report : "NULL"),
                        errhint("Group the rows by report: GROUP BY report.")));
}

PG_FUNCTION_INFO_V1(tallypg_rows_step);
/* The transition function: append one row to the group's state. */
Datum tallypg_rows_step(PG_FUNCTION_ARGS)
{
    MemoryContext aggcxt;
    if (!AggCheckCallContext(fcinfo, &aggcxt))
        elog(ERROR, "tallypg_rows_step called outside an aggregate");
    CHECK_FOR_INTERRUPTS();
    require_arg(fcinfo, ARG_RULES, "rules");
    require_arg(fcinfo, ARG_SOURCE, "source");
    require_arg(fcinfo, ARG_LINE, "line");
    MemoryContext old = MemoryContextSwitchTo(aggcxt);
    RowsState *st = PG_ARGISNULL(0) ? NULL : (RowsState *)PG_GETARG_POINTER(0);
    if (!st) {
        st = palloc0(sizeof *st);
        st->rules = raw_copy(PG_GETARG_DATUM(ARG_RULES));
        st->source = text_to_cstring(PG_GETARG_TEXT_PP(ARG_SOURCE));
        st->report = cell_arg(fcinfo, ARG_REPORT);
    } else {
        check_group(fcinfo, st);
    }
    if (st->n == st->cap) {
        st->cap = st->cap ? 2 * st->cap : 32;
        st->rows = st->rows ? repalloc(st->rows, st->cap * sizeof *st->rows)
                            : palloc(st->cap * sizeof *st->rows);
    }
    RowIn *in = &st->rows[st->n];
    in->seq = st->n++;
    in->row.line = PG_GETARG_INT32(ARG_LINE);
    const char **cells[CELLS] = {&in->row.level1, &in->row.level2, &in->row.indicator,
                                 &in->row.target, &in->row.actual, &in->row.weight,
                                 &in->row.reported, &in->row.reason};
    for (int c = 0; c < CELLS; c++)
        *cells[c] = cell_arg(fcinfo, ARG_FIRST_CELL + c);
    /* The form with a reason argument is a table with a reason column: a NULL
     * there is an empty reason (W_REASON_MISSING applies), not an absent column. */
    if (PG_NARGS() > ARG_FIRST_CELL + CELLS - 1 && !in->row.reason)
        in->row.reason = "";
    MemoryContextSwitchTo(old);
    PG_RETURN_POINTER(st);
}

static int by_line(const void *a, const void *b)
{
    const RowIn *x = a, *y = b;
    if (x->row.line != y->row.line)
        return x->row.line < y->row.line ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Score the group's rows with rules; NULL for a group with no rows. */
static Datum score_rows(FunctionCallInfo fcinfo, const TallyRules *rules, const RowsState *st)
{
    CHECK_FOR_INTERRUPTS();
    RowIn *sorted = palloc(Max(st->n, 1) * sizeof *sorted);
    memcpy(sorted, st->rows, st->n * sizeof *sorted);
    qsort(sorted, st->n, sizeof *sorted, by_line);
    TallyRow *rows = palloc(Max(st->n, 1) * sizeof *rows);
    for (int64 i = 0; i < st->n; i++)
        rows[i] = sorted[i].row;
    TallyHold *h = tally_hold_new();
    h->data = tally_data_new();
    char *errors = NULL;
    /* Problems of the rows are the result's "error", as `tally score` prints them. */
    size_t idx = tally_data_add_table(h->data, st->source, st->report, rows, (size_t)st->n,
                                      &errors);
    free(errors);
    score_into(h, rules, idx, false);
    return result_jsonb(h);
}

PG_FUNCTION_INFO_V1(tallypg_rows_final);
/* The final function of tally_score_rows: the rules are text. */
Datum tallypg_rows_final(PG_FUNCTION_ARGS)
{
    if (PG_ARGISNULL(0))
        PG_RETURN_NULL();
    const RowsState *st = (const RowsState *)PG_GETARG_POINTER(0);
    return score_rows(fcinfo, rule_cache_text(fcinfo, PointerGetDatum(st->rules)), st);
}

PG_FUNCTION_INFO_V1(tallypg_rows_final_named);
/* The final function of tally_score_rows_named: the rules are a rule set's name. */
Datum tallypg_rows_final_named(PG_FUNCTION_ARGS)
{
    if (PG_ARGISNULL(0))
        PG_RETURN_NULL();
    const RowsState *st = (const RowsState *)PG_GETARG_POINTER(0);
    text *name = DatumGetTextPP(PointerGetDatum(st->rules));
    return score_rows(fcinfo, rule_set_get(fcinfo, name), st);
}
