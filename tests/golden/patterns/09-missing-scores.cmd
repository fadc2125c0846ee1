# Pattern 9: empty self-awarded scores are W_REPORTED_MISSING, one per row, and
# W_NO_STATED_TOTAL says the 总分 row is there but its cell is empty.
score rules/self-eval.tally %dir%/09-missing-scores.csv
