# the workbook always begins with the summary
score rules/self-eval.tally examples/longhui-hrss-2024/table.csv --summary --format xlsx
