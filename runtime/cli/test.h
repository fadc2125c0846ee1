/* test.h - `tally test RULES...|DIR`: the test blocks of rule files, run
 * with the scorer of `tally score` under both engines (test.c). */
#ifndef TALLY_TEST_H
#define TALLY_TEST_H

/* Run the tests; returns the exit status (0 passed, 1 a test failed, 2 a
 * rule file had errors). */
int test_main(int argc, char **argv);

#endif
