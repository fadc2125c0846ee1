# The encoding of the data given on the command line, and of :open without its own.
repl rules/self-eval.tally tests/golden/errors/gb18030.csv --encoding GB18030
