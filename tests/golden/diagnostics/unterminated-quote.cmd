check %dir%/unterminated-quote.tally
