check %dir%/unknown-name.tally
