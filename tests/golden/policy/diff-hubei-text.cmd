# The base and its Hubei variant over every example table: what moves, and the grade that changes.
diff rules/self-eval.tally rules/self-eval-hubei.tally examples/longhui-hrss-2024/table.csv examples/made-up-tables/county-transport-2024.csv examples/made-up-tables/county-water-2024.csv examples/made-up-tables/township-health-2024.csv examples/made-up-tables/edge-cases-2024.csv
