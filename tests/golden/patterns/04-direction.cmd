# Pattern 4: direction from the indicator first - its sign, then its name,
# then its category: 计划完成率 under 成本指标 is higher is better (60% of 90%:
# 13.33, not full marks); 人员经费支出 lower (its name); 项目计划总投资 lower (its
# category); 费用支付及时率 higher (the name ends with what it measures).
score rules/self-eval.tally %dir%/04-direction.csv --explain
