# A comparison inside accounting parentheses: （0.2万元以内） is not the
# negative number -0.2 with the unit 以内; the target stays text and is said.
score rules/self-eval.tally %dir%/12-paren-qualifier.csv --explain
