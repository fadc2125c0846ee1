-- Bad input: clear errors with SQLSTATEs; rule files with line and column.
-- (psql's LAST_ERROR_SQLSTATE shows each error's code.)

-- A rule file that does not compile: 42601, line and column, every
-- diagnostic with its caret in the DETAIL.
SELECT tally_score(E'scheme "x" total 5\n\nindicator 甲 weight 5 { score 未知 }\n',
                   '{"report": "A"}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT tally_check(E'scheme "x" total 5\nindicator 甲 weight 5 {\n  score 1 +\n}\n', 'broken.tally');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT * FROM tally_diagnostics(E'scheme "x" total 5\n\nindicator 甲 weight 5 { score 未知 }\n');
SELECT count(*) AS clean FROM tally_diagnostics(
    (SELECT source FROM tally_rule_set WHERE name = 'rules/self-eval.tally'));

-- The rule-set table refuses a rule file that does not compile.
INSERT INTO tally_rule_set (name, source) VALUES ('bad', 'scheme "x" total');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- A rule set that does not exist: 42704.
SELECT tally_score_named('no such set', '{"report": "A"}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- A report must be one JSON object: 22023.
SELECT tally_score_named('rules/dept-common.tally', '[{"report": "A"}]');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT tally_score_named('rules/dept-common.tally', '"A"');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- A cell no reader can interpret is an E_BAD_CELL finding naming it; the
-- report is still scored (issue 12), its "error" stays empty.
SELECT r->>'report' AS report, r->>'error' AS error,
       (SELECT f->>'message' FROM jsonb_array_elements(r->'findings') f
        WHERE f->>'kind' = 'E_BAD_CELL') AS bad_cell
FROM tally_score_named('rules/dept-common.tally',
                       '{"report": "A", "figures": {"编制数": "99999999999999999999999"}}') r;
SELECT r->>'report' AS report, r->>'error' AS error,
       (SELECT f->>'message' FROM jsonb_array_elements(r->'findings') f
        WHERE f->>'kind' = 'E_BAD_CELL') AS bad_cell
FROM tally_score_named('rules/self-eval.tally',
                       '{"report": "B", "table": [{"level1": "产出指标", "indicator": "x",
                         "target": "1", "actual": "1", "weight": "abc"}]}') r;

-- Rows of two reports in one group, or differing rules: 22023.
SELECT tally_score_rows_named('rules/self-eval.tally', 'seed_rows', report || line % 2, line,
                              level1, level2, indicator, target, actual, weight::text,
                              reported::text, reason)
FROM seed_rows;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT tally_score_rows(CASE WHEN line < 10 THEN 'a' ELSE 'b' END, 'seed_rows', report, line,
                        level1, level2, indicator, target, actual, weight::text,
                        reported::text, reason)
FROM seed_rows;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
