# a Word form: findings and rows name the table, the row and the column
score rules/self-eval.tally tests/forms/seed/08-split-budget.docx --format json
