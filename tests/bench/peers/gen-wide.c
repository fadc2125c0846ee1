/* gen-wide N [SEED] > wide.csv
 *
 * The wide workload of issue 16 (README.md): the figures wide-25.tally
 * reads, one row per department, as a 部门整体支出 基础数据表 export would
 * give them (money in 万元 as bare numbers with 2 decimals, head counts,
 * percentages).  Figures hang together (结余 = 预算 − 执行, 已整改 ≤ 问题数)
 * and spread over every tier and deduction.  Every denominator is above 0
 * and below 10^6 in its last digit, which keeps Tally's 10-place quotients
 * and the awk version's doubles rounding alike (README.md, "Exactness").
 * Deterministic, streaming, constant memory. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t seed;
static uint64_t next(void) /* splitmix64 */
{
    uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static double unif(void) { return (double)(next() >> 11) * 0x1.0p-53; } /* [0, 1) */
static long between(long lo, long hi) { return lo + (long)(next() % (uint64_t)(hi - lo + 1)); }
static long times(long v, double lo, double hi) { return (long)(v * (lo + (hi - lo) * unif())); }
static long cap(long v) { return v > 999999 ? 999999 : v; } /* 9999.99万元 */
#define PICK(a) (a)[next() % (sizeof(a) / sizeof((a)[0]))]

static const char *counties[] = {"隆回县", "邵东市", "新化县", "宁乡市", "浏阳市", "醴陵市",
                                 "攸县", "湘潭县", "衡山县", "祁东县", "桃江县", "安化县"};
static const char *depts[] = {"人力资源和社会保障局", "教育局", "卫生健康委员会", "农业农村局",
                              "民政局", "财政局", "自然资源局", "水利局", "交通运输局"};

static void money(long cents) { printf(",%ld.%02ld", cents / 100, cents % 100); }
static void pct(long tenths) /* 92.5%, 100% */
{
    if (tenths % 10)
        printf(",%ld.%ld%%", tenths / 10, tenths % 10);
    else
        printf(",%ld%%", tenths / 10);
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fputs("usage: gen-wide N [SEED] > wide.csv\n", stderr);
        return 2;
    }
    static char obuf[1 << 20];
    setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
    long n = atol(argv[1]);
    seed = argc > 2 ? strtoull(argv[2], 0, 10) : 25;
    puts("report,编制数,实有人数,培训计划人次,培训实际人次,年初预算数,全年预算数,全年执行数,"
         "结余金额,上年结转,人员经费,项目资金计划数,项目资金到位数,项目支出,三公经费上年决算数,"
         "三公经费预算数,三公经费决算数,公用经费预算数,公用经费决算数,非税收入预算数,非税收入实际数,"
         "应采购金额,实际采购金额,固定资产账面数,固定资产实有数,整改问题数,已整改问题数,计划项目数,"
         "完成项目数,按时完成项目数,绩效目标数,已完成目标数,服务对象满意度调查,社会公众满意度调查,"
         "按时公开比例,按期办结比例");
    for (long r = 0; r < n; r++) {
        long staff = between(20, 300), real = unif() < 0.6 ? staff : times(staff, 0.9, 1.12) + 1;
        long plan = staff * between(1, 3), trained = times(plan, 0.7, 1.25);
        long b0 = between(30000, 650000), u = (long)(unif() * 10);
        long b = cap((u < 2 ? b0 : u < 4 ? times(b0, 0.9, 1.1) : times(b0, 1.0, 1.45)) + 1);
        long spent = unif() < 0.3 ? b : times(b, 0.82, 1.0), left = b - spent;
        long carry = times(b, 0.0, 0.05), staffpay = times(spent, 0.4, 0.8);
        long pplan = times(b, 0.2, 0.5) + 1, pin = unif() < 0.5 ? pplan : times(pplan, 0.8, 1.0) + 1;
        long pspent = times(pin, 0.7, 1.0);
        long s3prev = between(500, 8000), s3budget = times(s3prev, 0.9, 1.1) + 1,
             s3 = times(s3prev, 0.8, 1.15);
        long pub = between(10000, 90000), pubspent = times(pub, 0.9, 1.1);
        long tax = between(50, 50000), taxin = times(tax, 0.8, 1.2);
        long buy = between(5000, 200000), bought = times(buy, 0.85, 1.1);
        long assets = between(10000, 999999), found = unif() < 0.8 ? assets : times(assets, 0.95, 1.02) + 1;
        long issues = between(1, 20), fixed = unif() < 0.6 ? issues : between(0, issues);
        long projects = between(1, 40), done = unif() < 0.6 ? projects : between(1, projects);
        long ontime = unif() < 0.5 ? done : between(0, done);
        long goals = between(5, 30), met = unif() < 0.6 ? goals : between(0, goals);
        printf("%s%s-%ld,%ld,%ld,%ld,%ld", PICK(counties), PICK(depts), r + 1, staff, real, plan,
               trained);
        money(b0), money(b), money(spent), money(left), money(carry), money(staffpay);
        money(pplan), money(pin), money(pspent), money(s3prev), money(s3budget), money(s3);
        money(pub), money(pubspent), money(tax), money(taxin), money(buy), money(bought);
        money(assets), money(found);
        printf(",%ld,%ld,%ld,%ld,%ld,%ld,%ld", issues, fixed, projects, done, ontime, goals, met);
        pct(between(650, 1000)), pct(between(750, 1000)), pct(unif() < 0.5 ? 1000 : between(850, 1000));
        pct(unif() < 0.5 ? 1000 : between(900, 1000));
        putchar('\n');
    }
    return ferror(stdout) != 0;
}
