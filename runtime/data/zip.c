/* zip.c - zip members of an Office Open XML file, read within caps
 * (form.h): a member may not inflate to more than ZIP_MAX_MEMBER bytes,
 * nor beyond ZIP_MAX_RATIO times its compressed size, and all members read
 * together not beyond ZIP_MAX_TOTAL.  The sizes a zip declares are checked
 * before inflating, and the bytes actually inflated while reading, since a
 * zip can lie.  libzip reads the archive from memory; libxml2's reader
 * streams the large members (a sheet of a million rows) in bounded memory. */
#include "form.h"

#include <libxml/xmlmemory.h>
#include <libxml/xmlreader.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

struct FormZip {
    zip_t *zip;
    Arena *arena;
    uint64_t total;            /* bytes inflated so far, all members */
    zip_file_t *stream;        /* the member being streamed */
    uint64_t stream_read, stream_cap;
    const char *stream_name;
    const char *stream_error;
    const char *xml_error;     /* the first XML error of the member streamed */
};

/* libzip's own allocation failures, and zlib's (ZIP_ER_ZLIB with
 * Z_MEM_ERROR, -4, when a member's inflater cannot be set up): out of memory
 * (exit 3), never taken for a corrupt archive. */
static void zip_memory(const zip_error_t *e)
{
    if (e && (zip_error_code_zip(e) == ZIP_ER_MEMORY ||
              (zip_error_code_zip(e) == ZIP_ER_ZLIB && zip_error_code_system(e) == -4)))
        xalloc_failed();
}

void data_readers_exit_on_oom(void)
{
    /* libxml2 allocates through tally's checked allocator: a failure is
     * "out of memory" and exit 3, not a document that seems to hold no
     * table (docs/errors.md, "Memory").  Called by the program only, never
     * by libtally, whose host may use libxml2 too. */
    xmlMemSetup(free, xmalloc, xrealloc, xstrdup);
}

FormZip *zip_open_memory(const char *data, size_t len, Arena *arena, const char **why)
{
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &err);
    if (!src)
        xalloc_failed(); /* a source over memory fails for want of memory only */
    zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &err);
    if (!z && (zip_error_code_zip(&err) == ZIP_ER_NOZIP || zip_error_code_zip(&err) == ZIP_ER_INCONS)) {
        /* libzip reports some failed allocations while finding the central
         * directory as "not a zip": once more before calling it corrupt
         * (check-memory).  A corrupt archive fails the same way again. */
        zip_error_fini(&err);
        zip_error_init(&err);
        z = zip_open_from_source(src, ZIP_RDONLY, &err);
    }
    if (!z) {
        zip_memory(&err);
        int code = zip_error_code_zip(&err);
        *why = code == ZIP_ER_NOZIP || code == ZIP_ER_INCONS
                   ? "corrupt zip archive (truncated, or not a zip): its central directory "
                     "cannot be read"
                   : arena_printf(arena, "corrupt zip archive: %s", zip_error_strerror(&err));
        zip_source_free(src);
        zip_error_fini(&err);
        return NULL;
    }
    zip_error_fini(&err);
    FormZip *fz = xcalloc(1, sizeof *fz);
    fz->zip = z;
    fz->arena = arena;
    return fz;
}

void zip_close_archive(FormZip *z)
{
    if (!z)
        return;
    if (z->stream)
        zip_fclose(z->stream);
    zip_discard(z->zip);
    free(z);
}

/* Find a member by name; openpyxl writes some as "/xl/..." in relationships,
 * the archive itself never starts with '/'. */
static zip_int64_t member_index(FormZip *z, const char *name)
{
    while (*name == '/')
        name++;
    return zip_name_locate(z->zip, name, 0);
}

bool zip_has(FormZip *z, const char *name) { return member_index(z, name) >= 0; }

/* Check a member's declared sizes against the caps; its cap while reading. */
static bool member_open(FormZip *z, const char *name, zip_int64_t *idx, uint64_t *cap,
                        const char **why)
{
    *idx = member_index(z, name);
    if (*idx < 0)
        zip_memory(zip_get_error(z->zip));
    if (*idx < 0) {
        *why = arena_printf(z->arena, "no member %s in the zip archive", name);
        return false;
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z->zip, (zip_uint64_t)*idx, 0, &st) != 0) {
        zip_memory(zip_get_error(z->zip));
        *why = arena_printf(z->arena, "corrupt zip archive: cannot read the entry of %s", name);
        return false;
    }
    uint64_t size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
    uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    if (size > ZIP_MAX_MEMBER || (size > (1u << 20) && size / (comp ? comp : 1) > ZIP_MAX_RATIO) ||
        z->total + size > ZIP_MAX_TOTAL) {
        *why = arena_printf(z->arena,
                            "zip member %s would inflate to %llu bytes from %llu: refused as a "
                            "zip bomb (at most %u MiB a member, %u MiB in all, and %u times "
                            "its compressed size)",
                            name, (unsigned long long)size, (unsigned long long)comp,
                            ZIP_MAX_MEMBER >> 20, ZIP_MAX_TOTAL >> 20, ZIP_MAX_RATIO);
        return false;
    }
    /* The declared size may lie: the cap while inflating is the same. */
    uint64_t by_ratio = comp > 0 ? comp * ZIP_MAX_RATIO : (1u << 20);
    if (by_ratio < (1u << 20))
        by_ratio = 1u << 20;
    *cap = ZIP_MAX_MEMBER;
    if (by_ratio < *cap)
        *cap = by_ratio;
    if (ZIP_MAX_TOTAL - z->total < *cap)
        *cap = ZIP_MAX_TOTAL - z->total;
    return true;
}

static const char *cap_message(FormZip *z, const char *name)
{
    return arena_printf(z->arena,
                        "zip member %s inflates to more than its cap: refused as a zip bomb (at "
                        "most %u MiB a member, %u MiB in all, and %u times its compressed size)",
                        name, ZIP_MAX_MEMBER >> 20, ZIP_MAX_TOTAL >> 20, ZIP_MAX_RATIO);
}

static const char *read_error(FormZip *z, const char *name, zip_file_t *f)
{
    zip_error_t *e = zip_file_get_error(f);
    zip_memory(e);
    int code = e ? zip_error_code_zip(e) : 0;
    if (code == ZIP_ER_WRONGPASSWD || code == ZIP_ER_NOPASSWD || code == ZIP_ER_ENCRNOTSUPP)
        return "encrypted zip member: save the document without a password";
    return arena_printf(z->arena, "corrupt zip archive: cannot inflate %s (%s)", name,
                        e ? zip_error_strerror(e) : "read error");
}

char *zip_read_member(FormZip *z, const char *name, size_t *len, const char **why)
{
    zip_int64_t idx;
    uint64_t cap;
    if (!member_open(z, name, &idx, &cap, why))
        return NULL;
    zip_file_t *f = zip_fopen_index(z->zip, (zip_uint64_t)idx, 0);
    if (!f) {
        zip_error_t *e = zip_get_error(z->zip);
        zip_memory(e);
        int code = zip_error_code_zip(e);
        *why = code == ZIP_ER_NOPASSWD || code == ZIP_ER_ENCRNOTSUPP
                   ? "encrypted zip member: save the document without a password"
                   : arena_printf(z->arena, "corrupt zip archive: cannot open %s (%s)", name,
                                  zip_error_strerror(e));
        return NULL;
    }
    size_t bufcap = 1 << 16, n = 0;
    char *buf = xmalloc(bufcap + 1);
    for (;;) {
        if (n == bufcap) {
            bufcap *= 2;
            buf = xrealloc(buf, bufcap + 1);
        }
        zip_int64_t got = zip_fread(f, buf + n, bufcap - n);
        if (got < 0) {
            *why = read_error(z, name, f);
            zip_fclose(f);
            free(buf);
            return NULL;
        }
        if (got == 0)
            break;
        n += (size_t)got;
        if (n > cap) {
            *why = cap_message(z, name);
            zip_fclose(f);
            free(buf);
            return NULL;
        }
    }
    zip_fclose(f);
    z->total += n;
    buf[n] = 0;
    *len = n;
    return buf;
}

/* libxml2's input callbacks over the member being streamed. */
static int stream_read(void *ctx, char *buf, int len)
{
    FormZip *z = ctx;
    if (!z->stream || z->stream_error)
        return -1;
    zip_int64_t got = zip_fread(z->stream, buf, (zip_uint64_t)len);
    if (got < 0) {
        z->stream_error = read_error(z, z->stream_name, z->stream);
        return -1;
    }
    z->stream_read += (uint64_t)got;
    z->total += (uint64_t)got;
    if (z->stream_read > z->stream_cap) {
        z->stream_error = cap_message(z, z->stream_name);
        return -1;
    }
    return (int)got;
}

static int stream_close(void *ctx)
{
    (void)ctx;
    return 0;
}

/* libxml2 reports errors through this; the readers ask the reader's state
 * instead, so nothing is printed. */
static void xml_quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* Keep the first XML error of a member, with its line. */
static void xml_error(void *arg, const char *msg, xmlParserSeverities severity,
                      xmlTextReaderLocatorPtr loc)
{
    FormZip *z = arg;
    if (z->xml_error || (severity != XML_PARSER_SEVERITY_ERROR &&
                         severity != XML_PARSER_SEVERITY_VALIDITY_ERROR))
        return;
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        n--;
    z->xml_error = arena_printf(z->arena, "malformed XML in %s at line %d: %.*s", z->stream_name,
                                xmlTextReaderLocatorLineNumber(loc), (int)n, msg);
}

xmlTextReaderPtr zip_xml_open(FormZip *z, const char *name, const char **why)
{
    zip_int64_t idx;
    if (z->stream) {
        *why = "internal: two zip members streamed at once";
        return NULL;
    }
    if (!member_open(z, name, &idx, &z->stream_cap, why))
        return NULL;
    z->stream = zip_fopen_index(z->zip, (zip_uint64_t)idx, 0);
    if (!z->stream) {
        zip_memory(zip_get_error(z->zip));
        *why = arena_printf(z->arena, "corrupt zip archive: cannot open %s", name);
        return NULL;
    }
    z->stream_read = 0;
    z->stream_error = NULL;
    z->stream_name = arena_strdup(z->arena, name);
    xmlSetGenericErrorFunc(NULL, xml_quiet);
    /* No entity substitution, no network, no DTD loading: an OOXML part
     * needs none, and a billion-laughs part then costs nothing. */
    xmlTextReaderPtr r = xmlReaderForIO(stream_read, stream_close, z, name, NULL,
                                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!r) {
        zip_fclose(z->stream);
        z->stream = NULL;
        *why = arena_printf(z->arena, "cannot read %s", name);
        return NULL;
    }
    z->xml_error = NULL;
    xmlTextReaderSetErrorHandler(r, xml_error, z);
    return r;
}

const char *zip_stream_error(FormZip *z)
{
    if (z->stream_error)
        return z->stream_error;
    return z->xml_error ? z->xml_error
                        : arena_printf(z->arena, "malformed XML in %s", z->stream_name);
}

void zip_xml_close(FormZip *z, xmlTextReaderPtr r)
{
    if (r)
        xmlFreeTextReader(r);
    if (z->stream)
        zip_fclose(z->stream);
    z->stream = NULL;
}
