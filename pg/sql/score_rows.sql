-- The seed table (examples/longhui-hrss-2024/table.csv) scored from its rows.

-- The rows named as `tally score` was given the file, so the result can be
-- compared with its output byte for byte (up to jsonb's normal form).
CREATE TEMP TABLE seed_scored AS
SELECT report,
       tally_score_rows_named('rules/self-eval.tally', 'examples/longhui-hrss-2024/table.csv',
                              report, line, level1, level2, indicator, target, actual,
                              weight::text, reported::text, reason) AS result
FROM seed_rows GROUP BY report;

SELECT report, result->>'total' AS total, result->>'stated_total' AS stated,
       result->>'reported_sum' AS reported_sum, result->>'grade' AS grade,
       jsonb_array_length(result->'indicators') AS indicators,
       jsonb_array_length(result->'findings') AS findings
FROM seed_scored;

SELECT s.result = c.json->0 AS same_as_tally_score,
       s.result::text = (c.json->0)::text AS same_text
FROM seed_scored s, cli_output c WHERE c.name = 'seed';

-- The findings of the result, as rows.
SELECT f.kind, f.severity, f.subject
FROM seed_scored, jsonb_to_recordset(result->'findings') AS f(kind text, severity text, subject text);

-- The order rows arrive in does not matter: line orders them.
SELECT tally_score_rows_named('rules/self-eval.tally', 'examples/longhui-hrss-2024/table.csv',
                              report, line, level1, level2, indicator, target, actual,
                              weight::text, reported::text, reason ORDER BY line DESC)
       = (SELECT result FROM seed_scored) AS order_free
FROM seed_rows GROUP BY report;

-- The rules as text: the findings' rule members name them "rules".
SELECT DISTINCT f->>'rule' AS rule
FROM (SELECT tally_score_rows(r.source, 'seed_rows', report, line, level1, level2, indicator,
                              target, actual, weight::text, reported::text, reason) AS result
      FROM seed_rows, tally_rule_set r WHERE r.name = 'rules/self-eval.tally'
      GROUP BY report) q, jsonb_array_elements(result->'findings') f
WHERE f->>'rule' IS NOT NULL ORDER BY 1;

-- Row positions name the source and the line.
SELECT i->>'name' AS indicator, i->>'row' AS row
FROM (SELECT tally_score_rows_named('rules/self-eval.tally', 'seed_rows', report, line, level1,
                                    level2, indicator, target, actual, weight::text,
                                    reported::text, reason) AS result
      FROM seed_rows GROUP BY report) q, jsonb_array_elements(result->'indicators') i
LIMIT 3;

-- A shortfall (春风行动 30场 -> 10场 against 20场) with no reason given: with a
-- reason column that is W_REASON_MISSING; without one (the 11-argument
-- form), there was nowhere to write a reason.
SELECT 'with reason column' AS form, f->>'kind' AS kind, f->>'subject' AS subject
FROM (SELECT tally_score_rows_named('rules/self-eval.tally', 'seed_rows', report, line, level1,
                                    level2, indicator, target,
                                    CASE WHEN line = 9 THEN '10场' ELSE actual END,
                                    weight::text, reported::text, reason) AS result
      FROM seed_rows GROUP BY report) q, jsonb_array_elements(result->'findings') f
WHERE f->>'subject' = '春风行动招聘活动次数'
UNION ALL
SELECT 'without', f->>'kind', f->>'subject'
FROM (SELECT tally_score_rows_named('rules/self-eval.tally', 'seed_rows', report, line, level1,
                                    level2, indicator, target,
                                    CASE WHEN line = 9 THEN '10场' ELSE actual END,
                                    weight::text, reported::text) AS result
      FROM seed_rows GROUP BY report) q, jsonb_array_elements(result->'findings') f
WHERE f->>'subject' = '春风行动招聘活动次数'
ORDER BY 1, 2;
