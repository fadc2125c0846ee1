# mawk -f wide-25.awk WIDE.csv: the 25 formulas of wide-25.tally in awk, the
# wide workload's peer (README.md).  Prints report,total per department.
# Money is taken in integer cents, so differences and ratios of money are
# as exact as Tally's decimals; scores are clamped to [0, weight] and rounded
# half away from zero, as Tally does.  Assumes no quoted fields.
function v(name) { return $(col[name]) + 0 }                  # a count; 92.5% gives 92.5
function m(name) { return int($(col[name]) * 100 + 0.5) }     # 万元 in cents
function abs(x) { return x < 0 ? -x : x }
function min(a, b) { return a < b ? a : b }
function max(a, b) { return a > b ? a : b }
function over(x, std, step) { return x > std ? (x - std) / step : 0 }
function under(x, std, step) { return x < std ? (std - x) / step : 0 }
function deduct(base, per, units) { return max(0, base - per * units) }
# The 1e-9 cent: a score on an exact half cent may come out a hair below it
# in doubles; a true score is never that close to a half (README.md, "Exactness").
function sc(x, w) { x = min(max(x, 0), w); return int(x * 100 + 0.5 + 1e-9) / 100 }

BEGIN { FS = "," }
NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
{
    t = 0
    # 投入 20
    r = v("实有人数") / v("编制数");                             t += sc(deduct(5, 0.5, over(r, 1, 0.01)), 5)
    r = abs(m("全年预算数") - m("年初预算数")) / m("年初预算数")
    t += sc(r == 0 ? 5 : r <= 0.1 ? 4 : r <= 0.2 ? 3 : r <= 0.3 ? 2 : 0, 5)
    r = m("项目资金到位数") / m("项目资金计划数");                 t += sc(4 * min(1, r), 4)
    r = (m("三公经费决算数") - m("三公经费上年决算数")) / m("三公经费上年决算数")
    t += sc(deduct(4, 0.5, over(r, 0, 0.01)), 4)
    r = m("非税收入实际数") / m("非税收入预算数");                 t += sc(r >= 1 ? 2 : 2 * r, 2)
    # 过程 40
    r = m("全年执行数") / m("全年预算数");                         t += sc(deduct(10, 2, under(r, 1, 0.05)), 10)
    r = m("结余金额") / m("全年预算数");    t += sc(r <= 0.05 ? 5 : r <= 0.1 ? 4 : r <= 0.15 ? 2 : 0, 5)
    r = m("三公经费决算数") / m("三公经费预算数");                 t += sc(deduct(5, 1, over(r, 1, 0.01)), 5)
    r = m("公用经费决算数") / m("公用经费预算数");                 t += sc(deduct(4, 0.5, over(r, 1, 0.01)), 4)
    r = m("实际采购金额") / m("应采购金额");                       t += sc(4 * max(0, 1 - abs(r - 1)), 4)
    r = m("固定资产实有数") / m("固定资产账面数");                 t += sc(r >= 1 ? 4 : r >= 0.98 ? 2 : 0, 4)
    r = v("已整改问题数") / v("整改问题数");                       t += sc(4 * r, 4)
    p = v("按时公开比例");                                         t += sc(p >= 100 ? 2 : p >= 90 ? 1 : 0, 2)
    x = m("结余金额");                            t += sc(x <= 0 ? 2 : x <= m("上年结转") ? 1 : 0, 2)
    # 产出 25
    r = v("完成项目数") / v("计划项目数");                         t += sc(r >= 1 ? 5 : 5 * r, 5)
    r = v("按时完成项目数") / v("完成项目数");  t += sc(r >= 0.95 ? 5 : r >= 0.85 ? 4 : r >= 0.7 ? 2 : 0, 5)
    r = v("已完成目标数") / v("绩效目标数");                       t += sc(5 * min(1, r), 5)
    r = v("培训实际人次") / v("培训计划人次");                     t += sc(min(4, 4 * r), 4)
    r = v("培训实际人次") / v("实有人数");                         t += sc(r >= 2 ? 2 : r >= 1 ? 1 : 0, 2)
    r = m("项目支出") / m("项目资金到位数");                       t += sc(4 * min(1, r), 4)
    # 效益 15
    p = v("服务对象满意度调查");                 t += sc(p >= 90 ? 5 : p >= 80 ? 4 : p >= 70 ? 2 : 0, 5)
    p = v("社会公众满意度调查");                                   t += sc(p >= 90 ? 4 : 4 * p / 90, 4)
    p = v("按期办结比例");                                         t += sc(p >= 100 ? 2 : p >= 95 ? 1 : 0, 2)
    r = (m("全年预算数") - m("全年执行数")) / m("全年预算数");     t += sc(r <= 0.1 ? 2 : r <= 0.2 ? 1 : 0, 2)
    r = m("人员经费") / m("全年执行数");                           t += sc(r <= 0.6 ? 2 : r <= 0.7 ? 1 : 0, 2)
    printf "%s,%.2f\n", $1, t
}
