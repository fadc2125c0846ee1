# A directory given as a data file.
score %dir%/figures.tally %dir%
