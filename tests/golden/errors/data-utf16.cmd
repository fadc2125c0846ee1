# A UTF-16 file (byte-order mark).
score %dir%/figures.tally %dir%/utf16.csv
