# The same in JSON output: the report is there, with its error.
score %dir%/figures.tally %dir%/ragged.csv --format json
