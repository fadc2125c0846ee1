# Bytes that are not UTF-8 (a GBK file read as UTF-8): the file is refused.
score %dir%/figures.tally %dir%/invalid-utf8.csv
