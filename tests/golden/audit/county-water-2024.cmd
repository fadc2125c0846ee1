score rules/self-eval.tally examples/made-up-tables/county-water-2024.csv
