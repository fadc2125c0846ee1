# Pattern 3: bare numbers beside percent targets are read per column (甲局: all
# above 1.5, percentage points: 85 is 85%, said once); a column with both kinds
# (乙局: 95 and 0.96) is unreadable cell by cell, with the fix; 1234.56万
# against 1000万元 is 1234.56万元, not 10^4 too large.
score rules/self-eval.tally %dir%/03-percent-column.csv
