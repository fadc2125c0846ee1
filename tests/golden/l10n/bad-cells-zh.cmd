# Bad cells in Chinese: the problem and what a reader takes, not only the frame
score tests/golden/errors/figures.tally tests/golden/errors/not-a-number.csv --lang zh
