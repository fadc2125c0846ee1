/* csvsplit.h - where a CSV file may be cut into blocks that parse alone
 * (issue 16: parsing split across threads at record boundaries).
 *
 * A scanner walks the file once, in order, tracking what csv.c's reader
 * would see - whether it is inside quotes (RFC 4180 parity: a quote opens
 * only at a field's start, "" inside quotes is one quote, a closing quote is
 * followed by the separator or a line end) and how many line feeds lie
 * before each offset - without splitting fields.  It offers a cut: an offset
 * where a record starts, outside quotes, so that the reader started there
 * with its line set to `line` reads the records that reading the whole file
 * reads from there on.  For a long CSV (by_id) a cut also lies where the
 * report changes: the first fields of the records either side of it are
 * unquoted, not blank, and differ once trimmed, so no report's rows are cut
 * apart.  A quote the reader would take for a fault (inside an unquoted
 * field, text after a closing quote) is a doubt: no cut is offered after it,
 * as the reader's recovery (skipping to the line's end) does not follow the
 * parity.  Nothing here allocates.
 */
#ifndef TALLY_CSVSPLIT_H
#define TALLY_CSVSPLIT_H

#include <stdbool.h>
#include <stddef.h>

typedef struct CsvSplit {
    char sep;            /* the field separator (',' or '\t') */
    bool by_id;          /* long CSV: cut only where the first field changes */
    bool quoted;         /* pos is inside quotes */
    bool doubt;          /* a quote the reader takes for a fault: no cut any more */
    size_t pos;          /* data[0 .. pos) is scanned */
    size_t rec_start;    /* where the record at pos starts (outside quotes) */
    size_t newlines;     /* line feeds in data[0 .. pos) */
} CsvSplit;

typedef struct CsvCut {
    size_t at;           /* a record starts here */
    int line;            /* the physical line it starts on (1 + line feeds before it) */
} CsvCut;

/* Start scanning data that begins at a record's start, outside quotes (a
 * file after its byte-order mark, or a cut). */
void csv_split_init(CsvSplit *s, char sep, bool by_id);

/* The first cut at or after `from` in data[0 .. len): true with *cut, and
 * the scanner past it; false when data[0 .. len) holds none (yet: scanning
 * stops where it needs bytes beyond len, and goes on from there when called
 * again with more of the file behind the same offsets), or after a doubt.
 * At a cut, data[s->rec_start .. ) must still be there: the record before it
 * is looked at. */
bool csv_split_next(CsvSplit *s, const char *data, size_t len, size_t from, CsvCut *cut);

/* The data's first `dropped` bytes are gone: offsets move back by as many
 * (dropped must not pass s->rec_start). */
void csv_split_rebase(CsvSplit *s, size_t dropped);

#endif
