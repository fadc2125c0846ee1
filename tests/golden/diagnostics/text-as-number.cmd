check %dir%/text-as-number.tally
