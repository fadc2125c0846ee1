/* diff.h - `tally diff RULES_A RULES_B DATA...`: every report scored under
 * two policies, and what moved (diff.c; the writers: runtime/output/diff.h). */
#ifndef TALLY_CLI_DIFF_H
#define TALLY_CLI_DIFF_H

/* Run the diff; returns the exit status (0 nothing moved, 1 something
 * moved, 2 a rule file or the data had errors). */
int diff_main(int argc, char **argv);

#endif
