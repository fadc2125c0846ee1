score rules/self-eval-hubei.tally examples/made-up-tables/county-transport-2024.csv --explain
