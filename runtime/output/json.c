/* json.c - the JSON format (docs/output.md): an array of report objects,
 * exact decimals as JSON numbers, invalid UTF-8 replaced. */
#include "formats.h"

#include <stdint.h>
#include <string.h>

#include "lang/base/text.h"

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

/* The characters of a JSON string, escaped; invalid UTF-8 becomes U+FFFD. */
static void json_chars(FILE *f, const char *s) { out_escaped(f, s, "\\ufffd", json_escape); }

void out_json_str(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    putc('"', f);
    json_chars(f, s);
    putc('"', f);
}

/* Points as an exact JSON number; null when missing; a string for a non-number. */
static void json_points(FILE *f, const TlValue *v)
{
    char buf[VAL_BUF];
    if (v->kind == TL_NUM)
        fputs(out_points_text(v, buf), f);
    else
        out_json_str(f, out_value_text(v, buf));
}

/* A value as written, as a string; null when missing. */
static void json_value(FILE *f, const TlValue *v)
{
    char buf[VAL_BUF];
    out_json_str(f, out_value_text(v, buf));
}

/* Members of one object, separated by `sep`. */
typedef struct JsonObj {
    FILE *f;
    const char *sep;
    bool first;
} JsonObj;

static void json_key(JsonObj *j, const char *key)
{
    fprintf(j->f, "%s\"%s\": ", j->first ? "" : j->sep, key);
    j->first = false;
}

static void member_str(JsonObj *j, const char *key, const char *s)
{
    json_key(j, key);
    out_json_str(j->f, s);
}

static void member_points(JsonObj *j, const char *key, const TlValue *v)
{
    json_key(j, key);
    json_points(j->f, v);
}

static void member_value(JsonObj *j, const char *key, const TlValue *v)
{
    json_key(j, key);
    json_value(j->f, v);
}

/* A literal: true, false, null or a number already formatted. */
static void member_raw(JsonObj *j, const char *key, const char *text)
{
    json_key(j, key);
    fputs(text, j->f);
}

/* Open the array member `key` of n items; items are separated by json_item. */
static void json_array(JsonObj *j, const char *key, int n)
{
    json_key(j, key);
    fputs(n ? "[\n      " : "[", j->f);
}

static void json_item(FILE *f, int i)
{
    if (i > 0)
        fputs(",\n      ", f);
}

static void json_array_end(FILE *f, int n)
{
    fputs(n ? "\n    ]" : "]", f);
}

static const char *json_bool(bool b) { return b ? "true" : "false"; }
static const char *nonempty_or_null(const char *s) { return out_nonempty(s) ? s : NULL; }

static void json_indicator(const Output *o, const ScoredIndicator *si)
{
    FILE *f = o->f;
    const ScoreEval *e = &si->eval;
    JsonObj j = {f, ", ", true};
    putc('{', f);
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
        putc('[', f);
        for (int i = 0; i < si->explain.len; i++) {
            if (i)
                fputs(", ", f);
            out_json_str(f, out_or_empty(si->explain.lines[i]));
        }
        putc(']', f);
    }
    putc('}', f);
}

static void json_group(FILE *f, const ScoredGroup *g)
{
    char buf[DEC_BUF], depth[16];
    JsonObj j = {f, ", ", true};
    snprintf(depth, sizeof depth, "%d", g->depth);
    putc('{', f);
    member_str(&j, "name", out_or_empty(g->name));
    member_raw(&j, "depth", depth);
    member_raw(&j, "weight", out_dec_text(g->weight, buf));
    member_points(&j, "rows_weight", &g->rows_weight);
    member_points(&j, "subtotal", &g->subtotal);
    member_points(&j, "reported", &g->reported);
    putc('}', f);
}

static void json_check(FILE *f, const ScoredCheck *c)
{
    JsonObj j = {f, ", ", true};
    putc('{', f);
    member_str(&j, "name", out_or_empty(c->name));
    member_raw(&j, "passed", c->result > 0 ? "true" : c->result == 0 ? "false" : "null");
    member_value(&j, "lhs", &c->lhs);
    member_value(&j, "rhs", &c->rhs);
    putc('}', f);
}

static void json_finding(FILE *f, const Finding *fi)
{
    const FindingInfo *info = finding_info(fi->kind);
    char rule[512];
    JsonObj j = {f, ", ", true};
    putc('{', f);
    member_str(&j, "kind", info->code);
    member_str(&j, "severity", out_severity_name[info->severity]);
    member_str(&j, "subject", out_or_empty(fi->subject));
    member_str(&j, "message", out_or_empty(fi->message));
    member_str(&j, "rule", out_rule_text(fi, rule, sizeof rule));
    member_str(&j, "row", fi->where);
    putc('}', f);
}

void out_json_report(const Output *o, const ReportResult *r)
{
    FILE *f = o->f;
    fputs(o->count > 1 ? ",\n  {\n    " : "\n  {\n    ", f);
    JsonObj j = {f, ",\n    ", true};
    member_str(&j, "report", out_or_empty(r->id));
    member_str(&j, "error", r->error);
    if (o->versions) {
        char year[16];
        snprintf(year, sizeof year, "%d", r->report ? r->report->year : 0);
        member_str(&j, "version", r->error ? NULL : o->version);
        member_raw(&j, "year", r->report && r->report->year ? year : "null");
    }
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
        json_item(f, k++);
        JsonObj u = {f, ", ", true};
        putc('{', f);
        member_str(&u, "subject", out_or_empty(si->name));
        member_points(&u, "weight", &si->eval.weight);
        member_str(&u, "why", si->unverified_why);
        member_points(&u, "counts_min", &si->lo);
        member_points(&u, "counts_max", &si->hi);
        putc('}', f);
    }
    json_array_end(f, nunv);
    int nind = r->error ? 0 : r->nind, ngroups = r->error ? 0 : r->ngroups;
    int nchecks = r->error ? 0 : r->nchecks, nfind = (int)r->findings.len;
    json_array(&j, "indicators", nind);
    for (int i = 0; i < nind; i++) {
        json_item(f, i);
        json_indicator(o, &r->ind[i]);
    }
    json_array_end(f, nind);
    json_array(&j, "groups", ngroups);
    for (int i = 0; i < ngroups; i++) {
        json_item(f, i);
        json_group(f, &r->groups[i]);
    }
    json_array_end(f, ngroups);
    json_array(&j, "checks", nchecks);
    for (int i = 0; i < nchecks; i++) {
        json_item(f, i);
        json_check(f, &r->checks[i]);
    }
    json_array_end(f, nchecks);
    json_array(&j, "findings", nfind);
    for (int i = 0; i < nfind; i++) {
        json_item(f, i);
        json_finding(f, &r->findings.items[i]);
    }
    json_array_end(f, nfind);
    fputs("\n  }", f);
}
