-- Parallel query: the functions are PARALLEL SAFE, and the named forms read
-- the rule-set table in each worker (and compile it there, once).
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;

-- What this backend scores alone (a plain table: temporary ones are not
-- visible to workers).
CREATE TABLE dept_serial AS
SELECT id, tally_score_named('rules/dept-common.tally', report) AS result FROM dept_reports;

-- The same scored by two workers, report by report.
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF)
SELECT id, tally_score_named('rules/dept-common.tally', report) AS result FROM dept_reports;
SELECT count(*) FILTER (WHERE p.result = s.result) AS same, count(*) AS reports
FROM (SELECT id, tally_score_named('rules/dept-common.tally', report) AS result
      FROM dept_reports) p JOIN dept_serial s USING (id);

-- Every function inside a worker (force_parallel_mode runs the whole query there).
SET force_parallel_mode = regress;
SELECT count(*) FILTER (WHERE p.result = s.result) AS same, count(*) AS reports
FROM (SELECT id, tally_score_named('rules/dept-common.tally', report) AS result
      FROM dept_reports) p JOIN dept_serial s USING (id);
SELECT count(*) AS findings
FROM dept_reports d, tally_findings_named('rules/dept-common.tally', d.report) f;
SELECT tally_score_rows_named('rules/self-eval.tally', 'examples/longhui-hrss-2024/table.csv',
                              report, line, level1, level2, indicator, target, actual,
                              weight::text, reported::text, reason)->>'total' AS seed_total
FROM seed_rows GROUP BY report;
SELECT count(*) FILTER (WHERE tally_score(r.source, d.report)->>'error' IS NULL) AS scored
FROM dept_reports d, tally_rule_set r WHERE r.name = 'rules/dept-common.tally';
RESET force_parallel_mode;
DROP TABLE dept_serial;
