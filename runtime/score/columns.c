/* columns.c - a run of reports laid out in columns for the batch kernels
 * (columns.h). */
#include "columns.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lang/builtins.h"
#include "rows.h"

/* Results held for at most this many indicator rows at once (64 bytes each). */
#define BATCH_AHEAD_CELLS 16384
#define BATCH_AHEAD_MAX_ROWS 512

/* What the dispatch of a table row reads of it, and its answers: the
 * group's category test (rows_category_ok) reads the level-2 label;
 * rows_rule_for() (rows.c cond_holds) the group, labels and name, and the
 * target's kind, number kind, qualifier and flags - with its text where
 * rows_cell() may read it (a text or missing cell, which a custom missing
 * word can turn into the other), and then the actual's too (the kind of a
 * row without a target); rows_cell_read() each cell's kind, flags and,
 * where a rule file has its own missing words, a text or missing cell's
 * raw text.  The labels and the name are compared by address (kind_of). */
typedef struct RowKind {
    const char *level1, *level2, *name, *traw, *araw;
    uint32_t tsig, asig;
    int group;
    int rule;                    /* the answers: a rule's index, or -1 */
    bool category;               /* level-2 is a category of the group */
    uint8_t read;                /* how rows_cell reads the target (RowsRead), and the actual << 2 */
} RowKind;

/* rows_group_of's answer for a level-1 label, and the level-2 where the
 * level-1 is empty (else NULL), by address. */
typedef struct GroupSeen {
    const char *level1, *level2;
    int group;
} GroupSeen;

struct ColumnBatch {
    const Program *prog;         /* what the reports held were laid out for */
    const JitProgram *jp;
    const Report *first;         /* results are for first[0 .. n - 1]; n = 0: none */
    size_t n, cap;               /* rows held, rows allocated */
    JitColumns cols;
    int64_t *coef;               /* (inputs + lets) x cap */
    int32_t *scale, *steps;
    uint8_t *tag;
    uint16_t *unit;
    int8_t *mag;
    uint32_t *text;              /* inputs x cap */
    JitRowResult *results;       /* nbatch x cap */
    /* The batch inputs' values as bound (bind_convert), for score_report
     * not to bind them again (issue 16): inputs x cap, bound_ok 1 where
     * the figure was bound; bound_input[i] 1 for an input bound here. */
    TlValue *bound;
    uint8_t *bound_ok, *bound_input;
    JitRowResult **out;          /* per indicator: its rows in results, or NULL */
    /* Table rows of those reports that a rows rule with a batch kernel
     * scores: their context words in columns, grouped by rule. */
    size_t *row_first;           /* per report: where its rows start in row_slot */
    long *row_slot;              /* per row: its result in row_results, or -1 */
    int *row_rule;               /* per row: the rows rule that scores it, or -1 (score_table takes it) */
    int *row_group;              /* per row: its group (rows_group_of), or -1 */
    uint8_t *row_read;           /* per row: how rows_cell reads its target and actual (RowKind.read) */
    bool dispatched;             /* the table rows of the reports held were dispatched */
    uint8_t *row_category;       /* per row: 1 when its level-2 is a category of that group */
    int64_t *rcoef;              /* CTX_COUNT x rcap */
    int32_t *rscale;
    uint8_t *rtag;
    uint16_t *runit;
    int8_t *rmag;
    uint32_t *rtext;             /* CTX_COUNT x rcap: a text cell's id in the batch (text_id) */
    const char **tkeys;          /* the texts of the batch's rows: an open-addressing set of tcap,
                                  * at most half full (tn ids), grown as texts come */
    uint64_t *thash;
    uint32_t *tids;
    uint32_t *tgen;              /* a slot is taken in this batch when its tgen is gen */
    size_t tcap;
    uint32_t tn, gen;            /* ids given; the batch's generation (no clearing per batch) */
    uint8_t *twords;             /* per text id: 0 not known yet, else QUAL_WORDS_KNOWN and what
                                  * score_qual's level test reads of it (builtin_qual_words) */
    RowKind *kinds;              /* rows_rule_for's answers by what it reads of a row: an
                                  * open-addressing set of kcap, taken when kgen is kgen_now;
                                  * kn taken in this batch, at most half of kcap */
    uint32_t *kgen;
    size_t kcap, kn;
    uint32_t kgen_now;
    GroupSeen groups_seen[16];   /* rows_group_of's answers in this batch (group_of) */
    /* The kinds' answers kept across batches, by their texts (kind_memo):
     * an open-addressing set of KIND_MEMO_CAP, emptied when half full; the
     * texts copied into memo_texts; for memo_prog. */
    RowKind *memo;
    uint64_t *memo_hash;         /* 0: free */
    size_t memo_n;
    Arena memo_texts;
    const Program *memo_prog;
    bool memo_on;                /* for memo_prog: its dispatch is dear enough (kind_of) */
    int ngroups_seen;
    JitRowResult *row_results;   /* rcap */
    size_t rcap;
    size_t *rule_count, *rule_fill;
    uint8_t *rule_cells;         /* per rows rule: the context cells (bit CTX_*) written here for its
                                  * kernel; a scoring built-in's: those its other arguments name */
    uint8_t *rule_pair;          /* per rows rule: a scoring built-in's (jit_row_scoring_call): 1, or 2
                                  * where its actual is the row's target; score_qual's 3 and 4 */
};

ColumnBatch *columns_new(void)
{
    ColumnBatch *b = xcalloc(1, sizeof(ColumnBatch));
    arena_init(&b->memo_texts);
    return b;
}

void columns_free(ColumnBatch *b)
{
    if (!b)
        return;
    free(b->coef);
    free(b->scale);
    free(b->steps);
    free(b->tag);
    free(b->unit);
    free(b->mag);
    free(b->text);
    free(b->results);
    free(b->out);
    free(b->cols.coef);
    free(b->cols.scale);
    free(b->cols.tag);
    free(b->cols.let_steps);
    free(b->cols.unit);
    free(b->cols.mag);
    free(b->cols.text);
    free(b->runit);
    free(b->rmag);
    free(b->rtext);
    free(b->tkeys);
    free(b->thash);
    free(b->tids);
    free(b->tgen);
    free(b->twords);
    free(b->row_first);
    free(b->row_slot);
    free(b->row_rule);
    free(b->kinds);
    free(b->kgen);
    free(b->row_group);
    free(b->row_read);
    free(b->row_category);
    free(b->rcoef);
    free(b->rscale);
    free(b->rtag);
    free(b->row_results);
    free(b->rule_count);
    free(b->rule_fill);
    free(b->rule_pair);
    free(b->rule_cells);
    free(b->bound);
    free(b->bound_ok);
    free(b->bound_input);
    free(b->memo);
    free(b->memo_hash);
    arena_free(&b->memo_texts);
    free(b);
}

void columns_clear(ColumnBatch *b)
{
    b->n = 0;
    b->dispatched = false;
}

/* The unit id of the last quantity a column held (jit_name_id): a column's
 * quantities mostly share one unit string (a bare number in a column
 * declared in 万元 has the input's), and within one batch a string does not
 * change, so its id is looked up once (issue 16: a binary search with
 * strcmp for every cell of the wide benchmark). */
typedef struct UnitMemo {
    const char *unit;
    int id;
} UnitMemo;

static int unit_id(const JitProgram *jp, const char *name, UnitMemo *memo)
{
    if (memo && memo->unit && memo->unit == name)
        return memo->id;
    int id = jit_name_id(&jp->units, name);
    if (memo) {
        memo->unit = name;
        memo->id = id;
    }
    return id;
}

/* Cell `cell` of columns (coef, scale, tag, unit, mag; text ids, or NULL:
 * no text column) from a bound value: what a batch kernel can read, or
 * JIT_COL_OTHER.  memo (may be NULL): the column's last unit, valid for
 * one batch. */
static void put_cell(const JitProgram *jp, const TlValue *v, size_t cell, int64_t *coef, int32_t *scale,
                     uint8_t *tag, uint16_t *unit, int8_t *mag, uint32_t *text, UnitMemo *memo)
{
    uint8_t t = JIT_COL_OTHER;
    int id = 0;
    switch (v->kind) {
    case TL_MISSING:
        t = JIT_COL_MISSING;
        break;
    case TL_BOOL:
        t = v->u.b ? JIT_COL_TRUE : JIT_COL_FALSE;
        break;
    case TL_TEXT:
        if (text) {
            t = JIT_COL_TEXT;
            text[cell] = (uint32_t)jit_name_id(&jp->texts, v->u.text);
        }
        break;
    case TL_NUM:
        if (v->qual != QUAL_NONE || v->flags)
            break;
        if (v->numkind == NUM_QUANTITY) {
            id = unit_id(jp, v->unit, memo);
            t = id ? JIT_COL_QUANTITY : JIT_COL_OTHER;
        } else if (!v->mag && !v->unit) {
            t = v->numkind == NUM_PERCENT ? JIT_COL_PERCENT : JIT_COL_PLAIN;
        }
        break;
    default:
        break;
    }
    tag[cell] = t;
    bool num = t == JIT_COL_PLAIN || t == JIT_COL_PERCENT || t == JIT_COL_QUANTITY;
    coef[cell] = num ? v->u.num.coef : 0;
    scale[cell] = num ? v->u.num.scale : 0;
    unit[cell] = (uint16_t)id;
    mag[cell] = t == JIT_COL_QUANTITY ? v->mag : 0;
}

/* A scoring built-in's target and actual (jit_row_scoring_call), cells
 * tc and ac: numbers it compares as they are - both plain numbers or
 * percentages, or quantities in the same unit (builtins.c target_actual,
 * unit_compat's UNIT_SAME), the actual no bound and neither flagged - as
 * plain cells of their numbers; else both JIT_COL_OTHER, and the
 * interpreter scores the row. */
static inline void put_pair(const TlValue *t, const TlValue *a, size_t tc, size_t ac, int64_t *coef,
                            int32_t *scale, uint8_t *tag, uint16_t *unit, int8_t *mag)
{
    bool like = t->kind == TL_NUM && a->kind == TL_NUM && !(t->flags | a->flags) && a->qual == QUAL_NONE &&
                (t->numkind == NUM_QUANTITY) == (a->numkind == NUM_QUANTITY) &&
                (t->numkind != NUM_QUANTITY || t->unit == a->unit ||
                 strcmp(t->unit ? t->unit : "", a->unit ? a->unit : "") == 0);
    unit[tc] = unit[ac] = 0;
    mag[tc] = mag[ac] = 0;
    if (!like) {
        tag[tc] = tag[ac] = JIT_COL_OTHER;
        coef[tc] = coef[ac] = 0;
        scale[tc] = scale[ac] = 0;
        return;
    }
    tag[tc] = t->numkind == NUM_PERCENT ? JIT_COL_PERCENT : JIT_COL_PLAIN;
    tag[ac] = a->numkind == NUM_PERCENT ? JIT_COL_PERCENT : JIT_COL_PLAIN;
    coef[tc] = t->u.num.coef;
    coef[ac] = a->u.num.coef;
    scale[tc] = t->u.num.scale;
    scale[ac] = a->u.num.scale;
}

/* h and text s (NULL: none) hashed together, eight bytes at a time (issue
 * 16: a byte at a time was two instructions a byte of every text cell). */
static uint64_t hash_text(uint64_t h, const char *s)
{
    if (!s)
        return (h ^ 0xff) * 0x9E3779B97F4A7C15ULL;
    size_t n = strlen(s), i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
        h ^= h >> 29;
    }
    uint64_t tail = 0;
    memcpy(&tail, s + i, n - i);
    h = (h ^ tail ^ (uint64_t)n << 56) * 0x9E3779B97F4A7C15ULL; /* the length ends the text */
    return h ^ h >> 32;
}

/* The set of texts with room for cap (a power of two) slots, those taken
 * in this batch kept with their ids. */
static void texts_grow(ColumnBatch *b, size_t cap)
{
    const char **keys = xcalloc(cap, sizeof *keys);
    uint64_t *hash = xcalloc(cap, sizeof *hash);
    uint32_t *ids = xcalloc(cap, sizeof *ids), *gen = xcalloc(cap, sizeof *gen);
    for (size_t j = 0; j < b->tcap; j++) {
        if (b->tgen[j] != b->gen)
            continue;
        size_t i = (size_t)b->thash[j] & (cap - 1);
        while (gen[i])
            i = (i + 1) & (cap - 1);
        keys[i] = b->tkeys[j];
        hash[i] = b->thash[j];
        ids[i] = b->tids[j];
        gen[i] = 1;
    }
    free(b->tkeys);
    free(b->thash);
    free(b->tids);
    free(b->tgen);
    b->tkeys = keys;
    b->thash = hash;
    b->tids = ids;
    b->tgen = gen;
    b->gen = 1;
    b->tcap = cap;
    b->twords = xrealloc(b->twords, (cap / 2 + 2) * sizeof *b->twords);
}

/* The id of text s among the texts of this batch of table rows: equal
 * texts (strcmp, as compare_values compares them) the same id, from 1, so
 * a row kernel compares two cells' texts as integers. */
static uint32_t text_id(ColumnBatch *b, const char *s)
{
    uint64_t h = hash_text(1469598103934665603ULL, s);
    size_t mask = b->tcap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        if (b->tgen[i] != b->gen) {
            if (2 * ((size_t)b->tn + 1) > b->tcap) { /* full: twice the room, then look again */
                texts_grow(b, 2 * b->tcap);
                return text_id(b, s);
            }
            b->tgen[i] = b->gen;
            b->tkeys[i] = s;
            b->thash[i] = h;
            b->tids[i] = ++b->tn;
            b->twords[b->tn] = 0;
            return b->tn;
        }
        if (b->thash[i] == h && (b->tkeys[i] == s || strcmp(b->tkeys[i], s) == 0))
            return b->tids[i];
    }
}

#define QUAL_WORDS_KNOWN 0x80

/* What score_qual's level test reads of text id `id` (v its value), once a batch. */
static unsigned qual_words(ColumnBatch *b, const Program *p, uint32_t id, const TlValue *v)
{
    if (!b->twords[id])
        b->twords[id] = (uint8_t)(QUAL_WORDS_KNOWN | builtin_qual_words(&p->vocab, v));
    return b->twords[id];
}

/* score_qual's target and actual (jit_row_scoring_call), cells tc and ac:
 * two texts whose level (builtin_qual_level) is known - the same text (so
 * 达成, whatever the vocabulary), or two texts that qual_level compares as
 * written and whose words give a level - as two text cells: the target's
 * coef 1 where it is vague (F_NON_MEASURABLE, which the host raises:
 * JitRowResult.raise), the actual's coef the level (BUILTIN_LEVEL_*).
 * Else both JIT_COL_OTHER, and the interpreter scores the row (an unknown
 * level raises F_QUAL_UNKNOWN). */
static void put_qual_pair(ColumnBatch *b, const Program *p, const TlValue *t, const TlValue *a, size_t tc,
                          size_t ac)
{
    uint32_t tid = 0, aid = 0;
    int level = 0;
    unsigned tw = 0;
    if (t->kind == TL_TEXT && a->kind == TL_TEXT && t->u.text && a->u.text) {
        tid = text_id(b, t->u.text);
        aid = text_id(b, a->u.text);
        tw = qual_words(b, p, tid, t);
        if (tid == aid) {
            level = BUILTIN_LEVEL_MET;
        } else {
            unsigned aw = qual_words(b, p, aid, a);
            if ((tw & aw & BUILTIN_QW_AS_WRITTEN))
                level = builtin_qual_level(tw, aw, false);
        }
    }
    size_t cell[2] = {tc, ac};
    uint32_t id[2] = {tid, aid};
    int64_t coef[2] = {(tw & BUILTIN_QW_VAGUE) != 0, level};
    for (int i = 0; i < 2; i++) {
        b->rtag[cell[i]] = level ? JIT_COL_TEXT : JIT_COL_OTHER;
        b->rtext[cell[i]] = level ? id[i] : 0;
        b->rcoef[cell[i]] = level ? coef[i] : 0;
        b->rscale[cell[i]] = 0;
        b->runit[cell[i]] = 0;
        b->rmag[cell[i]] = 0;
    }
}

/* Room for `rows` rows of columns and results. */
static void reserve(ColumnBatch *b, const Program *p, const JitProgram *jp, size_t rows)
{
    if (rows <= b->cap && b->out)
        return;
    size_t ncols = (size_t)(p->ninputs + p->nlets);
    b->cap = rows;
    b->coef = xrealloc(b->coef, (ncols * rows + 1) * sizeof *b->coef);
    b->scale = xrealloc(b->scale, (ncols * rows + 1) * sizeof *b->scale);
    b->tag = xrealloc(b->tag, (ncols * rows + 1) * sizeof *b->tag);
    b->unit = xrealloc(b->unit, (ncols * rows + 1) * sizeof *b->unit);
    b->mag = xrealloc(b->mag, (ncols * rows + 1) * sizeof *b->mag);
    b->text = xrealloc(b->text, (ncols * rows + 1) * sizeof *b->text);
    b->steps = xrealloc(b->steps, ((size_t)p->nlets * rows + 1) * sizeof *b->steps);
    b->results = xrealloc(b->results, ((size_t)jp->nbatch * rows + 1) * sizeof *b->results);
    b->bound = xrealloc(b->bound, ((size_t)p->ninputs * rows + 1) * sizeof *b->bound);
    b->bound_ok = xrealloc(b->bound_ok, (size_t)p->ninputs * rows + 1);
    b->out = xrealloc(b->out, ((size_t)p->nindicators + 1) * sizeof *b->out);
    /* the columns' addresses: the inputs', then the lets' */
    b->cols.coef = xrealloc(b->cols.coef, (ncols + 1) * sizeof *b->cols.coef);
    b->cols.scale = xrealloc(b->cols.scale, (ncols + 1) * sizeof *b->cols.scale);
    b->cols.tag = xrealloc(b->cols.tag, (ncols + 1) * sizeof *b->cols.tag);
    b->cols.unit = xrealloc(b->cols.unit, (ncols + 1) * sizeof *b->cols.unit);
    b->cols.mag = xrealloc(b->cols.mag, (ncols + 1) * sizeof *b->cols.mag);
    b->cols.text = xrealloc(b->cols.text, (ncols + 1) * sizeof *b->cols.text);
    b->cols.let_steps = xrealloc(b->cols.let_steps, ((size_t)p->nlets + 1) * sizeof *b->cols.let_steps);
    for (size_t c = 0; c < ncols; c++) {
        b->cols.coef[c] = b->coef + c * rows;
        b->cols.scale[c] = b->scale + c * rows;
        b->cols.tag[c] = b->tag + c * rows;
        b->cols.unit[c] = b->unit + c * rows;
        b->cols.mag[c] = b->mag + c * rows;
        b->cols.text[c] = b->text + c * rows;
    }
    for (int l = 0; l < p->nlets; l++)
        b->cols.let_steps[l] = b->steps + (size_t)l * rows;
    b->cols.let_coef = b->cols.coef + p->ninputs;
    b->cols.let_scale = b->cols.scale + p->ninputs;
    b->cols.let_tag = b->cols.tag + p->ninputs;
    b->cols.let_unit = b->cols.unit + p->ninputs;
    b->cols.let_mag = b->cols.mag + p->ninputs;
    size_t used = 0;
    for (int i = 0; i < p->nindicators; i++) {
        b->out[i] = jp->batch[i] ? b->results + used * rows : NULL;
        used += jp->batch[i] != NULL;
    }
}

/* Table rows dispatched ahead (and a rows-rule batch kernel may score). */
static size_t table_rows(const Program *p, const Report *r)
{
    return p->has_table && r->has_table && !r->error ? r->nrows : 0;
}

static uint32_t cell_sig(const TlValue *v)
{
    return 1u | (uint32_t)(v->flags & (VAL_CELL_ERROR | VAL_UNREADABLE)) << 1 | (uint32_t)v->kind << 8 |
           (uint32_t)v->numkind << 16 | (uint32_t)v->qual << 24;
}

static bool same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}


/* The kinds of rows emptied for the next batch; with room for cap (a power
 * of two) when that is more than they have.  The set grows with the kinds a
 * batch meets, not with its rows: a few hundred kinds stay in the cache
 * where a set sized for every row (16,384 in a batch) missed it. */
static void kinds_reset(ColumnBatch *b, size_t cap)
{
    b->kn = 0;
    if (cap > b->kcap) {
        b->kcap = cap;
        b->kinds = xrealloc(b->kinds, cap * sizeof *b->kinds);
        b->kgen = xrealloc(b->kgen, cap * sizeof *b->kgen);
        memset(b->kgen, 0, cap * sizeof *b->kgen);
        b->kgen_now = 1;
        return;
    }
    if (++b->kgen_now == 0) { /* wrapped: every slot free again */
        memset(b->kgen, 0, b->kcap * sizeof *b->kgen);
        b->kgen_now = 1;
    }
}

/* The reads of a row of no group: rows_cell_read of its two cells. */
static uint8_t row_reads(const Program *p, const TableRow *row)
{
    return (uint8_t)(rows_cell_read(p, &row->target, row->target_raw) |
                     rows_cell_read(p, &row->actual, row->actual_raw) << 2);
}

/* Kinds remembered across batches: a few thousand (a report's rows have a
 * few dozen kinds, repeated from report to report). */
#define KIND_MEMO_CAP 8192

static uint64_t kind_text_hash(const RowKind *k)
{
    uint64_t h = ((uint64_t)k->tsig << 32 | k->asig) ^ (uint64_t)(unsigned)k->group << 20;
    h = hash_text(hash_text(hash_text(h, k->level1), k->level2), k->name);
    h = hash_text(hash_text(h, k->traw), k->araw);
    return h | 1; /* 0 marks a free slot */
}

static bool kind_same_texts(const RowKind *a, const RowKind *b)
{
    return a->tsig == b->tsig && a->asig == b->asig && a->group == b->group && same_text(a->name, b->name) &&
           same_text(a->level2, b->level2) && same_text(a->level1, b->level1) && same_text(a->traw, b->traw) &&
           same_text(a->araw, b->araw);
}

static const char *memo_text(ColumnBatch *b, const char *s)
{
    return s ? arena_strdup(&b->memo_texts, s) : NULL;
}

/* The answers for a kind met in an earlier batch, by its texts (the
 * labels' addresses change from chunk to chunk); else NULL.  *slot: where
 * kind_memo_put() keeps it.  For one program (kind_of empties it for another). */
static const RowKind *kind_memo_get(ColumnBatch *b, const RowKind *key, uint64_t h, size_t *slot)
{
    if (!b->memo) {
        b->memo = xcalloc(KIND_MEMO_CAP, sizeof *b->memo);
        b->memo_hash = xcalloc(KIND_MEMO_CAP, sizeof *b->memo_hash);
        b->memo_n = 0;
    }
    size_t mask = KIND_MEMO_CAP - 1;
    for (size_t i = (size_t)(h ^ h >> 32) & mask;; i = (i + 1) & mask) {
        if (!b->memo_hash[i]) {
            *slot = i;
            return NULL;
        }
        if (b->memo_hash[i] == h && kind_same_texts(&b->memo[i], key))
            return &b->memo[i];
    }
}

/* Keep the answers `kind` (its texts copied) at the slot kind_memo_get gave. */
static void kind_memo_put(ColumnBatch *b, const RowKind *kind, uint64_t h, size_t slot)
{
    if (2 * (b->memo_n + 1) > KIND_MEMO_CAP) { /* half full: start again */
        memset(b->memo_hash, 0, KIND_MEMO_CAP * sizeof *b->memo_hash);
        arena_reset(&b->memo_texts);
        b->memo_n = 0;
        size_t mask = KIND_MEMO_CAP - 1;
        slot = (size_t)(h ^ h >> 32) & mask;
    }
    RowKind *m = &b->memo[slot];
    *m = *kind;
    m->level1 = memo_text(b, kind->level1);
    m->level2 = memo_text(b, kind->level2);
    m->name = memo_text(b, kind->name);
    m->traw = memo_text(b, kind->traw);
    m->araw = memo_text(b, kind->araw);
    b->memo_hash[slot] = h;
    b->memo_n++;
}

/* A kind's answers (category, rule, reads) where this batch has not met
 * it: from an earlier batch, by its texts, or asked.  The memo pays where
 * the rules ask a row's direction or the rule file has its own missing
 * words (the name's and cells' words read: about 3,000 instructions a kind
 * on rules/self-eval.tally); core.tally's dispatch, 500, costs about what
 * hashing the texts does.  Out of line: the look-up by address stays small. */
static __attribute__((noinline)) void kind_answers(ColumnBatch *b, const Program *p, const TableRow *row,
                                                    RowKind *key)
{
    int group = key->group;
    if (b->memo_prog != p) {
        b->memo_prog = p;
        b->memo_on = rows_first_direction_rule(p) >= 0 || p->vocab.custom[VOCAB_MISSING];
        b->memo_n = 0;
        if (b->memo_hash)
            memset(b->memo_hash, 0, KIND_MEMO_CAP * sizeof *b->memo_hash);
        arena_reset(&b->memo_texts);
    }
    uint64_t th = 0;
    size_t slot = 0;
    const RowKind *seen = NULL;
    if (b->memo_on) {
        th = kind_text_hash(key);
        seen = kind_memo_get(b, key, th, &slot);
    }
    if (seen) {
        key->category = seen->category;
        key->rule = seen->rule;
        key->read = seen->read;
        return;
    }
    key->category = rows_category_ok(p, &p->groups[group], row->level2);
    const RowRule *rule = key->category ? rows_rule_for(p, row, group) : NULL;
    key->rule = rule ? (int)(rule - p->rules) : -1;
    key->read = row_reads(p, row);
    if (b->memo_on)
        kind_memo_put(b, key, th, slot);
}

/* The dispatch of a row of group `group`, asked once per distinct kind of
 * row in a batch (RowKind): the category test and rows_rule_for() read the
 * labels, the target's cell and the direction's words (about 2,000
 * instructions a row on rules/self-eval.tally), rows_cell_read() a text
 * cell's words.  Both engines' scorers take the answers (score_table). */
static RowKind kind_of(ColumnBatch *b, const Program *p, const TableRow *row, int group)
{
    RowKind key = {row->level1, row->level2, row->name, NULL, NULL, cell_sig(&row->target),
                   cell_sig(&row->actual), group, -1, false, 0};
    bool ttext = row->target.kind == TL_TEXT || row->target.kind == TL_MISSING;
    if (ttext)
        key.traw = row->target_raw;
    if ((row->actual.kind == TL_TEXT || row->actual.kind == TL_MISSING) &&
        (ttext || p->vocab.custom[VOCAB_MISSING]))
        key.araw = row->actual_raw;
    /* the labels by address: the reader interns them (equal texts one
     * address, at least within a batch); equal texts at two addresses only
     * miss, and the row is dispatched again */
    uint64_t h = ((uint64_t)key.tsig << 32 | key.asig) ^ (uint64_t)(unsigned)group << 20;
    h = (h ^ (uintptr_t)key.level1) * 0x9E3779B97F4A7C15ULL;
    h = (h ^ (uintptr_t)key.level2) * 0x9E3779B97F4A7C15ULL;
    h = (h ^ (uintptr_t)key.name) * 0x9E3779B97F4A7C15ULL;
    if (key.traw || key.araw)
        h = hash_text(hash_text(h, key.traw), key.araw);
    size_t mask = b->kcap - 1;
    for (size_t i = (size_t)(h ^ h >> 32) & mask;; i = (i + 1) & mask) {
        RowKind *k = &b->kinds[i];
        if (b->kgen[i] != b->kgen_now) {
            kind_answers(b, p, row, &key); /* not met in this batch */
            if (2 * (b->kn + 1) > b->kcap) { /* full: a set twice the size, empty (answers are asked again) */
                kinds_reset(b, 2 * b->kcap);
                mask = b->kcap - 1;
                i = (size_t)(h ^ h >> 32) & mask;
                k = &b->kinds[i];
            }
            *k = key;
            b->kgen[i] = b->kgen_now;
            b->kn++;
            return key;
        }
        if (k->tsig == key.tsig && k->asig == key.asig && k->group == group && k->name == key.name &&
            k->level2 == key.level2 && k->level1 == key.level1 && same_text(k->traw, key.traw) &&
            same_text(k->araw, key.araw))
            return *k;
    }
}

/* rows_group_of(p, row), asked once a batch for each level-1 label (by
 * address: the reader interns labels; equal texts at two addresses are
 * asked again) and, under an empty one, each level-2. */
static int group_of(ColumnBatch *b, const Program *p, const TableRow *row)
{
    const char *l2 = *row->level1 ? NULL : row->level2;
    for (int i = 0; i < b->ngroups_seen; i++)
        if (b->groups_seen[i].level1 == row->level1 && b->groups_seen[i].level2 == l2)
            return b->groups_seen[i].group;
    int g = rows_group_of(p, row);
    if (b->ngroups_seen < (int)(sizeof b->groups_seen / sizeof *b->groups_seen))
        b->groups_seen[b->ngroups_seen++] = (GroupSeen){row->level1, l2, g};
    return g;
}

/* The table rows of r[0 .. n - 1]: each row dispatched (its group,
 * category, rule and cells' reads, kept for score_table); with compiled
 * code (jp), each row a rows rule with a batch kernel scores goes into that
 * rule's columns, then each rule's kernel runs once over its rows. */
static void run_rows(ColumnBatch *b, const Program *p, const JitProgram *jp, const Report *r, size_t n)
{
    b->dispatched = p->has_table;
    if (!p->has_table)
        return;
    size_t total = 0;
    for (size_t k = 0; k < n; k++)
        total += table_rows(p, &r[k]);
    b->row_first = xrealloc(b->row_first, (n + 1) * sizeof *b->row_first);
    b->row_slot = xrealloc(b->row_slot, (total + 1) * sizeof *b->row_slot);
    b->row_rule = xrealloc(b->row_rule, (total + 1) * sizeof *b->row_rule);
    b->row_group = xrealloc(b->row_group, (total + 1) * sizeof *b->row_group);
    b->row_category = xrealloc(b->row_category, (total + 1) * sizeof *b->row_category);
    b->row_read = xrealloc(b->row_read, (total + 1) * sizeof *b->row_read);
    kinds_reset(b, 64);
    b->ngroups_seen = 0;
    if (total > b->rcap) {
        b->rcap = total;
        b->rcoef = xrealloc(b->rcoef, CTX_COUNT * total * sizeof *b->rcoef);
        b->rscale = xrealloc(b->rscale, CTX_COUNT * total * sizeof *b->rscale);
        b->rtag = xrealloc(b->rtag, CTX_COUNT * total * sizeof *b->rtag);
        b->runit = xrealloc(b->runit, CTX_COUNT * total * sizeof *b->runit);
        b->rmag = xrealloc(b->rmag, CTX_COUNT * total * sizeof *b->rmag);
        b->rtext = xrealloc(b->rtext, CTX_COUNT * total * sizeof *b->rtext);
        b->row_results = xrealloc(b->row_results, total * sizeof *b->row_results);
    }
    b->rule_count = xrealloc(b->rule_count, ((size_t)p->nrules + 1) * sizeof *b->rule_count);
    b->rule_fill = xrealloc(b->rule_fill, ((size_t)p->nrules + 1) * sizeof *b->rule_fill);
    b->rule_pair = xrealloc(b->rule_pair, ((size_t)p->nrules + 1) * sizeof *b->rule_pair);
    b->rule_cells = xrealloc(b->rule_cells, ((size_t)p->nrules + 1) * sizeof *b->rule_cells);
    memset(b->rule_count, 0, ((size_t)p->nrules + 1) * sizeof *b->rule_count);
    for (int ri = 0; ri < p->nrules; ri++) {
        const Expr *call = jp && jp->batch_rows[ri] ? jit_row_scoring_call(p, ri) : NULL;
        b->rule_pair[ri] = !call ? 0
                           : (uint8_t)((call->u.call.args[1]->u.name.sym->ctx == CTX_TARGET ? 2 : 1) +
                                       (call->u.call.sym->builtin->id == BI_SCORE_QUAL ? 2 : 0));
        b->rule_cells[ri] = (uint8_t)((1u << CTX_COUNT) - 1);
        if (call) { /* its arguments are context words and literals (or mode words): the words' cells
                     * but the pair's, which put_pair and put_qual_pair write */
            b->rule_cells[ri] = 0;
            for (int a = 2; a < call->u.call.nargs; a++) {
                const Expr *e = call->u.call.args[a];
                if (e->kind == E_NAME && e->u.name.sym->kind == SYM_CONTEXT)
                    b->rule_cells[ri] |= (uint8_t)(1u << e->u.name.sym->ctx);
            }
            b->rule_cells[ri] &= (uint8_t)~(1u << CTX_TARGET | 1u << CTX_VALUE);
        }
    }
    /* which rule scores each row; then each rule's rows side by side */
    size_t at = 0;
    for (size_t k = 0; k < n; k++) {
        b->row_first[k] = at;
        /* rows come in runs under one level-1 (and, under an empty one,
         * level-2): their group looked up once a run, as score_table() does */
        const char *run_level1 = NULL, *run_level2 = NULL;
        int run_group = -1;
        for (size_t i = 0; i < table_rows(p, &r[k]); i++, at++) {
            const TableRow *row = &r[k].rows[i];
            if (!run_level1 || !rows_same_label(row->level1, run_level1) ||
                (!*row->level1 && (!run_level2 || !rows_same_label(row->level2, run_level2)))) {
                run_level1 = row->level1;
                run_level2 = row->level2;
                run_group = group_of(b, p, row);
            }
            RowKind kind = {.group = run_group, .rule = -1};
            if (run_group >= 0)
                kind = kind_of(b, p, row, run_group);
            else
                kind.read = row_reads(p, row);
            int ri = kind.rule;
            b->row_rule[at] = ri;
            b->row_group[at] = run_group;
            b->row_category[at] = kind.category;
            b->row_read[at] = kind.read;
            b->row_slot[at] = ri >= 0 && jp && jp->batch_rows[ri] ? ri : -1;
            if (b->row_slot[at] >= 0)
                b->rule_count[ri]++;
        }
    }
    b->row_first[n] = at;
    size_t start = 0;
    for (int ri = 0; ri < p->nrules; ri++) {
        b->rule_fill[ri] = start;
        start += b->rule_count[ri];
    }
    size_t cap = b->rcap;
    /* the set of texts: grown as the batch meets them (text_id) */
    if (!b->tcap)
        texts_grow(b, 256);
    if (++b->gen == 0) { /* wrapped: every slot free again */
        memset(b->tgen, 0, b->tcap * sizeof *b->tgen);
        b->gen = 1;
    }
    b->tn = 0;
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < table_rows(p, &r[k]); i++) {
            long *slot = &b->row_slot[b->row_first[k] + i];
            if (*slot < 0)
                continue;
            int ri = (int)*slot;
            size_t pos = b->rule_fill[ri]++;
            *slot = (long)pos;
            const TableRow *row = &r[k].rows[i];
            _Static_assert(CTX_COUNT == 4, "every context value is set below");
            const TlValue *ctx[CTX_COUNT];
            TlValue value, target; /* a cell as the rule file's missing words read it, where not as parsed */
            uint8_t read = b->row_read[b->row_first[k] + i];
            ctx[CTX_VALUE] = read >> 2 == ROWS_AS_PARSED ? &row->actual
                             : (value = rows_cell_as((RowsRead)(read >> 2), &row->actual, row->actual_raw), &value);
            ctx[CTX_TARGET] = (read & 3) == ROWS_AS_PARSED ? &row->target
                              : (target = rows_cell_as((RowsRead)(read & 3), &row->target, row->target_raw), &target);
            ctx[CTX_WEIGHT] = &row->weight;
            ctx[CTX_REPORTED] = &row->reported;
            for (unsigned c = 0, cells = b->rule_cells[ri]; c < CTX_COUNT; c++) {
                if (!(cells >> c & 1))
                    continue; /* put_pair's, or not read by the kernel */
                size_t cell = (size_t)c * cap + pos;
                const TlValue *v = ctx[c];
                if (v->kind == TL_NUM && v->qual == QUAL_NONE && !v->flags && v->numkind != NUM_QUANTITY &&
                    !v->mag && !v->unit) { /* a plain number or percentage (a weight, a score): put_cell's */
                    b->rtag[cell] = v->numkind == NUM_PERCENT ? JIT_COL_PERCENT : JIT_COL_PLAIN;
                    b->rcoef[cell] = v->u.num.coef;
                    b->rscale[cell] = v->u.num.scale;
                    b->runit[cell] = 0;
                    b->rmag[cell] = 0;
                    continue;
                }
                put_cell(jp, v, cell, b->rcoef, b->rscale, b->rtag, b->runit, b->rmag, NULL, NULL);
                if (v->kind == TL_TEXT && v->u.text) { /* compared with another cell (gen_typed.c kcells_equal) */
                    b->rtag[cell] = JIT_COL_TEXT;
                    b->rtext[cell] = text_id(b, v->u.text);
                }
            }
            if (b->rule_pair[ri] == 1)
                put_pair(ctx[CTX_TARGET], ctx[CTX_VALUE], (size_t)CTX_TARGET * cap + pos,
                         (size_t)CTX_VALUE * cap + pos, b->rcoef, b->rscale, b->rtag, b->runit, b->rmag);
            else if (b->rule_pair[ri] == 2) /* score_ge(actual, target, ...) */
                put_pair(ctx[CTX_VALUE], ctx[CTX_TARGET], (size_t)CTX_VALUE * cap + pos,
                         (size_t)CTX_TARGET * cap + pos, b->rcoef, b->rscale, b->rtag, b->runit, b->rmag);
            else if (b->rule_pair[ri] == 3) /* score_qual(target, actual, ...) */
                put_qual_pair(b, p, ctx[CTX_TARGET], ctx[CTX_VALUE], (size_t)CTX_TARGET * cap + pos,
                              (size_t)CTX_VALUE * cap + pos);
            else if (b->rule_pair[ri] == 4)
                put_qual_pair(b, p, ctx[CTX_VALUE], ctx[CTX_TARGET], (size_t)CTX_VALUE * cap + pos,
                              (size_t)CTX_TARGET * cap + pos);
        }
    start = 0;
    for (int ri = 0; jp && ri < p->nrules; ri++) {
        size_t cnt = b->rule_count[ri];
        if (cnt) {
            int64_t *coef[CTX_COUNT];
            int32_t *scale[CTX_COUNT];
            uint8_t *tag[CTX_COUNT];
            uint16_t *unit[CTX_COUNT];
            int8_t *mag[CTX_COUNT];
            uint32_t *text[CTX_COUNT];
            for (int c = 0; c < CTX_COUNT; c++) {
                text[c] = b->rtext + (size_t)c * cap + start;
                coef[c] = b->rcoef + (size_t)c * cap + start;
                scale[c] = b->rscale + (size_t)c * cap + start;
                tag[c] = b->rtag + (size_t)c * cap + start;
                unit[c] = b->runit + (size_t)c * cap + start;
                mag[c] = b->rmag + (size_t)c * cap + start;
            }
            JitColumns cols = {.n = (long)cnt, .coef = coef, .scale = scale, .tag = tag, .unit = unit,
                               .mag = mag, .text = text};
            jp->batch_rows[ri](&cols, b->row_results + start);
        }
        start += cnt;
    }
}

/* How many of the n reports at r one batch takes: at most `max`, and about
 * BATCH_AHEAD_CELLS results in all (`per` a report, one a table row); at
 * least one. */
static size_t reports_that_fit(const Program *p, const Report *r, size_t n, size_t max, size_t per)
{
    size_t fit = 0, cells = 0;
    while (fit < n && fit < max) {
        size_t c = per + table_rows(p, &r[fit]);
        if (fit > 0 && cells + c > BATCH_AHEAD_CELLS)
            break;
        cells += c;
        fit++;
    }
    return fit;
}

/* The n reports from r, scored ahead by jp (NULL: rows dispatched only)
 * for p, held for score_report(); n. */
static size_t hold(ColumnBatch *b, const JitProgram *jp, const Program *p, const Report *r, size_t n)
{
    b->jp = jp;
    b->prog = p;
    b->first = r;
    b->n = n;
    return n;
}

size_t columns_run(ColumnBatch *b, const Program *p, const JitProgram *jp, InputLayout *layout,
                   const Report *r, size_t n)
{
    b->n = 0;
    b->dispatched = false;
    if (n == 0)
        return n;
    if (!jp || (jp->nbatch == 0 && jp->nbatch_rows == 0)) {
        /* no kernels: the table rows dispatched ahead, for score_table */
        if (!p->has_table)
            return n;
        size_t fit = reports_that_fit(p, r, n, BATCH_AHEAD_MAX_ROWS, 0);
        run_rows(b, p, NULL, r, fit);
        return hold(b, NULL, p, r, fit);
    }
    size_t nbatch = (size_t)jp->nbatch;
    size_t rows = BATCH_AHEAD_CELLS / (nbatch ? nbatch : 1);
    rows = rows < 1 ? 1 : rows > BATCH_AHEAD_MAX_ROWS ? BATCH_AHEAD_MAX_ROWS : rows;
    n = reports_that_fit(p, r, n, rows, nbatch);
    reserve(b, p, jp, rows);
    size_t cap = b->cap;
    UnitMemo *memo = xcalloc((size_t)jp->nbatch_inputs + 1, sizeof *memo); /* this batch's */
    b->bound_input = xrealloc(b->bound_input, (size_t)p->ninputs + 1);
    memset(b->bound_input, 0, (size_t)p->ninputs + 1);
    for (int j = 0; j < jp->nbatch_inputs && nbatch; j++)
        b->bound_input[jp->batch_inputs[j]] = 1;
    for (size_t k = 0; k < n && nbatch; k++) {
        const Report *rep = &r[k];
        const size_t *figs = rep->error ? NULL : layout_figures(layout, p, rep);
        for (int j = 0; j < jp->nbatch_inputs; j++) { /* the columns batch kernels read */
            int i = jp->batch_inputs[j];
            size_t cell = (size_t)i * cap + k;
            TlValue v = val_missing();
            const Figure *fig = figs && figs[i] != SIZE_MAX ? &rep->figures[figs[i]] : NULL;
            /* a bad cell: score_report() binds the input missing */
            bool ok = fig && bind_convert(p, p->inputs[i], fig, &v) == BIND_OK;
            if (fig && !ok)
                v = val_missing();
            b->bound[cell] = v;
            b->bound_ok[cell] = ok;
            put_cell(jp, &v, cell, b->coef, b->scale, b->tag, b->unit, b->mag, b->text, &memo[j]);
        }
    }
    free(memo);
    b->cols.n = (long)n;
    jit_batch_run(jp, &b->cols, b->out);
    run_rows(b, p, jp, r, n);
    return hold(b, jp, p, r, n);
}

/* r's row among the reports held, or -1. */
static long held_row(const ColumnBatch *b, const Report *r)
{
    /* as integers: r may belong to another report set */
    uintptr_t at = (uintptr_t)r, first = (uintptr_t)b->first;
    if (!b->n || at < first || (at - first) / sizeof *r >= b->n || (at - first) % sizeof *r)
        return -1;
    return (long)((at - first) / sizeof *r);
}

long columns_row_of(const ColumnBatch *b, const Report *r)
{
    return b->jp ? held_row(b, r) : -1; /* without kernels nothing was bound or scored */
}

bool columns_bound(const ColumnBatch *b, long row, int i, TlValue *out)
{
    if (row < 0 || !b->bound_input || !b->bound_input[i])
        return false;
    size_t cell = (size_t)i * b->cap + (size_t)row;
    if (!b->bound_ok[cell])
        return false;
    *out = b->bound[cell];
    return true;
}

const JitRowResult *columns_result(const ColumnBatch *b, long row, int i)
{
    return row >= 0 && b->out[i] ? &b->out[i][row] : NULL;
}

long columns_table(const ColumnBatch *b, const Report *r)
{
    long k = b->dispatched ? held_row(b, r) : -1;
    if (k < 0 || b->row_first[k + 1] - b->row_first[k] != table_rows(b->prog, r))
        return -1;
    return (long)b->row_first[k];
}

void columns_row_cells(const ColumnBatch *b, long first, size_t i, const TableRow *row, TlValue *target,
                       TlValue *actual)
{
    uint8_t read = b->row_read[first + (long)i];
    *target = rows_cell_as((RowsRead)(read & 3), &row->target, row->target_raw);
    *actual = rows_cell_as((RowsRead)(read >> 2), &row->actual, row->actual_raw);
}

int columns_row_group(const ColumnBatch *b, long first, size_t i, bool *category)
{
    *category = b->row_category[first + (long)i] != 0;
    return b->row_group[first + (long)i];
}

int columns_row_rule(const ColumnBatch *b, long first, size_t i)
{
    return b->row_rule[first + (long)i];
}

const JitRowResult *columns_row_result(const ColumnBatch *b, long first, size_t i)
{
    long slot = b->row_slot[first + (long)i];
    return slot >= 0 ? &b->row_results[slot] : NULL;
}
