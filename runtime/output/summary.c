/* summary.c - the summary rows of a batch and the summary computed from
 * them (summary.h), and --summary written as text, CSV or JSON. */
#include "summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "lang/base/text.h"

OutSummary *sum_new(void)
{
    OutSummary *s = xcalloc(1, sizeof *s);
    arena_init(&s->arena);
    return s;
}

void sum_free(OutSummary *s)
{
    if (!s)
        return;
    arena_free(&s->arena);
    free(s->rows);
    free(s);
}

static const char *keep(Arena *a, const char *s) { return s ? arena_strdup(a, s) : NULL; }

/* Points as kept: a number, or missing. */
static TlValue points(const TlValue *v) { return v->kind == TL_NUM ? *v : val_missing(); }

static SumRow *sum_push(OutSummary *s)
{
    if (s->len == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->rows = xrealloc(s->rows, s->cap * sizeof *s->rows);
    }
    SumRow *row = &s->rows[s->len++];
    memset(row, 0, sizeof *row);
    return row;
}

void sum_add(OutSummary *s, const ReportResult *r, size_t index)
{
    SumRow *row = sum_push(s);
    row->index = index;
    row->id = keep(&s->arena, out_or_empty(r->id));
    row->error = keep(&s->arena, r->error);
    const TlValue *lo, *hi;
    out_total_range(r, &lo, &hi);
    row->total = points(lo);
    row->total_max = r->error ? val_missing() : points(hi);
    row->max = points(&r->max_total);
    row->stated = points(&r->stated_total);
    row->reported_sum = points(&r->reported_sum);
    row->grade = keep(&s->arena, r->grade);
    row->stated_grade = keep(&s->arena, r->stated_grade);
    bool seen[F_KIND_COUNT] = {false};
    for (size_t i = 0; i < r->findings.len; i++) {
        FindingKind k = r->findings.items[i].kind;
        row->by_severity[finding_info(k)->severity]++;
        s->kind_findings[k]++;
        if (!seen[k])
            s->kind_reports[k]++;
        seen[k] = true;
    }
    const TlValue *claim = row->stated.kind == TL_NUM ? &row->stated : &row->reported_sum;
    /* a claim inside the range of the recomputed total is no gap */
    const TlValue *end = &row->total;
    if (claim->kind == TL_NUM && row->total.kind == TL_NUM && dec_cmp(claim->u.num, row->total.u.num) > 0)
        end = row->total_max.kind == TL_NUM && dec_cmp(claim->u.num, row->total_max.u.num) > 0
                  ? &row->total_max : claim;
    if (!row->error && row->total.kind == TL_NUM && claim->kind == TL_NUM && end->kind == TL_NUM &&
        dec_sub(claim->u.num, end->u.num, &row->gap) && row->gap.coef != INT64_MIN) {
        row->claimed_known = true;
        row->claimed_is_stated = claim == &row->stated;
        row->claimed = claim->u.num;
    }
}

void sum_join(OutSummary *s, OutSummary *part)
{
    for (size_t i = 0; i < part->len; i++) {
        SumRow *row = sum_push(s);
        *row = part->rows[i];
        row->id = keep(&s->arena, row->id);
        row->error = keep(&s->arena, row->error);
        row->grade = keep(&s->arena, row->grade);
        row->stated_grade = keep(&s->arena, row->stated_grade);
    }
    for (int k = 0; k < F_KIND_COUNT; k++) {
        s->kind_findings[k] += part->kind_findings[k];
        s->kind_reports[k] += part->kind_reports[k];
    }
    sum_free(part);
}

/* The summary ---------------------------------------------------------------- */

static bool same_text(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

static void count_grade(SumStats *st, const char *name)
{
    for (int i = 0; i < st->ngrades; i++)
        if (name ? same_text(st->grades[i].name, name) : st->grades[i].name == NULL) {
            st->grades[i].count++;
            return;
        }
    st->grades = xrealloc(st->grades, (size_t)(st->ngrades + 1) * sizeof *st->grades);
    st->grades[st->ngrades++] = (SumGrade){name, 1};
}

static int cmp_dec(const void *a, const void *b) { return dec_cmp(*(const TlDec *)a, *(const TlDec *)b); }

static int cmp_gap(const void *a, const void *b)
{
    const SumRow *x = *(const SumRow *const *)a, *y = *(const SumRow *const *)b;
    int c = dec_cmp(dec_abs_unchecked(y->gap), dec_abs_unchecked(x->gap));
    return c ? c : x->index < y->index ? -1 : x->index > y->index;
}

static int cmp_rank(const void *a, const void *b)
{
    const SumRow *x = *(const SumRow *const *)a, *y = *(const SumRow *const *)b;
    bool hx = x->total.kind == TL_NUM, hy = y->total.kind == TL_NUM;
    if (hx != hy)
        return hx ? -1 : 1;
    int c = hx ? dec_cmp(y->total.u.num, x->total.u.num) : 0;
    return c ? c : x->index < y->index ? -1 : x->index > y->index;
}

static int cmp_kind(const void *a, const void *b)
{
    const SumKind *x = a, *y = b;
    if (x->findings != y->findings)
        return x->findings > y->findings ? -1 : 1;
    return (int)x->kind - (int)y->kind;
}

/* The totals' lowest, median, mean and highest (exact; the mean rounded to
 * two places); the mean stays missing if the sum does not fit. */
static void total_stats(SumStats *st, TlDec *t, size_t n)
{
    if (n == 0)
        return;
    qsort(t, n, sizeof *t, cmp_dec);
    st->min_total = val_num(t[0]);
    st->max_total = val_num(t[n - 1]);
    TlDec mid = t[n / 2], two = dec_from_int(2), sum = dec_from_int(0), d;
    if (n % 2 == 0 && dec_add(t[n / 2 - 1], t[n / 2], &d) && dec_div(d, two, &d))
        mid = d;
    st->median_total = val_num(dec_normalize(mid));
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++)
        ok = dec_add(sum, t[i], &sum);
    if (ok && dec_div(sum, dec_from_int((int64_t)n), &d))
        st->mean_total = val_num(dec_normalize(dec_round(d, 2)));
}

/* Which tenth of its maximum a total falls in (0..SUM_BINS-1), or -1. */
static int bin_of(const SumRow *r)
{
    if (r->total.kind != TL_NUM || r->max.kind != TL_NUM || dec_sign(r->max.u.num) <= 0)
        return -1;
    double f = dec_to_double(r->total.u.num) / dec_to_double(r->max.u.num);
    int b = (int)floor(f * SUM_BINS);
    return b < 0 ? 0 : b >= SUM_BINS ? SUM_BINS - 1 : b;
}

static void bin_labels(SumStats *st)
{
    for (int i = 0; i < SUM_BINS; i++) {
        SumBin *b = &st->bins[i];
        TlDec from, to;
        if (st->common_max && dec_mul(st->max.u.num, dec_make(i, 1), &from) &&
            dec_mul(st->max.u.num, dec_make(i + 1, 1), &to)) {
            dec_format_trim(dec_round(from, 2), 2, b->from);
            dec_format_trim(dec_round(to, 2), 2, b->to);
        } else {
            snprintf(b->from, sizeof b->from, "%d%%", 100 * i / SUM_BINS);
            snprintf(b->to, sizeof b->to, "%d%%", 100 * (i + 1) / SUM_BINS);
        }
    }
}

void sum_stats(const OutSummary *s, const Program *prog, SumStats *st)
{
    memset(st, 0, sizeof *st);
    st->reports = s->len;
    for (int i = 0; prog && i < prog->ngrades; i++) {
        st->grades = xrealloc(st->grades, (size_t)(st->ngrades + 1) * sizeof *st->grades);
        st->grades[st->ngrades++] = (SumGrade){prog->grades[i].name, 0};
    }
    TlDec *totals = xmalloc((s->len + 1) * sizeof *totals);
    st->gaps = xmalloc((s->len + 1) * sizeof *st->gaps);
    st->ranking = xmalloc((s->len + 1) * sizeof *st->ranking);
    st->unscored = xmalloc((s->len + 1) * sizeof *st->unscored);
    st->common_max = true;
    for (size_t i = 0; i < s->len; i++) {
        const SumRow *r = &s->rows[i];
        st->ranking[i] = r;
        if (r->by_severity[DIAG_ERROR] + r->by_severity[DIAG_WARNING] > 0)
            st->flagged++;
        if (r->error) {
            st->unscored[st->not_scored++] = r;
            continue;
        }
        st->scored++;
        count_grade(st, r->grade);
        if (r->grade && r->stated_grade && strcmp(r->grade, r->stated_grade) != 0)
            st->grade_differs++;
        if (r->total.kind == TL_NUM) {
            totals[st->with_total++] = r->total.u.num;
            if (r->max.kind != TL_NUM || (st->max.kind == TL_NUM && dec_cmp(st->max.u.num, r->max.u.num)))
                st->common_max = false;
            else
                st->max = r->max;
            int b = bin_of(r);
            if (b >= 0)
                st->bins[b].count++;
        }
        if (r->claimed_known) {
            st->with_claim++;
            if (!dec_is_zero(r->gap))
                st->gaps[st->gap_nonzero++] = r;
        }
    }
    if (st->with_total == 0 || st->max.kind != TL_NUM)
        st->common_max = false;
    total_stats(st, totals, st->with_total);
    free(totals);
    bin_labels(st);
    qsort(st->gaps, st->gap_nonzero, sizeof *st->gaps, cmp_gap);
    st->ngaps = st->gap_nonzero < SUM_TOP_GAPS ? (int)st->gap_nonzero : SUM_TOP_GAPS;
    qsort(st->ranking, s->len, sizeof *st->ranking, cmp_rank);
    st->kinds = xmalloc(F_KIND_COUNT * sizeof *st->kinds);
    for (int k = 0; k < F_KIND_COUNT; k++)
        if (s->kind_findings[k])
            st->kinds[st->nkinds++] = (SumKind){(FindingKind)k, s->kind_findings[k], s->kind_reports[k]};
    qsort(st->kinds, (size_t)st->nkinds, sizeof *st->kinds, cmp_kind);
}

void sum_stats_free(SumStats *st)
{
    free(st->grades);
    free(st->gaps);
    free(st->ranking);
    free(st->unscored);
    free(st->kinds);
    memset(st, 0, sizeof *st);
}

/* Writing the summary -------------------------------------------------------- */

static const char *pts(const TlValue *v, char *buf) { return out_points_text(v, buf); }
/* A row's recomputed total, its range where it has one ("47.5–87.5");
 * buf holds OUT_TOTAL_BUF bytes. */
static const char *row_total(const SumRow *r, char *buf)
{
    const char *t = out_total_text(&r->total, &r->total_max, buf);
    return t ? t : out_points_text(&r->total, buf);
}
static const char *dec_or_null(TlDec d, char *buf) { return out_dec_text(d, buf); }

/* A table laid out in display columns, two spaces apart, no trailing blanks. */
#define SUM_COLS 6
typedef struct SumTable {
    int ncol;
    size_t width[SUM_COLS];
    bool right[SUM_COLS];    /* numbers are right-aligned */
} SumTable;

static size_t width_of(const char *s) { return text_width(s, strlen(s)); }

static void table_fit(SumTable *t, const char *const *cell)
{
    for (int c = 0; c < t->ncol; c++) {
        size_t w = width_of(cell[c] ? cell[c] : "");
        if (w > t->width[c])
            t->width[c] = w;
    }
}

static void table_row(FILE *f, const SumTable *t, const char *const *cell)
{
    int last = t->ncol - 1;
    while (last > 0 && !(cell[last] && *cell[last]))
        last--;
    fputs("  ", f);
    for (int c = 0; c <= last; c++) {
        const char *s = cell[c] ? cell[c] : "";
        size_t pad = t->width[c] - width_of(s);
        if (c)
            fputs("  ", f);
        if (t->right[c])
            fprintf(f, "%*s", (int)pad, "");
        for (const char *p = s; *p; p++) /* one line per row: control characters as spaces */
            putc((unsigned char)*p < 0x20 ? ' ' : *p, f);
        if (!t->right[c] && c < last)
            fprintf(f, "%*s", (int)pad, "");
    }
    putc('\n', f);
}

static const char *grade_label(const SumGrade *g) { return g->name ? g->name : _("(none)"); }

static void text_grades(FILE *f, const SumStats *st)
{
    if (st->ngrades == 0)
        return;
    fprintf(f, "\n%s\n", _("grades (of the recomputed totals):"));
    SumTable t = {2, {0}, {false, true}};
    char n[32];
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < st->ngrades; i++) {
            snprintf(n, sizeof n, "%zu", st->grades[i].count);
            const char *cell[2] = {grade_label(&st->grades[i]), n};
            pass ? table_row(f, &t, cell) : table_fit(&t, cell);
        }
    if (st->grade_differs)
        fprintf(f, _("  the stated grade differs from the recomputed one in %zu of %zu reports\n"),
                st->grade_differs, st->scored);
}

static void text_totals(FILE *f, const SumStats *st)
{
    if (st->with_total == 0)
        return;
    char a[VAL_BUF], b[VAL_BUF], c[VAL_BUF], d[VAL_BUF], m[VAL_BUF];
    if (st->common_max)
        fprintf(f, _("\nrecomputed totals (out of %s):\n"), pts(&st->max, m));
    else
        fprintf(f, "\n%s\n", _("recomputed totals:"));
    fprintf(f, _("  lowest %s, median %s, mean %s, highest %s\n"), pts(&st->min_total, a),
            pts(&st->median_total, b), st->mean_total.kind == TL_NUM ? pts(&st->mean_total, c) : "—",
            pts(&st->max_total, d));
    SumTable t = {2, {0}, {false, true}};
    char range[2 * DEC_BUF + 8], n[32];
    const char *head[2] = {_("range"), _("reports")};
    table_fit(&t, head);
    for (int pass = 0; pass < 2; pass++) {
        if (pass)
            table_row(f, &t, head);
        for (int i = SUM_BINS - 1; i >= 0; i--) {
            snprintf(range, sizeof range, "%s–%s", st->bins[i].from, st->bins[i].to);
            snprintf(n, sizeof n, "%zu", st->bins[i].count);
            const char *cell[2] = {range, n};
            pass ? table_row(f, &t, cell) : table_fit(&t, cell);
        }
    }
}

static void text_gaps(FILE *f, const SumStats *st)
{
    if (st->with_claim == 0)
        return;
    fprintf(f, _("\nstated and recomputed totals differ in %zu of %zu reports"), st->gap_nonzero,
            st->with_claim);
    if (st->ngaps == 0) {
        fputs("\n", f);
        return;
    }
    fprintf(f, "%s\n", _("; the largest gaps:"));
    SumTable t = {4, {0}, {false, true, true, true}};
    const char *head[4] = {_("report"), _("stated"), _("recomputed"), _("gap")};
    table_fit(&t, head);
    char b[OUT_TOTAL_BUF], c[DEC_BUF + 8], g[DEC_BUF];
    for (int pass = 0; pass < 2; pass++) {
        if (pass)
            table_row(f, &t, head);
        for (int i = 0; i < st->ngaps; i++) {
            const SumRow *r = st->gaps[i];
            snprintf(c, sizeof c, "%s%s", dec_or_null(r->claimed, g), r->claimed_is_stated ? "" : "*");
            dec_format_trim(r->gap, OUT_PLACES, g);
            char gap[DEC_BUF + 2];
            snprintf(gap, sizeof gap, "%s%s", dec_sign(r->gap) > 0 ? "+" : "", g);
            const char *cell[4] = {r->id, c, row_total(r, b), gap};
            pass ? table_row(f, &t, cell) : table_fit(&t, cell);
        }
    }
    for (int i = 0; i < st->ngaps; i++)
        if (!st->gaps[i]->claimed_is_stated) {
            fprintf(f, "  %s\n", _("* no stated total: the sum of the self-awarded scores"));
            break;
        }
}

static void text_kinds(FILE *f, const SumStats *st)
{
    if (st->nkinds == 0) {
        fprintf(f, "\n%s\n", _("findings: none"));
        return;
    }
    fprintf(f, "\n%s\n", _("most common findings:"));
    SumTable t = {4, {0}, {false, false, true, true}};
    const char *head[4] = {_("code"), _("severity"), _("findings"), _("reports")};
    table_fit(&t, head);
    char a[32], b[32];
    for (int pass = 0; pass < 2; pass++) {
        if (pass)
            table_row(f, &t, head);
        for (int i = 0; i < st->nkinds; i++) {
            const FindingInfo *info = finding_info(st->kinds[i].kind);
            snprintf(a, sizeof a, "%zu", st->kinds[i].findings);
            snprintf(b, sizeof b, "%zu", st->kinds[i].reports);
            const char *cell[4] = {info->code, _(out_severity_name[info->severity]), a, b};
            pass ? table_row(f, &t, cell) : table_fit(&t, cell);
        }
    }
}

/* One line of text: control characters as spaces. */
static void put_line_text(FILE *f, const char *s)
{
    for (; *s; s++)
        putc((unsigned char)*s < 0x20 ? ' ' : *s, f);
}

static void sum_text(FILE *f, const SumStats *st)
{
    fprintf(f, _("batch summary: %zu reports, %zu not scored, %zu with findings\n"), st->reports,
            st->not_scored, st->flagged);
    if (st->not_scored)
        fprintf(f, "\n%s\n", _("not scored:"));
    for (size_t i = 0; i < st->not_scored; i++) {
        fputs("  ", f);
        put_line_text(f, st->unscored[i]->id);
        fputs(_(": "), f);
        put_line_text(f, st->unscored[i]->error);
        putc('\n', f);
    }
    text_grades(f, st);
    text_totals(f, st);
    text_gaps(f, st);
    text_kinds(f, st);
}

/* One line of the summary's CSV: section,key,detail,count,reports,stated,recomputed,gap */
static void csv_line(const Output *o, const char *const *cell)
{
    for (int i = 0; i < 8; i++) {
        if (i)
            putc(',', o->f);
        out_csv_field(o, cell[i]);
    }
    fputs("\r\n", o->f);
}

static void sum_csv(const Output *o, const SumStats *st)
{
    FILE *f = o->f;
    fputs("section,key,detail,count,reports,stated,recomputed,gap\r\n", f);
    char n[32], m[32], a[VAL_BUF], b[OUT_TOTAL_BUF], c[DEC_BUF];
    struct { const char *key; size_t n; } batch[] = {
        {"reports", st->reports}, {"not scored", st->not_scored},
        {"with findings", st->flagged}, {"grade differs", st->grade_differs},
        {"stated total differs", st->gap_nonzero},
    };
    for (size_t i = 0; i < sizeof batch / sizeof *batch; i++) {
        snprintf(n, sizeof n, "%zu", batch[i].n);
        csv_line(o, (const char *[8]){"batch", batch[i].key, NULL, n});
    }
    for (size_t i = 0; i < st->not_scored; i++)
        csv_line(o, (const char *[8]){"not scored", st->unscored[i]->id, st->unscored[i]->error});
    for (int i = 0; i < st->ngrades; i++) {
        snprintf(n, sizeof n, "%zu", st->grades[i].count);
        csv_line(o, (const char *[8]){"grade", st->grades[i].name, NULL, n});
    }
    if (st->with_total) {
        struct { const char *key; const TlValue *v; } stat[] = {
            {"lowest", &st->min_total}, {"median", &st->median_total},
            {"mean", &st->mean_total}, {"highest", &st->max_total},
        };
        for (size_t i = 0; i < sizeof stat / sizeof *stat; i++)
            csv_line(o, (const char *[8]){"total", stat[i].key, NULL, NULL, NULL, NULL, pts(stat[i].v, a)});
        for (int i = 0; i < SUM_BINS; i++) {
            char range[2 * DEC_BUF + 8];
            snprintf(range, sizeof range, "%s–%s", st->bins[i].from, st->bins[i].to);
            snprintf(n, sizeof n, "%zu", st->bins[i].count);
            csv_line(o, (const char *[8]){"bin", range, NULL, n});
        }
    }
    for (int i = 0; i < st->ngaps; i++) {
        const SumRow *r = st->gaps[i];
        char g[DEC_BUF];
        csv_line(o, (const char *[8]){"gap", r->id, r->claimed_is_stated ? "stated total" : "reported sum",
                                      NULL, NULL, dec_or_null(r->claimed, c), row_total(r, b),
                                      out_dec_text(r->gap, g)});
    }
    for (int i = 0; i < st->nkinds; i++) {
        const FindingInfo *info = finding_info(st->kinds[i].kind);
        snprintf(n, sizeof n, "%zu", st->kinds[i].findings);
        snprintf(m, sizeof m, "%zu", st->kinds[i].reports);
        csv_line(o, (const char *[8]){"finding", info->code, out_severity_name[info->severity], n, m});
    }
}

/* JSON ----------------------------------------------------------------------- */

static void json_num(FILE *f, const TlValue *v)
{
    char buf[VAL_BUF];
    fputs(v->kind == TL_NUM ? out_points_text(v, buf) : "null", f);
}

static void sum_json(FILE *f, const SumStats *st)
{
    char buf[DEC_BUF];
    fprintf(f, "{\n  \"reports\": %zu,\n  \"not_scored\": %zu,\n  \"with_findings\": %zu,\n",
            st->reports, st->not_scored, st->flagged);
    fputs("  \"not_scored_reports\": [", f);
    for (size_t i = 0; i < st->not_scored; i++) {
        fputs(i ? ",\n    {\"report\": " : "\n    {\"report\": ", f);
        out_json_str(f, st->unscored[i]->id);
        fputs(", \"error\": ", f);
        out_json_str(f, st->unscored[i]->error);
        putc('}', f);
    }
    fputs(st->not_scored ? "\n  ],\n" : "],\n", f);
    fputs("  \"grades\": [", f);
    for (int i = 0; i < st->ngrades; i++) {
        fputs(i ? ",\n    {\"grade\": " : "\n    {\"grade\": ", f);
        out_json_str(f, st->grades[i].name);
        fprintf(f, ", \"reports\": %zu}", st->grades[i].count);
    }
    fprintf(f, "%s],\n  \"grade_differs\": %zu,\n", st->ngrades ? "\n  " : "", st->grade_differs);
    fprintf(f, "  \"totals\": {\"reports\": %zu, \"out_of\": ", st->with_total);
    json_num(f, st->common_max ? &st->max : &(TlValue){0});
    fputs(", \"lowest\": ", f);
    json_num(f, &st->min_total);
    fputs(", \"median\": ", f);
    json_num(f, &st->median_total);
    fputs(", \"mean\": ", f);
    json_num(f, &st->mean_total);
    fputs(", \"highest\": ", f);
    json_num(f, &st->max_total);
    fputs(",\n    \"bins\": [", f);
    for (int i = 0; st->with_total && i < SUM_BINS; i++) {
        fputs(i ? ",\n      {\"from\": " : "\n      {\"from\": ", f);
        if (st->common_max)
            fprintf(f, "%s, \"to\": %s", st->bins[i].from, st->bins[i].to);
        else
            fprintf(f, "\"%s\", \"to\": \"%s\"", st->bins[i].from, st->bins[i].to);
        fprintf(f, ", \"reports\": %zu}", st->bins[i].count);
    }
    fprintf(f, "%s]},\n", st->with_total ? "\n    " : "");
    fprintf(f, "  \"gaps\": {\"reports\": %zu, \"differ\": %zu, \"largest\": [", st->with_claim,
            st->gap_nonzero);
    for (int i = 0; i < st->ngaps; i++) {
        const SumRow *r = st->gaps[i];
        fputs(i ? ",\n      {\"report\": " : "\n      {\"report\": ", f);
        out_json_str(f, r->id);
        fprintf(f, ", \"claimed\": %s", dec_or_null(r->claimed, buf));
        fprintf(f, ", \"claimed_from\": \"%s\", \"total\": ",
                r->claimed_is_stated ? "stated_total" : "reported_sum");
        json_num(f, &r->total);
        fputs(", \"total_max\": ", f);
        json_num(f, &r->total_max);
        fprintf(f, ", \"gap\": %s}", out_dec_text(r->gap, buf));
    }
    fprintf(f, "%s]},\n", st->ngaps ? "\n    " : "");
    fputs("  \"findings\": [", f);
    for (int i = 0; i < st->nkinds; i++) {
        const FindingInfo *info = finding_info(st->kinds[i].kind);
        fprintf(f, "%s{\"kind\": \"%s\", \"severity\": \"%s\", \"findings\": %zu, \"reports\": %zu}",
                i ? ",\n    " : "\n    ", info->code, out_severity_name[info->severity],
                st->kinds[i].findings, st->kinds[i].reports);
    }
    fprintf(f, "%s]\n}\n", st->nkinds ? "\n  " : "");
}

void sum_write(const Output *o, const SumStats *st)
{
    switch (o->fmt) {
    case OUT_TEXT: sum_text(o->f, st); break;
    case OUT_CSV: sum_csv(o, st); break;
    case OUT_JSON: sum_json(o->f, st); break;
    case OUT_XLSX: break;
    case OUT_HTML: break;
    }
}
