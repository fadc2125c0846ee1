/* rule_sets.c - named rule sets: the table tally_rule_set.
 *
 * A rule set is stored once, as a row (name, source); the named functions
 * read it through SPI once per query and call site (the query's snapshot:
 * the functions are STABLE) and compile it once per backend (rule_cache.c).
 * A table, unlike session state, is visible to parallel workers, so the
 * named functions are PARALLEL SAFE.
 */
#include "tally_pg.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

typedef struct NamedSource {
    char *name;
    char *source;
    size_t len;
    RuleRef ref;   /* what the source compiled to */
} NamedSource;

/* The query that reads a rule set: the table is in the extension's schema,
 * the schema of the calling function. */
static char *lookup_query(FunctionCallInfo fcinfo)
{
    Oid schema = get_func_namespace(fcinfo->flinfo->fn_oid);
    const char *schema_name = get_namespace_name(schema);
    return psprintf("SELECT source FROM %s.tally_rule_set WHERE name = $1",
                    quote_identifier(schema_name));
}

/* Read the rule set `name` into memo memory; ERROR 42704 when missing. */
static NamedSource *read_rule_set(FunctionCallInfo fcinfo, text *name)
{
    char *query = lookup_query(fcinfo);
    Oid argtypes[1] = {TEXTOID};
    Datum args[1] = {PointerGetDatum(name)};
    if (SPI_connect() != SPI_OK_CONNECT)
        elog(ERROR, "SPI_connect failed");
    int rc = SPI_execute_with_args(query, 1, argtypes, args, NULL, true, 1);
    if (rc != SPI_OK_SELECT)
        elog(ERROR, "reading tally_rule_set failed: %s", SPI_result_code_string(rc));
    if (SPI_processed == 0)
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT),
                        errmsg("rule set \"%s\" does not exist", text_to_cstring(name)),
                        errhint("Add it with INSERT INTO tally_rule_set (name, source) "
                                "VALUES (...).")));
    bool isnull;
    Datum src = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
    MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
    NamedSource *ns = palloc(sizeof *ns);
    ns->name = text_to_cstring(name);
    ns->source = isnull ? pstrdup("") : TextDatumGetCString(src);
    ns->len = strlen(ns->source);
    ns->ref = (RuleRef){NULL, 0};
    MemoryContextSwitchTo(old);
    SPI_finish();
    return ns;
}

const TallyRules *rule_set_get(FunctionCallInfo fcinfo, text *name)
{
    CallMemo *memo = call_memo(fcinfo);
    size_t len = VARSIZE_ANY_EXHDR(name);
    const char *chars = VARDATA_ANY(name);
    NamedSource *found = NULL;
    ListCell *lc;
    foreach (lc, memo->named) {
        NamedSource *ns = lfirst(lc);
        if (strlen(ns->name) == len && memcmp(ns->name, chars, len) == 0) {
            found = ns;
            break;
        }
    }
    if (!found) {
        found = read_rule_set(fcinfo, name);
        MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
        memo->named = lappend(memo->named, found);
        MemoryContextSwitchTo(old);
    }
    const TallyRules *rules = rule_ref_rules(&found->ref);
    return rules ? rules : rule_cache_get(found->name, found->source, found->len, &found->ref);
}
