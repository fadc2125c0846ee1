/* score.c - scoring one report given as jsonb: tally_score, tally_explain,
 * tally_findings and their named forms. */
#include "tally_pg.h"

#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

/* The name under which jsonb reports are read: table rows of a jsonb report
 * print as "row": "jsonb:1" (its text is one line). */
#define JSONB_SOURCE_NAME "jsonb"

char *report_text(Jsonb *report)
{
    if (!JB_ROOT_IS_OBJECT(report))
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("a report must be a JSON object, not %s",
                               JB_ROOT_IS_SCALAR(report) ? "a scalar" : "an array"),
                        errhint("Score the elements of an array one by one: "
                                "tally_score(rules, jsonb_array_elements(reports)).")));
    return JsonbToCString(NULL, &report->root, VARSIZE(report));
}

void score_into(TallyHold *h, const TallyRules *rules, size_t idx, bool explain)
{
    h->result = tally_score(rules, h->data, idx, explain);
    if (!h->result)
        elog(ERROR, "tally_score found no report %zu", idx);
}

Datum result_jsonb(TallyHold *h)
{
    h->json = tally_result_json(h->result);
    if (!h->json)
        ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
    Datum d = DirectFunctionCall1(jsonb_in, CStringGetDatum(h->json));
    tally_hold_release(h);
    return d;
}

/* Read the report into a new hold and score it.  A report the JSON reader
 * cannot take at all is an ERROR; problems inside it are the result's
 * "error", as `tally score` prints them. */
static TallyHold *score_jsonb(const TallyRules *rules, Jsonb *report, bool explain)
{
    char *text = report_text(report);
    TallyHold *h = tally_hold_new();
    char *errors = NULL;
    h->data = tally_data_parse(JSONB_SOURCE_NAME, text, strlen(text), &errors);
    if (!h->data || tally_data_count(h->data) != 1) {
        char *why = pstrdup(errors ? errors : "no report");
        free(errors);
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("the report could not be read"), errdetail("%s", why)));
    }
    free(errors);
    score_into(h, rules, 0, explain);
    return h;
}

PG_FUNCTION_INFO_V1(tallypg_score);
/* tally_score(rules text, report jsonb) returns jsonb */
Datum tallypg_score(PG_FUNCTION_ARGS)
{
    CHECK_FOR_INTERRUPTS();
    const TallyRules *rules = rule_cache_text(fcinfo, PG_GETARG_DATUM(0));
    return result_jsonb(score_jsonb(rules, PG_GETARG_JSONB_P(1), false));
}

PG_FUNCTION_INFO_V1(tallypg_explain);
/* tally_explain(rules text, report jsonb) returns jsonb: with "explain" lines */
Datum tallypg_explain(PG_FUNCTION_ARGS)
{
    CHECK_FOR_INTERRUPTS();
    const TallyRules *rules = rule_cache_text(fcinfo, PG_GETARG_DATUM(0));
    return result_jsonb(score_jsonb(rules, PG_GETARG_JSONB_P(1), true));
}

PG_FUNCTION_INFO_V1(tallypg_score_named);
/* tally_score_named(rule_set text, report jsonb) returns jsonb */
Datum tallypg_score_named(PG_FUNCTION_ARGS)
{
    CHECK_FOR_INTERRUPTS();
    const TallyRules *rules = rule_set_get(fcinfo, PG_GETARG_TEXT_PP(0));
    return result_jsonb(score_jsonb(rules, PG_GETARG_JSONB_P(1), false));
}

PG_FUNCTION_INFO_V1(tallypg_explain_named);
/* tally_explain_named(rule_set text, report jsonb) returns jsonb */
Datum tallypg_explain_named(PG_FUNCTION_ARGS)
{
    CHECK_FOR_INTERRUPTS();
    const TallyRules *rules = rule_set_get(fcinfo, PG_GETARG_TEXT_PP(0));
    return result_jsonb(score_jsonb(rules, PG_GETARG_JSONB_P(1), true));
}

static void put_finding(ReturnSetInfo *rsi, const char *kind, const char *severity,
                        const char *subject, const char *message)
{
    Datum values[4] = {CStringGetTextDatum(kind), CStringGetTextDatum(severity),
                       CStringGetTextDatum(subject ? subject : ""),
                       CStringGetTextDatum(message ? message : "")};
    bool nulls[4] = {false, false, false, false};
    tuplestore_putvalues(rsi->setResult, rsi->setDesc, values, nulls);
}

/* The findings of a scored report as rows (kind, severity, subject,
 * message); a report that could not be scored is one row E_NOT_SCORED. */
static Datum findings_rows(FunctionCallInfo fcinfo, const TallyRules *rules)
{
    InitMaterializedSRF(fcinfo, 0);
    ReturnSetInfo *rsi = (ReturnSetInfo *)fcinfo->resultinfo;
    TallyHold *h = score_jsonb(rules, PG_GETARG_JSONB_P(1), false);
    const TallyResult *r = h->result;
    if (tally_result_error(r))
        put_finding(rsi, "E_NOT_SCORED", "error", tally_result_report(r), tally_result_error(r));
    size_t n = tally_result_finding_count(r);
    for (size_t i = 0; i < n; i++)
        put_finding(rsi, tally_result_finding_code(r, i), tally_result_finding_severity(r, i),
                    tally_result_finding_subject(r, i), tally_result_finding_message(r, i));
    tally_hold_release(h);
    return (Datum)0;
}

PG_FUNCTION_INFO_V1(tallypg_findings);
/* tally_findings(rules text, report jsonb) returns setof (kind, severity, subject, message) */
Datum tallypg_findings(PG_FUNCTION_ARGS)
{
    CHECK_FOR_INTERRUPTS();
    return findings_rows(fcinfo, rule_cache_text(fcinfo, PG_GETARG_DATUM(0)));
}

PG_FUNCTION_INFO_V1(tallypg_findings_named);
/* tally_findings_named(rule_set text, report jsonb) returns setof (...) */
Datum tallypg_findings_named(PG_FUNCTION_ARGS)
{
    CHECK_FOR_INTERRUPTS();
    return findings_rows(fcinfo, rule_set_get(fcinfo, PG_GETARG_TEXT_PP(0)));
}
