/* vocab.c - the default word lists and the look-ups (vocab.h).  The
 * defaults are docs/language.md §3.14's; the bundled rule files state their
 * lists explicitly. */
#include "vocab.h"

#include <stdlib.h>
#include <string.h>

#include "lang/base/text.h"
#include "lang/base/value.h"

static const char *const yes_words[] = {
    "是", "有", "√", "✓", "✔", "☑", "TRUE", "True", "true", "Y", "y", "YES", "Yes", "yes", NULL,
};
static const char *const no_words[] = {
    "否", "无", "×", "✗", "✘", "□", "FALSE", "False", "false", "N", "n", "NO", "No", "no", NULL,
};
static const char *const achieved_words[] = {
    "达成年度指标", "达成", "完成", "已完成", "全部完成", "达到", "实现", "已建立", "有效", "好", NULL,
};
static const char *const partly_words[] = {
    "部分达成年度指标并具有一定效果", "部分达成", "基本完成", "基本达到", "部分完成", "较好", "一般", NULL,
};
static const char *const not_achieved_words[] = {
    "未达成年度指标且效果较差", "未达成", "未完成", "未建立", "差", NULL,
};
static const char *const vague_words[] = {
    "有所提升", "有所提高", "进一步提高", "进一步提升", "逐步提高", "持续提升", "稳步提升",
    "明显提升", "有效提升", "不断提高", NULL,
};
static const char *const higher_words[] = {
    "完成率", "合格率", "达标率", "及时率", "覆盖率", "满意度", "执行率", "到位率", "知晓率",
    "参保率", "就业率", "使用率", "利用率", "普及率", "通过率", "完好率", NULL,
};
static const char *const lower_words[] = {
    "成本", "费用", "支出", "控制率", "投诉率", "发生率", "事故率", "差错率", NULL,
};

static const struct {
    const char *name;
    const char *const *words;
} lists[VOCAB_COUNT] = {
    [VOCAB_MISSING] = {"missing", cell_missing_default},
    [VOCAB_YES] = {"yes", yes_words},
    [VOCAB_NO] = {"no", no_words},
    [VOCAB_ACHIEVED] = {"achieved", achieved_words},
    [VOCAB_PARTLY] = {"partly_achieved", partly_words},
    [VOCAB_NOT_ACHIEVED] = {"not_achieved", not_achieved_words},
    [VOCAB_VAGUE] = {"vague", vague_words},
    [VOCAB_HIGHER] = {"higher", higher_words},
    [VOCAB_LOWER] = {"lower", lower_words},
};

const char *vocab_list_name(VocabList l)
{
    return lists[l].name;
}

int vocab_list_find(const char *name)
{
    for (int l = 0; l < VOCAB_COUNT; l++)
        if (strcmp(lists[l].name, name) == 0)
            return l;
    return -1;
}

const char *vocab_list_names(void)
{
    return "missing, yes, no, achieved, partly_achieved, not_achieved, vague, higher and lower";
}

const char *const *vocab_default(VocabList l)
{
    return lists[l].words;
}

void vocab_init(Vocab *v)
{
    memset(v, 0, sizeof *v);
    for (int l = 0; l < VOCAB_COUNT; l++)
        v->list[l] = (const char **)lists[l].words;
}

static const Vocab defaults = {
    .list = {(const char **)cell_missing_default, (const char **)yes_words, (const char **)no_words,
             (const char **)achieved_words, (const char **)partly_words,
             (const char **)not_achieved_words, (const char **)vague_words,
             (const char **)higher_words, (const char **)lower_words},
};

const Vocab *vocab_defaults(void)
{
    return &defaults;
}

/* Is word in list l: equal to one of its words once trimmed, or once white
 * space is dropped from it?  The stripped copy is made once a call, not
 * once a word compared (it was most of score_qual's time). */
bool vocab_has(const Vocab *v, VocabList l, const char *word)
{
    if (!word)
        return false;
    const char *const *w = v ? (const char *const *)v->list[l] : lists[l].words;
    size_t n = strlen(word);
    const char *t = text_trim(word, &n);
    char *stripped = NULL;
    bool found = false;
    for (int i = 0; !found && w[i]; i++) {
        if (strlen(w[i]) == n && memcmp(t, w[i], n) == 0) {
            found = true;
            break;
        }
        if (!stripped)
            stripped = text_strip_space(word, strlen(word));
        found = strcmp(stripped, w[i]) == 0;
    }
    free(stripped);
    return found;
}

bool vocab_has_stripped(const Vocab *v, VocabList l, const char *stripped)
{
    const char *const *w = v ? (const char *const *)v->list[l] : lists[l].words;
    for (int i = 0; stripped && w[i]; i++)
        if (strcmp(stripped, w[i]) == 0)
            return true;
    return false;
}

bool vocab_contains(const Vocab *v, VocabList l, const char *text)
{
    const char *const *w = v ? (const char *const *)v->list[l] : lists[l].words;
    for (int i = 0; text && w[i]; i++)
        if (w[i][0] && strstr(text, w[i]))
            return true;
    return false;
}

/* Labels match when equal, or equal once a trailing 指标 is dropped. */
static bool label_match(const char *a, const char *b)
{
    static const char suffix[] = "指标";
    size_t la = strlen(a), lb = strlen(b), ls = sizeof suffix - 1;
    if (la > ls && strcmp(a + la - ls, suffix) == 0)
        la -= ls;
    if (lb > ls && strcmp(b + lb - ls, suffix) == 0)
        lb -= ls;
    return la == lb && strncmp(a, b, la) == 0;
}

const char *vocab_alias_of(const Vocab *v, const char *label)
{
    for (int i = 0; v && label && i < v->naliases; i++)
        if (label_match(v->aliases[i].alias, label))
            return v->aliases[i].category;
    return NULL;
}

/* The length of text without what may follow the words that say what an
 * indicator measures: white space, punctuation, a parenthetical ("（%）") and
 * a trailing 指标. */
static size_t measured_end(const char *text)
{
    static const char *const tails[] = {"。", "，", "、", "；", "：", "！", "指标", NULL};
    size_t n = strlen(text);
    for (bool again = true; again && n;) {
        again = false;
        while (n && (text[n - 1] == ' ' || text[n - 1] == '.' || text[n - 1] == ',' ||
                     text[n - 1] == ';' || text[n - 1] == ':' || text[n - 1] == '\t')) {
            n--;
            again = true;
        }
        for (int i = 0; tails[i]; i++) {
            size_t k = strlen(tails[i]);
            if (n >= k && memcmp(text + n - k, tails[i], k) == 0) {
                n -= k;
                again = true;
            }
        }
        /* a parenthetical at the end: (…) or （…） */
        const char *close = n && text[n - 1] == ')' ? ")" : n >= 3 && memcmp(text + n - 3, "）", 3) == 0 ? "）" : NULL;
        if (close) {
            const char *open = *close == ')' ? "(" : "（";
            size_t k = strlen(open);
            for (size_t i = n - strlen(close); i-- > 0;)
                if (i + k <= n && memcmp(text + i, open, k) == 0) {
                    n = i;
                    again = true;
                    break;
                }
        }
    }
    return n;
}

int vocab_direction(const Vocab *v, const char *text, const char **word)
{
    size_t best = 0;
    int dir = 0;
    *word = NULL;
    size_t n = text ? measured_end(text) : 0;
    for (int k = 0; n && k < 2; k++) {
        VocabList l = k ? VOCAB_LOWER : VOCAB_HIGHER;
        const char *const *w = v ? (const char *const *)v->list[l] : lists[l].words;
        for (int i = 0; w[i]; i++) {
            size_t m = strlen(w[i]);
            if (m && m <= n && m > best && memcmp(text + n - m, w[i], m) == 0) {
                best = m;
                dir = k ? -1 : 1;
                *word = w[i];
            }
        }
    }
    return dir;
}
