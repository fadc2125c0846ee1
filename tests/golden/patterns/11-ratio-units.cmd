# Pattern 11: a bare tier edge against 人 / 人 is warned, against 人次 / 人 (a count per person, edges with their unit) not.
score %dir%/11-ratio-units.tally %dir%/11-ratio-units.csv --totals
