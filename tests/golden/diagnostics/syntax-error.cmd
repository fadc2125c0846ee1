check %dir%/syntax-error.tally
