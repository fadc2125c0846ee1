/* form.h - what a `form` declaration means (docs/language.md §3.13,
 * docs/data.md "Forms").
 *
 * The grammar keeps a form's entries as words (grammar/ast.h, FormEntry);
 * this module checks them - known entries, known column roles, no word
 * given to two columns, figures located by a known kind with the right
 * number of arguments - and names the roles, in the order the form layer
 * (runtime/data/formspec.h) numbers them.
 */
#ifndef TALLY_FORM_DECL_H
#define TALLY_FORM_DECL_H

#include "grammar/ast.h"
#include "lang/base/diag.h"

/* Column roles of the indicator table, NULL-terminated, in FormColumn order. */
extern const char *const form_column_roles[];
/* Column roles of the budget block, in FormBudgetColumn order. */
extern const char *const form_budget_roles[];
/* How a figure is found, in FormFigureHow order. */
extern const char *const form_figure_kinds[];

/* Index of `word` in a NULL-terminated list, or -1. */
int form_role_index(const char *const *roles, const char *word);

/* Check one form declaration; every error is appended to diags. */
void form_check_decl(const Source *src, const Decl *d, DiagList *diags);

#endif
