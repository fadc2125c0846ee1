-- A long query can be cancelled, and the backend goes on scoring.
SET statement_timeout = '500ms';
SELECT count(tally_score_named('rules/dept-common.tally', d.report))
FROM generate_series(1, 100000000) g, dept_reports d;
RESET statement_timeout;

-- The same after a cancel: nothing was left half-done.
SELECT count(*) FILTER (WHERE tally_score_named('rules/dept-common.tally', report)->>'error' IS NULL)
       AS scored
FROM dept_reports;
