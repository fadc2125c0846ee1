# an unknown language is refused, exit 2
score rules/self-eval.tally examples/longhui-hrss-2024/table.csv --lang fr
