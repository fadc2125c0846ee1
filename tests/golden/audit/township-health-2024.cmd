score rules/self-eval.tally examples/made-up-tables/township-health-2024.csv
