/* csv.c - RFC 4180 reader over a buffer in memory. */
#include "csv.h"

#include <stdbool.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define CSV_AVX2 1 /* borrowed records scanned 32 bytes at a time where the CPU can */
#endif

#include "lang/base/arena.h"

void csv_init(CsvReader *r, const char *data, size_t len)
{
    memset(r, 0, sizeof *r);
    r->data = data;
    r->len = len;
    r->line = 1;
    r->sep = ',';
#ifdef CSV_AVX2
    __builtin_cpu_init();
    r->avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi");
#endif
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        r->pos = r->line_start = 3;
}

void csv_set_separator(CsvReader *r, char sep)
{
    r->sep = sep;
}

void csv_free(CsvReader *r)
{
    free(r->buf);
    free(r->fields);
    free(r->starts);
    memset(r, 0, sizeof *r);
}

/* Length of the line end at pos (LF, CRLF, or a CR that ends the data), or 0. */
static size_t eol_len(const CsvReader *r, size_t pos)
{
    if (pos >= r->len)
        return 0;
    if (r->data[pos] == '\n')
        return 1;
    if (r->data[pos] == '\r') {
        if (pos + 1 == r->len)
            return 1;
        if (r->data[pos + 1] == '\n')
            return 2;
    }
    return 0;
}

static void newline(CsvReader *r, size_t n)
{
    r->pos += n;
    r->line++;
    r->line_start = r->pos;
}

/* Count the line breaks in data[from..to) that quoted text spans. */
static void count_lines(CsvReader *r, size_t from, size_t to)
{
    const char *p;
    while (from < to && (p = memchr(r->data + from, '\n', to - from)) != NULL) {
        from = (size_t)(p - r->data) + 1;
        r->line++;
        r->line_start = from;
    }
}

/* Record the first error of this record; the column is counted in characters. */
static void fail(CsvReader *r, const char *msg, int line, size_t line_start, size_t pos)
{
    if (r->error)
        return;
    int col = 1;
    for (size_t i = line_start; i < pos && i < r->len; i++)
        if (((unsigned char)r->data[i] & 0xC0) != 0x80)
            col++;
    r->error = msg;
    r->error_line = line;
    r->error_col = col;
    r->error_field = (int)r->nfields + 1;
}

static void fail_here(CsvReader *r, const char *msg)
{
    fail(r, msg, r->line, r->line_start, r->pos);
}

static void reserve(CsvReader *r, size_t extra)
{
    if (r->buflen + extra <= r->bufcap)
        return;
    size_t cap = r->bufcap ? r->bufcap : 256;
    while (cap < r->buflen + extra)
        cap *= 2;
    r->buf = xrealloc(r->buf, cap);
    r->bufcap = cap;
}

/* Position where the current field starts, for limit errors. */
typedef struct FieldStart {
    int line;
    size_t line_start, pos;
} FieldStart;

static void begin_field(CsvReader *r, FieldStart *fs)
{
    fs->line = r->line;
    fs->line_start = r->line_start;
    fs->pos = r->pos;
    if (r->nfields == CSV_MAX_COLUMNS)
        fail_here(r, "record has more than 10000 fields");
    if (r->error)
        return;
    if (r->nfields == r->fieldcap) {
        r->fieldcap = r->fieldcap ? r->fieldcap * 2 : 16;
        r->fields = xrealloc(r->fields, r->fieldcap * sizeof *r->fields);
        r->starts = xrealloc(r->starts, r->fieldcap * sizeof *r->starts);
    }
    r->starts[r->nfields] = r->buflen;
    r->fields[r->nfields].line = r->line;
}

/* Append field text; past a limit, record the error and keep only scanning. */
/* Does a field that will hold `field` bytes, n of them new to the record,
 * stay within the limits?  If not, the error is recorded at the field's start. */
static inline bool within_limits(CsvReader *r, const FieldStart *fs, size_t field, size_t n)
{
    if (field > CSV_MAX_FIELD) {
        fail(r, "field longer than 1 MiB", fs->line, fs->line_start, fs->pos);
        return false;
    }
    if (r->textlen + n > CSV_MAX_RECORD) {
        fail(r, "record longer than 16 MiB", fs->line, fs->line_start, fs->pos);
        return false;
    }
    r->textlen += n;
    return true;
}

static void put(CsvReader *r, const FieldStart *fs, const char *s, size_t n)
{
    if (r->error || n == 0)
        return;
    if (!within_limits(r, fs, r->buflen - r->starts[r->nfields] + n, n))
        return;
    reserve(r, n + 1);
    memcpy(r->buf + r->buflen, s, n);
    r->buflen += n;
}

static void end_field(CsvReader *r)
{
    if (r->error)
        return;
    reserve(r, 1);
    r->fields[r->nfields].len = r->buflen - r->starts[r->nfields];
    r->buf[r->buflen++] = '\0';
    r->nfields++;
}

/* Borrowing (CsvReader.borrow): a whole field without quotes, s[0..n) in
 * the data, is the field's text as it stands; the limits as put() has them. */
static void end_borrowed_field(CsvReader *r, const FieldStart *fs, const char *s, size_t n)
{
    if (r->error || !within_limits(r, fs, n, n))
        return;
    r->starts[r->nfields] = SIZE_MAX;
    r->fields[r->nfields].text = s;
    r->fields[r->nfields].len = n;
    r->nfields++;
}

static void skip_line(CsvReader *r)
{
    const char *p = memchr(r->data + r->pos, '\n', r->len - r->pos);
    if (p)
        newline(r, (size_t)(p - r->data) + 1 - r->pos);
    else
        r->pos = r->len;
}

static int finish(CsvReader *r, CsvRecord *rec, int line)
{
    for (size_t i = 0; i < r->nfields; i++)
        if (r->starts[i] != SIZE_MAX)
            r->fields[i].text = r->buf + r->starts[i];
    rec->fields = r->fields;
    rec->nfields = r->nfields;
    rec->line = line;
    return r->error ? CSV_ERROR : CSV_RECORD;
}

/* Read a quoted field; the reader is on the opening quote.  Returns false
 * when the data ends inside the quotes. */
static bool read_quoted(CsvReader *r, const FieldStart *fs)
{
    const char *d = r->data;
    r->pos++;
    for (;;) {
        const char *q = memchr(d + r->pos, '"', r->len - r->pos);
        size_t end = q ? (size_t)(q - d) : r->len;
        put(r, fs, d + r->pos, end - r->pos);
        count_lines(r, r->pos, end);
        r->pos = end;
        if (!q) {
            r->error = NULL; /* the open quote explains any limit error it caused */
            fail(r, "unterminated quote", fs->line, fs->line_start, fs->pos);
            /* A quote that never closes would swallow the rest of the file and
             * every report in it: read on from the line after the quote. */
            const char *nl = memchr(d + fs->pos, '\n', r->len - fs->pos);
            r->pos = nl ? (size_t)(nl - d) + 1 : r->len;
            r->line = fs->line + (nl != NULL);
            r->line_start = nl ? r->pos : fs->line_start;
            return false;
        }
        if (end + 1 < r->len && d[end + 1] == '"') {
            put(r, fs, "\"", 1);
            r->pos = end + 2;
            continue;
        }
        r->pos = end + 1;
        return true;
    }
}

/* Past the bytes from i that are none of the delimiter, LF, CR and the
 * quote, eight at a time (issue 16: a long file's fields, every byte), up
 * to the first such byte of the word that has one (the lowest byte flagged
 * is exact: a borrow only spoils the bytes above it); the caller's byte
 * loop decides at the byte found, or the last seven. */
static size_t plain_run(const char *d, size_t i, size_t len, char delim)
{
#ifdef __SSE2__
    /* sixteen at a time where SSE2 is (every x86-64) */
    const __m128i vd = _mm_set1_epi8(delim), vn = _mm_set1_epi8('\n'), vr = _mm_set1_epi8('\r'),
                  vq = _mm_set1_epi8('"');
    while (i + 16 <= len) {
        __m128i w = _mm_loadu_si128((const __m128i *)(const void *)(d + i));
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(w, vd), _mm_cmpeq_epi8(w, vn)),
                                   _mm_or_si128(_mm_cmpeq_epi8(w, vr), _mm_cmpeq_epi8(w, vq)));
        unsigned mask = (unsigned)_mm_movemask_epi8(hit);
        if (mask)
            return i + (size_t)__builtin_ctz(mask);
        i += 16;
    }
#endif
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    const uint64_t cd = ones * (unsigned char)delim, cn = ones * '\n', cr = ones * '\r',
                   cq = ones * '"';
    while (i + 8 <= len) {
        uint64_t w, a, b, c, e;
        memcpy(&w, d + i, 8);
        a = w ^ cd, b = w ^ cn, c = w ^ cr, e = w ^ cq;
        /* a zero byte in any of them: that byte is special */
        uint64_t z = ((a - ones) & ~a) | ((b - ones) & ~b) | ((c - ones) & ~c) |
                     ((e - ones) & ~e);
        if (z & highs) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            i += (size_t)__builtin_ctzll(z & highs) >> 3;
#endif
            break;
        }
        i += 8;
    }
    return i;
}

/* The separators and the stops (LF, CR, quote) among the 64 bytes at p,
 * as the bits of two masks (issue 16: one structural scan a record, the
 * fields cut at the separators' bits below the first stop). */
typedef struct Marks {
    uint64_t sep, stop;
} Marks;

#ifdef CSV_AVX2
__attribute__((target("avx2,bmi"))) static inline Marks marks_avx2(const char *p, char sep)
{
    const __m256i vd = _mm256_set1_epi8(sep), vn = _mm256_set1_epi8('\n'),
                  vr = _mm256_set1_epi8('\r'), vq = _mm256_set1_epi8('"');
    __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)p);
    __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
    uint32_t sa = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, vd));
    uint32_t sb = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, vd));
    uint32_t ta = (uint32_t)_mm256_movemask_epi8(
        _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(a, vn), _mm256_cmpeq_epi8(a, vr)),
                        _mm256_cmpeq_epi8(a, vq)));
    uint32_t tb = (uint32_t)_mm256_movemask_epi8(
        _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(b, vn), _mm256_cmpeq_epi8(b, vr)),
                        _mm256_cmpeq_epi8(b, vq)));
    return (Marks){(uint64_t)sb << 32 | sa, (uint64_t)tb << 32 | ta};
}
#endif

static inline Marks marks_plain(const char *p, char sep)
{
    Marks m = {0, 0};
#ifdef __SSE2__
    const __m128i vd = _mm_set1_epi8(sep), vn = _mm_set1_epi8('\n'), vr = _mm_set1_epi8('\r'),
                  vq = _mm_set1_epi8('"');
    for (int k = 0; k < 4; k++) {
        __m128i w = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        uint64_t s = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(w, vd));
        uint64_t t = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(w, vn), _mm_cmpeq_epi8(w, vr)),
                         _mm_cmpeq_epi8(w, vq)));
        m.sep |= s << (16 * k);
        m.stop |= t << (16 * k);
    }
#else
    for (int k = 0; k < 64; k++) {
        m.sep |= (uint64_t)(p[k] == sep) << k;
        m.stop |= (uint64_t)(p[k] == '\n' || p[k] == '\r' || p[k] == '"') << k;
    }
#endif
    return m;
}

static inline Marks marks_at(const char *p, char sep, bool avx2)
{
#ifdef CSV_AVX2
    if (avx2)
        return marks_avx2(p, sep);
#else
    (void)avx2;
#endif
    return marks_plain(p, sep);
}

/* Issue 16: a borrowed record with no quote and no CR, the long file's every
 * line, in one pass - the separators and stops of 64 bytes at a time as the
 * bits of two masks (marks_at), each field cut at the next separator's bit,
 * the record at the first stop, a LF.  False, with nothing of the reader
 * changed but its field array's size, when the record holds a quote or a CR,
 * or may reach a limit (a record of more than CSV_MAX_FIELD bytes, or near
 * CSV_MAX_COLUMNS fields): the general path reads it then, from its start.
 * The last bytes of the data, fewer than 64, are scanned in a copy. */
static inline __attribute__((always_inline)) bool borrowed_body(CsvReader *r, CsvRecord *rec,
                                                                int line, bool avx2)
{
    const char *d = r->data;
    const size_t len = r->len, start = r->pos;
    const size_t limit = len - start > CSV_MAX_FIELD ? start + CSV_MAX_FIELD : len;
    const char sep = r->sep;
    size_t i = start;
    const char *field = d + start; /* where the current field starts */
    CsvField *o = r->fields;
    CsvField *room = o + (r->fieldcap < CSV_MAX_COLUMNS ? r->fieldcap : CSV_MAX_COLUMNS);
    for (;;) {
        /* room for every field this block may end, and the one after; a
         * record that may near CSV_MAX_COLUMNS goes the general way */
        if (room - o < 65) {
            size_t nf = (size_t)(o - r->fields);
            if (nf + 65 >= CSV_MAX_COLUMNS)
                return false;
            while (nf + 65 > r->fieldcap)
                r->fieldcap = r->fieldcap ? r->fieldcap * 2 : 128;
            r->fields = xrealloc(r->fields, r->fieldcap * sizeof *r->fields);
            r->starts = xrealloc(r->starts, r->fieldcap * sizeof *r->starts);
            o = r->fields + nf;
            room = r->fields + (r->fieldcap < CSV_MAX_COLUMNS ? r->fieldcap : CSV_MAX_COLUMNS);
        }
        Marks m;
        size_t avail = limit - i; /* bytes of this block the record may use */
        if (avail >= 64) {
            m = marks_at(d + i, sep, avx2);
        } else {
            char tail[64];
            memset(tail, 0, sizeof tail);
            memcpy(tail, d + i, avail);
            m = marks_at(tail, sep, avx2);
            uint64_t in = avail ? ~0ull >> (64 - avail) : 0;
            m.sep &= in;
            m.stop &= in;
        }
        /* the separators before the first stop end fields */
        uint64_t seps = m.stop ? m.sep & ((m.stop & -m.stop) - 1) : m.sep;
        const char *block = d + i;
        while (seps) {
            const char *at = block + (unsigned)__builtin_ctzll(seps);
            o->text = field;
            o->len = (size_t)(at - field);
            o->line = line;
            o++;
            field = at + 1;
            seps &= seps - 1;
        }
        size_t at;
        if (m.stop) {
            at = i + (size_t)__builtin_ctzll(m.stop);
            if (d[at] != '\n')
                return false; /* a quote or a CR: the general path */
        } else if (avail > 64) {
            i += 64;
            continue;
        } else if (limit == len) {
            at = len; /* the data ends the record */
        } else {
            return false; /* the field limit */
        }
        o->text = field;
        o->len = (size_t)(d + at - field);
        o->line = line;
        o++;
        r->nfields = (size_t)(o - r->fields);
        r->pos = at;
        if (at < len)
            newline(r, 1);
        rec->fields = r->fields;
        rec->nfields = r->nfields;
        rec->line = line;
        return true;
    }
}

static int general_record(CsvReader *r, CsvRecord *rec, int rec_line);

/* A borrowed record, by borrowed_body or else by general_record - each a
 * tail call, so that csv_next saves no registers (issue 16). */
#ifdef CSV_AVX2
__attribute__((target("avx2,bmi"), flatten)) static int borrowed_record_avx2(CsvReader *r,
                                                                            CsvRecord *rec,
                                                                            int line)
{
    return borrowed_body(r, rec, line, true) ? CSV_RECORD : general_record(r, rec, line);
}
#endif

static int borrowed_record(CsvReader *r, CsvRecord *rec, int line)
{
#ifdef CSV_AVX2
    if (r->avx2)
        return borrowed_record_avx2(r, rec, line);
#endif
    return borrowed_body(r, rec, line, false) ? CSV_RECORD : general_record(r, rec, line);
}

/* A record read field by field (quotes, CRs, limits, errors), from its
 * start at r->pos, which is no line end; out of line, so that csv_next
 * saves no registers for it (issue 16). */
static __attribute__((noinline)) int general_record(CsvReader *r, CsvRecord *rec, int rec_line)
{
    const char *d = r->data;
    size_t n;
    for (;;) {
        FieldStart fs;
        begin_field(r, &fs);
        if (r->pos < r->len && d[r->pos] == '"') {
            if (!read_quoted(r, &fs))
                return finish(r, rec, rec_line);
            if (r->pos < r->len && d[r->pos] != r->sep && !eol_len(r, r->pos)) {
                fail_here(r, "text after a closing quote");
                skip_line(r);
                return finish(r, rec, rec_line);
            }
        } else {
            size_t start = r->pos;
            r->pos = plain_run(d, r->pos, r->len, r->sep);
            while (r->pos < r->len) {
                char c = d[r->pos];
                if (c == r->sep || c == '\n' || (c == '\r' && eol_len(r, r->pos)))
                    break;
                if (c == '"') {
                    fail_here(r, "quote inside an unquoted field");
                    skip_line(r);
                    return finish(r, rec, rec_line);
                }
                r->pos++;
            }
            if (r->borrow) {
                end_borrowed_field(r, &fs, d + start, r->pos - start);
                goto ended;
            }
            put(r, &fs, d + start, r->pos - start);
        }
        end_field(r);
    ended:
        if (r->pos < r->len && d[r->pos] == r->sep) {
            r->pos++;
            continue;
        }
        if ((n = eol_len(r, r->pos)) > 0)
            newline(r, n);
        return finish(r, rec, rec_line);
    }
}

int csv_next(CsvReader *r, CsvRecord *rec)
{
    if (r->more && r->len - r->pos < r->ahead)
        r->more(r);
    size_t n;
    r->error = NULL;
    r->nfields = r->buflen = r->textlen = 0;
    while ((n = eol_len(r, r->pos)) > 0)
        newline(r, n);
    if (r->pos >= r->len) {
        rec->fields = r->fields;
        rec->nfields = 0;
        rec->line = r->line;
        return CSV_EOF;
    }
    int rec_line = r->line;
    if (r->borrow)
        return borrowed_record(r, rec, rec_line);
    return general_record(r, rec, rec_line);
}
