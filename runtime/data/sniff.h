/* sniff.h - what a data file is, told from its bytes: the one place that
 * decides its encoding (a byte-order mark: UTF-8, or UTF-16 as Excel's
 * "Unicode text" export writes it), how its fields are separated (commas,
 * or tabs) and how its lines end (LF, CRLF, or CR alone).  report.c asks it
 * before reading, and the readers get the answer (loader.h).
 *
 * Detection that needs more than the first bytes and lines - GB18030
 * without --encoding, a title row above the header (issue 13) - goes here
 * too, as more fields of DataSniff.  docs/data.md, "Encodings".
 */
#ifndef TALLY_SNIFF_H
#define TALLY_SNIFF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct DataSniff {
    /* From the raw bytes (data_sniff_bytes): */
    const char *encoding;  /* what to convert from: --encoding, else "UTF-16LE" or
                            * "UTF-16BE" for a UTF-16 byte-order mark, else NULL (UTF-8) */
    size_t bom;            /* bytes of byte-order mark to skip before converting */
    bool utf16;            /* the file is UTF-16 (a byte-order mark said so) */
    /* From the UTF-8 text (data_sniff_text): */
    char separator;        /* ',' or '\t': what separates the header's fields */
    bool cr_only;          /* lines end in CR alone (classic Mac OS): read as line ends */
} DataSniff;

/* The encoding of raw file bytes; `given` is --encoding (NULL: none).  A
 * UTF-16 byte-order mark is honoured without --encoding. */
void data_sniff_bytes(const char *data, size_t len, const char *given, DataSniff *s);
/* The separator and line ends of UTF-8 text (its byte-order mark, if any,
 * still there): tab-separated when the first record holds a tab outside
 * quotes and no comma; CR-only when the text holds CR and no LF. */
void data_sniff_text(const char *text, size_t len, DataSniff *s);

#endif
