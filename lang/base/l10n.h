/* l10n.h - the language of what a user reads (docs/api.md, "Language").
 *
 * Messages are written in English in the sources and marked for gettext's
 * tools: _("...") where the text is used, N_("...") where it is only stored
 * (a table, translated when used with _()).  xgettext collects the marked
 * strings into po/tally.pot; po/zh_CN.po holds the Chinese; msgfmt compiles
 * it into LOCALEDIR/zh_CN/LC_MESSAGES/tally.mo, which this module reads.
 *
 * The language is the calling thread's, set with l10n_set_lang(): the
 * library never calls setlocale() and never reads the environment, so a
 * host (an embedder, the PostgreSQL extension) keeps its own locale, and
 * two threads may score in two languages.  English, the msgids themselves,
 * needs no catalogue; when the Chinese one cannot be found every message
 * stays English.
 */
#ifndef TALLY_L10N_H
#define TALLY_L10N_H

#include <stdbool.h>

typedef enum TlLang { TL_LANG_EN, TL_LANG_ZH } TlLang;

/* The calling thread's language (English until set). */
TlLang l10n_lang(void);
/* Set the calling thread's language; returns the previous one. */
TlLang l10n_set_lang(TlLang lang);
/* The language a locale name or a --lang value names: "zh", "zh_CN.UTF-8",
 * "zh_TW" -> Chinese; "en", "C", "POSIX", "en_US.UTF-8" -> English.  False
 * for NULL, "" and names of other languages. */
bool l10n_parse(const char *name, TlLang *lang);
/* The language the environment asks for, as a program (not the library)
 * reads it: LANGUAGE's first entry, then LC_ALL, LC_MESSAGES, LANG, the
 * first one set and not empty; English when none names a known language. */
TlLang l10n_from_env(void);

/* Where the catalogue is, dir/zh_CN/LC_MESSAGES/tally.mo, instead of the
 * installed LOCALEDIR and then the build tree's locale/.  Call before the first message is
 * translated (the catalogue is read once, on first use); NULL resets. */
void l10n_set_localedir(const char *dir);
/* Has the Chinese catalogue been found (reading it if not read yet)? */
bool l10n_have_catalogue(void);
/* The catalogue file in use, or NULL. */
const char *l10n_catalogue_path(void);

/* msgid in lang: its translation, or msgid itself when there is none. */
const char *l10n_text_in(TlLang lang, const char *msgid) __attribute__((format_arg(2)));
/* msgid in the calling thread's language. */
const char *l10n_text(const char *msgid) __attribute__((format_arg(1)));

#define _(msgid) l10n_text(msgid)
#define N_(msgid) msgid

#endif
