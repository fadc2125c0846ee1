/* value.h - runtime values and the parts of a report cell.
 *
 * A value is missing, a number (plain, percent or quantity with a unit), a
 * boolean or a text.  Numbers are exact decimals (dec.h).  Quantities are
 * kept in their base unit ("10824.18万元" is 108241800 元) and remember the
 * magnitude they were written with (万 = 4) so they print as written.
 * Percents hold the fraction (90% is 0.9) and print as percents.
 *
 * A cell of report data parses into the same value type, with its qualifier
 * (≥, ≤, ...) and approximation flag (约, 余, ...), as docs/data.md says.
 */
#ifndef TALLY_VALUE_H
#define TALLY_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "dec.h"

typedef enum TlKind {
    TL_MISSING = 0,
    TL_NUM,
    TL_BOOL,
    TL_TEXT,
} TlKind;

typedef enum TlNumKind {
    NUM_PLAIN = 0,  /* a bare number: 5, 0.5, 2600 */
    NUM_PERCENT,    /* 90%: num holds 0.9 */
    NUM_QUANTITY,   /* 15人, 10824.18万元: unit holds the base unit */
} TlNumKind;

typedef enum TlQual {
    QUAL_NONE = 0,
    QUAL_GE,   /* ≥ >= 不低于 不少于 以上 */
    QUAL_GT,   /* > 超过 (when not an approximation) */
    QUAL_LE,   /* ≤ <= 不高于 不超过 以下 以内 */
    QUAL_LT,   /* < */
    QUAL_EQ,   /* = */
} TlQual;

enum {
    VAL_APPROX = 1 << 0,     /* 约 近 余 左右 ... : value kept, exact checks warn */
    VAL_CELL_ERROR = 1 << 1, /* missing: the cell held a spreadsheet error (#DIV/0!);
                                u.text is the error as written */
    VAL_BOUND = 1 << 2,      /* an actual that only restates a threshold (≥80%): a
                                bound, not a measurement (set by the data readers) */
    VAL_UNREADABLE = 1 << 3, /* missing: the cell could not be read; u.text says why
                                (set by the data readers) */
};

typedef struct TlValue {
    uint8_t kind;     /* TlKind */
    uint8_t numkind;  /* TlNumKind, for TL_NUM */
    uint8_t qual;     /* TlQual, for cells */
    uint8_t flags;    /* VAL_* */
    int8_t mag;       /* magnitude written: 0, 3 (千), 4 (万), 8 (亿) */
    const char *unit; /* base unit for NUM_QUANTITY ("元", "人"), else NULL */
    union {
        TlDec num;        /* TL_NUM */
        bool b;           /* TL_BOOL */
        const char *text; /* TL_TEXT: normalised text, NUL-terminated */
    } u;
} TlValue;

static inline TlValue val_missing(void) { TlValue v = {0}; return v; }
static inline TlValue val_bool(bool b) { TlValue v = {0}; v.kind = TL_BOOL; v.u.b = b; return v; }
static inline TlValue val_num(TlDec d) { TlValue v = {0}; v.kind = TL_NUM; v.u.num = d; return v; }
static inline TlValue val_text(const char *t) { TlValue v = {0}; v.kind = TL_TEXT; v.u.text = t; return v; }

/* Units ------------------------------------------------------------------ */

typedef enum UnitCompat {
    UNIT_SAME,        /* same base unit (or both unitless / both percent) */
    UNIT_COUNT_WORDS, /* two different counting words (个 vs 家): warn */
    UNIT_INCOMPATIBLE,
} UnitCompat;

/* Is this base unit a counting word (个 家 所 处 项 场 次 件 起 本 张 份 台 辆)? */
bool unit_is_count_word(const char *unit);
/* Compatibility of two numbers' dimensions: kind (plain/percent/quantity)
 * and base unit.  A percent and a plain number are incompatible, as are
 * 人 and 人次, 元 and 人. */
UnitCompat unit_compat(const TlValue *a, const TlValue *b);
/* Split a written unit into magnitude and base: "万元" -> 4, "元";
 * "万人" -> 4, "人"; "亿元" -> 8, "元"; "人" -> 0, "人".  A unit that is only
 * a magnitude ("万") keeps it as the base.  Returns the base as a pointer
 * into `unit` and stores the magnitude. */
const char *unit_split(const char *unit, int *mag);

/* d x 10^mag keeping d's scale, so a quantity written in 万 keeps the
 * decimals it was written with (10824.18万 -> 108241800.00); else the
 * shortest exact form; false when neither fits. */
bool value_magnify(TlDec d, int mag, TlDec *out);

/* Cells ------------------------------------------------------------------ */

/* The missing markers cells know by default (docs/data.md), NULL-terminated;
 * the empty cell is always missing besides. */
extern const char *const cell_missing_default[];
/* Is s[0..n) (trimmed) one of the NULL-terminated words? */
bool cell_word_in(const char *s, size_t n, const char *const *words);
/* What a spreadsheet error written in a cell means ("#DIV/0!" -> "a division
 * by zero in the spreadsheet"), or NULL when s is not one. */
const char *cell_error_meaning(const char *s);

/* Parse a report cell (docs/data.md): width folding, trimming, missing
 * markers ("", -, —, /, 无, N/A, 不适用), qualifier prefixes and suffixes,
 * approximation words, percent, number with unit and magnitude, thousands
 * separators of the d{1,3}(,ddd)+ form; anything else is text.  Strings in
 * the result live in `arena`.  Returns false only when the cell is a number
 * too large to represent (out gets TL_MISSING and *err a message). */
bool cell_parse(Arena *arena, const char *s, size_t n, TlValue *out, const char **err);
/* The fast paths cell_parse takes first (cellfast.c): an empty cell; a
 * plain number ("1870.02"), a percentage ("98.5%") or a number with a unit
 * of CJK ideographs after an optional magnitude ("121人", "1870.02万元"),
 * each after an optional ≥ or ≤, with no other sign, space or separator and
 * at most 15 digits; a cell of CJK ideographs only ("有所提升") that is not
 * one of `missing` (NULL: cell_missing_default).  True with *out as
 * cell_parse_with gives it (strings in `arena`), false for anything else
 * (left to the general grammar, which stays the definition). */
bool cell_parse_fast(Arena *arena, const char *s, size_t n, const char *const *missing,
                     TlValue *out);
/* The most common cell of all, a plain decimal ("5", "4.5", "1870.02":
 * digits, then a point and digits or nothing, at most CELL_FAST_DIGITS
 * digits in all), read inline with no call (issue 16: the weight and the
 * reported score of every row took cell_parse's whole way).  True with *d
 * as cell_parse reads it (a NUM_PLAIN value of no qualifier, unit or
 * magnitude); false for anything else, which cell_parse then reads. */
#define CELL_FAST_DIGITS 15
static inline bool cell_plain_decimal(const char *s, size_t n, TlDec *d)
{
    if (n == 0 || n > CELL_FAST_DIGITS + 1)
        return false;
    if (n <= 2) { /* "5", "10": a row's points, without the loop (issue 16) */
        unsigned a = (unsigned)(unsigned char)s[0] - '0';
        unsigned b = n == 2 ? (unsigned)(unsigned char)s[1] - '0' : 0;
        if (a > 9 || b > 9)
            return false;
        d->coef = (int64_t)(n == 2 ? a * 10 + b : a);
        d->scale = 0;
        return true;
    }
    uint64_t coef = 0;
    size_t i = 0, point = n;
    for (; i < n; i++) {
        unsigned v = (unsigned)(unsigned char)s[i] - '0';
        if (v <= 9) {
            coef = coef * 10 + v;
        } else if (s[i] == '.' && point == n && i > 0 && i + 1 < n) {
            point = i;
        } else {
            return false;
        }
    }
    size_t frac = point == n ? 0 : n - point - 1;
    if (n - (point != n) > CELL_FAST_DIGITS)
        return false;
    d->coef = (int64_t)coef;
    d->scale = (int)frac;
    return true;
}
/* cell_parse_fast of a kept cell (`kept`: s[n] is NUL and s lives as long
 * as the arena's strings): a unit or text that ends the cell points into s
 * instead of a copy (issue 16: a copy a cell). */
bool cell_parse_fast_kept(Arena *arena, const char *s, size_t n, const char *const *missing,
                          bool kept, TlValue *out);
/* The units met last by cell_parse_fast_units (issue 16: a table's few
 * units - 人, 万元, 个 - each checked ideograph by ideograph in every
 * cell): a cell's tail after its number, up to 16 bytes, that the fast path
 * took as an optional magnitude word and a unit, with what it found.  A
 * pure function of the tail's bytes, so any cache gives the same values.
 * Zero it (memset) before the first use. */
#define CELL_UNITS 4
typedef struct CellUnits {
    struct {
        uint64_t a, b;     /* the tail's bytes (cell_units_key) */
        uint8_t len;       /* 0: an empty entry */
        int8_t mag;        /* the magnitude word's */
        uint8_t unit;      /* the unit's offset in the tail; 0xFF: none */
    } e[CELL_UNITS];
    unsigned next;         /* the entry replaced next */
    unsigned long hits;    /* tails found here (tests) */
} CellUnits;
/* cell_parse_fast_kept, the tails of the cells with a unit looked up in
 * `units` first and added to it (NULL: cell_parse_fast_kept). */
bool cell_parse_fast_units(Arena *arena, const char *s, size_t n, const char *const *missing,
                           bool kept, CellUnits *units, TlValue *out);
/* cell_parse without its fast paths: the definition (tests compare). */
bool cell_parse_general(Arena *arena, const char *s, size_t n, TlValue *out, const char **err);
/* cell_parse with another list of missing markers (a rule file's `words
 * missing`; NULL-terminated) instead of cell_missing_default. */
bool cell_parse_with(Arena *arena, const char *s, size_t n, const char *const *missing,
                     TlValue *out, const char **err);
/* cell_parse of a cell s[0 .. n) with s[n] == '\0' that lives as long as
 * `arena`'s strings (a copy the caller keeps): the same value, its unit or
 * text taken from s where the fast paths can (cell_parse_fast_kept). */
bool cell_parse_kept(Arena *arena, const char *s, size_t n, TlValue *out, const char **err);

/* Render a value as an auditor reads it: "10824.18万元", "90%", "15人",
 * "有所提升", "true", "—" for missing.  Numbers print exactly (percents with
 * the digits they need).  Returns the length; buf holds VAL_BUF bytes. */
#define VAL_BUF 96
int val_format(const TlValue *v, char *buf);
/* Name of a kind for messages: "number", "percent", "quantity (人)", "text". */
const char *val_kind_name(const TlValue *v, char *buf, size_t n);
const char *qual_symbol(TlQual q); /* "≥", "≤", ... or "" */

#endif
