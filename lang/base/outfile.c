/* outfile.c - output files that never clobber (outfile.h). */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "cleanup.h"
#include "l10n.h"

/* Symbolic links followed from the name given to the file written. */
#define OUTFILE_MAX_LINKS 8

static bool fail(char *err, size_t errn, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool fail(char *err, size_t errn, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errn, fmt, ap);
    va_end(ap);
    return false;
}

/* /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: the descriptor, or -1. */
static int descriptor_name(const char *path)
{
    if (strcmp(path, "/dev/stdout") == 0)
        return 1;
    if (strcmp(path, "/dev/stderr") == 0)
        return 2;
    const char *n = strncmp(path, "/dev/fd/", 8) == 0          ? path + 8
                    : strncmp(path, "/proc/self/fd/", 14) == 0 ? path + 14
                                                               : NULL;
    if (!n || !*n)
        return -1;
    char *end;
    long fd = strtol(n, &end, 10);
    return *end || fd < 0 || fd > INT_MAX ? -1 : (int)fd;
}

/* The process's umask, without changing it (another thread may be creating
 * files): from /proc/self/status, else the usual 022. */
static mode_t current_umask(void)
{
    FILE *f = fopen("/proc/self/status", "re");
    char line[256];
    mode_t m = 022;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "Umask:", 6) == 0) {
            m = (mode_t)strtol(line + 6, NULL, 8);
            break;
        }
    if (f)
        fclose(f);
    return m;
}

static void init(OutFile *o, const char *path)
{
    memset(o, 0, sizeof *o);
    o->path = xstrdup(path);
    o->dirfd = -1;
    o->slot = -1;
}

static void release(OutFile *o)
{
    cleanup_forget(o->slot);
    if (o->dirfd >= 0)
        close(o->dirfd);
    free(o->path);
    free(o->name);
    free(o->tmp);
    memset(o, 0, sizeof *o);
    o->dirfd = -1;
    o->slot = -1;
}

/* Write in place: a descriptor name, a device, a FIFO, a terminal. */
static bool open_in_place(OutFile *o, int fd, const char *shown, char *err, size_t errn)
{
    o->f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!o->f) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        release(o);
        return fail(err, errn, _("cannot write %s: %s"), shown, strerror(e));
    }
    return true;
}

/* Follow path's symbolic links (those of the user or of root) to the name
 * that is written; into *out (malloc'd).  *sb is that name's lstat, or
 * *exists is false. */
static bool resolve(const char *path, char **out, struct stat *sb, bool *exists, char *err, size_t errn)
{
    char *cur = xstrdup(path);
    for (int hops = 0;; hops++) {
        if (descriptor_name(cur) >= 0 || lstat(cur, sb) != 0) {
            *exists = descriptor_name(cur) >= 0;
            if (!*exists && errno != ENOENT) {
                int e = errno;
                free(cur);
                return fail(err, errn, _("cannot write %s: %s"), path, strerror(e));
            }
            *out = cur;
            return true;
        }
        if (!S_ISLNK(sb->st_mode)) {
            *exists = true;
            *out = cur;
            return true;
        }
        if (sb->st_uid != geteuid() && sb->st_uid != 0) {
            fail(err, errn,
                 _("cannot write %s: %s is a symbolic link that belongs to another user (uid %ld); "
                 "refusing to write through it"),
                 path, cur, (long)sb->st_uid);
            free(cur);
            return false;
        }
        if (hops == OUTFILE_MAX_LINKS) {
            free(cur);
            return fail(err, errn, _("cannot write %s: %s"), path, strerror(ELOOP));
        }
        char target[PATH_MAX];
        ssize_t n = readlink(cur, target, sizeof target - 1);
        if (n < 0) {
            int e = errno;
            free(cur);
            return fail(err, errn, _("cannot write %s: %s"), path, strerror(e));
        }
        target[n] = 0;
        char *next;
        const char *slash = strrchr(cur, '/');
        if (target[0] == '/' || !slash) {
            next = xstrdup(target);
        } else {
            size_t dl = (size_t)(slash - cur) + 1;
            next = xmalloc(dl + (size_t)n + 1);
            memcpy(next, cur, dl);
            memcpy(next + dl, target, (size_t)n + 1);
        }
        free(cur);
        cur = next;
    }
}

/* A random name beside `name`: NAME.tmp.PID.XXXXXX (or, for a name so long
 * that would not fit, tally.tmp.PID.XXXXXX). */
static char *temp_name(const char *name)
{
    static const char alnum[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    unsigned char rnd[6];
    if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) {
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        unsigned long x = (unsigned long)t.tv_nsec ^ ((unsigned long)getpid() << 16) ^ (unsigned long)rand();
        for (size_t i = 0; i < sizeof rnd; i++, x >>= 5)
            rnd[i] = (unsigned char)x;
    }
    char suffix[7];
    for (size_t i = 0; i < 6; i++)
        suffix[i] = alnum[rnd[i] % (sizeof alnum - 1)];
    suffix[6] = 0;
    size_t n = strlen(name) + 48;
    char *t = xmalloc(n);
    snprintf(t, n, "%s.tmp.%ld.%s", strlen(name) > 200 ? "tally" : name, (long)getpid(), suffix);
    return t;
}

bool outfile_open(OutFile *o, const char *path, char *err, size_t errn)
{
    init(o, path);
    char *real = NULL;
    struct stat sb;
    bool exists;
    if (!resolve(path, &real, &sb, &exists, err, errn)) {
        release(o);
        return false;
    }
    int dfd = descriptor_name(real);
    if (dfd >= 0) {
        free(real);
        int fd = fcntl(dfd, F_DUPFD_CLOEXEC, 3);
        return open_in_place(o, fd, path, err, errn);
    }
    if (exists && S_ISDIR(sb.st_mode)) {
        free(real);
        release(o);
        return fail(err, errn, _("cannot write %s: %s"), path, strerror(EISDIR));
    }
    if (exists && !S_ISREG(sb.st_mode)) {
        /* a device, a FIFO (blocks until it has a reader, as the shell's > does) */
        if (S_ISSOCK(sb.st_mode)) {
            free(real);
            release(o);
            return fail(err, errn, _("cannot write %s: it is a socket (redirect standard output instead)"), path);
        }
        int fd = open(real, O_WRONLY | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC);
        struct stat now;
        if (fd >= 0 && (fstat(fd, &now) != 0 || now.st_dev != sb.st_dev || now.st_ino != sb.st_ino)) {
            close(fd); /* replaced since we looked: write nothing */
            fd = -1;
            errno = EAGAIN;
        }
        free(real);
        return open_in_place(o, fd, path, err, errn);
    }
    /* A regular file, or none yet: a temporary file in its folder. */
    const char *slash = strrchr(real, '/');
    char *folder = slash ? xstrndup(real, slash == real ? 1 : (size_t)(slash - real)) : xstrdup(".");
    o->name = xstrdup(slash ? slash + 1 : real);
    free(real);
    o->dirfd = *o->name ? open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    int e = *o->name ? errno : EISDIR;
    free(folder);
    if (o->dirfd < 0) {
        release(o);
        return fail(err, errn, _("cannot write %s: %s"), path, strerror(e));
    }
    int fd = -1;
    for (int tries = 0; fd < 0 && tries < 100; tries++) {
        free(o->tmp);
        o->tmp = temp_name(o->name);
        if (!cleanup_create_begin()) { /* the run is ending */
            errno = ECANCELED;
            break;
        }
        fd = openat(o->dirfd, o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0)
            o->slot = cleanup_add_file(o->dirfd, o->tmp);
        cleanup_create_end();
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        e = errno;
        release(o);
        return fail(err, errn, _("cannot write %s: %s"), path, strerror(e));
    }
    if (exists) {
        /* the owner where permitted (root; a group of one's own), then the
         * permission bits, which chown may have cleared */
        if (sb.st_uid != geteuid() || sb.st_gid != getegid())
            if (fchown(fd, sb.st_uid, sb.st_gid) != 0 && fchown(fd, (uid_t)-1, sb.st_gid) != 0) {
                /* not permitted: the file becomes the user's own */
            }
        fchmod(fd, sb.st_mode & 0777);
    } else {
        fchmod(fd, 0666 & ~current_umask());
    }
    char prefix[NAME_MAX + 8];
    snprintf(prefix, sizeof prefix, "%s.tmp.", o->name);
    cleanup_stale(o->dirfd, prefix, ".tmp.");
    o->f = fdopen(fd, "wb");
    if (!o->f) {
        e = errno;
        close(fd);
        outfile_abort(o);
        return fail(err, errn, _("cannot write %s: %s"), path, strerror(e));
    }
    return true;
}

bool outfile_commit(OutFile *o, char *err, size_t errn)
{
    errno = 0;
    bool ok = fflush(o->f) == 0 && !ferror(o->f);
    int e = errno ? errno : EIO;
    if (ok && o->dirfd >= 0 && fsync(fileno(o->f)) != 0) {
        ok = false;
        e = errno;
    }
    if (fclose(o->f) != 0 && ok) {
        ok = false;
        e = errno;
    }
    o->f = NULL;
    if (ok && o->dirfd >= 0) {
        if (renameat(o->dirfd, o->tmp, o->dirfd, o->name) != 0) {
            ok = false;
            e = errno;
        } else {
            cleanup_forget(o->slot);
            o->slot = -1;
            if (fsync(o->dirfd) != 0 && errno != EINVAL) {
                fail(err, errn, _("wrote %s, but cannot flush its folder to disk: %s"), o->path,
                     strerror(errno));
                release(o);
                return false;
            }
        }
    }
    if (!ok) {
        fail(err, errn, _("cannot write %s: %s"), o->path, strerror(e));
        outfile_abort(o);
        return false;
    }
    release(o);
    return true;
}

void outfile_abort(OutFile *o)
{
    if (o->f)
        fclose(o->f);
    o->f = NULL;
    if (o->dirfd >= 0 && o->tmp)
        unlinkat(o->dirfd, o->tmp, 0);
    release(o);
}

bool outfile_copy_fd(const char *path, int fd, char *err, size_t errn)
{
    OutFile o;
    if (!outfile_open(&o, path, err, errn))
        return false;
    char buf[65536];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            outfile_abort(&o);
            return fail(err, errn, _("cannot write %s: %s"), path, strerror(e));
        }
        fwrite(buf, 1, (size_t)n, o.f);
    }
    return outfile_commit(&o, err, errn);
}
