# An encoding iconv does not know.
score %dir%/figures.tally %dir%/gb18030.csv --encoding KLINGON
