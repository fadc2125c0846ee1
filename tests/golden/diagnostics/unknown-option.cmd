check %dir%/unknown-option.tally
