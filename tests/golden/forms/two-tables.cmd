# two 自评表 of one unit in one page (09-plain.html's body twice): two reports, the second named after its table
score rules/self-eval.tally %dir%/two-tables.html --format csv
