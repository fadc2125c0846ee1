/* html.c - placeholder */
#include "formats.h"
bool out_html_begin(Output *o) { o->error = "not yet"; return false; }
void out_html_report(const Output *o, const ReportResult *r) {}
bool out_html_end(Output *o, const SumStats *st) { return false; }
