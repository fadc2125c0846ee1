/* parser.y - the rule-file grammar.  Actions only build nodes (build.c). */
%require "3.6" /* %define parse.error custom */
%define api.pure full
%define api.prefix {tly}
%define parse.error custom
%define parse.lac full
%locations
%expect 0
%param {yyscan_t scanner}
%parse-param {ParseState *ps}

%code requires {
#include "grammar/parse_state.h"
typedef void *yyscan_t;
struct NameItem;
struct TestItem;
#define TLYLTYPE SrcLoc
#define TLYLTYPE_IS_DECLARED 1
}

%code provides {
#ifndef YYSTYPE
#define YYSTYPE TLYSTYPE
#endif
#ifndef YYLTYPE
#define YYLTYPE SrcLoc
#endif
int tlylex(TLYSTYPE *lval, TLYLTYPE *lloc, yyscan_t scanner);
}

%code {
#include <stdlib.h>

#include "grammar/build.h"
#include "lang/base/l10n.h"
#include "lang/base/arena.h"

/* The parser's stack grows with the checked allocator: a failure is out of
 * memory (exit status 3), never "nested too deeply". */
#define YYMALLOC xmalloc
#define YYFREE free

static void tlyerror(SrcLoc *loc, yyscan_t scanner, ParseState *ps, const char *msg);

#define YYLLOC_DEFAULT(Cur, Rhs, N)                           \
    do {                                                      \
        if (N) {                                              \
            (Cur).start = YYRHSLOC(Rhs, 1).start;             \
            (Cur).end = YYRHSLOC(Rhs, N).end;                 \
        } else {                                              \
            (Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end;   \
        }                                                     \
    } while (0)

#define SP(loc) ((Span){(loc).start, (loc).end})
}

%union {
    char *str;
    TlValue lit;
    Expr *expr;
    Decl *decl;
    NodeList *list;
    Tier *tier;
    GradeBand *band;
    RowRule *rule;
    RowCond *cond;
    FormEntry *fentry;
    FormValue *fvalue;
    int op;
    struct NameItem *nitem;
    struct TestItem *item;
    TestCell *cell;
    TestFigure *figure;
    Expect *expect;
}

%token START_FILE START_REPL
%token <str> NAME QNAME TEXT
%token <lit> NUMBER PERCENT
%token SCHEME TOTAL OPTION GRADES INPUT LET METHOD INDICATOR GROUP CATEGORY CHECK
%token WITHIN ROWS WHEN USING ELSE IF THEN AND OR NOT TRUE FALSE MISSING TIERS
%token VALUE TARGET ACTUAL WEIGHT REPORTED SCORE ALIAS LEVEL1 LEVEL2 QUALIFIER KIND FORM
%token WORDS DIRECTION
%token EQ NE LE GE PLUSEQ ERRTOK
%token IMPORT OVERRIDE REMOVE APPLIES FROM TEST DOTDOT
/* keywords inside a test block only (lexer.l, test_words) */
%token ROW FIGURE DATA REPORT EXPECT SUBTOTAL GRADE FINDING NO ON

%type <str> name type_name category_name word list_name form_word
%type <expr> expr primary literal method_ref opt_total opt_within
%type <list> decl rule_decl decls_nonempty name_list args arg_list params param_list
%type <list> test_items figure_list cells
%type <item> test_item
%type <figure> figure
%type <nitem> test_text opt_on
%type <cell> cell cell_tokens
%type <str> cell_token
%type <expect> expect_value
%type <lit> signed_number
%type <op> remove_kind
%type <list> ind_clauses members category_list grade_list tier_list row_rules conds
%type <list> opt_alias word_list words_nonempty list_names form_entries form_values
%type <fentry> form_entry
%type <fvalue> form_value
%type <decl> indicator group member
%type <tier> tier
%type <band> grade_band
%type <rule> row_rule
%type <cond> cond
%type <op> cmp_op qual_op

%precedence ELSE
%left OR
%left AND
%precedence NOT
%nonassoc EQ NE '<' LE '>' GE
%left '+' '-'
%left '*' '/'
%precedence UMINUS

%%

start:
    START_FILE decls
  | START_REPL repl_input
  ;

decls:
    %empty
  | decls decl                { build_add_decls(ps, $2); }
  | decls error
  ;

repl_input:
    %empty
  | expr                      { ps->repl_expr = $1; }
  | decls_nonempty            { }
  ;

decls_nonempty:
    decl                      { build_add_decls(ps, $1); $$ = $1; }
  | decls_nonempty decl       { build_add_decls(ps, $2); $$ = $2; }
  ;

/* Declarations that import, override, remove and test (lang/imports.c,
 * lang/tests.c) around the declarations of the rules themselves. */
decl:
    rule_decl
  | OVERRIDE rule_decl        { $$ = build_override(ps, $2); }
  | OVERRIDE GROUP name WEIGHT expr opt_alias
                              { $$ = build_one(ps, build_group_override(ps, SP(@$), $3, SP(@3), $5, $6)); }
  | IMPORT QNAME              { $$ = build_one(ps, build_import(ps, SP(@$), $2, SP(@2))); }
  | REMOVE remove_kind name_list { $$ = build_one(ps, build_remove(ps, SP(@$), $2, $3)); }
  | REMOVE WORDS list_names   { $$ = build_one(ps, build_remove(ps, SP(@$), D_WORDS, $3)); }
  | TEST test_text '{' test_items '}'
                              { $$ = build_one(ps, build_test(ps, SP(@$), $2, $4)); }
  ;

rule_decl:
    SCHEME name opt_total     { $$ = build_one(ps, build_scheme(ps, SP(@$), $2, SP(@2), $3)); }
  | OPTION name '=' expr      { $$ = build_one(ps, build_option(ps, SP(@$), $2, SP(@2), $4)); }
  | GRADES grade_list         { $$ = build_one(ps, build_grades(ps, SP(@$), $2)); }
  | INPUT name_list ':' type_name { $$ = build_inputs(ps, SP(@$), $2, $4, SP(@4)); }
  | INPUT name_list           { $$ = build_inputs(ps, SP(@$), $2, NULL, SP(@2)); }
  | LET name '=' expr         { $$ = build_one(ps, build_let(ps, SP(@$), $2, SP(@2), $4)); }
  | METHOD name params '=' expr { $$ = build_one(ps, build_method(ps, SP(@$), $2, SP(@2), $3, $5)); }
  | indicator                 { $$ = build_one(ps, $1); }
  | group                     { $$ = build_one(ps, $1); }
  | CHECK name ':' expr opt_within { $$ = build_one(ps, build_check(ps, SP(@$), $2, SP(@2), $4, $5)); }
  | ROWS '{' row_rules '}'    { $$ = build_one(ps, build_rows(ps, SP(@$), $3)); }
  | WORDS list_name '=' word_list { $$ = build_one(ps, build_words(ps, SP(@$), $2, SP(@2), false, $4)); }
  | WORDS list_name PLUSEQ word_list { $$ = build_one(ps, build_words(ps, SP(@$), $2, SP(@2), true, $4)); }
  | APPLIES NUMBER            { $$ = build_one(ps, build_applies(ps, SP(@$), $2, SP(@2), $2, SP(@2))); }
  | APPLIES NUMBER DOTDOT NUMBER
                              { $$ = build_one(ps, build_applies(ps, SP(@$), $2, SP(@2), $4, SP(@4))); }
  | APPLIES FROM NUMBER       { $$ = build_one(ps, build_applies(ps, SP(@$), $3, SP(@3), val_missing(), SP(@3))); }
  | FORM name '{' form_entries '}' { $$ = build_one(ps, build_form(ps, SP(@$), $2, SP(@2), $4)); }
  ;

remove_kind:
    INPUT                     { $$ = D_INPUT; }
  | LET                       { $$ = D_LET; }
  | METHOD                    { $$ = D_METHOD; }
  | INDICATOR                 { $$ = D_INDICATOR; }
  | GROUP                     { $$ = D_GROUP; }
  | CHECK                     { $$ = D_CHECK; }
  | FORM                      { $$ = D_FORM; }
  ;

test_items:
    %empty                    { $$ = list_new(ps); }
  | test_items test_item      { $$ = list_push(ps, $1, $2); }
  ;

test_item:
    DATA QNAME                { $$ = build_test_data(ps, SP(@$), $2, SP(@2), NULL); }
  | DATA QNAME REPORT test_text { $$ = build_test_data(ps, SP(@$), $2, SP(@2), $4); }
  | FIGURE figure_list        { $$ = build_test_figures(ps, SP(@$), $2); }
  | ROW cells                 { $$ = build_test_row(ps, SP(@$), $2); }
  | EXPECT SCORE test_text expect_value
                              { $$ = build_test_expect(ps, SP(@$), EXPECT_SCORE, $3, $4, NULL); }
  | EXPECT SUBTOTAL test_text expect_value
                              { $$ = build_test_expect(ps, SP(@$), EXPECT_SUBTOTAL, $3, $4, NULL); }
  | EXPECT TOTAL expect_value { $$ = build_test_expect(ps, SP(@$), EXPECT_TOTAL, NULL, $3, NULL); }
  | EXPECT GRADE test_text    { $$ = build_test_expect(ps, SP(@$), EXPECT_GRADE, $3, NULL, NULL); }
  | EXPECT GRADE MISSING      { $$ = build_test_expect(ps, SP(@$), EXPECT_GRADE, NULL, NULL, NULL); }
  | EXPECT FINDING test_text opt_on
                              { $$ = build_test_expect(ps, SP(@$), EXPECT_FINDING, $3, NULL, $4); }
  | EXPECT NO FINDING opt_on  { $$ = build_test_expect(ps, SP(@$), EXPECT_NO_FINDING, NULL, NULL, $4); }
  | EXPECT NO FINDING test_text opt_on
                              { $$ = build_test_expect(ps, SP(@$), EXPECT_NO_FINDING, $4, NULL, $5); }
  ;

test_text:
    name                      { $$ = build_name_item(ps, $1, SP(@1)); }
  | TEXT                      { $$ = build_name_item(ps, $1, SP(@1)); }
  ;

opt_on:
    %empty                    { $$ = NULL; }
  | ON test_text              { $$ = $2; }
  ;

figure_list:
    figure                    { $$ = list_push(ps, list_new(ps), $1); }
  | figure_list ',' figure    { $$ = list_push(ps, $1, $3); }
  ;

figure:
    test_text '=' cell_tokens { $$ = build_test_figure(ps, $1, $3); }
  ;

cells:
    cell                      { $$ = list_push(ps, list_new(ps), $1); }
  | cells ',' cell            { $$ = list_push(ps, $1, $3); }
  ;

cell:
    %empty                    { $$ = build_cell(ps, SP(@$), NULL, false); }
  | cell_tokens
  ;

/* A cell is written as a report writes it: its text is the source between
 * its first and last token (a lone 'text' or "name" without its quotes). */
cell_tokens:
    cell_token                { $$ = build_cell(ps, SP(@1), $1, true); }
  | cell_tokens cell_token    { $$ = build_cell_extend(ps, $1, SP(@2)); }
  ;

cell_token:
    NAME                      { $$ = NULL; }
  | QNAME | TEXT
  | NUMBER                    { $$ = NULL; }
  | PERCENT                   { $$ = NULL; }
  | GE                        { $$ = NULL; }
  | LE                        { $$ = NULL; }
  | EQ                        { $$ = NULL; }
  | NE                        { $$ = NULL; }
  | '<'                       { $$ = NULL; }
  | '>'                       { $$ = NULL; }
  | '='                       { $$ = NULL; }
  | '-'                       { $$ = NULL; }
  | '+'                       { $$ = NULL; }
  | '/'                       { $$ = NULL; }
  | '*'                       { $$ = NULL; }
  | '%'                       { $$ = NULL; }
  | '('                       { $$ = NULL; }
  | ')'                       { $$ = NULL; }
  | TRUE                      { $$ = NULL; }
  | FALSE                     { $$ = NULL; }
  ;

expect_value:
    signed_number             { $$ = build_expect_value(ps, $1, $1, false); }
  | signed_number DOTDOT signed_number { $$ = build_expect_value(ps, $1, $3, true); }
  | MISSING                   { $$ = build_expect_value(ps, val_missing(), val_missing(), false); }
  ;

signed_number:
    NUMBER
  | '-' NUMBER                { $$ = build_negate(ps, SP(@$), $2); }
  ;

word_list:
    %empty                    { $$ = list_new(ps); }
  | words_nonempty
  ;

words_nonempty:
    word                      { $$ = list_push(ps, list_new(ps), build_name_item(ps, $1, SP(@1))); }
  | words_nonempty ',' word   { $$ = list_push(ps, $1, build_name_item(ps, $3, SP(@3))); }
  ;

list_name:
    name
  | MISSING                   { $$ = "missing"; }
  ;

list_names:
    list_name                 { $$ = list_push(ps, list_new(ps), build_name_item(ps, $1, SP(@1))); }
  | list_names ',' list_name  { $$ = list_push(ps, $1, build_name_item(ps, $3, SP(@3))); }
  ;

word:
    NAME | QNAME | TEXT
  | TRUE                      { $$ = "true"; }
  | FALSE                     { $$ = "false"; }
  ;

/* form NAME { column target = 年度指标值, 指标值   total 总分   budget 年度资金总额 { ... }
 *             figure 编制数 = below(编制数) } - words only; lang/form.c gives them meaning. */
form_entries:
    %empty                    { $$ = list_new(ps); }
  | form_entries form_entry   { $$ = list_push(ps, $1, $2); }
  ;

form_entry:
    form_word '=' form_values
        { $$ = build_form_entry(ps, SP(@$), $1, SP(@1), NULL, SP(@1), true, $3, NULL, false); }
  | form_word form_word '=' form_values
        { $$ = build_form_entry(ps, SP(@$), $1, SP(@1), $2, SP(@2), true, $4, NULL, false); }
  | form_word form_values
        { $$ = build_form_entry(ps, SP(@$), $1, SP(@1), NULL, SP(@1), false, $2, NULL, false); }
  | form_word form_values '{' form_entries '}'
        { $$ = build_form_entry(ps, SP(@$), $1, SP(@1), NULL, SP(@1), false, $2, $4, true); }
  | form_word '{' form_entries '}'
        { $$ = build_form_entry(ps, SP(@$), $1, SP(@1), NULL, SP(@1), false, NULL, $3, true); }
  ;

form_values:
    form_value                { $$ = list_push(ps, list_new(ps), $1); }
  | form_values ',' form_value { $$ = list_push(ps, $1, $3); }
  ;

form_value:
    form_word                 { $$ = build_form_value(ps, SP(@$), $1, NULL, false); }
  | form_word '(' form_values ')' { $$ = build_form_value(ps, SP(@$), $1, $3, true); }
  ;

/* A word: a name, a quoted name or a text; the keywords a form uses as words too. */
form_word:
    NAME | QNAME | TEXT
  | TOTAL                     { $$ = "total"; }
  | TARGET                    { $$ = "target"; }
  | ACTUAL                    { $$ = "actual"; }
  | WEIGHT                    { $$ = "weight"; }
  | REPORTED                  { $$ = "reported"; }
  | INDICATOR                 { $$ = "indicator"; }
  | LEVEL1                    { $$ = "level1"; }
  | LEVEL2                    { $$ = "level2"; }
  | VALUE                     { $$ = "value"; }
  | SCORE                     { $$ = "score"; }
  | KIND                      { $$ = "kind"; }
  | WORDS                     { $$ = "words"; }
  | DIRECTION                 { $$ = "direction"; }
  ;

name: NAME | QNAME ;

type_name:
    name
  | '%'                       { $$ = "percent"; }
  ;

name_list:
    name                      { $$ = list_push(ps, list_new(ps), build_name_item(ps, $1, SP(@1))); }
  | name_list ',' name        { $$ = list_push(ps, $1, build_name_item(ps, $3, SP(@3))); }
  ;

opt_total:
    %empty                    { $$ = NULL; }
  | TOTAL expr                { $$ = $2; }
  ;

opt_within:
    %empty                    { $$ = NULL; }
  | WITHIN expr               { $$ = $2; }
  ;

params:
    %empty                    { $$ = list_new(ps); }
  | '(' ')'                   { $$ = list_new(ps); }
  | '(' param_list ')'        { $$ = $2; }
  ;

param_list:
    name                      { $$ = list_push(ps, list_new(ps), build_name_item(ps, $1, SP(@1))); }
  | param_list ',' name       { $$ = list_push(ps, $1, build_name_item(ps, $3, SP(@3))); }
  ;

grade_list:
    grade_band                { $$ = list_push(ps, list_new(ps), $1); }
  | grade_list ',' grade_band { $$ = list_push(ps, $1, $3); }
  ;

grade_band:
    name GE expr              { $$ = build_band(ps, SP(@$), $1, OP_GE, $3); }
  | name '>' expr             { $$ = build_band(ps, SP(@$), $1, OP_GT, $3); }
  | ELSE name                 { $$ = build_band(ps, SP(@2), $2, OP_GE, NULL); }
  ;

indicator:
    INDICATOR name WEIGHT expr '{' ind_clauses '}'
                              { $$ = build_indicator(ps, SP(@$), $2, SP(@2), $4, NULL, $6); }
  | INDICATOR name WEIGHT expr USING method_ref
                              { $$ = build_indicator(ps, SP(@$), $2, SP(@2), $4, $6, NULL); }
  | INDICATOR name WEIGHT expr USING method_ref '{' ind_clauses '}'
                              { $$ = build_indicator(ps, SP(@$), $2, SP(@2), $4, $6, $8); }
  ;

ind_clauses:
    %empty                    { $$ = list_new(ps); }
  | ind_clauses VALUE expr    { $$ = list_push(ps, $1, build_clause(ps, SP(@2), VALUE, $3)); }
  | ind_clauses ACTUAL expr   { $$ = list_push(ps, $1, build_clause(ps, SP(@2), VALUE, $3)); }
  | ind_clauses TARGET expr   { $$ = list_push(ps, $1, build_clause(ps, SP(@2), TARGET, $3)); }
  | ind_clauses SCORE expr    { $$ = list_push(ps, $1, build_clause(ps, SP(@2), SCORE, $3)); }
  | ind_clauses USING method_ref { $$ = list_push(ps, $1, build_clause(ps, SP(@2), USING, $3)); }
  ;

method_ref:
    name                      { $$ = build_name(ps, SP(@$), $1); }
  | name '(' args ')'         { $$ = build_call(ps, SP(@$), $1, SP(@1), $3); }
  ;

group:
    GROUP name WEIGHT expr opt_alias '{' members '}'
                              { $$ = build_group(ps, SP(@$), $2, SP(@2), $4, $5, $7); }
  ;

opt_alias:
    %empty                    { $$ = list_new(ps); }
  | ALIAS name_list           { $$ = $2; }
  ;

members:
    %empty                    { $$ = list_new(ps); }
  | members member            { $$ = list_push(ps, $1, $2); }
  ;

member:
    indicator
  | group
  | CATEGORY category_list    { $$ = build_category(ps, SP(@$), $2); }
  ;

category_list:
    category_name             { $$ = list_push(ps, list_new(ps), build_name_item(ps, $1, SP(@1))); }
  | category_list ',' category_name { $$ = list_push(ps, $1, build_name_item(ps, $3, SP(@3))); }
  ;

category_name:
    name
  | '*'                       { $$ = "*"; }
  ;

row_rules:
    %empty                    { $$ = list_new(ps); }
  | row_rules row_rule        { $$ = list_push(ps, $1, $2); }
  ;

row_rule:
    WHEN conds USING method_ref { $$ = build_row_rule(ps, SP(@$), $2, $4); }
  | ELSE USING method_ref     { $$ = build_row_rule(ps, SP(@$), NULL, $3); }
  ;

conds:
    cond                      { $$ = list_push(ps, list_new(ps), $1); }
  | conds AND cond            { $$ = list_push(ps, $1, $3); }
  ;

cond:
    LEVEL1 name_list          { $$ = build_cond(ps, SP(@$), COND_LEVEL1, $2, 0); }
  | LEVEL2 name_list          { $$ = build_cond(ps, SP(@$), COND_LEVEL2, $2, 0); }
  | INDICATOR name_list       { $$ = build_cond(ps, SP(@$), COND_INDICATOR, $2, 0); }
  | KIND name_list            { $$ = build_cond(ps, SP(@$), COND_KIND, $2, 0); }
  | QUALIFIER qual_op         { $$ = build_cond(ps, SP(@$), COND_QUALIFIER, NULL, $2); }
  | DIRECTION name_list       { $$ = build_cond(ps, SP(@$), COND_DIRECTION, $2, 0); }
  ;

qual_op:
    GE                        { $$ = QUAL_GE; }
  | '>'                       { $$ = QUAL_GT; }
  | LE                        { $$ = QUAL_LE; }
  | '<'                       { $$ = QUAL_LT; }
  | '='                       { $$ = QUAL_EQ; }
  | EQ                        { $$ = QUAL_EQ; }
  | MISSING                   { $$ = QUAL_NONE; }
  ;

expr:
    IF expr THEN expr ELSE expr { $$ = build_if(ps, SP(@$), $2, $4, $6); }
  | expr OR expr              { $$ = build_binary(ps, SP(@$), OP_OR, $1, $3); }
  | expr AND expr             { $$ = build_binary(ps, SP(@$), OP_AND, $1, $3); }
  | NOT expr                  { $$ = build_unary(ps, SP(@$), OP_NOT, $2); }
  | expr EQ expr              { $$ = build_binary(ps, SP(@$), OP_EQ, $1, $3); }
  | expr NE expr              { $$ = build_binary(ps, SP(@$), OP_NE, $1, $3); }
  | expr '<' expr             { $$ = build_binary(ps, SP(@$), OP_LT, $1, $3); }
  | expr LE expr              { $$ = build_binary(ps, SP(@$), OP_LE, $1, $3); }
  | expr '>' expr             { $$ = build_binary(ps, SP(@$), OP_GT, $1, $3); }
  | expr GE expr              { $$ = build_binary(ps, SP(@$), OP_GE, $1, $3); }
  | expr '+' expr             { $$ = build_binary(ps, SP(@$), OP_ADD, $1, $3); }
  | expr '-' expr             { $$ = build_binary(ps, SP(@$), OP_SUB, $1, $3); }
  | expr '*' expr             { $$ = build_binary(ps, SP(@$), OP_MUL, $1, $3); }
  | expr '/' expr             { $$ = build_binary(ps, SP(@$), OP_DIV, $1, $3); }
  | '-' expr %prec UMINUS     { $$ = build_unary(ps, SP(@$), OP_NEG, $2); }
  | primary
  ;

primary:
    literal
  | name                      { $$ = build_name(ps, SP(@$), $1); }
  | name '(' args ')'         { $$ = build_call(ps, SP(@$), $1, SP(@1), $3); }
  | '(' expr ')'              { $$ = $2; $$->span = SP(@$); }
  | TIERS '(' expr ',' tier_list ')' { $$ = build_tiers(ps, SP(@$), $3, $5); }
  | VALUE                     { $$ = build_name(ps, SP(@$), "value"); }
  | ACTUAL                    { $$ = build_name(ps, SP(@$), "actual"); }
  | TARGET                    { $$ = build_name(ps, SP(@$), "target"); }
  | WEIGHT                    { $$ = build_name(ps, SP(@$), "weight"); }
  | REPORTED                  { $$ = build_name(ps, SP(@$), "reported"); }
  ;

literal:
    NUMBER                    { $$ = build_lit(ps, SP(@$), $1); }
  | PERCENT                   { $$ = build_lit(ps, SP(@$), $1); }
  | NUMBER NAME               { $$ = build_quantity(ps, SP(@$), $1, $2, SP(@2)); }
  | TEXT                      { $$ = build_lit(ps, SP(@$), val_text($1)); }
  | TRUE                      { $$ = build_lit(ps, SP(@$), val_bool(true)); }
  | FALSE                     { $$ = build_lit(ps, SP(@$), val_bool(false)); }
  | MISSING                   { $$ = build_lit(ps, SP(@$), val_missing()); }
  ;

args:
    %empty                    { $$ = list_new(ps); }
  | arg_list
  ;

arg_list:
    expr                      { $$ = list_push(ps, list_new(ps), $1); }
  | arg_list ',' expr         { $$ = list_push(ps, $1, $3); }
  ;

tier_list:
    tier                      { $$ = list_push(ps, list_new(ps), $1); }
  | tier_list ',' tier        { $$ = list_push(ps, $1, $3); }
  ;

tier:
    cmp_op expr ':' expr      { $$ = build_tier(ps, SP(@$), $1, $2, $4); }
  | ELSE ':' expr             { $$ = build_tier(ps, SP(@$), -1, NULL, $3); }
  | ELSE expr                 { $$ = build_tier(ps, SP(@$), -1, NULL, $2); }
  ;

cmp_op:
    EQ                        { $$ = OP_EQ; }
  | '='                       { $$ = OP_EQ; }
  | NE                        { $$ = OP_NE; }
  | '<'                       { $$ = OP_LT; }
  | LE                        { $$ = OP_LE; }
  | '>'                       { $$ = OP_GT; }
  | GE                        { $$ = OP_GE; }
  ;

%%

/* Called only when the parser runs out of memory (deeply nested input). */
static void tlyerror(SrcLoc *loc, yyscan_t scanner, ParseState *ps, const char *msg)
{
    (void)scanner;
    ps->syntax_errors++;
    diag_at(ps->diags, DIAG_ERROR, ps->src, (Span){loc->start, loc->end},
            _("%s: the rule file is nested too deeply"), msg);
}

/* Syntax errors name what was found and, when short, what was expected.
 * An error at the end of input marks the parse incomplete (REPL). */
static int yyreport_syntax_error(const yypcontext_t *ctx, yyscan_t scanner, ParseState *ps)
{
    (void)scanner;
    yysymbol_kind_t found = yypcontext_token(ctx);
    const SrcLoc *loc = yypcontext_location(ctx);
    ps->syntax_errors++;
    if (found == YYSYMBOL_YYEOF && ps->syntax_errors == 1)
        ps->incomplete = true;
    if (found == YYSYMBOL_ERRTOK)
        return 0; /* the scanner already reported it */
    yysymbol_kind_t expected[6];
    int n = yypcontext_expected_tokens(ctx, expected, 6);
    Span span = {loc->start, loc->end};
    char name[BUILD_TOKEN_BUF];
    Diag *d = diag_at(ps->diags, DIAG_ERROR, ps->src, span, _("syntax error: unexpected %s"),
                      build_token_name(yysymbol_name(found), name));
    if (n > 0 && n <= 5) {
        char buf[256] = "";
        size_t len = 0;
        for (int i = 0; i < n; i++)
            len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s",
                                    i == 0 ? "" : (i == n - 1 ? _(" or ") : _(", ")),
                                    build_token_name(yysymbol_name(expected[i]), name));
        diag_set_hint(d, _("expected %s"), buf);
    }
    return 0;
}
