# A long CSV whose rows of one report come back after another report began.
score rules/self-eval.tally %dir%/resumed-id.csv
