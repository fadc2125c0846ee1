check %dir%/import-missing-file.tally
