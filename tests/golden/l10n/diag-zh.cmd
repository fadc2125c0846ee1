# a rule-file error in Chinese: the message, the severity, the caret under Chinese text
# env: LANG=zh_CN.UTF-8
check tests/golden/diagnostics/five-mistakes.tally
