/* sniff.c - what a data file's text is, told from its bytes (sniff.h). */
#include "sniff.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>
#include <strings.h>

#include "lang/base/arena.h"
#include "lang/base/text.h"

iconv_t data_iconv_open(const char *to, const char *from)
{
    iconv_t cd = iconv_open(to, from);
    if (cd != (iconv_t)-1)
        return cd;
    if (errno == ENOMEM)
        xalloc_failed();
    static const char *const ours[] = {"UTF-8", "UTF-16LE", "UTF-16BE", "GB18030"};
    for (size_t i = 0; i < sizeof ours / sizeof *ours; i++) {
        if (strcmp(from, ours[i]) != 0)
            continue;
        /* glibc reports a failed allocation while loading a converter as
         * EINVAL: once more, then out of memory */
        cd = iconv_open(to, from);
        if (cd == (iconv_t)-1)
            xalloc_failed();
        return cd;
    }
    return (iconv_t)-1;
}

/* Are the bytes GB18030 throughout?  (iconv's own check, in pieces.) */
static bool is_gb18030(const char *data, size_t len)
{
    iconv_t cd = data_iconv_open("UTF-8", "GB18030");
    char out[4096], *ip = (char *)data;
    size_t il = len;
    bool ok = true;
    while (il > 0 && ok) {
        char *op = out;
        size_t ol = sizeof out;
        if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 && errno != E2BIG)
            ok = false;
    }
    iconv_close(cd);
    return ok;
}

void data_sniff_bytes(const char *data, size_t len, const char *given, DataSniff *s)
{
    memset(s, 0, sizeof *s);
    s->separator = ',';
    const unsigned char *u = (const unsigned char *)data;
    bool le = len >= 2 && u[0] == 0xFF && u[1] == 0xFE, be = len >= 2 && u[0] == 0xFE && u[1] == 0xFF;
    bool mark8 = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0;
    s->utf16 = le || be;
    bool given_utf8 = given && (strcasecmp(given, "UTF-8") == 0 || strcasecmp(given, "UTF8") == 0);
    if (given && !given_utf8) {
        s->encoding = given; /* iconv reads (and drops) the mark of UTF-16 itself */
        return;
    }
    if (s->utf16) {
        s->encoding = le ? "UTF-16LE" : "UTF-16BE";
        s->bom = 2;
        return;
    }
    s->bom = mark8 ? 3 : 0;
    s->utf8 = utf8_invalid_at(data + s->bom, len - s->bom) == (size_t)-1;
    /* A NUL byte: UTF-16 without a mark or a binary file, for the reader's
     * own message; never a guess. */
    if (s->utf8 || given_utf8 || mark8 || memchr(data, '\0', len))
        return;
    if (is_gb18030(data, len)) {
        s->encoding = "GB18030";
        s->gb18030 = true;
    }
}

void data_sniff_text(const char *text, size_t len, DataSniff *s)
{
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3, len -= 3;
    s->cr_only = memchr(text, '\r', len) && !memchr(text, '\n', len);
    /* The first record: up to the first line end outside quotes. */
    bool quoted = false;
    size_t tabs = 0, commas = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && (c == '\n' || c == '\r'))
            break;
        else if (!quoted && c == '\t')
            tabs++;
        else if (!quoted && c == ',')
            commas++;
    }
    s->separator = tabs > commas ? '\t' : ',';
}
