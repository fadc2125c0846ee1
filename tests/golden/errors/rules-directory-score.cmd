# A folder given as the rules to score holds versions by year: one without any is an error.
score rules examples/longhui-hrss-2024/table.csv
