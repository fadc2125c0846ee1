/* test_csv_out.c - the CSV writer (runtime/output/csv.c, outbuf.c) against a
 * reference written the plain way: random reports with names, labels,
 * values, places and findings that need quotes, Excel's guard or neither,
 * duplicate names, findings about no row, more than 64 rows and more than
 * 128 findings, fields longer than the writer's buffer. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/output/output.h"

/* The reference: the CSV writer as it was before issue 16 made it fast ---- */

static const char *ref_value_text(const TlValue *v, char *buf)
{
    if (v->kind == TL_MISSING)
        return NULL;
    if (v->kind == TL_TEXT)
        return v->u.text ? v->u.text : "";
    val_format(v, buf);
    return buf;
}

static const char *ref_points_text(const TlValue *v, char *buf)
{
    if (v->kind != TL_NUM)
        return ref_value_text(v, buf);
    dec_format_trim(v->u.num, 10, buf);
    return buf;
}

static bool ref_numeric(const char *s)
{
    if (*s == '+' || *s == '-')
        s++;
    size_t digits = strspn(s, "0123456789");
    if (digits == 0)
        return false;
    s += digits;
    if (*s == '.') {
        size_t frac = strspn(s + 1, "0123456789");
        if (frac == 0)
            return false;
        s += 1 + frac;
    }
    return *s == '\0' || (s[0] == '%' && s[1] == '\0');
}

static void ref_quoted(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
}

static void ref_field_prefixed(FILE *f, bool excel, const char *prefix, const char *s)
{
    if (!s)
        return;
    const char *first = *prefix ? prefix : s;
    bool guard = excel && *first && strchr("=+-@\t\r", *first) && !ref_numeric(first);
    if (!strpbrk(prefix, ",\"\r\n") && !strpbrk(s, ",\"\r\n")) {
        fprintf(f, "%s%s%s", guard ? "'" : "", prefix, s);
        return;
    }
    fprintf(f, "\"%s", guard ? "'" : "");
    ref_quoted(f, prefix);
    ref_quoted(f, s);
    fputc('"', f);
}

static void ref_field(FILE *f, bool excel, const char *s) { ref_field_prefixed(f, excel, "", s); }

static const char *ref_place(const DataPos *pos, char *buf, size_t n)
{
    if (pos->where)
        return pos->where;
    if (!pos->file)
        return NULL;
    if (pos->line > 0)
        snprintf(buf, n, "%s:%d", pos->file, pos->line);
    else
        snprintf(buf, n, "%s", pos->file);
    return buf;
}

static bool ref_about(const ReportResult *r, const Finding *fi, const char *subject)
{
    const char *s = fi->subject ? fi->subject : "";
    if (subject)
        return strcmp(s, subject) == 0;
    for (int i = 0; i < r->nind; i++)
        if (r->ind[i].name && strcmp(r->ind[i].name, s) == 0)
            return false;
    return true;
}

static void ref_findings(FILE *f, bool excel, const ReportResult *r, const char *subject)
{
    const Finding *it = r->findings.items;
    bool first = true;
    for (size_t i = 0; i < r->findings.len; i++) {
        if (!ref_about(r, &it[i], subject))
            continue;
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            seen |= it[j].kind == it[i].kind && ref_about(r, &it[j], subject);
        if (!seen)
            fprintf(f, "%s%s", first ? "" : ";", finding_info(it[i].kind)->code);
        first &= seen;
    }
    fputc(',', f);
    char *msg = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&msg, &len);
    first = true;
    for (size_t i = 0; i < r->findings.len; i++) {
        if (!ref_about(r, &it[i], subject))
            continue;
        fprintf(m, "%s", first ? "" : "\n");
        first = false;
        if (it[i].subject && *it[i].subject)
            fprintf(m, "%s: ", it[i].subject);
        fprintf(m, "%s", it[i].message ? it[i].message : "");
    }
    fclose(m);
    if (len)
        ref_field(f, excel, msg);
    free(msg);
    fputc(',', f);
}

static void ref_tail(FILE *f, const Output *o, const ReportResult *r, const ScoredIndicator *si)
{
    char b[3][VAL_BUF];
    if (r->error) {
        fputs(",,,", f);
    } else {
        bool ranged = r->total_min.kind == TL_NUM;
        const TlValue *lo = si ? (si->unverified ? &si->lo : &si->eval.score) : ranged ? &r->total_min : &r->total;
        const TlValue *hi = si ? (si->unverified ? &si->hi : &si->eval.score) : ranged ? &r->total_max : &r->total;
        fputc(',', f);
        ref_field(f, o->excel, ref_points_text(lo, b[0]));
        fputc(',', f);
        ref_field(f, o->excel, ref_points_text(hi, b[1]));
        fputc(',', f);
        if (si) {
            ref_field(f, o->excel, si->unverified ? si->unverified_why : NULL);
        } else if (r->nunverified) {
            char what[VAL_BUF + 64];
            const char *w = ref_points_text(&r->unverified_weight, b[2]);
            snprintf(what, sizeof what, "%d indicator%s, %s points", r->nunverified,
                     r->nunverified == 1 ? "" : "s", w ? w : "");
            ref_field(f, o->excel, what);
        }
    }
    if (o->explain) {
        fputc(',', f);
        if (!si) {
            fputs(",,", f);
        } else {
            ref_field(f, o->excel, si->why);
            fputc(',', f);
            ref_field(f, o->excel, si->formula);
            fputc(',', f);
            char *buf = NULL;
            size_t len = 0;
            FILE *m = open_memstream(&buf, &len);
            for (int i = 0; i < si->explain.len; i++)
                fprintf(m, "%s%s", i ? "\n" : "", si->explain.lines[i] ? si->explain.lines[i] : "");
            fclose(m);
            ref_field(f, o->excel, buf);
            free(buf);
        }
    }
    if (o->versions) {
        fputc(',', f);
        ref_field(f, o->excel, r->error ? NULL : o->version);
        if (r->report && r->report->year)
            fprintf(f, ",%d", r->report->year);
        else
            fputc(',', f);
    }
    fputs("\r\n", f);
}

static void ref_report(FILE *f, const Output *o, const ReportResult *r)
{
    const char *id = r->id ? r->id : "";
    char place[512], b[5][VAL_BUF];
    if (r->error) {
        ref_field(f, o->excel, id);
        fputs(",,,,,,,,,,,", f);
        ref_field_prefixed(f, o->excel, "ERROR: ", r->error);
        fputs(",,", f);
        ref_field(f, o->excel, r->report ? ref_place(&r->report->pos, place, sizeof place) : NULL);
        ref_tail(f, o, r, NULL);
        return;
    }
    for (int i = 0; i < r->nind; i++) {
        const ScoredIndicator *si = &r->ind[i];
        const char *field[11] = {
            id, si->level1 ? si->level1 : "", si->level2 ? si->level2 : "", si->name ? si->name : "",
            ref_value_text(&si->eval.target, b[0]), ref_value_text(&si->eval.value, b[1]),
            ref_points_text(&si->eval.weight, b[2]), ref_points_text(&si->eval.score, b[3]),
            ref_points_text(&si->eval.reported, b[4]), si->method ? si->method : "",
            si->branch ? si->branch : "",
        };
        for (int k = 0; k < 11; k++) {
            ref_field(f, o->excel, field[k]);
            fputc(',', f);
        }
        ref_findings(f, o->excel, r, si->name ? si->name : "");
        ref_field(f, o->excel, si->from_table ? ref_place(&si->pos, place, sizeof place) : NULL);
        ref_tail(f, o, r, si);
    }
    const char *field[11] = {
        id, "总分", "", "总分", r->stated_grade, r->grade, ref_points_text(&r->max_total, b[0]),
        ref_points_text(&r->total, b[1]), ref_points_text(&r->stated_total, b[2]), "", "",
    };
    for (int k = 0; k < 11; k++) {
        ref_field(f, o->excel, field[k]);
        fputc(',', f);
    }
    ref_findings(f, o->excel, r, NULL);
    ref_field(f, o->excel, r->report ? ref_place(&r->report->total_pos, place, sizeof place) : NULL);
    ref_tail(f, o, r, NULL);
}

/* Random reports -------------------------------------------------------- */

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
    r->total = points();
    r->total_min = rnd(2) ? points() : val_missing();
    r->total_max = points();
    r->max_total = points();
    r->stated_total = points();
    r->nunverified = (int)rnd(3);
    r->unverified_weight = points();
    r->grade = text_or_null();
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

static char *render(const Output *proto, const ReportResult *r, int n, bool reference, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    Output o = *proto;
    o.f = f;
    for (int i = 0; i < n; i++) {
        if (reference)
            ref_report(f, &o, &r[i]);
        else
            output_report(&o, &r[i]);
    }
    fclose(f);
    return buf;
}

static void compare(const Output *proto, const ReportResult *r, int n)
{
    size_t la, lb;
    char *want = render(proto, r, n, true, &la), *got = render(proto, r, n, false, &lb);
    size_t at = 0;
    while (at < la && at < lb && want[at] == got[at])
        at++;
    if (la != lb || at < la)
        fail_msg("CSV differs at byte %zu of %zu/%zu: want \"%.60s\", got \"%.60s\"", at, la, lb, want + at,
                 got + at);
    free(want);
    free(got);
}

static void test_csv_random(void **state)
{
    (void)state;
    memset(huge, 'h', sizeof huge - 1);
    huge[20000] = ',';
    Arena a;
    arena_init(&a);
    enum { N = 400 };
    ReportResult *r = calloc(N, sizeof *r);
    Report *rep = calloc(N, sizeof *rep);
    for (int i = 0; i < N; i++) {
        int nind = i % 50 == 7 ? 130 + (int)rnd(20) : (int)rnd(30);
        int nfind = i % 50 == 7 ? 150 + (int)rnd(100) : (int)rnd(8);
        random_report(&a, &r[i], &rep[i], nind, nfind);
    }
    for (int mode = 0; mode < 8; mode++) {
        Output o = {0};
        o.fmt = OUT_CSV;
        o.excel = mode & 1;
        o.explain = mode & 2;
        o.versions = mode & 4;
        o.version = "rules/v2024.tally";
        compare(&o, r, N);
    }
    for (int i = 0; i < N; i++)
        findings_free(&r[i].findings);
    free(r);
    free(rep);
    arena_free(&a);
}

/* A write that fails is the stream's error, as before: the results are
 * never taken for written. */
static void test_csv_write_error(void **state)
{
    (void)state;
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        skip();
    Arena a;
    arena_init(&a);
    ReportResult r;
    Report rep;
    random_report(&a, &r, &rep, 40, 3);
    r.error = NULL;
    Output o = {0};
    o.f = f;
    o.fmt = OUT_CSV;
    output_report(&o, &r);
    assert_true(fflush(f) != 0 || ferror(f));
    fclose(f);
    findings_free(&r.findings);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_random),
        cmocka_unit_test(test_csv_write_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
