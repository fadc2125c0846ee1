/* test.c - `tally test RULES...|DIR`: run the test blocks of rule files.
 *
 * Each test's report (written inline, or read from a data file) is scored
 * by the same scorer as `tally score`: by the interpreter and, when there is
 * compiled code, by compiled code too; the two must agree to the last
 * finding.  Then each expectation is compared with what the interpreter
 * gave.  A failure is printed as a diagnostic at the expectation (or the
 * test) with what was expected and what came out; the run closes with
 * `N passed, N failed`.  --coverage lists what no test exercised
 * (lang/coverage.h).  docs/language.md, "Tests"; docs/output.md. */
#include "test.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lang/coverage.h"
#include "lang/program.h"
#include "lang/tests.h"
#include "runtime/data/inline.h"
#include "runtime/data/report.h"
#include "runtime/engine.h"
#include "runtime/forms.h"
#include "runtime/score/score.h"
#include "lang/base/l10n.h"

enum { EXIT_CLEAN = 0, EXIT_FAILED = 1, EXIT_INPUT = 2 };

static const char test_usage[] =
    "usage: tally test RULES...|DIR [--coverage] [--engine interp|both] [--jit-cache DIR]\n"
    "                  [--no-jit-cache] [--verbose]\n"
    "Runs the test blocks of the rule files (a folder: every *.tally file in it and\n"
    "below).  exit status: 0 every test passed; 1 a test failed; 2 a rule file had errors.\n";

typedef struct TestRun {
    bool coverage, verbose, color, use_jit;
    EngineOptions engine;
    int passed, failed;
    bool rule_errors;
    bool said_no_jit;
} TestRun;

/* Rule files ------------------------------------------------------------------------ */

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Every *.tally file under dir, in name order, folders after the files beside them. */
static void collect_dir(const char *dir, PtrVec *out)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    PtrVec files = {0}, dirs = {0};
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        char *path = xmalloc(n);
        snprintf(path, n, "%s%s%s", dir, ends_with(dir, "/") ? "" : "/", e->d_name);
        struct stat sb;
        if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
            ptrvec_push(&dirs, path);
        else if (ends_with(e->d_name, ".tally"))
            ptrvec_push(&files, path);
        else
            free(path);
    }
    closedir(d);
    if (files.len)
        qsort(files.items, files.len, sizeof(void *), by_name);
    if (dirs.len)
        qsort(dirs.items, dirs.len, sizeof(void *), by_name);
    for (size_t i = 0; i < files.len; i++)
        ptrvec_push(out, files.items[i]);
    for (size_t i = 0; i < dirs.len; i++) {
        collect_dir(dirs.items[i], out);
        free(dirs.items[i]);
    }
    ptrvec_free(&files);
    ptrvec_free(&dirs);
}

/* Words for messages ------------------------------------------------------------------- */

static const char *show_value(Arena *a, TlValue v)
{
    if (v.kind == TL_MISSING)
        return "missing";
    char buf[VAL_BUF];
    if (v.kind == TL_NUM && v.numkind == NUM_PLAIN) {
        dec_format_trim(v.u.num, 10, buf);
        return arena_strdup(a, buf);
    }
    val_format(&v, buf);
    return arena_strdup(a, buf);
}

static bool same_value(TlValue x, TlValue y);

static const char *show_expected(Arena *a, const Expect *e)
{
    if (e->range)
        return arena_printf(a, "%s..%s", show_value(a, e->lo), show_value(a, e->hi));
    return show_value(a, e->lo);
}

static bool value_matches(const Expect *e, TlValue got)
{
    if (e->lo.kind == TL_MISSING)
        return got.kind == TL_MISSING;
    if (got.kind != TL_NUM)
        return false;
    if (e->range)
        return dec_cmp(got.u.num, e->lo.u.num) >= 0 && dec_cmp(got.u.num, e->hi.u.num) <= 0;
    return dec_cmp(got.u.num, e->lo.u.num) == 0;
}

/* The total as the outputs show it: the verified points, or the range
 * unverified indicators leave open ("23–26"; "at least 23" when a weight is
 * unknown). */
static const char *show_total(Arena *a, const ReportResult *r)
{
    if (!r->nunverified)
        return show_value(a, r->total);
    if (r->total_max.kind != TL_NUM)
        return arena_printf(a, "at least %s", show_value(a, r->total_min));
    if (same_value(r->total_min, r->total_max))
        return show_value(a, r->total_min);
    return arena_printf(a, "%s–%s", show_value(a, r->total_min), show_value(a, r->total_max));
}

/* `expect total N` or `expect total LO..HI` against a total that may be a
 * range (docs/language.md §11.3): every total the report can have must lie
 * within what is expected, so N matches a total of exactly N, and LO..HI a
 * total or a range inside it (23..26 matches 23–26, 24–25 and 25; 23 does not
 * match 23–26). */
static bool total_matches(const Expect *e, const ReportResult *r)
{
    if (!r->nunverified)
        return value_matches(e, r->total);
    if (e->lo.kind == TL_MISSING || r->total_min.kind != TL_NUM || r->total_max.kind != TL_NUM)
        return false;
    TlValue hi = e->range ? e->hi : e->lo;
    return dec_cmp(r->total_min.u.num, e->lo.u.num) >= 0 && dec_cmp(r->total_max.u.num, hi.u.num) <= 0;
}

/* The findings of a result, "KIND SUBJECT" each, for a hint. */
static const char *list_findings(Arena *a, const ReportResult *r)
{
    if (!r->findings.len)
        return "none";
    char *s = "";
    for (size_t i = 0; i < r->findings.len; i++) {
        const Finding *f = &r->findings.items[i];
        s = arena_printf(a, "%s%s%s%s%s", s, i ? ", " : "", finding_info(f->kind)->code,
                         *f->subject ? " on " : "", f->subject);
    }
    return s;
}

/* Both engines ------------------------------------------------------------------------ */

static bool same_value(TlValue x, TlValue y)
{
    char a[VAL_BUF], b[VAL_BUF];
    val_format(&x, a);
    val_format(&y, b);
    return x.kind == y.kind && strcmp(a, b) == 0;
}

static bool same_text(const char *x, const char *y)
{
    return (!x && !y) || (x && y && strcmp(x, y) == 0);
}

/* The first way the compiled code's result y differs from the
 * interpreter's x, in words; NULL when they agree. */
static const char *engines_differ(Arena *a, const ReportResult *x, const ReportResult *y)
{
    if (!same_text(x->error, y->error))
        return arena_printf(a, "the report's error: '%s' against '%s'", x->error ? x->error : "none",
                            y->error ? y->error : "none");
    if (x->nind != y->nind)
        return arena_printf(a, "%d indicators against %d", x->nind, y->nind);
    for (int i = 0; i < x->nind; i++) {
        const ScoredIndicator *p = &x->ind[i], *q = &y->ind[i];
        if (!same_value(p->eval.score, q->eval.score) || !same_value(p->eval.raw, q->eval.raw) ||
            p->eval.clamped != q->eval.clamped)
            return arena_printf(a, "the score of %s: %s (raw %s) against %s (raw %s)", p->name,
                                show_value(a, p->eval.score), show_value(a, p->eval.raw),
                                show_value(a, q->eval.score), show_value(a, q->eval.raw));
        if (!same_text(p->branch, q->branch))
            return arena_printf(a, "the branch of %s: '%s' against '%s'", p->name,
                                p->branch ? p->branch : "none", q->branch ? q->branch : "none");
    }
    for (int g = 0; g < x->ngroups && g < y->ngroups; g++)
        if (!same_value(x->groups[g].subtotal, y->groups[g].subtotal))
            return arena_printf(a, "the subtotal of %s: %s against %s", x->groups[g].name,
                                show_value(a, x->groups[g].subtotal), show_value(a, y->groups[g].subtotal));
    if (!same_value(x->total, y->total) || !same_value(x->total_min, y->total_min) ||
        !same_value(x->total_max, y->total_max))
        return arena_printf(a, "the total: %s against %s", show_total(a, x), show_total(a, y));
    if (!same_text(x->grade, y->grade))
        return arena_printf(a, "the grade: %s against %s", x->grade ? x->grade : "none",
                            y->grade ? y->grade : "none");
    for (int i = 0; i < x->nchecks && i < y->nchecks; i++)
        if (x->checks[i].result != y->checks[i].result || !same_value(x->checks[i].lhs, y->checks[i].lhs) ||
            !same_value(x->checks[i].rhs, y->checks[i].rhs))
            return arena_printf(a, "check %s", x->checks[i].name);
    if (x->findings.len != y->findings.len)
        return arena_printf(a, "the findings: %s against %s", list_findings(a, x), list_findings(a, y));
    for (size_t i = 0; i < x->findings.len; i++) {
        const Finding *p = &x->findings.items[i], *q = &y->findings.items[i];
        if (p->kind != q->kind || strcmp(p->subject, q->subject) != 0 || strcmp(p->message, q->message) != 0 ||
            p->rule.start != q->rule.start)
            return arena_printf(a, "finding %zu: %s %s: %s against %s %s: %s", i + 1, finding_info(p->kind)->code,
                                p->subject, p->message, finding_info(q->kind)->code, q->subject, q->message);
    }
    return NULL;
}

/* One test ------------------------------------------------------------------------------ */

typedef struct OneTest {
    TestRun *run;
    const Program *p;
    const Decl *t;
    const JitProgram *jit;
    Coverage *cover;
    DiagList *out;          /* the failures, as diagnostics into the rule file */
    Arena *arena;
    bool failed;
} OneTest;

static void failure(OneTest *o, Span at, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void failure(OneTest *o, Span at, const char *hint, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    Diag *d = diag_at(o->out, DIAG_ERROR, &o->p->src, at, _("test '%s': %s"), o->t->name, buf);
    if (hint)
        diag_set_hint(d, "%s", hint);
    o->failed = true;
}

/* A data file named by a test: relative to the file the test is written in. */
static char *data_path(const OneTest *o)
{
    const char *file = source_file_at(&o->p->src, o->t->span.start, NULL, NULL);
    const char *slash = strrchr(file, '/');
    const char *data = o->t->u.test.data;
    if (data[0] == '/' || !slash)
        return arena_strdup(o->arena, data);
    return arena_printf(o->arena, "%.*s/%s", (int)(slash - file), file, data);
}

static int line_at(const Program *p, Span span)
{
    int line, col;
    source_position(&p->src, span.start, &line, &col);
    return line;
}

static int col_at(const Program *p, Span span)
{
    int line, col;
    source_position(&p->src, span.start, &line, &col);
    return col;
}

/* The test's report, in set; NULL after a failure. */
static const Report *test_report(OneTest *o, ReportSet *set)
{
    const Decl *t = o->t;
    DiagList diags;
    diag_init(&diags);
    if (!t->u.test.data) {
        InlineReport ir = {0};
        ir.id = t->name;
        ir.file = source_file_at(&o->p->src, t->span.start, NULL, NULL);
        ir.line = line_at(o->p, t->name_span);
        InlineFigure *figs = arena_alloc(o->arena, (size_t)(t->u.test.nfigures + 1) * sizeof *figs);
        for (int i = 0; i < t->u.test.nfigures; i++) {
            const TestFigure *f = &t->u.test.figures[i];
            figs[i] = (InlineFigure){f->name, f->value.text, line_at(o->p, f->value.span),
                                     col_at(o->p, f->value.span)};
        }
        InlineRow *rows = arena_alloc(o->arena, (size_t)(t->u.test.nrows + 1) * sizeof *rows);
        for (int i = 0; i < t->u.test.nrows; i++) {
            const TestRow *row = &t->u.test.rows[i];
            rows[i].line = line_at(o->p, row->span);
            for (int c = 0; c < row->ncells && c < INLINE_CELLS; c++) {
                rows[i].cell[c] = row->cells[c].text;
                rows[i].col[c] = col_at(o->p, row->cells[c].span);
            }
            ir.has_reason |= row->ncells == INLINE_CELLS;
        }
        ir.figures = figs;
        ir.nfigures = (size_t)t->u.test.nfigures;
        ir.rows = rows;
        ir.nrows = (size_t)t->u.test.nrows;
        reportset_add_inline(set, &ir, &diags);
    } else {
        LoadOptions lo = {0};
        lo.forms = forms_for_program(o->p, &set->arena, &diags); /* as tally score reads forms */
        reportset_load(set, data_path(o), &lo, &diags);
    }
    const Report *r = NULL;
    if (!diags.errors) {
        if (t->u.test.report) {
            for (size_t i = 0; i < set->len && !r; i++)
                if (strcmp(set->reports[i].id, t->u.test.report) == 0)
                    r = &set->reports[i];
            if (!r)
                failure(o, t->u.test.report_span, NULL, _("%s holds no report '%s'"), t->u.test.data,
                        t->u.test.report);
        } else if (set->len == 1) {
            r = &set->reports[0];
        } else {
            failure(o, t->u.test.data ? t->u.test.data_span : t->name_span,
                    "write data \"FILE\" report ID", _("%s holds %zu reports: say which one"),
                    t->u.test.data, set->len);
        }
    } else {
        /* Data errors (a weight that is not a number): the report cannot be scored. */
        for (size_t i = 0; i < diags.len; i++)
            if (diags.items[i].severity == DIAG_ERROR)
                diag_render(&diags.items[i], stdout, o->run->color);
        failure(o, t->name_span, NULL, _("its report could not be read (see above)"));
    }
    diag_free(&diags);
    return r;
}

static const ScoredIndicator *find_indicator(const ReportResult *r, const char *name)
{
    for (int i = 0; i < r->nind; i++)
        if (strcmp(r->ind[i].name, name) == 0)
            return &r->ind[i];
    return NULL;
}

static void check_expect(OneTest *o, const Expect *e, const ReportResult *r)
{
    Arena *a = o->arena;
    switch (e->kind) {
    case EXPECT_SCORE: {
        const ScoredIndicator *si = find_indicator(r, e->name);
        const Sym *s = program_lookup(o->p, e->name);
        if (o->cover && s && s->kind == SYM_INDICATOR)
            coverage_indicator(o->cover, s->index);
        if (!si)
            failure(o, e->span, NULL, _("the report has no indicator '%s'"), e->name);
        else if (!value_matches(e, si->eval.score))
            failure(o, e->span,
                    *si->method ? arena_printf(a, "scored by %s (%s)%s%s%s", si->method, si->why,
                                               si->branch ? ": " : "", si->branch ? si->branch : "",
                                               si->eval.clamped ? ", then clamped" : "")
                                : NULL,
                    _("score of %s: expected %s, got %s"), e->name, show_expected(a, e),
                    show_value(a, si->eval.score));
        break;
    }
    case EXPECT_SUBTOTAL: {
        const ScoredGroup *g = NULL;
        for (int i = 0; i < r->ngroups && !g; i++)
            if (strcmp(r->groups[i].name, e->name) == 0)
                g = &r->groups[i];
        if (g && !value_matches(e, g->subtotal))
            failure(o, e->span, NULL, _("subtotal of %s: expected %s, got %s"), e->name, show_expected(a, e),
                    show_value(a, g->subtotal));
        break;
    }
    case EXPECT_TOTAL:
        if (!total_matches(e, r))
            failure(o, e->span,
                    r->nunverified ? arena_printf(a, "%d indicator%s could not be re-scored: the total is a "
                                                     "range; expect total LO..HI", r->nunverified,
                                                  r->nunverified == 1 ? "" : "s")
                                   : NULL,
                    _("total: expected %s, got %s"), show_expected(a, e), show_total(a, r));
        break;
    case EXPECT_GRADE:
        if (!same_text(e->name, r->grade))
            failure(o, e->span, NULL, _("grade: expected %s, got %s%s%s%s%s (total %s)"),
                    e->name ? e->name : "none", r->grade ? r->grade : "none",
                    r->grade_min && r->grade_max && strcmp(r->grade_min, r->grade_max) != 0 ? " (" : "",
                    r->grade_min && r->grade_max && strcmp(r->grade_min, r->grade_max) != 0 ? r->grade_min : "",
                    r->grade_min && r->grade_max && strcmp(r->grade_min, r->grade_max) != 0 ? _(" to ") : "",
                    r->grade_min && r->grade_max && strcmp(r->grade_min, r->grade_max) != 0
                        ? arena_printf(a, "%s)", r->grade_max)
                        : "",
                    show_total(a, r));
        break;
    case EXPECT_FINDING: case EXPECT_NO_FINDING: {
        FindingKind kind = F_KIND_COUNT;
        if (e->name)
            tests_finding_kind(e->name, &kind);
        size_t hits = 0;
        for (size_t i = 0; i < r->findings.len; i++) {
            const Finding *f = &r->findings.items[i];
            hits += (!e->name || f->kind == kind) && (!e->subject || strcmp(f->subject, e->subject) == 0);
        }
        const char *what = arena_printf(a, "%s%s%s",
                                        e->name               ? e->name
                                        : e->kind == EXPECT_FINDING ? "a finding"
                                                                    : "finding",
                                        e->subject ? " on " : "", e->subject ? e->subject : "");
        const char *hint = arena_printf(a, "the findings: %s", list_findings(a, r));
        if (e->kind == EXPECT_FINDING && !hits)
            failure(o, e->span, hint, _("expected %s, got none"), what);
        else if (e->kind == EXPECT_NO_FINDING && hits)
            failure(o, e->span, hint, _("expected no %s, got %zu"), what, hits);
        break;
    }
    }
}

/* Score r with the interpreter (recording coverage) or compiled code. */
static void score_with(OneTest *o, const Report *r, const JitProgram *jit, Arena *arena, Scorer *sc,
                       ReportResult *res, DiagList *diags)
{
    ScoreOptions so = {.explain = false};
    scorer_init(sc, o->p, &so, arena);
    scorer_set_jit(sc, jit);
    if (!jit)
        sc->st.env.cover = o->cover;
    scorer_batch(sc, r, 1);
    score_report(sc, r, res, diags);
}

static void run_test(OneTest *o)
{
    ReportSet set;
    reportset_init(&set);
    const Report *r = test_report(o, &set);
    if (r) {
        Arena ai, aj;
        arena_init(&ai);
        arena_init(&aj);
        Scorer si, sj;
        ReportResult ri, rj;
        DiagList di, dj;
        diag_init(&di);
        diag_init(&dj);
        score_with(o, r, NULL, &ai, &si, &ri, &di);
        if (ri.error) {
            for (size_t i = 0; i < di.len; i++)
                diag_render(&di.items[i], stdout, o->run->color);
            failure(o, o->t->name_span, NULL, _("its report could not be scored: %s"), ri.error);
        } else {
            if (o->jit) {
                score_with(o, r, o->jit, &aj, &sj, &rj, &dj);
                const char *diff = engines_differ(o->arena, &ri, &rj);
                if (diff)
                    failure(o, o->t->name_span, "docs/performance.md: both engines must agree bit for bit",
                            _("the interpreter and compiled code disagree: %s"), diff);
                result_free(&rj);
                scorer_free(&sj);
            }
            for (int i = 0; i < o->t->u.test.nexpects; i++)
                check_expect(o, &o->t->u.test.expects[i], &ri);
        }
        result_free(&ri);
        scorer_free(&si);
        diag_free(&di);
        diag_free(&dj);
        arena_free(&ai);
        arena_free(&aj);
    }
    reportset_free(&set);
}

/* One rule file ------------------------------------------------------------------------ */

/* Compiled code for p, or NULL (said once per run, on standard error). */
static JitProgram *compile(TestRun *run, const Program *p, Engine *e)
{
    EngineOptions opt = run->engine;
    opt.kind = ENGINE_JIT;
    opt.messages = opt.stats ? stderr : NULL; /* TALLY_JIT_STATS: which compiled code */
    engine_init(e, p, &opt);
    engine_before_load(e, 0);
    engine_after_load(e, 1);
    const JitProgram *jp = engine_code(e);
    if (!jp && !run->said_no_jit) {
        const char *why = engine_failure(e);
        diag_printf(stderr, _("tally: note: no compiled code (%s): the tests ran with the interpreter only\n"),
                why ? why : "unknown reason");
        run->said_no_jit = true;
    }
    return (JitProgram *)jp;
}

static void print_coverage(TestRun *run, const Program *p, const char *path, const Coverage *c)
{
    Arena a;
    arena_init(&a);
    CoverageGap *gaps;
    size_t total, n = coverage_gaps(c, &a, &gaps, &total);
    printf("coverage of %s: %zu of %zu exercised%s\n", path, total - n, total, n ? "; not exercised:" : "");
    for (size_t i = 0; i < n; i++) {
        int line, col;
        source_position(&p->src, gaps[i].span.start, &line, &col);
        printf("  %s:%d: %s\n", source_file_at(&p->src, gaps[i].span.start, NULL, NULL), line, gaps[i].what);
    }
    (void)run;
    arena_free(&a);
}

static void test_file(TestRun *run, const char *path, bool named)
{
    DiagList diags;
    diag_init(&diags);
    Program *p = program_load(path, &diags);
    diag_render_all(&diags, stderr, run->color && isatty(STDERR_FILENO));
    diag_free(&diags);
    if (!p) {
        run->rule_errors = true;
        return;
    }
    if (!p->ntests) {
        if (named || run->verbose)
            diag_printf(stderr, _("%s: no tests\n"), path);
        program_free(p);
        return;
    }
    Engine engine;
    const JitProgram *jit = run->use_jit ? compile(run, p, &engine) : NULL;
    Coverage *cover = run->coverage ? coverage_new(p) : NULL;
    for (int i = 0; i < p->ntests; i++) {
        Arena arena;
        arena_init(&arena);
        DiagList out;
        diag_init(&out);
        OneTest o = {run, p, p->tests[i], jit, cover, &out, &arena, false};
        run_test(&o);
        diag_render_all(&out, stdout, run->color);
        if (o.failed)
            run->failed++;
        else
            run->passed++;
        if (run->verbose && !o.failed) {
            int line, col;
            source_position(&p->src, p->tests[i]->name_span.start, &line, &col);
            printf("ok   %s:%d: %s\n", source_file_at(&p->src, p->tests[i]->name_span.start, NULL, NULL), line,
                   p->tests[i]->name);
        }
        diag_free(&out);
        arena_free(&arena);
    }
    if (cover)
        print_coverage(run, p, path, cover);
    coverage_free(cover);
    if (run->use_jit)
        engine_free(&engine);
    program_free(p);
}

int test_main(int argc, char **argv)
{
    TestRun run = {0};
    engine_options_default(&run.engine);
    run.use_jit = true;
    const char *nc = getenv("NO_COLOR");
    run.color = isatty(STDOUT_FILENO) && !(nc && *nc);
    PtrVec paths = {0};
    PtrVec named = {0};
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(s, "--coverage") == 0) {
            run.coverage = true;
        } else if (strcmp(s, "--verbose") == 0 || strcmp(s, "-v") == 0) {
            run.verbose = true;
        } else if (strcmp(s, "--engine") == 0 && val) {
            i++;
            if (strcmp(val, "interp") == 0)
                run.use_jit = false;
            else if (strcmp(val, "both") != 0) {
                diag_printf(stderr, _("tally: test --engine is interp or both, not '%s'\n"), val);
                return EXIT_INPUT;
            }
        } else if (strcmp(s, "--jit-cache") == 0 && val) {
            run.engine.jit.cache_dir = argv[++i];
        } else if (strcmp(s, "--no-jit-cache") == 0) {
            run.engine.jit.no_cache = true;
        } else if (s[0] == '-' && s[1]) {
            diag_printf(stderr, _("tally: unknown option '%s' (or it needs a value)\n%s"), s, test_usage);
            return EXIT_INPUT;
        } else {
            struct stat sb;
            if (stat(s, &sb) == 0 && S_ISDIR(sb.st_mode)) {
                size_t before = paths.len;
                collect_dir(s, &paths);
                for (size_t k = before; k < paths.len; k++)
                    ptrvec_push(&named, NULL);
            } else {
                ptrvec_push(&paths, xstrdup(s));
                ptrvec_push(&named, (void *)1);
            }
        }
    }
    if (!paths.len) {
        fputs(test_usage, stderr);
        return EXIT_INPUT;
    }
    for (size_t i = 0; i < paths.len; i++) {
        test_file(&run, paths.items[i], named.items[i] != NULL);
        fflush(stdout);
    }
    printf("%d passed, %d failed\n", run.passed, run.failed);
    for (size_t i = 0; i < paths.len; i++)
        free(paths.items[i]);
    ptrvec_free(&paths);
    ptrvec_free(&named);
    return run.rule_errors ? EXIT_INPUT : run.failed ? EXIT_FAILED : EXIT_CLEAN;
}
