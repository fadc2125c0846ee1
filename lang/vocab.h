/* vocab.h - the words a rule file reads report cells with.
 *
 * Which cells are missing, which words mean yes and no, which actual
 * results are 达成, 部分达成 or 未达成, which targets cannot be measured,
 * which indicator names mean "higher is better" or "lower is better", and
 * which level-2 labels are another name of a category (进度指标 for
 * 时效指标): policy, so it is the rule file's (`words`, docs/language.md
 * §3.14).  The binary keeps only the defaults a rule file starts from; the
 * checker (check.c) builds a program's Vocab from them and its `words`
 * declarations.
 */
#ifndef TALLY_VOCAB_H
#define TALLY_VOCAB_H

#include <stdbool.h>

typedef enum VocabList {
    VOCAB_MISSING,      /* missing-value markers of report cells */
    VOCAB_YES,          /* yes: 是 √ ✓ TRUE Y ... */
    VOCAB_NO,           /* no: 否 × FALSE N ... */
    VOCAB_ACHIEVED,     /* level 达成 */
    VOCAB_PARTLY,       /* level 部分达成 */
    VOCAB_NOT_ACHIEVED, /* level 未达成 */
    VOCAB_VAGUE,        /* words that make a target non-measurable (有所提升) */
    VOCAB_HIGHER,       /* name words: higher is better (完成率, 满意度) */
    VOCAB_LOWER,        /* name words: lower is better (成本, 支出, 控制率) */
    VOCAB_COUNT
} VocabList;

typedef struct CategoryAlias {
    const char *alias, *category;
} CategoryAlias;

typedef struct Vocab {
    const char **list[VOCAB_COUNT]; /* NULL-terminated */
    bool custom[VOCAB_COUNT];       /* the rule file changed it */
    CategoryAlias *aliases;
    int naliases;
} Vocab;

/* The name a rule file gives list l ("missing", "yes", ...), and back (-1). */
const char *vocab_list_name(VocabList l);
int vocab_list_find(const char *name);
/* The names of every list, for messages: "missing, yes, no, ...". */
const char *vocab_list_names(void);
/* The built-in default of list l, NULL-terminated. */
const char *const *vocab_default(VocabList l);
/* A vocabulary holding only the defaults (for callers without a program). */
const Vocab *vocab_defaults(void);
/* Point every list of v at its default. */
void vocab_init(Vocab *v);
/* Is word (white space ignored) in list l of v (defaults when v is NULL)? */
bool vocab_has(const Vocab *v, VocabList l, const char *word);
/* vocab_has for a word already stripped of white space (text_strip_space):
 * an exact match, without trimming or stripping it again. */
bool vocab_has_stripped(const Vocab *v, VocabList l, const char *stripped);
/* Does text hold one of list l's words anywhere? */
bool vocab_contains(const Vocab *v, VocabList l, const char *text);
/* The category a level-2 label names through an alias, or NULL. */
const char *vocab_alias_of(const Vocab *v, const char *label);
/* Direction from the words of a name or label: a Chinese indicator name ends
 * with what it measures (费用支付及时率 is a rate of timeliness, 人员经费支出 an
 * amount spent), so the longest word of `higher` or `lower` that ends the
 * text decides, once punctuation, a parenthetical and a trailing 指标 are
 * dropped.  +1 higher, -1 lower, 0 neither; *word the deciding word. */
int vocab_direction(const Vocab *v, const char *text, const char **word);

#endif
