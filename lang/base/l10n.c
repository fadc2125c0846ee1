/* l10n.c - messages in the calling thread's language, from a gettext
 * catalogue read once (l10n.h). */
#include "l10n.h"

#include <pthread.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#ifndef TALLY_LOCALEDIR
#define TALLY_LOCALEDIR "/usr/local/share/locale"
#endif
#ifndef TALLY_BUILD_LOCALEDIR
#define TALLY_BUILD_LOCALEDIR ""
#endif

#define MO_NAME "zh_CN/LC_MESSAGES/tally.mo"

static _Thread_local TlLang thread_lang = TL_LANG_EN;

/* The Chinese catalogue: a GNU .mo file, whose msgids msgfmt sorts, so a
 * lookup is a binary search.  Read once, then only read. */
typedef struct Catalogue {
    char *data;
    size_t size;
    uint32_t n;
    uint32_t originals, translations; /* offsets of the two tables */
    bool swap;                        /* written on a machine of the other byte order */
    char *path;
} Catalogue;

static Catalogue cat;
static char *chosen_dir;
static pthread_once_t cat_once = PTHREAD_ONCE_INIT;

TlLang l10n_lang(void)
{
    return thread_lang;
}

TlLang l10n_set_lang(TlLang lang)
{
    TlLang old = thread_lang;
    thread_lang = lang;
    return old;
}

bool l10n_parse(const char *name, TlLang *lang)
{
    if (!name || !*name)
        return false;
    if (strcmp(name, "C") == 0 || strcmp(name, "POSIX") == 0 || strncmp(name, "C.", 2) == 0 ||
        strncmp(name, "en", 2) == 0) {
        *lang = TL_LANG_EN;
        return true;
    }
    if (strncmp(name, "zh", 2) == 0) {
        *lang = TL_LANG_ZH;
        return true;
    }
    return false;
}

TlLang l10n_from_env(void)
{
    TlLang lang = TL_LANG_EN;
    /* LANGUAGE is a list (zh_CN:en); gettext honours it only when the
     * locale is not C, and so do we. */
    const char *locale = NULL;
    const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof *vars && !locale; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            locale = v;
    }
    if (!locale || strcmp(locale, "C") == 0 || strcmp(locale, "POSIX") == 0)
        return TL_LANG_EN;
    const char *language = getenv("LANGUAGE");
    if (language && *language) {
        char first[64];
        size_t n = strcspn(language, ":");
        if (n < sizeof first) {
            memcpy(first, language, n);
            first[n] = '\0';
            if (l10n_parse(first, &lang))
                return lang;
        }
    }
    if (l10n_parse(locale, &lang))
        return lang;
    return TL_LANG_EN;
}

void l10n_set_localedir(const char *dir)
{
    free(chosen_dir);
    chosen_dir = dir && *dir ? xstrdup(dir) : NULL;
}

static uint32_t mo_word(const Catalogue *c, size_t off)
{
    uint32_t w;
    memcpy(&w, c->data + off, 4);
    return c->swap ? __builtin_bswap32(w) : w;
}

/* Is the table entry at `table` + 8*i a string inside the file? */
static bool mo_entry_ok(const Catalogue *c, uint32_t table, uint32_t i)
{
    size_t at = (size_t)table + 8u * i;
    if (at + 8 > c->size)
        return false;
    uint32_t len = mo_word(c, at), off = mo_word(c, at + 4);
    return (size_t)off + len < c->size && c->data[(size_t)off + len] == '\0';
}

static bool mo_read(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f && errno == ENOMEM) /* never taken for a missing catalogue */
        xalloc_failed();
    if (!f)
        return false;
    Catalogue c = {0};
    size_t cap = 1 << 16;
    c.data = xmalloc(cap);
    size_t got;
    while ((got = fread(c.data + c.size, 1, cap - c.size, f)) > 0) {
        c.size += got;
        if (c.size == cap)
            c.data = xrealloc(c.data, cap *= 2);
    }
    fclose(f);
    bool ok = c.size >= 28;
    if (ok) {
        uint32_t magic;
        memcpy(&magic, c.data, 4);
        c.swap = magic == 0xde120495u;
        ok = magic == 0x950412deu || c.swap;
    }
    if (ok) {
        c.n = mo_word(&c, 8);
        c.originals = mo_word(&c, 12);
        c.translations = mo_word(&c, 16);
        for (uint32_t i = 0; ok && i < c.n; i++)
            ok = mo_entry_ok(&c, c.originals, i) && mo_entry_ok(&c, c.translations, i);
    }
    if (!ok) {
        free(c.data);
        return false;
    }
    c.path = xstrdup(path);
    cat = c;
    return true;
}

static bool mo_try(const char *dir)
{
    if (!dir || !*dir)
        return false;
    size_t n = strlen(dir) + sizeof "/" MO_NAME;
    char *path = xmalloc(n);
    snprintf(path, n, "%s/%s", dir, MO_NAME);
    bool ok = mo_read(path);
    free(path);
    return ok;
}

static void catalogue_load(void)
{
    if (chosen_dir) /* a directory named explicitly is the only one */
        mo_try(chosen_dir);
    else if (!mo_try(TALLY_LOCALEDIR))
        mo_try(TALLY_BUILD_LOCALEDIR);
}

bool l10n_have_catalogue(void)
{
    pthread_once(&cat_once, catalogue_load);
    return cat.data != NULL;
}

const char *l10n_catalogue_path(void)
{
    return l10n_have_catalogue() ? cat.path : NULL;
}

const char *l10n_text_in(TlLang lang, const char *msgid)
{
    if (lang == TL_LANG_EN || !msgid || !*msgid || !l10n_have_catalogue())
        return msgid;
    uint32_t lo = 0, hi = cat.n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const char *orig = cat.data + mo_word(&cat, (size_t)cat.originals + 8u * mid + 4);
        int cmp = strcmp(msgid, orig);
        if (cmp == 0) {
            size_t at = (size_t)cat.translations + 8u * mid;
            const char *tr = cat.data + mo_word(&cat, at + 4);
            return mo_word(&cat, at) > 0 ? tr : msgid;
        }
        if (cmp < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return msgid;
}

const char *l10n_text(const char *msgid)
{
    return l10n_text_in(thread_lang, msgid);
}
