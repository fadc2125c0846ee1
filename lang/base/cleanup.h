/* cleanup.h - what a run leaves behind is removed on every exit.
 *
 * Temporary files (-o's, the compile cache's), scratch folders (the
 * compiling child's TMPDIR) and the compiling child's process group are
 * registered while they exist.  cleanup_run() kills the groups and removes
 * the files and folders; it is async-signal-safe, so the handlers that
 * cleanup_install() sets for every catchable signal that would end the
 * process call it, and so do exit() and xalloc_failed().  A forked child
 * never removes what its parent registered.
 *
 * Removal works through descriptors (openat, unlinkat, O_NOFOLLOW), never
 * following a symbolic link, so a folder someone else can write to cannot
 * redirect it.  docs/errors.md, "Output files".
 */
#ifndef TALLY_CLEANUP_H
#define TALLY_CLEANUP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Register the file `name` in the folder dirfd (which must stay open until
 * cleanup_forget); a slot number, or -1 when the table is full. */
int cleanup_add_file(int dirfd, const char *name);
/* Register a scratch folder and everything in it (an absolute path). */
int cleanup_add_tree(const char *path);
/* Register a process group to kill (SIGKILL) and its leader to reap before
 * the files and folders are removed. */
int cleanup_add_group(pid_t leader);
/* The slot's job is done (or the caller did it): drop it.  -1 is allowed. */
void cleanup_forget(int slot);

/* Kill the registered groups, remove the registered files and folders and
 * forget them.  Async-signal-safe. */
void cleanup_run(void);
/* Around making a file that is then registered (O_EXCL create, then
 * cleanup_add_file): false once cleanup_run has begun - do not make it.
 * Nothing in between may allocate or wait. */
bool cleanup_create_begin(void);
void cleanup_create_end(void);
/* For the tally program: cleanup_run at exit and on every signal whose
 * default action ends the process (then the signal is raised again, so the
 * exit status says which), except where the signal was ignored when the
 * program started; SIGXFSZ is ignored, so a write past the file size limit
 * fails with EFBIG and is reported. */
void cleanup_install(void);

/* Remove the folder `name` in dirfd and everything in it, through
 * descriptors, never following a symbolic link; false if something
 * remains.  Async-signal-safe. */
bool cleanup_remove_tree(int dirfd, const char *name);

/* Remove, in the folder dirfd, the entries whose name starts with prefix
 * and holds marker followed by a process id (".tmp." in "x.so.tmp.PID.N"),
 * that belong to the effective user, were last changed more than a day ago,
 * and whose process has ended: what a run killed by SIGKILL, or a crash,
 * left behind. */
void cleanup_stale(int dirfd, const char *prefix, const char *marker);

#endif
