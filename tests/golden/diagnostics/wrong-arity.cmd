check tests/golden/diagnostics/wrong-arity.tally
