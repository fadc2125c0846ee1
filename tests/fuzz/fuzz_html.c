/* fuzz_html.c - libFuzzer harness for the HTML reader (encodings, tables
 * nested, rowspan and colspan) and the form layer (fuzz_forms.h). */
#include "fuzz_forms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read_form(html_read, "HTML", "fuzz.html", (const char *)data, size);
    return 0;
}
