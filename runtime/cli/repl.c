/* repl.c - try formulas against a loaded report.
 *
 * Input is parsed by the language's own parser: an unfinished construct
 * asks for another line.  An expression is checked against the loaded rule
 * file and evaluated against the current report; declarations join the
 * session and are kept across :reload while they still check.
 */
#include "repl.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "grammar/parse.h"
#include "lang/base/l10n.h"
#include "lang/base/memstream.h"
#include "lang/base/outfile.h"
#include "lang/base/text.h"
#include "lang/program.h"
#include "runtime/data/report.h"
#include "runtime/engine.h"
#include "runtime/forms.h"
#include "runtime/output/output.h"
#include "runtime/score/bind.h"
#include "runtime/score/score.h"

/* A data file :open read, to read again when it is opened again. */
typedef struct Opened {
    char *path;
    char *real;              /* realpath(), so that ./x.csv and x.csv are one file */
    char *encoding;          /* NULL: UTF-8 */
} Opened;

typedef struct Repl {
    char *rules_path;        /* NULL: no rule file loaded */
    char *rules_text;
    PtrVec defs;             /* session declarations, as entered (char *) */
    Program *prog;
    ReportSet set;
    PtrVec opened;           /* Opened*, in the order first opened */
    const char *encoding;    /* tally repl --encoding: of every :open without its own */
    bool keep_going;         /* piped: go on after a failed input (--keep-going) */
    bool failed;             /* the current input failed: an error was said */
    size_t current;          /* index of the current report */
    bool interactive;
    bool color;
    int line;                /* input line number, for <stdin>:LINE:COL */
    char *at;                /* indicator whose target/actual/weight are in scope */
    char *history_path;
    Engine engine;           /* compiled code for :time, once asked for */
    bool has_engine;         /* engine holds prog's (drop_engine before prog goes) */
} Repl;

static Repl *the_repl;       /* for the completion callback */
static volatile sig_atomic_t interrupted;

static const char *const meta_commands[] = {
    ":help", ":load", ":reload", ":open", ":reports", ":report", ":score", ":findings",
    ":type", ":rules", ":time", ":at", ":quit", NULL,
};

static const char *const keywords[] = {
    "scheme", "total", "option", "grades", "input", "let", "method", "indicator", "group",
    "category", "check", "within", "rows", "when", "using", "else", "if", "then", "and", "or",
    "not", "true", "false", "missing", "tiers", "value", "target", "actual", "weight",
    "reported", "score", "alias", "level1", "level2", "qualifier", "kind", "words", "direction",
    "import", "override", "remove", "applies", "from", "test", NULL,
};

static void say_error(Repl *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say_error(Repl *r, const char *fmt, ...)
{
    r->failed = true;
    va_list ap;
    va_start(ap, fmt);
    if (r->color)
        fprintf(stderr, "\033[1;31m%s\033[0m ", _("error:"));
    else
        fprintf(stderr, "%s ", _("error:"));
    char buf[4096]; /* escaped as every message is (diag_fputs) */
    vsnprintf(buf, sizeof buf, fmt, ap);
    diag_fputs(buf, stderr);
    fputc('\n', stderr);
    va_end(ap);
}

/* Show diagnostics; an error among them makes the input a failed one. */
static void render(Repl *r, const DiagList *diags)
{
    diag_render_all(diags, stderr, r->color);
    if (diags->errors)
        r->failed = true;
}

/* Forget compiled code: it borrows the program, which is about to go. */
static void drop_engine(Repl *r)
{
    if (r->has_engine)
        engine_free(&r->engine);
    r->has_engine = false;
}

/* Rule text ------------------------------------------------------------------- */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t n = 0;
    FILE *mem = memstream_open(&buf, &n);
    char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, k, mem);
    fclose(mem);
    fclose(f);
    *len = n;
    return buf;
}

/* Compile the rule file plus session definitions (plus `extra`, the input
 * being tried).  Diagnostics about `extra` are moved to `in` so they point
 * at what the user typed. */
static Program *compile_session(Repl *r, const PtrVec *defs, const char *extra, const Source *in,
                                DiagList *diags)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = memstream_open(&text, &len);
    if (r->rules_text)
        fputs(r->rules_text, mem);
    for (size_t i = 0; i < defs->len; i++)
        fprintf(mem, "\n%s", (const char *)defs->items[i]);
    fputc('\n', mem);
    long base = ftell(mem);
    if (extra)
        fputs(extra, mem);
    fclose(mem);
    size_t first = diags->len;
    Program *p = program_compile(r->rules_path ? r->rules_path : "<session>", text, len, diags);
    if (extra && in)
        for (size_t i = first; i < diags->len; i++) {
            Diag *d = &diags->items[i];
            if (d->src && d->span.start >= (uint32_t)base && !source_in_part(d->src, d->span.start)) {
                d->src = in;
                d->span.start -= (uint32_t)base;
                d->span.end -= (uint32_t)base;
            }
        }
    free(text);
    return p;
}

/* Rebuild the program from disk; keep the session definitions that still
 * check and say which do not. */
static void reload(Repl *r)
{
    if (!r->rules_path) {
        say_error(r, _("no rule file loaded (use :load FILE)"));
        return;
    }
    size_t len;
    char *text = read_file(r->rules_path, &len);
    if (!text) {
        say_error(r, _("cannot read %s: %s"), r->rules_path, strerror(errno));
        return;
    }
    free(r->rules_text);
    r->rules_text = text;
    DiagList diags;
    diag_init(&diags);
    PtrVec kept = {0};
    Program *p = compile_session(r, &kept, NULL, NULL, &diags);
    if (!p) {
        render(r, &diags);
        diag_printf(stderr, _("%s has errors: the previous rules stay loaded\n"), r->rules_path);
        r->failed = true;
        diag_free(&diags);
        ptrvec_free(&kept);
        return;
    }
    program_free(p);
    for (size_t i = 0; i < r->defs.len; i++) {
        DiagList scratch;
        diag_init(&scratch);
        ptrvec_push(&kept, r->defs.items[i]);
        Program *q = compile_session(r, &kept, NULL, NULL, &scratch);
        if (q) {
            program_free(q);
        } else {
            kept.len--;
            diag_printf(stderr, _("dropped: %s  (no longer checks against %s)\n"),
                    (const char *)r->defs.items[i], r->rules_path);
            free(r->defs.items[i]);
        }
        diag_free(&scratch);
    }
    ptrvec_free(&r->defs);
    r->defs = kept;
    drop_engine(r);
    program_free(r->prog);
    r->prog = compile_session(r, &r->defs, NULL, NULL, &diags);
    render(r, &diags);
    diag_free(&diags);
    diag_printf(stderr, _("loaded %s (%d indicators, %d groups, %zu session definition%s)\n"),
            r->rules_path, r->prog->nindicators, r->prog->ngroups, r->defs.len,
            r->defs.len == 1 ? "" : "s");
}

static void load_rules(Repl *r, const char *path)
{
    free(r->rules_path);
    r->rules_path = xstrdup(path);
    reload(r);
}

static Opened *find_opened(Repl *r, const char *path, const char *real)
{
    for (size_t i = 0; i < r->opened.len; i++) {
        Opened *o = r->opened.items[i];
        if (strcmp(o->path, path) == 0 || (real && o->real && strcmp(o->real, real) == 0))
            return o;
    }
    return NULL;
}

/* Read the opened files again into a fresh set, in the order first opened,
 * and say only what reading `again` says (the others were said before). */
static void reread(Repl *r, const Opened *again, DiagList *diags)
{
    const char *current = r->current < r->set.len ? xstrdup(r->set.reports[r->current].id) : NULL;
    reportset_free(&r->set);
    reportset_init(&r->set);
    for (size_t i = 0; i < r->opened.len; i++) {
        const Opened *o = r->opened.items[i];
        LoadOptions lo = {.encoding = o->encoding};
        DiagList quiet;
        diag_init(&quiet);
        lo.forms = forms_for_program(r->prog, &r->set.arena, o == again ? diags : &quiet);
        reportset_load(&r->set, o->path, &lo, o == again ? diags : &quiet);
        diag_free(&quiet);
    }
    r->current = 0;
    for (size_t i = 0; current && i < r->set.len; i++)
        if (strcmp(r->set.reports[i].id, current) == 0)
            r->current = i;
    free((char *)current);
}

/* :open PATH, in `encoding` (NULL: the session's): its reports join the
 * session; a file opened before is read again and its reports replace the
 * ones it gave then. */
static void open_data(Repl *r, const char *path, const char *encoding)
{
    DiagList diags;
    diag_init(&diags);
    if (!encoding)
        encoding = r->encoding;
    char *real = realpath(path, NULL);
    Opened *o = find_opened(r, path, real);
    size_t had = 0, before = r->set.len;
    if (o) {
        for (size_t i = 0; i < r->set.len; i++)
            had += strcmp(r->set.reports[i].pos.file, o->path) == 0;
        free(o->encoding);
        o->encoding = encoding ? xstrdup(encoding) : NULL;
        free(real);
        reread(r, o, &diags);
    } else {
        LoadOptions lo = {.encoding = encoding};
        lo.forms = forms_for_program(r->prog, &r->set.arena, &diags);
        if (reportset_load(&r->set, path, &lo, &diags)) {
            o = xcalloc(1, sizeof *o);
            o->path = xstrdup(path);
            o->real = real;
            o->encoding = encoding ? xstrdup(encoding) : NULL;
            ptrvec_push(&r->opened, o);
        } else {
            free(real);
        }
    }
    size_t n = 0;
    ReportSet mine = {0}; /* this file's reports */
    mine.reports = xmalloc((r->set.len + 1) * sizeof *mine.reports);
    for (size_t i = 0; o && i < r->set.len; i++)
        if (strcmp(r->set.reports[i].pos.file, o->path) == 0)
            mine.reports[mine.len++] = r->set.reports[i];
    n = mine.len;
    if (r->prog && mine.len)
        bind_check_columns(r->prog, &mine, &diags);
    free(mine.reports);
    render(r, &diags);
    diag_free(&diags);
    if (had)
        diag_printf(stderr, _("%s: %zu report%s (replacing the %zu read before)\n"), path, n, n == 1 ? "" : "s", had);
    else
        diag_printf(stderr, _("%s: %zu report%s\n"), path, n, n == 1 ? "" : "s");
    if (before == 0 && r->set.len)
        r->current = 0;
}

/* Scoring the current report ------------------------------------------------------ */

typedef struct Scored {
    Arena arena;
    Scorer sc;
    ReportResult res;
    bool ok;
} Scored;

static const Report *current_report(Repl *r)
{
    return r->current < r->set.len ? &r->set.reports[r->current] : NULL;
}

/* Score the current report (or an empty one) so that inputs are bound and
 * lets can be evaluated. */
static void score_current(Repl *r, Scored *s, bool explain)
{
    static const Report empty = {.id = "(no report)"};
    arena_init(&s->arena);
    ScoreOptions so = {.explain = explain};
    scorer_init(&s->sc, r->prog, &so, &s->arena);
    DiagList diags;
    diag_init(&diags);
    const Report *rep = current_report(r);
    score_report(&s->sc, rep ? rep : &empty, &s->res, &diags);
    render(r, &diags);
    diag_free(&diags);
    s->ok = s->res.error == NULL;
}

static void scored_free(Scored *s)
{
    result_free(&s->res);
    scorer_free(&s->sc);
    arena_free(&s->arena);
}

static void print_value(Repl *r, const TlValue *v, Type t, bool ratio)
{
    char buf[VAL_BUF], tb[64];
    val_format(v, buf);
    printf("%s", buf);
    if (ratio && v->kind == TL_NUM && v->numkind == NUM_PLAIN) {
        TlValue pct = *v;
        pct.numkind = NUM_PERCENT;
        char pb[VAL_BUF];
        val_format(&pct, pb);
        printf(" (%s)", pb);
    }
    const char *kind = v->kind == TL_MISSING ? _("missing") : type_describe(t, tb, sizeof tb);
    if (v->kind == TL_NUM && v->numkind == NUM_QUANTITY) {
        snprintf(tb, sizeof tb, _("quantity in %s"), v->unit);
        kind = tb;
    } else if (v->kind == TL_NUM && v->numkind == NUM_PERCENT) {
        kind = _("percent");
    } else if (v->kind == TL_NUM) {
        kind = _("number");
    }
    printf("%s  : %s%s\n", r->color ? "\033[2m" : "", kind, r->color ? "\033[0m" : "");
}

static void print_findings(const FindingList *fl, size_t from)
{
    for (size_t i = from; i < fl->len; i++) {
        const Finding *f = &fl->items[i];
        printf("  %s  %s%s%s\n", finding_info(f->kind)->code, f->subject, *f->subject ? _(": ") : "",
               f->message);
    }
}

static const ScoredIndicator *find_indicator(const ReportResult *res, const char *name)
{
    for (int i = 0; i < res->nind; i++)
        if (strcmp(res->ind[i].name, name) == 0)
            return &res->ind[i];
    return NULL;
}

static void eval_input_expr(Repl *r, Expr *e, const Source *in, bool type_only)
{
    DiagList diags;
    diag_init(&diags);
    if (!program_check_expr(r->prog, e, in, r->at != NULL, &diags)) {
        render(r, &diags);
        diag_free(&diags);
        return;
    }
    render(r, &diags);
    diag_free(&diags);
    if (type_only) {
        char tb[64];
        printf("%s\n", type_describe(e->type, tb, sizeof tb));
        return;
    }
    Scored s;
    score_current(r, &s, false);
    if (!s.ok) {
        say_error(r, _("report %s could not be read: %s"), s.res.id, s.res.error);
        scored_free(&s);
        return;
    }
    FindingList fl;
    findings_init(&fl, &s.arena);
    s.sc.st.env.findings = &fl;
    s.sc.st.env.subject = "";
    Frame f = {{{0}}, NULL};
    if (r->at) {
        const ScoredIndicator *si = find_indicator(&s.res, r->at);
        if (!si) {
            say_error(r, _("report %s has no indicator '%s' (:at without a name clears it)"),
                      s.res.id, r->at);
            findings_free(&fl);
            scored_free(&s);
            return;
        }
        f.ctx[CTX_VALUE] = si->eval.value;
        f.ctx[CTX_TARGET] = si->eval.target;
        f.ctx[CTX_WEIGHT] = si->eval.weight;
        f.ctx[CTX_REPORTED] = si->eval.reported;
        s.sc.st.env.subject = si->name;
    }
    TlValue v = eval_expr(&s.sc.st, e, &f);
    print_value(r, &v, e->type, e->kind == E_BINARY && e->u.binary.op == OP_DIV);
    print_findings(&fl, 0);
    findings_free(&fl);
    scored_free(&s);
}

/* Declarations entered at the prompt join the session if the whole still checks. */
static void define(Repl *r, const char *text, const Source *in, const Ast *ast)
{
    DiagList diags;
    diag_init(&diags);
    Program *p = compile_session(r, &r->defs, text, in, &diags);
    render(r, &diags);
    diag_free(&diags);
    if (!p)
        return;
    drop_engine(r);
    program_free(r->prog);
    r->prog = p;
    ptrvec_push(&r->defs, xstrdup(text));
    for (int i = 0; i < ast->ndecls; i++)
        if (ast->decls[i]->name)
            diag_printf(stderr, _("defined %s\n"), ast->decls[i]->name);
}

/* Meta-commands ----------------------------------------------------------------------- */

static const char help_text[] = N_(
    "Enter an expression to evaluate it against the current report, or a declaration\n"
    "(let, method, indicator, ...) to add it to the session.  An unfinished line asks\n"
    "for more.  Commands:\n"
    "  :help                 this text\n"
    "  :load FILE            load a rule file      :reload   reload it from disk\n"
    "  :open DATA... [--encoding NAME]   load report data (again: replace its reports)\n"
    "  :reports              list the reports\n"
    "  :report N|ID          switch report\n"
    "  :score [INDICATOR]    a score and why (the whole report without a name)\n"
    "  :at INDICATOR         let expressions use that indicator's target, actual,\n"
    "                        weight and reported (try another formula); :at clears\n"
    "  :findings             the current report's findings\n"
    "  :type EXPR            the type of an expression\n"
    "  :rules                the rule file's structure: groups, weights, methods\n"
    "  :time EXPR            evaluate EXPR over every loaded report, timed\n"
    "  :quit                 leave (Ctrl-D too); Ctrl-C cancels the current input\n");

static void cmd_reports(Repl *r)
{
    for (size_t i = 0; i < r->set.len; i++)
        printf("%s%4zu  %s%s\n", i == r->current ? "*" : " ", i + 1, r->set.reports[i].id,
               r->set.reports[i].error ? _("  (error)") : "");
    if (!r->set.len)
        printf("%s\n", _("no reports loaded (use :open DATA)"));
}

static void cmd_report(Repl *r, const char *arg)
{
    char *end;
    long n = strtol(arg, &end, 10);
    if (*arg && !*end && n >= 1 && (size_t)n <= r->set.len) {
        r->current = (size_t)n - 1;
    } else {
        size_t i;
        for (i = 0; i < r->set.len && strcmp(r->set.reports[i].id, arg) != 0; i++)
            ;
        if (i == r->set.len) {
            say_error(r, _("no report '%s' (see :reports)"), arg);
            return;
        }
        r->current = i;
    }
    printf(_("report %s\n"), r->set.reports[r->current].id);
}

static void print_indicator(const ScoredIndicator *si)
{
    char t[VAL_BUF], v[VAL_BUF], w[VAL_BUF], s[VAL_BUF], rp[VAL_BUF];
    val_format(&si->eval.target, t);
    val_format(&si->eval.value, v);
    val_format(&si->eval.weight, w);
    val_format(&si->eval.score, s);
    val_format(&si->eval.reported, rp);
    printf(_("%s: %s of %s"), si->name, s, w);
    if (si->eval.reported.kind != TL_MISSING)
        printf(_(" (self-awarded %s)"), rp);
    printf(_("\n  target %s, actual %s\n  method %s (%s)\n  formula %s\n"), t, v, si->method, si->why,
           si->formula);
    for (int i = 0; i < si->explain.len; i++)
        printf("  %s\n", si->explain.lines[i]);
}

static void cmd_score(Repl *r, const char *name)
{
    Scored s;
    score_current(r, &s, true);
    if (!s.ok) {
        say_error(r, _("report %s could not be read: %s"), s.res.id, s.res.error);
    } else if (*name) {
        const ScoredIndicator *hit = find_indicator(&s.res, name);
        if (hit) {
            print_indicator(hit);
            for (size_t i = 0; i < s.res.findings.len; i++) {
                const Finding *f = &s.res.findings.items[i];
                if (strcmp(f->subject, name) == 0)
                    printf("  %s  %s\n", finding_info(f->kind)->code, f->message);
            }
        } else {
            say_error(r, _("no indicator '%s' in this report"), name);
        }
    } else {
        Output o = {0};
        o.f = stdout;
        o.fmt = OUT_TEXT;
        o.explain = true;
        o.color = r->color;
        o.prog = r->prog;
        output_begin(&o);
        output_report(&o, &s.res);
        output_end(&o);
    }
    scored_free(&s);
}

static void cmd_findings(Repl *r)
{
    Scored s;
    score_current(r, &s, false);
    if (!s.ok)
        say_error(r, _("report %s could not be read: %s"), s.res.id, s.res.error);
    else if (!s.res.findings.len)
        printf("%s\n", _("no findings"));
    else
        print_findings(&s.res.findings, 0);
    scored_free(&s);
}

/* Collapse runs of white space to one space, in place. */
static char *squash(char *s)
{
    char *w = s;
    for (const char *rd = s; *rd; rd++) {
        char ch = (*rd == '\t' || *rd == '\n') ? ' ' : *rd;
        if (ch != ' ' || (w > s && w[-1] != ' '))
            *w++ = ch;
    }
    while (w > s && w[-1] == ' ')
        w--;
    *w = 0;
    return s;
}

static void print_group(const Program *p, int g, int depth)
{
    const Group *gr = &p->groups[g];
    char w[DEC_BUF];
    dec_format_trim(gr->weight, 6, w);
    printf("%*sgroup %s  weight %s%s\n", depth * 2, "", gr->decl->name, w,
           gr->is_table ? "  (table rows)" : "");
    for (int i = 0; i < gr->ncategories; i++)
        printf("%*s  category %s\n", depth * 2, "", gr->categories[i]);
    for (int i = 0; i < p->nindicators; i++)
        if (p->indicators[i].group == g) {
            dec_format_trim(p->indicators[i].weight, 6, w);
            printf("%*s  indicator %s  weight %s\n", depth * 2, "", p->indicators[i].decl->name, w);
        }
    for (int k = 0; k < p->ngroups; k++)
        if (p->groups[k].parent == g)
            print_group(p, k, depth + 1);
}

static void cmd_rules(Repl *r)
{
    const Program *p = r->prog;
    char w[DEC_BUF];
    Arena a;
    arena_init(&a);
    printf("scheme %s", p->scheme_name ? p->scheme_name : "(unnamed)");
    if (p->has_total) {
        dec_format_trim(p->total, 6, w);
        printf("  total %s", w);
    }
    printf("\n");
    for (int i = 0; i < p->nindicators; i++)
        if (p->indicators[i].group < 0) {
            dec_format_trim(p->indicators[i].weight, 6, w);
            printf("indicator %s  weight %s\n", p->indicators[i].decl->name, w);
        }
    for (int g = 0; g < p->ngroups; g++)
        if (p->groups[g].parent < 0)
            print_group(p, g, 0);
    for (int i = 0; i < p->nmethods; i++)
        printf("method %s = %s\n", p->methods[i]->name,
               program_text(p, p->methods[i]->decl->u.method.body->span, &a));
    for (int i = 0; i < p->nrules; i++)
        printf("rows: %s\n", squash(program_text(p, p->rules[i].span, &a)));
    if (p->ngrades) {
        printf("grades");
        for (int i = 0; i < p->ngrades; i++) {
            dec_format_trim(p->grades[i].edge, 6, w);
            if (p->grades[i].is_else)
                printf("%s else %s", i ? "," : "", p->grades[i].name);
            else
                printf("%s %s %s %s", i ? "," : "", p->grades[i].name, op_symbol(p->grades[i].op), w);
        }
        printf("\n");
    }
    for (int i = 0; i < p->nchecks; i++)
        printf("check %s: %s\n", p->checks[i]->name, program_text(p, p->checks[i]->u.check.cond->span, &a));
    arena_free(&a);
}

/* Compiled code for the session's rules, from the engine `tally score
 * --engine jit` uses (compiled once, or taken from the compile cache); NULL,
 * with the reason in *why, when there is none. */
static const JitProgram *session_jit(Repl *r, const char **why)
{
    if (!r->has_engine) {
        EngineOptions opt;
        engine_options_default(&opt);
        opt.kind = ENGINE_JIT;
        opt.messages = NULL; /* the reason is said below */
        engine_init(&r->engine, r->prog, &opt);
        engine_before_load(&r->engine, 0);
        engine_after_load(&r->engine, r->set.len);
        r->has_engine = true;
    }
    bool more;
    const JitProgram *jp = engine_poll(&r->engine, &more); /* tier 2, once it is ready */
    *why = engine_failure(&r->engine);
    return jp;
}

/* Evaluate e for every report, each scored first by the interpreter (jit
 * NULL) or by compiled code - one scorer for them all, scoring ahead in
 * columns as `tally score` does - and say how long it took, as `engine`. */
static void time_engine(Repl *r, Expr *e, const char *engine, const JitProgram *jit)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    Arena arena;
    arena_init(&arena);
    Scorer sc;
    ScoreOptions so = {.explain = false};
    scorer_init(&sc, r->prog, &so, &arena);
    scorer_set_jit(&sc, jit);
    size_t missing = 0, ahead_end = 0;
    for (size_t i = 0; i < r->set.len; i++) {
        const Report *rep = &r->set.reports[i];
        if (i >= ahead_end)
            ahead_end = i + scorer_batch(&sc, rep, r->set.len - i);
        ReportResult res;
        DiagList diags;
        diag_init(&diags);
        score_report(&sc, rep, &res, &diags);
        render(r, &diags);
        diag_free(&diags);
        Frame f = {{{0}}, NULL};
        if (!res.error && eval_expr(&sc.st, e, &f).kind == TL_MISSING)
            missing++;
        result_free(&res);
        arena_reset(&arena);
    }
    scorer_free(&sc);
    arena_free(&arena);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double us = ((double)(t1.tv_sec - t0.tv_sec) * 1e6 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e3);
    printf(_("%s: %zu reports in %.0f us (%.2f us per report, scoring included); %zu missing\n"), engine,
           r->set.len, us, us / (double)r->set.len, missing);
}

/* The expression over every report: once scored by the interpreter, once by
 * compiled code (the expression itself is always the interpreter's). */
static void cmd_time(Repl *r, Expr *e, const Source *in)
{
    DiagList diags;
    diag_init(&diags);
    if (!program_check_expr(r->prog, e, in, false, &diags)) {
        render(r, &diags);
        diag_free(&diags);
        return;
    }
    diag_free(&diags);
    if (!r->set.len) {
        say_error(r, _("no reports loaded (use :open DATA)"));
        return;
    }
    time_engine(r, e, "interpreter", NULL);
    const char *why = NULL;
    const JitProgram *jp = session_jit(r, &why);
    if (jp)
        time_engine(r, e, "jit", jp);
    else
        printf(_("jit: no compiled code (%s)\n"), why ? why : _("unknown reason"));
}

/* Completion ------------------------------------------------------------------------- */

static char *complete_next(const char *text, int state)
{
    static size_t index, phase;
    static Arena names_arena;
    static const char **names;
    if (!state) {
        index = phase = 0;
        arena_free(&names_arena);
        arena_init(&names_arena);
        names = the_repl && the_repl->prog ? program_names(the_repl->prog, &names_arena) : NULL;
    }
    size_t n = strlen(text);
    for (;;) {
        const char *cand = NULL;
        if (phase == 0) {
            cand = meta_commands[index];
        } else if (phase == 1) {
            cand = keywords[index];
        } else if (phase == 2) {
            cand = names ? names[index] : NULL;
        } else if (phase == 3) {
            const Report *rep = the_repl ? current_report(the_repl) : NULL;
            cand = rep && index < rep->nfigures ? rep->figures[index].name : NULL;
        } else if (phase == 4) {
            /* The current report's own indicators, for :score and :at. */
            const Report *rep = the_repl ? current_report(the_repl) : NULL;
            cand = rep && index < rep->nrows ? rep->rows[index].name : NULL;
        } else {
            return NULL;
        }
        if (!cand) {
            phase++;
            index = 0;
            continue;
        }
        index++;
        if (strncmp(cand, text, n) == 0 && (phase == 0) == (text[0] == ':'))
            return strdup(cand);
    }
}

/* Words break at punctuation in rule text; a line that is a command breaks
 * at white space only, so that ":op" and "examples/longhui" are one word. */
static const char rule_word_breaks[] = " \t\n\"'(),+-*/<>=:{}";

static char *word_breaks(void)
{
    return (char *)(rl_line_buffer && rl_line_buffer[0] == ':' ? " \t\n" : rule_word_breaks);
}

/* Is the word being completed an argument of :open or :load (a file name)? */
static bool completing_file(int start)
{
    const char *line = rl_line_buffer;
    if (!line || line[0] != ':')
        return false;
    size_t cmd = strcspn(line, " \t");
    return (int)cmd < start && ((cmd == 5 && strncmp(line, ":open", 5) == 0) ||
                               (cmd == 5 && strncmp(line, ":load", 5) == 0));
}

static char **complete(const char *text, int start, int end)
{
    (void)end;
    rl_attempted_completion_over = 1;
    if (completing_file(start))
        return rl_completion_matches(text, rl_filename_completion_function);
    return rl_completion_matches(text, complete_next);
}

/* Ctrl-C abandons the current input and gives a fresh prompt.  Readline
 * restores the terminal and passes the signal on to us; we jump out of
 * readline() back to the loop, which drops the unfinished input. */
static sigjmp_buf ctrlc_jump;
static volatile sig_atomic_t in_readline;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
    if (in_readline) {
        in_readline = 0;
        siglongjmp(ctrlc_jump, 1);
    }
}

/* The loop ---------------------------------------------------------------------------- */

static char *read_line(Repl *r, bool continuation)
{
    if (!r->interactive) {
        char *line = NULL;
        size_t cap = 0;
        ssize_t n = getline(&line, &cap, stdin);
        if (n < 0) {
            free(line);
            return NULL;
        }
        if (n > 0 && line[n - 1] == '\n')
            line[n - 1] = 0;
        return line;
    }
    const char *prompt = continuation ? (r->color ? "\001\033[2m\002  ...> \001\033[0m\002" : "  ...> ")
                                      : (r->color ? "\001\033[1;36m\002tally> \001\033[0m\002" : "tally> ");
    interrupted = 0;
    if (sigsetjmp(ctrlc_jump, 1)) {
        rl_free_line_state();
        rl_cleanup_after_signal();
        return xstrdup("");   /* interrupted: the loop sees the flag */
    }
    in_readline = 1;
    char *line = readline(prompt);
    in_readline = 0;
    return line;
}

/* History: one entry per line of the history file, so that an input that
 * spanned several lines comes back as that one input and never merges with
 * its neighbours.  A newline inside an entry is written \n and a backslash
 * \\; lines of readline's own timestamped format (#1700000000) are skipped.
 * The file keeps the last HISTORY_KEEP entries. */
#define HISTORY_KEEP 1000

static char *history_unescape(const char *s)
{
    char *out = xmalloc(strlen(s) + 1), *w = out;
    for (; *s; s++) {
        if (*s == '\\' && s[1] == 'n') {
            *w++ = '\n';
            s++;
        } else if (*s == '\\' && s[1] == '\\') {
            *w++ = '\\';
            s++;
        } else {
            *w++ = *s;
        }
    }
    *w = 0;
    return out;
}

static void history_write_entry(FILE *f, const char *entry)
{
    for (const char *s = entry; *s; s++) {
        if (*s == '\n')
            fputs("\\n", f);
        else if (*s == '\\')
            fputs("\\\\", f);
        else if (*s != '\r')
            putc(*s, f);
    }
    putc('\n', f);
}

static bool timestamp_line(const char *s)
{
    if (s[0] != '#' || !s[1])
        return false;
    for (s++; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* The history file opened for reading or appending, never through a
 * symbolic link, and only a regular file of this user's that nobody else
 * may write: a history that is not is left alone (NULL, errno set). */
static FILE *history_open(const char *path, bool append)
{
    int flags = (append ? O_WRONLY | O_APPEND | O_CREAT : O_RDONLY) | O_NOFOLLOW | O_NONBLOCK |
                O_CLOEXEC;
    int fd = open(path, flags, 0600);
    if (fd < 0)
        return NULL;
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_uid != geteuid() ||
        (sb.st_mode & 022)) {
        close(fd);
        errno = EPERM;
        return NULL;
    }
    FILE *f = fdopen(fd, append ? "a" : "r");
    if (!f)
        close(fd);
    return f;
}

/* Say once that the history cannot be kept, and stop keeping it. */
static void history_failed(Repl *r, const char *why)
{
    diag_printf(stderr, _("tally: history not kept in %s: %s\n"), r->history_path, why);
    free(r->history_path);
    r->history_path = NULL;
}

static void history_setup(Repl *r)
{
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    char dir[4096];
    if (state && *state)
        snprintf(dir, sizeof dir, "%s/tally", state);
    else if (home && *home)
        snprintf(dir, sizeof dir, "%s/.local/state/tally", home);
    else
        return;
    /* mkdir -p */
    for (char *p = dir + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            mkdir(dir, 0700);
            *p = '/';
        }
    mkdir(dir, 0700);
    size_t n = strlen(dir) + 16;
    r->history_path = xmalloc(n);
    snprintf(r->history_path, n, "%s/history", dir);
    /* the folder must be this user's, writable by nobody else */
    struct stat sb;
    if (lstat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode) || sb.st_uid != geteuid() ||
        (sb.st_mode & 022)) {
        history_failed(r, _("the folder is not the user's own, or others may write it"));
        return;
    }
    FILE *f = history_open(r->history_path, false);
    if (!f) {
        if (errno != ENOENT)
            history_failed(r, strerror(errno));
        return;
    }
    PtrVec entries = {0};
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = 0;
        if (len && !timestamp_line(line))
            ptrvec_push(&entries, history_unescape(line));
    }
    free(line);
    fclose(f);
    size_t first = entries.len > HISTORY_KEEP ? entries.len - HISTORY_KEEP : 0;
    for (size_t i = first; i < entries.len; i++)
        add_history(entries.items[i]);
    if (first) { /* too long: the last entries written to a new file, renamed over it */
        OutFile of;
        char err[4096 + 256];
        bool ok = outfile_open(&of, r->history_path, err, sizeof err);
        for (size_t i = first; ok && i < entries.len; i++)
            history_write_entry(of.f, entries.items[i]);
        if (ok && !outfile_commit(&of, err, sizeof err))
            ok = false;
        if (!ok)
            diag_printf(stderr, _("tally: %s\n"), err);
    }
    for (size_t i = 0; i < entries.len; i++)
        free(entries.items[i]);
    ptrvec_free(&entries);
}

static void history_save(Repl *r, const char *entry)
{
    if (!r->interactive || !*entry)
        return;
    add_history(entry);
    if (!r->history_path)
        return;
    FILE *f = history_open(r->history_path, true);
    if (!f) {
        history_failed(r, strerror(errno));
        return;
    }
    history_write_entry(f, entry);
    bool ok = !ferror(f);
    if (fclose(f) != 0)
        ok = false;
    if (!ok)
        history_failed(r, strerror(errno ? errno : EIO));
}

/* :open DATA... [--encoding NAME]: the encoding applies to each file named. */
static void cmd_open(Repl *r, char *arg)
{
    PtrVec files = {0};
    const char *encoding = NULL;
    bool ok = true;
    for (char *tok = strtok(arg, " \t"); tok; tok = strtok(NULL, " \t")) {
        if (strcmp(tok, "--encoding") == 0) {
            encoding = strtok(NULL, " \t");
            if (!encoding) {
                say_error(r, _(":open --encoding needs a name (GB18030, GBK, UTF-8)"));
                ok = false;
            }
        } else if (tok[0] == '-' && tok[1] == '-') {
            say_error(r, _(":open takes --encoding NAME, not '%s'"), tok);
            ok = false;
        } else {
            ptrvec_push(&files, tok);
        }
    }
    if (ok && !files.len)
        say_error(r, _(":open needs a data file"));
    for (size_t i = 0; ok && i < files.len; i++)
        open_data(r, files.items[i], encoding);
    ptrvec_free(&files);
}

static bool handle_meta(Repl *r, char *line)
{
    char *cmd = line, *arg = line;
    while (*arg && *arg != ' ' && *arg != '\t')
        arg++;
    if (*arg)
        *arg++ = 0;
    while (*arg == ' ' || *arg == '\t')
        arg++;
    size_t al = strlen(arg);
    while (al && (arg[al - 1] == ' ' || arg[al - 1] == '\t'))
        arg[--al] = 0;
    if (!strcmp(cmd, ":quit") || !strcmp(cmd, ":q"))
        return false;
    if (!strcmp(cmd, ":help") || !strcmp(cmd, ":h")) {
        fputs(_(help_text), stdout);
    } else if (!strcmp(cmd, ":load")) {
        if (*arg)
            load_rules(r, arg);
        else
            say_error(r, _(":load needs a file"));
    } else if (!strcmp(cmd, ":reload")) {
        reload(r);
    } else if (!strcmp(cmd, ":open")) {
        cmd_open(r, arg);
    } else if (!strcmp(cmd, ":reports")) {
        cmd_reports(r);
    } else if (!strcmp(cmd, ":report")) {
        cmd_report(r, arg);
    } else if (!strcmp(cmd, ":score")) {
        cmd_score(r, arg);
    } else if (!strcmp(cmd, ":findings")) {
        cmd_findings(r);
    } else if (!strcmp(cmd, ":at")) {
        free(r->at);
        r->at = *arg ? xstrdup(arg) : NULL;
        if (r->at)
            printf(_("target, actual, weight and reported are now those of %s\n"), r->at);
    } else if (!strcmp(cmd, ":rules")) {
        cmd_rules(r);
    } else if (!strcmp(cmd, ":type") || !strcmp(cmd, ":time")) {
        Source in = {.name = "<stdin>", .text = arg, .len = strlen(arg), .first_line = r->line};
        Arena a;
        arena_init(&a);
        DiagList diags;
        diag_init(&diags);
        ParseResult pr;
        if (!parse_source(&a, &in, PARSE_REPL, &diags, &pr) || !pr.expr) {
            render(r, &diags);
            if (!diags.errors)
                say_error(r, _("%s needs an expression"), cmd);
        } else if (!strcmp(cmd, ":type")) {
            eval_input_expr(r, pr.expr, &in, true);
        } else {
            cmd_time(r, pr.expr, &in);
        }
        diag_free(&diags);
        arena_free(&a);
    } else {
        say_error(r, _("unknown command '%s' (:help lists them)"), cmd);
    }
    return true;
}

/* After an input: remember whether it failed; piped, a failure stops the
 * session unless --keep-going.  Returns whether to stop. */
static bool input_done(Repl *r, bool *any_failed)
{
    bool failed = r->failed;
    *any_failed |= failed;
    r->failed = false;
    return failed && !r->interactive && !r->keep_going;
}

static bool blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return false;
    return true;
}

int repl_main(int argc, char **argv)
{
    Repl r = {0};
    the_repl = &r;
    r.interactive = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    const char *nc = getenv("NO_COLOR");
    r.color = r.interactive && !(nc && *nc);
    reportset_init(&r.set);
    DiagList diags;
    diag_init(&diags);
    r.prog = program_compile("<session>", "", 0, &diags);
    diag_free(&diags);
    PtrVec files = {0};
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--encoding") == 0 && i + 1 < argc) {
            r.encoding = argv[++i];
        } else if (strcmp(argv[i], "--keep-going") == 0) {
            r.keep_going = true;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            diag_printf(stderr, _("tally: unknown option '%s' (or it needs a value)\n"
                            "usage: tally repl [RULES] [DATA...] [--encoding NAME] [--keep-going]\n"),
                    argv[i]);
            ptrvec_free(&files);
            program_free(r.prog);
            reportset_free(&r.set);
            return 2;
        } else {
            ptrvec_push(&files, argv[i]);
        }
    }
    if (files.len)
        load_rules(&r, files.items[0]);
    for (size_t i = 1; i < files.len; i++)
        open_data(&r, files.items[i], NULL);
    ptrvec_free(&files);
    /* Piped: a failure while starting stops the session, as any later one does. */
    bool any_failed = r.failed;
    bool stop = !r.interactive && r.failed && !r.keep_going;
    r.failed = false;
    if (r.interactive) {
        history_setup(&r);
        rl_readline_name = "tally";
        rl_attempted_completion_function = complete;
        rl_completer_word_break_characters = (char *)rule_word_breaks;
        rl_completion_word_break_hook = word_breaks;
        struct sigaction sa = {0};
        sa.sa_handler = on_sigint;
        sigaction(SIGINT, &sa, NULL);
        printf(_("tally %s — :help for commands, Ctrl-D to leave\n"), TALLY_VERSION);
    }
    char *pending = NULL; /* an unfinished input */
    int pending_line = 0;
    while (!stop) {
        char *line = read_line(&r, pending != NULL);
        if (!line) {
            if (pending) {
                /* End of input inside an unfinished construct: report it. */
                Source in = {.name = "<stdin>", .text = pending, .len = strlen(pending), .first_line = pending_line};
                Arena a;
                arena_init(&a);
                DiagList d;
                diag_init(&d);
                ParseResult pr;
                parse_source(&a, &in, PARSE_REPL, &d, &pr);
                render(&r, &d);
                diag_free(&d);
                arena_free(&a);
                free(pending);
                any_failed |= r.failed;
            }
            break;
        }
        r.line++;
        if (interrupted) {
            interrupted = 0;
            free(line);
            free(pending);
            pending = NULL;
            fputs("^C\n", stdout);
            continue;
        }
        if (!pending && line[0] == ':') {
            history_save(&r, line);
            bool go_on = handle_meta(&r, line);
            free(line);
            fflush(stdout);
            if (!go_on)
                break;
            stop = input_done(&r, &any_failed);
            continue;
        }
        if (!pending && blank(line)) {
            free(line);
            continue;
        }
        if (pending) {
            size_t n = strlen(pending) + strlen(line) + 2;
            char *joined = xmalloc(n);
            snprintf(joined, n, "%s\n%s", pending, line);
            free(pending);
            free(line);
            pending = joined;
        } else {
            pending = line;
            pending_line = r.line;
        }
        Source in = {.name = "<stdin>", .text = pending, .len = strlen(pending), .first_line = pending_line};
        Arena a;
        arena_init(&a);
        DiagList d;
        diag_init(&d);
        ParseResult pr;
        bool ok = parse_source(&a, &in, PARSE_REPL, &d, &pr);
        if (!ok && pr.incomplete) {
            diag_free(&d);
            arena_free(&a);
            continue; /* ask for another line */
        }
        history_save(&r, pending);
        if (!ok)
            render(&r, &d);
        else if (pr.expr)
            eval_input_expr(&r, pr.expr, &in, false);
        else if (pr.ast.ndecls)
            define(&r, pending, &in, &pr.ast);
        diag_free(&d);
        arena_free(&a);
        free(pending);
        pending = NULL;
        fflush(stdout);
        stop = input_done(&r, &any_failed);
    }
    if (r.interactive)
        putchar('\n');
    drop_engine(&r);
    program_free(r.prog);
    reportset_free(&r.set);
    for (size_t i = 0; i < r.defs.len; i++)
        free(r.defs.items[i]);
    ptrvec_free(&r.defs);
    for (size_t i = 0; i < r.opened.len; i++) {
        Opened *o = r.opened.items[i];
        free(o->path);
        free(o->real);
        free(o->encoding);
        free(o);
    }
    ptrvec_free(&r.opened);
    free(r.rules_path);
    free(r.rules_text);
    free(r.history_path);
    free(r.at);
    /* Piped, as sqlite3 -bail: a failed input ends the session with status 1
     * (--keep-going: every input runs, and the status says one failed). */
    return !r.interactive && any_failed ? 1 : 0;
}
