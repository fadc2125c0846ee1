/* core LONG.csv: the core of issue 16 (README.md) as a small C program,
 * the reference the other peers are checked against.  Reads in 4 MiB
 * blocks, splits lines and fields with memchr, parses numbers with strtod,
 * keeps scores in integer cents (so sums are exact).  Assumes what the
 * generator writes: no quoted fields, 9 columns, a report's rows together. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct { const char *p; size_t n; } Field;

static char cur[512];      /* the report being summed */
static size_t curn;
static long total, sum, stated; /* cents */
static int findings, started;

static int is(Field f, const char *s) { return f.n == strlen(s) && memcmp(f.p, s, f.n) == 0; }
static long cents(double x) { return (long)(x * 100 + 0.5); } /* x >= 0: half away from zero */

static void emit(void)
{
    if (!started)
        return;
    findings += labs(stated - sum) > 0; /* differ by more than 0.005: by a cent */
    printf("%.*s,%ld.%02ld,%ld.%02ld,%ld.%02ld,%d\n", (int)curn, cur, total / 100, total % 100,
           sum / 100, sum % 100, stated / 100, stated % 100, findings);
}

static void row(const char *p, const char *end)
{
    Field f[9];
    int n = 0;
    while (n < 9) {
        const char *c = memchr(p, ',', (size_t)(end - p));
        if (!c)
            c = end;
        f[n++] = (Field){p, (size_t)(c - p)};
        if (c == end)
            break;
        p = c + 1;
    }
    if (n < 8)
        return;
    if (!started || f[0].n != curn || memcmp(f[0].p, cur, curn) != 0) {
        emit();
        curn = f[0].n < sizeof cur ? f[0].n : sizeof cur - 1;
        memcpy(cur, f[0].p, curn);
        total = sum = stated = 0, findings = 0, started = 1;
    }
    if (is(f[1], "总分")) {
        stated = cents(strtod(f[7].p, 0));
        return;
    }
    if (is(f[1], "自评结论"))
        return;
    Field t = f[4], a = f[5];
    int ge = t.n >= 3 && memcmp(t.p, "≥", 3) == 0, le = t.n >= 3 && memcmp(t.p, "≤", 3) == 0;
    if (ge || le)
        t.p += 3, t.n -= 3;
    long w = cents(strtod(f[6].p, 0)), rep = cents(strtod(f[7].p, 0)), s;
    if (t.n == 0 || t.p[0] < '0' || t.p[0] > '9') /* text: met when the actual says the same */
        s = t.n == a.n && memcmp(t.p, a.p, t.n) == 0 ? w : 0;
    else {
        double tv = strtod(t.p, 0), av = strtod(a.p, 0), W = w / 100.0; /* units dropped */
        if (le || is(f[2], "成本指标"))
            s = av <= tv ? w : av >= 2 * tv ? 0 : cents(W * (2 * tv - av) / tv);
        else
            s = av >= tv ? w : cents(W * av / tv);
    }
    total += s, sum += rep;
    Field why = n > 8 ? f[8] : (Field){"", 0};
    findings += s == w && rep < w && (why.n == 0 || is(why, "无"));
}

int main(int argc, char **argv)
{
    int fd = argc > 1 ? open(argv[1], O_RDONLY) : 0;
    if (fd < 0) {
        perror(argv[1]);
        return 2;
    }
    static char buf[4 << 20];
    size_t have = 0, line = 0;
    ssize_t got;
    while ((got = read(fd, buf + have, sizeof buf - have)) > 0) {
        have += (size_t)got;
        char *p = buf, *end = buf + have, *nl;
        while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
            if (line++) /* skip the header */
                row(p, nl);
            p = nl + 1;
        }
        have = (size_t)(end - p);
        memmove(buf, p, have); /* a partial line waits for the next block */
    }
    emit();
    return 0;
}
