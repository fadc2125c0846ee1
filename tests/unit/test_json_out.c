/* test_json_out.c - the JSON writer (runtime/output/json.c, outbuf.c)
 * against the writer as it was before issue 16 wrote it through a buffer
 * (stdio, fprintf per member, every string escaped a character at a time),
 * on random reports (out_random.h): control bytes, quotes, backslashes,
 * invalid UTF-8, long strings. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/base/text.h"
#include "runtime/output/formats.h" /* the helpers the writers share */

static const char *ref_json_escape(unsigned char c, char buf[8]);

/* out_escaped() with JSON's escapes, as it was. */
static void ref_escaped(FILE *f, const char *s)
{
    size_t n = strlen(s);
    char buf[8];
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            uint32_t cp;
            int k = utf8_decode(s + i, n - i, &cp);
            if (k == 0) {
                fputs("\\ufffd", f);
                i++;
            } else {
                fwrite(s + i, 1, (size_t)k, f);
                i += (size_t)k;
            }
            continue;
        }
        i++;
        const char *as = ref_json_escape(c, buf);
        if (as)
            fputs(as, f);
        else
            putc(c, f);
    }
}

/* A JSON string's ASCII byte as JSON writes it (out_escaped). */
static const char *ref_json_escape(unsigned char c, char buf[8])
{
    switch (c) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    default:
        if (c >= 0x20)
            return NULL;
        snprintf(buf, 8, "\\u%04x", c);
        return buf;
    }
}

/* The characters of a JSON string, escaped; invalid UTF-8 becomes U+FFFD. */
static void ref_json_chars(FILE *f, const char *s) { ref_escaped(f, s); }

static void ref_out_json_str(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    putc('"', f);
    ref_json_chars(f, s);
    putc('"', f);
}

/* Points as an exact JSON number; null when missing; a string for a non-number. */
static void ref_json_points(FILE *f, const TlValue *v)
{
    char buf[VAL_BUF];
    if (v->kind == TL_NUM)
        fputs(out_points_text(v, buf), f);
    else
        ref_out_json_str(f, out_value_text(v, buf));
}

/* A value as written, as a string; null when missing. */
static void ref_json_value(FILE *f, const TlValue *v)
{
    char buf[VAL_BUF];
    ref_out_json_str(f, out_value_text(v, buf));
}

/* Members of one object, separated by `sep`. */
typedef struct ref_JsonObj {
    FILE *f;
    const char *sep;
    bool first;
} ref_JsonObj;

static void ref_json_key(ref_JsonObj *j, const char *key)
{
    fprintf(j->f, "%s\"%s\": ", j->first ? "" : j->sep, key);
    j->first = false;
}

static void ref_member_str(ref_JsonObj *j, const char *key, const char *s)
{
    ref_json_key(j, key);
    ref_out_json_str(j->f, s);
}

static void ref_member_points(ref_JsonObj *j, const char *key, const TlValue *v)
{
    ref_json_key(j, key);
    ref_json_points(j->f, v);
}

static void ref_member_value(ref_JsonObj *j, const char *key, const TlValue *v)
{
    ref_json_key(j, key);
    ref_json_value(j->f, v);
}

/* A literal: true, false, null or a number already formatted. */
static void ref_member_raw(ref_JsonObj *j, const char *key, const char *text)
{
    ref_json_key(j, key);
    fputs(text, j->f);
}

/* Open the array member `key` of n items; items are separated by ref_json_item. */
static void ref_json_array(ref_JsonObj *j, const char *key, int n)
{
    ref_json_key(j, key);
    fputs(n ? "[\n      " : "[", j->f);
}

static void ref_json_item(FILE *f, int i)
{
    if (i > 0)
        fputs(",\n      ", f);
}

static void ref_json_array_end(FILE *f, int n)
{
    fputs(n ? "\n    ]" : "]", f);
}

static const char *ref_json_bool(bool b) { return b ? "true" : "false"; }
static const char *ref_nonempty_or_null(const char *s) { return out_nonempty(s) ? s : NULL; }

static void ref_json_indicator(const Output *o, const ScoredIndicator *si)
{
    FILE *f = o->f;
    const ScoreEval *e = &si->eval;
    ref_JsonObj j = {f, ", ", true};
    putc('{', f);
    ref_member_str(&j, "level1", out_or_empty(si->level1));
    ref_member_str(&j, "level2", out_or_empty(si->level2));
    ref_member_str(&j, "name", out_or_empty(si->name));
    ref_member_raw(&j, "from_table", ref_json_bool(si->from_table));
    ref_member_value(&j, "target", &e->target);
    ref_member_value(&j, "value", &e->value);
    ref_member_points(&j, "weight", &e->weight);
    ref_member_points(&j, "score", &e->score);
    ref_member_points(&j, "raw", &e->raw);
    ref_member_points(&j, "reported", &e->reported);
    ref_member_raw(&j, "clamped", ref_json_bool(e->clamped));
    ref_member_raw(&j, "unverified", ref_json_bool(si->unverified));
    ref_member_str(&j, "unverified_why", si->unverified ? si->unverified_why : NULL);
    ref_member_str(&j, "method", ref_nonempty_or_null(si->method));
    ref_member_str(&j, "why", ref_nonempty_or_null(si->why));
    ref_member_str(&j, "branch", si->branch ? _(si->branch) : NULL);
    ref_member_str(&j, "formula", ref_nonempty_or_null(si->formula));
    char place[512];
    ref_member_str(&j, "row", si->from_table ? pos_place(&si->pos, place, sizeof place) : NULL);
    if (o->explain) {
        ref_json_key(&j, "explain");
        putc('[', f);
        for (int i = 0; i < si->explain.len; i++) {
            if (i)
                fputs(", ", f);
            ref_out_json_str(f, out_or_empty(si->explain.lines[i]));
        }
        putc(']', f);
    }
    putc('}', f);
}

static void ref_json_group(FILE *f, const ScoredGroup *g)
{
    char buf[DEC_BUF], depth[16];
    ref_JsonObj j = {f, ", ", true};
    snprintf(depth, sizeof depth, "%d", g->depth);
    putc('{', f);
    ref_member_str(&j, "name", out_or_empty(g->name));
    ref_member_raw(&j, "depth", depth);
    ref_member_raw(&j, "weight", out_dec_text(g->weight, buf));
    ref_member_points(&j, "rows_weight", &g->rows_weight);
    ref_member_points(&j, "subtotal", &g->subtotal);
    ref_member_points(&j, "reported", &g->reported);
    putc('}', f);
}

static void ref_json_check(FILE *f, const ScoredCheck *c)
{
    ref_JsonObj j = {f, ", ", true};
    putc('{', f);
    ref_member_str(&j, "name", out_or_empty(c->name));
    ref_member_raw(&j, "passed", c->result > 0 ? "true" : c->result == 0 ? "false" : "null");
    ref_member_value(&j, "lhs", &c->lhs);
    ref_member_value(&j, "rhs", &c->rhs);
    putc('}', f);
}

static void ref_json_finding(FILE *f, const Finding *fi)
{
    const FindingInfo *info = finding_info(fi->kind);
    char rule[512];
    ref_JsonObj j = {f, ", ", true};
    putc('{', f);
    ref_member_str(&j, "kind", info->code);
    ref_member_str(&j, "severity", out_severity_name[info->severity]);
    ref_member_str(&j, "subject", out_or_empty(fi->subject));
    ref_member_str(&j, "message", out_or_empty(fi->message));
    ref_member_str(&j, "rule", out_rule_text(fi, rule, sizeof rule));
    ref_member_str(&j, "row", fi->where);
    putc('}', f);
}

static void ref_out_json_report(const Output *o, const ReportResult *r)
{
    FILE *f = o->f;
    fputs(o->count > 1 ? ",\n  {\n    " : "\n  {\n    ", f);
    ref_JsonObj j = {f, ",\n    ", true};
    ref_member_str(&j, "report", out_or_empty(r->id));
    ref_member_str(&j, "error", r->error);
    if (o->versions) {
        char year[16];
        snprintf(year, sizeof year, "%d", r->report ? r->report->year : 0);
        ref_member_str(&j, "version", r->error ? NULL : o->version);
        ref_member_raw(&j, "year", r->report && r->report->year ? year : "null");
    }
    ref_member_points(&j, "total", &r->total);
    bool ranged = r->total_min.kind == TL_NUM; /* else no range was computed: the total */
    ref_member_points(&j, "total_min", ranged ? &r->total_min : &r->total);
    ref_member_points(&j, "total_max", ranged ? &r->total_max : &r->total);
    ref_member_points(&j, "max", &r->max_total);
    ref_member_points(&j, "stated_total", &r->stated_total);
    ref_member_points(&j, "reported_sum", &r->reported_sum);
    ref_member_str(&j, "grade", r->grade);
    ref_member_str(&j, "grade_min", r->error ? NULL : ranged ? r->grade_min : r->grade);
    ref_member_str(&j, "grade_max", r->error ? NULL : ranged ? r->grade_max : r->grade);
    ref_member_str(&j, "stated_grade", r->stated_grade);
    int nunv = r->error ? 0 : r->nunverified;
    ref_json_array(&j, "unverified", nunv);
    for (int i = 0, k = 0; i < r->nind && k < nunv; i++) {
        const ScoredIndicator *si = &r->ind[i];
        if (!si->unverified)
            continue;
        ref_json_item(f, k++);
        ref_JsonObj u = {f, ", ", true};
        putc('{', f);
        ref_member_str(&u, "subject", out_or_empty(si->name));
        ref_member_points(&u, "weight", &si->eval.weight);
        ref_member_str(&u, "why", si->unverified_why);
        ref_member_points(&u, "counts_min", &si->lo);
        ref_member_points(&u, "counts_max", &si->hi);
        putc('}', f);
    }
    ref_json_array_end(f, nunv);
    int nind = r->error ? 0 : r->nind, ngroups = r->error ? 0 : r->ngroups;
    int nchecks = r->error ? 0 : r->nchecks, nfind = (int)r->findings.len;
    ref_json_array(&j, "indicators", nind);
    for (int i = 0; i < nind; i++) {
        ref_json_item(f, i);
        ref_json_indicator(o, &r->ind[i]);
    }
    ref_json_array_end(f, nind);
    ref_json_array(&j, "groups", ngroups);
    for (int i = 0; i < ngroups; i++) {
        ref_json_item(f, i);
        ref_json_group(f, &r->groups[i]);
    }
    ref_json_array_end(f, ngroups);
    ref_json_array(&j, "checks", nchecks);
    for (int i = 0; i < nchecks; i++) {
        ref_json_item(f, i);
        ref_json_check(f, &r->checks[i]);
    }
    ref_json_array_end(f, nchecks);
    ref_json_array(&j, "findings", nfind);
    for (int i = 0; i < nfind; i++) {
        ref_json_item(f, i);
        ref_json_finding(f, &r->findings.items[i]);
    }
    ref_json_array_end(f, nfind);
    fputs("\n  }", f);
}

#include "out_random.h"

static char *render(const Output *proto, const ReportResult *r, int n, bool reference, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    Output o = *proto;
    o.f = f;
    for (int i = 0; i < n; i++) {
        if (reference) {
            o.count++; /* as output_report() counts it before writing */
            ref_out_json_report(&o, &r[i]);
        } else {
            output_report(&o, &r[i]);
        }
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
        fail_msg("JSON differs at byte %zu of %zu/%zu: want \"%.60s\", got \"%.60s\"", at, la, lb, want + at,
                 got + at);
    free(want);
    free(got);
}

static void test_json_random(void **state)
{
    (void)state;
    memset(huge, 'h', sizeof huge - 1);
    huge[20000] = '"';
    Arena a;
    arena_init(&a);
    enum { N = 300 };
    ReportResult *r = calloc(N, sizeof *r);
    Report *rep = calloc(N, sizeof *rep);
    for (int i = 0; i < N; i++) {
        int nind = i % 50 == 7 ? 130 : (int)rnd(30);
        int nfind = i % 50 == 7 ? 150 : (int)rnd(8);
        random_report(&a, &r[i], &rep[i], nind, nfind);
    }
    for (int mode = 0; mode < 4; mode++) {
        Output o = {0};
        o.fmt = OUT_JSON;
        o.explain = mode & 1;
        o.versions = mode & 2;
        o.version = "rules/v2024.tally";
        compare(&o, r, N);
    }
    /* out_json_str, as diff.c and summary.c write strings */
    for (size_t i = 0; i < NTEXTS; i++) {
        char *x = NULL, *y = NULL;
        size_t lx, ly;
        FILE *fx = open_memstream(&x, &lx), *fy = open_memstream(&y, &ly);
        ref_out_json_str(fx, texts[i]);
        out_json_str(fy, texts[i]);
        fclose(fx);
        fclose(fy);
        assert_string_equal(y, x);
        free(x);
        free(y);
    }
    for (int i = 0; i < N; i++)
        findings_free(&r[i].findings);
    free(r);
    free(rep);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
