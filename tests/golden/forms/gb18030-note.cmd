# a CSV saved by Excel on Chinese Windows, without --encoding: GB18030, said once
score rules/self-eval.tally tests/forms/seed/15-gb18030.csv --format csv
