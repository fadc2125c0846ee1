check %dir%/five-mistakes.tally
