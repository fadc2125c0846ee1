/* test_csvsplit.c - cuts of a CSV at record boundaries (runtime/data/csvsplit.c):
 * random CSV with quoted fields holding separators, quotes and line breaks,
 * CRLF and LF, empty and blank lines, a byte-order mark, ids in runs, read
 * block by block from the cuts the scanner offers, gives exactly the records
 * (fields, lines, errors) of reading it whole; every long-CSV cut lies where
 * the report id changes; a quote the reader takes for a fault stops the cuts;
 * the scanner fed a little at a time offers the same cuts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/base/text.h"
#include "runtime/data/csv.h"
#include "runtime/data/csvsplit.h"

typedef struct Buf {
    char *s;
    size_t len, cap;
} Buf;

static void put(Buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        assert_non_null(b->s);
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void puts_(Buf *b, const char *s) { put(b, s, strlen(s)); }

static uint64_t rng_state;
static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)(rng_state >> 33) % n;
}

/* A field's text: plain bytes, or quoted with separators, "" and line breaks. */
static void field(Buf *b, char sep, const char *eol)
{
    static const char *const plain[] = {"产出指标", "12.5", "≥91.7%", "1870.02万元", " 有所提升 ",
                                        "", "x", "完成率", "\r"};
    static const char *const inner[] = {"a", "\"\"", ",", "\t", "\n", "\r\n", "收入", " ", "\r"};
    if (rnd(4)) {
        const char *p = plain[rnd(sizeof plain / sizeof *plain)];
        if (*p == '\r' && rnd(2))
            p = "a\rb"; /* a lone CR inside a field is a byte like any other */
        puts_(b, p);
        return;
    }
    puts_(b, "\"");
    for (unsigned k = rnd(6); k; k--) {
        const char *p = inner[rnd(sizeof inner / sizeof *inner)];
        if (*p == ',' && sep == '\t')
            p = "\t";
        puts_(b, p);
    }
    puts_(b, "\"");
    (void)eol;
}

/* A long-CSV-like file: ids in runs (some written with spaces, some quoted,
 * some empty), blank records and empty lines between; `faults`: now and
 * then a quote inside an unquoted field or text (or a lone CR) after a
 * closing quote. */
static void make_csv(Buf *b, char sep, bool crlf, bool bom, bool faults, size_t records)
{
    const char *eol = crlf ? "\r\n" : "\n";
    char s[2] = {sep, 0};
    b->len = 0;
    if (bom)
        puts_(b, "\xEF\xBB\xBF");
    puts_(b, "report");
    puts_(b, s);
    puts_(b, "level1");
    puts_(b, s);
    puts_(b, "actual");
    puts_(b, eol);
    unsigned id = 0, run = 0;
    for (size_t r = 0; r < records; r++) {
        if (run == 0) {
            id++;
            run = 1 + rnd(4);
        }
        run--;
        unsigned kind = rnd(40);
        char idtext[64];
        if (kind == 0) {
            puts_(b, eol); /* an empty line */
        } else if (kind == 1) {
            puts_(b, " ");
            puts_(b, s);
            puts_(b, s);
            puts_(b, eol); /* a blank record */
        }
        if (kind == 2)
            snprintf(idtext, sizeof idtext, "\"R%u\"", id); /* a quoted id */
        else if (kind == 3)
            snprintf(idtext, sizeof idtext, " R%u ", id); /* the same id, with spaces */
        else if (kind == 4)
            idtext[0] = '\0';                         /* an empty id */
        else if (kind == 5)
            snprintf(idtext, sizeof idtext, "\xEF\xBB\xBFR%u", id); /* U+FEFF first */
        else
            snprintf(idtext, sizeof idtext, "R%u", id);
        puts_(b, idtext);
        for (int f = 0; f < 2; f++) {
            puts_(b, s);
            if (faults && rnd(300) == 0)
                puts_(b, rnd(3) == 0 ? "ab\"c" : rnd(2) ? "\"ab\"c" : "\"ab\"\rc");
            else
                field(b, sep, eol);
        }
        if (!(r + 1 == records && rnd(2)))
            puts_(b, eol);
    }
}

/* One record as read, flattened for comparison. */
static void record_text(Buf *out, const CsvReader *cr, const CsvRecord *rec, int rc)
{
    char head[128];
    snprintf(head, sizeof head, "%d@%d:%zu", rc, rec->line, rec->nfields);
    puts_(out, head);
    for (size_t i = 0; i < rec->nfields; i++) {
        snprintf(head, sizeof head, "|%d:%zu:", rec->fields[i].line, rec->fields[i].len);
        puts_(out, head);
        put(out, rec->fields[i].text, rec->fields[i].len);
    }
    if (rc == CSV_ERROR) {
        snprintf(head, sizeof head, "!%s@%d:%d:%d", cr->error, cr->error_line, cr->error_col,
                 cr->error_field);
        puts_(out, head);
    }
    puts_(out, "\n");
}

/* Read data[0 .. len) starting on line `line`; append its records to out.
 * *first and *last: the first fields of its first and last records. */
static void read_block(Buf *out, const char *data, size_t len, int line, char sep, Buf *first,
                       Buf *last)
{
    CsvReader cr;
    CsvRecord rec;
    csv_init(&cr, data, len);
    csv_set_separator(&cr, sep);
    cr.line = line;
    int rc;
    bool any = false;
    while ((rc = csv_next(&cr, &rec)) != CSV_EOF) {
        record_text(out, &cr, &rec, rc);
        size_t n = rec.nfields ? rec.fields[0].len : 0;
        const char *t = text_trim(rec.nfields ? rec.fields[0].text : "", &n);
        if (!any && first) {
            first->len = 0;
            put(first, t, n);
        }
        if (last) {
            last->len = 0;
            put(last, t, n);
        }
        any = true;
    }
    csv_free(&cr);
}

/* The offsets `from` asked for after each cut: a random step. */
static size_t step_of(size_t k) { return 1 + (size_t)((k * 2654435761u) % 400); }

/* Split data by the scanner (fed `feed` bytes more each time it asks; 0:
 * all at once) and read it block by block.  Returns the number of cuts;
 * their offsets in cuts[]. */
static size_t split_and_read(Buf *out, const Buf *data, char sep, bool by_id, size_t feed,
                             size_t *cuts, size_t maxcuts)
{
    size_t skip = data->len >= 3 && memcmp(data->s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    const char *d = data->s + skip;
    size_t len = data->len - skip, have = feed ? (feed < len ? feed : len) : len;
    CsvSplit sp;
    csv_split_init(&sp, sep, by_id);
    size_t prev = 0, ncut = 0;
    int prev_line = 1;
    Buf first = {0}, last = {0};
    for (;;) {
        CsvCut cut;
        size_t from = prev + step_of(ncut);
        bool got;
        while (!(got = csv_split_next(&sp, d, have, from, &cut)) && have < len && !sp.doubt)
            have = have + feed < len ? have + feed : len;
        if (!got)
            break;
        assert_true(cut.at >= from);
        assert_true(cut.at <= len);
        assert_true(ncut < maxcuts);
        cuts[ncut++] = cut.at;
        /* the first block is read with its byte-order mark, as csv_init() skips it */
        Buf prev_last = {0};
        if (by_id && last.len)
            put(&prev_last, last.s, last.len);
        read_block(out, prev ? d + prev : data->s, prev ? cut.at - prev : cut.at + skip,
                   prev_line, sep, &first, &last);
        if (by_id && prev) { /* the report changes at the previous cut */
            assert_true(prev_last.len > 0 && first.len > 0);
            assert_false(prev_last.len == first.len && memcmp(prev_last.s, first.s, first.len) == 0);
        }
        free(prev_last.s);
        prev = cut.at;
        prev_line = cut.line;
    }
    read_block(out, prev ? d + prev : data->s, prev ? len - prev : len + skip, prev_line, sep,
               &first, NULL);
    free(first.s);
    free(last.s);
    return ncut;
}

static void whole(Buf *out, const Buf *data, char sep)
{
    read_block(out, data->s, data->len, 1, sep, NULL, NULL);
}

/* Many random files, each way: block by block = whole; fed in pieces = at once. */
static void check_random(bool faults)
{
    size_t *cuts = malloc(100000 * sizeof *cuts), *cuts2 = malloc(100000 * sizeof *cuts2);
    assert_non_null(cuts);
    assert_non_null(cuts2);
    size_t total_cuts = 0;
    for (unsigned seed = 1; seed <= 300; seed++) {
        rng_state = seed;
        char sep = seed % 5 == 0 ? '\t' : ',';
        bool crlf = seed % 3 == 0, bom = seed % 7 == 0;
        Buf data = {0}, ref = {0}, got = {0}, got2 = {0};
        make_csv(&data, sep, crlf, bom, faults, 20 + rnd(300));
        whole(&ref, &data, sep);
        for (int by_id = 0; by_id <= 1; by_id++) {
            got.len = got2.len = 0;
            size_t n = split_and_read(&got, &data, sep, by_id, 0, cuts, 100000);
            if (got.len != ref.len || memcmp(got.s, ref.s, ref.len) != 0)
                fail_msg("seed %u, by_id %d: records differ after %zu cuts", seed, by_id, n);
            size_t feed = 1 + seed % 97;
            size_t n2 = split_and_read(&got2, &data, sep, by_id, feed, cuts2, 100000);
            assert_int_equal(n2, n);
            assert_memory_equal(cuts2, cuts, n * sizeof *cuts);
            assert_int_equal(got2.len, ref.len);
            total_cuts += n;
        }
        free(data.s);
        free(ref.s);
        free(got.s);
        free(got2.s);
    }
    assert_true(total_cuts > 1000); /* the files were cut, not read whole */
    free(cuts);
    free(cuts2);
}

static void test_random_quoted(void **state)
{
    (void)state;
    check_random(false);
}

static void test_random_faults(void **state)
{
    (void)state;
    check_random(true);
}

/* A quote inside an unquoted field: no cut after it, however far. */
static void test_doubt(void **state)
{
    (void)state;
    const char *csv = "report,a\nR1,x\nR2,a\"b\nR3,y\nR4,z\nR5,w\n";
    CsvSplit sp;
    CsvCut cut;
    csv_split_init(&sp, ',', true);
    assert_true(csv_split_next(&sp, csv, strlen(csv), 10, &cut));
    assert_int_equal(cut.at, 14); /* R2's line */
    assert_int_equal(cut.line, 3);
    assert_false(csv_split_next(&sp, csv, strlen(csv), 15, &cut));
    assert_true(sp.doubt);
    /* text after a closing quote likewise */
    const char *csv2 = "report,a\nR1,\"x\"y\nR2,z\nR3,w\n";
    csv_split_init(&sp, ',', false);
    assert_false(csv_split_next(&sp, csv2, strlen(csv2), 10, &cut));
    assert_true(sp.doubt);
}

/* Long CSV: no cut between two rows of one report, nor around a blank or
 * quoted id; a cut where the id changes, with its line counted across a
 * quoted line break. */
static void test_by_id(void **state)
{
    (void)state;
    const char *csv = "report,a\nR1,\"x\ny\"\n R1 ,z\n,\n\"R2\",w\nR2,v\nR3,u\n";
    CsvSplit sp;
    CsvCut cut;
    csv_split_init(&sp, ',', true);
    assert_true(csv_split_next(&sp, csv, strlen(csv), 10, &cut));
    assert_int_equal(cut.at, (size_t)(strstr(csv, "R3") - csv));
    assert_int_equal(cut.line, 8);
    /* the same bytes, cut by record: the first record after `from` */
    csv_split_init(&sp, ',', false);
    assert_true(csv_split_next(&sp, csv, strlen(csv), 10, &cut));
    assert_int_equal(cut.at, (size_t)(strstr(csv, " R1 ") - csv));
    assert_int_equal(cut.line, 4);
    /* not all there: asks for more rather than guess */
    csv_split_init(&sp, ',', true);
    assert_false(csv_split_next(&sp, csv, (size_t)(strstr(csv, "R3") - csv) + 1, 10, &cut));
    assert_false(sp.doubt);
    assert_true(csv_split_next(&sp, csv, strlen(csv), 10, &cut));
    assert_int_equal(cut.line, 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doubt),
        cmocka_unit_test(test_by_id),
        cmocka_unit_test(test_random_quoted),
        cmocka_unit_test(test_random_faults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
