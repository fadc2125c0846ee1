# A data file that does not exist, after one that does: the good file is still scored.
score %dir%/figures.tally %dir%/good.csv %dir%/no-such.csv
