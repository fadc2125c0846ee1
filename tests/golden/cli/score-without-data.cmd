score rules/self-eval.tally
