# Pattern 2: a bare number against a unit target is read in that unit
# (N_UNIT_ASSUMED), not an E_UNIT_MISMATCH: 735 is 735人次, 3.5 is 3.5万人.
score rules/self-eval.tally %dir%/02-bare-number.csv --explain
