# A JSON document with a syntax error: the file is refused.
score %dir%/figures.tally %dir%/syntax-error.json
