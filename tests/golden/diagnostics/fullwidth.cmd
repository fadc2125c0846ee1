check tests/golden/diagnostics/fullwidth.tally
