# A folder given to check: every rule file in it; none is an error.
check tests/golden/cli
