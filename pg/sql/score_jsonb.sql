-- The 240-department batch (examples/dept-batch) scored from a table of jsonb.

CREATE TEMP TABLE dept_scored AS
SELECT id, tally_score_named('rules/dept-common.tally', report) AS result FROM dept_reports;

SELECT count(*) AS reports,
       count(*) FILTER (WHERE result->>'error' IS NULL) AS scored,
       min((result->>'total')::numeric) AS min_total,
       max((result->>'total')::numeric) AS max_total,
       round(avg((result->>'total')::numeric), 2) AS avg_total
FROM dept_scored;

SELECT result->>'grade' AS grade, count(*) FROM dept_scored GROUP BY 1 ORDER BY 1;

-- Every report the same as `tally score --format json` printed it.
SELECT count(*) AS compared,
       count(*) FILTER (WHERE s.result = c.elem) AS same_as_tally_score,
       count(*) FILTER (WHERE s.result::text = c.elem::text) AS same_text
FROM dept_scored s
JOIN (SELECT elem->>'report' AS id, elem
      FROM cli_output, jsonb_array_elements(json) elem WHERE name = 'dept') c USING (id);

-- The rules given as text compile once per backend and score the same.
SELECT count(*) FILTER (WHERE tally_score(r.source, d.report) #- '{findings}'
                              = s.result #- '{findings}') AS same_without_rule_names
FROM dept_reports d JOIN dept_scored s USING (id), tally_rule_set r
WHERE r.name = 'rules/dept-common.tally';

-- The seed report as one jsonb object scores as from its rows: the same
-- result but for where each row came from ("row": "jsonb:1", in the
-- indicators and in the findings about them).
WITH from_rows AS (
    SELECT report,
           tally_score_rows_named('rules/self-eval.tally', 'seed_rows', report, line, level1,
                                  level2, indicator, target, actual, weight::text,
                                  reported::text, reason) AS result,
           jsonb_agg(jsonb_build_object(
               'level1', level1, 'level2', level2, 'indicator', indicator, 'target', target,
               'actual', actual, 'weight', weight::text, 'reported', reported::text,
               'reason', coalesce(reason, '')) ORDER BY line) AS tbl
    FROM seed_rows GROUP BY report),
both_ways AS (
    SELECT result AS a,
           tally_score_named('rules/self-eval.tally',
                             jsonb_build_object('report', report, 'table', tbl)) AS b
    FROM from_rows)
SELECT a->>'total' AS total, b->>'total' AS total_from_jsonb,
       a - 'indicators' - 'findings' = b - 'indicators' - 'findings'
       AND (SELECT jsonb_agg(f - 'row') FROM jsonb_array_elements(a->'findings') f)
           = (SELECT jsonb_agg(f - 'row') FROM jsonb_array_elements(b->'findings') f)
           AS same_but_indicators,
       (SELECT jsonb_agg(i - 'row') FROM jsonb_array_elements(a->'indicators') i) =
       (SELECT jsonb_agg(i - 'row') FROM jsonb_array_elements(b->'indicators') i)
           AS same_indicators_but_row,
       b->'indicators'->0->>'row' AS row_in_jsonb
FROM both_ways;

-- tally_explain adds the explanation of each indicator.
SELECT jsonb_array_length(tally_explain_named('rules/dept-common.tally', report)
                          -> 'indicators' -> 0 -> 'explain') > 0 AS explains
FROM dept_reports ORDER BY id LIMIT 1;
