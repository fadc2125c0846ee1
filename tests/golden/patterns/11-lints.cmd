# Pattern 11: tally check warns about the traps of a rule file, with a fix each.
check %dir%/11-lints.tally
