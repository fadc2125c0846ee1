# Pattern 6: every comparison sign a form uses is read (═ ≧ => =< ＞＝ ⩾ 不高于
# 以上 达到): each row is scored by its sign's method, full marks, no finding.
score rules/self-eval.tally %dir%/06-signs.csv --format csv
