# The page in Chinese: labels without their English halves, findings in Chinese
score rules/self-eval.tally examples/longhui-hrss-2024/table.csv --format html --lang zh
