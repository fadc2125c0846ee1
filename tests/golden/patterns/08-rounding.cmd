# Pattern 8: a self-awarded score equal to the recomputed one under the form's
# rounding is consistent (N_ROUNDING says which rounding): 6 for 59.58% (the
# rate to 60% first), 4.5 for 4.31 (half points); 3 for 4.25 is still wrong.
score %dir%/08-rounding.tally %dir%/08-rounding.csv
