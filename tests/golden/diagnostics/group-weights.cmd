check %dir%/group-weights.tally
