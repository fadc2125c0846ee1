#!/usr/bin/env python3
"""Generate a SYNTHETIC batch of department figures for rules/dept-common.tally.

Every department here is made up: the ids read "SYN-001 甲县教育局" and the
counties 甲县 … 辛县 do not exist.  The figures imitate the shape of a county
department's 部门整体支出绩效评价基础数据表 + 附件4-1 (the seed report,
examples/longhui-hrss-2024/figures.csv, has the same columns), so that the
common-indicator rules have a realistic batch to score:

  * money in 万元 with 2 decimals, computed in whole 0.01 万元 so identities
    hold exactly unless a break is planted;
  * some departments over their staff quota, some with 三公经费 rising or over
    budget, some with 公用经费 over budget, budget adjustments of every tier;
  * a few cells left empty (missing), a few identities broken by 0.01 万元,
    a few 是/否 claims that contradict the figures, a few stated 控制率 wrong.

Deterministic: a fixed seed and the Python 3 standard library only, so
running it again rewrites departments.csv byte for byte.

    python3 examples/dept-batch/generate.py          # writes departments.csv here
    python3 examples/dept-batch/generate.py -o FILE
"""

import argparse
import csv
import os
import random

SEED = 20240531
N_COUNTIES = 8
COUNTIES = ["甲县", "乙县", "丙县", "丁县", "戊县", "己县", "庚县", "辛县"]
DEPARTMENTS = [
    "教育局", "卫生健康局", "人力资源和社会保障局", "民政局", "农业农村局",
    "自然资源局", "住房和城乡建设局", "交通运输局", "水利局", "文化旅游广电体育局",
    "市场监督管理局", "统计局", "审计局", "司法局", "应急管理局",
    "林业局", "商务局", "发展和改革局", "财政局", "医疗保障局",
    "退役军人事务局", "档案馆", "融媒体中心", "机关事务服务中心", "科学技术局",
    "工业和信息化局", "乡村振兴局", "信访局", "城市管理和综合执法局", "供销合作社",
]

COLUMNS = [
    "report", "编制数", "实有人数", "填报控制率",
    "县财政预算安排", "中央省市安排资金", "非税收入", "其他收入", "年度收入合计",
    "决算支出", "基本支出", "项目支出", "人员经费", "公用经费",
    "年初预算数", "全年预算数", "全年执行数", "结余金额", "上年结转",
    "三公经费上年决算数", "三公经费预算数", "三公经费本年决算数",
    "公务用车购置和维护经费上年决算数", "公务用车购置和维护经费预算数",
    "公务用车购置和维护经费本年决算数",
    "公车购置本年决算数", "公车运行维护本年决算数",
    "出国经费上年决算数", "出国经费预算数", "出国经费本年决算数",
    "公务接待费上年决算数", "公务接待费预算数", "公务接待费本年决算数",
    "公用经费预算数", "公用经费决算数",
    "办公经费本年决算数", "水费电费差旅费本年决算数", "会议费培训费本年决算数",
    "应采购金额", "实际采购金额", "政府采购本年决算数",
    "是否存在超编超配人员", "是否追加预算", "是否有结余",
    "三公经费是否下降", "公务用车购置运行费是否下降",
]


def money(cents):
    """0.01 万元 units -> '1234.56' (万元, 2 decimals)."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return "%s%d.%02d" % (sign, cents // 100, cents % 100)


def yes_no(flag):
    return "是" if flag else "否"


def pick(rng, table):
    """table: [(weight, value), ...] -> one value."""
    total = sum(w for w, _ in table)
    x = rng.uniform(0, total)
    for w, v in table:
        x -= w
        if x <= 0:
            return v
    return table[-1][1]


def scale(rng, cents, lo, hi):
    return int(round(cents * rng.uniform(lo, hi)))


def department(rng, index, name):
    r = {"report": "SYN-%03d %s" % (index, name)}

    # 财政供养人员: quota, staff; about one in five over quota (超编).
    quota = int(round(rng.lognormvariate(3.6, 0.7)))
    quota = max(8, min(quota, 600))
    ratio = pick(rng, [(55, rng.uniform(0.82, 1.0)), (28, 1.0),
                       (17, rng.uniform(1.01, 1.25))])
    staff = max(1, int(round(quota * ratio)))
    r["编制数"] = str(quota)
    r["实有人数"] = str(staff)
    true_rate = staff / quota
    stated = true_rate
    if rng.random() < 0.06:                      # states 100% whatever the figures
        stated = 1.0
    r["填报控制率"] = "%.2f%%" % (stated * 100)
    over_quota = staff > quota
    if rng.random() < 0.04:                      # ticks the wrong box
        over_quota = not over_quota
    r["是否存在超编超配人员"] = yes_no(over_quota)

    # 基本支出 = 人员经费 + 公用经费; 项目支出; 决算支出.
    # 人员经费 per head: 12-25 万元 for most; 40-90 万元 where the department
    # also pays pensions or subsidies through its basic budget (the seed: 82).
    per_head = pick(rng, [(88, rng.randint(1200, 2500)), (12, rng.randint(4000, 9000))])
    personnel = staff * per_head + rng.randint(0, 99)
    public = scale(rng, personnel, 0.05, 0.16)
    basic = personnel + public
    project = pick(rng, [(15, 0), (45, scale(rng, basic, 0.01, 0.3)),
                         (30, scale(rng, basic, 0.3, 1.5)), (10, scale(rng, basic, 1.5, 6.0))])
    spent = basic + project
    # A few slips of 0.01 万元, each in one printed figure (the seed's report
    # text has 人员经费 10824.19 where its table has 10824.18).
    break_basic = rng.random() < 0.035           # 人员经费 + 公用经费 != 基本支出
    break_total = rng.random() < 0.035           # 基本支出 + 项目支出 != 决算支出
    r["人员经费"] = money(personnel + (rng.choice([1, -1]) if break_basic else 0))
    r["公用经费"] = money(public)
    r["基本支出"] = money(basic)
    r["项目支出"] = money(project + (1 if break_total else 0))
    r["决算支出"] = money(spent)
    r["全年执行数"] = money(spent)

    # 全年预算数 from the execution rate; 年初预算数 from the adjustment rate.
    rate = pick(rng, [(30, 1.0), (45, rng.uniform(0.95, 0.9999)),
                      (17, rng.uniform(0.85, 0.95)), (8, rng.uniform(0.55, 0.85))])
    budget = int(round(spent / rate))
    adjust = pick(rng, [(35, 0.0), (28, rng.uniform(0.005, 0.10)), (15, rng.uniform(0.10, 0.20)),
                        (9, rng.uniform(0.20, 0.30)), (8, rng.uniform(0.30, 2.5)),
                        (5, -rng.uniform(0.01, 0.08))])
    initial = int(round(budget / (1 + adjust)))
    r["年初预算数"] = money(initial)
    r["全年预算数"] = money(budget)
    added = budget > initial
    if rng.random() < 0.05:                      # 是否追加预算 ticked wrongly
        added = not added
    r["是否追加预算"] = yes_no(added)

    # 结余 = 全年预算数 − 全年执行数; 上年结转.
    surplus = budget - spent
    if rng.random() < 0.03:                      # a 结余 that does not match the budget
        surplus = scale(rng, max(surplus, 1000), 1.2, 3.0)
    r["结余金额"] = money(surplus)
    carried = pick(rng, [(20, 0), (60, scale(rng, max(surplus, 500), 0.7, 2.5)),
                         (20, scale(rng, budget, 0.0, 0.01))])
    r["上年结转"] = money(carried)
    has_surplus = surplus > 0
    if rng.random() < 0.03:
        has_surplus = not has_surplus
    r["是否有结余"] = yes_no(has_surplus)

    # 年度收入: 县财政预算安排 + 中央省市安排资金 + 非税收入 + 其他收入 = 合计 (= 全年预算数).
    central = pick(rng, [(60, 0), (40, scale(rng, budget, 0.01, 0.25))])
    nontax = pick(rng, [(65, 0), (35, scale(rng, budget, 0.002, 0.05))])
    other = pick(rng, [(55, 0), (45, scale(rng, budget, 0.005, 0.04))])
    county = budget - central - nontax - other
    r["县财政预算安排"] = money(county)
    r["中央省市安排资金"] = money(central)
    r["非税收入"] = money(nontax)
    r["其他收入"] = money(other)
    r["年度收入合计"] = money(budget + (1 if rng.random() < 0.02 else 0))

    # 三公经费, three columns, each the sum of its parts.
    def sangong(base_car, base_host, abroad):
        car_buy = pick(rng, [(88, 0), (12, rng.randint(800, 2800) * 1)])
        car_run = scale(rng, base_car, 0.6, 1.3) if base_car else 0
        host = scale(rng, base_host, 0.5, 1.4)
        return car_buy, car_run, abroad, host

    base_car = pick(rng, [(20, 0), (80, staff * rng.randint(8, 30))])
    base_host = max(20, staff * rng.randint(3, 15))
    abroad_prev = pick(rng, [(93, 0), (7, rng.randint(100, 600))])
    abroad_now = pick(rng, [(95, 0), (5, rng.randint(100, 600))])
    prev = sangong(base_car, base_host, abroad_prev)
    now = list(sangong(base_car, base_host, abroad_now))
    trend = pick(rng, [(78, "down"), (16, "up"), (6, "free")])
    total = lambda t: t[0] + t[1] + t[2] + t[3]
    if trend == "down" and total(now) >= total(prev) and total(prev) > 0:
        k = rng.uniform(0.6, 0.97) * total(prev) / total(now)
        now = [int(v * k) for v in now]
    elif trend == "up" and total(now) <= total(prev):
        now[3] = now[3] + rng.randint(20, 150)
    # The budget covers this year's spending for most; about one in eight
    # spends more than its 三公 budget.
    if rng.random() < 0.12:
        k = rng.uniform(0.75, 0.99)
    else:
        k = rng.uniform(1.0, 1.6)
    plan = tuple(int(round(v * k)) for v in now)
    if rng.random() < 0.04:                      # 上年 nothing at all
        prev = (0, 0, 0, 0)
    car_prev, car_plan, car_now = prev[0] + prev[1], plan[0] + plan[1], now[0] + now[1]
    r["公务用车购置和维护经费上年决算数"] = money(car_prev)
    r["公务用车购置和维护经费预算数"] = money(car_plan)
    r["公务用车购置和维护经费本年决算数"] = money(car_now)
    r["公车购置本年决算数"] = money(now[0])
    r["公车运行维护本年决算数"] = money(now[1])
    r["出国经费上年决算数"] = money(prev[2])
    r["出国经费预算数"] = money(plan[2])
    r["出国经费本年决算数"] = money(now[2])
    r["公务接待费上年决算数"] = money(prev[3])
    r["公务接待费预算数"] = money(plan[3])
    r["公务接待费本年决算数"] = money(now[3])
    break_sangong = rng.random() < 0.03          # total off by 0.01
    r["三公经费上年决算数"] = money(total(prev))
    r["三公经费预算数"] = money(total(plan))
    r["三公经费本年决算数"] = money(total(now) + (1 if break_sangong else 0))
    down = total(now) < total(prev)
    if rng.random() < 0.04:
        down = True                              # claims a fall whatever the figures
    r["三公经费是否下降"] = yes_no(down)
    r["公务用车购置运行费是否下降"] = yes_no(car_now < car_prev)

    # 公用经费: budget and 决算 (= the 公用经费 of 基本支出, unless a slip).
    public_plan = int(round(public / pick(rng, [(80, rng.uniform(0.85, 1.0)),
                                                (20, rng.uniform(1.0, 1.2))])))
    r["公用经费预算数"] = money(public_plan)
    r["公用经费决算数"] = money(public + (1 if rng.random() < 0.03 else 0))
    office = scale(rng, public, 0.2, 0.45)
    utilities = scale(rng, public, 0.1, 0.3)
    meetings = scale(rng, public, 0.0, 0.08)
    if rng.random() < 0.05:                      # 其中 rows that exceed the whole
        office = scale(rng, public, 0.8, 1.0)
    r["办公经费本年决算数"] = money(office)
    r["水费电费差旅费本年决算数"] = money(utilities)
    r["会议费培训费本年决算数"] = money(meetings)

    # 政府采购: planned, bought, and the 基础数据表's 决算 figure.
    planned = pick(rng, [(15, 0), (85, scale(rng, basic + project, 0.002, 0.08))])
    bought = pick(rng, [(60, planned), (25, scale(rng, planned, 0.8, 1.0)),
                        (15, scale(rng, planned, 1.0, 1.3))])
    r["应采购金额"] = money(planned)
    r["实际采购金额"] = money(bought)
    r["政府采购本年决算数"] = money(bought if rng.random() > 0.04 else scale(rng, bought, 1.05, 1.5) + 1)

    # A few reports leave cells empty: missing, never 0.
    if rng.random() < 0.08:
        for col in rng.sample(["上年结转", "三公经费上年决算数", "应采购金额", "编制数",
                               "公用经费预算数", "年初预算数", "是否有结余"], rng.randint(1, 2)):
            r[col] = ""
    return r


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", default=os.path.join(here, "departments.csv"))
    args = ap.parse_args()
    rng = random.Random(SEED)
    rows = []
    index = 1
    for county in COUNTIES[:N_COUNTIES]:
        for dept in DEPARTMENTS:
            rows.append(department(rng, index, county + dept))
            index += 1
    with open(args.output, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow(r)
    print("wrote %d SYNTHETIC departments to %s" % (len(rows), args.output))


if __name__ == "__main__":
    main()
