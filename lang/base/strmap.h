/* strmap.h - the string map: text keys to indices.
 *
 * One map for every look-up by name in Tally: the checker's symbols, the
 * loader's report ids, column names and indicator keys.  Keys are copied;
 * a value is a size_t - an index into the caller's own array, or a line
 * number.  Open addressing with linear probing over FNV-1a, kept at most
 * half full.  A zeroed StrMap is an empty map.
 */
#ifndef TALLY_STRMAP_H
#define TALLY_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

typedef struct StrMap {
    char **keys;   /* cap slots; NULL: empty */
    size_t *vals;
    size_t cap, len;
} StrMap;

/* The value stored for key (the caller may change it), or NULL. */
size_t *strmap_find(const StrMap *m, const char *key);
/* Store val for key, replacing the value it had. */
void strmap_put(StrMap *m, const char *key, size_t val);
/* Key's value: the one stored (*added false), else val, stored now (*added
 * true).  One hash, where strmap_find then strmap_put take three. */
size_t *strmap_add(StrMap *m, const char *key, size_t val, bool *added);
/* Remove every key; a large table is released, so that frequent clears stay cheap. */
void strmap_clear(StrMap *m);
/* Release everything; the map is empty again. */
void strmap_free(StrMap *m);

#endif
