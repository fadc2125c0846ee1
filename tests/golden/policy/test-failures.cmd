test %dir%/failing_test.tally --engine interp
