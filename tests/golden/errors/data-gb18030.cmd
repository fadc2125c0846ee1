# The same file with --encoding GB18030.
score %dir%/figures.tally %dir%/gb18030.csv --encoding GB18030
