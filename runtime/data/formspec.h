/* formspec.h - what form recognition looks for (docs/data.md, "Forms").
 *
 * A FormSet is the `form` declarations of a rule file (lang/ checks them,
 * runtime/forms.c turns them into this), or the default forms of
 * rules/forms.tally when a rule file declares none.  The readers of forms
 * (xlsx, xls, docx, HTML, Excel-shaped CSV) hand their grids to the form
 * layer (form.c), which uses a FormSet to find the 自评表, its budget block,
 * its 总分 and 自评结论, the report's name and the named figures.  Every
 * word here is compared after normalising (form_norm): white space removed,
 * full-width forms folded, a trailing colon dropped.
 */
#ifndef TALLY_FORMSPEC_H
#define TALLY_FORMSPEC_H

#include <stdbool.h>
#include <stddef.h>

/* Columns of the indicator table. */
typedef enum FormColumn {
    FC_LEVEL1,
    FC_LEVEL2,
    FC_INDICATOR,
    FC_TARGET,
    FC_ACTUAL,
    FC_WEIGHT,
    FC_REPORTED,
    FC_REASON,
    FC_SIGN,      /* 指标性质: the target's sign, when the form splits the target */
    FC_UNIT,      /* 度量单位: the target's unit, likewise */
    FC_COUNT
} FormColumn;

/* Columns of the budget block (年度资金总额 row). */
typedef enum FormBudgetColumn {
    FB_PLANNED,   /* 年初预算数 */
    FB_BUDGET,    /* 全年预算数: the budget row's target */
    FB_SPENT,     /* 全年执行数: its actual */
    FB_WEIGHT,    /* 分值 */
    FB_RATE,      /* 执行率 (read, not used: the rules compute it) */
    FB_REPORTED,  /* 得分 */
    FB_COUNT
} FormBudgetColumn;

/* How a named figure is found (the `figure` lines of a form). */
typedef enum FormFigureHow {
    FIG_RIGHT,    /* the cell right of LABEL [in a row holding CONTEXT] */
    FIG_BELOW,    /* the cell below LABEL */
    FIG_CELL,     /* the cell in the row labelled LABEL, under the column headed CONTEXT */
    FIG_AFTER,    /* the number after the words CONTEXT in the cell right of LABEL */
    FIG_TICK,     /* the ticked answer (☑) after the question CONTEXT in the cell right of LABEL */
    FIG_ACTUAL,   /* the actual of the indicator row named LABEL */
    FIG_BUDGET,   /* a cell of the budget block (budget_column) */
} FormFigureHow;

typedef struct FormWords {
    const char *const *words; /* normalised (form_norm) */
    size_t n;
} FormWords;

typedef struct FormFigure {
    const char *name;     /* the figure's name: an input of the rules */
    FormFigureHow how;
    const char *label;    /* normalised */
    const char *context;  /* normalised; NULL when none */
    int budget_column;    /* FIG_BUDGET: a FormBudgetColumn */
} FormFigure;

typedef struct FormSpec {
    const char *name;               /* the form's name, for messages */
    FormWords column[FC_COUNT];     /* header words of each column */
    FormWords budget[FB_COUNT];     /* header words of the budget block's columns */
    FormWords budget_row;           /* the budget block's total row: 年度资金总额 */
    FormWords total;                /* the total row: 总分 */
    FormWords grade;                /* the stated grade's label: 自评结论 */
    FormWords head;                 /* labels of the report's name, in order */
    FormFigure *figures;
    size_t nfigures;
} FormSpec;

typedef struct FormSet {
    const FormSpec *forms;          /* tried in order; the first whose header matches */
    size_t n;
    const char *const *grades;      /* the rule file's grade names (a stated grade must be one) */
    size_t ngrades;
    const char *origin;             /* where the forms come from, for messages */
    bool tables;                    /* the rules score a report's own table: read its rows
                                       (else only the figures the table holds) */
} FormSet;

/* s normalised for comparing form words: white space removed, full-width
 * forms folded to ASCII, one trailing ':' dropped.  A heap string. */
char *form_norm(const char *s, size_t n);

#endif
