# Pattern 11 at run time: a ratio of amounts against 100% scores; an unknown
# level word in a fixed indicator is W_QUAL_UNKNOWN and unverified, not 0.
score %dir%/11-lints.tally %dir%/11-unknown-level.csv
