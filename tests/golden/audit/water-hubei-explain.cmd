score rules/self-eval-hubei.tally examples/made-up-tables/county-water-2024.csv --explain
