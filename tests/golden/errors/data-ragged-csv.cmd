# The same in CSV output.
score %dir%/figures.tally %dir%/ragged.csv --format csv
