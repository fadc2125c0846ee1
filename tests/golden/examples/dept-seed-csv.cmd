score rules/dept-common.tally examples/longhui-hrss-2024/figures.csv --format csv
