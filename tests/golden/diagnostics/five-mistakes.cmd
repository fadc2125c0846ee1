check tests/golden/diagnostics/five-mistakes.tally
