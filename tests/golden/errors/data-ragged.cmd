# A row with too few fields: that report is listed with its error, the others are scored.
score %dir%/figures.tally %dir%/ragged.csv
