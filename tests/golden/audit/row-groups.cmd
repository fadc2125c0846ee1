score %dir%/row-groups.tally %dir%/row-groups.csv --format csv
