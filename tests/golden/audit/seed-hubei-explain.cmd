score rules/self-eval-hubei.tally examples/longhui-hrss-2024/table.csv --explain
