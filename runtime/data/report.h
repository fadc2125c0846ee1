/* report.h - report data as loaded from CSV or JSON.
 *
 * A ReportSet holds every report of every data file given on the command
 * line, in input order.  A report has an id, its named figures (wide data),
 * its own indicator table (long data), and the stated total and grade.  A
 * report that could not be read completely carries `error` and is still
 * listed, so nothing is dropped silently.  All storage lives in the set's
 * arena.
 */
#ifndef TALLY_REPORT_H
#define TALLY_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lang/base/arena.h"
#include "lang/base/diag.h"
#include "lang/base/value.h"

typedef struct DataPos {
    const char *file;   /* data file name as given ("<stdin>" for "-") */
    int line;           /* 1-based physical line where the record starts */
    const char *column; /* CSV column name or JSON key, may be NULL */
    const char *where;  /* forms: the place in the original, "book.xlsx:自评表!D9" or
                           "report.docx: table 2, row 7"; NULL for CSV and JSON, whose
                           place is FILE:LINE */
} DataPos;

/* How the bare numbers of a column were read where percentages are expected
 * (docs/data.md, "Percent columns"): all above 1.5 are percentage points, all
 * at most 1.5 ratios; a column holding both cannot be read. */
typedef enum PercentRead {
    PCT_NONE = 0,   /* no bare number to read */
    PCT_POINTS,     /* 85 is 85% */
    PCT_RATIO,      /* 0.85 is 85% */
    PCT_MIXED,      /* both kinds: each bare cell is a bad cell */
} PercentRead;

typedef struct Figure {
    const char *name;  /* column name / JSON key, NFC as written, trimmed */
    const char *raw;   /* the cell text as written */
    TlValue value;     /* parsed cell */
    DataPos pos;
    int field;         /* 1-based CSV field, 0 for JSON */
    uint8_t percent_read; /* PercentRead of its column (this file), for a percent input */
    int8_t magnitude_off; /* about 10^k off the column's median (k = ±4 or more), else 0 */
} Figure;

/* A cell no reader can interpret (docs/data.md): the report is still scored,
 * and what needs the cell cannot be verified (E_BAD_CELL). */
typedef struct BadCell {
    DataPos pos;          /* file, line, column name */
    int field;            /* 1-based CSV field, 0 for JSON */
    const char *subject;  /* the indicator or figure it belongs to ("总分" for the 总分 row) */
    const char *cell;     /* the cell as written (long ones cut) */
    const char *problem;  /* "is not a number" */
    const char *accepted; /* what would be read there */
} BadCell;

typedef struct TableRow {
    const char *level1;   /* normalised: spaces removed, "(50分)" removed */
    const char *level2;   /* normalised likewise; "" when empty */
    const char *name;     /* indicator name, spaces trimmed */
    const char *level1_raw, *level2_raw;
    int level1_stated_weight; /* "产出指标(50分)" -> 50; -1 when none */
    const char *target_raw, *actual_raw;
    TlValue target, actual;   /* parsed cells */
    TlValue weight;           /* number, or missing */
    TlValue reported;         /* self-awarded score, or missing */
    const char *reason;       /* 偏差原因 text; NULL when the column is absent */
    DataPos pos;
    const char *const *where; /* forms: each cell's place, by long-CSV field (C_LEVEL1 ..
                                 C_REASON of loader.h); NULL for CSV and JSON */
    uint8_t read;             /* READ_* below */
} TableRow;

/* Fields of a table row, for TableRow.where (the long CSV's column order). */
enum { ROW_LEVEL1 = 1, ROW_LEVEL2, ROW_INDICATOR, ROW_TARGET, ROW_ACTUAL, ROW_WEIGHT,
       ROW_REPORTED, ROW_REASON, ROW_FIELDS };

/* How a row's cells were read, for TableRow.read. */
enum {
    READ_ACTUAL_PERCENT = 1 << 0, /* a bare actual read as a percentage (Report.actual_read) */
    READ_TARGET_PERCENT = 1 << 1, /* a bare target likewise (Report.target_read) */
    READ_BAD_WEIGHT = 1 << 2,     /* the weight cell could not be read */
    READ_BAD_REPORTED = 1 << 3,   /* the self-awarded score could not be read */
};

typedef struct Report {
    const char *id;
    DataPos pos;             /* where the report starts */
    Figure *figures;
    size_t nfigures;
    /* Nonzero: the figures are named as every report of this number names
     * them (the same names, in the same order: a wide CSV's header), so a
     * scorer that found its inputs' figures for one such report need not
     * look again (report_layout_new; issue 16).  0: look by name. */
    uint64_t figure_layout;
    TableRow *rows;          /* indicator rows, without 总分 / 自评结论 rows */
    size_t nrows;
    bool has_table;
    TlValue stated_total;    /* from the 总分 row's reported, or JSON */
    TlValue stated_max;      /* from the 总分 row's weight */
    const char *stated_grade;/* from the 自评结论 row's actual, or JSON; NULL */
    int year;                /* the year it reports on (a year column, JSON "year"); 0: not stated */
    const char *error;       /* first input error for this report, or NULL */
    DataPos total_pos;       /* where the stated total is (file NULL: nowhere, no 总分 row);
                                set even when the row's total cell is empty */
    DataPos grade_pos;       /* where the stated grade is */
    BadCell *bad;            /* cells no reader can interpret, in the order met */
    size_t nbad, badcap;
    /* How the table's bare actuals beside percent targets (and bare targets
     * beside percent actuals) were read, and how many. */
    uint8_t actual_read, target_read;
    int nactual_read, ntarget_read;
} Report;

typedef enum DataFormat {
    DATA_AUTO = 0,  /* by file extension and header: .json/.jsonl or CSV */
    DATA_CSV_WIDE,
    DATA_CSV_LONG,
    DATA_JSON,
} DataFormat;

typedef struct ReportSet {
    Arena arena;
    Report *reports;
    size_t len, cap;
} ReportSet;

struct FormSet;

typedef struct LoadOptions {
    DataFormat format;
    const char *encoding;    /* NULL or "UTF-8": as is; else converted with iconv */
    const struct FormSet *forms; /* what form recognition looks for (formspec.h);
                                    NULL: the built-in default (form_default()) */
} LoadOptions;

void reportset_init(ReportSet *set);
void reportset_free(ReportSet *set);
/* Empty the set, keeping its arena's first block. */
void reportset_clear(ReportSet *set);

/* Load one data file (or "-" for standard input) and append its reports.
 * Problems are appended to `diags` with the file, line and column name; a
 * problem confined to one report marks that report's `error` and loading
 * goes on; a problem with the whole file (unreadable, empty, not CSV/JSON,
 * invalid encoding) appends no reports and returns false. */
bool reportset_load(ReportSet *set, const char *path, const LoadOptions *opt, DiagList *diags);
/* Streaming: where reportset_stream() hands complete reports.  fn gets the
 * set's reports [0, set->len) - in the file's order, each complete - and
 * the diagnostics of reading them, and must leave both empty
 * (reportset_clear, diag_clear).  Chunks are cut at report boundaries once
 * the set's arena holds chunk_bytes (or chunk_reports reports). */
typedef struct LoadSink {
    void (*fn)(void *ctx, ReportSet *set, DiagList *diags);
    void *ctx;
    size_t chunk_bytes;      /* 0: STREAM_CHUNK_BYTES */
    size_t chunk_reports;    /* 0: no limit by count */
    size_t window;           /* bytes read ahead of the reader; 0: STREAM_WINDOW */
    Arena *keep;             /* what outlives a chunk: file names, headers */
    int parsers;             /* threads that parse a long CSV (issue 16); below 2: the
                                reading thread alone */
} LoadSink;

/* A chunk's reports take about this much memory before they are scored. */
#define STREAM_CHUNK_BYTES ((size_t)8 << 20)
/* Bytes read ahead: more than the longest CSV record (csv.h), so that a
 * record is always whole in memory. */
#define STREAM_WINDOW ((size_t)17 << 20)

/* Load one data file (or "-") in chunks, handing each to sink->fn as it is
 * complete; the last chunk stays in set for the caller.  The set must be
 * empty.  Memory: the window, one chunk and the ids seen (duplicate ids are
 * found across the whole file; idset.h: at most 32 MB of them, then about
 * 1.4 bytes an id, the rest in a temporary file).  A file that fits in the window is read as
 * reportset_load() reads it; so is one that must be read whole (a form, an
 * encoding other than UTF-8, a single JSON document: docs/performance.md). */
bool reportset_stream(ReportSet *set, const char *path, const LoadOptions *opt, DiagList *diags,
                      const LoadSink *sink);
/* Same, from a buffer already in memory (tests, REPL, fuzzing). */
/* For the program only: libxml2 (the forms' readers) allocates through the
 * checked allocator, so running out of memory ends the run with exit 3
 * rather than passing for a document with no table.  Before any reading. */
void data_readers_exit_on_oom(void);

bool reportset_load_buffer(ReportSet *set, const char *name, const char *data, size_t len,
                           const LoadOptions *opt, DiagList *diags);

const Figure *report_figure(const Report *r, const char *name);
/* A number for Report.figure_layout never handed out before in this
 * process (thread-safe): one per wide CSV header read. */
uint64_t report_layout_new(void);

/* Reports from..to of a set written as Tally's own files (export.c): their
 * tables as a long CSV (with the 总分 and 自评结论 rows), their figures as a
 * wide CSV, every cell as it was read. */
bool report_has_table(const ReportSet *set, size_t from, size_t to);
bool report_has_figures(const ReportSet *set, size_t from, size_t to);
void report_write_long(FILE *f, const ReportSet *set, size_t from, size_t to);
void report_write_wide(FILE *f, const ReportSet *set, size_t from, size_t to);

/* A table row's place in the original, for the cell of field f (ROW_*):
 * the form's cell ("book.xlsx:自评表!H9"), else the row's place, else
 * FILE:LINE into buf (of size n).  NULL for a row without a file. */
const char *row_place(const TableRow *row, int f, char *buf, size_t n);
/* The same for a stated total or grade. */
const char *pos_place(const DataPos *pos, char *buf, size_t n);

/* One indicator row given cell by cell (a database row, tally_data_add_table):
 * the long CSV's columns after `report`, NULL for an empty cell; reason NULL
 * when there is no reason column. */
typedef struct RowCells {
    int line;
    const char *level1, *level2, *indicator, *target, *actual, *weight, *reported, *reason;
} RowCells;

/* Append the report `id` with the indicator table rows[0 .. n - 1], read as
 * the long CSV reader reads its rows, positions naming `file` (cells.c); or join the
 * table to an earlier report of that id that has figures only.  Returns the
 * report's index; problems are in diags and mark the report. */
size_t reportset_add_table(ReportSet *set, const char *file, const char *id, int line,
                           const RowCells *rows, size_t n, DiagList *diags);
/* The same for a report's named figures, as one row of a wide CSV
 * (cells[k] NULL: missing). */
size_t reportset_add_figures(ReportSet *set, const char *file, const char *id, int line,
                             const char *const *names, const char *const *cells, size_t n,
                             DiagList *diags);

#endif
