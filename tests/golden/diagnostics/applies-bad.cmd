check %dir%/applies-bad.tally
