# One rule file that states its years scores the reports of those years (and those without one).
score examples/versions/rules/2024.tally examples/versions/reports.jsonl --format csv
