# Pattern 3 in wide data: 1280.5万元 against a budget read in 元 (the input is
# declared 元, the other figures are bare) is a 10^4 slip: W_MAGNITUDE on the
# rate (985000%); the percent column's bare numbers are percentage points
# (N_PERCENT_READING), never 8500%.
score %dir%/03-magnitude.tally %dir%/03-magnitude.csv
