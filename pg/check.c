/* check.c - checking rule files from SQL: tally_check raises what is wrong
 * (the rule-set table's CHECK constraint), tally_diagnostics lists it. */
#include "tally_pg.h"

#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

/* Compile rules (argument 0) under name (argument 1) into h->diagnostics;
 * the rules themselves are not kept. */
static bool compile_rules(FunctionCallInfo fcinfo, TallyHold *h)
{
    text *rules = PG_GETARG_TEXT_PP(0);
    char *name = text_to_cstring(PG_GETARG_TEXT_PP(1));
    TallyRules *r = tally_rules_compile_with_diagnostics(name, VARDATA_ANY(rules),
                                                         VARSIZE_ANY_EXHDR(rules),
                                                         &h->diagnostics);
    bool ok = r != NULL;
    tally_rules_free(r);
    return ok;
}

PG_FUNCTION_INFO_V1(tallypg_check);
/* tally_check(rules text, name text) returns boolean: true, or ERROR 42601 */
Datum tallypg_check(PG_FUNCTION_ARGS)
{
    CHECK_FOR_INTERRUPTS();
    TallyHold *h = tally_hold_new();
    if (!compile_rules(fcinfo, h)) {
        TallyDiagnostics *d = h->diagnostics;
        h->diagnostics = NULL; /* rule_errors_raise frees them */
        rule_errors_raise(text_to_cstring(PG_GETARG_TEXT_PP(1)), d);
    }
    tally_hold_release(h);
    PG_RETURN_BOOL(true);
}

PG_FUNCTION_INFO_V1(tallypg_diagnostics);
/* tally_diagnostics(rules text, name text) returns setof (severity, line,
 * col, message, hint): every error and warning, none for a clean file;
 * line and col are NULL for a problem with the whole file */
Datum tallypg_diagnostics(PG_FUNCTION_ARGS)
{
    CHECK_FOR_INTERRUPTS();
    InitMaterializedSRF(fcinfo, 0);
    ReturnSetInfo *rsi = (ReturnSetInfo *)fcinfo->resultinfo;
    TallyHold *h = tally_hold_new();
    compile_rules(fcinfo, h);
    const TallyDiagnostics *d = h->diagnostics;
    for (size_t i = 0; i < tally_diagnostics_count(d); i++) {
        const char *hint = tally_diagnostic_hint(d, i);
        int line = tally_diagnostic_line(d, i);
        Datum values[5] = {CStringGetTextDatum(tally_diagnostic_severity(d, i)),
                           Int32GetDatum(line), Int32GetDatum(tally_diagnostic_column(d, i)),
                           CStringGetTextDatum(tally_diagnostic_message(d, i)),
                           hint ? CStringGetTextDatum(hint) : (Datum)0};
        /* Line 0 is a problem with the whole file (too large): no position. */
        bool nulls[5] = {false, line == 0, line == 0, false, hint == NULL};
        tuplestore_putvalues(rsi->setResult, rsi->setDesc, values, nulls);
    }
    tally_hold_release(h);
    return (Datum)0;
}
