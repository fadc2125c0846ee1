score %dir%/row-reads.tally %dir%/row-reads.csv --format csv
