check %dir%/wrong-arity.tally
