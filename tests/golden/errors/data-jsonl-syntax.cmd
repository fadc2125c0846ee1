# A bad line in JSON Lines: that report is marked, the others are scored.
score %dir%/figures.tally %dir%/syntax-error.jsonl
