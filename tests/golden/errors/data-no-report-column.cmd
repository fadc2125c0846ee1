# A wide CSV without a report column.
score %dir%/figures.tally %dir%/no-report-column.csv
