check tests/golden/diagnostics/syntax-error.tally
