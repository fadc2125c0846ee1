score examples/versions/rules examples/versions/reports.jsonl --format text
