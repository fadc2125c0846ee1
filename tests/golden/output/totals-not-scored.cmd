# --totals: a report that cannot be read is listed with its error
score tests/golden/errors/figures.tally tests/golden/errors/ragged.csv --totals --format csv
