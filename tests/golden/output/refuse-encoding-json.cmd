# JSON is always UTF-8
score rules/self-eval.tally examples/longhui-hrss-2024/table.csv --format json --output-encoding GB18030
