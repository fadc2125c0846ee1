check tests/golden/diagnostics/grade-order.tally
