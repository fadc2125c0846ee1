score rules/dept-common.tally examples/dept-batch/departments.csv --format csv
