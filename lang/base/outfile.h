/* outfile.h - output files that never clobber: what -o FILE and
 * --dump-jit write through.
 *
 * A regular file (or a name that does not exist yet) is written to a
 * temporary file created beside it - O_CREAT | O_EXCL | O_NOFOLLOW, mode
 * 0600 at first, a random name "NAME.tmp.PID.XXXXXX" - and renamed over it
 * only when everything was written and flushed to disk (the file, then its
 * folder); the old file's permission bits and, where permitted, its owner
 * and group are kept; a new file gets 0666 less the umask.  Anything else is
 * written in place, never replaced: a device (/dev/null), a FIFO, a
 * terminal, and /dev/stdout, /dev/stderr, /dev/fd/N and /proc/self/fd/N
 * (the descriptor itself, so a socket or a pipe works too).
 *
 * A symbolic link is written through - the file it names is replaced, in
 * its own folder - when it belongs to the effective user or to root;
 * a link that belongs to anyone else is refused: in a folder others can
 * write to, it is how they would make tally overwrite a file of yours.
 * docs/errors.md, "Output files".
 */
#ifndef TALLY_OUTFILE_H
#define TALLY_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

typedef struct OutFile {
    FILE *f;            /* write here */
    char *path;         /* as given, for messages */
    int dirfd;          /* the folder of the file replaced; -1 when written in place */
    char *name;         /* the file's name in that folder */
    char *tmp;          /* the temporary file's name in that folder */
    int slot;           /* its cleanup slot (cleanup.h) */
} OutFile;

/* Open path for writing as above; false with a one-line reason in err
 * ("cannot write PATH: ..."), nothing created. */
bool outfile_open(OutFile *o, const char *path, char *err, size_t errn);
/* Finish: check every write, flush, fsync, rename into place, fsync the
 * folder.  False with a reason in err; then nothing replaced the old file
 * and the temporary file is gone.  o is closed either way. */
bool outfile_commit(OutFile *o, char *err, size_t errn);
/* Give up: close, remove the temporary file.  o may be closed already. */
void outfile_abort(OutFile *o);

/* Write everything readable from fd to path through an OutFile. */
bool outfile_copy_fd(const char *path, int fd, char *err, size_t errn);

#endif
