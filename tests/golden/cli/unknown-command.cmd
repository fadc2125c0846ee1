frobnicate rules/self-eval.tally
