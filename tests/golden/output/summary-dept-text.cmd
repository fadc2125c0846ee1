score rules/dept-common.tally examples/longhui-hrss-2024/figures.csv examples/dept-batch/departments.csv --summary
