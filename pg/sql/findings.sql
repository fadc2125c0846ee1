-- tally_findings: a report's findings as rows (kind, severity, subject, message).

SELECT f.* FROM dept_reports d, tally_findings_named('rules/dept-common.tally', d.report) f
WHERE d.id = 'SYN-075 丙县应急管理局';

-- What an auditor asks: which departments have errors, and how many.
SELECT d.id, count(*) AS errors
FROM dept_reports d, tally_findings_named('rules/dept-common.tally', d.report) f
WHERE f.severity = 'error'
GROUP BY d.id ORDER BY errors DESC, d.id LIMIT 5;

SELECT f.kind, count(*) FROM dept_reports d,
       tally_findings_named('rules/dept-common.tally', d.report) f
GROUP BY f.kind ORDER BY f.kind;

-- The same findings as the "findings" member of tally_score.
SELECT count(*) FILTER (WHERE a IS NOT DISTINCT FROM b) AS same, count(*) AS reports
FROM (SELECT (SELECT jsonb_agg(jsonb_build_object('kind', kind, 'severity', severity,
                                                  'subject', subject, 'message', message))
              FROM tally_findings_named('rules/dept-common.tally', d.report)) AS a,
             (SELECT jsonb_agg(f - 'rule' - 'row')
              FROM jsonb_array_elements(tally_score_named('rules/dept-common.tally',
                                                          d.report)->'findings') f) AS b
      FROM dept_reports d) q;

-- A report that cannot be read is one row E_NOT_SCORED, never silence (a row
-- without an indicator name; a bad cell alone is an E_BAD_CELL of a scored report).
SELECT * FROM tally_findings_named('rules/self-eval.tally',
                                   '{"report": "坏表", "table": [{"level1": "产出指标", "weight": 5}]}');
SELECT * FROM tally_findings_named('rules/dept-common.tally', '{"figures": {}}');
