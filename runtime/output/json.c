/* json.c - the JSON format (docs/output.md): an array of report objects,
 * exact decimals as JSON numbers, invalid UTF-8 replaced.  A report is
 * built in a buffer (outbuf.h) and written in a few large writes. */
#include "formats.h"

#include <stdint.h>
#include <string.h>

#include "lang/base/text.h"
#include "outbuf.h"

/* A JSON string's ASCII byte as JSON writes it (out_escaped). */
static const char *json_escape(unsigned char c, char buf[8])
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

/* The n characters of a JSON string at s, escaped; invalid UTF-8 becomes
 * U+FFFD.  Valid UTF-8 with nothing to escape (almost every string) is
 * checked and copied as it is. */
static void json_chars(OutBuf *b, const char *s, size_t n)
{
    if (utf8_invalid_at(s, n) == (size_t)-1 && outbuf_json_plain(b, s, n))
        return;
    out_escaped_to(b, s, n, "\\ufffd", json_escape);
}

/* A JSON string, escaped; NULL is null. */
static void json_str(OutBuf *b, const char *s)
{
    if (!s) {
        outbuf_write(b, "null", 4);
        return;
    }
    outbuf_byte(b, '"');
    json_chars(b, s, strlen(s));
    outbuf_byte(b, '"');
}

void out_json_str(FILE *f, const char *s)
{
    char mem[2 * OUTBUF_RESERVE];
    OutBuf b;
    outbuf_init(&b, f, mem, sizeof mem);
    json_str(&b, s);
    outbuf_flush(&b);
}

/* Points as an exact JSON number, written in place; null when missing; a
 * string for a non-number. */
static void json_points(OutBuf *b, const TlValue *v)
{
    if (v->kind == TL_NUM) {
        char *p = outbuf_room(b, DEC_BUF);
        b->p = p + dec_format_trim(v->u.num, OUT_PLACES, p);
        return;
    }
    char buf[VAL_BUF];
    json_str(b, out_value_text(v, buf));
}

/* A value as written, as a string; null when missing. */
static void json_value(OutBuf *b, const TlValue *v)
{
    if (v->kind == TL_MISSING) {
        outbuf_write(b, "null", 4);
        return;
    }
    if (v->kind == TL_TEXT) {
        json_str(b, v->u.text ? v->u.text : "");
        return;
    }
    char buf[VAL_BUF];
    int n = val_format(v, buf);
    outbuf_byte(b, '"');
    json_chars(b, buf, (size_t)n);
    outbuf_byte(b, '"');
}

/* Members of one object, separated by `sep`. */
typedef struct JsonObj {
    OutBuf *b;
    const char *sep;
    bool first;
} JsonObj;

static void json_key(JsonObj *j, const char *key)
{
    if (!j->first)
        outbuf_puts(j->b, j->sep);
    j->first = false;
    outbuf_byte(j->b, '"');
    outbuf_puts(j->b, key);
    outbuf_write(j->b, "\": ", 3);
}

static void member_str(JsonObj *j, const char *key, const char *s)
{
    json_key(j, key);
    json_str(j->b, s);
}

static void member_points(JsonObj *j, const char *key, const TlValue *v)
{
    json_key(j, key);
    json_points(j->b, v);
}

static void member_value(JsonObj *j, const char *key, const TlValue *v)
{
    json_key(j, key);
    json_value(j->b, v);
}

/* A literal: true, false, null or a number already formatted. */
static void member_raw(JsonObj *j, const char *key, const char *text)
{
    json_key(j, key);
    outbuf_puts(j->b, text);
}

static void member_int(JsonObj *j, const char *key, long long v)
{
    json_key(j, key);
    outbuf_int(j->b, v);
}

/* A versioned batch's "version" and "year" of a report (nothing when the
 * rules are not versions by year). */
static void member_version(JsonObj *j, const Output *o, const ReportResult *r)
{
    if (!o->versions)
        return;
    member_str(j, "version", r->error ? NULL : o->version);
    if (r->report && r->report->year)
        member_int(j, "year", r->report->year);
    else
        member_raw(j, "year", "null");
}

/* Open the array member `key` of n items; items are separated by json_item. */
static void json_array(JsonObj *j, const char *key, int n)
{
    json_key(j, key);
    outbuf_puts(j->b, n ? "[\n      " : "[");
}

static void json_item(OutBuf *b, int i)
{
    if (i > 0)
        outbuf_write(b, ",\n      ", 8);
}

static void json_array_end(OutBuf *b, int n)
{
    outbuf_puts(b, n ? "\n    ]" : "]");
}

static const char *json_bool(bool b) { return b ? "true" : "false"; }
static const char *nonempty_or_null(const char *s) { return out_nonempty(s) ? s : NULL; }

static void json_indicator(OutBuf *b, const Output *o, const ScoredIndicator *si)
{
    const ScoreEval *e = &si->eval;
    JsonObj j = {b, ", ", true};
    outbuf_byte(b, '{');
    member_str(&j, "level1", out_or_empty(si->level1));
    member_str(&j, "level2", out_or_empty(si->level2));
    member_str(&j, "name", out_or_empty(si->name));
    member_raw(&j, "from_table", json_bool(si->from_table));
    member_value(&j, "target", &e->target);
    member_value(&j, "value", &e->value);
    member_points(&j, "weight", &e->weight);
    member_points(&j, "score", &e->score);
    member_points(&j, "raw", &e->raw);
    member_points(&j, "reported", &e->reported);
    member_raw(&j, "clamped", json_bool(e->clamped));
    member_raw(&j, "unverified", json_bool(si->unverified));
    member_str(&j, "unverified_why", si->unverified ? si->unverified_why : NULL);
    member_str(&j, "method", nonempty_or_null(si->method));
    member_str(&j, "why", nonempty_or_null(si->why));
    member_str(&j, "branch", si->branch ? _(si->branch) : NULL);
    member_str(&j, "formula", nonempty_or_null(si->formula));
    char place[512];
    member_str(&j, "row", si->from_table ? pos_place(&si->pos, place, sizeof place) : NULL);
    if (o->explain) {
        json_key(&j, "explain");
        outbuf_byte(b, '[');
        for (int i = 0; i < si->explain.len; i++) {
            if (i)
                outbuf_write(b, ", ", 2);
            json_str(b, out_or_empty(si->explain.lines[i]));
        }
        outbuf_byte(b, ']');
    }
    outbuf_byte(b, '}');
}

static void json_group(OutBuf *b, const ScoredGroup *g)
{
    char buf[DEC_BUF];
    JsonObj j = {b, ", ", true};
    outbuf_byte(b, '{');
    member_str(&j, "name", out_or_empty(g->name));
    member_int(&j, "depth", g->depth);
    member_raw(&j, "weight", out_dec_text(g->weight, buf));
    member_points(&j, "rows_weight", &g->rows_weight);
    member_points(&j, "subtotal", &g->subtotal);
    member_points(&j, "reported", &g->reported);
    outbuf_byte(b, '}');
}

static void json_check(OutBuf *b, const ScoredCheck *c)
{
    JsonObj j = {b, ", ", true};
    outbuf_byte(b, '{');
    member_str(&j, "name", out_or_empty(c->name));
    member_raw(&j, "passed", c->result > 0 ? "true" : c->result == 0 ? "false" : "null");
    member_value(&j, "lhs", &c->lhs);
    member_value(&j, "rhs", &c->rhs);
    outbuf_byte(b, '}');
}

static void json_finding(OutBuf *b, const Finding *fi)
{
    const FindingInfo *info = finding_info(fi->kind);
    char rule[512];
    JsonObj j = {b, ", ", true};
    outbuf_byte(b, '{');
    member_str(&j, "kind", info->code);
    member_str(&j, "severity", out_severity_name[info->severity]);
    member_str(&j, "subject", out_or_empty(fi->subject));
    member_str(&j, "message", out_or_empty(fi->message));
    member_str(&j, "rule", out_rule_text(fi, rule, sizeof rule));
    member_str(&j, "row", fi->where);
    outbuf_byte(b, '}');
}

void out_json_report(const Output *o, const ReportResult *r)
{
    char mem[OUTBUF_STACK];
    OutBuf buf, *b = &buf;
    outbuf_init(b, o->f, mem, sizeof mem);
    outbuf_puts(b, o->count > 1 ? ",\n  {\n    " : "\n  {\n    ");
    JsonObj j = {b, ",\n    ", true};
    member_str(&j, "report", out_or_empty(r->id));
    member_str(&j, "error", r->error);
    member_version(&j, o, r);
    member_points(&j, "total", &r->total);
    bool ranged = r->total_min.kind == TL_NUM; /* else no range was computed: the total */
    member_points(&j, "total_min", ranged ? &r->total_min : &r->total);
    member_points(&j, "total_max", ranged ? &r->total_max : &r->total);
    member_points(&j, "max", &r->max_total);
    member_points(&j, "stated_total", &r->stated_total);
    member_points(&j, "reported_sum", &r->reported_sum);
    member_str(&j, "grade", r->grade);
    member_str(&j, "grade_min", r->error ? NULL : ranged ? r->grade_min : r->grade);
    member_str(&j, "grade_max", r->error ? NULL : ranged ? r->grade_max : r->grade);
    member_str(&j, "stated_grade", r->stated_grade);
    int nunv = r->error ? 0 : r->nunverified;
    json_array(&j, "unverified", nunv);
    for (int i = 0, k = 0; i < r->nind && k < nunv; i++) {
        const ScoredIndicator *si = &r->ind[i];
        if (!si->unverified)
            continue;
        json_item(b, k++);
        JsonObj u = {b, ", ", true};
        outbuf_byte(b, '{');
        member_str(&u, "subject", out_or_empty(si->name));
        member_points(&u, "weight", &si->eval.weight);
        member_str(&u, "why", si->unverified_why);
        member_points(&u, "counts_min", &si->lo);
        member_points(&u, "counts_max", &si->hi);
        outbuf_byte(b, '}');
    }
    json_array_end(b, nunv);
    int nind = r->error ? 0 : r->nind, ngroups = r->error ? 0 : r->ngroups;
    int nchecks = r->error ? 0 : r->nchecks, nfind = (int)r->findings.len;
    json_array(&j, "indicators", nind);
    for (int i = 0; i < nind; i++) {
        json_item(b, i);
        json_indicator(b, o, &r->ind[i]);
    }
    json_array_end(b, nind);
    json_array(&j, "groups", ngroups);
    for (int i = 0; i < ngroups; i++) {
        json_item(b, i);
        json_group(b, &r->groups[i]);
    }
    json_array_end(b, ngroups);
    json_array(&j, "checks", nchecks);
    for (int i = 0; i < nchecks; i++) {
        json_item(b, i);
        json_check(b, &r->checks[i]);
    }
    json_array_end(b, nchecks);
    json_array(&j, "findings", nfind);
    for (int i = 0; i < nfind; i++) {
        json_item(b, i);
        json_finding(b, &r->findings.items[i]);
    }
    json_array_end(b, nfind);
    outbuf_write(b, "\n  }", 4);
    outbuf_flush(b);
}

/* --totals: one object per report, on one line, with the keys the full
 * report object has for the same things; `total` null while rows could
 * not be verified (total_min and total_max hold its range). */
void out_json_totals(const Output *o, const ReportResult *r)
{
    char mem[2 * OUTBUF_RESERVE + 2048];
    OutBuf buf, *b = &buf;
    outbuf_init(b, o->f, mem, sizeof mem);
    outbuf_puts(b, o->count > 1 ? ",\n  {" : "\n  {");
    JsonObj j = {b, ", ", true};
    char place[512];
    member_str(&j, "report", out_or_empty(r->id));
    member_str(&j, "row", r->report ? pos_place(&r->report->pos, place, sizeof place) : NULL);
    member_str(&j, "error", r->error);
    member_version(&j, o, r);
    const TlValue *lo = &r->total, *hi = &r->total;
    if (!r->error)
        out_total_range(r, &lo, &hi);
    bool ranged = out_is_range(lo, hi);
    member_points(&j, "stated_total", &r->stated_total);
    member_points(&j, "total", ranged ? &(TlValue){0} : &r->total);
    member_points(&j, "total_min", lo);
    member_points(&j, "total_max", hi);
    member_points(&j, "max", &r->max_total);
    member_points(&j, "reported_sum", &r->reported_sum);
    member_str(&j, "grade", r->grade);
    member_str(&j, "grade_min", r->error ? NULL : ranged ? r->grade_min : r->grade);
    member_str(&j, "grade_max", r->error ? NULL : ranged ? r->grade_max : r->grade);
    member_str(&j, "stated_grade", r->stated_grade);
    const char *codes[F_KIND_COUNT];
    int errors, warnings, ncodes;
    out_finding_counts(r, &errors, &warnings, codes, &ncodes);
    member_int(&j, "errors", errors);
    member_int(&j, "warnings", warnings);
    json_key(&j, "findings");
    outbuf_byte(b, '[');
    for (int i = 0; i < ncodes; i++) {
        outbuf_puts(b, i ? ", \"" : "\"");
        outbuf_puts(b, codes[i]);
        outbuf_byte(b, '"');
    }
    outbuf_write(b, "]}", 2);
    outbuf_flush(b);
}
