check %dir%/unit-mismatch.tally
