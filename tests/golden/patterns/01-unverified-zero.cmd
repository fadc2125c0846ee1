# Pattern 1, option unverified = zero: the same rows count 0, said once.
score %dir%/01-unverified-zero.tally %dir%/01-unverified.csv --format json
