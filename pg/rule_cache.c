/* rule_cache.c - compiled rule sets, once per backend.
 *
 * Parsing and checking a rule file costs 0.1-0.3 ms, about as much as
 * scoring a report, so each backend (and each parallel worker) keeps the
 * rule sets it compiled, keyed by name and text: a changed text is a new
 * key, so an edited policy takes effect at once and no invalidation is
 * needed.  The cache holds RULE_CACHE_SIZE sets and evicts the least
 * recently used.  Entries never move; each filling of a slot gets a new
 * generation, so a RuleRef kept by a call site can tell whether its entry
 * still holds the rules it found there.
 */
#include "tally_pg.h"

#include "common/hashfn.h"
#include "utils/memutils.h"

#define RULE_CACHE_SIZE 32

typedef struct CacheEntry {
    uint64 hash;
    char *name;          /* in TopMemoryContext */
    char *text;
    size_t len;
    TallyRules *rules;   /* malloc'd by Tally; NULL: the slot is free */
    uint64 used;         /* tick of the last use */
    uint64 generation;   /* when the slot was filled */
} CacheEntry;

static CacheEntry cache[RULE_CACHE_SIZE];
static uint64 tick;
static uint64 generations;

static uint64 key_hash(const char *name, const char *text, size_t len)
{
    uint64 seed = hash_bytes_extended((const unsigned char *)name, (int)strlen(name), 0);
    return hash_bytes_extended((const unsigned char *)text, (int)len, seed);
}

static bool entry_is(const CacheEntry *e, uint64 hash, const char *name, const char *text,
                     size_t len)
{
    return e->rules && e->hash == hash && e->len == len && memcmp(e->text, text, len) == 0 &&
           strcmp(e->name, name) == 0;
}

/* A free slot, or the least recently used one emptied. */
static CacheEntry *free_slot(void)
{
    CacheEntry *lru = &cache[0];
    for (int i = 0; i < RULE_CACHE_SIZE; i++) {
        if (!cache[i].rules)
            return &cache[i];
        if (cache[i].used < lru->used)
            lru = &cache[i];
    }
    tally_rules_free(lru->rules);
    pfree(lru->name);
    pfree(lru->text);
    memset(lru, 0, sizeof *lru);
    return lru;
}

void rule_errors_raise(const char *name, TallyDiagnostics *diags)
{
    size_t n = tally_diagnostics_count(diags), first = 0;
    while (first < n && strcmp(tally_diagnostic_severity(diags, first), "error") != 0)
        first++;
    size_t nerrors = tally_diagnostics_errors(diags);
    char *where = pstrdup(""), *message = pstrdup("no rules"), *hint = NULL;
    if (first < n) {
        int line = tally_diagnostic_line(diags, first), col = tally_diagnostic_column(diags, first);
        if (line > 0)
            where = psprintf("line %d, column %d: ", line, col);
        message = pstrdup(tally_diagnostic_message(diags, first));
        if (tally_diagnostic_hint(diags, first))
            hint = pstrdup(tally_diagnostic_hint(diags, first));
    }
    char *more = nerrors > 1 ? psprintf(" (and %zu more errors)", nerrors - 1) : "";
    char *detail = pstrdup(tally_diagnostics_text(diags));
    size_t dlen = strlen(detail);
    while (dlen > 0 && detail[dlen - 1] == '\n')
        detail[--dlen] = '\0';
    tally_diagnostics_free(diags);
    ereport(ERROR, (errcode(ERRCODE_SYNTAX_ERROR),
                    errmsg("rule file \"%s\" does not compile: %s%s%s", name, where, message, more),
                    dlen ? errdetail("%s", detail) : 0, hint ? errhint("%s", hint) : 0));
    pg_unreachable();
}

/* Compile text into a cache slot.  The copies are made first: palloc may
 * raise an ERROR, Tally does not, so nothing malloc'd is ever in flight
 * when an ERROR can happen. */
static CacheEntry *compile_entry(uint64 hash, const char *name, const char *text, size_t len)
{
    char *name_copy = MemoryContextStrdup(TopMemoryContext, name);
    char *text_copy = MemoryContextAlloc(TopMemoryContext, len + 1);
    memcpy(text_copy, text, len);
    text_copy[len] = '\0';
    TallyDiagnostics *diags = NULL;
    TallyRules *rules = tally_rules_compile_with_diagnostics(name, text, len, &diags);
    if (!rules) {
        pfree(name_copy);
        pfree(text_copy);
        rule_errors_raise(name, diags);
    }
    tally_diagnostics_free(diags);
    CacheEntry *e = free_slot();
    e->name = name_copy;
    e->text = text_copy;
    e->len = len;
    e->hash = hash;
    e->rules = rules;
    e->generation = ++generations;
    return e;
}

const TallyRules *rule_cache_get(const char *name, const char *text, size_t len, RuleRef *ref)
{
    uint64 hash = key_hash(name, text, len);
    CacheEntry *e = NULL;
    for (int i = 0; i < RULE_CACHE_SIZE && !e; i++)
        if (entry_is(&cache[i], hash, name, text, len))
            e = &cache[i];
    if (!e)
        e = compile_entry(hash, name, text, len);
    e->used = ++tick;
    ref->entry = e;
    ref->generation = e->generation;
    return e->rules;
}

const TallyRules *rule_ref_rules(const RuleRef *ref)
{
    CacheEntry *e = (CacheEntry *)ref->entry;
    if (!e || !e->rules || e->generation != ref->generation)
        return NULL;
    e->used = ++tick;
    return e->rules;
}

const TallyRules *rule_cache_text(FunctionCallInfo fcinfo, Datum rules)
{
    CallMemo *memo = call_memo(fcinfo);
    struct varlena *raw = (struct varlena *)DatumGetPointer(rules);
    Size rawsize = VARSIZE_ANY(raw);
    if (memo->raw_rules && VARSIZE_ANY(memo->raw_rules) == rawsize &&
        memcmp(memo->raw_rules, raw, rawsize) == 0) {
        const TallyRules *r = rule_ref_rules(&memo->rules_ref);
        if (r)
            return r;
    }
    text *t = DatumGetTextPP(rules);
    const TallyRules *r = rule_cache_get(TALLY_TEXT_RULES_NAME, VARDATA_ANY(t),
                                         VARSIZE_ANY_EXHDR(t), &memo->rules_ref);
    if (memo->raw_rules)
        pfree(memo->raw_rules);
    memo->raw_rules = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, rawsize);
    memcpy(memo->raw_rules, raw, rawsize);
    return r;
}
