# The seed report in English at the default width (100 columns)
# env: COLUMNS=
score rules/self-eval.tally examples/longhui-hrss-2024/table.csv
