/* applies.c - `applies 2022..2023`, `applies 2024`, `applies from 2024`:
 * the years of the reports a rule file scores (applies.h).  Which version
 * scores which report is the runtime's choice (runtime/versions.c), by the
 * report's year, never by today's date. */
#include "applies.h"

#include <stdio.h>

#include "imports.h"
#include "lang/base/l10n.h"

/* A year as written, or 0 with an error. */
static int year_of(Program *p, TlValue v, Span at, DiagList *diags)
{
    if (v.kind != TL_NUM || v.numkind != NUM_PLAIN || v.u.num.scale != 0 ||
        v.u.num.coef < APPLIES_MIN_YEAR || v.u.num.coef > APPLIES_MAX_YEAR) {
        diag_at(diags, DIAG_ERROR, &p->src, at, _("a year is a whole number such as 2024"));
        return 0;
    }
    return (int)v.u.num.coef;
}

void applies_check(Program *p, Decl *d, DiagList *diags)
{
    if (p->applies) {
        int line, col;
        source_position(&p->src, p->applies->span.start, &line, &col);
        Diag *dg = diag_at(diags, DIAG_ERROR, &p->src, d->span, _("applies is declared twice (first at line %d)"),
                           line);
        imports_hint(&p->src, dg, p->applies->span, d->span, "applies");
        return;
    }
    int from = year_of(p, d->u.applies.from, d->u.applies.from_span, diags);
    bool single = d->u.applies.to_span.start == d->u.applies.from_span.start; /* applies 2024 */
    int to = d->u.applies.to.kind == TL_MISSING ? 0
             : single                           ? from
                                                : year_of(p, d->u.applies.to, d->u.applies.to_span, diags);
    if (!from || (d->u.applies.to.kind != TL_MISSING && !to))
        return;
    if (to && to < from) {
        diag_at(diags, DIAG_ERROR, &p->src, d->span, _("the years run backwards: %d..%d"), from, to);
        return;
    }
    p->applies = d;
    p->applies_from = from;
    p->applies_to = to;
}

bool program_applies_to(const Program *p, int year)
{
    return !p->applies || (year >= p->applies_from && (!p->applies_to || year <= p->applies_to));
}

const char *program_applies_text(const Program *p, char *buf, size_t n)
{
    if (!p->applies)
        snprintf(buf, n, "%s", "");
    else if (!p->applies_to)
        snprintf(buf, n, "from %d", p->applies_from);
    else if (p->applies_to == p->applies_from)
        snprintf(buf, n, "%d", p->applies_from);
    else
        snprintf(buf, n, "%d..%d", p->applies_from, p->applies_to);
    return buf;
}
