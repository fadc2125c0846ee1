# option show_places changes no CSV cell: every figure exact
score %dir%/show-places.tally %dir%/show-places.csv --format csv
