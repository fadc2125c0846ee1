# a report that cannot be scored is counted, and named nowhere else
score rules/self-eval.tally tests/golden/errors/weight-not-number.csv --summary
