/* test_l10n.c - the language of messages (lang/base/l10n.c) and line breaks
 * that respect Chinese (text_wrap_at, lang/base/text.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <string.h>

#include "lang/base/l10n.h"
#include "lang/base/text.h"

static void test_parse(void **state)
{
    (void)state;
    TlLang l = TL_LANG_ZH;
    assert_true(l10n_parse("en", &l) && l == TL_LANG_EN);
    assert_true(l10n_parse("C", &l) && l == TL_LANG_EN);
    assert_true(l10n_parse("C.UTF-8", &l) && l == TL_LANG_EN);
    assert_true(l10n_parse("POSIX", &l) && l == TL_LANG_EN);
    assert_true(l10n_parse("zh_CN.UTF-8", &l) && l == TL_LANG_ZH);
    assert_true(l10n_parse("zh", &l) && l == TL_LANG_ZH);
    assert_false(l10n_parse("fr_FR.UTF-8", &l));
    assert_false(l10n_parse("", &l));
    assert_false(l10n_parse(NULL, &l));
}

/* The build tree's catalogue (found without setup: TALLY_BUILD_LOCALEDIR). */
static void test_translate(void **state)
{
    (void)state;
    assert_int_equal(l10n_lang(), TL_LANG_EN);
    assert_string_equal(_("error"), "error");
    assert_true(l10n_have_catalogue());
    TlLang was = l10n_set_lang(TL_LANG_ZH);
    assert_int_equal(was, TL_LANG_EN);
    assert_string_equal(_("error"), "错误");
    assert_string_equal(l10n_text_in(TL_LANG_EN, "error"), "error");
    /* No translation: the msgid itself, the same pointer. */
    const char *unknown = "a message no catalogue has";
    assert_ptr_equal(_(unknown), unknown);
    l10n_set_lang(TL_LANG_EN);
}

static void *other_thread(void *arg)
{
    (void)arg;
    return (void *)(l10n_lang() == TL_LANG_EN ? _("warning") : NULL);
}

/* The language is the thread's: another thread starts in English. */
static void test_per_thread(void **state)
{
    (void)state;
    l10n_set_lang(TL_LANG_ZH);
    pthread_t t;
    void *got = NULL;
    assert_int_equal(pthread_create(&t, NULL, other_thread, NULL), 0);
    pthread_join(t, &got);
    assert_non_null(got);
    assert_string_equal((const char *)got, "warning");
    assert_string_equal(_("warning"), "警告");
    l10n_set_lang(TL_LANG_EN);
}

static void test_wrap(void **state)
{
    (void)state;
    /* At a space; the next line starts after it. */
    assert_int_equal(text_wrap_at("abc def", 7, 5), 4);
    /* Between Chinese characters: 2 columns each. */
    assert_int_equal(text_wrap_at("一二三四", 12, 5), 6);
    /* Never before closing punctuation: "二，" stays together. */
    assert_int_equal(text_wrap_at("一二，三", 12, 5), 3);
    /* Never inside a number with its unit: "计10分" is one piece. */
    assert_int_equal(text_wrap_at("总计10分合计", 16, 5), 3);
    /* A word longer than the line: broken where it must be. */
    assert_int_equal(text_wrap_at("abcdefgh", 8, 5), 5);
    /* All of it fits. */
    assert_int_equal(text_wrap_at("一二", 6, 4), 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_translate),
        cmocka_unit_test(test_per_thread),
        cmocka_unit_test(test_wrap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
