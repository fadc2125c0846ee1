# A formula nested more than 256 levels deep is refused, not a stack overflow.
check %dir%/too-deep.tally
