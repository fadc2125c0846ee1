check tests/golden/diagnostics/score-exceeds-weight.tally
