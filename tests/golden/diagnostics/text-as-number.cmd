check tests/golden/diagnostics/text-as-number.tally
