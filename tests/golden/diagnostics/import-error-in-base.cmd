check %dir%/import-error-in-base.tally
