# A folder given as the rules holds versions by year: one with none is an error.
check tests/golden/cli
