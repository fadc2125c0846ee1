check tests/golden/diagnostics/let-cycle.tally
