# option show_places must be a whole number from 0 to 6
check %dir%/show-places-bad.tally
