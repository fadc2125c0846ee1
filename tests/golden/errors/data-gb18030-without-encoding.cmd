# A GB18030 file read without --encoding: refused, with a hint.
score %dir%/figures.tally %dir%/gb18030.csv
