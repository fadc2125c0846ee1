# mawk -f core.awk LONG.csv: the core of issue 16 (README.md) as an awk
# script.  Run it with LC_ALL=C: substr() must count bytes ("≥" is 3 of them).
# Assumes what the generator writes: no quoted fields, a report's rows together.

function emit() {
    if (cur == "") return
    if (stated - sum > 0.005 || sum - stated > 0.005) findings++
    printf "%s,%.2f,%.2f,%.2f,%d\n", cur, total, sum, stated, findings
}
function r2(x) { return int(x * 100 + 0.5) / 100 }   # x >= 0: half away from zero

BEGIN { FS = "," }
NR == 1 { next }                                     # the header
$1 != cur { emit(); cur = $1; total = sum = stated = findings = 0 }
$2 == "总分" { stated = $8; next }
$2 == "自评结论" { next }
{
    t = $5; a = $6; w = $7 + 0; q = substr(t, 1, 3)
    if (q == "≥" || q == "≤") t = substr(t, 4)
    if (t !~ /^[0-9]/)                               # text: met when the actual says the same
        s = (a == t) ? w : 0
    else {
        t += 0; a += 0                               # the leading number: units dropped
        if (q == "≤" || $3 == "成本指标")
            s = a <= t ? w : a >= 2 * t ? 0 : r2(w * (2 * t - a) / t)
        else
            s = a >= t ? w : r2(w * a / t)
    }
    total += s; sum += $8
    if (s == w && $8 < w - 0.005 && ($9 == "" || $9 == "无")) findings++
}
END { emit() }
