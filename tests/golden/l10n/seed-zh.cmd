# The seed report in Chinese, laid out to the default width (100 columns)
# env: LANG=zh_CN.UTF-8 COLUMNS=
score rules/self-eval.tally examples/longhui-hrss-2024/table.csv
