# tests/forms/bad/malformed-sheet.xlsx (tests/forms/README.md): a clear message, exit 2, nothing scored
score rules/self-eval.tally tests/forms/bad/malformed-sheet.xlsx
