# A NUL byte in a data file.
score %dir%/figures.tally %dir%/nul-byte.csv
