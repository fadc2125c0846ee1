/* sniff.c - what a data file is, told from its bytes (sniff.h). */
#include "sniff.h"

#include <string.h>
#include <strings.h>

void data_sniff_bytes(const char *data, size_t len, const char *given, DataSniff *s)
{
    memset(s, 0, sizeof *s);
    s->separator = ',';
    const unsigned char *u = (const unsigned char *)data;
    bool le = len >= 2 && u[0] == 0xFF && u[1] == 0xFE, be = len >= 2 && u[0] == 0xFE && u[1] == 0xFF;
    s->utf16 = le || be;
    if (given && strcasecmp(given, "UTF-8") != 0 && strcasecmp(given, "UTF8") != 0) {
        s->encoding = given; /* iconv reads (and drops) the mark of UTF-16 itself */
        return;
    }
    if (s->utf16) {
        s->encoding = le ? "UTF-16LE" : "UTF-16BE";
        s->bom = 2;
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
    s->separator = tabs > 0 && commas == 0 ? '\t' : ',';
}
