/* tally_pg.h - what the extension's files share (README.md: the design).
 *
 * Tally allocates with malloc; every Tally object a call creates is held by
 * a TallyHold, which frees it when the call's memory context is reset or
 * deleted, so an ERROR (a longjmp) cannot leak it.  Compiled rule sets live
 * in a per-backend cache keyed by their name and text (rule_cache.c).
 */
#ifndef TALLY_PG_H
#define TALLY_PG_H

#include "postgres.h"

#include "fmgr.h"
#include "nodes/pg_list.h"
#include "utils/jsonb.h"

#include "tally.h"

/* The name under which rules given as text are compiled: it prefixes their
 * diagnostics ("rules:3:30: ...") and the "rule" member of findings. */
#define TALLY_TEXT_RULES_NAME "rules"

/* Tally objects owned by a memory context ----------------------------------- */

typedef struct TallyHold {
    TallyData *data;
    TallyResult *result;
    char *json;
    TallyDiagnostics *diagnostics;
    MemoryContextCallback callback;
} TallyHold;

/* A hold in the current memory context: whatever it holds is freed when
 * that context is reset or deleted (also after an ERROR). */
TallyHold *tally_hold_new(void);
/* Free what h holds now (the normal path); h stays usable. */
void tally_hold_release(TallyHold *h);

/* A reference to a cache entry that stays checkable after the entry is
 * evicted or reused: the generation tells. */
typedef struct RuleRef {
    const void *entry;
    uint64 generation;
} RuleRef;

/* What one call site (an FmgrInfo) remembers for the rest of its query, in
 * fn_extra. */
typedef struct CallMemo {
    struct varlena *raw_rules; /* rule_cache.c: the rules argument as last passed (raw) */
    RuleRef rules_ref;         /* rule_cache.c: what it compiled to */
    List *named;               /* rule_sets.c: NamedSource items looked up in this query */
} CallMemo;

/* fcinfo's memo, created on first use in the query's function memory. */
CallMemo *call_memo(FunctionCallInfo fcinfo);

/* Compiled rules ------------------------------------------------------------ */

/* The rules compiled from text under name, from this backend's cache or
 * compiled now; *ref is set to refer to them.  Rules that do not compile
 * raise ERROR 42601 with the first problem's line and column and every
 * diagnostic in the DETAIL.  The pointer is valid until the next call of a
 * rule_cache or rule_set function. */
const TallyRules *rule_cache_get(const char *name, const char *text, size_t len, RuleRef *ref);
/* The rules ref refers to, or NULL when its entry has been reused since. */
const TallyRules *rule_ref_rules(const RuleRef *ref);
/* The rules given as a text datum (argument or aggregate state), named
 * TALLY_TEXT_RULES_NAME: when the raw datum is the one this call site saw
 * last (a constant, or the same TOAST pointer of a joined rule-set row), no
 * detoasting and no hashing. */
const TallyRules *rule_cache_text(FunctionCallInfo fcinfo, Datum rules);
/* The rules of the named rule set (table tally_rule_set), looked up once per
 * query and compiled once per backend; ERROR 42704 when there is none. */
const TallyRules *rule_set_get(FunctionCallInfo fcinfo, text *name);
/* Raise the diagnostics of rules that did not compile (frees diags first). */
void rule_errors_raise(const char *name, TallyDiagnostics *diags) pg_attribute_noreturn();

/* Scoring -------------------------------------------------------------------- */

/* The text of a jsonb report, checked to be one JSON object (ERROR 22023). */
char *report_text(Jsonb *report);
/* Score report idx of h->data with rules into h->result. */
void score_into(TallyHold *h, const TallyRules *rules, size_t idx, bool explain);
/* h->result as jsonb: the object `tally score --format json` prints. */
Datum result_jsonb(TallyHold *h);

#endif
