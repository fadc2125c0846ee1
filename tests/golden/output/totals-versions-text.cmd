# --totals: a report no version applies to is listed with its error; versions add their columns
score examples/versions/rules examples/versions/reports.jsonl --totals --format text
