# A weight that cannot be read, in Chinese
score rules/self-eval.tally tests/golden/errors/weight-not-number.csv --lang zh
