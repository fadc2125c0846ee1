check tests/golden/diagnostics/scheme-total.tally
