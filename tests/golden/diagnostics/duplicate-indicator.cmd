check tests/golden/diagnostics/duplicate-indicator.tally
