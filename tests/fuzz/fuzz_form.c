/* fuzz_form.c - libFuzzer harness for form recognition (form.c): the input
 * is a grid as a CSV saved from Excel (the first byte: tab-separated when
 * odd), recognised with the default forms - header rows, budget blocks,
 * 总分 and 自评结论 rows, the head, the figures - and the whole file through
 * the content sniffing of every format (form_sniff). */
#include "fuzz_forms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char delim;

static void read_grid(FormDoc *doc, const char *data, size_t len)
{
    csv_form_read(doc, data, len, delim);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    Arena a;
    arena_init(&a);
    const char *why = NULL;
    if (form_sniff((const char *)data + 1, size - 1, &a, &why) == SNIFF_REFUSED && !why)
        abort();
    arena_free(&a);
    delim = (data[0] & 1) ? '\t' : ',';
    fuzz_read_form(read_grid, "CSV", "fuzz.csv", (const char *)data + 1, size - 1);
    return 0;
}
