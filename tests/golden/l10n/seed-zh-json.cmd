# env: LANG=zh_CN.UTF-8
score rules/self-eval.tally examples/longhui-hrss-2024/table.csv --format json
