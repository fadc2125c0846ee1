# The same report id twice: the second is listed, marked.
score %dir%/figures.tally %dir%/duplicate-id.csv
