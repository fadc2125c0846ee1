/* memstream.h - a FILE that writes into memory and never loses a byte.
 *
 * open_memstream() loses output silently when memory runs out: glibc's
 * memory stream drops what it cannot store and sets no error flag, so a
 * chunk of results came out short and was written as if whole (issue 15).
 * A memstream here is a stdio stream over a buffer grown with xrealloc:
 * when it cannot grow, the process ends with "out of memory" and exit
 * status 3 (arena.h) - never a short result.
 */
#ifndef TALLY_MEMSTREAM_H
#define TALLY_MEMSTREAM_H

#include <stddef.h>
#include <stdio.h>

/* As open_memstream: after fflush or fclose, *buf holds the bytes written
 * (NUL-terminated, malloc'd: the caller frees it) and *len their number. */
FILE *memstream_open(char **buf, size_t *len);

#endif
