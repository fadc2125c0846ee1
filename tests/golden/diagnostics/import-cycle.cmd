check %dir%/import-cycle-a.tally
