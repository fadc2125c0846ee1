/* cleanup.c - what a run leaves behind, removed on every exit (cleanup.h).
 *
 * The table is fixed (no allocation), its slots claimed and released with
 * atomic operations, so a signal handler can walk it at any moment: a slot
 * is filled while it is BUSY and published by storing its kind last.
 */
#include "cleanup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CLEANUP_SLOTS 64

enum { SLOT_FREE, SLOT_BUSY, SLOT_FILE, SLOT_TREE, SLOT_GROUP };

typedef struct Slot {
    atomic_int kind;
    int dirfd;
    pid_t pid;            /* SLOT_GROUP: the leader */
    pid_t owner;          /* the process that registered it */
    char path[PATH_MAX];
} Slot;

static Slot slots[CLEANUP_SLOTS];

static int slot_claim(void)
{
    for (int i = 0; i < CLEANUP_SLOTS; i++) {
        int expect = SLOT_FREE;
        if (atomic_compare_exchange_strong(&slots[i].kind, &expect, SLOT_BUSY)) {
            slots[i].owner = getpid();
            return i;
        }
    }
    return -1;
}

static int slot_publish(int i, int kind)
{
    atomic_store(&slots[i].kind, kind);
    return i;
}

static bool copy_path(char *to, const char *from)
{
    size_t n = strlen(from);
    if (n >= PATH_MAX)
        return false;
    memcpy(to, from, n + 1);
    return true;
}

/* A slot for a path (name relative to dirfd) to remove as `kind` says. */
static int add_path(int dirfd, const char *path, int kind)
{
    int i = slot_claim();
    if (i < 0)
        return -1;
    slots[i].dirfd = dirfd;
    if (!copy_path(slots[i].path, path)) {
        atomic_store(&slots[i].kind, SLOT_FREE);
        return -1;
    }
    return slot_publish(i, kind);
}

int cleanup_add_file(int dirfd, const char *name) { return add_path(dirfd, name, SLOT_FILE); }

int cleanup_add_tree(const char *path) { return add_path(AT_FDCWD, path, SLOT_TREE); }

int cleanup_add_group(pid_t leader)
{
    int i = slot_claim();
    if (i < 0)
        return -1;
    slots[i].pid = leader;
    return slot_publish(i, SLOT_GROUP);
}

void cleanup_forget(int slot)
{
    if (slot >= 0 && slot < CLEANUP_SLOTS)
        atomic_store(&slots[slot].kind, SLOT_FREE);
}

/* Directory entries as getdents64 returns them (readdir allocates). */
struct dirent64_raw {
    uint64_t ino;
    int64_t off;
    unsigned short reclen;
    unsigned char type;
    char name[];
};

#define TREE_MAX_DEPTH 16

static bool remove_tree_at(int dirfd, const char *name, int depth)
{
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return true;
        /* not a folder (or a symbolic link to one): remove the name itself */
        return unlinkat(dirfd, name, 0) == 0 || errno == ENOENT;
    }
    char buf[4096] __attribute__((aligned(8)));
    bool removed_any = true;
    for (int pass = 0; removed_any && pass < 8; pass++) {
        removed_any = false;
        lseek(fd, 0, SEEK_SET);
        long n;
        while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
            for (long off = 0; off < n;) {
                struct dirent64_raw *d = (struct dirent64_raw *)(buf + off);
                off += d->reclen;
                if (d->name[0] == '.' && (!d->name[1] || (d->name[1] == '.' && !d->name[2])))
                    continue;
                if (d->type != DT_DIR && unlinkat(fd, d->name, 0) == 0) {
                    removed_any = true;
                    continue;
                }
                if (depth < TREE_MAX_DEPTH && remove_tree_at(fd, d->name, depth + 1))
                    removed_any = true;
            }
        }
    }
    close(fd);
    return unlinkat(dirfd, name, AT_REMOVEDIR) == 0 || errno == ENOENT;
}

bool cleanup_remove_tree(int dirfd, const char *name)
{
    return remove_tree_at(dirfd, name, 0);
}

static void run_slot(Slot *s, int kind)
{
    switch (kind) {
    case SLOT_GROUP:
        kill(-s->pid, SIGKILL);
        kill(s->pid, SIGKILL);
        while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR)
            ;
        break;
    case SLOT_FILE:
        unlinkat(s->dirfd, s->path, 0);
        break;
    case SLOT_TREE:
        /* an assembler or linker killed a moment ago may still create a file */
        for (int i = 0; i < 5 && !cleanup_remove_tree(AT_FDCWD, s->path); i++) {
            struct timespec pause = {0, 10 * 1000 * 1000};
            nanosleep(&pause, NULL);
        }
        break;
    }
}

/* Files being made (cleanup_create_begin .. _end) and whether cleanup_run
 * has begun: a file another thread makes while one thread runs out of
 * memory is either refused (closing seen) or registered before the slots
 * are read (creating seen).  Sequentially consistent atomics order the two
 * sides as Dekker's protocol does. */
static atomic_int closing, creating;

bool cleanup_create_begin(void)
{
    atomic_fetch_add(&creating, 1);
    if (atomic_load(&closing)) {
        atomic_fetch_sub(&creating, 1);
        return false;
    }
    return true;
}

void cleanup_create_end(void)
{
    atomic_fetch_sub(&creating, 1);
}

void cleanup_run(void)
{
    int saved = errno;
    pid_t self = getpid();
    atomic_store(&closing, 1);
    /* a file being made is registered within moments; not forever (the
     * thread making it may be the one here, on a signal) */
    for (int i = 0; i < 100 && atomic_load(&creating) > 0; i++) {
        struct timespec pause = {0, 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    /* the processes first: a compile writes into the folders removed after */
    static const int order[] = {SLOT_GROUP, SLOT_FILE, SLOT_TREE};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
        for (int i = 0; i < CLEANUP_SLOTS; i++) {
            Slot *s = &slots[i];
            int kind = order[k];
            if (atomic_load(&s->kind) != kind || s->owner != self)
                continue;
            int expect = kind;
            if (atomic_compare_exchange_strong(&s->kind, &expect, SLOT_BUSY)) {
                run_slot(s, kind);
                atomic_store(&s->kind, SLOT_FREE);
            }
        }
    errno = saved;
}

static void on_signal(int sig)
{
    cleanup_run();
    signal(sig, SIG_DFL);
    raise(sig); /* delivered when the handler returns: the exit status names sig */
}

static void at_exit(void)
{
    cleanup_run();
}

void cleanup_install(void)
{
    /* Every signal whose default action ends the process, but those that
     * report a fault in the program itself (SIGSEGV, SIGBUS, SIGILL, SIGFPE,
     * SIGABRT, SIGTRAP, SIGSYS: sanitizers and core dumps want them); what
     * such a crash leaves is removed by the next run (cleanup_stale). */
    static const int sigs[] = {SIGHUP,  SIGINT,    SIGQUIT,   SIGTERM, SIGPIPE, SIGALRM, SIGUSR1,
                               SIGUSR2, SIGVTALRM, SIGPROF,   SIGXCPU, SIGIO,   SIGPWR,
#ifdef SIGSTKFLT
                               SIGSTKFLT,
#endif
    };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old, sa;
        if (sigaction(sigs[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN)
            continue; /* ignored by whoever started us (nohup): stays ignored */
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
    signal(SIGXFSZ, SIG_IGN);
    atexit(at_exit);
}

/* The process id after marker in name, or 0. */
static pid_t owner_pid(const char *name, const char *marker)
{
    const char *p = strstr(name, marker);
    if (!p)
        return 0;
    p += strlen(marker);
    long pid = 0;
    for (; *p >= '0' && *p <= '9' && pid < INT_MAX / 10; p++)
        pid = pid * 10 + (*p - '0');
    return (pid_t)pid;
}

void cleanup_stale(int dirfd, const char *prefix, const char *marker)
{
    int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return;
    size_t plen = strlen(prefix);
    time_t now = time(NULL);
    char buf[4096] __attribute__((aligned(8)));
    long n;
    while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0)
        for (long off = 0; off < n;) {
            struct dirent64_raw *d = (struct dirent64_raw *)(buf + off);
            off += d->reclen;
            if (strncmp(d->name, prefix, plen) != 0)
                continue;
            pid_t pid = owner_pid(d->name, marker);
            struct stat sb;
            if (pid <= 0 || pid == getpid() || fstatat(fd, d->name, &sb, AT_SYMLINK_NOFOLLOW) != 0 ||
                sb.st_uid != geteuid() || now - sb.st_mtime < 24 * 60 * 60)
                continue;
            if (kill(pid, 0) == 0 || errno != ESRCH)
                continue; /* its process still runs (or is not ours to ask) */
            if (S_ISDIR(sb.st_mode))
                cleanup_remove_tree(fd, d->name);
            else
                unlinkat(fd, d->name, 0);
        }
    close(fd);
}
