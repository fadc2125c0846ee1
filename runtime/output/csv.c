/* csv.c - the CSV format (docs/output.md): one line per indicator, group,
 * total and check, RFC 4180 quoting. */
#include "formats.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lang/base/memstream.h"
#include "lang/base/strbuf.h"

/* strcmp(a, b) == 0, deciding most pairs inline: the same pointer (a
 * finding's subject is its indicator's name), or a difference in the first
 * three bytes (a name's first character); this is asked for every finding
 * of a report on every row, and a call per pair was 3.5% of a CSV run's
 * scoring thread (issue 16). */
static inline bool same_text(const char *a, const char *b)
{
    if (a == b)
        return true;
    for (int i = 0; i < 3; i++) {
        if (a[i] != b[i])
            return false;
        if (!a[i])
            return true;
    }
    return strcmp(a + 3, b + 3) == 0;
}

static bool names_indicator(const ReportResult *r, const char *s)
{
    for (int i = 0; i < r->nind; i++)
        if (r->ind[i].name && same_text(r->ind[i].name, s))
            return true;
    return false;
}

/* Is the finding about `subject`, or (subject NULL) about no indicator of r? */
static bool finding_about(const ReportResult *r, const Finding *fi, const char *subject)
{
    const char *s = out_or_empty(fi->subject);
    return subject ? same_text(s, subject) : !names_indicator(r, s);
}

void out_csv_header(const Output *o)
{
    fputs("report,level1,level2,indicator,target,value,weight,score,reported,method,branch,findings,"
          "messages,row,score_min,score_max,unverified", o->f);
    fputs(o->explain ? ",why,formula,explain" : "", o->f);
    fputs(o->versions ? ",version,year\r\n" : "\r\n", o->f);
}

/* strpbrk(s, ",\"\r\n") != NULL, inline and by table: the fields are
 * short, and strpbrk's setup cost more than their bytes (issue 16); the
 * table stops at the four and at the terminating NUL in one test a byte. */
static const unsigned char csv_stop[256] = {[0] = 1, [','] = 1, ['"'] = 1, ['\r'] = 1, ['\n'] = 1};

/* The length of s when no byte of it needs quoting, else SIZE_MAX. */
static size_t csv_plain_len(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (!csv_stop[*p])
        p++;
    return *p ? SIZE_MAX : (size_t)(p - (const unsigned char *)s);
}

static void csv_quoted_chars(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '"')
            putc('"', f);
        putc(*s, f);
    }
}

/* Does s read as a plain number to a spreadsheet ("-5", "+0.5", "-19.2%")? */
static bool csv_numeric(const char *s)
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

/* For Excel, a field Excel would take for a formula (starting with = + - @,
 * a tab or CR, and not a plain number) starts with an apostrophe instead. */
static bool csv_guarded(const Output *o, const char *prefix, const char *s)
{
    const char *first = *prefix ? prefix : s;
    return o->excel && *first && strchr("=+-@\t\r", *first) && !csv_numeric(first);
}

/* One RFC 4180 field holding prefix and s: quoted when it holds a comma, a
 * quote, CR or LF; NULL is an empty field. */
static void csv_field_prefixed(const Output *o, const char *prefix, const char *s)
{
    FILE *f = o->f;
    if (!s)
        return;
    const char *guard = csv_guarded(o, prefix, s) ? "'" : "";
    size_t np = csv_plain_len(prefix), ns = np == SIZE_MAX ? np : csv_plain_len(s);
    if (ns != SIZE_MAX) {
        fputs(guard, f);
        out_write(f, prefix, np);
        out_write(f, s, ns);
        return;
    }
    putc('"', f);
    fputs(guard, f);
    csv_quoted_chars(f, prefix);
    csv_quoted_chars(f, s);
    putc('"', f);
}

static void csv_field(const Output *o, const char *s) { csv_field_prefixed(o, "", s); }

void out_csv_field(const Output *o, const char *s) { csv_field(o, s); }

/* The first fields of a line, each followed by a comma. */
static void csv_fields(const Output *o, const char *const *field, int n)
{
    for (int i = 0; i < n; i++) {
        csv_field(o, field[i]);
        putc(',', o->f);
    }
}

/* The distinct codes of the findings about `subject` (NULL: about no
 * indicator), ';'-separated, in order of first appearance. */
static void csv_codes(FILE *f, const ReportResult *r, const char *subject)
{
    const Finding *items = r->findings.items;
    bool first = true;
    for (size_t i = 0; i < r->findings.len; i++) {
        if (!finding_about(r, &items[i], subject))
            continue;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = items[j].kind == items[i].kind && finding_about(r, &items[j], subject);
        if (seen)
            continue;
        if (!first)
            putc(';', f);
        first = false;
        fputs(finding_info(items[i].kind)->code, f);
    }
}

/* The `messages` field: each finding about `subject` (NULL: about no
 * indicator) on a line of its own, "SUBJECT: MESSAGE", in the order raised. */
static void csv_messages(const Output *o, const ReportResult *r, const char *subject)
{
    size_t k = 0;
    while (k < r->findings.len && !finding_about(r, &r->findings.items[k], subject))
        k++;
    if (k == r->findings.len) /* none: an empty field, and no stream to make */
        return;
    /* the text built in a buffer, not a memory stream: open_memstream()
     * zeroes a page-sized buffer each time (issue 16: 13% of the scoring
     * thread's instructions with --format csv) */
    char small[512];
    StrBuf t;
    strbuf_init_in(&t, small, sizeof small);
    bool first = true;
    for (size_t i = 0; i < r->findings.len; i++) {
        const Finding *fi = &r->findings.items[i];
        if (!finding_about(r, fi, subject))
            continue;
        if (!first)
            strbuf_adds(&t, "\n");
        first = false;
        if (out_nonempty(fi->subject)) {
            strbuf_adds(&t, fi->subject);
            strbuf_adds(&t, _(": "));
        }
        strbuf_adds(&t, out_or_empty(fi->message));
    }
    csv_field(o, t.s);
    strbuf_free(&t);
}

/* The `score_min`, `score_max` and `unverified` fields, each after a comma:
 * what an indicator (si) or the report's total counts for, and why not
 * verified (docs/output.md). */
static void csv_range(const Output *o, const ReportResult *r, const ScoredIndicator *si)
{
    FILE *f = o->f;
    char b[3][VAL_BUF];
    if (r->error) {
        fputs(",,,", f);
        return;
    }
    const TlValue *lo, *hi;
    if (si) {
        lo = si->unverified ? &si->lo : &si->eval.score;
        hi = si->unverified ? &si->hi : &si->eval.score;
    } else {
        bool ranged = r->total_min.kind == TL_NUM; /* else no range was computed: the total */
        lo = ranged ? &r->total_min : &r->total;
        hi = ranged ? &r->total_max : &r->total;
    }
    putc(',', f);
    csv_field(o, out_points_text(lo, b[0]));
    putc(',', f);
    csv_field(o, out_points_text(hi, b[1]));
    putc(',', f);
    if (si) {
        csv_field(o, si->unverified ? si->unverified_why : NULL);
    } else if (r->nunverified) {
        char what[VAL_BUF + 64];
        snprintf(what, sizeof what, "%d indicator%s, %s points", r->nunverified,
                 r->nunverified == 1 ? "" : "s",
                 out_or_empty(out_points_text(&r->unverified_weight, b[2])));
        csv_field(o, what);
    }
}

/* With --explain: the `why`, `formula` and `explain` fields, each after a comma. */
static void csv_explain(const Output *o, const ScoredIndicator *si)
{
    if (!o->explain)
        return;
    FILE *f = o->f;
    putc(',', f);
    if (!si) {
        fputs(",,", f);
        return;
    }
    csv_field(o, si->why);
    putc(',', f);
    csv_field(o, si->formula);
    putc(',', f);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = memstream_open(&buf, &len);
    if (!m)
        return;
    for (int i = 0; i < si->explain.len; i++)
        fprintf(m, "%s%s", i ? "\n" : "", out_or_empty(si->explain.lines[i]));
    fclose(m);
    csv_field(o, buf);
    free(buf);
}

/* With versions by year: which version scored the report, and its year;
 * each after a comma. */
static void csv_version(const Output *o, const ReportResult *r)
{
    if (!o->versions)
        return;
    putc(',', o->f);
    csv_field(o, r->error ? NULL : o->version);
    if (r->report && r->report->year)
        fprintf(o->f, ",%d", r->report->year);
    else
        putc(',', o->f);
}

void out_csv_report(const Output *o, const ReportResult *r)
{
    FILE *f = o->f;
    const char *id = out_or_empty(r->id);
    char place[512];
    if (r->error) {
        const char *field[11] = {id};
        csv_fields(o, field, 11);
        csv_field_prefixed(o, "ERROR: ", r->error);
        fputs(",,", f);
        csv_field(o, r->report ? pos_place(&r->report->pos, place, sizeof place) : NULL);
        csv_range(o, r, NULL);
        csv_explain(o, NULL);
        csv_version(o, r);
        fputs("\r\n", f);
        return;
    }
    char b[5][VAL_BUF];
    for (int i = 0; i < r->nind; i++) {
        const ScoredIndicator *si = &r->ind[i];
        const ScoreEval *e = &si->eval;
        const char *field[11] = {
            id,
            out_or_empty(si->level1),
            out_or_empty(si->level2),
            out_or_empty(si->name),
            out_value_text(&e->target, b[0]),
            out_value_text(&e->value, b[1]),
            out_points_text(&e->weight, b[2]),
            out_points_text(&e->score, b[3]),
            out_points_text(&e->reported, b[4]),
            out_or_empty(si->method),
            si->branch ? _(si->branch) : "",
        };
        csv_fields(o, field, 11);
        csv_codes(f, r, out_or_empty(si->name));
        putc(',', f);
        csv_messages(o, r, out_or_empty(si->name));
        putc(',', f);
        csv_field(o, si->from_table ? pos_place(&si->pos, place, sizeof place) : NULL);
        csv_range(o, r, si);
        csv_explain(o, si);
        csv_version(o, r);
        fputs("\r\n", f);
    }
    const char *field[11] = {
        id, "总分", "", "总分", r->stated_grade, r->grade,
        out_points_text(&r->max_total, b[0]),
        out_points_text(&r->total, b[1]),
        out_points_text(&r->stated_total, b[2]),
        "", "",
    };
    csv_fields(o, field, 11);
    csv_codes(f, r, NULL);
    putc(',', f);
    csv_messages(o, r, NULL);
    putc(',', f);
    csv_field(o, r->report ? pos_place(&r->report->total_pos, place, sizeof place) : NULL);
    csv_range(o, r, NULL);
    csv_explain(o, NULL);
    csv_version(o, r);
    fputs("\r\n", f);
}
