# A table with no 总分 row: the stated total is unknown (a warning and a finding).
score rules/self-eval.tally %dir%/no-total.csv
