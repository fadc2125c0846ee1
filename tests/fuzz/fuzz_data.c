/* fuzz_data.c - libFuzzer harness for the data readers: wide and long CSV,
 * JSON and JSON Lines, with and without a GB18030 conversion
 * (reportset_load_buffer).  The first byte chooses the format and encoding;
 * the rest is the file.  Every report read must have an id. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "runtime/data/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *null;
    if (!null)
        null = fopen("/dev/null", "w");
    if (size < 1)
        return 0;
    static const DataFormat formats[] = {DATA_AUTO, DATA_CSV_WIDE, DATA_CSV_LONG, DATA_JSON};
    LoadOptions opt = {formats[data[0] & 3], (data[0] & 4) ? "GB18030" : NULL, NULL};
    const char *name = (data[0] & 8) ? "fuzz.json" : "fuzz.csv";
    ReportSet set;
    reportset_init(&set);
    DiagList diags;
    diag_init(&diags);
    bool ok = reportset_load_buffer(&set, name, (const char *)data + 1, size - 1, &opt, &diags);
    /* The contract: a file refused as a whole adds no report and says why;
     * every report that was added has an id. */
    if (!ok && set.len != 0)
        abort();
    if (!ok && diags.errors == 0)
        abort();
    for (size_t i = 0; i < set.len; i++)
        if (!set.reports[i].id)
            abort();
    diag_render_all(&diags, null, false);
    diag_free(&diags);
    reportset_free(&set);
    return 0;
}
