# A quote that never closes: that record is marked, reading resumes at the next line.
score %dir%/figures.tally %dir%/unterminated-quote.csv
