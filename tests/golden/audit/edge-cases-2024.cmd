score rules/self-eval.tally examples/made-up-tables/edge-cases-2024.csv
