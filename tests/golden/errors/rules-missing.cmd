# A rule file that does not exist.
score %dir%/no-such.tally %dir%/good.csv
