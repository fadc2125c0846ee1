# Pattern 1: rows without figures are unverified, not 0: the total is 40-100
# and the grade 待定; one W_UNVERIFIED lists them.  (The stated 优 is possible.)
score rules/self-eval.tally %dir%/01-unverified.csv
