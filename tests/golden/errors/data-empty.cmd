# An empty data file.
score %dir%/figures.tally %dir%/empty.csv
