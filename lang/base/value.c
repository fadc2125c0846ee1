/* value.c - units, report-cell parsing (docs/data.md) and value formatting.
 *
 * Stored forms, so that every cell prints back as written:
 *   percent   the fraction at written scale + 2:       97.5%  -> 0.975
 *   quantity  the base-unit value at the WRITTEN scale: 10824.18万元 -> 108241800.00
 *             元, mag 4.  So u.num.scale is the number of decimals written in
 *             the cell's own magnitude (the 0.01万元 identity).  When that form
 *             overflows int64 the shortest exact form is stored instead.
 *   magnitude-only unit ("3万", "1.5亿"): a plain number times 10^mag with mag
 *             set and no unit; it compares with bare numbers and prints "3万".
 */
#include "value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "l10n.h"
#include "text.h"

/* Units ------------------------------------------------------------------ */

static const char *const count_words[] = {
    "个", "家", "所", "处", "项", "场", "次", "件", "起", "本", "张", "份", "台", "辆",
};

bool unit_is_count_word(const char *unit) {
    if (!unit) return false;
    for (size_t i = 0; i < sizeof count_words / sizeof *count_words; i++)
        if (strcmp(unit, count_words[i]) == 0) return true;
    return false;
}

UnitCompat unit_compat(const TlValue *a, const TlValue *b) {
    if (a->kind != TL_NUM || b->kind != TL_NUM || a->numkind != b->numkind)
        return UNIT_INCOMPATIBLE;
    if (a->numkind != NUM_QUANTITY) return UNIT_SAME;
    const char *ua = a->unit ? a->unit : "", *ub = b->unit ? b->unit : "";
    if (strcmp(ua, ub) == 0) return UNIT_SAME;
    if (unit_is_count_word(ua) && unit_is_count_word(ub)) return UNIT_COUNT_WORDS;
    return UNIT_INCOMPATIBLE;
}

typedef struct Magnitude { const char *word; int mag; } Magnitude;

/* Longest first: 万亿 before 万, 百万/千万 before 千. */
static const Magnitude magnitudes[] = {
    {"万亿", 12}, {"千万", 7}, {"百万", 6}, {"亿", 8}, {"万", 4}, {"千", 3},
};

/* Every cell is tried against the word lists below: the first (last) byte
 * decides almost every try without measuring the word (perf: strlen and
 * memcmp were a third of reading a large CSV). */
static bool has_prefix(const char *s, size_t n, const char *w) {
    if (n == 0 || s[0] != w[0]) return w[0] == '\0';
    size_t k = strlen(w);
    return k <= n && memcmp(s, w, k) == 0;
}

static bool has_suffix(const char *s, size_t n, const char *w) {
    size_t k = strlen(w);
    if (k == 0) return true;
    return k <= n && s[n - 1] == w[k - 1] && memcmp(s + n - k, w, k) == 0;
}

/* Byte length of the magnitude word s starts with (0 if none); sets *mag. */
static size_t magnitude_prefix(const char *s, size_t n, int *mag) {
    for (size_t i = 0; i < sizeof magnitudes / sizeof *magnitudes; i++)
        if (has_prefix(s, n, magnitudes[i].word)) {
            *mag = magnitudes[i].mag;
            return strlen(magnitudes[i].word);
        }
    *mag = 0;
    return 0;
}

const char *unit_split(const char *unit, int *mag) {
    size_t n = strlen(unit);
    size_t k = magnitude_prefix(unit, n, mag);
    if (k == 0 || k == n) {
        *mag = 0;
        return unit;
    }
    return unit + k;
}

/* Cells ------------------------------------------------------------------ */

const char *const cell_missing_default[] = {
    "", "-", "--", "—", "——", "/", "无", "N/A", "n/a", "NA", "不适用", NULL,
};

typedef struct Affix {
    const char *word;
    uint8_t qual;
    uint8_t flags;
} Affix;

/* Every comparison sign and word forms use (docs/data.md).  Longest first
 * where one word begins another (不超过 before 超过, => before =); ＞＝ and
 * the other full-width forms arrive folded to ASCII. */
static const Affix prefixes[] = {
    {"大于等于", QUAL_GE, 0}, {"小于等于", QUAL_LE, 0},
    {"不低于", QUAL_GE, 0},   {"不少于", QUAL_GE, 0},  {"不小于", QUAL_GE, 0},
    {"不高于", QUAL_LE, 0},   {"不超过", QUAL_LE, 0},  {"不大于", QUAL_LE, 0},
    {"不多于", QUAL_LE, 0},
    {">=", QUAL_GE, 0},       {"=>", QUAL_GE, 0},      {"≥", QUAL_GE, 0},
    {"≧", QUAL_GE, 0},        {"⩾", QUAL_GE, 0},
    {"<=", QUAL_LE, 0},       {"=<", QUAL_LE, 0},      {"≤", QUAL_LE, 0},
    {"≦", QUAL_LE, 0},        {"⩽", QUAL_LE, 0},
    {"至少", QUAL_GE, 0},     {"达到", QUAL_GE, 0},    {"最多", QUAL_LE, 0},
    {"大于", QUAL_GT, 0},     {"高于", QUAL_GT, 0},    {"多于", QUAL_GT, 0},
    {"小于", QUAL_LT, 0},     {"低于", QUAL_LT, 0},    {"少于", QUAL_LT, 0},
    {">", QUAL_GT, 0},        {"<", QUAL_LT, 0},       {"=", QUAL_EQ, 0},
    {"═", QUAL_EQ, 0},
    {"大约", 0, VAL_APPROX},  {"约", 0, VAL_APPROX},   {"近", 0, VAL_APPROX},
    {"超过", 0, VAL_APPROX},
};

static const Affix suffixes[] = {
    {"及以上", QUAL_GE, 0}, {"及以下", QUAL_LE, 0},
    {"以上", QUAL_GE, 0}, {"以下", QUAL_LE, 0}, {"以内", QUAL_LE, 0},
    {"左右", 0, VAL_APPROX}, {"余", 0, VAL_APPROX}, {"多", 0, VAL_APPROX},
};

/* Spreadsheet errors (Excel, WPS, LibreOffice) and what they mean: a cell
 * holding one is missing, with this as its reason. */
static const struct {
    const char *code, *meaning;
} cell_errors[] = {
    {"#DIV/0!", "a division by zero in the spreadsheet"},
    {"#N/A", "a value the spreadsheet could not find"},
    {"#VALUE!", "a formula over a value of the wrong kind"},
    {"#REF!", "a formula pointing at a deleted cell"},
    {"#NAME?", "a formula naming something unknown"},
    {"#NUM!", "a number the spreadsheet could not compute"},
    {"#NULL!", "a formula over an empty range"},
    {"#SPILL!", "a formula whose result could not spill"},
    {"#CALC!", "a formula the spreadsheet could not calculate"},
    {"#GETTING_DATA", "a value still being fetched when the sheet was saved"},
};

const char *cell_error_meaning(const char *s)
{
    for (size_t i = 0; s && s[0] == '#' && i < sizeof cell_errors / sizeof *cell_errors; i++)
        if (strcmp(s, cell_errors[i].code) == 0)
            return cell_errors[i].meaning;
    return NULL;
}

/* Words between a number and its unit that mark an approximation: 520余万元. */
static const char *const gap_words[] = {"余", "多"};

static void trim(const char **s, size_t *n) { *s = text_trim(*s, n); }

/* Apply one affix to qual/flags; false when it contradicts the qualifier
 * already taken ("不低于90%以上" repeats ≥ and is fine). */
static bool take_affix(const Affix *a, uint8_t *qual, uint8_t *flags) {
    if (a->qual) {
        if (*qual && *qual != a->qual) return false;
        *qual = a->qual;
    }
    *flags |= a->flags;
    return true;
}

/* Strip qualifier and approximation words from both ends of s. */
static void strip_affixes(const char **s, size_t *n, uint8_t *qual, uint8_t *flags) {
    for (bool again = true; again;) {
        again = false;
        for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
            if (has_prefix(*s, *n, prefixes[i].word) && take_affix(&prefixes[i], qual, flags)) {
                size_t k = strlen(prefixes[i].word);
                *s += k, *n -= k;
                trim(s, n);
                again = true;
                break;
            }
    }
    for (bool again = true; again;) {
        again = false;
        for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++)
            if (has_suffix(*s, *n, suffixes[i].word) && take_affix(&suffixes[i], qual, flags)) {
                *n -= strlen(suffixes[i].word);
                trim(s, n);
                again = true;
                break;
            }
    }
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static size_t digit_run(const char *s, size_t n) {
    size_t i = 0;
    while (i < n && is_digit(s[i])) i++;
    return i;
}

/* Scan a number at the start of s: sign, digits (optionally grouped as
 * d{1,3}(,ddd)+ or d{1,3}( ddd)+), optional fraction, optional exponent
 * (1.2E+03, as spreadsheets write).  Writes the ungrouped ASCII number
 * without its exponent to buf (n+1 bytes) and the exponent to *exp.  Returns
 * the bytes consumed, 0 when s does not start with a well-formed number. */
static size_t scan_number(const char *s, size_t n, char *buf, int *exp) {
    size_t i = 0, o = 0;
    *exp = 0;
    if (has_prefix(s, n, "−")) buf[o++] = '-', i += strlen("−");
    else if (n > 0 && (s[0] == '-' || s[0] == '+')) buf[o++] = s[i++];
    size_t run = digit_run(s + i, n - i);
    if (run == 0) return 0;
    memcpy(buf + o, s + i, run), o += run, i += run;
    if (i < n && s[i] == ',') {
        if (run > 3) return 0;
        while (i < n && s[i] == ',') {
            if (digit_run(s + i + 1, n - i - 1) != 3) return 0;
            memcpy(buf + o, s + i + 1, 3), o += 3, i += 4;
        }
    } else if (run <= 3 && i + 4 <= n && s[i] == ' ' && digit_run(s + i + 1, n - i - 1) == 3) {
        /* "1 234.56": groups of three digits apart by single spaces */
        while (i + 4 <= n && s[i] == ' ' && digit_run(s + i + 1, n - i - 1) == 3)
            memcpy(buf + o, s + i + 1, 3), o += 3, i += 4;
    }
    if (i < n && s[i] == '.') {
        size_t frac = digit_run(s + i + 1, n - i - 1);
        if (frac == 0) return 0;
        memcpy(buf + o, s + i, frac + 1), o += frac + 1, i += frac + 1;
    }
    if (i < n && (s[i] == 'E' || s[i] == 'e')) {
        size_t j = i + 1;
        int sign = 1;
        if (j < n && (s[j] == '+' || s[j] == '-')) sign = s[j++] == '-' ? -1 : 1;
        size_t ed = digit_run(s + j, n - j);
        if (ed > 0) {
            int e = 0;
            for (size_t k = 0; k < ed; k++) e = e < 1000 ? e * 10 + (s[j + k] - '0') : e;
            *exp = sign * e;
            i = j + ed;
        }
    }
    buf[o] = '\0';
    return i;
}

/* Could s[0..n) be a unit written after a number?  1 to 4 code points, no
 * digits, spaces, controls or punctuation. */
static bool plausible_unit(const char *s, size_t n) {
    size_t count = 0;
    uint32_t cp;
    for (size_t i = 0; i < n; count++) {
        int k = utf8_decode(s + i, n - i, &cp);
        if (k == 0) return false;
        bool ascii_ok = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
        if (cp < 0x80 && !ascii_ok) return false;
        if ((cp >= 0x80 && cp < 0xA0) || cp == 0xA0 ||
            (cp >= 0x2000 && cp <= 0x206F) ||   /* general punctuation */
            (cp >= 0x3000 && cp <= 0x303F) ||   /* CJK punctuation */
            (cp >= 0xFE10 && cp <= 0xFE6F) ||   /* vertical/small forms */
            (cp >= 0xFF00 && cp <= 0xFF65))     /* full-width forms left */
            return false;
        i += (size_t)k;
    }
    return count >= 1 && count <= 4;
}

/* coef * 10^-(scale + k) exactly, trailing zeros dropped if needed to fit. */
static bool dec_div_pow10(TlDec d, int k, TlDec *out) {
    if (d.scale + k > DEC_MAX_SCALE) d = dec_normalize(d);
    if (d.scale + k > DEC_MAX_SCALE) return false;
    *out = dec_make(d.coef, d.scale + k);
    return true;
}

bool value_magnify(TlDec d, int mag, TlDec *out) {
    int64_t c = d.coef;
    bool ok = true;
    for (int i = 0; i < mag && ok; i++) ok = !__builtin_mul_overflow(c, 10, &c);
    if (ok) {
        *out = dec_make(c, d.scale);
        return true;
    }
    d = dec_normalize(d);
    if (mag <= d.scale) {
        *out = dec_make(d.coef, d.scale - mag);
        return true;
    }
    c = d.coef;
    for (int i = 0; i < mag - d.scale; i++)
        if (__builtin_mul_overflow(c, 10, &c)) return false;
    *out = dec_make(c, 0);
    return true;
}

/* Parse the ASCII number in buf; err says why it does not fit a TlDec. */
static bool parse_digits(char *buf, TlDec *out, const char **err) {
    char *dot = strchr(buf, '.');
    if (dot) {  /* 1.50000000000000000000 is fine: drop zeros beyond the max scale */
        size_t len = strlen(buf);
        while (len - (size_t)(dot - buf) - 1 > DEC_MAX_SCALE && buf[len - 1] == '0')
            buf[--len] = '\0';
        if (len - (size_t)(dot - buf) - 1 > DEC_MAX_SCALE) {
            *err = _("number has too many decimals");
            return false;
        }
    }
    if (!dec_parse(buf, strlen(buf), out)) {
        *err = _("number too large");
        return false;
    }
    return true;
}

bool cell_word_in(const char *s, size_t n, const char *const *words) {
    s = text_trim(s, &n);
    for (size_t i = 0; words[i]; i++)
        if ((n == 0 ? words[i][0] == '\0' : words[i][0] == s[0]) && strlen(words[i]) == n &&
            memcmp(s, words[i], n) == 0)
            return true;
    return false;
}

/* Byte length of the gap word (余, 多) s starts with, or 0. */
static size_t gap_word(const char *s, size_t n) {
    for (size_t i = 0; i < sizeof gap_words / sizeof *gap_words; i++)
        if (has_prefix(s, n, gap_words[i])) return strlen(gap_words[i]);
    return 0;
}

/* Skip a gap word and the spaces after it; true when one was there. */
static bool skip_gap_word(const char **s, size_t *n) {
    size_t k = gap_word(*s, *n);
    if (k == 0) return false;
    *s += k, *n -= k;
    trim(s, n);
    return true;
}

/* The scale of a percent sign s is exactly: -2 for "%" and "百分比" (the
 * unit spelt out: "≥100百分比"), -3 for "‰"; 0 when it is none. */
static int percent_sign(const char *s, size_t n) {
    if (n == 1 && s[0] == '%') return -2;
    if (n == strlen("‰") && memcmp(s, "‰", n) == 0) return -3;
    if (n == strlen("百分比") && memcmp(s, "百分比", n) == 0) return -2;
    return 0;
}

/* The number part of a cell, after affixes (buf: n+1 bytes of scratch):
 * fills out and returns 1, returns 0 when it is not a number with a
 * plausible unit (the cell is text), -1 when the number does not fit.
 * `yuan`: a currency sign (¥, ￥) came first, so the number is in 元. */
static int number_cell(Arena *arena, const char *s, size_t n, char *buf, bool yuan, TlValue *out,
                       const char **err) {
    int exp;
    size_t used = scan_number(s, n, buf, &exp);
    if (used == 0) return 0;
    const char *rest = s + used;
    size_t rn = n - used;
    trim(&rest, &rn);
    int scale_by = 0, mag = 0;
    const char *gap_rest = rest;
    size_t gap_rn = rn;
    bool gap = skip_gap_word(&gap_rest, &gap_rn);
    if ((scale_by = percent_sign(rest, rn)) != 0) {
        out->numkind = NUM_PERCENT;
    } else if (gap && (scale_by = percent_sign(gap_rest, gap_rn)) != 0) {
        out->numkind = NUM_PERCENT; /* "78多%", "78余百分比": about 78% */
        out->flags |= VAL_APPROX;
    } else {
        bool approx = skip_gap_word(&rest, &rn);
        size_t mk = magnitude_prefix(rest, rn, &mag);
        rest += mk, rn -= mk;
        if (mk) approx |= skip_gap_word(&rest, &rn);
        int mag2;
        if (gap_word(rest, rn) || magnitude_prefix(rest, rn, &mag2))
            return 0;  /* "1多多约", "3万万": a word twice */
        if (rn > 0 && !plausible_unit(rest, rn)) return 0;
        if (yuan && rn == 0) rest = "元", rn = strlen("元");
        else if (yuan && !(rn == strlen("元") && memcmp(rest, "元", rn) == 0)) return 0;
        out->numkind = rn > 0 ? NUM_QUANTITY : NUM_PLAIN;
        if (approx) out->flags |= VAL_APPROX;
        scale_by = mag;
    }
    if (exp < -DEC_MAX_SCALE || exp > DEC_MAX_SCALE) {
        *err = exp < 0 ? "number has too many decimals" : "number too large";
        return -1;
    }
    TlDec d;
    if (!parse_digits(buf, &d, err)) return -1;
    if (exp && (exp < 0 ? !dec_div_pow10(d, -exp, &d) : !value_magnify(d, exp, &d))) {
        *err = exp < 0 ? "number has too many decimals" : "number too large";
        return -1;
    }
    if (scale_by < 0 ? !dec_div_pow10(d, -scale_by, &d) : !value_magnify(d, scale_by, &d)) {
        *err = scale_by < 0 ? "number has too many decimals" : "number too large";
        return -1;
    }
    out->kind = TL_NUM;
    out->mag = (int8_t)mag;
    out->u.num = d;
    if (out->numkind == NUM_QUANTITY) out->unit = arena_strndup(arena, rest, rn);
    return 1;
}

/* Copy the number part of a cell into work without its currency sign: "¥",
 * "￥", after an optional sign ("-¥12.50"); *yuan says one was there. */
static size_t drop_currency(const char *s, size_t n, char *work, bool *yuan) {
    static const char *const signs[] = {"¥", "￥"};
    size_t lead = 0;
    if (has_prefix(s, n, "−")) lead = strlen("−");
    else if (n > 0 && (s[0] == '-' || s[0] == '+')) lead = 1;
    *yuan = false;
    for (size_t i = 0; i < sizeof signs / sizeof *signs; i++)
        if (has_prefix(s + lead, n - lead, signs[i])) {
            size_t k = strlen(signs[i]);
            memcpy(work, s, lead);
            const char *r = s + lead + k;
            size_t rn = n - lead - k;
            trim(&r, &rn);
            memcpy(work + lead, r, rn);
            work[lead + rn] = '\0';
            *yuan = true;
            return lead + rn;
        }
    memcpy(work, s, n);
    work[n] = '\0';
    return n;
}

/* The general grammar: the definition of a cell. */
static bool cell_parse_slow(Arena *arena, const char *s, size_t n, const char *const *missing,
                            TlValue *out, const char **err) {
    const char *dummy;
    if (!err) err = &dummy;
    *err = NULL;
    *out = val_missing();
    if (utf8_invalid_at(s, n) != (size_t)-1) {
        *out = val_text(arena_strndup(arena, s, n));
        return true;
    }
    size_t fn;
    char *folded = text_fold_width(s, n, &fn);
    const char *t = text_trim(folded, &fn);
    bool ok = true;
    char *code = fn && t[0] == '#' ? arena_strndup(arena, t, fn) : NULL;
    if (code && cell_error_meaning(code)) {
        out->flags = VAL_CELL_ERROR;
        out->u.text = code;
    } else if (fn > 0 && !cell_word_in(t, fn, missing ? missing : cell_missing_default)) {
        const char *core = t;
        size_t cn = fn;
        TlValue v = val_missing();
        strip_affixes(&core, &cn, &v.qual, &v.flags);
        /* "(12.50)": a negative number, as accounting formats write it - with
         * decimals, a thousands separator or a currency sign, so that an
         * enumeration "（1）" stays text */
        bool negative = false;
        if (cn > 2 && core[0] == '(' && core[cn - 1] == ')') {
            core++, cn -= 2;
            trim(&core, &cn);
            negative = cn > 0 && core[0] != '-' && core[0] != '+' && !has_prefix(core, cn, "−");
            /* a comparison word or sign inside ("(0.2以内)", "(≥5.0)") says
             * neither a negative number nor which bound: text, as "(-5)" */
            const char *in = core;
            size_t inn = cn;
            uint8_t q = 0, f = 0;
            strip_affixes(&in, &inn, &q, &f);
            if (inn != cn) negative = false;
            if (!negative) cn = 0;
        }
        char *work = xmalloc(cn + 1), *buf = xmalloc(cn + 1);
        bool yuan;
        size_t wn = drop_currency(core, cn, work, &yuan);
        if (negative && !yuan && !memchr(work, '.', wn) && !memchr(work, ',', wn)) wn = 0;
        int r = wn ? number_cell(arena, work, wn, buf, yuan, &v, err) : 0;
        free(work);
        free(buf);
        if (r > 0 && negative && !dec_neg(v.u.num, &v.u.num)) r = 0;
        if (r > 0) *out = v;
        else if (r == 0) *out = val_text(arena_strndup(arena, t, fn));
        else ok = false;
    }
    free(folded);
    return ok;
}

bool cell_parse_with(Arena *arena, const char *s, size_t n, const char *const *missing,
                     TlValue *out, const char **err) {
    /* the fast paths first (cellfast.c), unless a rule file's missing
     * markers name the cell */
    if ((!missing || !cell_word_in(s, n, missing)) && cell_parse_fast(arena, s, n, missing, out)) {
        if (err) *err = NULL;
        return true;
    }
    return cell_parse_slow(arena, s, n, missing, out, err);
}

bool cell_parse_general(Arena *arena, const char *s, size_t n, TlValue *out, const char **err) {
    return cell_parse_slow(arena, s, n, NULL, out, err);
}

bool cell_parse(Arena *arena, const char *s, size_t n, TlValue *out, const char **err) {
    /* cell_parse_with(..., NULL, ...), its fast paths called directly */
    if (cell_parse_fast_kept(arena, s, n, NULL, false, out)) {
        if (err) *err = NULL;
        return true;
    }
    return cell_parse_slow(arena, s, n, NULL, out, err);
}

bool cell_parse_kept(Arena *arena, const char *s, size_t n, TlValue *out, const char **err) {
    if (cell_parse_fast_kept(arena, s, n, NULL, true, out)) {
        if (err) *err = NULL;
        return true;
    }
    return cell_parse_slow(arena, s, n, NULL, out, err);
}

/* Formatting ------------------------------------------------------------- */

/* Exact text of d / 10^shift (shift < 0 multiplies), trailing zeros of the
 * fraction trimmed but at least `keep` decimals left. */
static int format_shifted(TlDec d, int shift, int keep, char *out) {
    /* written backwards into out where each digit goes, without printf or
     * copies (issue 16: every value written) */
    uint64_t mag = d.coef < 0 ? -(uint64_t)d.coef : (uint64_t)d.coef;
    int nd = dec_digit_count(mag), neg = d.coef < 0;
    int e = d.scale + shift;  /* digits * 10^-e */
    if (e <= 0) {
        int zeros = mag != 0 ? -e : 0;
        char *end = out + neg + nd + zeros;
        *end = '\0';
        for (int i = 0; i < zeros; i++) end[-1 - i] = '0';
        char *p = dec_digits_back(mag, end - zeros);
        if (neg) *--p = '-';
        return (int)(end - out);
    }
    int int_digits = nd > e ? nd - e : 1;
    char *end = out + neg + int_digits + 1 + e, *p = end;
    for (int i = 0; i < e; i++) *--p = (char)('0' + mag % 10), mag /= 10;
    char *point = --p;
    *point = '.';
    p = dec_digits_back(mag, p);
    if (neg) *--p = '-';
    char *o = end;
    while (o - point - 1 > keep && o[-1] == '0') o--;
    if (o == point + 1) o--;
    *o = '\0';
    return (int)(o - out);
}

static const char *magnitude_word(int mag) {
    for (size_t i = 0; i < sizeof magnitudes / sizeof *magnitudes; i++)
        if (magnitudes[i].mag == mag) return magnitudes[i].word;
    return NULL;
}

/* Append the n bytes of s to buf at *len, stopping short of VAL_BUF at a
 * UTF-8 boundary. */
static inline void append_n(char *buf, int *len, const char *s, size_t n) {
    size_t room = VAL_BUF - 1 - (size_t)*len;
    if (n > room) {
        n = room;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    }
    memcpy(buf + *len, s, n);
    *len += (int)n;
    buf[*len] = '\0';
}

static void append(char *buf, int *len, const char *s) { append_n(buf, len, s, strlen(s)); }

#define APPEND_LIT(buf, len, lit) append_n((buf), (len), (lit), sizeof(lit) - 1)

int val_format(const TlValue *v, char *buf) {
    char num[DEC_BUF + 40];
    int len = 0;
    buf[0] = '\0';
    switch ((TlKind)v->kind) {
    case TL_MISSING: APPEND_LIT(buf, &len, "—"); return len;
    case TL_BOOL: append(buf, &len, v->u.b ? "true" : "false"); return len;
    case TL_TEXT: append(buf, &len, v->u.text ? v->u.text : ""); return len;
    case TL_NUM: break;
    }
    /* the pieces' lengths known, not measured (issue 16: every value written) */
    const char *q = qual_symbol((TlQual)v->qual);
    if (*q) append(buf, &len, q);
    if (v->flags & VAL_APPROX) APPEND_LIT(buf, &len, "约");
    const char *mword = v->mag ? magnitude_word(v->mag) : NULL;
    int shift = mword ? v->mag : 0;
    switch ((TlNumKind)v->numkind) {
    case NUM_PERCENT:
        append_n(buf, &len, num, (size_t)format_shifted(v->u.num, -2, 0, num));
        APPEND_LIT(buf, &len, "%");
        break;
    case NUM_PLAIN:
        append_n(buf, &len, num,
                 (size_t)(mword ? format_shifted(v->u.num, shift, 0, num)
                                : dec_format_trim(v->u.num, DEC_MAX_SCALE, num)));
        if (mword) append(buf, &len, mword);
        break;
    case NUM_QUANTITY:
        append_n(buf, &len, num, (size_t)format_shifted(v->u.num, shift, v->u.num.scale, num));
        if (mword) append(buf, &len, mword);
        if (v->unit) append(buf, &len, v->unit);
        break;
    }
    return len;
}

const char *val_kind_name(const TlValue *v, char *buf, size_t n) {
    switch ((TlKind)v->kind) {
    case TL_MISSING: return "missing";
    case TL_BOOL: return "boolean";
    case TL_TEXT: return "text";
    case TL_NUM: break;
    }
    switch ((TlNumKind)v->numkind) {
    case NUM_PLAIN: return "number";
    case NUM_PERCENT: return "percent";
    case NUM_QUANTITY: break;
    }
    if (!buf || n == 0) return "quantity";
    snprintf(buf, n, "quantity (%s)", v->unit ? v->unit : "");
    return buf;
}

const char *qual_symbol(TlQual q) {
    switch (q) {
    case QUAL_NONE: return "";
    case QUAL_GE: return "≥";
    case QUAL_GT: return ">";
    case QUAL_LE: return "≤";
    case QUAL_LT: return "<";
    case QUAL_EQ: return "=";
    }
    return "";
}
