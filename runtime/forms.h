/* forms.h - the forms a run reads data with (docs/data.md, "Forms"): a
 * rule file's `form` declarations, or, when it declares none, the default
 * forms of rules/forms.tally, which the build embeds in the program. */
#ifndef TALLY_FORMS_H
#define TALLY_FORMS_H

#include "lang/program.h"
#include "runtime/data/formspec.h"

/* The FormSet for p (NULL: the default forms with every figure), in arena:
 * figures limited to p's inputs, grades from p's `grades`.  NULL only when
 * the default forms do not compile (a broken build; messages in diags). */
const FormSet *forms_for_program(const Program *p, Arena *arena, DiagList *diags);

/* The text of rules/forms.tally as built in. */
const char *forms_default_text(size_t *len);

#endif
