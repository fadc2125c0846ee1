# --data-format long on a file whose header is not the long header.
score rules/self-eval.tally %dir%/good.csv --data-format long
