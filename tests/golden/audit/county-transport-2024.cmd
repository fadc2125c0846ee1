score rules/self-eval.tally examples/made-up-tables/county-transport-2024.csv
