# Pattern 10: spreadsheet cells are read (¥1,000,000.00, 1.2E+03, 1 150, √
# against 是, TRUE, (12.50)); #DIV/0! is missing with its reason; every cell no
# reader can interpret is named (十, abc, a number too large) - all of them -
# and the report is still scored, the rows that need them unverified.
score rules/self-eval.tally %dir%/10-bad-cells.csv
