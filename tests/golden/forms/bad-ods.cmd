# tests/forms/bad/seed-layout.ods (tests/forms/README.md): a clear message, exit 2, nothing scored
score rules/self-eval.tally tests/forms/bad/seed-layout.ods
