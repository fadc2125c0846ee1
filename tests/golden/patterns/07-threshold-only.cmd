# Pattern 7: an actual that only repeats the threshold is W_THRESHOLD_ONLY:
# met for sure (≥266米 against ≥266米: full marks, nothing measured), or, below
# the target (≥800人 against ≥1000人), unverified.
score rules/self-eval.tally %dir%/07-threshold-only.csv
