# Pattern 5: 进度指标 (Hubei's word for 时效指标) is a category alias in the rule
# file (words 时效指标 = 进度指标): the row is scored, no E_UNMATCHED_ROW.
score rules/self-eval.tally %dir%/05-category-alias.csv
