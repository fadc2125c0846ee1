/* strmap.c - the string map (strmap.h). */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

/* FNV-1a, 64 bits. */
static uint64_t hash_key(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* The slot of key hashed to h: its value, or NULL (not there). */
static size_t *find_hashed(const StrMap *m, const char *key, uint64_t h)
{
    if (!m->cap)
        return NULL;
    for (size_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->keys[i])
            return NULL;
        if (strcmp(m->keys[i], key) == 0)
            return &m->vals[i];
    }
}

size_t *strmap_find(const StrMap *m, const char *key)
{
    return m->cap ? find_hashed(m, key, hash_key(key)) : NULL;
}

void strmap_free(StrMap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* Twice the slots, every key moved over (the copies, not copied again). */
static void grow(StrMap *m)
{
    StrMap big = {0};
    big.cap = m->cap ? m->cap * 2 : 16;
    big.keys = xcalloc(big.cap, sizeof *big.keys);
    big.vals = xcalloc(big.cap, sizeof *big.vals);
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t j = hash_key(m->keys[i]) & (big.cap - 1);
        while (big.keys[j])
            j = (j + 1) & (big.cap - 1);
        big.keys[j] = m->keys[i];
        big.vals[j] = m->vals[i];
    }
    big.len = m->len;
    free(m->keys);
    free(m->vals);
    *m = big;
}

/* Key hashed once (issue 16: the loader's indicator keys, every row), the
 * slots as before: looked up, then (not there) grown and probed. */
static size_t *add_hashed(StrMap *m, const char *key, size_t val, bool *added)
{
    uint64_t h = hash_key(key);
    size_t *v = find_hashed(m, key, h);
    if (v) {
        *added = false;
        return v;
    }
    if (2 * (m->len + 1) > m->cap)
        grow(m);
    size_t i = h & (m->cap - 1);
    while (m->keys[i])
        i = (i + 1) & (m->cap - 1);
    m->keys[i] = xstrdup(key);
    m->vals[i] = val;
    m->len++;
    *added = true;
    return &m->vals[i];
}

void strmap_put(StrMap *m, const char *key, size_t val)
{
    bool added;
    size_t *v = add_hashed(m, key, val, &added);
    if (!added)
        *v = val;
}

size_t *strmap_add(StrMap *m, const char *key, size_t val, bool *added)
{
    return add_hashed(m, key, val, added);
}

void strmap_clear(StrMap *m)
{
    if (m->cap > 64) {
        strmap_free(m);
        return;
    }
    for (size_t i = 0; i < m->cap; i++) {
        free(m->keys[i]);
        m->keys[i] = NULL;
    }
    m->len = 0;
}
