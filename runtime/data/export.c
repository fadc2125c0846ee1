/* export.c - reports written back as Tally's own data files (report.h):
 * their tables as a long CSV, their figures as a wide CSV, each cell as it
 * was read, so that `tally import` shows an auditor what a form was read
 * as, and the files score exactly as the form does (docs/data.md). */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/base/strmap.h"

/* One field of a line: a comma before all but the first; quoted when it
 * holds a comma, a quote or a line break (RFC 4180). */
static void field(FILE *f, int *n, const char *s)
{
    if ((*n)++)
        putc(',', f);
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    putc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            putc('"', f);
        putc(*s, f);
    }
    putc('"', f);
}

/* Points as read: a number, or empty when missing. */
static void points(FILE *f, int *n, const TlValue *v)
{
    char buf[VAL_BUF];
    if (v->kind == TL_MISSING) {
        field(f, n, NULL);
        return;
    }
    val_format(v, buf);
    field(f, n, buf);
}

bool report_has_table(const ReportSet *set, size_t from, size_t to)
{
    for (size_t i = from; i < to && i < set->len; i++)
        if (set->reports[i].has_table)
            return true;
    return false;
}

bool report_has_figures(const ReportSet *set, size_t from, size_t to)
{
    for (size_t i = from; i < to && i < set->len; i++)
        if (set->reports[i].nfigures)
            return true;
    return false;
}

void report_write_long(FILE *f, const ReportSet *set, size_t from, size_t to)
{
    fputs("report,level1,level2,indicator,target,actual,weight,reported,reason\n", f);
    for (size_t i = from; i < to && i < set->len; i++) {
        const Report *r = &set->reports[i];
        if (!r->has_table)
            continue;
        int n;
        for (size_t k = 0; k < r->nrows; k++) {
            const TableRow *row = &r->rows[k];
            n = 0;
            field(f, &n, r->id);
            field(f, &n, row->level1_raw);
            field(f, &n, row->level2_raw);
            field(f, &n, row->name);
            field(f, &n, row->target_raw);
            field(f, &n, row->actual_raw);
            points(f, &n, &row->weight);
            points(f, &n, &row->reported);
            field(f, &n, row->reason);
            putc('\n', f);
        }
        if (r->stated_total.kind != TL_MISSING || r->stated_max.kind != TL_MISSING ||
            r->total_pos.file) {
            n = 0;
            const char *head[] = {r->id, "总分", "", "总分", "", ""};
            for (int c = 0; c < 6; c++)
                field(f, &n, head[c]);
            points(f, &n, &r->stated_max);
            points(f, &n, &r->stated_total);
            field(f, &n, NULL);
            putc('\n', f);
        }
        if (r->stated_grade) {
            n = 0;
            const char *g[] = {r->id, "自评结论", "", "自评结论", "", r->stated_grade, "", "", ""};
            for (int c = 0; c < 9; c++)
                field(f, &n, g[c]);
            putc('\n', f);
        }
    }
}

void report_write_wide(FILE *f, const ReportSet *set, size_t from, size_t to)
{
    /* the columns: every figure name, in order of first appearance */
    StrMap seen = {0};
    const char **names = NULL;
    size_t nnames = 0;
    for (size_t i = from; i < to && i < set->len; i++)
        for (size_t k = 0; k < set->reports[i].nfigures; k++) {
            const char *name = set->reports[i].figures[k].name;
            if (strmap_find(&seen, name))
                continue;
            strmap_put(&seen, name, nnames);
            names = xrealloc(names, (nnames + 1) * sizeof *names);
            names[nnames++] = name;
        }
    int n = 0;
    field(f, &n, "report");
    for (size_t c = 0; c < nnames; c++)
        field(f, &n, names[c]);
    putc('\n', f);
    for (size_t i = from; i < to && i < set->len; i++) {
        const Report *r = &set->reports[i];
        if (!r->nfigures)
            continue;
        n = 0;
        field(f, &n, r->id);
        for (size_t c = 0; c < nnames; c++) {
            const Figure *fig = report_figure(r, names[c]);
            field(f, &n, fig ? fig->raw : NULL);
        }
        putc('\n', f);
    }
    free(names);
    strmap_free(&seen);
}
