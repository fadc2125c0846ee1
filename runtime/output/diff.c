/* diff.c - one report under two policies, and the summary (diff.h). */
#include "diff.h"

#include <stdlib.h>
#include <string.h>

#include "formats.h"

/* Indicators, paired ---------------------------------------------------------------- */

/* One indicator as the two policies scored it; either side may be absent
 * (a fixed indicator only one policy declares, rows only one scores). */
typedef struct Pair {
    const ScoredIndicator *a, *b;
} Pair;

/* The k-th table row of r, or NULL. */
static const ScoredIndicator *table_row(const ReportResult *r, int k)
{
    for (int i = 0; i < r->nind; i++)
        if (r->ind[i].from_table && k-- == 0)
            return &r->ind[i];
    return NULL;
}

static const ScoredIndicator *fixed_named(const ReportResult *r, const char *name)
{
    for (int i = 0; i < r->nind; i++)
        if (!r->ind[i].from_table && strcmp(r->ind[i].name, name) == 0)
            return &r->ind[i];
    return NULL;
}

/* Every indicator of a and b, paired: fixed indicators by name, table rows
 * by their place in the report's table.  *n pairs, in a's order, then what
 * only b has. */
static Pair *pair_up(const ReportResult *a, const ReportResult *b, int *n)
{
    Pair *p = xcalloc((size_t)(a->nind + b->nind + 1), sizeof *p);
    int k = 0, rows = 0;
    for (int i = 0; i < a->nind; i++) {
        const ScoredIndicator *x = &a->ind[i];
        p[k].a = x;
        p[k].b = x->from_table ? table_row(b, rows++) : fixed_named(b, x->name);
        k++;
    }
    for (int i = 0, brows = 0; i < b->nind; i++) {
        const ScoredIndicator *y = &b->ind[i];
        bool paired = y->from_table ? brows++ < rows : fixed_named(a, y->name) != NULL;
        if (!paired)
            p[k++] = (Pair){NULL, y};
    }
    *n = k;
    return p;
}

static bool same_points(TlValue x, TlValue y)
{
    if (x.kind != y.kind)
        return false;
    return x.kind != TL_NUM || dec_cmp(x.u.num, y.u.num) == 0;
}

static bool same_text(const char *x, const char *y)
{
    return (!x && !y) || (x && y && strcmp(x, y) == 0);
}

static TlValue score_of(const ScoredIndicator *si)
{
    return si ? si->eval.score : val_missing();
}

/* b - a, when both are numbers. */
static bool change_of(TlValue a, TlValue b, TlDec *out)
{
    return a.kind == TL_NUM && b.kind == TL_NUM && dec_sub(b.u.num, a.u.num, out);
}

/* "+1.64", "-0.5", "0"; buf holds DEC_BUF + 1 bytes. */
static const char *signed_text(TlDec d, char *buf)
{
    char tmp[DEC_BUF];
    out_dec_text(d, tmp);
    snprintf(buf, DEC_BUF + 1, "%s%s", dec_sign(d) > 0 ? "+" : "", tmp);
    return buf;
}

/* The summary -------------------------------------------------------------------- */

static void note_transition(DiffOutput *d, const char *a, const char *b)
{
    a = a ? a : "";
    b = b ? b : "";
    for (size_t i = 0; i < d->ntransitions; i++)
        if (strcmp(d->transitions[i].a, a) == 0 && strcmp(d->transitions[i].b, b) == 0) {
            d->transitions[i].reports++;
            return;
        }
    d->transitions = xrealloc(d->transitions, (d->ntransitions + 1) * sizeof *d->transitions);
    d->transitions[d->ntransitions++] = (DiffTransition){xstrdup(a), xstrdup(b), 1};
}

/* Keep the DIFF_LARGEST largest moves of the total, largest first (the
 * first report of equal ones). */
static void note_move(DiffOutput *d, const char *id, TlValue a, TlValue b, TlDec change)
{
    TlDec mag = dec_sign(change) < 0 ? dec_abs_unchecked(change) : change;
    size_t at = d->nlargest;
    while (at > 0) {
        TlDec c = d->largest[at - 1].change;
        if (dec_cmp(dec_sign(c) < 0 ? dec_abs_unchecked(c) : c, mag) >= 0)
            break;
        at--;
    }
    if (at >= DIFF_LARGEST)
        return;
    if (d->nlargest == DIFF_LARGEST)
        free(d->largest[DIFF_LARGEST - 1].id);
    else
        d->nlargest++;
    memmove(&d->largest[at + 1], &d->largest[at], (d->nlargest - 1 - at) * sizeof *d->largest);
    d->largest[at] = (DiffMove){xstrdup(id), a, b, change};
}

/* Text ------------------------------------------------------------------------------- */

/* s on one line: control characters become spaces. */
static void put_line_text(FILE *f, const char *s)
{
    for (; s && *s; s++)
        putc((unsigned char)*s < 0x20 ? ' ' : *s, f);
}

static const char *points_or_dash(const TlValue *v, char *buf)
{
    const char *s = out_points_text(v, buf);
    return s ? s : "—";
}

/* "反向 (line 55: when qualifier <= using 反向): over target: ..." */
static void text_decided(FILE *f, const char *side, const ScoredIndicator *si)
{
    fprintf(f, "    %s: ", side);
    if (!si) {
        fputs("not scored (no such indicator)\n", f);
        return;
    }
    if (!out_nonempty(si->method)) {
        fputs("no rule covers the row\n", f);
        return;
    }
    put_line_text(f, si->method);
    if (out_nonempty(si->why)) {
        fputs(" (", f);
        put_line_text(f, si->why);
        putc(')', f);
    }
    if (si->branch) {
        fputs(": ", f);
        put_line_text(f, _(si->branch));
    }
    if (si->eval.clamped)
        fputs(", clamped", f);
    putc('\n', f);
}

/* The total as the outputs show it: the verified points, or the range
 * unverified indicators leave open (docs/output.md), "47.5–87.5". */
static const char *total_text(const ReportResult *r, char *buf)
{
    const TlValue *lo, *hi;
    out_total_range(r, &lo, &hi);
    return out_total_text(lo, hi, buf);
}

/* The grade, with the grades at both ends of a range: "待定 (中 to 良)". */
static const char *grade_text(const ReportResult *r, char *buf, size_t n)
{
    if (r->grade && r->grade_min && r->grade_max && strcmp(r->grade_min, r->grade_max) != 0) {
        snprintf(buf, n, "%s (%s to %s)", r->grade, r->grade_min, r->grade_max);
        return buf;
    }
    return r->grade;
}

static void text_side_total(FILE *f, const ReportResult *r)
{
    char buf[OUT_TOTAL_BUF];
    if (r->error) {
        fputs("error", f);
        return;
    }
    const char *t = total_text(r, buf);
    fputs(t ? t : "—", f);
}

static void text_report(DiffOutput *d, const ReportResult *a, const char *av, const ReportResult *b,
                        const char *bv, const Pair *pairs, int npairs, bool moved)
{
    FILE *f = d->f;
    char x[VAL_BUF], y[VAL_BUF], c[DEC_BUF + 1];
    fputs(d->count > 1 ? "\nreport " : "report ", f);
    put_line_text(f, a->id);
    putc('\n', f);
    if (d->versions) {
        fputs("  rules  ", f);
        put_line_text(f, av ? av : "—");
        fputs(" → ", f);
        put_line_text(f, bv ? bv : "—");
        putc('\n', f);
    }
    if (a->error || b->error) {
        if (a->error) {
            fputs("  A: error: ", f);
            put_line_text(f, a->error);
            putc('\n', f);
        }
        if (b->error) {
            fputs("  B: error: ", f);
            put_line_text(f, b->error);
            putc('\n', f);
        }
        if (a->error && b->error)
            return;
    }
    TlDec change;
    fputs("  total  ", f);
    text_side_total(f, a);
    fputs(" → ", f);
    text_side_total(f, b);
    if (!a->error && !b->error && change_of(a->total, b->total, &change) && !dec_is_zero(change))
        fprintf(f, " (%s)", signed_text(change, c));
    fputs("\n  grade  ", f);
    char ga[256], gb[256];
    const char *grade_a = grade_text(a, ga, sizeof ga), *grade_b = grade_text(b, gb, sizeof gb);
    put_line_text(f, a->error ? "error" : grade_a ? grade_a : "—");
    fputs(" → ", f);
    put_line_text(f, b->error ? "error" : grade_b ? grade_b : "—");
    if (!a->error && !b->error && !same_text(a->grade, b->grade))
        fputs("  (changed)", f);
    putc('\n', f);
    if (a->error || b->error)
        return;
    int shown = 0;
    for (int i = 0; moved && i < npairs; i++) {
        const ScoredIndicator *p = pairs[i].a, *q = pairs[i].b;
        TlValue sa = score_of(p), sb = score_of(q);
        if (p && q && same_points(sa, sb))
            continue;
        fputs("  ", f);
        put_line_text(f, (p ? p : q)->name);
        fprintf(f, "  %s → %s", p ? points_or_dash(&sa, x) : "(none)", q ? points_or_dash(&sb, y) : "(none)");
        if (change_of(sa, sb, &change))
            fprintf(f, " (%s)", signed_text(change, c));
        putc('\n', f);
        text_decided(f, "A", p);
        text_decided(f, "B", q);
        shown++;
    }
    if (!shown)
        fputs("  no indicator moved\n", f);
}

static void text_summary(DiffOutput *d)
{
    FILE *f = d->f;
    char x[VAL_BUF], y[VAL_BUF], c[DEC_BUF + 1];
    fprintf(f, "%ssummary: %zu report%s; %zu change%s grade, %zu change%s total (%zu up, %zu down)",
            d->count ? "\n" : "", d->count, d->count == 1 ? "" : "s", d->grade_changed,
            d->grade_changed == 1 ? "s" : "", d->total_changed, d->total_changed == 1 ? "s" : "", d->up, d->down);
    if (d->errors)
        fprintf(f, "; %zu not scored under one or both", d->errors);
    fputs("\n", f);
    bool any = false;
    for (size_t i = 0; i < d->ntransitions; i++) {
        const DiffTransition *t = &d->transitions[i];
        if (strcmp(t->a, t->b) == 0)
            continue;
        fputs(any ? ", " : "  grades: ", f);
        any = true;
        fprintf(f, "%s → %s %zu", *t->a ? t->a : "—", *t->b ? t->b : "—", t->reports);
    }
    if (any)
        fputs("\n", f);
    if (d->nlargest) {
        fputs("  largest moves:\n", f);
        for (size_t i = 0; i < d->nlargest; i++) {
            const DiffMove *m = &d->largest[i];
            fputs("    ", f);
            put_line_text(f, m->id);
            fprintf(f, "  %s → %s (%s)\n", points_or_dash(&m->a, x), points_or_dash(&m->b, y),
                    signed_text(m->change, c));
        }
    }
}

/* CSV --------------------------------------------------------------------------------- */

static const char diff_csv_header[] =
    "report,what,level1,level2,indicator,a,b,change,a_method,a_branch,b_method,b_branch,a_version,b_version\r\n";

/* One CSV line of 14 fields, quoted as the report writer quotes them. */
static void csv_line(FILE *f, const char *const *field)
{
    Output o = {0};
    o.f = f;
    for (int i = 0; i < 14; i++) {
        if (i)
            putc(',', f);
        out_csv_field(&o, field[i]);
    }
    fputs("\r\n", f);
}

static void csv_report(DiffOutput *d, const ReportResult *a, const char *av, const ReportResult *b,
                       const char *bv, const Pair *pairs, int npairs)
{
    FILE *f = d->f;
    char x[VAL_BUF], y[VAL_BUF], c[DEC_BUF + 1];
    TlDec change;
    if (a->error || b->error) {
        const char *line[14] = {a->id, "error", NULL, NULL, NULL, a->error, b->error, NULL,
                                NULL, NULL, NULL, NULL, av, bv};
        csv_line(f, line);
        if (a->error && b->error)
            return;
    }
    char ta[OUT_TOTAL_BUF], tb[OUT_TOTAL_BUF];
    const char *total[14] = {a->id, "total", NULL, NULL, NULL,
                             a->error ? NULL : total_text(a, ta),
                             b->error ? NULL : total_text(b, tb),
                             !a->error && !b->error && change_of(a->total, b->total, &change)
                                 ? signed_text(change, c) : NULL,
                             NULL, NULL, NULL, NULL, av, bv};
    csv_line(f, total);
    char ga[256], gb[256];
    const char *grade[14] = {a->id, "grade", NULL, NULL, NULL, a->error ? NULL : grade_text(a, ga, sizeof ga),
                             b->error ? NULL : grade_text(b, gb, sizeof gb), NULL, NULL, NULL, NULL, NULL,
                             av, bv};
    csv_line(f, grade);
    if (a->error || b->error)
        return;
    for (int i = 0; i < npairs; i++) {
        const ScoredIndicator *p = pairs[i].a, *q = pairs[i].b, *s = p ? p : q;
        TlValue sa = score_of(p), sb = score_of(q);
        if (p && q && same_points(sa, sb))
            continue;
        const char *line[14] = {a->id, "indicator", s->level1, s->level2, s->name,
                                out_points_text(&sa, x), out_points_text(&sb, y),
                                change_of(sa, sb, &change) ? signed_text(change, c) : NULL,
                                p ? p->method : NULL, p ? p->branch : NULL,
                                q ? q->method : NULL, q ? q->branch : NULL, av, bv};
        csv_line(f, line);
    }
}

static void csv_summary(DiffOutput *d)
{
    char n[3][32];
    snprintf(n[0], sizeof n[0], "%zu", d->count);
    snprintf(n[1], sizeof n[1], "%zu", d->grade_changed);
    snprintf(n[2], sizeof n[2], "%zu", d->total_changed);
    const char *rows[3][2] = {{"reports", n[0]}, {"grade changed", n[1]}, {"total changed", n[2]}};
    for (int i = 0; i < 3; i++) {
        const char *line[14] = {NULL, "summary", NULL, NULL, rows[i][0], rows[i][1]};
        csv_line(d->f, line);
    }
}

/* JSON ------------------------------------------------------------------------------- */

static void json_points_member(FILE *f, const char *key, TlValue v)
{
    char buf[VAL_BUF];
    fprintf(f, "\"%s\": ", key);
    if (v.kind == TL_NUM)
        fputs(out_points_text(&v, buf), f);
    else
        out_json_str(f, out_points_text(&v, buf));
}

static void json_str_member(FILE *f, const char *key, const char *s)
{
    fprintf(f, "\"%s\": ", key);
    out_json_str(f, s);
}

static void json_side(FILE *f, const char *key, const ReportResult *r, const char *version)
{
    fprintf(f, "\"%s\": {", key);
    json_str_member(f, "version", version);
    fputs(", ", f);
    json_str_member(f, "error", r->error);
    fputs(", ", f);
    json_points_member(f, "total", r->error ? val_missing() : r->total);
    const TlValue *lo, *hi;
    out_total_range(r, &lo, &hi);
    fputs(", ", f);
    json_points_member(f, "total_min", r->error ? val_missing() : *lo);
    fputs(", ", f);
    json_points_member(f, "total_max", r->error ? val_missing() : *hi);
    fputs(", ", f);
    json_str_member(f, "grade", r->error ? NULL : r->grade);
    fputs("}", f);
}

static void json_decided(FILE *f, const char *side, const ScoredIndicator *si)
{
    char key[32];
    snprintf(key, sizeof key, "%s_method", side);
    json_str_member(f, key, si && out_nonempty(si->method) ? si->method : NULL);
    fputs(", ", f);
    snprintf(key, sizeof key, "%s_why", side);
    json_str_member(f, key, si && out_nonempty(si->why) ? si->why : NULL);
    fputs(", ", f);
    snprintf(key, sizeof key, "%s_branch", side);
    json_str_member(f, key, si ? si->branch : NULL);
}

static void json_report(DiffOutput *d, const ReportResult *a, const char *av, const ReportResult *b,
                        const char *bv, const Pair *pairs, int npairs, bool moved)
{
    FILE *f = d->f;
    char c[DEC_BUF + 1];
    TlDec change;
    fputs(d->count > 1 ? ",\n    {" : "\n    {", f);
    json_str_member(f, "report", a->id);
    fputs(",\n      ", f);
    json_side(f, "a", a, av);
    fputs(",\n      ", f);
    json_side(f, "b", b, bv);
    bool both = !a->error && !b->error;
    fprintf(f, ",\n      \"change\": %s",
            both && change_of(a->total, b->total, &change) ? signed_text(change, c) + (dec_sign(change) > 0)
                                                            : "null");
    fprintf(f, ",\n      \"grade_changed\": %s", both && !same_text(a->grade, b->grade) ? "true" : "false");
    fprintf(f, ",\n      \"moved\": [");
    int written = 0;
    for (int i = 0; both && moved && i < npairs; i++) {
        const ScoredIndicator *p = pairs[i].a, *q = pairs[i].b, *s = p ? p : q;
        TlValue sa = score_of(p), sb = score_of(q);
        if (p && q && same_points(sa, sb))
            continue;
        fputs(written++ ? ",\n        {" : "\n        {", f);
        json_str_member(f, "level1", out_or_empty(s->level1));
        fputs(", ", f);
        json_str_member(f, "level2", out_or_empty(s->level2));
        fputs(", ", f);
        json_str_member(f, "indicator", s->name);
        fputs(", ", f);
        json_points_member(f, "a", sa);
        fputs(", ", f);
        json_points_member(f, "b", sb);
        fprintf(f, ", \"change\": %s, ",
                change_of(sa, sb, &change) ? signed_text(change, c) + (dec_sign(change) > 0) : "null");
        json_decided(f, "a", p);
        fputs(", ", f);
        json_decided(f, "b", q);
        putc('}', f);
    }
    fputs(written ? "\n      ]\n    }" : "]\n    }", f);
}

static void json_summary(DiffOutput *d)
{
    FILE *f = d->f;
    char c[DEC_BUF + 1];
    fprintf(f, "%s],\n  \"summary\": {\"reports\": %zu, \"not_scored\": %zu, \"grade_changed\": %zu, "
               "\"total_changed\": %zu, \"up\": %zu, \"down\": %zu,\n    \"grades\": [",
            d->count ? "\n  " : "", d->count, d->errors, d->grade_changed, d->total_changed, d->up, d->down);
    int k = 0;
    for (size_t i = 0; i < d->ntransitions; i++) {
        const DiffTransition *t = &d->transitions[i];
        if (strcmp(t->a, t->b) == 0)
            continue;
        fputs(k++ ? ", {" : "{", f);
        json_str_member(f, "a", *t->a ? t->a : NULL);
        fputs(", ", f);
        json_str_member(f, "b", *t->b ? t->b : NULL);
        fprintf(f, ", \"reports\": %zu}", t->reports);
    }
    fputs("],\n    \"largest\": [", f);
    for (size_t i = 0; i < d->nlargest; i++) {
        const DiffMove *m = &d->largest[i];
        fputs(i ? ",\n      {" : "\n      {", f);
        json_str_member(f, "report", m->id);
        fputs(", ", f);
        json_points_member(f, "a", m->a);
        fputs(", ", f);
        json_points_member(f, "b", m->b);
        fprintf(f, ", \"change\": %s}", signed_text(m->change, c) + (dec_sign(m->change) > 0));
    }
    fputs(d->nlargest ? "\n    ]}\n}\n" : "]}\n}\n", f);
}

/* Entry points ---------------------------------------------------------------------- */

void diff_begin(DiffOutput *d)
{
    switch (d->fmt) {
    case OUT_TEXT: case OUT_XLSX: case OUT_HTML: /* the last two: text (tally diff refuses them) */
        fprintf(d->f, "A: %s\nB: %s\n\n", d->a_name, d->b_name);
        break;
    case OUT_CSV:
        fputs(diff_csv_header, d->f);
        break;
    case OUT_JSON:
        fputs("{\n  \"a\": ", d->f);
        out_json_str(d->f, d->a_name);
        fputs(",\n  \"b\": ", d->f);
        out_json_str(d->f, d->b_name);
        fputs(",\n  \"reports\": [", d->f);
        break;
    }
}

bool diff_report(DiffOutput *d, const ReportResult *a, const char *a_version, const ReportResult *b,
                 const char *b_version)
{
    d->count++;
    int npairs = 0;
    Pair *pairs = pair_up(a, b, &npairs);
    bool moved = false;
    TlDec change = dec_from_int(0);
    if (a->error || b->error) {
        d->errors++;
    } else {
        for (int i = 0; i < npairs && !moved; i++)
            moved = !pairs[i].a || !pairs[i].b || !same_points(score_of(pairs[i].a), score_of(pairs[i].b));
        const TlValue *alo, *ahi, *blo, *bhi;
        out_total_range(a, &alo, &ahi);
        out_total_range(b, &blo, &bhi);
        bool total_moved = !same_points(a->total, b->total) || !same_points(*alo, *blo) ||
                           !same_points(*ahi, *bhi);
        if (total_moved) {
            d->total_changed++;
            if (change_of(a->total, b->total, &change)) {
                d->up += dec_sign(change) > 0;
                d->down += dec_sign(change) < 0;
                note_move(d, a->id, a->total, b->total, change);
            }
        }
        note_transition(d, a->grade, b->grade);
        if (!same_text(a->grade, b->grade))
            d->grade_changed++;
        moved |= total_moved || !same_text(a->grade, b->grade);
        d->moved += moved;
    }
    switch (d->fmt) {
    case OUT_TEXT: case OUT_XLSX: case OUT_HTML:
        text_report(d, a, a_version, b, b_version, pairs, npairs, moved);
        break;
    case OUT_CSV: csv_report(d, a, a_version, b, b_version, pairs, npairs); break;
    case OUT_JSON: json_report(d, a, a_version, b, b_version, pairs, npairs, moved); break;
    }
    free(pairs);
    return moved;
}

void diff_end(DiffOutput *d)
{
    switch (d->fmt) {
    case OUT_TEXT: case OUT_XLSX: case OUT_HTML: text_summary(d); break;
    case OUT_CSV: csv_summary(d); break;
    case OUT_JSON: json_summary(d); break;
    }
}

void diff_free(DiffOutput *d)
{
    for (size_t i = 0; i < d->nlargest; i++)
        free(d->largest[i].id);
    for (size_t i = 0; i < d->ntransitions; i++) {
        free(d->transitions[i].a);
        free(d->transitions[i].b);
    }
    free(d->transitions);
    d->nlargest = d->ntransitions = 0;
    d->transitions = NULL;
}
