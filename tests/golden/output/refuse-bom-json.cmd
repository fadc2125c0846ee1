# --bom is for CSV only: refused, never dropped
score rules/self-eval.tally examples/longhui-hrss-2024/table.csv --format json --bom
