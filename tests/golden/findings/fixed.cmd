score %dir%/fixed.tally %dir%/fixed.csv
