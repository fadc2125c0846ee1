/* json.c - the JSON and JSON Lines reader (loader.h): report objects with
 * their figures and table, one document or values one after another;
 * positions come from the text itself, since jansson keeps none. */
#include "loader.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/base/l10n.h"
#include "lang/base/text.h"

/* Line numbers of byte offsets, counted forward from the last question. */
typedef struct LineCursor {
    const char *s;
    size_t off, line_start;
    int line;
} LineCursor;

static void cursor_seek(LineCursor *lc, size_t off)
{
    if (off < lc->off) {
        lc->off = lc->line_start = 0;
        lc->line = 1;
    }
    const char *p;
    while (lc->off < off && (p = memchr(lc->s + lc->off, '\n', off - lc->off)) != NULL) {
        lc->off = (size_t)(p - lc->s) + 1;
        lc->line_start = lc->off;
        lc->line++;
    }
    lc->off = off;
}

static int line_at(LineCursor *lc, size_t off)
{
    cursor_seek(lc, off);
    return lc->line;
}

static size_t skip_ws(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

/* Skip one JSON value at s[i] (text already accepted by jansson). */
static size_t json_skip(const char *s, size_t n, size_t i)
{
    int depth = 0;
    do {
        if (i >= n)
            return n;
        char c = s[i];
        if (c == '"') {
            for (i++; i < n && s[i] != '"'; i++)
                if (s[i] == '\\')
                    i++;
            i++;
        } else if (c == '{' || c == '[') {
            depth++, i++;
        } else if (c == '}' || c == ']') {
            depth--, i++;
        } else if (depth > 0) {
            i++;
        } else {
            while (i < n && !strchr(",]} \t\r\n", s[i]))
                i++;
        }
    } while (depth > 0);
    return i;
}

/* Offsets of the elements of the array at s[i] (count capped at max). */
static size_t json_elements(const char *s, size_t n, size_t i, size_t *out, size_t max)
{
    size_t k = 0;
    if (i >= n || s[i] != '[')
        return 0;
    i = skip_ws(s, n, i + 1);
    while (i < n && s[i] != ']') {
        if (k < max)
            out[k] = i;
        k++;
        i = skip_ws(s, n, json_skip(s, n, i));
        if (i < n && s[i] == ',')
            i = skip_ws(s, n, i + 1);
        else
            break;
    }
    return k;
}

/* Offset of the value of `key` in the object at s[i], or SIZE_MAX. */
static size_t json_member(const char *s, size_t n, size_t i, const char *key)
{
    size_t klen = strlen(key);
    if (i >= n || s[i] != '{')
        return SIZE_MAX;
    i = skip_ws(s, n, i + 1);
    while (i < n && s[i] == '"') {
        size_t kstart = i + 1, kend = json_skip(s, n, i) - 1;
        i = skip_ws(s, n, kend + 1);
        if (i < n && s[i] == ':')
            i = skip_ws(s, n, i + 1);
        if (kend - kstart == klen && memcmp(s + kstart, key, klen) == 0)
            return i;
        i = skip_ws(s, n, json_skip(s, n, i));
        if (i < n && s[i] == ',')
            i = skip_ws(s, n, i + 1);
        else
            break;
    }
    return SIZE_MAX;
}

/* Shortest text that reads back as the same double, without an exponent:
 * 0.1 -> "0.1", 1e-7 -> "0.0000001". */
static void format_real(double d, char *out, size_t cap)
{
    char buf[64];
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*g", p, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    char *e = strchr(buf, 'e');
    if (!e) {
        snprintf(out, cap, "%s", buf);
        return;
    }
    int exp10 = atoi(e + 1);
    char digits[32];
    size_t nd = 0, o = 0;
    const char *p = buf;
    if (*p == '-')
        out[o++] = '-', p++;
    for (; p < e; p++)
        if (*p != '.')
            digits[nd++] = *p;
    long point = 1 + (long)exp10;  /* digits before the decimal point */
    if (point <= 0) {
        o += (size_t)snprintf(out + o, cap - o, "0.");
        for (long z = 0; z < -point && o + 1 < cap; z++)
            out[o++] = '0';
        for (size_t k = 0; k < nd && o + 1 < cap; k++)
            out[o++] = digits[k];
    } else {
        for (long k = 0; k < point && o + 1 < cap; k++)
            out[o++] = (size_t)k < nd ? digits[k] : '0';
        if ((size_t)point < nd && o + 1 < cap) {
            out[o++] = '.';
            for (size_t k = (size_t)point; k < nd && o + 1 < cap; k++)
                out[o++] = digits[k];
        }
    }
    out[o] = '\0';
}

/* The cell text of a JSON scalar: strings as they are, numbers written out
 * (integers exactly, reals as their shortest round-trip decimal), null as
 * an empty cell.  NULL for arrays and objects. */
static const char *json_cell(Loader *L, json_t *v, size_t *len)
{
    char buf[400];
    const char *s;
    switch (json_typeof(v)) {
    case JSON_STRING:
        *len = json_string_length(v);
        return json_string_value(v);
    case JSON_INTEGER:
        snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        break;
    case JSON_REAL:
        format_real(json_real_value(v), buf, sizeof buf);
        break;
    case JSON_TRUE:
        snprintf(buf, sizeof buf, "true");
        break;
    case JSON_FALSE:
        snprintf(buf, sizeof buf, "false");
        break;
    case JSON_NULL:
        *len = 0;
        return "";
    case JSON_OBJECT:
    case JSON_ARRAY:
        return NULL;
    }
    s = arena_strdup(loader_arena(L), buf);
    *len = strlen(s);
    return s;
}

static const char *const report_keys[] = {
    "report", "figures", "table", "stated_total", "stated_max", "stated_grade", "year", NULL,
};

static bool known_key(const char *const *keys, const char *key)
{
    for (; *keys; keys++)
        if (strcmp(*keys, key) == 0)
            return true;
    return false;
}

static void json_figures(Loader *L, size_t idx, json_t *figs, int line)
{
    if (!json_is_object(figs)) {
        loader_report_error(L, idx, line, 0, "figures", _("\"figures\" must be an object"));
        return;
    }
    size_t n = json_object_size(figs), k = 0;
    Figure *out = arena_alloc(loader_arena(L), (n ? n : 1) * sizeof *out);
    const char *key;
    json_t *v;
    json_object_foreach(figs, key, v) {
        size_t len;
        const char *text = json_cell(L, v, &len);
        const char *name = loader_trimmed(L, key, strlen(key));
        CellAt at = {line, 0, NULL, name, -1, NULL};
        if (!text) {
            loader_cell_error(L, idx, &at, _("figure '%s' must be a string, a number or null"), name);
            continue;
        }
        Figure *f = &out[k++];
        f->name = name;
        f->raw = arena_strndup(loader_arena(L), text, len);
        f->pos = (DataPos){L->file, line, name, NULL};
        if (json_is_boolean(v))
            f->value = val_bool(json_is_true(v));
        else
            loader_parse_cell(L, idx, f->raw, len, &at, name, &f->value);
    }
    loader_report(L, idx)->figures = out;
    loader_report(L, idx)->nfigures = k;
}

static void json_table(Loader *L, size_t idx, json_t *table, int line, const size_t *rowoff,
                       size_t nrowoff, LineCursor *lc)
{
    if (!json_is_array(table)) {
        loader_report_error(L, idx, line, 0, "table", _("\"table\" must be an array"));
        return;
    }
    loader_keys_clear(L);
    size_t i;
    json_t *row;
    json_array_foreach(table, i, row) {
        int rline = nrowoff == json_array_size(table) ? line_at(lc, rowoff[i]) : line;
        if (!json_is_object(row)) {
            loader_report_error(L, idx, rline, 0, "table",
                                _("table[%zu] must be an object"), i);
            continue;
        }
        RowIn in;
        memset(&in, 0, sizeof in);
        in.line = rline;
        in.json_row = (long)i;
        const char *key;
        json_t *v;
        json_object_foreach(row, key, v) {
            int c;
            for (c = C_LEVEL1; c < C_COUNT && strcmp(loader_long_header[c], key) != 0; c++)
                ;
            if (c == C_COUNT) {
                diag_data(L->diags, DIAG_WARNING, L->file, rline, 0,
                          arena_printf(loader_arena(L), "table[%zu].%s", i, key),
                          _("unknown key \"%s\" in a table row"), key);
                continue;
            }
            in.cell[c] = json_cell(L, v, &in.len[c]);
            if (!in.cell[c]) {
                CellAt at = loader_row_cell_at(&in, c);
                loader_cell_error(L, idx, &at, _("\"%s\" must be a string, a number or null"), key);
            }
        }
        loader_table_row(L, idx, &in);
    }
}

/* One report object starting at data[off]. */
static void json_report(Loader *L, json_t *obj, const char *data, size_t end, size_t off,
                        LineCursor *lc)
{
    int line = line_at(lc, off);
    json_t *jid = json_object_get(obj, "report");
    json_t *figs = json_object_get(obj, "figures"), *table = json_object_get(obj, "table");
    size_t idx, len;
    const char *id = jid ? json_cell(L, jid, &len) : NULL;
    if (!jid) {
        idx = loader_placeholder(L, line);
        loader_report_error(L, idx, line, 0, NULL, _("report object has no \"report\" key"));
    } else if (!id || json_is_boolean(jid) || json_is_real(jid)) {
        idx = loader_placeholder(L, line);
        loader_report_error(L, idx, line, 0, "report", _("\"report\" must be a string"));
    } else if (!*(id = loader_trimmed(L, id, len))) {
        idx = loader_placeholder(L, line);
        loader_report_error(L, idx, line, 0, "report", _("empty report id"));
    } else {
        idx = loader_claim(L, id, line, 0, "report", figs != NULL, table != NULL);
    }
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
        if (!known_key(report_keys, key))
            diag_data(L->diags, DIAG_WARNING, L->file, line, 0, key,
                      _("unknown key \"%s\" in a report object"), key);
    if (figs)
        json_figures(L, idx, figs, line);
    if (table) {
        size_t toff = json_member(data, end, off, "table"), nrows = json_array_size(table);
        size_t *rowoff = xmalloc((nrows ? nrows : 1) * sizeof *rowoff);
        size_t nrowoff = toff == SIZE_MAX ? 0 : json_elements(data, end, toff, rowoff, nrows);
        loader_report(L, idx)->has_table = true;
        loader_meta(L, idx)->table = true;
        json_table(L, idx, table, line, rowoff, nrowoff, lc);
        free(rowoff);
    }
    Meta *m = loader_meta(L, idx);
    if ((v = json_object_get(obj, "stated_total")) != NULL) {
        const char *s = json_cell(L, v, &len);
        TlValue total = val_missing();
        if (s)
            loader_parse_points(L, idx, s, len, &(CellAt){line, 0, "stated_total", NULL, -1, NULL},
                                N_("stated total"), "总分", false, &total);
        else
            loader_report_error(L, idx, line, 0, "stated_total", _("stated total is not a number"));
        if (m->total_line)
            loader_report_error(L, idx, line, 0, "stated_total",
                                _("stated total given twice (first at line %d)"), m->total_line);
        else
            loader_report(L, idx)->stated_total = total, m->total_line = line,
            loader_report(L, idx)->total_pos = (DataPos){L->file, line, "stated_total", NULL};
    }
    if ((v = json_object_get(obj, "stated_max")) != NULL) {
        const char *s = json_cell(L, v, &len);
        if (s)
            loader_parse_points(L, idx, s, len, &(CellAt){line, 0, "stated_max", NULL, -1, NULL},
                                N_("stated maximum"), "总分", false, &loader_report(L, idx)->stated_max);
        else
            loader_report_error(L, idx, line, 0, "stated_max", _("stated maximum is not a number"));
    }
    if ((v = json_object_get(obj, "year")) != NULL && !json_is_null(v)) {
        const char *s = json_cell(L, v, &len);
        CellAt at = {line, 0, "year", NULL, -1, NULL};
        if (s && !json_is_boolean(v))
            loader_year(L, idx, s, len, &at);
        else
            loader_cell_error(L, idx, &at, _("\"year\" must be a string or a number"));
    }
    if ((v = json_object_get(obj, "stated_grade")) != NULL) {
        if (!json_is_string(v) && !json_is_null(v)) {
            loader_report_error(L, idx, line, 0, "stated_grade",
                                _("\"stated_grade\" must be a string"));
        } else if (m->grade_line) {
            loader_report_error(L, idx, line, 0, "stated_grade",
                                _("stated grade given twice (first at line %d)"), m->grade_line);
        } else if (json_is_string(v)) {
            const char *g = loader_trimmed(L, json_string_value(v), json_string_length(v));
            loader_report(L, idx)->stated_grade = *g ? g : NULL;
            loader_report(L, idx)->grade_pos = (DataPos){L->file, line, "stated_grade", NULL};
            m->grade_line = line;
        }
    }
}

/* A top-level value at data[off..end): a report object or an array of them. */
static void json_value(Loader *L, json_t *j, const char *data, size_t off, size_t end,
                       LineCursor *lc)
{
    if (json_is_object(j)) {
        json_report(L, j, data, end, off, lc);
        return;
    }
    size_t n = json_array_size(j), i;
    size_t *eoff = xmalloc((n ? n : 1) * sizeof *eoff);
    size_t neoff = json_elements(data, end, off, eoff, n);
    json_t *elem;
    json_array_foreach(j, i, elem) {
        size_t at = neoff == n ? eoff[i] : off;
        if (json_is_object(elem)) {
            loader_boundary(L);
            json_report(L, elem, data, end, at, lc);
        } else {
            int line = line_at(lc, at);
            size_t idx = loader_placeholder(L, line);
            loader_report_error(L, idx, line, 0, NULL, _("array element %zu is not a report object"),
                                i);
        }
    }
    free(eoff);
}

/* Start of the next line after `line` that begins with '{' or '[', or len. */
static size_t json_resync(const char *data, size_t len, LineCursor *lc, int line)
{
    size_t i = lc->line_start;
    cursor_seek(lc, i);
    while (lc->line <= line) {
        const char *p = memchr(data + i, '\n', len - i);
        if (!p)
            return len;
        i = (size_t)(p - data) + 1;
        cursor_seek(lc, i);
    }
    for (;;) {
        if (i < len && (data[i] == '{' || data[i] == '['))
            return i;
        const char *p = memchr(data + i, '\n', len - i);
        if (!p)
            return len;
        i = (size_t)(p - data) + 1;
    }
}

/* A syntax error in a single document fails the file; in a stream of values
 * it marks a report "line N" and reading resumes at the next line that
 * starts with '{' or '['. */
bool load_json(Loader *L, const char *data, size_t len, bool lines)
{
    json_set_alloc_funcs(xmalloc, free); /* out of memory inside jansson: exit 3, not a syntax error */
    LineCursor lc = {data, 0, 0, 1};
    size_t off = skip_ws(data, len, 0);
    bool stream = lines;
    size_t nvalues = 0;
    if (L->win && off < len && data[off] == '[') { /* one document: read whole */
        loader_window_all(L, 1, 0);
        data = lc.s = L->win->buf;
        len = L->win->len;
    }
    for (;;) {
        if (L->win && !L->win->eof && len - off < L->win->ahead) {
            /* streaming: read on */
            cursor_seek(&lc, off);
            size_t keep = lc.line_start;
            size_t d = loader_window_more(L, keep, lc.line, lc.line_start);
            data = lc.s = L->win->buf;
            len = L->win->len;
            off -= d;
            lc.off -= d;
            lc.line_start -= d;
            off = skip_ws(data, len, off);
        }
        if (off >= len)
            break;
        json_error_t e;
        json_t *j = json_loadb(data + off, len - off,
                               JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &e);
        int vline = line_at(&lc, off);
        if (!j) {
            int line = vline, col = 0;
            if (e.line > 0) {
                line = vline + e.line - 1;
                col = e.line == 1 ? (int)utf8_count(data + lc.line_start, off - lc.line_start) +
                                        e.column
                                  : e.column;
            }
            diag_data(L->diags, DIAG_ERROR, L->file, line, col, NULL, _("JSON syntax error: %s"),
                      e.text);
            if (!stream && nvalues == 0)
                return false;
            size_t idx = loader_placeholder(L, vline);
            loader_set_error(L, idx, _("JSON syntax error at line %d: %s"), line, e.text);
            off = skip_ws(data, len, json_resync(data, len, &lc, line));
            stream = true;
            continue;
        }
        size_t end = off + (size_t)e.position;
        if (skip_ws(data, len, end) < len)
            stream = true;
        loader_boundary(L);
        json_value(L, j, data, off, end, &lc);
        json_decref(j);
        nvalues++;
        off = skip_ws(data, len, end);
    }
    return true;
}
