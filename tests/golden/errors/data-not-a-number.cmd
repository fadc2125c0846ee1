# Cells that are not numbers (or not in the declared unit) where the rules need one.
score %dir%/figures.tally %dir%/not-a-number.csv
