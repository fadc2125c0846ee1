check tests/golden/diagnostics/unit-mismatch.tally
