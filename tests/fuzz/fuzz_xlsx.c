/* fuzz_xlsx.c - libFuzzer harness for the xlsx reader and the form layer
 * (fuzz_forms.h).  The first byte chooses: even, the rest is a whole file;
 * odd, the rest is the sheet XML of a one-sheet workbook with a few shared
 * strings and styles, so that mutations reach the XML reader. */
#include "fuzz_forms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (!(data[0] & 1)) {
        fuzz_read_form(xlsx_read, "xlsx", "fuzz.xlsx", (const char *)data + 1, size - 1);
        return 0;
    }
    static const char workbook[] =
        "<workbook xmlns:r=\"r\"><workbookPr date1904=\"0\"/><sheets>"
        "<sheet name=\"自评表\" r:id=\"rId1\"/></sheets></workbook>";
    static const char rels[] =
        "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/>"
        "</Relationships>";
    static const char strings[] =
        "<sst><si><t>一级指标</t></si><si><t>二级指标</t></si><si><t>三级指标</t></si>"
        "<si><t>年度指标值</t></si><si><t>实际完成值</t></si><si><t>分值</t></si>"
        "<si><t>得分</t></si><si><t>总分</t></si><si><r><t>年度资金</t></r><r><t>总额</t></r>"
        "<rPh><t>x</t></rPh></si></sst>";
    static const char styles[] =
        "<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"0.00%\"/>"
        "<numFmt numFmtId=\"165\" formatCode=\"yyyy-mm-dd\"/></numFmts><cellXfs>"
        "<xf numFmtId=\"0\"/><xf numFmtId=\"9\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/>"
        "</cellXfs></styleSheet>";
    FuzzZip z = {0};
    fz_add(&z, "[Content_Types].xml", fz_types, sizeof fz_types - 1);
    fz_add(&z, "xl/workbook.xml", workbook, sizeof workbook - 1);
    fz_add(&z, "xl/_rels/workbook.xml.rels", rels, sizeof rels - 1);
    fz_add(&z, "xl/sharedStrings.xml", strings, sizeof strings - 1);
    fz_add(&z, "xl/styles.xml", styles, sizeof styles - 1);
    fz_add(&z, "xl/worksheets/sheet1.xml", data + 1, size - 1);
    fz_finish(&z);
    fuzz_read_form(xlsx_read, "xlsx", "fuzz.xlsx", (const char *)z.buf, z.len);
    free(z.buf);
    return 0;
}
