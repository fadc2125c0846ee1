# the seed table in its own layout (xlsx): every finding says which cell
score rules/self-eval.tally tests/forms/seed/01-seed-layout.xlsx
