score %dir%/row-reasons.tally %dir%/row-reasons.csv --format csv
