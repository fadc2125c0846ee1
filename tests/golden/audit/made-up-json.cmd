score rules/self-eval.tally examples/made-up-tables/county-transport-2024.csv examples/made-up-tables/township-health-2024.csv --format json
