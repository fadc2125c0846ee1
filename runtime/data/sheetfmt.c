/* sheetfmt.c - spreadsheet numbers as their format shows them (form.h):
 * 0.9 under "0%" is "90%", under "0.00%" "90.00%"; a date serial under a
 * date format is "2025-03-31"; anything else as stored ("General").  Both
 * spreadsheet readers (xlsx.c, xls.c) use it, so a form reads the same in
 * either. */
#include "form.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Decimals after the point in a format section: "0.00%" -> 2. */
static int format_decimals(const char *s, const char *end)
{
    const char *dot = NULL;
    for (const char *p = s; p < end; p++)
        if (*p == '.') {
            dot = p;
            break;
        }
    if (!dot)
        return 0;
    int d = 0;
    for (const char *p = dot + 1; p < end && (*p == '0' || *p == '#' || *p == '?'); p++)
        d++;
    return d > 10 ? 10 : d;
}

NumFormat numfmt_from_code(const char *code)
{
    NumFormat f = {SHOW_GENERAL, 0, false};
    if (!code)
        return f;
    /* The first section (positive numbers) decides. */
    const char *end = code;
    bool quoted = false;
    for (; *end; end++) {
        if (*end == '"')
            quoted = !quoted;
        else if (*end == '\\' && end[1])
            end++;
        else if (*end == ';' && !quoted)
            break;
    }
    bool percent = false, date = false, time = false, digit = false;
    quoted = false;
    for (const char *p = code; p < end; p++) {
        char c = *p;
        if (c == '"') {
            quoted = !quoted;
            continue;
        }
        if (quoted)
            continue;
        if (c == '\\' || c == '_' || c == '*') {
            if (p + 1 < end)
                p++;
            continue;
        }
        if (c == '[') { /* [Red], [$-804], [h] */
            const char *q = p + 1;
            while (q < end && *q != ']')
                q++;
            if (p + 1 < end && (p[1] == 'h' || p[1] == 'H' || p[1] == 'm' || p[1] == 's'))
                time = true;
            p = q;
            continue;
        }
        if (c == '%')
            percent = true;
        else if (c == '0' || c == '#' || c == '?')
            digit = true;
        else if (c == 'y' || c == 'Y' || c == 'd' || c == 'D')
            date = true;
        else if (c == 'h' || c == 'H' || c == 's' || c == 'S')
            time = true;
        else if (c == 'm' || c == 'M')
            date = true; /* months or minutes: a date/time either way */
    }
    if (strncmp(code, "General", 7) == 0 && end == code + 7)
        return f;
    if (percent) {
        f.show = SHOW_PERCENT;
        f.decimals = format_decimals(code, end);
    } else if ((date || time) && !digit) {
        f.show = SHOW_DATE;
        f.time = time;
    } else if (digit) {
        f.show = SHOW_FIXED;
        f.decimals = format_decimals(code, end);
    }
    return f;
}

NumFormat numfmt_builtin(int id)
{
    NumFormat f = {SHOW_GENERAL, 0, false};
    switch (id) {
    case 2: case 4: case 40: case 39:
        f.show = SHOW_FIXED, f.decimals = 2;
        break;
    case 1: case 3: case 37: case 38:
        f.show = SHOW_FIXED, f.decimals = 0;
        break;
    case 9:
        f.show = SHOW_PERCENT, f.decimals = 0;
        break;
    case 10:
        f.show = SHOW_PERCENT, f.decimals = 2;
        break;
    case 14: case 15: case 16: case 17:
    case 27: case 28: case 29: case 30: case 31: case 34: case 35: case 36:
    case 50: case 51: case 52: case 53: case 54: case 57: case 58:
        f.show = SHOW_DATE;
        break;
    case 18: case 19: case 20: case 21: case 22: case 45: case 46: case 47:
    case 32: case 33: case 55: case 56:
        f.show = SHOW_DATE, f.time = true;
        break;
    default:
        break;
    }
    return f;
}

/* Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant). */
static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

/* A stored number as written, when it is short and plain ("5", "0.9",
 * "1796.79"); otherwise the shortest of up to 15 significant digits. */
static void general_text(double v, const char *digits, char *buf)
{
    if (digits) {
        size_t n = strlen(digits);
        bool plain = n > 0 && n < 20;
        for (size_t i = 0; plain && i < n; i++)
            if (!((digits[i] >= '0' && digits[i] <= '9') || digits[i] == '.' ||
                  (i == 0 && digits[i] == '-')))
                plain = false;
        if (plain) {
            size_t sig = 0;
            for (size_t i = 0; i < n; i++)
                if (digits[i] >= '0' && digits[i] <= '9')
                    sig++;
            if (sig <= 15) {
                memcpy(buf, digits, n + 1);
                /* "5.0" and "5." read as 5 */
                char *dot = strchr(buf, '.');
                if (dot) {
                    char *e = buf + strlen(buf);
                    while (e > dot + 1 && e[-1] == '0')
                        *--e = 0;
                    if (e == dot + 1)
                        *dot = 0;
                }
                return;
            }
        }
    }
    if (!isfinite(v)) {
        strcpy(buf, "#NUM!");
        return;
    }
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(buf, 64, "%.0f", v);
        return;
    }
    snprintf(buf, 64, "%.15g", v);
    if (strchr(buf, 'e'))
        return;
    char *dot = strchr(buf, '.');
    if (dot) {
        char *e = buf + strlen(buf);
        while (e > dot + 1 && e[-1] == '0')
            *--e = 0;
        if (e == dot + 1)
            *dot = 0;
    }
}

void numfmt_show(double v, const char *digits, NumFormat fmt, bool date1904, char *buf)
{
    if (!isfinite(v)) {
        strcpy(buf, "#NUM!");
        return;
    }
    switch (fmt.show) {
    case SHOW_PERCENT:
        if (fabs(v) < 1e13) {
            snprintf(buf, 64, "%.*f%%", fmt.decimals, v * 100.0);
            if (strncmp(buf, "-0%", 3) == 0 || strcmp(buf, "-0") == 0)
                memmove(buf, buf + 1, strlen(buf));
            return;
        }
        break;
    case SHOW_FIXED:
        if (fabs(v) < 1e15) {
            snprintf(buf, 64, "%.*f", fmt.decimals, v);
            return;
        }
        break;
    case SHOW_DATE:
        if (v >= 0 && v < 2958466) { /* up to 9999-12-31 */
            double days = floor(v);
            double frac = v - days;
            /* Excel's day 1 is 1900-01-01 and it counts a 29 February 1900
             * that never was; the 1904 system counts from 1904-01-01. */
            long unix_days = date1904 ? (long)days - 24107
                                      : (long)days - 25569 + (days < 61 ? 1 : 0);
            int y, m, d;
            civil_from_days(unix_days, &y, &m, &d);
            if (fmt.time && frac > 0) {
                long secs = lround(frac * 86400.0);
                snprintf(buf, 64, "%04d-%02d-%02d %02ld:%02ld", y, m, d, secs / 3600,
                         secs / 60 % 60);
            } else {
                snprintf(buf, 64, "%04d-%02d-%02d", y, m, d);
            }
            return;
        }
        break;
    case SHOW_GENERAL:
        break;
    }
    general_text(v, digits, buf);
}
