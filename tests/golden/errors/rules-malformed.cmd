# A rule file with syntax errors: every error, nothing scored, exit 2.
score %dir%/malformed.tally %dir%/good.csv
