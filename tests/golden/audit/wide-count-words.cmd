# A column of several count words through the batch kernels (units remembered per batch)
score %dir%/wide-count-words.tally %dir%/wide-count-words.csv --format csv
