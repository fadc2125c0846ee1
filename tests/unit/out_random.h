/* out_random.h - random scored reports for the output tests (test_csv_out.c,
 * test_json_out.c): texts around every edge of the writers' fast paths
 * (quotes, commas, CR and LF, backslashes, control bytes, invalid UTF-8,
 * Excel's formula characters, fields longer than a writer's buffer),
 * duplicate names, findings about no row, large reports. */
#ifndef TALLY_TEST_OUT_RANDOM_H
#define TALLY_TEST_OUT_RANDOM_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/output/output.h"

static uint64_t rng = 16;

static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static char huge[40000]; /* longer than the writer's buffer */

/* Texts around every edge of the fast paths: quotes, commas, CR and LF at
 * the start, the end, and either side of the 16-byte blocks; the formula
 * characters; plain numbers; CJK. */
static const char *const texts[] = {
    "", "a", "产出指标", "数量指标", "培训人数", "培训人数", "政策知晓率", "x,y", "say \"hi\"", "line\nbreak",
    "cr\r", ",", "\"", "=1+2", "-5", "+0.5", "-19.2%", "-x", "@home", "\tTab", "\rCR", "'quoted",
    "0123456789abcde,", "0123456789abcdef", "0123456789abcdef,", ",0123456789abcdef",
    "0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcde\n",
    "满意度,含\n回访", "汨罗市市场监督管理局-1", "target met: full marks", "正向", "反向",
    "这是一个相当长的指标名称用于测试十六字节块的边界情况", "这是一个相当长的指标名称,用于测试",
    "bad\xff utf8", "cut \xe4\xb8", "ctl\x01\x1f", "back\\slash", "tab\there", "0123456789abcde\"0123456789abcdef",
    "0123456789abcdef\x7f" "0123456789abcdef\xc3",
};
#define NTEXTS (sizeof texts / sizeof *texts)

static const char *text(void) { return rnd(400) == 0 ? huge : texts[rnd(NTEXTS)]; }
static const char *text_or_null(void) { return rnd(6) == 0 ? NULL : text(); }

static TlValue value(Arena *a)
{
    static const char *const cells[] = {"15人", "≥90%", "92.3%", "1870.02万元", "≤620.23万元", "3万",
                                        "有所提升", "0", "-4.5", "121", "1,234", "约5人"};
    switch (rnd(5)) {
    case 0: return val_missing();
    case 1: return val_text(text());
    case 2: return val_num(dec_make((int64_t)rnd(2000000) - 1000000, (int)rnd(6)));
    default: {
        const char *s = cells[rnd(sizeof cells / sizeof *cells)];
        TlValue v;
        const char *err;
        if (!cell_parse(a, s, strlen(s), &v, &err))
            fail_msg("cell_parse(%s): %s", s, err);
        return v;
    }
    }
}

static TlValue points(void)
{
    switch (rnd(6)) {
    case 0: return val_missing();
    case 1: return val_text(text());
    default: return val_num(dec_make((int64_t)rnd(200000000) - 1000000, (int)rnd(12)));
    }
}

static DataPos place(void)
{
    static char longfile[700];
    if (!longfile[0])
        memset(longfile, 'f', sizeof longfile - 1);
    static const char *const files[] = {"long30k.csv", "data/t.csv", "a,b.csv", "-5", "=x.csv", "", longfile};
    DataPos p = {files[rnd(sizeof files / sizeof *files)], (int)rnd(3) == 0 ? 0 : (int)rnd(100000), NULL, NULL};
    if (rnd(8) == 0)
        p.file = NULL;
    if (rnd(10) == 0)
        p.where = text();
    return p;
}

static void random_report(Arena *a, ReportResult *r, Report *rep, int nind, int nfind)
{
    memset(r, 0, sizeof *r);
    memset(rep, 0, sizeof *rep);
    static const char *const kinds_names[] = {"培训人数", "政策知晓率", "x,y", "", "say \"hi\""};
    r->id = rnd(10) == 0 ? NULL : text();
    r->report = rnd(5) == 0 ? NULL : rep;
    rep->pos = place();
    rep->total_pos = place();
    rep->year = rnd(2) ? 2024 : 0;
    if (rnd(12) == 0)
        r->error = text();
    r->nind = nind;
    r->ind = arena_alloc(a, (size_t)(nind ? nind : 1) * sizeof *r->ind);
    memset(r->ind, 0, (size_t)(nind ? nind : 1) * sizeof *r->ind);
    for (int i = 0; i < nind; i++) {
        ScoredIndicator *si = &r->ind[i];
        /* names from a few, so that several rows share one */
        si->name = rnd(8) == 0 ? NULL : rnd(2) ? kinds_names[rnd(5)] : text();
        si->level1 = text_or_null();
        si->level2 = text_or_null();
        si->from_table = rnd(4) != 0;
        si->method = text_or_null();
        si->why = text_or_null();
        si->formula = text_or_null();
        si->branch = rnd(3) ? "target met: full marks" : NULL;
        si->eval.target = value(a);
        si->eval.value = value(a);
        si->eval.weight = points();
        si->eval.score = points();
        si->eval.reported = points();
        si->pos = place();
        si->unverified = rnd(6) == 0;
        si->unverified_why = text_or_null();
        si->lo = points();
        si->hi = points();
        int nl = (int)rnd(3);
        const char **lines = arena_alloc(a, 3 * sizeof *lines);
        for (int k = 0; k < nl; k++)
            lines[k] = text_or_null();
        si->explain = (Explain){lines, nl, 3};
    }
    r->ngroups = (int)rnd(4);
    r->groups = arena_alloc(a, 4 * sizeof *r->groups);
    for (int g = 0; g < r->ngroups; g++)
        r->groups[g] = (ScoredGroup){text_or_null(), (int)rnd(3), dec_make((int64_t)rnd(10000) - 100, (int)rnd(3)),
                                     points(), points(), points(), rnd(2)};
    r->nchecks = (int)rnd(3);
    r->checks = arena_alloc(a, 3 * sizeof *r->checks);
    for (int c = 0; c < r->nchecks; c++)
        r->checks[c] = (ScoredCheck){text_or_null(), (int)rnd(3) - 1, value(a), value(a)};
    r->total = points();
    r->total_min = rnd(2) ? points() : val_missing();
    r->total_max = points();
    r->max_total = points();
    r->stated_total = points();
    r->nunverified = (int)rnd(3);
    r->unverified_weight = points();
    r->grade = text_or_null();
    r->grade_min = text_or_null();
    r->grade_max = text_or_null();
    r->reported_sum = points();
    r->stated_grade = text_or_null();
    findings_init(&r->findings, a);
    for (int k = 0; k < nfind; k++) {
        const char *subject;
        switch (rnd(4)) {
        case 0: subject = nind ? r->ind[rnd((unsigned)nind)].name : NULL; break; /* the same pointer */
        case 1: subject = kinds_names[rnd(5)]; break;
        case 2: subject = rnd(2) ? NULL : "总分"; break;
        default: subject = text(); break;
        }
        findings_add(&r->findings, (FindingKind)rnd(F_KIND_COUNT), subject, NULL, (Span){0, 0}, "%s",
                     rnd(5) ? text() : "");
    }
}

#endif
