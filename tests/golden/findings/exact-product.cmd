score %dir%/exact-product.tally %dir%/exact-product.csv
