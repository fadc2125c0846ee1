# A directory given as the rule file.
check %dir%
