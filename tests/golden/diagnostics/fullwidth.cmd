check %dir%/fullwidth.tally
