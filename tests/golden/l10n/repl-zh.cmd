# the REPL in Chinese: its help and answers
# env: LANG=zh_CN.UTF-8
repl rules/self-eval.tally examples/longhui-hrss-2024/table.csv
