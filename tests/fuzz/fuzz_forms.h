/* fuzz_forms.h - what the form harnesses share (fuzz_xlsx.c, fuzz_xls.c,
 * fuzz_docx.c, fuzz_html.c, fuzz_form.c): a document read by one reader
 * and recognised by the form layer with the default forms
 * (rules/forms.tally, every figure), and the contract checked: a document
 * refused adds no report and says why; every report has an id and every
 * row a name.  And a small zip writer, so that a harness can put the fuzzed
 * bytes into a workbook or a Word document as one of its XML parts: libFuzzer
 * then mutates XML, not deflate streams. */
#ifndef TALLY_FUZZ_FORMS_H
#define TALLY_FUZZ_FORMS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/data/form.h"
#include "runtime/data/loader.h"
#include "runtime/forms.h"

typedef void (*FuzzReader)(FormDoc *doc, const char *data, size_t len);

/* The default forms, made once: they live as long as the process. */
static inline const FormSet *fuzz_forms(void)
{
    static Arena arena;
    static const FormSet *forms;
    if (!forms) {
        DiagList d;
        diag_init(&d);
        arena_init(&arena);
        forms = forms_for_program(NULL, &arena, &d);
        diag_free(&d);
        if (!forms)
            abort();
    }
    return forms;
}

static inline void fuzz_read_form(FuzzReader reader, const char *format, const char *name,
                           const char *data, size_t len)
{
    static FILE *null;
    if (!null)
        null = fopen("/dev/null", "w");
    ReportSet set;
    reportset_init(&set);
    DiagList diags;
    diag_init(&diags);
    Loader L;
    loader_init(&L, &set, &diags, name);
    L.forms = fuzz_forms();
    L.stem = "fuzz";
    FormDoc doc;
    form_doc_init(&doc, &set.arena, name, format);
    reader(&doc, data, len);
    bool ok = form_load(&L, &doc, L.forms, L.stem);
    form_doc_free(&doc);
    if (ok)
        loader_finish(&L);
    else
        set.len = L.first;
    loader_free(&L);
    if (!ok && (set.len != 0 || diags.errors == 0))
        abort();
    for (size_t i = 0; i < set.len; i++) {
        if (!set.reports[i].id)
            abort();
        for (size_t k = 0; k < set.reports[i].nrows; k++)
            if (!set.reports[i].rows[k].name || !*set.reports[i].rows[k].name)
                abort();
    }
    /* what import writes, too */
    report_write_long(null, &set, 0, set.len);
    report_write_wide(null, &set, 0, set.len);
    diag_render_all(&diags, null, false);
    diag_free(&diags);
    reportset_free(&set);
}

/* A zip of stored members, written into a heap buffer. */
typedef struct FuzzZip {
    unsigned char *buf;
    size_t len, cap;
    unsigned char *dir;
    size_t dirlen, dircap;
    unsigned count;
} FuzzZip;

static inline void fz_put(unsigned char **b, size_t *len, size_t *cap, const void *p, size_t n)
{
    if (*len + n > *cap) {
        *cap = (*len + n) * 2 + 256;
        *b = realloc(*b, *cap);
        if (!*b)
            abort();
    }
    memcpy(*b + *len, p, n);
    *len += n;
}

static inline uint32_t fz_crc(const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return ~c;
}

static inline void fz_le(unsigned char *p, uint32_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static inline void fz_add(FuzzZip *z, const char *name, const void *data, size_t n)
{
    unsigned char h[30] = {0x50, 0x4B, 3, 4, 20, 0};
    size_t nl = strlen(name);
    uint32_t crc = fz_crc(data, n), off = (uint32_t)z->len;
    fz_le(h + 14, crc, 4);
    fz_le(h + 18, (uint32_t)n, 4);
    fz_le(h + 22, (uint32_t)n, 4);
    fz_le(h + 26, (uint32_t)nl, 2);
    fz_put(&z->buf, &z->len, &z->cap, h, 30);
    fz_put(&z->buf, &z->len, &z->cap, name, nl);
    fz_put(&z->buf, &z->len, &z->cap, data, n);
    unsigned char c[46] = {0x50, 0x4B, 1, 2, 20, 0, 20, 0};
    fz_le(c + 16, crc, 4);
    fz_le(c + 20, (uint32_t)n, 4);
    fz_le(c + 24, (uint32_t)n, 4);
    fz_le(c + 28, (uint32_t)nl, 2);
    fz_le(c + 42, off, 4);
    fz_put(&z->dir, &z->dirlen, &z->dircap, c, 46);
    fz_put(&z->dir, &z->dirlen, &z->dircap, name, nl);
    z->count++;
}

static inline void fz_finish(FuzzZip *z)
{
    uint32_t off = (uint32_t)z->len;
    fz_put(&z->buf, &z->len, &z->cap, z->dir, z->dirlen);
    unsigned char e[22] = {0x50, 0x4B, 5, 6};
    fz_le(e + 8, z->count, 2);
    fz_le(e + 10, z->count, 2);
    fz_le(e + 12, (uint32_t)z->dirlen, 4);
    fz_le(e + 16, off, 4);
    fz_put(&z->buf, &z->len, &z->cap, e, 22);
    free(z->dir);
}

static const char fz_types[] __attribute__((unused)) =
    "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
    "content-types\"/>";

#endif
