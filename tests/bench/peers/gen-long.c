/* gen-long N [SEED] > long.csv
 *
 * The long workload of issue 16 (README.md): N reports' own indicator tables
 * in the long CSV of docs/data.md, each a budget row, 25 indicator rows, a
 * 总分 row and a 自评结论 row.  Cells as reports write them: 15人, ≥90%,
 * ≤620.23万元, 有所提升; self-awarded scores that are mostly right, with the
 * usual mistakes (points deducted although the target was met, full marks
 * although it was missed, scores rounded to whole points, totals that do not
 * add up).  Deterministic: the same N and SEED give the same bytes.
 * Streaming, constant memory: 1,000,000 reports (2.8 GB) take seconds.
 *
 * Every quantity is an integer in the unit of its last written digit (cents
 * of 万元, tenths of a percent, whole heads), so the generator knows each
 * row's exact score.  It never writes a row whose exact score is a half
 * cent: there Tally (quotient to 10 places, then rounded) and a peer (exact,
 * or doubles) could round differently, and the benchmark compares them. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t seed;
static uint64_t next(void) /* splitmix64 */
{
    uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static long rnd(long n) { return (long)(next() % (uint64_t)n); }           /* [0, n) */
static double unif(void) { return (double)(next() >> 11) * 0x1.0p-53; } /* [0, 1) */
static long between(long lo, long hi) { return lo + rnd(hi - lo + 1); }
#define PICK(a) (a)[rnd((long)(sizeof(a) / sizeof((a)[0])))]

/* Output through one large buffer: printf per cell would dominate. */
static char buf[1 << 20];
static size_t len;
static void flush(void) { fwrite(buf, 1, len, stdout), len = 0; }
static void s(const char *t)
{
    size_t n = strlen(t);
    if (len + n > sizeof buf)
        flush();
    memcpy(buf + len, t, n), len += n;
}
static void c(char ch) { s((char[]){ch, 0}); }
static void num(long v) /* a non-negative integer */
{
    char t[24], *p = t + sizeof t;
    *--p = 0;
    do *--p = (char)('0' + v % 10); while (v /= 10);
    s(p);
}
/* v in units of 10^-places: 2 places always (万元), or trimmed (scores, %) */
static void dec(long v, int places, int trim)
{
    long one = places == 2 ? 100 : 10, f = v % one;
    num(v / one);
    if (trim && f == 0)
        return;
    c('.');
    if (places == 2 && (!trim || f % 10 != 0))
        c((char)('0' + f / 10)), c((char)('0' + f % 10));
    else
        c((char)('0' + (places == 2 ? f / 10 : f)));
}

enum { COUNT, PCT, COST, TEXT }; /* ≥ with a unit, ≥ percent, ≤ 万元, text */
typedef struct {
    int l1;
    const char *l2;
    int kind, w;
    const char *unit; /* COUNT: 人 个 场 */
    long lo, hi;      /* COUNT: heads; PCT: tenths of a percent; COST: cents */
    const char *names[3];
    const char *texts[3]; /* TEXT: the targets it may state */
} Slot;

enum { L1P, L1E, L1S }; /* 产出, 效益, 满意度: l1_forms below */
static const Slot slots[25] = {
    {L1P, "数量指标", COUNT, 5, "人", 30, 3000, {"培训人数", "参训人员数", "就业见习人数"}, {0}},
    {L1P, "数量指标", COUNT, 5, "场", 5, 60, {"招聘活动次数", "宣传活动场次", "专场招聘会场次"}, {0}},
    {L1P, "数量指标", COUNT, 4, "个", 3, 200, {"就业扶贫车间个数", "新建就业服务站", "创业孵化基地数"}, {0}},
    {L1P, "数量指标", PCT, 4, 0, 900, 1000, {"城乡养老保险参保率", "政策覆盖率", "入户走访率"}, {0}},
    {L1P, "质量指标", PCT, 4, 0, 900, 1000, {"项目验收合格率", "培训合格率", "达标率"}, {0}},
    {L1P, "质量指标", PCT, 4, 0, 850, 1000, {"资金使用合规率", "政策知晓率", "档案资料完整率"}, {0}},
    {L1P, "质量指标", PCT, 4, 0, 900, 1000, {"信息数据准确率", "核查准确率", "审核通过率"}, {0}},
    {L1P, "时效指标", PCT, 4, 0, 900, 1000, {"补贴发放及时率", "各项支出支付及时率", "资金拨付及时率"}, {0}},
    {L1P, "时效指标", PCT, 4, 0, 850, 1000, {"项目完成及时率", "按期完成率", "任务办结率"}, {0}},
    {L1P, "成本指标", COST, 4, 0, 50000, 999999, {"人员经费支出", "在职人员经费", "工资福利支出"}, {0}},
    {L1P, "成本指标", COST, 4, 0, 5000, 90000, {"公用经费支出", "日常公用经费", "办公经费"}, {0}},
    {L1P, "成本指标", COST, 4, 0, 1000, 50000, {"国有资本经营支出", "专项业务经费", "培训经费支出"}, {0}},
    {L1E, "经济效益指标", COUNT, 3, "人", 500, 8000, {"城镇新增就业", "新增就业人数", "吸纳就业人数"}, {0}},
    {L1E, "经济效益指标", COUNT, 3, "人", 200, 5000, {"失业人员再就业", "转移就业人数", "就业困难人员再就业"}, {0}},
    {L1E, "经济效益指标", COUNT, 3, "个", 10, 300, {"就业扶贫车间", "扶持创业项目", "新增市场主体"}, {0}},
    {L1E, "社会效益指标", PCT, 4, 0, 800, 980, {"失业人员就业率", "就业困难人员就业率", "高校毕业生就业率"}, {0}},
    {L1E, "社会效益指标", TEXT, 4, 0, 0, 0, {"加强对三支一扶人员的管理", "公共服务水平", "群众办事便利度"}, {"有所提升", "明显提升", "逐步完善"}},
    {L1E, "社会效益指标", PCT, 3, 0, 900, 1000, {"社保卡持卡率", "服务覆盖率", "政策落实率"}, {0}},
    {L1E, "生态效益指标", TEXT, 4, 0, 0, 0, {"节能减排", "无纸化办公推进", "绿色办公"}, {"持续改善", "有所改善", "达到预期"}},
    {L1E, "可持续影响指标", TEXT, 3, 0, 0, 0, {"建立长效管理制度", "长效机制建设", "制度建设"}, {"建立长效管理制度", "逐步完善", "长期"}},
    {L1E, "可持续影响指标", TEXT, 3, 0, 0, 0, {"持续发挥作用", "项目可持续运行", "人才队伍稳定"}, {"长期", "持续发挥作用", "有所提升"}},
    {L1S, "服务对象满意度指标", PCT, 3, 0, 850, 950, {"群众满意度", "服务对象满意度", "参训人员满意度"}, {0}},
    {L1S, "服务对象满意度指标", PCT, 3, 0, 850, 950, {"服务企业满意度", "用人单位满意度", "企业满意度"}, {0}},
    {L1S, "服务对象满意度指标", PCT, 2, 0, 850, 950, {"三支一扶人员满意度", "职工满意度", "受益人员满意度"}, {0}},
    {L1S, "服务对象满意度指标", PCT, 2, 0, 850, 950, {"社会公众满意度", "投诉处理满意度", "受益群众满意度"}, {0}},
};
static const char *counties[] = {"隆回县", "邵东市", "新化县", "宁乡市", "浏阳市", "醴陵市",
                                 "攸县", "湘潭县", "衡山县", "祁东县", "桃江县", "安化县",
                                 "临湘市", "汨罗市", "桑植县", "慈利县", "溆浦县", "麻阳县"};
static const char *depts[] = {"人力资源和社会保障局", "教育局", "卫生健康委员会", "农业农村局",
                              "民政局", "财政局", "自然资源局", "住房和城乡建设局",
                              "交通运输局", "水利局", "文化旅游广电体育局", "市场监督管理局"};
static const char *l1_forms[][3] = {{"产出指标(50分)", "产出指标（50分）", "产出指标"},
                                    {"效益指标(30分)", "效益指标（30分）", "效益指标"},
                                    {"满意度指标(10分)", "满意度指标（10分）", "满意度指标"}};
static const char *text_misses[] = {"基本完成", "部分完成", "未达到预期", "正在推进"};
static const char *reasons[] = {"受资金拨付进度影响", "部分项目延期实施", "疫情影响活动减少",
                                "上级政策调整", "实际需求减少", "年度目标设定偏高"};

/* Exact score in cents (half away from zero), or -1 at an exact half cent.
 * ge: W*A/T capped; le: W*(2T-A)/T, 0 from 2T on. */
static long score(int le, long w, long a, long t)
{
    long n;
    if (le ? a <= t : a >= t)
        return w * 100;
    if (le && a >= 2 * t)
        return 0;
    n = 200 * w * (le ? 2 * t - a : a); /* 2 x score in cents, times t */
    if (n % t == 0 && (n / t) % 2 == 1)
        return -1;
    return (n / t + 1) / 2;
}

static void cell(int kind, const char *unit, long v)
{
    if (kind == PCT)
        dec(v, 1, 1), s("%");
    else if (kind == COST)
        dec(v, 2, 0), s("万元");
    else
        num(v), s(unit);
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fputs("usage: gen-long N [SEED] > long.csv\n", stderr);
        return 2;
    }
    long n = atol(argv[1]);
    seed = argc > 2 ? strtoull(argv[2], 0, 10) : 16;
    s("report,level1,level2,indicator,target,actual,weight,reported,reason\n");
    for (long r = 0; r < n; r++) {
        char id[128];
        snprintf(id, sizeof id, "%s%s-%ld", PICK(counties), PICK(depts), r + 1);
        int form = (int)rnd(4) % 3; /* (50分) half the time */
        long total = 0;
        for (int k = -1; k < 25; k++) {
            const Slot *sl = k < 0 ? 0 : &slots[k];
            int kind = sl ? sl->kind : COST, le = kind == COST && sl, qual = 0;
            long w = sl ? sl->w : 10, t = 0, a = 0, sc;
            const char *tt = 0, *at = 0;
            if (kind == TEXT) { /* 达成 when the actual repeats the target */
                tt = sl->texts[rnd(3)];
                at = unif() < 0.85 ? tt : PICK(text_misses);
                sc = strcmp(tt, at) == 0 ? w * 100 : 0;
            } else {
                int met = unif() < 0.78;
                if (!sl) { /* 预算执行: 全年预算数 against 全年执行数 */
                    t = between(50000, 2000000);
                    a = unif() < 0.4 ? t : (long)(t * (0.85 + 0.1499 * unif()));
                } else {
                    t = between(sl->lo, sl->hi);
                    if (kind == PCT && unif() < 0.7)
                        t -= t % 50; /* mostly round targets: 90%, 95% */
                    if (le)
                        a = met ? (unif() < 0.3 ? t : (long)(t * (0.85 + 0.15 * unif())))
                                : t + 1 + (long)(t * 1.3 * unif());
                    else if (met)
                        a = t + (kind == PCT ? rnd(1001 - t) : rnd(t / 3 + 1));
                    else
                        a = (long)(t * (0.5 + 0.499 * unif()));
                    qual = kind == COST ? unif() < 0.5 : kind != TEXT && unif() < 0.6;
                }
                while ((sc = score(le, w, a, t)) < 0)
                    a++; /* no exact half cents (see the top) */
            }
            long rep = sc, full = w * 100; /* the self-awarded score, in cents */
            double u = unif();
            const char *reason = unif() < 0.5 ? "无" : "";
            if (sc == full && u < 0.06) {
                rep = full - (u < 0.03 ? 100 : 50); /* deducted although met */
                if (unif() < 0.3)
                    reason = PICK(reasons);
            } else if (sc < full) {
                if (u < 0.18)
                    rep = full; /* full marks although missed */
                else if (u < 0.30)
                    rep = (sc + 50) / 100 * 100; /* rounded to whole points */
                reason = u < 0.6 ? PICK(reasons) : unif() < 0.6 ? "无" : "";
            }
            total += rep;
            s(id), c(',');
            s(sl ? l1_forms[sl->l1][form] : "预算执行");
            c(','), s(sl ? sl->l2 : ""), c(',');
            s(sl ? sl->names[rnd(3)] : "预算执行率"), c(',');
            if (kind == TEXT)
                s(tt), c(','), s(at);
            else {
                if (qual)
                    s(le ? "≤" : "≥");
                cell(kind, sl ? sl->unit : 0, t), c(','), cell(kind, sl ? sl->unit : 0, a);
            }
            c(','), num(w), c(','), dec(rep, 2, 1), c(','), s(reason), c('\n');
        }
        double u = unif(); /* totals that do not add up */
        long stated = u < 0.01 ? total + 100 : u < 0.02 ? total - 50 : u < 0.03 ? total - 200 : total;
        s(id), s(",总分,,总分,,,100,"), dec(stated, 2, 1), s(",\n");
        s(id), s(",自评结论,,自评结论,,");
        s(stated >= 9000 ? "优" : stated >= 8000 ? "良" : stated >= 6000 ? "中" : "差"), s(",,,\n");
    }
    flush();
    return ferror(stdout) != 0;
}
