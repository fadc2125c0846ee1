check %dir%/score-exceeds-weight.tally
