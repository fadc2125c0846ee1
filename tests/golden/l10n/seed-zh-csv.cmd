# --lang zh wins over the locale (LANG=C here)
score rules/self-eval.tally examples/longhui-hrss-2024/table.csv --lang zh --format csv
