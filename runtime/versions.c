/* versions.c - a policy and its versions by year (versions.h). */
#include "versions.h"
#include "lang/base/l10n.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_version(Policy *pol, char *name, Program *p)
{
    pol->versions = xrealloc(pol->versions, (size_t)(pol->nversions + 1) * sizeof *pol->versions);
    pol->names = xrealloc(pol->names, (size_t)(pol->nversions + 1) * sizeof *pol->names);
    pol->versions[pol->nversions] = p;
    pol->names[pol->nversions] = name;
    pol->nversions++;
}

/* Do the years of versions a and b overlap? */
static bool overlap(const Program *a, const Program *b)
{
    int a_to = a->applies_to ? a->applies_to : 1 << 30, b_to = b->applies_to ? b->applies_to : 1 << 30;
    return a->applies_from <= b_to && b->applies_from <= a_to;
}

void versions_files(const char *dir, bool tests, PtrVec *out)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    size_t first = out->len;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || !ends_with(e->d_name, ".tally") ||
            (!tests && ends_with(e->d_name, "_test.tally")))
            continue;
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        char *path = xmalloc(n);
        snprintf(path, n, "%s%s%s", dir, ends_with(dir, "/") ? "" : "/", e->d_name);
        struct stat sb;
        if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
            ptrvec_push(out, path);
        else
            free(path);
    }
    closedir(d);
    if (out->len > first)
        qsort(out->items + first, out->len - first, sizeof(void *), by_name);
}

bool versions_disjoint(Program *const *v, char *const *names, int n, DiagList *diags)
{
    bool ok = true;
    for (int j = 1; j < n; j++)
        for (int i = 0; i < j; i++) {
            const Program *a = v[i], *b = v[j];
            if (!overlap(a, b))
                continue;
            char ya[64], yb[64];
            int line, col;
            source_position(&a->src, a->applies->span.start, &line, &col);
            Diag *dg = diag_at(diags, DIAG_ERROR, &b->src, b->applies->span,
                               _("the years %s overlap those of %s:%d (%s)"),
                               program_applies_text(b, yb, sizeof yb), names[i], line,
                               program_applies_text(a, ya, sizeof ya));
            diag_set_hint(dg, _("each year has one version of the rules: change the years of one of them"));
            diag_keep_source(diags, &b->src);
            ok = false;
        }
    return ok;
}

static bool load_folder(Policy *pol, DiagList *diags)
{
    PtrVec files = {0};
    versions_files(pol->path, false, &files);
    bool ok = true;
    for (size_t i = 0; i < files.len; i++) {
        Program *p = program_load(files.items[i], diags);
        if (!p) {
            ok = false;
            free(files.items[i]);
        } else if (p->applies) {
            add_version(pol, files.items[i], p);
        } else {
            program_free(p); /* a shared base, not a version */
            free(files.items[i]);
        }
    }
    ptrvec_free(&files);
    if (!ok)
        return false;
    if (!pol->nversions) {
        Diag *dg = diag_data(diags, DIAG_ERROR, pol->path, 0, 0, NULL,
                             _("no rule file in this folder states the years it applies to"));
        diag_set_hint(dg, _("a version says, e.g., 'applies 2022..2023' or 'applies from 2024'"));
        return false;
    }
    return versions_disjoint(pol->versions, pol->names, pol->nversions, diags);
}

bool policy_load(Policy *pol, const char *path, DiagList *diags)
{
    memset(pol, 0, sizeof *pol);
    pol->path = xstrdup(path);
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        pol->folder = true;
        return load_folder(pol, diags);
    }
    Program *p = program_load(path, diags);
    if (!p)
        return false;
    add_version(pol, xstrdup(path), p);
    return true;
}

void policy_free(Policy *pol)
{
    for (int i = 0; i < pol->nversions; i++) {
        program_free(pol->versions[i]);
        free(pol->names[i]);
    }
    free(pol->versions);
    free(pol->names);
    free(pol->path);
    memset(pol, 0, sizeof *pol);
}

const char *policy_describe(const Policy *pol, Arena *arena)
{
    char *s = "";
    for (int i = 0; i < pol->nversions; i++) {
        char years[64];
        s = arena_printf(arena, "%s%s%s (%s)", s, i ? ", " : "",
                         program_applies_text(pol->versions[i], years, sizeof years), pol->names[i]);
    }
    return s;
}

int policy_choose(const Policy *pol, int year, const char **why, Arena *arena)
{
    if (!pol->folder) {
        const Program *p = pol->versions[0];
        char years[64];
        if (!year || program_applies_to(p, year))
            return 0;
        program_applies_text(p, years, sizeof years);
        *why = arena_printf(arena, "%s applies %s%s, not to %d", pol->names[0],
                            p->applies_to ? "to " : "", years, year);
        return -1;
    }
    if (!year) {
        *why = arena_printf(arena, "the report states no year, and %s holds versions by year "
                                   "(give a year column, \"year\" in JSON, or --year)", pol->path);
        return -1;
    }
    for (int i = 0; i < pol->nversions; i++)
        if (program_applies_to(pol->versions[i], year))
            return i;
    *why = arena_printf(arena, "no version of the rules applies to %d: %s", year, policy_describe(pol, arena));
    return -1;
}
