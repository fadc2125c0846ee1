# --totals: a line per report; rows left unverified give a range and the grade 待定
score rules/self-eval.tally examples/longhui-hrss-2024/table.csv examples/made-up-tables/county-transport-2024.csv examples/made-up-tables/township-health-2024.csv examples/made-up-tables/edge-cases-2024.csv --totals --format text
