/* sniff.h - what a data file's text is, told from its bytes: the one place
 * that decides, for every reader that takes text (CSV wide and long, JSON,
 * a CSV saved from Excel read as a form, an HTML page, the REPL's :open),
 *   - its encoding: --encoding when given; else a byte-order mark (UTF-8,
 *     or UTF-16 LE/BE as Excel's "Unicode text" export writes it); else
 *     UTF-8 when the bytes are UTF-8; else GB18030 when they are GB18030 (a
 *     CSV saved by Excel on Chinese Windows; the caller says so in a note);
 *   - how its fields are separated (commas, or tabs);
 *   - how its lines end (LF, CRLF, or CR alone).
 * report.c asks it before reading and hands the answer to the readers
 * (Loader.sep); html.c asks it before the page's own <meta> charset.  What
 * kind of file it is (xlsx, docx, xls, HTML or text) is form_sniff's
 * (form.h), asked first.  docs/data.md, "Encodings".
 */
#ifndef TALLY_SNIFF_H
#define TALLY_SNIFF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct DataSniff {
    /* From the raw bytes (data_sniff_bytes): */
    const char *encoding;  /* what to convert from: --encoding (other than UTF-8), else
                            * "UTF-16LE"/"UTF-16BE" for a UTF-16 byte-order mark, else
                            * "GB18030" (gb18030 set), else NULL: UTF-8, no conversion */
    size_t bom;            /* bytes of the byte-order mark that decided (UTF-8: 3, UTF-16:
                            * 2), to skip; 0 when --encoding decided or there is none */
    bool utf16;            /* the file starts with a UTF-16 byte-order mark */
    bool utf8;             /* the bytes are valid UTF-8 (a mark aside) */
    bool gb18030;          /* not UTF-8 but GB18030, without --encoding: a guess, for a note */
    /* From the UTF-8 text (data_sniff_text): */
    char separator;        /* ',' or '\t': what separates the header's fields */
    bool cr_only;          /* lines end in CR alone (classic Mac OS): read as line ends */
} DataSniff;

/* The encoding of raw file bytes; `given` is --encoding (NULL: none; "UTF-8"
 * means UTF-8 without the GB18030 fallback, a UTF-16 mark still honoured). */
void data_sniff_bytes(const char *data, size_t len, const char *given, DataSniff *s);
/* The separator and line ends of UTF-8 text (its byte-order mark, if any,
 * still there): tab-separated when the first record holds more tabs than
 * commas outside quotes; CR-only when the text holds CR and no LF. */
void data_sniff_text(const char *text, size_t len, DataSniff *s);

/* iconv_open(to, from) for the readers, (iconv_t)-1 when iconv does not
 * know `from`.  Running out of memory ends the run (exit 3), never passes
 * for an unknown encoding: ENOMEM, or a failure to open an encoding this
 * file names itself (UTF-16LE/BE, GB18030: every glibc has them) twice. */
#include <iconv.h>
iconv_t data_iconv_open(const char *to, const char *from);

#endif
