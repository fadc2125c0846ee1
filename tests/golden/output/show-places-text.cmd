# option show_places: text shows percentages to two places, ≈ where that rounds
score %dir%/show-places.tally %dir%/show-places.csv
