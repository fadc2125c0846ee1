-- The extension and the data every other test uses: the seed table as rows,
-- the 240-department batch as jsonb, and what `tally score` printed for both
-- (pg/test/run-tests prepares the files).
CREATE EXTENSION tally;
SELECT tally_version() ~ '^\d+\.\d+\.\d+$' AS version_ok;

\getenv files TALLY_PG_FILES
\set seed_rows :files '/seed-rows.csv'
\set dept_reports :files '/dept-reports.csv'
\set seed_cli :files '/seed-cli.json'
\set dept_cli :files '/dept-cli.json'
\set self_eval :files '/self-eval.tally'
\set dept_common :files '/dept-common.tally'

-- A report's indicator table as a database keeps it: one row per indicator.
CREATE TABLE seed_rows (
    line integer, report text, level1 text, level2 text, indicator text,
    target text, actual text, weight numeric, reported numeric, reason text);
COPY seed_rows FROM :'seed_rows' (FORMAT csv, HEADER);

-- Department reports (figures) as jsonb, one row per report.
CREATE TABLE dept_reports (id text PRIMARY KEY, report jsonb NOT NULL);
COPY dept_reports FROM :'dept_reports' (FORMAT csv);

CREATE TABLE cli_output (name text PRIMARY KEY, json jsonb NOT NULL);
INSERT INTO cli_output VALUES
    ('seed', pg_read_file(:'seed_cli')::jsonb),
    ('dept', pg_read_file(:'dept_cli')::jsonb);

-- The rule files, named as `tally score` was given them, so that "rule"
-- members of findings ("rules/self-eval.tally:53") read the same.
INSERT INTO tally_rule_set (name, source) VALUES
    ('rules/self-eval.tally', pg_read_file(:'self_eval')),
    ('rules/dept-common.tally', pg_read_file(:'dept_common'));

SELECT count(*) AS seed_rows FROM seed_rows;
SELECT count(*) AS dept_reports FROM dept_reports;
SELECT name, jsonb_array_length(json) AS reports FROM cli_output ORDER BY name;
SELECT name FROM tally_rule_set ORDER BY name;
