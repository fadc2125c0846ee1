/* diag.h - diagnostics as data.
 *
 * Nothing deep inside Tally prints.  Code appends diagnostics to a DiagList;
 * the CLI, the REPL and the tests render or count them.  Rule-file positions
 * are byte spans into a Source and become LINE:COL only when rendered;
 * data-file positions are a file, a line and a column name.
 */
#ifndef TALLY_DIAG_H
#define TALLY_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A file whose text was appended to a Source after the first file's own:
 * a rule file an `import` brought in.  Offsets into the Source stay one
 * space, so every span of a program is a span of its one Source, and the
 * part holding an offset says which file, line and column it is. */
typedef struct SourcePart {
    const char *name;   /* the file's name, as the import resolved it */
    uint32_t start;     /* its first byte in Source.text */
    uint32_t len;
} SourcePart;

typedef struct Source {
    const char *name;   /* file name as given, or "<stdin>" / "<repl>" */
    const char *text;   /* NUL-terminated contents */
    size_t len;
    int first_line;     /* line number of text[0], normally 1 (REPL: input line) */
    const SourcePart *parts; /* imported files, in order after the first file's text; may be NULL */
    int nparts;
} Source;

typedef struct Span {
    uint32_t start, end; /* byte offsets into Source.text, end exclusive */
} Span;

typedef enum DiagSeverity {
    DIAG_ERROR,
    DIAG_WARNING,
    DIAG_NOTE,
} DiagSeverity;

typedef struct Diag {
    DiagSeverity severity;
    const Source *src;   /* rule text, or NULL for a data position */
    Span span;
    const char *file;    /* data position: file name */
    int line;            /* data position: 1-based line, 0 if none */
    int col;             /* data position: 1-based field number, 0 if none */
    char *column;        /* data position: column name or JSON key, may be NULL */
    char *message;
    char *hint;          /* extra line ("did you mean ...?"), may be NULL */
} Diag;

/* A list keeps at most this many diagnostics; later ones are counted (in
 * errors, warnings and dropped) but not kept, so a file with a million bad
 * lines costs a count, not a million messages. */
#define DIAG_MAX_KEPT 1000

typedef struct DiagList {
    Diag *items;
    size_t len, cap;
    size_t errors, warnings;
    size_t dropped;      /* diagnostics counted but not kept */
    Diag spare;          /* what diag_at and friends return for those */
    Source **kept;       /* sources copied by diag_keep_source, owned */
    size_t nkept;
} DiagList;

void diag_init(DiagList *dl);
void diag_free(DiagList *dl);
/* Remove all diagnostics (keeps the storage). */
void diag_clear(DiagList *dl);

/* Append a diagnostic at a rule-file span.  Returns it so a hint can be set. */
Diag *diag_at(DiagList *dl, DiagSeverity sev, const Source *src, Span span,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Append a diagnostic at a data position (line 0: whole file). */
Diag *diag_data(DiagList *dl, DiagSeverity sev, const char *file, int line, int col,
                const char *column, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* Append a diagnostic with no position (command line, environment). */
Diag *diag_plain(DiagList *dl, DiagSeverity sev, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_set_hint(Diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Copy src into the list and point its diagnostics at the copy, so that they
 * can still be rendered after the owner of src frees it (a rule file that
 * failed to compile). */
void diag_keep_source(DiagList *dl, const Source *src);

/* 1-based line and column (in code points) of a byte offset, counted in the
 * file (the first one, or an imported part) that holds it. */
void source_position(const Source *src, uint32_t offset, int *line, int *col);
/* The name of the file holding byte `offset`, and that file's bytes
 * [*start, *end) in src->text (either pointer may be NULL). */
const char *source_file_at(const Source *src, uint32_t offset, uint32_t *start, uint32_t *end);
/* Is byte `offset` in an imported part rather than the first file? */
bool source_in_part(const Source *src, uint32_t offset);

/* Render one diagnostic:
 *   FILE:LINE:COL: error: message
 *       source line
 *       ^~~~
 *   hint
 * The caret is indented by the display width of the text before the span,
 * so it lines up under CJK text.  Colour only when `color` is true. */
void diag_render(const Diag *d, FILE *out, bool color);
/* Render every diagnostic kept, then a line saying how many were not. */
void diag_render_all(const DiagList *dl, FILE *out, bool color);

/* Write s with every control character escaped (\t, \n, \xHH: C0, DEL,
 * C1, line separators, bidirectional overrides) and bytes that are not
 * UTF-8 as \xHH: what diag_render does to every name, message and hint, so
 * that text from a data or rule file never reaches a terminal raw. */
void diag_fputs(const char *s, FILE *out);
/* printf, then written as diag_fputs writes, but newlines kept: for the
 * program's own messages ("tally: ..."), whose arguments may hold file
 * names and values from the data. */
void diag_printf(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
