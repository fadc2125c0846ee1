# A column the rules need is absent from the file.
score %dir%/figures.tally %dir%/missing-column.csv
