check tests/golden/diagnostics/invalid-utf8.tally
