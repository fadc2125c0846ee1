check %dir%/import-override-missing.tally
