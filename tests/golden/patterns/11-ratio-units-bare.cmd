# Pattern 11: a bare tier edge against 人次 / 人 is a unit error, not a ratio warning.
check %dir%/11-ratio-units-bare.tally
