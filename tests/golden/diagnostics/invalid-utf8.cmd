check %dir%/invalid-utf8.tally
