check tests/golden/diagnostics/unterminated-quote.tally
