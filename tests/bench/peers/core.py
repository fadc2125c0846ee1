#!/usr/bin/env python3
"""python3 core.py LONG.csv: the core of issue 16 (README.md) with the csv module,
as a user would write it.  Assumes a report's rows come together."""
import csv
import math
import re
import sys

NUMBER = re.compile(r"[0-9.]+")


def r2(x):
    """Half away from zero for x >= 0 (round() rounds half to even)."""
    return math.floor(x * 100 + 0.5) / 100


def main():
    out = sys.stdout
    cur, total, total_rep, stated, findings = None, 0.0, 0.0, 0.0, 0

    def emit():
        if cur is not None:
            n = findings + (abs(stated - total_rep) > 0.005)
            out.write("%s,%.2f,%.2f,%.2f,%d\n" % (cur, total, total_rep, stated, n))

    with open(sys.argv[1], newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        next(rows)
        for report, level1, level2, _, target, actual, weight, reported, reason in rows:
            if report != cur:
                emit()
                cur, total, total_rep, stated, findings = report, 0.0, 0.0, 0.0, 0
            if level1 == "总分":
                stated = float(reported)
                continue
            if level1 == "自评结论":
                continue
            w, rep = float(weight), float(reported)
            q = target[:1]
            t = target[1:] if q in "≥≤" else target
            if not t[:1].isdigit():  # text: met when the actual says the same
                s = w if actual == t else 0.0
            else:
                t, a = float(NUMBER.match(t).group()), float(NUMBER.match(actual).group())
                if q == "≤" or level2 == "成本指标":
                    s = w if a <= t else 0.0 if a >= 2 * t else r2(w * (2 * t - a) / t)
                else:
                    s = w if a >= t else r2(w * a / t)
            total += s
            total_rep += rep
            if s == w and rep < w - 0.005 and reason in ("", "无"):
                findings += 1
    emit()


main()
