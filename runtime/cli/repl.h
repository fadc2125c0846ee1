/* repl.h - the interactive REPL (tally repl [RULES] [DATA...]). */
#ifndef TALLY_REPL_H
#define TALLY_REPL_H

/* Run the REPL; returns the process exit status.  With standard input not
 * a terminal, it prints no prompt and no banner, so scripts can drive it. */
int repl_main(int argc, char **argv);

#endif
