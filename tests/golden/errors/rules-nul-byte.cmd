# A NUL byte in a rule file (UTF-16 or binary).
check %dir%/nul-byte.tally
