# Piped, the REPL stops at the first failed input with status 1 (as sqlite3 -bail).
repl rules/self-eval.tally
