# Every branch no test took.
test %dir%/failing_test.tally --engine interp --coverage
