check %dir%/import-duplicate.tally
