check tests/golden/diagnostics/unknown-name.tally
