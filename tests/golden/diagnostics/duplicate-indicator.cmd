check %dir%/duplicate-indicator.tally
