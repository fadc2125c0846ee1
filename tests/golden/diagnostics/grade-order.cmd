check %dir%/grade-order.tally
