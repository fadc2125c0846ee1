score rules/self-eval.tally examples/longhui-hrss-2024/table.csv --format csv --bom --output-encoding GB18030
