# A second scheme without a total (found by fuzz_score: a null pointer in the checker).
check %dir%/two-schemes.tally
