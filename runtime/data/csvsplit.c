/* csvsplit.c - cuts of a CSV file at record boundaries (csvsplit.h). */
#include "csvsplit.h"

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "lang/base/text.h"

void csv_split_init(CsvSplit *s, char sep, bool by_id)
{
    memset(s, 0, sizeof *s);
    s->sep = sep;
    s->by_id = by_id;
}

void csv_split_rebase(CsvSplit *s, size_t dropped)
{
    s->pos -= dropped;
    s->rec_start -= dropped;
}

/* The first quote or line feed in d[i .. len), or len: sixteen bytes at a
 * time where SSE2 is (every x86-64), else eight. */
static size_t next_special(const char *d, size_t i, size_t len)
{
#ifdef __SSE2__
    const __m128i vn = _mm_set1_epi8('\n'), vq = _mm_set1_epi8('"');
    while (i + 16 <= len) {
        __m128i w = _mm_loadu_si128((const __m128i *)(const void *)(d + i));
        unsigned mask = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(w, vn), _mm_cmpeq_epi8(w, vq)));
        if (mask)
            return i + (size_t)__builtin_ctz(mask);
        i += 16;
    }
#endif
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    while (i + 8 <= len) {
        uint64_t w, a, b;
        memcpy(&w, d + i, 8);
        a = w ^ (ones * '\n'), b = w ^ (ones * '"');
        if ((((a - ones) & ~a) | ((b - ones) & ~b)) & highs)
            break;
        i += 8;
    }
    while (i < len && d[i] != '\n' && d[i] != '"')
        i++;
    return i;
}

/* The first field of the record at d[at ..): its bytes, trimmed, in *f and
 * *n.  0: found; 1: quoted (or holding a quote), so not compared; 2: the
 * data ends before the field does. */
static int first_field(const CsvSplit *s, const char *d, size_t at, size_t len, const char **f,
                       size_t *n)
{
    size_t i = at;
    while (i < len && d[i] != s->sep && d[i] != '\n' && d[i] != '\r' && d[i] != '"')
        i++;
    if (i == len)
        return 2;
    if (d[i] == '"')
        return 1;
    size_t m = i - at;
    *f = text_trim(d + at, &m);
    *n = m;
    return 0;
}

/* May a block start at `at` (just after a line feed outside quotes)?
 * -1: the bytes after it are not all there yet. */
static int cut_ok(const CsvSplit *s, const char *d, size_t at, size_t len)
{
    if (len - at < 3)
        return -1;
    if (memcmp(d + at, "\xEF\xBB\xBF", 3) == 0) /* csv_init() would skip it as a byte-order mark */
        return 0;
    if (!s->by_id)
        return 1;
    const char *a, *b;
    size_t na, nb;
    int rb = first_field(s, d, at, len, &b, &nb);
    if (rb == 2)
        return -1;
    if (rb == 1 || first_field(s, d, s->rec_start, len, &a, &na) != 0)
        return 0;
    return na && nb && (na != nb || memcmp(a, b, na) != 0);
}

bool csv_split_next(CsvSplit *s, const char *d, size_t len, size_t from, CsvCut *cut)
{
    size_t i = s->pos;
    while (!s->doubt) {
        i = next_special(d, i, len);
        if (i >= len)
            break;
        if (d[i] == '\n') {
            if (!s->quoted && i + 1 >= from) {
                int ok = cut_ok(s, d, i + 1, len);
                if (ok < 0)
                    break; /* look again with more data */
                if (ok) {
                    s->newlines++;
                    s->pos = s->rec_start = i + 1;
                    cut->at = i + 1;
                    cut->line = (int)(s->newlines + 1);
                    return true;
                }
            }
            s->newlines++;
            if (!s->quoted)
                s->rec_start = i + 1;
            i++;
            continue;
        }
        /* a quote */
        if (!s->quoted) {
            if (i == s->rec_start || d[i - 1] == s->sep || d[i - 1] == '\n') {
                s->quoted = true;
                i++;
                continue;
            }
            s->doubt = true; /* a quote inside an unquoted field */
            break;
        }
        if (i + 2 >= len) /* what follows decides: wait for it (or the end of the file) */
            break;
        char c = d[i + 1];
        if (c == '"') {
            i += 2;
            continue;
        }
        if (c == s->sep || c == '\n' || (c == '\r' && d[i + 2] == '\n')) {
            s->quoted = false;
            i++;
            continue;
        }
        s->doubt = true; /* text after a closing quote */
    }
    s->pos = i < len ? i : len;
    return false;
}
