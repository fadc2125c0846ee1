# A folder of versions against one rule file: each report under its year's version; reports no version covers are errors.
diff examples/versions/rules rules/self-eval.tally examples/versions/reports.jsonl
