/* csv.c - the CSV format (docs/output.md): one line per indicator, group,
 * total and check, RFC 4180 quoting. */
#include "formats.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lang/base/arena.h"
#include "lang/base/strbuf.h"
#include "outbuf.h"

/* strcmp(a, b) == 0, deciding most pairs inline: the same pointer (a
 * finding's subject is its indicator's name), or a difference in the first
 * three bytes (a name's first character). */
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

/* Which rows each finding of a report is about, found once per report
 * (issue 16: finding_about() compared every finding with every row's name
 * for each of three fields, and with every name again for the total row).
 * Finding f is about indicator i when its subject ("" for none) is i's name
 * ("" for none), and about the total row when no indicator has its subject
 * for a name: bit i of rows[f * words], and none[f]. */
typedef struct CsvAbout {
    size_t nfind, words;
    uint64_t *rows;
    bool *none;
    uint64_t rows_in[512];
    bool none_in[128];
} CsvAbout;

static void about_init(CsvAbout *a, const ReportResult *r)
{
    size_t nf = r->findings.len, nind = r->nind > 0 ? (size_t)r->nind : 0;
    a->nfind = nf;
    a->words = (nind + 63) / 64;
    a->rows = nf * a->words <= sizeof a->rows_in / sizeof *a->rows_in ? a->rows_in
                                                                      : xcalloc(nf * a->words, sizeof *a->rows);
    a->none = nf <= sizeof a->none_in ? a->none_in : xcalloc(nf, sizeof *a->none);
    for (size_t f = 0; f < nf; f++) {
        const char *s = out_or_empty(r->findings.items[f].subject);
        uint64_t *bits = a->rows + f * a->words;
        bool named = false;
        memset(bits, 0, a->words * sizeof *bits);
        for (size_t i = 0; i < nind; i++) {
            const char *name = r->ind[i].name;
            if (same_text(out_or_empty(name), s)) {
                bits[i / 64] |= (uint64_t)1 << (i % 64);
                named |= name != NULL;
            }
        }
        a->none[f] = !named;
    }
}

static void about_free(CsvAbout *a)
{
    if (a->rows != a->rows_in)
        free(a->rows);
    if (a->none != a->none_in)
        free(a->none);
}

/* Is finding f about indicator `row` (-1: about no indicator, the total)? */
static inline bool about(const CsvAbout *a, size_t f, int row)
{
    if (row < 0)
        return a->none[f];
    return (a->rows[f * a->words + (size_t)row / 64] >> (row % 64)) & 1;
}

void out_csv_header(const Output *o)
{
    fputs("report,level1,level2,indicator,target,value,weight,score,reported,method,branch,findings,"
          "messages,row,score_min,score_max,unverified", o->f);
    fputs(o->explain ? ",why,formula,explain" : "", o->f);
    fputs(o->versions ? ",version,year\r\n" : "\r\n", o->f);
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

/* The first bytes of what Excel may take for a formula. */
static const unsigned char csv_formula_start[256] = {['='] = 1, ['+'] = 1, ['-'] = 1, ['@'] = 1,
                                                     ['\t'] = 1, ['\r'] = 1};

/* For Excel, a field Excel would take for a formula (starting with = + - @,
 * a tab or CR, and not a plain number) starts with an apostrophe instead. */
static bool csv_guarded(const Output *o, const char *prefix, const char *s)
{
    const char *first = *prefix ? prefix : s;
    return o->excel && csv_formula_start[(unsigned char)*first] && !csv_numeric(first);
}

/* The n bytes of s inside quotes, each quote doubled. */
static void csv_quoted_chars(OutBuf *b, const char *s, size_t n)
{
    const char *end = s + n, *q;
    while ((q = memchr(s, '"', (size_t)(end - s))) != NULL) {
        outbuf_write(b, s, (size_t)(q + 1 - s));
        outbuf_byte(b, '"');
        s = q + 1;
    }
    outbuf_write(b, s, (size_t)(end - s));
}

static bool csv_plain(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
            return false;
    return true;
}

/* One RFC 4180 field holding prefix and s: quoted when it holds a comma, a
 * quote, CR or LF; NULL is an empty field.  The general way, for what the
 * fast ones below do not take. */
static void csv_field_prefixed(OutBuf *b, const Output *o, const char *prefix, const char *s)
{
    if (!s)
        return;
    bool guard = csv_guarded(o, prefix, s);
    size_t np = strlen(prefix), ns = strlen(s);
    if (csv_plain(prefix, np) && csv_plain(s, ns)) {
        if (guard)
            outbuf_byte(b, '\'');
        outbuf_write(b, prefix, np);
        outbuf_write(b, s, ns);
        return;
    }
    outbuf_byte(b, '"');
    if (guard)
        outbuf_byte(b, '\'');
    csv_quoted_chars(b, prefix, np);
    csv_quoted_chars(b, s, ns);
    outbuf_byte(b, '"');
}

/* A field of the n bytes of s (NUL-terminated): scanned and copied in one
 * pass when it needs neither quotes nor a guard. */
static void csv_text(OutBuf *b, const Output *o, const char *s, size_t n)
{
    if (!(o->excel && csv_formula_start[(unsigned char)*s]) && outbuf_csv_plain(b, s, n))
        return;
    csv_field_prefixed(b, o, "", s);
}

static void csv_field(OutBuf *b, const Output *o, const char *s)
{
    if (s)
        csv_text(b, o, s, strlen(s));
}

void out_csv_field(const Output *o, const char *s)
{
    char mem[2 * OUTBUF_RESERVE];
    OutBuf b;
    outbuf_init(&b, o->f, mem, sizeof mem);
    csv_field(&b, o, s);
    outbuf_flush(&b);
}

/* A text that recurs from row to row (the report's id, its labels, the
 * method and branch, the data file): measured and checked once while it
 * stays the same pointer. */
typedef struct CsvSeen {
    const char *s;
    size_t n;
    bool plain; /* needs neither quotes nor a guard */
} CsvSeen;

static void csv_seen(OutBuf *b, const Output *o, CsvSeen *c, const char *s)
{
    if (s == c->s && c->plain) {
        outbuf_write(b, s, c->n);
        return;
    }
    if (s != c->s) {
        c->s = s;
        c->n = strlen(s);
    }
    /* a new text checked as it is copied (csv_text) */
    c->plain = !(o->excel && csv_formula_start[(unsigned char)*s]) && outbuf_csv_plain(b, s, c->n);
    if (!c->plain)
        csv_field_prefixed(b, o, "", s);
}

/* Points: a number as its exact decimal (digits, a sign and a point: never
 * quoted nor guarded), written in place; anything else as written. */
static void csv_points(OutBuf *b, const Output *o, const TlValue *v)
{
    if (v->kind == TL_NUM) {
        char *p = outbuf_room(b, DEC_BUF);
        b->p = p + dec_format_trim(v->u.num, OUT_PLACES, p);
        return;
    }
    char buf[VAL_BUF];
    csv_field(b, o, out_value_text(v, buf));
}

/* A value as written ("15人", "≥90%", a text); missing is empty. */
static void csv_value(OutBuf *b, const Output *o, const TlValue *v)
{
    if (v->kind == TL_MISSING)
        return;
    if (v->kind == TL_TEXT) {
        csv_field(b, o, v->u.text ? v->u.text : "");
        return;
    }
    char buf[VAL_BUF];
    int n = val_format(v, buf);
    csv_text(b, o, buf, (size_t)n);
}

/* The `row` field: the place of a row, FILE:LINE as pos_place() writes it. */
static void csv_place(OutBuf *b, const Output *o, CsvSeen *file, const DataPos *pos)
{
    char place[512];
    if (!pos->where && pos->file && pos->line > 0 && !o->excel) {
        if (pos->file != file->s) {
            file->s = pos->file;
            file->n = strlen(pos->file);
            file->plain = csv_plain(pos->file, file->n);
        }
        /* pos_place() cuts what does not fit in its buffer */
        if (file->plain && file->n + 16 < sizeof place) {
            outbuf_write(b, file->s, file->n);
            outbuf_byte(b, ':');
            outbuf_int(b, pos->line);
            return;
        }
    }
    csv_field(b, o, pos_place(pos, place, sizeof place));
}

/* The distinct codes of the findings about `row` (-1: about no indicator),
 * ';'-separated, in order of first appearance. */
static void csv_codes(OutBuf *b, const ReportResult *r, const CsvAbout *a, int row)
{
    const Finding *items = r->findings.items;
    bool first = true;
    for (size_t i = 0; i < a->nfind; i++) {
        if (!about(a, i, row))
            continue;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = items[j].kind == items[i].kind && about(a, j, row);
        if (seen)
            continue;
        if (!first)
            outbuf_byte(b, ';');
        first = false;
        outbuf_puts(b, finding_info(items[i].kind)->code);
    }
}

/* The `messages` field: each finding about `row` (-1: about no indicator)
 * on a line of its own, "SUBJECT: MESSAGE", in the order raised. */
static void csv_messages(OutBuf *b, const Output *o, const ReportResult *r, const CsvAbout *a, int row)
{
    size_t k = 0;
    while (k < a->nfind && !about(a, k, row))
        k++;
    if (k == a->nfind) /* none: an empty field */
        return;
    char small[512];
    StrBuf t;
    strbuf_init_in(&t, small, sizeof small);
    bool first = true;
    for (size_t i = k; i < a->nfind; i++) {
        const Finding *fi = &r->findings.items[i];
        if (!about(a, i, row))
            continue;
        if (!first)
            strbuf_add(&t, "\n", 1);
        first = false;
        if (out_nonempty(fi->subject)) {
            strbuf_adds(&t, fi->subject);
            strbuf_adds(&t, _(": "));
        }
        strbuf_adds(&t, out_or_empty(fi->message));
    }
    csv_text(b, o, strbuf_str(&t), t.len);
    strbuf_free(&t);
}

/* The `score_min`, `score_max` and `unverified` fields, each after a comma:
 * what an indicator (si) or the report's total counts for, and why not
 * verified (docs/output.md). */
static void csv_range(OutBuf *b, const Output *o, const ReportResult *r, const ScoredIndicator *si)
{
    if (r->error) {
        outbuf_write(b, ",,,", 3);
        return;
    }
    const TlValue *lo, *hi;
    if (si) {
        lo = si->unverified ? &si->lo : &si->eval.score;
        hi = si->unverified ? &si->hi : &si->eval.score;
    } else {
        out_total_range(r, &lo, &hi);
    }
    outbuf_byte(b, ',');
    csv_points(b, o, lo);
    outbuf_byte(b, ',');
    csv_points(b, o, hi);
    outbuf_byte(b, ',');
    if (si) {
        csv_field(b, o, si->unverified ? si->unverified_why : NULL);
    } else if (r->nunverified) {
        char what[VAL_BUF + 64], w[VAL_BUF];
        snprintf(what, sizeof what, "%d indicator%s, %s points", r->nunverified,
                 r->nunverified == 1 ? "" : "s",
                 out_or_empty(out_points_text(&r->unverified_weight, w)));
        csv_field(b, o, what);
    }
}

/* With --explain: the `why`, `formula` and `explain` fields, each after a comma. */
static void csv_explain(OutBuf *b, const Output *o, const ScoredIndicator *si)
{
    if (!o->explain)
        return;
    outbuf_byte(b, ',');
    if (!si) {
        outbuf_write(b, ",,", 2);
        return;
    }
    csv_field(b, o, si->why);
    outbuf_byte(b, ',');
    csv_field(b, o, si->formula);
    outbuf_byte(b, ',');
    char small[512];
    StrBuf t;
    strbuf_init_in(&t, small, sizeof small);
    for (int i = 0; i < si->explain.len; i++) {
        if (i)
            strbuf_add(&t, "\n", 1);
        strbuf_adds(&t, out_or_empty(si->explain.lines[i]));
    }
    csv_text(b, o, strbuf_str(&t), t.len);
    strbuf_free(&t);
}

/* With versions by year: which version scored the report, and its year;
 * each after a comma. */
static void csv_version(OutBuf *b, const Output *o, const ReportResult *r)
{
    if (!o->versions)
        return;
    outbuf_byte(b, ',');
    csv_field(b, o, r->error ? NULL : o->version);
    outbuf_byte(b, ',');
    if (r->report && r->report->year)
        outbuf_int(b, r->report->year);
}

static void csv_error_report(OutBuf *b, const Output *o, const ReportResult *r)
{
    char place[512];
    csv_field(b, o, out_or_empty(r->id));
    outbuf_write(b, ",,,,,,,,,,,", 11);
    csv_field_prefixed(b, o, "ERROR: ", r->error);
    outbuf_write(b, ",,", 2);
    csv_field(b, o, r->report ? pos_place(&r->report->pos, place, sizeof place) : NULL);
    csv_range(b, o, r, NULL);
    csv_explain(b, o, NULL);
    csv_version(b, o, r);
    outbuf_write(b, "\r\n", 2);
}

/* The report's lines built in a buffer and written to o->f in a few large
 * writes (outbuf.h). */
void out_csv_report(const Output *o, const ReportResult *r)
{
    char mem[OUTBUF_STACK];
    OutBuf b;
    outbuf_init(&b, o->f, mem, sizeof mem);
    if (r->error) {
        csv_error_report(&b, o, r);
        outbuf_flush(&b);
        return;
    }
    CsvAbout a;
    about_init(&a, r);
    CsvSeen id = {0}, level1 = {0}, level2 = {0}, method = {0}, branch = {0}, file = {0};
    const char *rid = out_or_empty(r->id);
    for (int i = 0; i < r->nind; i++) {
        const ScoredIndicator *si = &r->ind[i];
        const ScoreEval *e = &si->eval;
        csv_seen(&b, o, &id, rid);
        outbuf_byte(&b, ',');
        csv_seen(&b, o, &level1, out_or_empty(si->level1));
        outbuf_byte(&b, ',');
        csv_seen(&b, o, &level2, out_or_empty(si->level2));
        outbuf_byte(&b, ',');
        csv_field(&b, o, out_or_empty(si->name));
        outbuf_byte(&b, ',');
        csv_value(&b, o, &e->target);
        outbuf_byte(&b, ',');
        csv_value(&b, o, &e->value);
        outbuf_byte(&b, ',');
        csv_points(&b, o, &e->weight);
        outbuf_byte(&b, ',');
        csv_points(&b, o, &e->score);
        outbuf_byte(&b, ',');
        csv_points(&b, o, &e->reported);
        outbuf_byte(&b, ',');
        csv_seen(&b, o, &method, out_or_empty(si->method));
        outbuf_byte(&b, ',');
        csv_seen(&b, o, &branch, si->branch ? _(si->branch) : "");
        outbuf_byte(&b, ',');
        csv_codes(&b, r, &a, i);
        outbuf_byte(&b, ',');
        csv_messages(&b, o, r, &a, i);
        outbuf_byte(&b, ',');
        if (si->from_table)
            csv_place(&b, o, &file, &si->pos);
        csv_range(&b, o, r, si);
        csv_explain(&b, o, si);
        csv_version(&b, o, r);
        outbuf_write(&b, "\r\n", 2);
    }
    char place[512];
    csv_seen(&b, o, &id, rid);
    outbuf_write(&b, ",总分,,总分,", sizeof ",总分,,总分," - 1);
    csv_field(&b, o, r->stated_grade);
    outbuf_byte(&b, ',');
    csv_field(&b, o, r->grade);
    outbuf_byte(&b, ',');
    csv_points(&b, o, &r->max_total);
    outbuf_byte(&b, ',');
    csv_points(&b, o, &r->total);
    outbuf_byte(&b, ',');
    csv_points(&b, o, &r->stated_total);
    outbuf_write(&b, ",,,", 3);
    csv_codes(&b, r, &a, -1);
    outbuf_byte(&b, ',');
    csv_messages(&b, o, r, &a, -1);
    outbuf_byte(&b, ',');
    csv_field(&b, o, r->report ? pos_place(&r->report->total_pos, place, sizeof place) : NULL);
    csv_range(&b, o, r, NULL);
    csv_explain(&b, o, NULL);
    csv_version(&b, o, r);
    outbuf_write(&b, "\r\n", 2);
    about_free(&a);
    outbuf_flush(&b);
}

/* --totals ------------------------------------------------------------------ */

void out_csv_totals_header(const Output *o)
{
    fputs("report,row,stated_total,total,score_min,score_max,max,reported_sum,grade,stated_grade,"
          "errors,warnings,findings,error", o->f);
    fputs(o->versions ? ",version,year\r\n" : "\r\n", o->f);
}

/* One line per report: its totals as the total row of the full CSV has
 * them, but `total` only when it is known (no range: else it is empty and
 * score_min and score_max say where it lies), and its findings counted. */
void out_csv_totals(const Output *o, const ReportResult *r)
{
    char mem[2 * OUTBUF_RESERVE + 2048];
    OutBuf b;
    outbuf_init(&b, o->f, mem, sizeof mem);
    char place[512];
    csv_field(&b, o, out_or_empty(r->id));
    outbuf_byte(&b, ',');
    csv_field(&b, o, r->report ? pos_place(&r->report->pos, place, sizeof place) : NULL);
    if (r->error) {
        outbuf_write(&b, ",,,,,,,,", 8);
    } else {
        const TlValue *lo, *hi;
        out_total_range(r, &lo, &hi);
        outbuf_byte(&b, ',');
        csv_points(&b, o, &r->stated_total);
        outbuf_byte(&b, ',');
        if (!out_is_range(lo, hi))
            csv_points(&b, o, &r->total);
        outbuf_byte(&b, ',');
        csv_points(&b, o, lo);
        outbuf_byte(&b, ',');
        csv_points(&b, o, hi);
        outbuf_byte(&b, ',');
        csv_points(&b, o, &r->max_total);
        outbuf_byte(&b, ',');
        csv_points(&b, o, &r->reported_sum);
        outbuf_byte(&b, ',');
        csv_field(&b, o, r->grade);
        outbuf_byte(&b, ',');
        csv_field(&b, o, r->stated_grade);
    }
    const char *codes[F_KIND_COUNT];
    int errors, warnings, ncodes;
    out_finding_counts(r, &errors, &warnings, codes, &ncodes);
    outbuf_byte(&b, ',');
    outbuf_int(&b, errors);
    outbuf_byte(&b, ',');
    outbuf_int(&b, warnings);
    outbuf_byte(&b, ',');
    for (int i = 0; i < ncodes; i++) {
        if (i)
            outbuf_byte(&b, ';');
        outbuf_puts(&b, codes[i]);
    }
    outbuf_byte(&b, ',');
    csv_field(&b, o, r->error);
    csv_version(&b, o, r);
    outbuf_write(&b, "\r\n", 2);
    outbuf_flush(&b);
}
