/* idset.c - the report ids seen, in memory up to a bound, then in sorted
 * runs in a temporary file with a Bloom filter each (idset.h). */
#define _GNU_SOURCE /* O_TMPFILE */
#include "idset.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lang/base/arena.h"
#include "lang/base/cleanup.h"

/* Index entries per fence: a look-up in a run reads one group (1.5 KB). */
#define IDSET_GROUP 64
/* How many records ahead a spill asks the cache for. */
#define IDSET_AHEAD 8
/* A run's index entry on disk: hash, value, the id's offset in the run's
 * text and its length.  Native byte order: the file lives as long as the run. */
typedef struct IdEntry {
    uint64_t hash, val;
    uint32_t off, len;
} IdEntry;
/* Bloom filter: bits an id, bits set an id (in one 512-bit block). */
#define BLOOM_BITS_PER_ID 10
#define BLOOM_K 7

static inline uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static inline uint64_t fmix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

uint64_t idset_hash(const char *id, size_t len)
{
    const uint64_t k1 = 0x9E3779B97F4A7C15ULL, k2 = 0xC2B2AE3D27D4EB4FULL;
    uint64_t h = k1 ^ (len * k2), w;
    const char *p = id;
    size_t n = len;
    for (; n >= 8; p += 8, n -= 8) {
        memcpy(&w, p, 8);
        h = rotl(h ^ (w * k2), 31) * k1;
    }
    w = 0;
    memcpy(&w, p, n);
    return fmix(h ^ (w * k2) ^ n);
}

static uint64_t hash_of(const IdSet *s, const char *id, size_t len)
{
    return s->hash ? s->hash(id, len) : idset_hash(id, len);
}

/* Records in memory: value (8 bytes), length (4), the bytes; 4-aligned,
 * referred to by offset / 4. */
#define REC_HEAD 12
/* Bytes a slot of the table takes: its reference and its control byte. */
#define SLOT_BYTES (sizeof(uint64_t) + 1)
static size_t rec_size(size_t len) { return (REC_HEAD + len + 3) & ~(size_t)3; }

static uint64_t rec_val(const unsigned char *r)
{
    uint64_t v;
    memcpy(&v, r, 8);
    return v;
}

static uint32_t rec_len(const unsigned char *r)
{
    uint32_t n;
    memcpy(&n, r + 8, 4);
    return n;
}

static const unsigned char *slot_rec(const IdSet *s, uint64_t slot)
{
    return s->mem + ((size_t)(uint32_t)(slot - 1) << 2);
}

/* A slot's control byte: 0 empty, else 7 bits of the hash (not those of
 * its place) and the top bit. */
static uint8_t ctrl_of(uint64_t h) { return (uint8_t)(0x80 | (h >> 57)); }

/* The place of id in memory, or the empty place where it would go.  The
 * probe reads the control bytes (one a slot: 1 MB for a million, in the
 * cache where the 8-byte slots are not) and a slot only when its byte
 * matches (issue 16: a new id's look-up, the common one, was a miss of
 * the cache in the slots at 1,000,000 reports). */
static size_t mem_slot(const IdSet *s, const char *id, size_t len, uint64_t h)
{
    uint8_t want = ctrl_of(h);
    uint64_t tag = h >> 32 << 32;
    for (size_t i = h & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
        uint8_t c = s->ctrl[i];
        if (!c)
            return i;
        if (c != want)
            continue;
        uint64_t v = s->slots[i];
        if ((v & ~(uint64_t)0xFFFFFFFFu) == tag) {
            const unsigned char *r = slot_rec(s, v);
            if (rec_len(r) == len && memcmp(r + REC_HEAD, id, len) == 0)
                return i;
        }
    }
}

/* Put the record at offset at, hashed h, in the empty place i. */
static void slot_set(IdSet *s, size_t i, uint64_t h, size_t at)
{
    s->ctrl[i] = ctrl_of(h);
    s->slots[i] = (h >> 32 << 32) | ((uint64_t)(at >> 2) + 1);
}

/* Every record in memory put in the table again, in the order added (the
 * records read in memory order, not at random). */
static void refill_table(IdSet *s)
{
    memset(s->ctrl, 0, s->cap);
    for (size_t at = 0; at < s->used;) {
        const unsigned char *r = s->mem + at;
        uint32_t len = rec_len(r);
        uint64_t h = hash_of(s, (const char *)r + REC_HEAD, len);
        size_t j = h & (s->cap - 1);
        while (s->ctrl[j])
            j = (j + 1) & (s->cap - 1);
        slot_set(s, j, h, at);
        at += rec_size(len);
    }
}

static void grow_table(IdSet *s)
{
    size_t cap = s->cap ? s->cap * 2 : 1024;
    free(s->slots);
    free(s->ctrl);
    s->slots = xmalloc(cap * sizeof *s->slots);
    s->ctrl = xmalloc(cap);
    s->cap = cap;
    refill_table(s);
}

/* Reading and writing the file -------------------------------------------------- */

static bool read_at(int fd, void *buf, size_t n, off_t at)
{
    unsigned char *p = buf;
    while (n > 0) {
        ssize_t r = pread(fd, p, n, at);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return false;
        if (r == 0) {
            errno = EIO; /* the file is shorter than what was written */
            return false;
        }
        p += r, n -= (size_t)r, at += r;
    }
    return true;
}

typedef struct Writer {
    int fd;
    off_t at;
    size_t n;
    bool failed;
    unsigned char buf[1 << 16];
} Writer;

static void w_flush(Writer *w)
{
    unsigned char *p = w->buf;
    while (w->n > 0 && !w->failed) {
        ssize_t r = pwrite(w->fd, p, w->n, w->at);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            if (r == 0)
                errno = ENOSPC;
            w->failed = true;
            break;
        }
        p += r, w->n -= (size_t)r, w->at += r;
    }
}

static void w_put(Writer *w, const void *data, size_t n)
{
    const unsigned char *p = data;
    while (n > 0 && !w->failed) {
        size_t k = sizeof w->buf - w->n < n ? sizeof w->buf - w->n : n;
        memcpy(w->buf + w->n, p, k);
        w->n += k, p += k, n -= k;
        if (w->n == sizeof w->buf)
            w_flush(w);
    }
}

/* The temporary file: unnamed (O_TMPFILE), else named at random and removed
 * at once, registered for cleanup while it has a name. */
static bool open_file(IdSet *s)
{
    const char *dir = s->dir ? s->dir : getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    int fd = -1;
    if (!s->named) {
        fd = open(dir, O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
            return false;
    }
    if (fd < 0) {
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
            return false;
        char name[64];
        for (int tries = 0; fd < 0 && tries < 100; tries++) {
            uint64_t r;
            if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
                r = fmix((uint64_t)getpid() << 20 ^ (uint64_t)tries ^ (uint64_t)s->end);
            snprintf(name, sizeof name, "tally-ids.tmp.%ld.%016llx", (long)getpid(),
                     (unsigned long long)r);
            if (!cleanup_create_begin()) {
                errno = EINTR;
                break;
            }
            fd = openat(dfd, name, O_CREAT | O_EXCL | O_NOFOLLOW | O_RDWR | O_CLOEXEC, 0600);
            int slot = fd >= 0 ? cleanup_add_file(dfd, name) : -1;
            cleanup_create_end();
            if (fd < 0 && errno != EEXIST)
                break;
            if (fd >= 0) {
                int err = unlinkat(dfd, name, 0) == 0 ? 0 : errno;
                cleanup_forget(slot);
                if (err) {
                    close(fd);
                    fd = -1;
                    errno = err;
                    break;
                }
            }
        }
        int err = errno;
        close(dfd);
        errno = err;
        if (fd < 0)
            return false;
    }
    s->fd = fd;
    s->has_file = true;
    s->end = 0;
    return true;
}

/* Spilling ------------------------------------------------------------------------ */

typedef struct Sorted {
    uint64_t hash;
    uint32_t ref;  /* slot value - 1: the record's offset / 4 */
    uint32_t off;  /* its text's offset in the run's text */
} Sorted;

static inline bool sorted_before(const Sorted *x, const Sorted *y)
{
    return x->hash < y->hash || (x->hash == y->hash && x->ref < y->ref);
}

static inline void sorted_swap(Sorted *x, Sorted *y)
{
    Sorted t = *x;
    *x = *y;
    *y = t;
}

static void sift_down(Sorted *v, size_t i, size_t n)
{
    for (size_t c; (c = 2 * i + 1) < n; i = c) {
        if (c + 1 < n && sorted_before(&v[c], &v[c + 1]))
            c++;
        if (!sorted_before(&v[i], &v[c]))
            return;
        sorted_swap(&v[i], &v[c]);
    }
}

/* v[0, n) by hash, then ref, in place: no buffer beside it (issue 16: a
 * spill's array and qsort's merge buffer, 32 bytes an id, 17 MB above the
 * ids' bound, set a 10,000,000-report run's peak).  Quicksort on the
 * middle of three, insertion sort below 16, heapsort past a depth of
 * 2 log2 n, so n log n whatever the hashes. */
static void sort_by_hash(Sorted *v, size_t n, int depth)
{
    while (n > 16) {
        if (depth-- == 0) {
            for (size_t i = n / 2; i-- > 0;)
                sift_down(v, i, n);
            for (size_t end = n; end > 1; end--) {
                sorted_swap(&v[0], &v[end - 1]);
                sift_down(v, 0, end - 1);
            }
            return;
        }
        Sorted *a = &v[0], *m = &v[n / 2], *z = &v[n - 1];
        if (sorted_before(m, a))
            sorted_swap(m, a);
        if (sorted_before(z, m)) {
            sorted_swap(z, m);
            if (sorted_before(m, a))
                sorted_swap(m, a);
        }
        Sorted pivot = *m;
        size_t i = 0, j = n - 1;
        for (;;) { /* Hoare: v[0, i) <= pivot <= v[j + 1, n) */
            while (sorted_before(&v[i], &pivot))
                i++;
            while (sorted_before(&pivot, &v[j]))
                j--;
            if (i >= j)
                break;
            sorted_swap(&v[i++], &v[j--]);
        }
        /* the smaller side by recursion, the larger by the loop */
        size_t left = j + 1;
        if (left < n - left) {
            sort_by_hash(v, left, depth);
            v += left, n -= left;
        } else {
            sort_by_hash(v + left, n - left, depth);
            n = left;
        }
    }
    for (size_t i = 1; i < n; i++)
        for (size_t k = i; k > 0 && sorted_before(&v[k], &v[k - 1]); k--)
            sorted_swap(&v[k], &v[k - 1]);
}

/* v[0, n) by hash, then ref: first in place by the hash's top byte (one
 * pass to count, one to move each entry into its bucket: 256 places
 * written, all in the cache), then each bucket by sort_by_hash - a
 * quicksort of a few thousand entries, not of half a million (issue 16).
 * heap_sort (tests): every bucket by the fallback alone. */
static void sort_spill(Sorted *v, size_t n, bool heap_sort)
{
    size_t start[257] = {0}, next[256];
    for (size_t i = 0; i < n; i++)
        start[(v[i].hash >> 56) + 1]++;
    for (int b = 0; b < 256; b++) {
        start[b + 1] += start[b];
        next[b] = start[b];
    }
    for (int b = 0; b < 256; b++)
        while (next[b] < start[b + 1]) {
            Sorted e = v[next[b]];
            size_t d = (size_t)(e.hash >> 56);
            while (d != (size_t)b) { /* e's place is in bucket d: swapped in there */
                Sorted t = v[next[d]];
                v[next[d]++] = e;
                e = t;
                d = (size_t)(e.hash >> 56);
            }
            v[next[b]++] = e;
        }
    for (int b = 0; b < 256; b++) {
        size_t m = start[b + 1] - start[b];
        int depth = 0;
        for (size_t k = m; k > 1 && !heap_sort; k >>= 1)
            depth += 2;
        sort_by_hash(v + start[b], m, depth);
    }
}

/* Which block of a run's filter, and the bit pattern inside it. */
static size_t bloom_block(uint64_t h, size_t nblocks)
{
    return (size_t)(((unsigned __int128)(h >> 32 | h << 32) * nblocks) >> 64);
}

/* The bits an id sets in its block (the same for every run). */
static uint64_t bloom_bits(uint64_t h) { return fmix(h ^ 0x5bd1e995u); }

static void bloom_set(uint64_t *block, uint64_t h)
{
    uint64_t g = bloom_bits(h);
    for (int i = 0; i < BLOOM_K; i++, g >>= 9)
        block[(g >> 6) & 7] |= (uint64_t)1 << (g & 63);
}

static bool bloom_has(const uint64_t *block, uint64_t g)
{
    for (int i = 0; i < BLOOM_K; i++, g >>= 9)
        if (!(block[(g >> 6) & 7] & ((uint64_t)1 << (g & 63))))
            return false;
    return true;
}

/* Write the ids in memory as a run sorted by hash; keep its filter and
 * fences; empty the memory part. */
static bool spill(IdSet *s)
{
    if (!s->has_file && !open_file(s))
        return false;
    size_t n = s->len, k = 0;
    /* sorted in the table's own memory (n <= cap / 2: a Sorted is two
     * slots), made from the records in the order they were added: hashed
     * and their texts written in memory order, not in the table's random
     * one (issue 16: a spill's every record read three times at random
     * was most of its time) */
    Sorted *v = (Sorted *)(void *)s->slots;
    uint32_t off = 0;
    for (size_t at = 0; at < s->used; k++) {
        const unsigned char *r = s->mem + at;
        uint32_t len = rec_len(r);
        Sorted e = {hash_of(s, (const char *)r + REC_HEAD, len), (uint32_t)(at >> 2), off};
        v[k] = e;
        off += len;
        at += rec_size(len);
    }
    sort_spill(v, n, s->heap_sort);

    IdRun run = {.at = s->end, .n = n};
    run.text = s->end + (off_t)(n * sizeof(IdEntry));
    run.nblocks = (n * BLOOM_BITS_PER_ID + 511) / 512;
    run.bloom = xcalloc(run.nblocks * 8, sizeof *run.bloom);
    run.fence = xmalloc(((n + IDSET_GROUP - 1) / IDSET_GROUP) * sizeof *run.fence);
    Writer *w = xmalloc(sizeof *w);
    w->fd = s->fd, w->at = s->end, w->n = 0, w->failed = false;
    for (size_t i = 0; i < n; i++) {
        /* the records in hash order are at random: asked for ahead */
        if (i + IDSET_AHEAD < n)
            __builtin_prefetch(s->mem + ((size_t)v[i + IDSET_AHEAD].ref << 2));
        const unsigned char *r = s->mem + ((size_t)v[i].ref << 2);
        IdEntry e = {v[i].hash, rec_val(r), v[i].off, rec_len(r)};
        w_put(w, &e, sizeof e);
        if (i % IDSET_GROUP == 0)
            run.fence[i / IDSET_GROUP] = v[i].hash;
        bloom_set(run.bloom + 8 * bloom_block(v[i].hash, run.nblocks), v[i].hash);
    }
    for (size_t at = 0; at < s->used;) { /* the texts, in memory order */
        const unsigned char *r = s->mem + at;
        w_put(w, r + REC_HEAD, rec_len(r));
        at += rec_size(rec_len(r));
    }
    w_flush(w);
    bool ok = !w->failed;
    int err = errno;
    off_t end = w->at;
    free(w);
    if (!ok) { /* the ids stay in memory: the table rebuilt from their records */
        free(run.bloom);
        free(run.fence);
        refill_table(s);
        errno = err;
        return false;
    }
    if (s->nruns == s->runcap) {
        s->runcap = s->runcap ? s->runcap * 2 : 8;
        s->runs = xrealloc(s->runs, s->runcap * sizeof *s->runs);
    }
    s->runs[s->nruns++] = run;
    s->end = end;
    s->spilled += n;
    memset(s->ctrl, 0, s->cap);
    s->len = 0;
    s->used = 0;
    return true;
}

/* Look-ups ------------------------------------------------------------------------ */

/* id in run r: 1 and *val, 0, or -1 on a read error. */
static int run_find(IdSet *s, const IdRun *r, const char *id, size_t len, uint64_t h, uint64_t g,
                    uint64_t *val)
{
    if (!bloom_has(r->bloom + 8 * bloom_block(h, r->nblocks), g))
        return 0;
    /* the first group whose fence is >= h; equal hashes may start in the group before */
    size_t ngroups = (r->n + IDSET_GROUP - 1) / IDSET_GROUP, lo = 0, hi = ngroups;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->fence[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (!s->page)
        s->page = xmalloc(IDSET_GROUP * sizeof(IdEntry) > 4096 ? IDSET_GROUP * sizeof(IdEntry)
                                                                : 4096);
    IdEntry *e = (IdEntry *)s->page;
    char *text = NULL;
    size_t textcap = 0;
    int found = 0;
    for (size_t grp = lo ? lo - 1 : 0; grp < ngroups && !found; grp++) {
        size_t first = grp * IDSET_GROUP;
        size_t m = r->n - first < IDSET_GROUP ? r->n - first : IDSET_GROUP;
        if (!read_at(s->fd, e, m * sizeof *e, r->at + (off_t)(first * sizeof *e))) {
            found = -1;
            break;
        }
        bool past = false;
        for (size_t i = 0; i < m && !found; i++) {
            if (e[i].hash > h) {
                past = true;
                break;
            }
            if (e[i].hash < h || e[i].len != len)
                continue;
            if (len > textcap) {
                free(text);
                text = xmalloc(len);
                textcap = len;
            }
            if (!read_at(s->fd, text, len, r->text + e[i].off))
                found = -1;
            else if (memcmp(text, id, len) == 0) {
                *val = e[i].val;
                found = 1;
            }
        }
        if (past)
            break;
    }
    free(text);
    return found;
}

/* Is id the last id not found (nothing added since)? */
static bool is_last_miss(const IdSet *s, const char *id, size_t len)
{
    return s->has_miss && len == s->misslen && memcmp(id, s->miss, len) == 0;
}

int idset_find(IdSet *s, const char *id, uint64_t *val)
{
    size_t len = strlen(id);
    /* the loader asks twice about a new id (is it a report resumed? then
     * its claim): the second time costs a comparison, not every run */
    if (is_last_miss(s, id, len))
        return 0;
    uint64_t h = hash_of(s, id, len);
    if (s->cap) {
        size_t i = mem_slot(s, id, len, h);
        if (s->ctrl[i]) {
            *val = rec_val(slot_rec(s, s->slots[i]));
            return 1;
        }
        /* a new id is added next, into this slot: its line asked for now,
         * not waited for then */
        __builtin_prefetch(&s->slots[i], 1);
    }
    uint64_t g = bloom_bits(h);
    for (size_t i = 0; i < s->nruns; i++) {
        int rc = run_find(s, &s->runs[i], id, len, h, g, val);
        if (rc)
            return rc;
    }
    /* remembered, runs or not: the id is added next (a new report), and
     * idset_add takes its hash from here */
    if (len > s->misscap || !s->miss) {
        s->misscap = len > 2 * s->misscap ? len : 2 * s->misscap;
        s->miss = xrealloc(s->miss, s->misscap ? s->misscap : 1);
    }
    memcpy(s->miss, id, len);
    s->misslen = len;
    s->misshash = h;
    s->has_miss = true;
    return 0;
}

bool idset_add(IdSet *s, const char *id, uint64_t val)
{
    size_t len = strlen(id);
    size_t need = rec_size(len);
    uint64_t h = is_last_miss(s, id, len) ? s->misshash : hash_of(s, id, len);
    s->has_miss = false;
    if ((s->len + 1) * 2 > s->cap) {
        /* a larger table that would pass the bound: spill instead */
        if (s->max_bytes && s->len && s->memcap + 2 * s->cap * SLOT_BYTES > s->max_bytes &&
            !spill(s))
            return false;
        if ((s->len + 1) * 2 > s->cap)
            grow_table(s);
    }
    if (s->used + need > s->memcap) {
        size_t cap = s->memcap ? s->memcap * 2 : 4096;
        while (cap < s->used + need)
            cap *= 2;
        size_t table = s->cap * SLOT_BYTES;
        if (s->max_bytes && cap + table > s->max_bytes)
            cap = s->max_bytes > table + s->used + need ? s->max_bytes - table : s->used + need;
        if (cap / 4 > UINT32_MAX) /* references are 32 bits: spill, or refuse */
            xalloc_failed();
        s->mem = xrealloc(s->mem, cap);
        s->memcap = cap;
    }
    size_t i = mem_slot(s, id, len, h);
    unsigned char *r = s->mem + s->used;
    uint32_t n32 = (uint32_t)len;
    memcpy(r, &val, 8);
    memcpy(r + 8, &n32, 4);
    memcpy(r + REC_HEAD, id, len);
    slot_set(s, i, h, s->used);
    s->used += need;
    s->len++;
    if ((s->max_ids && s->len >= s->max_ids) ||
        (s->max_bytes && s->used + s->cap * SLOT_BYTES >= s->max_bytes))
        return spill(s);
    return true;
}

size_t idset_len(const IdSet *s) { return s->len + s->spilled; }

size_t idset_memory(const IdSet *s)
{
    size_t m = s->memcap + s->cap * SLOT_BYTES + s->runcap * sizeof *s->runs;
    for (size_t i = 0; i < s->nruns; i++)
        m += s->runs[i].nblocks * 64 +
             (s->runs[i].n + IDSET_GROUP - 1) / IDSET_GROUP * sizeof(uint64_t);
    return m;
}

static void drop_runs(IdSet *s)
{
    for (size_t i = 0; i < s->nruns; i++) {
        free(s->runs[i].bloom);
        free(s->runs[i].fence);
    }
    s->nruns = 0;
    s->spilled = 0;
    s->end = 0;
    s->has_miss = false;
}

void idset_clear(IdSet *s)
{
    if (s->cap)
        memset(s->ctrl, 0, s->cap);
    s->len = 0;
    s->used = 0;
    drop_runs(s);
}

void idset_free(IdSet *s)
{
    drop_runs(s);
    free(s->runs);
    free(s->mem);
    free(s->slots);
    free(s->ctrl);
    free(s->page);
    free(s->miss);
    if (s->has_file)
        close(s->fd);
    IdSet keep = {.max_bytes = s->max_bytes, .max_ids = s->max_ids, .dir = s->dir,
                  .hash = s->hash, .named = s->named, .heap_sort = s->heap_sort};
    *s = keep;
}
