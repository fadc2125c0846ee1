# a bad file among good ones: its message, exit 2, the other files still scored
score rules/self-eval.tally tests/forms/bad/encrypted.xlsx tests/forms/seed/16-no-head.csv tests/forms/bad/prose-only.docx --format csv
