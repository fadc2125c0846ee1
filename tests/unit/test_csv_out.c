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

#include "out_random.h"

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
