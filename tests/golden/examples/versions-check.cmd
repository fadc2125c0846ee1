check examples/versions/rules
