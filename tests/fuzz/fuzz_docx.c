/* fuzz_docx.c - libFuzzer harness for the docx reader and the form layer
 * (fuzz_forms.h).  The first byte chooses: even, the rest is a whole file;
 * odd, the rest is word/document.xml of a minimal package. */
#include "fuzz_forms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (!(data[0] & 1)) {
        fuzz_read_form(docx_read, "docx", "fuzz.docx", (const char *)data + 1, size - 1);
        return 0;
    }
    FuzzZip z = {0};
    fz_add(&z, "[Content_Types].xml", fz_types, sizeof fz_types - 1);
    fz_add(&z, "word/document.xml", data + 1, size - 1);
    fz_finish(&z);
    fuzz_read_form(docx_read, "docx", "fuzz.docx", (const char *)z.buf, z.len);
    free(z.buf);
    return 0;
}
