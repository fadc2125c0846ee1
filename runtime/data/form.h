/* form.h - forms as published, between their readers and the loader
 * (internal to runtime/data/; docs/data.md, "Forms").
 *
 * A reader (xlsx.c, xls.c, docx.c, html.c, and csv_form.c for CSV saved
 * from Excel) turns its file into a FormDoc: paragraphs outside tables as
 * text lines, and grids - a sheet, a Word or HTML table, a CSV file - whose
 * cells hold the text as shown (a percent format gives "90%", a formula its
 * cached value) with merged cells expanded: every covered position holds
 * the anchor's text.  form_load() then recognises the 自评表 in the grids
 * (formspec.h) and turns it into loader calls, each cell with its place in
 * the original: `book.xlsx:自评表!D9`, `report.docx: table 2, row 7`, or a
 * CSV line.
 */
#ifndef TALLY_FORM_H
#define TALLY_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "formspec.h"
#include "lang/base/arena.h"
#include "loader.h"

/* Limits: a hostile or broken file costs a message, never the machine
 * (docs/errors.md).  Rows past FORM_MAX_ROWS in one grid are not read: the
 * grid is marked truncated, and a 自评表 in it is refused. */
#define FORM_MAX_ROWS     20000      /* rows kept per grid */
#define FORM_MAX_COLUMNS  1024       /* columns kept per row */
#define FORM_MAX_GRIDS    4096       /* grids (sheets, tables) per document */
#define FORM_MAX_SPAN     1000       /* rowspan / colspan / a merged range's rows */
#define FORM_MAX_TEXT     (256u << 20) /* bytes of cell text per document */

typedef enum FormGridKind {
    GRID_SHEET,   /* a spreadsheet: cells are named sheet!A1 */
    GRID_TABLE,   /* a Word or HTML table: "table N, row R" */
    GRID_LINES,   /* a CSV file: line L, field F */
} FormGridKind;

typedef struct FormRow {
    int number;           /* sheet row (1-based), table row, or CSV line */
    int ncells;
    const char **cells;   /* NUL-terminated texts, "" when empty */
} FormRow;

typedef struct FormGrid {
    FormGridKind kind;
    const char *name;     /* sheet name, or "table N" */
    int ordinal;          /* 1-based among the document's grids */
    FormRow *rows;
    size_t nrows, cap;
    bool truncated;       /* more than FORM_MAX_ROWS rows */
} FormGrid;

typedef struct FormItem {
    const char *text;     /* a paragraph outside any table, or NULL */
    FormGrid *grid;       /* or a grid */
} FormItem;

typedef struct FormDoc {
    Arena *arena;         /* the report set's arena: texts live as long as the reports */
    const char *file;     /* name for messages */
    const char *format;   /* "xlsx", "xls", "docx", "HTML", "CSV" */
    FormItem *items;
    size_t nitems, cap;
    size_t ngrids;
    size_t text_bytes;
    bool too_much;        /* a document limit was reached (said once) */
    const char *error;    /* set by a reader: why the file could not be read */
    const char *encoding; /* --encoding for an HTML page; NULL: detected */
    bool none_quiet;      /* form_load says nothing when no 自评表 is found (the
                             caller does: a CSV without a report column) */
} FormDoc;

void form_doc_init(FormDoc *doc, Arena *arena, const char *file, const char *format);
void form_doc_free(FormDoc *doc);
/* A paragraph outside tables (copied). */
void form_doc_text(FormDoc *doc, const char *text, size_t len);
/* A new grid, or NULL past FORM_MAX_GRIDS. */
FormGrid *form_doc_grid(FormDoc *doc, FormGridKind kind, const char *name);
/* Append row `number` with n cells (copied; trailing empty cells dropped).
 * Returns false once the grid is full (FORM_MAX_ROWS): stop reading it. */
bool form_grid_row(FormDoc *doc, FormGrid *g, int number, const char *const *cells,
                   const size_t *lens, int n);
/* The cell at row index r, column c, or "" outside the grid. */
const char *form_cell(const FormGrid *g, size_t r, int c);
/* Expand a merged range (0-based row indices into g->rows, columns): every
 * covered cell takes the anchor's text (xlsx mergeCell, xls MERGEDCELLS). */
void form_grid_merge(FormDoc *doc, FormGrid *g, size_t r0, int c0, size_t r1, int c1);
/* The row index holding sheet row `number`, or (size_t)-1. */
size_t form_grid_find_row(const FormGrid *g, int number);

/* A spreadsheet column name: 0 -> "A", 27 -> "AB" (buf of 8). */
void form_column_name(int col, char *buf);

/* Recognise the forms of doc and load them as reports (docs/data.md):
 * false, with a message, when no 自评表 (and no figure the rules need) is
 * found, or when a reader failed (doc->error). */
bool form_load(Loader *L, FormDoc *doc, const FormSet *forms, const char *stem);

/* The readers: each fills doc from the file's bytes, or sets doc->error. */
void xlsx_read(FormDoc *doc, const char *data, size_t len);
void docx_read(FormDoc *doc, const char *data, size_t len);
void xls_read(FormDoc *doc, const char *data, size_t len);
void html_read(FormDoc *doc, const char *data, size_t len);
/* A CSV saved from Excel, already in UTF-8: every record a row of one grid. */
void csv_form_read(FormDoc *doc, const char *data, size_t len, char delim);

/* What a file is, from its first bytes and (for zips) its members. */
typedef enum FormSniff {
    SNIFF_TEXT,        /* CSV, JSON or another text: the text readers */
    SNIFF_XLSX,
    SNIFF_DOCX,
    SNIFF_XLS,         /* a CFB file holding a Workbook stream */
    SNIFF_HTML,
    SNIFF_REFUSED,     /* known but not readable: the message says why */
} FormSniff;

/* Decide from the content; for SNIFF_REFUSED *why holds the message
 * (static or in arena). */
FormSniff form_sniff(const char *data, size_t len, Arena *arena, const char **why);
/* The same for a compound file (xls.c): a workbook, or refused. */
FormSniff xls_sniff(const char *data, size_t len, Arena *arena, const char **why);

/* Zip members (zip.c): the caps that keep a zip bomb from costing memory. */
#define ZIP_MAX_MEMBER  (256u << 20)   /* bytes one member may inflate to */
#define ZIP_MAX_TOTAL   (512u << 20)   /* bytes all members read may inflate to */
#define ZIP_MAX_RATIO   200            /* inflated / compressed, for members over 1 MiB */

typedef struct FormZip FormZip;
/* Open a zip held in memory; NULL with *why set when it is not one. */
FormZip *zip_open_memory(const char *data, size_t len, Arena *arena, const char **why);
void zip_close_archive(FormZip *z);
bool zip_has(FormZip *z, const char *name);
/* A member read whole (NUL-terminated, heap, caller frees), within the
 * caps; NULL with *why set (missing, too large, corrupt). */
char *zip_read_member(FormZip *z, const char *name, size_t *len, const char **why);
/* A member streamed through libxml2's reader (struct _xmlTextReader *);
 * NULL with *why set.  zip_xml_close() also says whether a cap stopped it. */
struct _xmlTextReader *zip_xml_open(FormZip *z, const char *name, const char **why);
void zip_xml_close(FormZip *z, struct _xmlTextReader *r);
/* Why the member being streamed stopped: a cap, or malformed XML (with
 * its line). */
const char *zip_stream_error(FormZip *z);

/* Spreadsheet numbers as shown (sheetfmt.c). */
typedef enum NumShow { SHOW_GENERAL, SHOW_PERCENT, SHOW_FIXED, SHOW_DATE } NumShow;
typedef struct NumFormat {
    NumShow show;
    int decimals;      /* SHOW_PERCENT, SHOW_FIXED */
    bool time;         /* SHOW_DATE with a time part */
} NumFormat;
/* Classify a number format code ("0.00%", "yyyy-mm-dd", "General"). */
NumFormat numfmt_from_code(const char *code);
/* Excel's built-in format ids (0-49). */
NumFormat numfmt_builtin(int id);
/* The text a number shows under fmt, into buf (64 bytes).  `digits` is the
 * number as stored when there is one (xlsx <v>), else NULL. */
void numfmt_show(double v, const char *digits, NumFormat fmt, bool date1904, char *buf);

#endif
