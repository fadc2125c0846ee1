# A column the rules do not use: a warning; the report is scored.
score %dir%/figures.tally %dir%/unknown-column.csv
