/* finding.c - the catalogue of finding kinds, and the findings list. */
#include "finding.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const FindingInfo catalogue[F_KIND_COUNT] = {
    [F_SCORE_MISMATCH] = {"E_SCORE_MISMATCH", DIAG_ERROR,
                          "recomputed score differs from the self-awarded one / 自评得分与复核得分不符"},
    [F_DEDUCTED_MET] = {"E_DEDUCTED_MET", DIAG_ERROR,
                        "target met but points deducted, no deviation reason / 已完成指标仍扣分且无偏差说明"},
    [F_FULL_MISSED] = {"E_FULL_MISSED", DIAG_ERROR,
                       "full marks although the target was missed / 未完成指标却得满分"},
    [F_SCORE_OUT_OF_RANGE] = {"E_SCORE_OUT_OF_RANGE", DIAG_ERROR,
                              "self-awarded score outside [0, weight] / 自评得分超出分值范围"},
    [F_TOTAL_MISMATCH] = {"E_TOTAL_MISMATCH", DIAG_ERROR,
                          "scores do not add up to the stated total / 各项得分之和与总分不符"},
    [F_SUBTOTAL_MISMATCH] = {"E_SUBTOTAL_MISMATCH", DIAG_ERROR,
                             "a stated group weight differs from its rows / 一级指标标注分值与下级合计不符"},
    [F_WEIGHT_MISMATCH] = {"E_WEIGHT_MISMATCH", DIAG_ERROR,
                           "group weights do not match the framework / 指标权重与框架不符"},
    [F_GRADE_MISMATCH] = {"E_GRADE_MISMATCH", DIAG_ERROR,
                          "stated grade does not match the total / 自评等级与总分不符"},
    [F_UNIT_MISMATCH] = {"E_UNIT_MISMATCH", DIAG_ERROR,
                         "target and actual in incompatible units / 指标值与完成值单位不一致"},
    [F_UNIT_WORDS] = {"W_UNIT_WORDS", DIAG_WARNING,
                      "different counting words / 计量单位用词不一致"},
    [F_MISSING_TARGET] = {"E_MISSING_TARGET", DIAG_ERROR, "target missing / 缺少年度指标值"},
    [F_MISSING_ACTUAL] = {"E_MISSING_ACTUAL", DIAG_ERROR, "actual value missing / 缺少实际完成值"},
    [F_MISSING_VALUE] = {"E_MISSING_VALUE", DIAG_ERROR,
                         "a score could not be computed from missing data / 数据缺失无法计分"},
    [F_BAD_TARGET] = {"E_BAD_TARGET", DIAG_ERROR, "negative target / 指标值为负"},
    [F_TRIVIAL_TARGET] = {"W_TRIVIAL_TARGET", DIAG_WARNING, "target of 0 / 指标值为0"},
    [F_QUAL_OUT_OF_BAND] = {"E_QUAL_OUT_OF_BAND", DIAG_ERROR,
                            "qualitative score outside its level's band / 定性指标得分超出档次区间"},
    [F_QUAL_UNKNOWN] = {"W_QUAL_UNKNOWN", DIAG_WARNING,
                        "qualitative result matches no level / 定性完成情况无法判定档次"},
    [F_NON_MEASURABLE] = {"W_NON_MEASURABLE", DIAG_WARNING,
                          "vague, non-measurable target / 指标值不可衡量"},
    [F_OVERSHOOT] = {"W_OVERSHOOT", DIAG_WARNING,
                     "far above target: target possibly set too low / 超额完成较多，指标值可能偏低"},
    [F_OVER_EXECUTION] = {"W_OVER_EXECUTION", DIAG_WARNING,
                          "budget execution above 100% / 预算执行率超过100%"},
    [F_BUDGET_ZERO] = {"E_BUDGET_ZERO", DIAG_ERROR, "spending against a zero budget / 预算为零却有支出"},
    [F_REASON_MISSING] = {"W_REASON_MISSING", DIAG_WARNING,
                          "shortfall without a stated reason / 未完成目标且未说明偏差原因"},
    [F_CHECK_FAILED] = {"E_CHECK_FAILED", DIAG_ERROR, "a consistency check failed / 一致性校验未通过"},
    [F_DIV_ZERO] = {"E_DIV_ZERO", DIAG_ERROR, "division by zero in a formula / 公式除数为零"},
    [F_OVERFLOW] = {"E_OVERFLOW", DIAG_ERROR, "a number too large / 数值溢出"},
    [F_TYPE] = {"E_TYPE", DIAG_ERROR, "a value of the wrong kind / 数据类型不符"},
    [F_CLAMPED] = {"N_CLAMPED", DIAG_NOTE, "score clamped to [0, weight] / 得分按分值截取"},
    [F_UNMATCHED_ROW] = {"E_UNMATCHED_ROW", DIAG_ERROR,
                         "a table row that no rule covers / 指标行无对应计分规则"},
    [F_APPROX] = {"W_APPROX", DIAG_WARNING, "an approximate value in an exact check / 约数参与精确校验"},
    [F_TOTAL_OUT_OF_RANGE] = {"E_TOTAL_OUT_OF_RANGE", DIAG_ERROR,
                              "total outside the scheme's range / 总分超出范围"},
    [F_NO_STATED_TOTAL] = {"W_NO_STATED_TOTAL", DIAG_WARNING, "no stated total / 未填报总分"},
    [F_UNVERIFIED] = {"W_UNVERIFIED", DIAG_WARNING,
                      "rows that could not be re-scored: the total is a range / 部分指标无法复核，总分为区间"},
    [F_THRESHOLD_ONLY] = {"W_THRESHOLD_ONLY", DIAG_WARNING,
                          "the actual only restates a threshold / 实际完成值仅重复指标值，未填实际数"},
    [F_REPORTED_MISSING] = {"W_REPORTED_MISSING", DIAG_WARNING,
                            "self-awarded score missing / 未填报自评得分"},
    [F_BAD_CELL] = {"E_BAD_CELL", DIAG_ERROR, "a cell no reader can interpret / 单元格无法识别"},
    [F_MAGNITUDE] = {"W_MAGNITUDE", DIAG_WARNING,
                     "an implausible magnitude / 数量级异常（元与万元混用？）"},
    [F_UNIT_ASSUMED] = {"N_UNIT_ASSUMED", DIAG_NOTE,
                        "a bare number took the other side's unit / 无单位数值按另一侧单位理解"},
    [F_ROUNDING] = {"N_ROUNDING", DIAG_NOTE,
                    "self-awarded score consistent under the form's rounding / 自评得分按表内取整规则一致"},
    [F_PERCENT_READING] = {"N_PERCENT_READING", DIAG_NOTE,
                           "how bare numbers were read as percentages / 无百分号数值按列识读为百分比"},
};

const FindingInfo *finding_info(FindingKind kind)
{
    return &catalogue[kind];
}

void findings_init(FindingList *fl, Arena *arena)
{
    memset(fl, 0, sizeof *fl);
    fl->arena = arena;
}

void findings_free(FindingList *fl)
{
    free(fl->items);
    fl->items = NULL;
    fl->len = fl->cap = 0;
}

void findings_add(FindingList *fl, FindingKind kind, const char *subject, const Source *src,
                  Span rule, const char *fmt, ...)
{
    if (!fl)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *msg = arena_alloc(fl->arena, (size_t)(n < 0 ? 0 : n) + 1);
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
    va_end(ap);
    if (fl->len == fl->cap) {
        fl->cap = fl->cap ? fl->cap * 2 : 8;
        fl->items = xrealloc(fl->items, fl->cap * sizeof *fl->items);
    }
    Finding *f = &fl->items[fl->len++];
    f->kind = kind;
    f->subject = subject ? subject : "";
    f->message = msg;
    f->src = src;
    f->rule = rule;
    f->where = NULL;
}

int findings_has(const FindingList *fl, FindingKind kind, const char *subject)
{
    for (size_t i = 0; fl && i < fl->len; i++)
        if (fl->items[i].kind == kind && strcmp(fl->items[i].subject, subject ? subject : "") == 0)
            return 1;
    return 0;
}
