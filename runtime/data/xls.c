/* xls.c - Excel 97-2003 workbooks (BIFF8), and what else an OLE2 compound
 * file (CFB) may be (form.h).
 *
 * A small CFB reader finds the streams: "Workbook" is a BIFF8 workbook,
 * read here; "EncryptionInfo" with "EncryptedPackage" is an xlsx saved with
 * a password; "Book" is Excel 5.0/95, "WordDocument" a .doc - both refused
 * with a message saying what to do.  The BIFF8 reader gives each sheet as a
 * grid: shared strings (SST, CONTINUE), numbers shown by their cell format
 * (XF, FORMAT: percents, dates), formulas by their cached value, merged
 * ranges (MERGEDCELLS) expanded; a FILEPASS record means a password.
 *
 * libfreexl was the first choice (docs/dependencies.md): it gives neither
 * number formats, so 0.9 under "0%" would read as 0.9, nor merged ranges,
 * and opens only files by path.  Every offset here is checked against the
 * bytes read, and every chain of sectors against the file's size; the
 * fuzz harness fuzz_xls runs this reader. */
#include "form.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lang/base/text.h"

static uint16_t u16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* CFB ------------------------------------------------------------------------------ */

#define CFB_END  0xFFFFFFFEu
#define CFB_FREE 0xFFFFFFFFu

typedef struct Cfb {
    const unsigned char *data;
    size_t len;
    unsigned shift;          /* sector size 1 << shift */
    uint32_t nsectors;       /* sectors in the file */
    uint32_t *fat;
    uint32_t nfat;
    uint32_t *minifat;
    uint32_t nminifat;
    unsigned char *ministream;
    size_t ministream_len;
    uint32_t cutoff;
    unsigned char *dir;      /* directory entries, 128 bytes each */
    size_t ndir;
    const char *error;
} Cfb;

static const unsigned char *sector(Cfb *c, uint32_t s)
{
    if (s >= c->nsectors)
        return NULL;
    return c->data + ((size_t)(s + 1) << c->shift);
}

/* The bytes of a chain of sectors (heap); at most `want` bytes when want > 0. */
static unsigned char *read_chain(Cfb *c, uint32_t start, size_t want, size_t *outlen)
{
    size_t ssz = (size_t)1 << c->shift, cap = want ? want : ssz * 4, n = 0;
    unsigned char *buf = xmalloc(cap ? cap : 1);
    uint32_t s = start, steps = 0;
    while (s != CFB_END && (!want || n < want)) {
        const unsigned char *p = sector(c, s);
        if (!p || s >= c->nfat || ++steps > c->nsectors) {
            free(buf);
            c->error = "corrupt compound file: a chain of sectors is broken";
            return NULL;
        }
        if (n + ssz > cap) {
            cap = (n + ssz) * 2;
            buf = xrealloc(buf, cap);
        }
        memcpy(buf + n, p, ssz);
        n += ssz;
        s = c->fat[s];
    }
    if (want && n < want) {
        free(buf);
        c->error = "corrupt compound file: a stream is shorter than its size";
        return NULL;
    }
    *outlen = want ? want : n;
    return buf;
}

static void cfb_free(Cfb *c)
{
    free(c->fat);
    free(c->minifat);
    free(c->ministream);
    free(c->dir);
}

static bool cfb_open(Cfb *c, const char *data, size_t len)
{
    memset(c, 0, sizeof *c);
    c->data = (const unsigned char *)data;
    c->len = len;
    const unsigned char *h = c->data;
    if (len < 512) {
        c->error = "corrupt compound file: shorter than its header";
        return false;
    }
    unsigned shift = u16(h + 30);
    if (shift != 9 && shift != 12) {
        c->error = "corrupt compound file: bad sector size";
        return false;
    }
    c->shift = shift;
    size_t ssz = (size_t)1 << shift;
    if (len < ssz) {
        c->error = "corrupt compound file: shorter than its header";
        return false;
    }
    c->nsectors = (uint32_t)((len - ssz) / ssz);
    uint32_t nfatsec = u32(h + 44), dir_start = u32(h + 48);
    c->cutoff = u32(h + 56);
    uint32_t minifat_start = u32(h + 60), nminifatsec = u32(h + 64);
    uint32_t difat_start = u32(h + 68), ndifat = u32(h + 72);
    if (nfatsec > c->nsectors + 1u || ndifat > c->nsectors + 1u) {
        c->error = "corrupt compound file: bad FAT size";
        return false;
    }
    /* The FAT's sectors: 109 in the header, the rest in DIFAT sectors. */
    uint32_t *fatsec = xmalloc(((size_t)nfatsec + 1) * sizeof *fatsec);
    uint32_t k = 0;
    for (uint32_t i = 0; i < 109 && k < nfatsec; i++)
        fatsec[k++] = u32(h + 76 + 4 * i);
    uint32_t ds = difat_start, steps = 0;
    while (k < nfatsec && ds != CFB_END && ds != CFB_FREE) {
        const unsigned char *p = sector(c, ds);
        if (!p || ++steps > ndifat + 1) {
            free(fatsec);
            c->error = "corrupt compound file: bad DIFAT";
            return false;
        }
        for (size_t i = 0; i + 1 < ssz / 4 && k < nfatsec; i++)
            fatsec[k++] = u32(p + 4 * i);
        ds = u32(p + ssz - 4);
    }
    if (k < nfatsec) {
        free(fatsec);
        c->error = "corrupt compound file: FAT sectors missing";
        return false;
    }
    c->nfat = (uint32_t)(nfatsec * (ssz / 4));
    c->fat = xmalloc(((size_t)c->nfat + 1) * sizeof *c->fat);
    for (uint32_t i = 0; i < nfatsec; i++) {
        const unsigned char *p = sector(c, fatsec[i]);
        if (!p) {
            free(fatsec);
            c->error = "corrupt compound file: a FAT sector is past the end";
            return false;
        }
        for (size_t j = 0; j < ssz / 4; j++)
            c->fat[i * (ssz / 4) + j] = u32(p + 4 * j);
    }
    free(fatsec);
    size_t dirlen;
    c->dir = read_chain(c, dir_start, 0, &dirlen);
    if (!c->dir)
        return false;
    c->ndir = dirlen / 128;
    if (c->ndir == 0) {
        c->error = "corrupt compound file: no directory";
        return false;
    }
    if (nminifatsec && minifat_start != CFB_END) {
        size_t mlen;
        unsigned char *m = read_chain(c, minifat_start, 0, &mlen);
        if (!m)
            return false;
        c->nminifat = (uint32_t)(mlen / 4);
        c->minifat = xmalloc(((size_t)c->nminifat + 1) * sizeof *c->minifat);
        for (uint32_t i = 0; i < c->nminifat; i++)
            c->minifat[i] = u32(m + 4 * i);
        free(m);
    }
    /* The root entry holds the mini stream. */
    const unsigned char *root = c->dir;
    if (root[66] == 5) {
        uint64_t size = u32(root + 120);
        if (size > 0 && size <= len) {
            c->ministream = read_chain(c, u32(root + 116), (size_t)size, &c->ministream_len);
            if (!c->ministream)
                return false;
        }
    }
    return true;
}

/* The directory entry of a stream named `name` (ASCII), or -1. */
static long cfb_find(Cfb *c, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < c->ndir; i++) {
        const unsigned char *e = c->dir + 128 * i;
        if (e[66] != 2)
            continue;
        uint16_t nl = u16(e + 64);
        if (nl != 2 * (n + 1) || nl > 64)
            continue;
        bool same = true;
        for (size_t j = 0; j < n && same; j++)
            same = e[2 * j] == (unsigned char)name[j] && e[2 * j + 1] == 0;
        if (same)
            return (long)i;
    }
    return -1;
}

static unsigned char *cfb_stream(Cfb *c, long entry, size_t *len)
{
    const unsigned char *e = c->dir + 128 * (size_t)entry;
    uint64_t size = u32(e + 120);
    uint32_t start = u32(e + 116);
    if (size > c->len) {
        c->error = "corrupt compound file: a stream is larger than the file";
        return NULL;
    }
    if (size >= c->cutoff)
        return read_chain(c, start, (size_t)size, len);
    /* A small stream lives in the mini stream, in 64-byte sectors. */
    unsigned char *buf = xmalloc((size_t)size + 1);
    size_t n = 0;
    uint32_t s = start, steps = 0;
    while (n < size) {
        if (s >= c->nminifat || (size_t)(s + 1) * 64 > c->ministream_len ||
            ++steps > c->nminifat) {
            free(buf);
            c->error = "corrupt compound file: a chain of mini sectors is broken";
            return NULL;
        }
        size_t take = size - n < 64 ? (size_t)(size - n) : 64;
        memcpy(buf + n, c->ministream + (size_t)s * 64, take);
        n += take;
        s = c->minifat[s];
    }
    *len = (size_t)size;
    return buf;
}

FormSniff xls_sniff(const char *data, size_t len, Arena *arena, const char **why)
{
    (void)arena;
    Cfb c;
    FormSniff s = SNIFF_REFUSED;
    if (!cfb_open(&c, data, len)) {
        *why = c.error;
    } else if (cfb_find(&c, "EncryptionInfo") >= 0 || cfb_find(&c, "EncryptedPackage") >= 0) {
        *why = "encrypted, password-protected workbook: save it without a password";
    } else if (cfb_find(&c, "Workbook") >= 0) {
        s = SNIFF_XLS;
    } else if (cfb_find(&c, "Book") >= 0) {
        *why = "an Excel 5.0/95 workbook (BIFF5), which is not read: save it as .xlsx";
    } else if (cfb_find(&c, "WordDocument") >= 0) {
        *why = "a Word 97-2003 document (.doc), which is not read: save it as .docx";
    } else {
        *why = "an OLE2 compound file that is neither an Excel workbook nor an encrypted "
               "Office document";
    }
    cfb_free(&c);
    return s;
}

/* BIFF8 ----------------------------------------------------------------------------- */

/* Record data split over CONTINUE records, read across their boundaries. */
typedef struct Segs {
    const unsigned char **p;
    size_t *n;
    size_t count, cap;
    size_t i, off;          /* where reading is */
    bool bad;
} Segs;

static void segs_add(Segs *s, const unsigned char *p, size_t n)
{
    if (s->count == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 8;
        s->p = xrealloc(s->p, s->cap * sizeof *s->p);
        s->n = xrealloc(s->n, s->cap * sizeof *s->n);
    }
    s->p[s->count] = p;
    s->n[s->count++] = n;
}

static bool segs_more(Segs *s)
{
    while (s->i < s->count && s->off >= s->n[s->i])
        s->i++, s->off = 0;
    return s->i < s->count;
}

static int seg_byte(Segs *s)
{
    if (!segs_more(s)) {
        s->bad = true;
        return 0;
    }
    return s->p[s->i][s->off++];
}

static uint32_t seg_u16(Segs *s)
{
    uint32_t a = (uint32_t)seg_byte(s);
    return a | (uint32_t)seg_byte(s) << 8;
}

static uint32_t seg_u32(Segs *s)
{
    uint32_t a = seg_u16(s);
    return a | seg_u16(s) << 16;
}

static void seg_skip(Segs *s, size_t n)
{
    while (n > 0 && segs_more(s)) {
        size_t take = s->n[s->i] - s->off;
        if (take > n)
            take = n;
        s->off += take;
        n -= take;
    }
    if (n)
        s->bad = true;
}

/* Append code point cp as UTF-8. */
static void put_cp(char **out, size_t *len, size_t *cap, uint32_t cp)
{
    if (*len + 5 > *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *out = xrealloc(*out, *cap);
    }
    *len += (size_t)utf8_encode(cp, *out + *len);
}

/* An XLUnicodeString's characters: a segment boundary inside them starts
 * with a new flags byte (1: two bytes a character). */
static char *seg_chars(Segs *s, uint32_t cch, bool high, size_t *outlen)
{
    char *out = NULL;
    size_t len = 0, cap = 0;
    uint32_t pending_hi = 0;
    for (uint32_t k = 0; k < cch && !s->bad; k++) {
        if (s->i < s->count && s->off >= s->n[s->i]) {
            s->i++, s->off = 0;
            if (s->i >= s->count) {
                s->bad = true;
                break;
            }
            high = (seg_byte(s) & 1) != 0;
        }
        uint32_t u = high ? seg_u16(s) : (uint32_t)seg_byte(s);
        if (u >= 0xD800 && u < 0xDC00) {
            pending_hi = u;
            continue;
        }
        if (u >= 0xDC00 && u < 0xE000 && pending_hi) {
            u = 0x10000 + ((pending_hi - 0xD800) << 10) + (u - 0xDC00);
            pending_hi = 0;
        } else if (u >= 0xD800 && u < 0xE000) {
            u = 0xFFFD;
        }
        pending_hi = 0;
        put_cp(&out, &len, &cap, u ? u : ' ');
    }
    if (!out)
        out = xstrdup("");
    else
        out[len] = 0;
    *outlen = len;
    return out;
}

/* An XLUnicodeString: a length (16 bits, or 8 for a short one), flags,
 * optional rich-text and phonetic counts, the characters, then the runs. */
static char *seg_string(Segs *s, bool short_len, size_t *outlen)
{
    uint32_t cch = short_len ? (uint32_t)seg_byte(s) : seg_u16(s);
    int flags = seg_byte(s);
    uint32_t runs = (flags & 0x08) ? seg_u16(s) : 0;
    uint32_t ext = (flags & 0x04) ? seg_u32(s) : 0;
    char *t = seg_chars(s, cch, (flags & 1) != 0, outlen);
    seg_skip(s, (size_t)runs * 4);
    seg_skip(s, ext);
    return t;
}

typedef struct XlsCell {
    uint32_t row, col;
    const char *text;   /* arena */
    size_t len;
} XlsCell;

typedef struct Xls {
    FormDoc *doc;
    const unsigned char *wb;
    size_t wblen;
    bool date1904;
    char **sst;
    size_t *sstlen;
    uint32_t nsst;
    struct { int id; NumFormat f; } *fmts;
    size_t nfmts;
    NumFormat *xf;
    size_t nxf;
} Xls;

#define XLS_MAX_CELLS 4000000

/* The records following offset `at` that continue the record there. */
static size_t gather(Xls *x, size_t at, Segs *s)
{
    uint16_t len = u16(x->wb + at + 2);
    segs_add(s, x->wb + at + 4, len);
    size_t next = at + 4 + len;
    while (next + 4 <= x->wblen && u16(x->wb + next) == 0x003C) {
        uint16_t l = u16(x->wb + next + 2);
        if (next + 4 + l > x->wblen)
            break;
        segs_add(s, x->wb + next + 4, l);
        next += 4 + (size_t)l;
    }
    return next;
}

static NumFormat xf_format(Xls *x, uint32_t ixfe)
{
    if (ixfe >= x->nxf)
        return numfmt_builtin(0);
    return x->xf[ixfe];
}

static void add_cell(Xls *x, XlsCell **cells, size_t *n, size_t *cap, uint32_t row,
                     uint32_t col, const char *text, size_t len)
{
    if (*n >= XLS_MAX_CELLS || col >= FORM_MAX_COLUMNS)
        return;
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 256;
        *cells = xrealloc(*cells, *cap * sizeof **cells);
    }
    (*cells)[(*n)++] = (XlsCell){row, col, len ? arena_strndup(x->doc->arena, text, len) : "", len};
}

static void add_number(Xls *x, XlsCell **cells, size_t *n, size_t *cap, uint32_t row,
                       uint32_t col, uint32_t ixfe, double v)
{
    char buf[64];
    numfmt_show(v, NULL, xf_format(x, ixfe), x->date1904, buf);
    add_cell(x, cells, n, cap, row, col, buf, strlen(buf));
}

static double rk_value(uint32_t rk)
{
    double v;
    if (rk & 2) {
        v = (double)((int32_t)rk >> 2);
    } else {
        uint64_t bits = (uint64_t)(rk & 0xFFFFFFFCu) << 32;
        memcpy(&v, &bits, sizeof v);
    }
    return (rk & 1) ? v / 100.0 : v;
}

static double f64(const unsigned char *p)
{
    uint64_t bits = 0;
    for (int i = 7; i >= 0; i--)
        bits = bits << 8 | p[i];
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

static int cell_order(const void *a, const void *b)
{
    const XlsCell *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return 0;
}

typedef struct Range {
    uint32_t r0, r1, c0, c1;
} Range;

/* One sheet's substream, from its BOF at `at`. */
static void read_sheet(Xls *x, const char *name, size_t at)
{
    if (at + 8 > x->wblen || u16(x->wb + at) != 0x0809)
        return;
    FormGrid *g = form_doc_grid(x->doc, GRID_SHEET, name);
    if (!g)
        return;
    XlsCell *cells = NULL;
    size_t ncells = 0, cap = 0;
    Range *ranges = NULL;
    size_t nranges = 0, rcap = 0;
    int depth = 0;
    bool pending_string = false;
    uint32_t ps_row = 0, ps_col = 0;
    size_t pos = at;
    while (pos + 4 <= x->wblen) {
        uint16_t type = u16(x->wb + pos), len = u16(x->wb + pos + 2);
        const unsigned char *d = x->wb + pos + 4;
        if (pos + 4 + len > x->wblen)
            break;
        size_t next = pos + 4 + len;
        if (type == 0x0809) {
            depth++;
        } else if (type == 0x000A) {
            if (--depth == 0)
                break;
        } else if (depth == 1) {
            switch (type) {
            case 0x00FD: /* LABELSST */
                if (len >= 10) {
                    uint32_t i = u32(d + 6);
                    if (i < x->nsst)
                        add_cell(x, &cells, &ncells, &cap, u16(d), u16(d + 2), x->sst[i],
                                 x->sstlen[i]);
                }
                break;
            case 0x0204: /* LABEL */
            case 0x00D6: /* RSTRING */
                if (len >= 8) {
                    Segs s = {0};
                    next = gather(x, pos, &s);
                    seg_skip(&s, 6);
                    size_t n;
                    char *t = seg_string(&s, false, &n);
                    if (!s.bad)
                        add_cell(x, &cells, &ncells, &cap, u16(d), u16(d + 2), t, n);
                    free(t);
                    free(s.p);
                    free(s.n);
                }
                break;
            case 0x0203: /* NUMBER */
                if (len >= 14)
                    add_number(x, &cells, &ncells, &cap, u16(d), u16(d + 2), u16(d + 4), f64(d + 6));
                break;
            case 0x027E: /* RK */
                if (len >= 10)
                    add_number(x, &cells, &ncells, &cap, u16(d), u16(d + 2), u16(d + 4),
                               rk_value(u32(d + 6)));
                break;
            case 0x00BD: /* MULRK */
                if (len >= 6) {
                    uint32_t row = u16(d), col = u16(d + 2);
                    for (size_t k = 4; k + 6 <= (size_t)len - 2; k += 6, col++)
                        add_number(x, &cells, &ncells, &cap, row, col, u16(d + k),
                                   rk_value(u32(d + k + 2)));
                }
                break;
            case 0x0205: /* BOOLERR */
                if (len >= 8) {
                    static const char *const errs[] = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!",
                                                       "#NAME?", "#NUM!", "#N/A"};
                    static const int codes[] = {0x00, 0x07, 0x0F, 0x17, 0x1D, 0x24, 0x2A};
                    const char *t = d[7] ? "#ERROR" : d[6] ? "TRUE" : "FALSE";
                    for (int k = 0; d[7] && k < 7; k++)
                        if (codes[k] == d[6])
                            t = errs[k];
                    add_cell(x, &cells, &ncells, &cap, u16(d), u16(d + 2), t, strlen(t));
                }
                break;
            case 0x0006: /* FORMULA: the cached value */
                if (len >= 14) {
                    const unsigned char *v = d + 6;
                    uint32_t row = u16(d), col = u16(d + 2);
                    if (u16(v + 6) == 0xFFFF) {
                        if (v[0] == 0) {
                            pending_string = true; /* the STRING record that follows */
                            ps_row = row, ps_col = col;
                        } else if (v[0] == 1) {
                            const char *t = v[2] ? "TRUE" : "FALSE";
                            add_cell(x, &cells, &ncells, &cap, row, col, t, strlen(t));
                        } else if (v[0] == 2) {
                            add_cell(x, &cells, &ncells, &cap, row, col, "#ERROR", 6);
                        }
                    } else {
                        add_number(x, &cells, &ncells, &cap, row, col, u16(d + 4), f64(v));
                    }
                }
                break;
            case 0x0207: /* STRING: a formula's text result */
                if (pending_string && len >= 3) {
                    Segs s = {0};
                    next = gather(x, pos, &s);
                    size_t n;
                    char *t = seg_string(&s, false, &n);
                    if (!s.bad)
                        add_cell(x, &cells, &ncells, &cap, ps_row, ps_col, t, n);
                    free(t);
                    free(s.p);
                    free(s.n);
                }
                pending_string = false;
                break;
            case 0x00E5: /* MERGEDCELLS */
                if (len >= 2) {
                    uint32_t n = u16(d);
                    for (uint32_t k = 0; k < n && 2 + 8 * (size_t)(k + 1) <= len && nranges < 100000;
                         k++) {
                        const unsigned char *q = d + 2 + 8 * k;
                        if (nranges == rcap) {
                            rcap = rcap ? rcap * 2 : 16;
                            ranges = xrealloc(ranges, rcap * sizeof *ranges);
                        }
                        ranges[nranges++] = (Range){u16(q), u16(q + 2), u16(q + 4), u16(q + 6)};
                    }
                }
                break;
            default:
                break;
            }
        }
        pos = next;
    }
    /* Cells to rows, in order. */
    if (ncells)
        qsort(cells, ncells, sizeof *cells, cell_order);
    const char **row = NULL;
    size_t *lens = NULL;
    int rowcap = 0;
    uint32_t first = ncells ? cells[0].row : 0, last = first;
    bool ok = true;
    for (size_t i = 0; i < ncells && ok;) {
        uint32_t r = cells[i].row;
        while (ok && last + 1 < r) /* empty rows between, so that merges line up */
            ok = form_grid_row(x->doc, g, (int)(++last) + 1, NULL, NULL, 0);
        int n = (int)cells[i].col + 1;
        size_t j = i;
        while (j < ncells && cells[j].row == r)
            n = (int)cells[j++].col + 1;
        if (n > rowcap) {
            rowcap = n;
            row = xrealloc(row, (size_t)n * sizeof *row);
            lens = xrealloc(lens, (size_t)n * sizeof *lens);
        }
        for (int c = 0; c < n; c++)
            row[c] = "", lens[c] = 0;
        for (; i < j; i++)
            row[cells[i].col] = cells[i].text, lens[cells[i].col] = cells[i].len;
        if (ok)
            ok = form_grid_row(x->doc, g, (int)r + 1, row, lens, n);
        last = r;
    }
    for (size_t k = 0; k < nranges; k++) {
        Range m = ranges[k];
        if (m.r0 < first || m.r1 < m.r0 || m.c1 < m.c0)
            continue;
        form_grid_merge(x->doc, g, m.r0 - first, (int)m.c0, m.r1 - first, (int)m.c1);
    }
    free(row);
    free(lens);
    free(cells);
    free(ranges);
}

static void read_sst(Xls *x, size_t at)
{
    Segs s = {0};
    gather(x, at, &s);
    seg_u32(&s); /* total */
    uint32_t n = seg_u32(&s);
    if (n > 4000000)
        n = 4000000;
    x->sst = xcalloc((size_t)n + 1, sizeof *x->sst);
    x->sstlen = xcalloc((size_t)n + 1, sizeof *x->sstlen);
    for (uint32_t i = 0; i < n && !s.bad; i++) {
        size_t len;
        char *t = seg_string(&s, false, &len);
        if (s.bad) {
            free(t);
            break;
        }
        x->sst[i] = t;
        x->sstlen[i] = len;
        x->nsst = i + 1;
    }
    free(s.p);
    free(s.n);
}

void xls_read(FormDoc *doc, const char *data, size_t len)
{
    Cfb c;
    if (!cfb_open(&c, data, len)) {
        doc->error = c.error;
        cfb_free(&c);
        return;
    }
    long e = cfb_find(&c, "Workbook");
    size_t wblen = 0;
    unsigned char *wb = e >= 0 ? cfb_stream(&c, e, &wblen) : NULL;
    if (!wb) {
        doc->error = c.error ? c.error : "no Workbook stream in the compound file";
        cfb_free(&c);
        return;
    }
    Xls x = {0};
    x.doc = doc;
    x.wb = wb;
    x.wblen = wblen;
    if (wblen < 8 || u16(wb) != 0x0809 || u16(wb + 4) != 0x0600) {
        doc->error = wblen >= 8 && u16(wb) == 0x0809
                         ? "an Excel workbook older than Excel 97 (BIFF5 or earlier): save it as .xlsx"
                         : "corrupt Excel workbook: the Workbook stream does not begin with BOF";
        free(wb);
        cfb_free(&c);
        return;
    }
    typedef struct { char *name; uint32_t at; } Sheet;
    Sheet *sheets = NULL;
    size_t nsheets = 0, scap = 0, capf = 0, capx = 0;
    size_t pos = 0;
    while (pos + 4 <= wblen) {
        uint16_t type = u16(wb + pos), rlen = u16(wb + pos + 2);
        const unsigned char *d = wb + pos + 4;
        if (pos + 4 + rlen > wblen)
            break;
        size_t next = pos + 4 + rlen;
        if (type == 0x000A)
            break;
        if (type == 0x002F) {
            doc->error = "encrypted, password-protected workbook: save it without a password";
            break;
        }
        if (type == 0x0022 && rlen >= 2) {
            x.date1904 = u16(d) == 1;
        } else if (type == 0x041E && rlen >= 5) { /* FORMAT */
            Segs s = {0};
            segs_add(&s, d + 2, rlen - 2u);
            size_t n;
            char *code = seg_string(&s, false, &n);
            if (x.nfmts == capf) {
                capf = capf ? capf * 2 : 16;
                x.fmts = xrealloc(x.fmts, capf * sizeof *x.fmts);
            }
            x.fmts[x.nfmts].id = u16(d);
            x.fmts[x.nfmts++].f = numfmt_from_code(code);
            free(code);
            free(s.p);
            free(s.n);
        } else if (type == 0x00E0 && rlen >= 4 && x.nxf < 100000) { /* XF */
            int id = u16(d + 2);
            NumFormat f = numfmt_builtin(id);
            for (size_t i = 0; i < x.nfmts; i++)
                if (x.fmts[i].id == id)
                    f = x.fmts[i].f;
            if (x.nxf == capx) {
                capx = capx ? capx * 2 : 32;
                x.xf = xrealloc(x.xf, capx * sizeof *x.xf);
            }
            x.xf[x.nxf++] = f;
        } else if (type == 0x00FC && !x.sst) {
            read_sst(&x, pos);
        } else if (type == 0x0085 && rlen >= 8) { /* BOUNDSHEET */
            Segs s = {0};
            segs_add(&s, d + 6, rlen - 6u);
            size_t n;
            char *name = seg_string(&s, true, &n);
            free(s.p);
            free(s.n);
            if (d[5] != 0 || nsheets >= FORM_MAX_GRIDS) { /* charts, macros */
                free(name);
            } else {
                if (nsheets == scap) {
                    scap = scap ? scap * 2 : 8;
                    sheets = xrealloc(sheets, scap * sizeof *sheets);
                }
                sheets[nsheets++] = (Sheet){name, u32(d)};
            }
        }
        pos = next;
    }
    for (size_t i = 0; i < nsheets; i++) {
        if (!doc->error)
            read_sheet(&x, sheets[i].name, sheets[i].at);
        free(sheets[i].name);
    }
    if (!doc->error && nsheets == 0)
        doc->error = "the workbook has no sheet";
    free(sheets);
    for (uint32_t i = 0; i < x.nsst; i++)
        free(x.sst[i]);
    free(x.sst);
    free(x.sstlen);
    free(x.fmts);
    free(x.xf);
    free(wb);
    cfb_free(&c);
}
