/* hold.c - Tally's malloc'd objects owned by a PostgreSQL memory context.
 *
 * A call that creates Tally objects puts them in a TallyHold allocated in
 * its memory context.  The normal path frees them at the end of the call;
 * if an ERROR longjmps out first, the context is reset or deleted during
 * error recovery and the reset callback frees them instead.
 */
#include "tally_pg.h"

#include "utils/guc.h"

/* Free what h holds; safe to call twice. */
static void hold_free(void *arg)
{
    TallyHold *h = arg;
    tally_result_free(h->result);
    tally_data_free(h->data);
    tally_diagnostics_free(h->diagnostics);
    free(h->json);
    h->result = NULL;
    h->data = NULL;
    h->diagnostics = NULL;
    h->json = NULL;
}

TallyHold *tally_hold_new(void)
{
    /* Findings and diagnostics in the session's language: tally.language
     * ('zh' or 'en') when set, else lc_messages (zh_CN.UTF-8 gives
     * Chinese), else English (docs/api.md, "Language"); the backend's
     * locale itself is left alone. */
    const char *lang = GetConfigOption("tally.language", true, false);
    if (!lang || !*lang)
        lang = GetConfigOption("lc_messages", true, false);
    if (!tally_set_language(lang))
        tally_set_language("en");
    TallyHold *h = palloc0(sizeof *h);
    h->callback.func = hold_free;
    h->callback.arg = h;
    MemoryContextRegisterResetCallback(CurrentMemoryContext, &h->callback);
    return h;
}

void tally_hold_release(TallyHold *h)
{
    hold_free(h);
}
