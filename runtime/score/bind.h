/* bind.h - a report's figures bound to the rules' inputs.
 *
 * Each input a rule file declares (`input 编制数 : number`, `: 万元`, `:
 * boolean`) reads the report's figure of the same name, converted to the
 * declared type (docs/data.md): a bare number in a column declared in 万元
 * is in 万元, 是/否 answer a boolean, a count written with its unit is a
 * number.  A figure that cannot be converted is a bad cell: the input is
 * missing, the report is still scored.  The scorer binds every report this way, and the column batch
 * lays out the same values (columns.h).
 */
#ifndef TALLY_BIND_H
#define TALLY_BIND_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "lang/program.h"
#include "runtime/data/report.h"

typedef enum BindResult {
    BIND_OK, BIND_TOO_LARGE, BIND_NOT_IN_UNIT, BIND_BAD,
    BIND_MIXED_PERCENT, /* a bare number in a percent column read both ways (85, 0.9) */
} BindResult;

/* Is `in` declared percent (its bare numbers read by column, docs/data.md)?
 * Inline, an input with a unit (万元, 人) answered first: asked twice for
 * every figure bound (issue 16). */
static inline bool bind_is_percent(const Sym *in)
{
    if (in->unit_written)
        return false;
    const char *t = in->decl ? in->decl->u.input.type_name : NULL;
    return t && ((t[0] == 'p' && strcmp(t, "percent") == 0) || (t[0] == '%' && !t[1]));
}

/* A report figure converted to the type its input of p declares, read with
 * p's words (missing markers, yes and no). */
BindResult bind_convert(const Program *p, const Sym *in, const Figure *fig, TlValue *out);
/* bind_convert(), or false (the input missing) with what is wrong with the
 * cell and what would be accepted there, messages in arena (E_BAD_CELL). */
bool bind_input(Arena *arena, const Program *p, const Sym *in, const Figure *fig, TlValue *out,
                const char **problem, const char **accepted);

/* The figure names of the last report bound (copied: that report's storage
 * may be gone by the next one) and, per input, the figure it reads. */
typedef struct InputLayout {
    bool valid;
    uint64_t layout;             /* the report's Report.figure_layout (0: none) */
    size_t n;                    /* figures */
    size_t *off;                 /* where figure k's name starts in text */
    char *text;                  /* the names, each NUL-terminated */
    size_t off_cap, text_cap;
    size_t *fig;                 /* per input: index into the figures, or SIZE_MAX */
} InputLayout;

void layout_init(InputLayout *l, const Program *p);
void layout_free(InputLayout *l);
/* Per input of p, the index of the figure of r it reads (SIZE_MAX: none),
 * as report_figure() finds it; valid until the next call. */
const size_t *layout_figures(InputLayout *l, const Program *p, const Report *r);

/* Compare the figures each data file supplies with the rules' inputs: an
 * input no file supplies is an error (with a "did you mean" from the
 * file's columns), a column no input uses is a warning.  Files holding
 * only indicator tables are skipped. */
void bind_check_columns(const Program *prog, const ReportSet *set, DiagList *diags);

#endif
