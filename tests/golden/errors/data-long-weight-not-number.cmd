# A weight that is not a number: that report is marked, the other scored.
score rules/self-eval.tally %dir%/weight-not-number.csv
