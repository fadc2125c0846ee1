check tests/golden/diagnostics/unknown-option.tally
