-- NULLs: the scalar functions are STRICT; in rows, a NULL cell is an empty one.

SELECT tally_score(NULL, '{"report": "A"}') IS NULL AS null_rules,
       tally_score_named('rules/dept-common.tally', NULL) IS NULL AS null_report,
       tally_check(NULL) IS NULL AS null_check;
SELECT count(*) AS findings FROM tally_findings_named(NULL, '{"report": "A"}');

-- A jsonb null cell is a missing cell.
SELECT i->>'name' AS indicator, i->>'value' AS value, i->>'score' AS score
FROM jsonb_array_elements(tally_score_named('rules/self-eval.tally',
    '{"report": "A", "table": [{"level1": "产出指标", "level2": "数量指标", "indicator": "x",
      "target": "10人", "actual": null, "weight": "5", "reported": "5"}]}')->'indicators') i;

-- In rows: NULL rules, source or line are errors (22004) ...
SELECT tally_score_rows(NULL, 'seed_rows', report, line, level1, level2, indicator, target,
                        actual, weight::text, reported::text) FROM seed_rows;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT tally_score_rows_named('rules/self-eval.tally', 'seed_rows', report, NULL, level1,
                              level2, indicator, target, actual, weight::text, reported::text)
FROM seed_rows;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- ... a NULL report id is an empty one: listed as "line N" and marked, as in a CSV ...
SELECT r->>'report' AS report, r->>'error' AS error
FROM (SELECT tally_score_rows_named('rules/self-eval.tally', 'seed_rows', NULL, line, level1,
                                    level2, indicator, target, actual, weight::text,
                                    reported::text, reason) AS r FROM seed_rows) q;
-- ... and NULL cells are empty cells: a missing actual is E_MISSING_ACTUAL.
SELECT f->>'kind' AS kind, f->>'subject' AS subject
FROM (SELECT tally_score_rows_named('rules/self-eval.tally', 'seed_rows', report, line, level1,
                                    level2, indicator, target,
                                    CASE WHEN line = 2 THEN NULL ELSE actual END,
                                    weight::text, reported::text, reason) AS r
      FROM seed_rows GROUP BY report) q, jsonb_array_elements(r->'findings') f
WHERE f->>'kind' LIKE 'E_MISSING%';
-- No rows at all: NULL.
SELECT tally_score_rows('x', 's', 'r', 1, 'a', 'b', 'c', 'd', 'e', 'f', 'g') IS NULL AS no_rows
FROM seed_rows WHERE false;
