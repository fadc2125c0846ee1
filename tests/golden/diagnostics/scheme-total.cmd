check %dir%/scheme-total.tally
