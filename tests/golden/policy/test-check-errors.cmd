test %dir%/bad_test.tally --engine interp
