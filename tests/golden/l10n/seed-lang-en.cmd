# --lang en wins over a Chinese locale
# env: LANG=zh_CN.UTF-8 COLUMNS=
score rules/self-eval.tally examples/longhui-hrss-2024/table.csv --lang en
