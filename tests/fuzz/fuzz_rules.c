/* fuzz_rules.c - libFuzzer harness for the rule-file front end: scanner,
 * parser and checker (program_compile), and the rendering of whatever
 * diagnostics they produce. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lang/program.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *null;
    if (!null)
        null = fopen("/dev/null", "w");
    DiagList diags;
    diag_init(&diags);
    Program *p = program_compile("fuzz.tally", (const char *)data, size, &diags);
    /* Diagnostics must render after the program is gone (it is freed on error). */
    diag_render_all(&diags, null, false);
    program_free(p);
    diag_free(&diags);
    return 0;
}
