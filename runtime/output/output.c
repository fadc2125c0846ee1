/* output.c - the entry points of output (output.h), and what the writers
 * share (formats.h): values and points as text. */
#include "output.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "formats.h"
#include "outbuf.h"
#include "lang/base/text.h"
#include "summary.h"

const char *const out_severity_name[3] = {N_("error"), N_("warning"), N_("note")};

const char *out_label(const char *en, const char *sep, bool en_first, char *buf)
{
    const char *zh = l10n_text_in(TL_LANG_ZH, en);
    if (l10n_lang() == TL_LANG_ZH)
        return zh;
    if (zh == en)
        return en;
    snprintf(buf, OUT_LABEL_BUF, "%s%s%s", en_first ? en : zh, sep, en_first ? zh : en);
    return buf;
}

const char *out_bi(const char *label)
{
    static _Thread_local char buf[8][128];
    static _Thread_local unsigned next;
    const char *space = strchr(label, ' ');
    if (l10n_lang() != TL_LANG_ZH || !space || (size_t)(space - label) >= sizeof buf[0])
        return label;
    char *b = buf[next++ % 8];
    memcpy(b, label, (size_t)(space - label));
    b[space - label] = '\0';
    return b;
}

const char *out_value_text(const TlValue *v, char *buf)
{
    if (v->kind == TL_MISSING)
        return NULL;
    if (v->kind == TL_TEXT)
        return v->u.text ? v->u.text : "";
    val_format(v, buf);
    return buf;
}

const char *out_shown_text(const Output *o, const TlValue *v, char *buf)
{
    int places = o->prog ? o->prog->opt.show_places : -1;
    if (places < 0 || v->kind != TL_NUM || v->numkind == NUM_QUANTITY || v->mag)
        return out_value_text(v, buf);
    /* a percentage to `places` places of a percent, a plain number to
     * `places` places; '≈' says the figure shown is not the exact one */
    TlValue r = *v;
    r.u.num = dec_round(v->u.num, places + (v->numkind == NUM_PERCENT ? 2 : 0));
    bool rounded = dec_cmp(r.u.num, v->u.num) != 0;
    if (rounded)
        r.flags &= (uint8_t)~VAL_APPROX;
    int n = 0;
    if (rounded)
        n = sprintf(buf, "≈");
    val_format(&r, buf + n);
    return buf;
}

const char *out_points_text(const TlValue *v, char *buf)
{
    if (v->kind != TL_NUM)
        return out_value_text(v, buf);
    dec_format_trim(v->u.num, OUT_PLACES, buf);
    return buf;
}

void out_total_range(const ReportResult *r, const TlValue **lo, const TlValue **hi)
{
    bool ranged = r->total_min.kind == TL_NUM; /* else no range was computed: the total */
    *lo = ranged ? &r->total_min : &r->total;
    *hi = ranged ? &r->total_max : &r->total;
}

bool out_is_range(const TlValue *lo, const TlValue *hi)
{
    return lo->kind == TL_NUM && (hi->kind != TL_NUM || dec_cmp(lo->u.num, hi->u.num) != 0);
}

const char *out_total_text(const TlValue *lo, const TlValue *hi, char *buf)
{
    if (lo->kind != TL_NUM)
        return NULL;
    char a[DEC_BUF], b[DEC_BUF];
    dec_format_trim(lo->u.num, OUT_PLACES, a);
    if (hi->kind != TL_NUM)
        snprintf(buf, OUT_TOTAL_BUF, "at least %s", a);
    else if (dec_cmp(lo->u.num, hi->u.num) == 0)
        snprintf(buf, OUT_TOTAL_BUF, "%s", a);
    else
        snprintf(buf, OUT_TOTAL_BUF, "%s–%s", a, (dec_format_trim(hi->u.num, OUT_PLACES, b), b));
    return buf;
}

const char *out_dec_text(TlDec d, char *buf)
{
    dec_format_trim(d, OUT_PLACES, buf);
    return buf;
}


const char *out_rule_text(const Finding *fi, char *buf, size_t n)
{
    if (!fi->src)
        return NULL;
    int line, col;
    source_position(fi->src, fi->rule.start, &line, &col);
    snprintf(buf, n, "%s:%d", out_or_empty(source_file_at(fi->src, fi->rule.start, NULL, NULL)), line);
    return buf;
}

bool out_score_differs(const Output *o, const ScoreEval *e)
{
    if (e->score.kind != TL_NUM || e->reported.kind != TL_NUM)
        return false;
    TlDec d, tol = o->prog ? o->prog->opt.score_tolerance : dec_from_int(0);
    if (!dec_sub(e->score.u.num, e->reported.u.num, &d) || d.coef == INT64_MIN)
        return true;
    return dec_cmp(dec_abs_unchecked(d), tol) > 0;
}

void out_escaped_to(OutBuf *b, const char *s, size_t n, const char *invalid, OutEscape esc)
{
    char buf[8];
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            uint32_t cp;
            int k = utf8_decode(s + i, n - i, &cp);
            if (k == 0) {
                outbuf_puts(b, invalid);
                i++;
            } else {
                outbuf_write(b, s + i, (size_t)k);
                i += (size_t)k;
            }
            continue;
        }
        i++;
        const char *as = esc(c, buf);
        if (as)
            outbuf_puts(b, as);
        else
            outbuf_byte(b, (char)c);
    }
}

void out_escaped(FILE *f, const char *s, const char *invalid, OutEscape esc)
{
    char mem[2 * OUTBUF_RESERVE];
    OutBuf b;
    outbuf_init(&b, f, mem, sizeof mem);
    out_escaped_to(&b, s, strlen(s), invalid, esc);
    outbuf_flush(&b);
}

bool out_copy_file(FILE *from, FILE *to)
{
    char buf[1 << 16];
    size_t n;
    rewind(from);
    while ((n = fread(buf, 1, sizeof buf, from)) > 0)
        if (fwrite(buf, 1, n, to) != n)
            return false;
    return !ferror(from);
}

void out_finding_counts(const ReportResult *r, int *errors, int *warnings, const char **codes,
                        int *ncodes)
{
    bool seen[F_KIND_COUNT] = {false};
    *errors = *warnings = *ncodes = 0;
    for (size_t i = 0; i < r->findings.len; i++) {
        FindingKind k = r->findings.items[i].kind;
        const FindingInfo *info = finding_info(k);
        *errors += info->severity == DIAG_ERROR;
        *warnings += info->severity == DIAG_WARNING;
        if (!seen[k])
            codes[(*ncodes)++] = info->code;
        seen[k] = true;
    }
}

/* Does this output keep summary rows? */
static bool keeps_summary(const Output *o)
{
    return o->summary || o->fmt == OUT_XLSX || o->fmt == OUT_HTML;
}

bool output_begin(Output *o)
{
    o->count = o->failed = o->flagged = 0;
    o->sum = NULL;
    o->book = NULL;
    o->page = NULL;
    o->error = NULL;
    if (keeps_summary(o))
        o->sum = sum_new();
    if (o->bom)
        fputs("\xEF\xBB\xBF", o->f);
    if (o->summary)
        return true;
    bool ok = true;
    switch (o->fmt) {
    case OUT_TEXT: break;
    case OUT_CSV: o->totals ? out_csv_totals_header(o) : out_csv_header(o); break;
    case OUT_JSON: fputc('[', o->f); break;
    case OUT_XLSX: ok = out_xlsx_begin(o); break;
    case OUT_HTML: ok = out_html_begin(o); break;
    }
    if (!ok) {
        sum_free(o->sum);
        o->sum = NULL;
    }
    return ok;
}

bool output_serial(const Output *o) { return o->fmt == OUT_XLSX && !o->summary; }

bool output_prints_messages(const Output *o) { return !o->summary && !o->totals; }

void output_report(Output *o, const ReportResult *r)
{
    o->count++;
    o->failed += r->error != NULL;
    for (size_t i = 0; i < r->findings.len; i++) {
        DiagSeverity s = finding_info(r->findings.items[i].kind)->severity;
        if (s == DIAG_ERROR || s == DIAG_WARNING) {
            o->flagged++;
            break;
        }
    }
    if (o->sum)
        sum_add(o->sum, r, o->count - 1);
    if (o->summary)
        return;
    if (o->totals) {
        switch (o->fmt) {
        case OUT_TEXT: out_text_totals(o, r); break;
        case OUT_CSV: out_csv_totals(o, r); break;
        case OUT_JSON: out_json_totals(o, r); break;
        case OUT_XLSX: break; /* refused (runtime/cli/main.c) */
        case OUT_HTML: break;
        }
        return;
    }
    switch (o->fmt) {
    case OUT_TEXT: out_text_report(o, r); break;
    case OUT_CSV: out_csv_report(o, r); break;
    case OUT_JSON: out_json_report(o, r); break;
    case OUT_XLSX: out_xlsx_report(o, r); break;
    case OUT_HTML: out_html_report(o, r); break;
    }
}

void output_part(const Output *o, FILE *f, size_t index, Output *part)
{
    *part = *o;
    part->f = f;
    part->count = index;
    part->failed = part->flagged = 0;
    part->sum = o->sum ? sum_new() : NULL;
}

void output_join(Output *o, const Output *part)
{
    o->count = part->count;
    o->failed += part->failed;
    o->flagged += part->flagged;
    if (o->sum && part->sum)
        sum_join(o->sum, part->sum);
}

bool output_end(Output *o)
{
    bool ok = true;
    SumStats st;
    if (o->sum)
        sum_stats(o->sum, o->prog, &st);
    if (o->summary) {
        sum_write(o, &st);
    } else {
        switch (o->fmt) {
        case OUT_TEXT:
            fputs(o->count ? "\n" : "", o->f);
            fprintf(o->f, o->count == 1 ? _("%zu report, %zu not scored, %zu with findings\n")
                                        : _("%zu reports, %zu not scored, %zu with findings\n"),
                    o->count, o->failed, o->flagged);
            break;
        case OUT_CSV: break;
        case OUT_JSON: fputs(o->count ? "\n]\n" : "]\n", o->f); break;
        case OUT_XLSX: ok = out_xlsx_end(o, &st); break;
        case OUT_HTML: ok = out_html_end(o, &st); break;
        }
    }
    if (o->sum) {
        sum_stats_free(&st);
        sum_free(o->sum);
        o->sum = NULL;
    }
    return ok;
}
