/* csv.c - the CSV format (docs/output.md): one line per indicator, group,
 * total and check, RFC 4180 quoting. */
#include "formats.h"

#include <string.h>

static bool names_indicator(const ReportResult *r, const char *s)
{
    for (int i = 0; i < r->nind; i++)
        if (r->ind[i].name && strcmp(r->ind[i].name, s) == 0)
            return true;
    return false;
}

/* Is the finding about `subject`, or (subject NULL) about no indicator of r? */
static bool finding_about(const ReportResult *r, const Finding *fi, const char *subject)
{
    const char *s = out_or_empty(fi->subject);
    return subject ? strcmp(s, subject) == 0 : !names_indicator(r, s);
}

const char out_csv_header[] =
    "report,level1,level2,indicator,target,value,weight,score,reported,method,branch,findings,"
    "score_min,score_max,unverified\r\n";

static bool csv_needs_quotes(const char *s) { return strpbrk(s, ",\"\r\n") != NULL; }

static void csv_quoted_chars(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '"')
            putc('"', f);
        putc(*s, f);
    }
}

/* One RFC 4180 field holding prefix and s: quoted when it holds a comma, a
 * quote, CR or LF; NULL is an empty field. */
static void csv_field_prefixed(FILE *f, const char *prefix, const char *s)
{
    if (!s)
        return;
    if (!csv_needs_quotes(prefix) && !csv_needs_quotes(s)) {
        fputs(prefix, f);
        fputs(s, f);
        return;
    }
    putc('"', f);
    csv_quoted_chars(f, prefix);
    csv_quoted_chars(f, s);
    putc('"', f);
}

static void csv_field(FILE *f, const char *s) { csv_field_prefixed(f, "", s); }

/* The first fields of a line, each followed by a comma. */
static void csv_fields(FILE *f, const char *const *field, int n)
{
    for (int i = 0; i < n; i++) {
        csv_field(f, field[i]);
        putc(',', f);
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

void out_csv_report(const Output *o, const ReportResult *r)
{
    FILE *f = o->f;
    const char *id = out_or_empty(r->id);
    if (r->error) {
        const char *field[11] = {id};
        csv_fields(f, field, 11);
        csv_field_prefixed(f, "ERROR: ", r->error);
        fputs(",,,\r\n", f);
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
            out_or_empty(si->branch),
        };
        csv_fields(f, field, 11);
        csv_codes(f, r, out_or_empty(si->name));
        putc(',', f);
        const TlValue *lo = si->unverified ? &si->lo : &e->score, *hi = si->unverified ? &si->hi : &e->score;
        csv_field(f, out_points_text(lo, b[0]));
        putc(',', f);
        csv_field(f, out_points_text(hi, b[1]));
        putc(',', f);
        csv_field(f, si->unverified ? si->unverified_why : NULL);
        fputs("\r\n", f);
    }
    const char *field[11] = {
        id, "总分", "", "总分", r->stated_grade, r->grade,
        out_points_text(&r->max_total, b[0]),
        out_points_text(&r->total, b[1]),
        out_points_text(&r->stated_total, b[2]),
        "", "",
    };
    csv_fields(f, field, 11);
    csv_codes(f, r, NULL);
    putc(',', f);
    bool ranged = r->total_min.kind == TL_NUM; /* else no range was computed: the total */
    csv_field(f, out_points_text(ranged ? &r->total_min : &r->total, b[0]));
    putc(',', f);
    csv_field(f, out_points_text(ranged ? &r->total_max : &r->total, b[1]));
    putc(',', f);
    if (r->nunverified) {
        char what[VAL_BUF + 64];
        snprintf(what, sizeof what, "%d indicator%s, %s points", r->nunverified,
                 r->nunverified == 1 ? "" : "s",
                 out_or_empty(out_points_text(&r->unverified_weight, b[2])));
        csv_field(f, what);
    }
    fputs("\r\n", f);
}
