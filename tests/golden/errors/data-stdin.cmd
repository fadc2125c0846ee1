# Data from standard input: messages name <stdin>.
score %dir%/figures.tally -
