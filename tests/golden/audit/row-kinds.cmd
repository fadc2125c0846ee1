score %dir%/row-kinds.tally %dir%/row-kinds.csv --format csv
