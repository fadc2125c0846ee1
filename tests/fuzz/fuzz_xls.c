/* fuzz_xls.c - libFuzzer harness for the compound-file reader, the BIFF8
 * reader and the form layer (fuzz_forms.h): the input is a whole file, first
 * through the content sniffing that decides what a compound file is. */
#include "fuzz_forms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Arena a;
    arena_init(&a);
    const char *why = NULL;
    FormSniff s = xls_sniff((const char *)data, size, &a, &why);
    if (s == SNIFF_REFUSED && !why)
        abort();
    arena_free(&a);
    fuzz_read_form(xls_read, "xls", "fuzz.xls", (const char *)data, size);
    return 0;
}
