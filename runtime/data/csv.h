/* csv.h - RFC 4180 reader over a buffer in memory.
 *
 * Quoted fields with "" escapes, commas and line breaks inside quotes, CRLF
 * or LF line ends, an optional UTF-8 byte-order mark, an optional final line
 * end.  Empty lines are skipped but counted, so every record knows the
 * physical line it starts on.  Malformed input and oversized input are
 * reported as errors with a line and column, never a crash: after an error
 * the reader resumes at the next record, so one bad row does not hide the
 * rest of the file.
 */
#ifndef TALLY_CSV_H
#define TALLY_CSV_H

#include <stdbool.h>
#include <stddef.h>

/* Resource limits: a field, a record and the number of fields are bounded
 * so that a broken or hostile file (20 MB without a line break, a million
 * commas) costs an error message, not the machine's memory. */
#define CSV_MAX_FIELD   (1u << 20)   /* bytes in one field: 1 MiB */
#define CSV_MAX_COLUMNS 10000        /* fields in one record */
#define CSV_MAX_RECORD  (16u << 20)  /* bytes in one record: 16 MiB */

enum {
    CSV_ERROR = -1,  /* malformed or oversized record; see CsvReader.error */
    CSV_EOF = 0,
    CSV_RECORD = 1,
};

typedef struct CsvField {
    const char *text;  /* unescaped, NUL-terminated (but see CsvReader.borrow); valid
                          until the next csv_next */
    size_t len;
    int line;          /* physical line where the field starts */
} CsvField;

typedef struct CsvRecord {
    const CsvField *fields;  /* field i has the 1-based index i + 1 */
    size_t nfields;
    int line;                /* physical line where the record starts */
} CsvRecord;

typedef struct CsvReader {
    char sep;              /* the field separator: ',' (csv_init), or '\t' (sniff.h) */
    const char *data;
    size_t len, pos;
    size_t line_start;     /* offset of the current physical line */
    int line;              /* current physical line, 1-based */
    char *buf;             /* field text of the current record */
    size_t buflen, bufcap;
    CsvField *fields;
    size_t *starts;        /* offset of each field in buf */
    size_t nfields, fieldcap;
    /* Set when csv_next returns CSV_ERROR: */
    const char *error;     /* message, e.g. "quote inside an unquoted field" */
    int error_line;        /* line of the problem (for an unterminated quote:
                              the line where the quote opened) */
    int error_col;         /* 1-based column there, in characters */
    int error_field;       /* 1-based index of the field at fault */
    /* Streaming (loader.h, DataWindow): data is a window onto the file.
     * Before each record, while fewer than `ahead` bytes are left, more(r)
     * may discard the bytes before the current line and read on, moving
     * data, len, pos and line_start; NULL: the data is all there. */
    void (*more)(struct CsvReader *r);
    void *more_ctx;
    size_t ahead;
    /* Issue 16: a field without quotes is not copied - its text points into
     * data and is NOT NUL-terminated (use its len); quoted fields still are
     * copied and terminated.  Off after csv_init. */
    bool borrow;
    size_t textlen;        /* bytes of field text in the current record */
    bool avx2;             /* a borrowed record is scanned 32 bytes at a time (set by
                              csv_init where the CPU has AVX2; a test may clear it) */
} CsvReader;

/* Start reading data[0..len); skips a UTF-8 byte-order mark.  The data must
 * outlive the reader. */
void csv_init(CsvReader *r, const char *data, size_t len);
/* Separate fields with sep (a tab, for tab-separated text) instead of ','. */
void csv_set_separator(CsvReader *r, char sep);
/* Read the next record.  On CSV_ERROR the record holds the fields completed
 * before the one at fault and the reader has moved past the bad record. */
int csv_next(CsvReader *r, CsvRecord *rec);
void csv_free(CsvReader *r);

#endif
