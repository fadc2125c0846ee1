# A UTF-16 file with its byte-order mark (Excel's "Unicode text"): converted and read.
score %dir%/figures.tally %dir%/utf16.csv
