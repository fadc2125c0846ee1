/* tally-watch.c - an embedding host: score reports, and score them again
 * whenever the rule file changes, without restarting (a policy change is an
 * edit of the rule file).
 *
 *   tally-watch RULES DATA [--reloads N]
 *
 * Prints one line per report for each policy in force:
 *   policy 1: 隆回县人力资源和社会保障局2024 total 95 grade 优 findings 8
 * A rule file that no longer compiles is reported and the policy in force
 * stays.  With --reloads N it exits after N policies were taken up (tests).
 * Linux: inotify on the rule file's directory (editors replace files by
 * renaming), else polling its modification time every 200 ms (also when
 * TALLY_WATCH_POLL is set, so that tests cover that path).
 *
 * Built against the installed library:
 *   cc -o tally-watch tally-watch.c $(pkg-config --cflags --libs tally)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <tally.h>

/* How the host learns that the rule file may have changed. */
typedef struct Watch {
    int fd;                 /* inotify descriptor, or -1: polling */
    char dir[PATH_MAX];
    char name[NAME_MAX + 1];
    struct timespec mtime;  /* polling: the modification time last seen */
    off_t size;
} Watch;

static bool file_stamp(const char *path, struct timespec *mtime, off_t *size)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return false;
    *mtime = st.st_mtim;
    *size = st.st_size;
    return true;
}

/* Watch path: inotify when the kernel offers it, else its stamp. */
static void watch_start(Watch *w, const char *path)
{
    char copy[PATH_MAX];
    snprintf(copy, sizeof copy, "%s", path);
    snprintf(w->dir, sizeof w->dir, "%s", dirname(copy));
    snprintf(copy, sizeof copy, "%s", path);
    snprintf(w->name, sizeof w->name, "%s", basename(copy));
    const char *poll_env = getenv("TALLY_WATCH_POLL");
    w->fd = poll_env && *poll_env ? -1 : inotify_init1(IN_CLOEXEC);
    if (w->fd >= 0 &&
        inotify_add_watch(w->fd, w->dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE) < 0) {
        close(w->fd);
        w->fd = -1;
    }
    if (w->fd < 0) {
        if (!(poll_env && *poll_env))
            fprintf(stderr, "tally-watch: inotify unavailable (%s): polling %s\n",
                    strerror(errno), path);
        file_stamp(path, &w->mtime, &w->size);
    }
}

/* Block until the rule file was written or replaced. */
static void watch_wait(Watch *w, const char *path)
{
    if (w->fd < 0) {
        for (;;) {
            usleep(200 * 1000);
            struct timespec m;
            off_t size;
            if (file_stamp(path, &m, &size) &&
                (m.tv_sec != w->mtime.tv_sec || m.tv_nsec != w->mtime.tv_nsec || size != w->size)) {
                w->mtime = m;
                w->size = size;
                return;
            }
        }
    }
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    for (;;) {
        ssize_t n = read(w->fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            fprintf(stderr, "tally-watch: reading inotify events: %s\n", strerror(errno));
            exit(3);
        }
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            if (ev->len && strcmp(ev->name, w->name) == 0)
                return;
            p += sizeof *ev + ev->len;
        }
    }
}

/* Score every report with rules and print one line each. */
static void score_all(const TallyRules *rules, const TallyData *data, int policy)
{
    for (size_t i = 0; i < tally_data_count(data); i++) {
        TallyResult *r = tally_score(rules, data, i, false);
        const char *error = tally_result_error(r), *grade = tally_result_grade(r);
        if (error)
            printf("policy %d: %s not scored: %s\n", policy, tally_result_report(r), error);
        else
            printf("policy %d: %s total %s grade %s findings %zu\n", policy,
                   tally_result_report(r), tally_result_total(r), grade ? grade : "-",
                   tally_result_finding_count(r));
        tally_result_free(r);
    }
    fflush(stdout);
}

int main(int argc, char **argv)
{
    if (argc != 3 && !(argc == 5 && strcmp(argv[3], "--reloads") == 0)) {
        fprintf(stderr, "usage: tally-watch RULES DATA [--reloads N]\n");
        return 2;
    }
    const char *rules_path = argv[1], *data_path = argv[2];
    long max_reloads = argc == 5 ? strtol(argv[4], NULL, 10) : -1;

    char *errors = NULL;
    TallyData *data = tally_data_load(data_path, NULL, &errors);
    if (errors)
        fputs(errors, stderr);
    free(errors);
    if (!data)
        return 2;
    TallyRules *rules = tally_rules_load(rules_path, &errors);
    if (!rules) {
        fputs(errors ? errors : "tally-watch: no rules\n", stderr);
        free(errors);
        tally_data_free(data);
        return 2;
    }
    free(errors);

    Watch w;
    watch_start(&w, rules_path);
    int policy = 1;
    score_all(rules, data, policy);
    for (long reloads = 0; max_reloads < 0 || reloads < max_reloads;) {
        watch_wait(&w, rules_path);
        TallyRules *next = tally_rules_load(rules_path, &errors);
        if (!next) {
            /* A half-written or broken file: say why, keep the policy in force. */
            fprintf(stderr, "tally-watch: %s rejected, policy %d stays in force:\n%s", rules_path,
                    policy, errors ? errors : "");
            free(errors);
            continue;
        }
        free(errors);
        tally_rules_free(rules); /* no result scored with it is alive */
        rules = next;
        reloads++;
        score_all(rules, data, ++policy);
    }
    if (w.fd >= 0)
        close(w.fd);
    tally_rules_free(rules);
    tally_data_free(data);
    return 0;
}
