# env: LANG=zh_CN.UTF-8
score rules/self-eval.tally examples/longhui-hrss-2024/table.csv examples/made-up-tables/county-transport-2024.csv tests/golden/errors/ragged.csv --totals
