# the department's figures read from its 基础数据表 and 附件4-1 sheets (dept-common.tally)
score rules/dept-common.tally tests/forms/seed/04-attachments.xlsx --format csv
