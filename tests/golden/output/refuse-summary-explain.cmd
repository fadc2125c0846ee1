# --explain has nothing to explain in a summary: refused
score rules/self-eval.tally examples/longhui-hrss-2024/table.csv --summary --explain
