/* loader.h - what the data readers share (internal to runtime/data/).
 *
 * A load appends the reports of one data file, already in UTF-8, to a
 * ReportSet (report.c decides the format and converts the encoding).  Each
 * reader - wide CSV, long CSV, JSON and JSON Lines, and the readers of this
 * wave's forms beside them - turns its format into calls of the loader:
 * claim a report by its id, add figures or indicator rows, report errors at
 * a file, line and column.  The loader applies the conventions every format
 * shares (docs/data.md): duplicate ids, the 总分 and 自评结论 rows, cells
 * parsed once, and a report marked rather than dropped when it has an error.
 */
#ifndef TALLY_LOADER_H
#define TALLY_LOADER_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "csv.h"
#include "idset.h"
#include "lang/base/arena.h"
#include "lang/base/diag.h"
#include "lang/base/strmap.h"
#include "lang/base/text.h"
#include "lang/base/value.h"
#include "report.h"

/* What one load learns about each report it touches, by report index. */
typedef struct Meta {
    int line;          /* where the report starts in this file */
    int total_line;    /* 总分 row or stated_total in this file, 0 if none */
    int grade_line;
    bool table;        /* its table comes from this file */
    bool figures;      /* its figures come from this file */
    bool placeholder;  /* listed as "line N": no usable id */
    bool bare;         /* a row of its table has a bare target or actual: its
                          percent columns are read (read_table_percents) */
} Meta;

/* A level label as written and as normalised; consecutive rows mostly
 * repeat their labels, so they share one copy. */
typedef struct Label {
    const char *raw, *norm;
    size_t len;         /* of raw */
    size_t normlen;     /* of norm */
    uint64_t normhash;  /* label_hash of norm: a row's indicator key is hashed from
                           its labels' (add_key) */
    int weight;
    bool unit_sep;      /* norm holds the keys' separator 0x1F */
    uint8_t special;    /* a level-1 label's norm: LABEL_TOTAL (总分), LABEL_GRADE
                           (自评结论), or 0 (issue 16: compared once, not each row) */
} Label;
enum { LABEL_TOTAL = 1, LABEL_GRADE };

/* Labels and indicator names interned (issue 16): raw bytes -> the Label
 * made of them, so a text the chunk has met is normalised and copied once.
 * Its strings live in the set's arena: emptied when a chunk is handed over,
 * and when half its slots are used (bounded: LABEL_SLOTS whatever the
 * number of reports). */
#define LABEL_SLOTS 1024
typedef struct LabelSlot {
    uint64_t hash;      /* 0: empty */
    int kind;           /* LABEL_LEVEL1, LABEL_LEVEL2, LABEL_TRIMMED */
    Label label;
} LabelSlot;
enum { LABEL_LEVEL1, LABEL_LEVEL2, LABEL_TRIMMED };

/* Streaming (report.h, reportset_stream): the part of the file in memory.
 * buf[0 .. len) is the window; the readers ask for more at a report or
 * record boundary (loader_window_more), which drops what lies before it.
 * Every byte read is checked as load_text checks a whole file (UTF-8, no
 * NUL) before a reader sees it. */
typedef struct DataWindow {
    FILE *f;
    char *buf;
    size_t len, cap;
    size_t ahead;        /* read on while fewer bytes than this lie ahead */
    size_t block;        /* bytes read at a time */
    size_t checked;      /* buf[0 .. checked) is checked */
    bool eof;            /* the file is all read */
    bool bad;            /* invalid text: the window ends before its line */
    size_t clean;        /* buf[0 .. clean) found clean (no NUL, UTF-8) by
                            streamable() before the first pass: not checked again */
    long long dropped;   /* bytes dropped before buf[0] */
} DataWindow;

/* Streaming a file with figures (a wide CSV): what read_figure_columns
 * decides from a column over the whole file - its bare numbers' reading as
 * percentages, the median size of its numbers - gathered in a first pass
 * (COLS_GATHER: load_wide reads each record's id and named cells, and
 * builds no report) and applied to each figure of the second as load_wide
 * reads it (COLS_APPLY).
 * Bounded: a few counters per column. */
enum { COLS_GATHER = 1, COLS_APPLY };
typedef struct ColStat {
    int pts, rat;        /* bare numbers above 1.5, and at most 1.5 */
    size_t m;            /* nonzero numbers */
    size_t count[24];    /* of them, by digits written (23: 23 or more) */
} ColStat;
typedef struct ColStats {
    int mode;
    StrMap names;        /* column -> index */
    ColStat *cols;
    size_t n, cap;
} ColStats;

/* The column of that name in cs (added, its counters zero, when new). */
size_t loader_colstat(ColStats *cs, const char *name);
/* Count a figure's value into its column's statistics. */
void loader_colstat_count(ColStat *st, const TlValue *v);
/* The same for a cell that is a plain decimal, -?(0|[1-9][0-9]*)(.[0-9]+)?
 * of at most 17 digits, or one with a % after it, without parsing it:
 * counted as cell_parse and
 * loader_colstat_count count it (issue 16: the first pass of a wide CSV);
 * false, counting nothing, for any other cell. */
bool loader_colstat_count_plain(ColStat *st, const char *s, size_t n);
/* What a column's statistics decide: the reading of its bare numbers as
 * percentages (PercentRead), and the median digits of its nonzero numbers
 * (-1: fewer than three). */
void loader_colstat_decide(const ColStat *st, uint8_t *how, int *median);
/* Apply them to a figure of that column (Figure.percent_read,
 * Figure.magnitude_off). */
void loader_figure_read(Figure *f, uint8_t how, int median);

/* The indicator keys of the report being read (a second row with the same
 * level-1, level-2 and name is an error): each key's bytes copied into
 * `text` - never a pointer into the interned labels, which may be emptied
 * within a report, so equal keys are found by their bytes - and found by
 * open addressing over a word-at-a-time hash (issue 16: a map of heap
 * copies was 7% of parsing).  Emptied at each report (loader_keys_clear). */
typedef struct RowKey {
    uint64_t hash;
    size_t off, len;    /* in text */
    size_t line;        /* where the key was first seen */
} RowKey;
typedef struct RowKeys {
    char *text;
    size_t textlen, textcap;
    RowKey *keys;
    size_t n, keycap;
    uint32_t *slots;    /* nslots (a power of two), at most half used: key index + 1, 0 empty */
    size_t nslots;
} RowKeys;

/* One load: a data file's reports appended to a set (loader.c). */
typedef struct Loader {
    char sep;           /* CSV: the field separator (sniff.h) */
    ReportSet *set;
    DiagList *diags;
    const char *file;   /* name for positions, in the set's arena */
    size_t first;       /* set->len before this load */
    size_t claims;      /* reports named (or listed by line) in this file */
    StrMap set_ids;     /* id -> first report with it, loaded before this file */
    IdSet file_ids;     /* id -> report it names in this file (loader_id_find);
                           spilled to a temporary file when streaming (idset.h) */
    RowKeys seen;       /* the current report's indicator keys and their lines */
    Meta *meta;
    size_t metacap;
    size_t block;       /* report whose rows are pending */
    TableRow *rows;     /* rows read for it since its last flush, in the set's
                           arena (NULL: none yet); rowcap: its room, or after a
                           flush the last block's length */
    size_t nrows, rowcap;
    Label label[2];     /* last level1 and level2 labels */
    Label reason;       /* the last row's reason (its raw bytes; raw NULL: none) */
    const struct FormSet *forms; /* forms (formspec.h): a CSV saved from Excel is one */
    const char *stem;   /* the file's name without folder and extension: a form's
                           report name when its head gives none */
    /* Streaming (report.h LoadSink): the window onto the file, where the
     * set's complete reports go at a report boundary once the chunk is full,
     * and what outlives a chunk (the file's name, the header). */
    DataWindow *win;
    const LoadSink *sink;
    Arena *keep;
    size_t flushed;     /* reports handed to the sink so far */
    bool figures;       /* some report has figures: the file is handed over whole,
                           unless colstats applies a first pass's columns */
    ColStats *colstats;
    CellUnits units;    /* the cells' units met last (value.h) */
    char *raw_at, *raw_end; /* room for rows' raw cells, in the chunk's arena (raw_room) */
    LabelSlot *labels;  /* LABEL_SLOTS, made at the first row; NULL before */
    size_t nlabels;
} Loader;

/* Fields of an indicator row, whether from long CSV or JSON. */
enum { C_REPORT, C_LEVEL1, C_LEVEL2, C_INDICATOR, C_TARGET, C_ACTUAL, C_WEIGHT, C_REPORTED,
       C_REASON, C_COUNT };

/* The header of a long CSV, and the JSON keys of a table row, by field;
 * and the same header in Chinese. */
extern const char *const loader_long_header[C_COUNT];
extern const char *const loader_long_header_zh[C_COUNT];

/* One indicator row as read, before its cells are parsed. */
typedef struct RowIn {
    const char *cell[C_COUNT];    /* NULL when absent (no reason column, JSON key left out) */
    size_t len[C_COUNT];
    const char *column[C_COUNT];  /* CSV header names */
    int line;
    long json_row;                /* index in the JSON table, -1 for CSV */
    /* Forms (form.c): where each cell is in the original ("book.xlsx:自评表!D9",
     * "report.docx: table 2, row 7, 实际完成值"), NULL for CSV and JSON;
     * and the row as a whole (TableRow.pos.where). */
    const char *where[C_COUNT];
    const char *row_where;
    int field[C_COUNT];           /* a CSV form's (or a test's row's) columns, for messages; 0: c + 1 */
    bool csv_text;                /* a record of a checked CSV text (report.c): no cell holds
                                     a NUL byte and none has a place (where), so neither is
                                     looked for (issue 16) */
} RowIn;

/* Where a cell is, for messages.  A JSON cell's column name ("table[2].weight",
 * "figures.x") is built only when a message needs it. */
typedef struct CellAt {
    int line, field;      /* field: 1-based CSV field number, 0 for JSON */
    const char *column;   /* CSV header name or JSON key, used as is when key is NULL */
    const char *key;      /* JSON: key inside a table row or the figures object */
    long row;             /* JSON: index of the table row, -1 for a figure */
    const char *where;    /* forms: the cell's place, which messages name instead */
} CellAt;

/* The loader: reports, errors, cells (loader.c) ------------------------------------ */

/* Streaming: a report boundary (no report's rows are pending beyond it):
 * when the chunk is full, hand its reports and diagnostics to the sink. */
void loader_boundary(Loader *L);
/* Streaming: hand the set's reports to the sink now, full or not (the
 * reports are finished as at a boundary); nothing when the set is empty. */
void loader_flush(Loader *L);
/* A report's table starts: forget the indicator keys of the one before. */
void loader_keys_clear(Loader *L);
/* Streaming: drop the window's bytes before `keep`, read on until `ahead`
 * bytes lie beyond it (or the file ends); `line` is the line that starts at
 * line_start (for a message about invalid text).  Returns the bytes dropped:
 * the reader's offsets move back by as many. */
size_t loader_window_more(Loader *L, size_t keep, int line, size_t line_start);
/* Streaming: read the rest of the file into the window (a reader that
 * needs the whole text: a form, one JSON document). */
void loader_window_all(Loader *L, int line, size_t line_start);

/* Start a load of `file` into set (ids already in the set can be continued). */
void loader_init(Loader *L, ReportSet *set, DiagList *diags, const char *file);
/* Flush the last rows and warn about tables with no stated total. */
void loader_finish(Loader *L);
void loader_free(Loader *L);

Arena *loader_arena(Loader *L);
/* What this load knows about report idx (room made as needed). */
Meta *loader_meta(Loader *L, size_t idx);
Report *loader_report(Loader *L, size_t idx);

/* Has this file named id already?  *entry: its file_ids entry.  A look-up
 * that cannot read the ids spilled to disk ends the run (exit status 3). */
bool loader_id_find(Loader *L, const char *id, size_t *entry);
/* A file_ids entry: the line where that report starts, and its index in
 * the set - SIZE_MAX when it was handed to the sink already (streaming). */
int loader_id_line(size_t entry);
/* Note that report idx of the set (not yet handed over), starting at
 * `line`, is named id in this file (what loader_claim notes for a new id);
 * a spill that fails ends the run (exit status 3). */
void loader_id_add(Loader *L, const char *id, int line, size_t idx);
size_t loader_id_index(const Loader *L, size_t entry);

/* A report with no usable id, listed as "line N" so it is not lost. */
size_t loader_placeholder(Loader *L, int line);
/* The report an id names in this file: a new report, or a report from an
 * earlier file that lacks the part this file supplies (figures or table), so
 * a wide file and a long file can describe the same reports.  A second use
 * of an id gives a new report marked as a duplicate. */
size_t loader_claim(Loader *L, const char *id, int line, int col, const char *column,
                    bool figures, bool table);

/* Mark a report as not fully read; the first error is the one kept. */
void loader_set_error(Loader *L, size_t idx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* An error confined to one report: a diagnostic at the data position and,
 * if the report has none yet, its error. */
void loader_report_error(Loader *L, size_t idx, int line, int col, const char *column,
                         const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* The same at a cell. */
void loader_cell_error(Loader *L, size_t idx, const CellAt *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* s without its leading and trailing white space, copied into the set's arena. */
const char *loader_trimmed(Loader *L, const char *s, size_t n);
/* Is s only white space? */
static inline bool loader_is_blank(const char *s, size_t n) { return text_is_blank(s, n); }
/* A cell of report idx no reader can interpret: recorded on the report (the
 * report is still scored; the scorer reports it as E_BAD_CELL) - not an
 * error of the report. */
void loader_bad_cell(Loader *L, size_t idx, const CellAt *at, const char *subject, const char *s,
                     size_t n, const char *problem, const char *accepted);
/* Parse a cell into *out; a number too large to hold is a bad cell (missing). */
void loader_parse_cell(Loader *L, size_t idx, const char *s, size_t n, const CellAt *at,
                       const char *subject, TlValue *out);
/* loader_parse_cell of a cell kept in the loader's arena (s[n] is NUL: a
 * copy the report keeps, such as a row's target_raw): its unit or text
 * points into s where the fast paths can, not into a copy of its own. */
void loader_parse_kept(Loader *L, size_t idx, const char *s, size_t n, const CellAt *at,
                       const char *subject, TlValue *out);
/* Points (a weight, a self-awarded score, a stated total): a plain number,
 * also written "5分"; anything else is a bad cell, and so is an empty cell
 * when `required`.  False when the cell was bad. */
bool loader_parse_points(Loader *L, size_t idx, const char *s, size_t n, const CellAt *at,
                         const char *what, const char *subject, bool required, TlValue *out);
/* The report's year, from a cell such as "2024", "2024年" or "2024年度"; a
 * cell that is no year, or a second year that differs, is an error of the
 * report.  An empty cell states nothing. */
void loader_year(Loader *L, size_t idx, const char *s, size_t n, const CellAt *at);
/* Is a wide CSV's column (or a form's figure) named so the report's year
 * ("year", "年度")?  loader_figure() gives such a figure to loader_year(). */
bool loader_is_year_column(const char *name);
/* Where field c of a row is, for messages. */
CellAt loader_row_cell_at(const RowIn *in, int c);
/* Add one indicator row to report idx, applying the conventions for the 总分
 * and 自评结论 rows (docs/data.md, "Conventions"). */
void loader_table_row(Loader *L, size_t idx, const RowIn *in);
/* A named figure of report idx (forms: figures found by the form's `figure`
 * lines), its cell parsed; `where` is its place in the original. */
void loader_figure(Loader *L, size_t idx, const char *name, const char *text, size_t len,
                   const char *where);

/* CSV files: the header, wide or long (csv_load.c, csv_wide.c, csv_long.c) -- */

/* A malformed CSV record: a diagnostic at the fault. */
void loader_csv_fault(Loader *L, const CsvReader *cr, const char *const *names, size_t ncol);
/* Is every field of the record blank? */
bool loader_csv_blank(const CsvRecord *rec);
/* Header names, trimmed, into the arena. */
const char **loader_csv_names(Loader *L, const CsvRecord *hdr);

/* The readers: each appends the reports of data[0 .. len) and says whether
 * the file as a whole could be read. */
bool load_csv(Loader *L, const char *data, size_t len, DataFormat fmt);
/* Is data (the start of a file) a wide CSV: a header with a report column
 * that is not the long header? */
bool loader_csv_is_wide(const char *data, size_t len);
/* A CSV that is neither long nor wide (no report column): a form saved
 * from Excel, read by the form layer (form.c). */
bool load_csv_form(Loader *L, const char *data, size_t len, char delim);
bool load_wide(Loader *L, CsvReader *cr, const CsvRecord *hdr);
bool load_long(Loader *L, CsvReader *cr, const CsvRecord *hdr, bool has_reason);
/* The rows of a long CSV from the reader on.  carry (may be NULL): in, the
 * report whose rows end where the reader starts (its id, heap, taken over,
 * and line; id NULL: none); out, the last report read (NULL when it has no
 * id). */
typedef struct LongCarry {
    char *id;
    int line;
} LongCarry;
bool load_long_rows(Loader *L, CsvReader *cr, const char **names, size_t ncol, bool has_reason,
                    LongCarry *carry);
/* Streaming a long CSV with the sink's parsers >= 2 (longsplit.c): the file
 * cut into blocks at report boundaries (csvsplit.h), parsed by that many
 * threads, handed over in order; false (nothing read) when it cannot start. */
bool load_long_split(Loader *L, CsvReader *cr, const char **names, size_t ncol, bool has_reason);
/* JSON: one document, or values one after another (JSON Lines when `lines`). */
bool load_json(Loader *L, const char *data, size_t len, bool lines);

#endif
