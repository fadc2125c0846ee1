/* support.h - helpers shared by the unit tests and the benchmark
 * (tests/support.c; linked by the targets that use them, see CMakeLists.txt). */
#ifndef TALLY_TESTS_SUPPORT_H
#define TALLY_TESTS_SUPPORT_H

#include <stddef.h>

/* A growable string, for generated rule files and data.  Start it zeroed;
 * s is NULL until the first put(), NUL-terminated after; free(s) at the end. */
typedef struct Buf {
    char *s;
    size_t len, cap;
} Buf;

/* Append printf-formatted text to b (exits with status 3 when memory runs out). */
void put(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
