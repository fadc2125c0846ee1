score rules/self-eval.tally examples/longhui-hrss-2024/table.csv --totals --format html
