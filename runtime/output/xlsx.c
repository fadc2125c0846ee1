/* xlsx.c - placeholder */
#include "formats.h"
bool out_xlsx_begin(Output *o) { o->error = "not yet"; return false; }
void out_xlsx_report(const Output *o, const ReportResult *r) {}
bool out_xlsx_end(Output *o, const SumStats *st) { return false; }
