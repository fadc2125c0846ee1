check %dir%/let-cycle.tally
