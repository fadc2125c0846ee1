# no catalogue where TALLY_LOCALEDIR points: English, no crash
# env: LANG=zh_CN.UTF-8 TALLY_LOCALEDIR=/nonexistent COLUMNS=
score rules/self-eval.tally examples/longhui-hrss-2024/table.csv
