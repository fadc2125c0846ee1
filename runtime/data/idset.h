/* idset.h - the report ids seen in a data file, in bounded memory.
 *
 * Duplicate report ids are found across a whole file (loader.c), so the
 * ids seen are the one thing a streamed load keeps for every report
 * (issue 16).  An IdSet maps each id to a 64-bit value (the loader's line
 * and ordinal).  Ids live in memory - packed in one buffer with their value,
 * found through open addressing over 32-bit references, a control byte a
 * slot probed first (7 bits of the hash: a new id's look-up reads 1 byte a
 * slot, not 8), hashed once (the look-up that missed hands its hash to
 * idset_add) - until they hold more than a bound; then they are written as
 * a run sorted by hash (its texts in the order added) to an unnamed
 * temporary file, and only a Bloom filter (10 bits an id) and
 * every 64th hash of the run stay in memory.  A look-up checks the ids in
 * memory, then each run whose filter says maybe, by reading that part of the
 * run: an id is found only when its text is equal, never by its hash alone,
 * so a false duplicate is impossible.  Memory: the bound, plus about 1.4
 * bytes an id spilled (the filter's 10 bits, a fence every 64 ids).
 *
 * The temporary file is made with O_TMPFILE in $TMPDIR (else /tmp): it has
 * no name, so nothing is left behind however the run ends; where the file
 * system has no O_TMPFILE, it is made under a random name with O_EXCL and
 * removed at once (registered for cleanup.h while it has a name).  A failed
 * write or read is returned as an error (errno), never taken for "not seen".
 * A zeroed IdSet is an empty set that never spills.
 */
#ifndef TALLY_IDSET_H
#define TALLY_IDSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One spilled run: where it is in the file, and what of it stays in memory. */
typedef struct IdRun {
    off_t at;           /* its first index entry */
    off_t text;         /* its ids' bytes */
    size_t n;           /* ids */
    uint64_t *bloom;    /* nblocks blocks of 512 bits */
    size_t nblocks;
    uint64_t *fence;    /* the hash of every IDSET_GROUP-th entry */
} IdRun;

typedef struct IdSet {
    /* Bounds: spill when the ids in memory take max_bytes, or number
     * max_ids (tests); 0 and 0: never. */
    size_t max_bytes, max_ids;
    const char *dir;    /* for the temporary file; NULL: $TMPDIR, else /tmp */
    uint64_t (*hash)(const char *id, size_t len); /* tests: NULL is idset_hash */
    bool named;         /* tests: make the file as where O_TMPFILE is missing */
    bool heap_sort;     /* tests: sort a spill by heapsort alone (its fallback) */
    /* In memory: records (value, length, bytes) and the table over them. */
    unsigned char *mem;
    size_t used, memcap;
    uint64_t *slots;    /* (hash >> 32) << 32 | (reference + 1), where ctrl says so */
    uint8_t *ctrl;      /* a byte a slot: 0 empty, else 7 bits of the hash */
    size_t cap, len;
    /* On disk. */
    int fd;             /* valid when has_file */
    bool has_file;
    off_t end;
    IdRun *runs;
    size_t nruns, runcap;
    size_t spilled;     /* ids in runs */
    unsigned char *page; /* a read buffer for look-ups in runs */
    char *miss;         /* the last id not found, while nothing was added since */
    size_t misslen, misscap;
    uint64_t misshash;  /* its hash: idset_add of that id hashes it no more */
    bool has_miss;
} IdSet;

/* The hash of an id (64 bits, every byte mixed). */
uint64_t idset_hash(const char *id, size_t len);
/* 1 and *val when id is in the set, 0 when it is not, -1 when a run could
 * not be read (errno says why). */
int idset_find(IdSet *s, const char *id, uint64_t *val);
/* Add id, which is not in the set, with val.  False when a spill could not
 * be written (errno says why): the set is then unusable. */
bool idset_add(IdSet *s, const char *id, uint64_t val);
/* Ids in the set. */
size_t idset_len(const IdSet *s);
/* Bytes of memory the set holds. */
size_t idset_memory(const IdSet *s);
/* Forget every id (the bounds and test settings stay). */
void idset_clear(IdSet *s);
/* Release everything, the temporary file too; the set is empty again. */
void idset_free(IdSet *s);

#endif
