check tests/golden/diagnostics/group-weights.tally
