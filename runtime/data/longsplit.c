/* longsplit.c - a streamed long CSV parsed by several threads (issue 16).
 *
 * The reading thread reads the window as the single reader does (every byte
 * checked before it is used), cuts it into blocks where a report starts
 * (csvsplit.h: outside quotes, where the report id changes, with the line
 * each block starts on) and copies each block out; `parsers` threads parse
 * blocks into reports, each block with a loader of its own (its labels, its
 * diagnostics, the ids it names).  The reading thread takes the blocks back
 * in the file's order: the ids a block names are checked against those of
 * the blocks before it (the set of ids seen, idset.h, kept in order here);
 * a block that names an id seen before - rows of a report resumed after
 * another - is read again on this thread with the file's ids, as the single
 * reader reads it; then the block is handed to the sink as one chunk.  So
 * every block reads as the single reader reads it with a chunk boundary at
 * the block's start.  After a quote the cut cannot follow (a malformed
 * record), or none in a whole window, and for the last block, the single
 * reader reads the rest.
 * Memory: the window, and at most `parsers` + 2 blocks (SPLIT_BLOCK bytes
 * each) with their reports.
 */
#include "loader.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "csvsplit.h"
#include "lang/base/l10n.h"

/* Bytes of the file in a block: each block is one chunk of reports. */
#define SPLIT_BLOCK ((size_t)2 << 20)
#define SPLIT_MAX_PARSERS 16

enum { BLOCK_FREE, BLOCK_QUEUED, BLOCK_PARSING, BLOCK_DONE };

typedef struct Block {
    int state;
    unsigned long seq;     /* its place in the file */
    char *data;            /* a copy of its bytes */
    size_t len, cap;
    int line;              /* the physical line data[0] starts */
    /* what its parser made */
    ReportSet set;
    DiagList diags;
    size_t claims;         /* Loader.claims */
    size_t *claimed;       /* reports that claimed a new id, in order */
    size_t nclaimed, claimcap;
    LongCarry last;        /* its last report */
} Block;

typedef struct Split {
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    bool stop;
    Block *blocks;
    size_t nblocks;
    /* read only while parsers run */
    const char *file;
    char sep;
    const char **names;
    size_t ncol;
    bool has_reason;
    TlLang lang;
} Split;

/* Parse block b alone, as the single reader would after a chunk boundary. */
static void parse_block(const Split *sp, Block *b)
{
    Loader W;
    loader_init(&W, &b->set, &b->diags, sp->file);
    W.sep = sp->sep;
    CsvReader cr;
    csv_init(&cr, b->data, b->len);
    csv_set_separator(&cr, sp->sep);
    cr.line = b->line;
    b->last = (LongCarry){0};
    load_long_rows(&W, &cr, sp->names, sp->ncol, sp->has_reason, &b->last);
    csv_free(&cr);
    loader_finish(&W);
    b->claims = W.claims;
    b->nclaimed = 0;
    for (size_t i = 0; i < b->set.len; i++) {
        if (i < W.metacap && W.meta[i].placeholder)
            continue;
        if (b->nclaimed == b->claimcap) {
            b->claimcap = b->claimcap ? b->claimcap * 2 : 256;
            b->claimed = xrealloc(b->claimed, b->claimcap * sizeof *b->claimed);
        }
        b->claimed[b->nclaimed++] = i;
    }
    loader_free(&W);
}

/* The queued block that comes first in the file, or NULL. */
static Block *next_queued(Split *sp)
{
    Block *best = NULL;
    for (size_t i = 0; i < sp->nblocks; i++)
        if (sp->blocks[i].state == BLOCK_QUEUED && (!best || sp->blocks[i].seq < best->seq))
            best = &sp->blocks[i];
    return best;
}

static void *parser_main(void *arg)
{
    Split *sp = arg;
    l10n_set_lang(sp->lang);
    pthread_mutex_lock(&sp->mu);
    for (;;) {
        Block *b;
        while (!sp->stop && !(b = next_queued(sp)))
            pthread_cond_wait(&sp->work, &sp->mu);
        if (sp->stop)
            break;
        b->state = BLOCK_PARSING;
        pthread_mutex_unlock(&sp->mu);
        parse_block(sp, b);
        pthread_mutex_lock(&sp->mu);
        b->state = BLOCK_DONE;
        pthread_cond_broadcast(&sp->done);
    }
    pthread_mutex_unlock(&sp->mu);
    return NULL;
}

/* The block of sequence number seq, parsed: waits for its parser. */
static Block *wait_done(Split *sp, unsigned long seq)
{
    pthread_mutex_lock(&sp->mu);
    Block *b = NULL;
    for (;;) {
        for (size_t i = 0; i < sp->nblocks; i++)
            if (sp->blocks[i].state != BLOCK_FREE && sp->blocks[i].seq == seq)
                b = &sp->blocks[i];
        if (b && b->state == BLOCK_DONE)
            break;
        pthread_cond_wait(&sp->done, &sp->mu);
    }
    pthread_mutex_unlock(&sp->mu);
    return b;
}

/* Block b, parsed, into the file's order: its ids checked against the
 * blocks' before it, then handed to the sink; read again on this thread
 * when it names an id seen before.  carry: the report before it, then its
 * last. */
static void merge_block(Loader *L, const Split *sp, Block *b, LongCarry *carry)
{
    bool again = false;
    size_t entry;
    for (size_t k = 0; k < b->nclaimed && !again; k++)
        again = loader_id_find(L, b->set.reports[b->claimed[k]].id, &entry);
    if (again) {
        reportset_clear(&b->set);
        diag_clear(&b->diags);
        CsvReader cr;
        csv_init(&cr, b->data, b->len);
        csv_set_separator(&cr, sp->sep);
        cr.line = b->line;
        load_long_rows(L, &cr, sp->names, sp->ncol, sp->has_reason, carry);
        csv_free(&cr);
        loader_flush(L);
        free(b->last.id);
        b->last.id = NULL;
        return;
    }
    for (size_t k = 0; k < b->nclaimed; k++) {
        const Report *r = &b->set.reports[b->claimed[k]];
        loader_id_add(L, r->id, r->pos.line, b->claimed[k]);
    }
    L->claims += b->claims;
    size_t n = b->set.len;
    if (n || b->diags.len || b->diags.dropped) {
        L->sink->fn(L->sink->ctx, &b->set, &b->diags);
        L->flushed += n;
    }
    free(carry->id);
    *carry = b->last;
    b->last.id = NULL;
}

/* The block of sequence number seq, once parsed, merged; then free. */
static void merge_next(Loader *L, Split *sp, unsigned long seq, LongCarry *carry)
{
    Block *b = wait_done(sp, seq);
    merge_block(L, sp, b, carry);
    pthread_mutex_lock(&sp->mu);
    b->state = BLOCK_FREE;
    pthread_mutex_unlock(&sp->mu);
}

static void block_free(Block *b)
{
    reportset_free(&b->set);
    diag_free(&b->diags);
    free(b->data);
    free(b->claimed);
    free(b->last.id);
}

/* The blocks and the locks of a split whose parsers have ended (or never began). */
static void split_free(Split *sp)
{
    for (size_t i = 0; i < sp->nblocks; i++)
        block_free(&sp->blocks[i]);
    free(sp->blocks);
    pthread_cond_destroy(&sp->done);
    pthread_cond_destroy(&sp->work);
    pthread_mutex_destroy(&sp->mu);
}

bool load_long_split(Loader *L, CsvReader *cr, const char **names, size_t ncol, bool has_reason)
{
    DataWindow *w = L->win;
    int parsers = L->sink->parsers < SPLIT_MAX_PARSERS ? L->sink->parsers : SPLIT_MAX_PARSERS;
    Split sp = {.file = L->file, .sep = L->sep, .names = names, .ncol = ncol,
                .has_reason = has_reason, .lang = l10n_lang()};
    pthread_mutex_init(&sp.mu, NULL);
    pthread_cond_init(&sp.work, NULL);
    pthread_cond_init(&sp.done, NULL);
    sp.nblocks = (size_t)parsers + 2;
    sp.blocks = xcalloc(sp.nblocks, sizeof *sp.blocks);
    for (size_t i = 0; i < sp.nblocks; i++) {
        reportset_init(&sp.blocks[i].set);
        diag_init(&sp.blocks[i].diags);
    }
    pthread_t tid[SPLIT_MAX_PARSERS];
    int started = 0;
    while (started < parsers && pthread_create(&tid[started], NULL, parser_main, &sp) == 0)
        started++;
    if (started == 0) { /* the single reader reads it */
        split_free(&sp);
        return false;
    }

    CsvSplit cs;
    csv_split_init(&cs, L->sep, true);
    size_t prev = cr->pos; /* the blocks before it are handed out */
    int prev_line = cr->line;
    cs.pos = cs.rec_start = prev;
    cs.newlines = (size_t)(cr->line - 1);
    size_t target = w->ahead / 4 < SPLIT_BLOCK ? w->ahead / 4 : SPLIT_BLOCK;
    if (target == 0)
        target = 1;
    unsigned long next_seq = 0, merged = 0;
    LongCarry carry = {0};
    for (;;) {
        CsvCut cut;
        if (csv_split_next(&cs, w->buf, w->checked, prev + target, &cut)) {
            /* a free block: else the oldest, once parsed, goes to the sink */
            Block *b = NULL;
            for (;;) {
                pthread_mutex_lock(&sp.mu);
                for (size_t i = 0; i < sp.nblocks && !b; i++)
                    if (sp.blocks[i].state == BLOCK_FREE)
                        b = &sp.blocks[i];
                pthread_mutex_unlock(&sp.mu);
                if (b)
                    break;
                merge_next(L, &sp, merged++, &carry);
            }
            size_t n = cut.at - prev;
            if (b->cap < n) {
                b->cap = n;
                b->data = xrealloc(b->data, n);
            }
            memcpy(b->data, w->buf + prev, n);
            b->len = n;
            b->line = prev_line;
            pthread_mutex_lock(&sp.mu);
            b->seq = next_seq++;
            b->state = BLOCK_QUEUED;
            pthread_cond_signal(&sp.work);
            pthread_mutex_unlock(&sp.mu);
            prev = cut.at;
            prev_line = cut.line;
            continue;
        }
        if (cs.doubt || w->eof)
            break;
        size_t d = loader_window_more(L, prev, prev_line, prev);
        csv_split_rebase(&cs, d);
        prev -= d;
        if (d == 0 && !w->eof && w->len >= 2 * w->ahead)
            break; /* no cut in a whole window (a report larger than it, a quote
                      left open): the single reader reads the rest */
    }
    while (merged < next_seq)
        merge_next(L, &sp, merged++, &carry);
    pthread_mutex_lock(&sp.mu);
    sp.stop = true;
    pthread_cond_broadcast(&sp.work);
    pthread_mutex_unlock(&sp.mu);
    for (int i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    split_free(&sp);

    /* the rest (the last block, or all after a doubt) as the single reader reads it */
    cr->data = w->buf;
    cr->len = w->len;
    cr->pos = cr->line_start = prev;
    cr->line = prev_line;
    if (w->eof)
        cr->more = NULL;
    load_long_rows(L, cr, names, ncol, has_reason, &carry);
    free(carry.id);
    return true;
}
