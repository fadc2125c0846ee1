/* output.c - the entry points of output (output.h), and what the text, CSV
 * and JSON writers share (formats.h): values and points as text. */
#include "output.h"

#include <stdio.h>
#include <string.h>

#include "formats.h"

const char *const out_severity_name[3] = {"error", "warning", "note"};

const char *out_value_text(const TlValue *v, char *buf)
{
    if (v->kind == TL_MISSING)
        return NULL;
    if (v->kind == TL_TEXT)
        return v->u.text ? v->u.text : "";
    val_format(v, buf);
    return buf;
}

const char *out_points_text(const TlValue *v, char *buf)
{
    if (v->kind != TL_NUM)
        return out_value_text(v, buf);
    dec_format_trim(v->u.num, OUT_PLACES, buf);
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
    snprintf(buf, n, "%s:%d", out_or_empty(fi->src->name), line);
    return buf;
}

void output_begin(Output *o)
{
    o->count = o->failed = o->flagged = 0;
    if (o->fmt == OUT_CSV)
        fputs(out_csv_header, o->f);
    else if (o->fmt == OUT_JSON)
        fputc('[', o->f);
}

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
    switch (o->fmt) {
    case OUT_TEXT: out_text_report(o, r); break;
    case OUT_CSV: out_csv_report(o, r); break;
    case OUT_JSON: out_json_report(o, r); break;
    }
}

void output_part(const Output *o, FILE *f, size_t index, Output *part)
{
    *part = *o;
    part->f = f;
    part->count = index;
    part->failed = part->flagged = 0;
}

void output_join(Output *o, const Output *part)
{
    o->count = part->count;
    o->failed += part->failed;
    o->flagged += part->flagged;
}

void output_end(Output *o)
{
    switch (o->fmt) {
    case OUT_TEXT:
        fprintf(o->f, "%s%zu report%s, %zu not scored, %zu with findings\n", o->count ? "\n" : "",
                o->count, o->count == 1 ? "" : "s", o->failed, o->flagged);
        break;
    case OUT_CSV: break;
    case OUT_JSON: fputs(o->count ? "\n]\n" : "]\n", o->f); break;
    }
}
