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

size_t *strmap_find(const StrMap *m, const char *key)
{
    if (!m->cap)
        return NULL;
    for (size_t i = hash_key(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->keys[i])
            return NULL;
        if (strcmp(m->keys[i], key) == 0)
            return &m->vals[i];
    }
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

void strmap_put(StrMap *m, const char *key, size_t val)
{
    size_t *v = strmap_find(m, key);
    if (v) {
        *v = val;
        return;
    }
    if (2 * (m->len + 1) > m->cap)
        grow(m);
    size_t i = hash_key(key) & (m->cap - 1);
    while (m->keys[i])
        i = (i + 1) & (m->cap - 1);
    m->keys[i] = xstrdup(key);
    m->vals[i] = val;
    m->len++;
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
