/* hold.c - Tally's malloc'd objects owned by a PostgreSQL memory context.
 *
 * A call that creates Tally objects puts them in a TallyHold allocated in
 * its memory context.  The normal path frees them at the end of the call;
 * if an ERROR longjmps out first, the context is reset or deleted during
 * error recovery and the reset callback frees them instead.
 */
#include "tally_pg.h"

#include "miscadmin.h"
#include "utils/guc.h"

#include <unistd.h>

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

/* The Chinese catalogue installed with the extension (pg/Makefile:
 * SHAREDIR/extension/tally-locale), looked up once; if it is not there,
 * libtally's own places (its install prefix, then its build tree). */
static void locale_once(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    char share[MAXPGPATH], dir[MAXPGPATH + 32], mo[MAXPGPATH + 80];
    get_share_path(my_exec_path, share);
    snprintf(dir, sizeof dir, "%s/extension/tally-locale", share);
    snprintf(mo, sizeof mo, "%s/zh_CN/LC_MESSAGES/tally.mo", dir);
    if (access(mo, R_OK) == 0)
        tally_set_localedir(dir);
}

TallyHold *tally_hold_new(void)
{
    locale_once();
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
